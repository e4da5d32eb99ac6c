/** `1 datagram`, `3 datagrams`: counts in messages read as English. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
	return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}
