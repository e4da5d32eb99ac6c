/** `12:00:02.123`, local time: every transcript line says when. */
export function clock(ts: number): string {
	const date = new Date(ts);
	const two = (value: number): string => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
