import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type Size = {readonly rows: number; readonly columns: number};

/** The terminal's size, following resizes (Ink 6 has no hook for it). */
export function useTerminalSize(fallback: Size = {rows: 24, columns: 80}): Size {
	const {stdout} = useStdout();
	const read = (): Size => ({rows: stdout.rows ?? fallback.rows, columns: stdout.columns ?? fallback.columns});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = (): void => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	});
	return size;
}
