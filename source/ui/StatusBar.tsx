import {Text} from 'ink';
import React from 'react';
import type {StoreView} from '../state/store.js';
import {terminalSafeMessage} from '../protocol/terminal-safe.js';
import {fit} from './format.js';

type Props = {
	readonly store: StoreView;
	readonly width: number;
	readonly hex: boolean;
	readonly now: number;
	/** The keys that work where the focus is (footer.ts). */
	readonly hints: string;
};

/** The last line: the newest notice for a few seconds, otherwise the key hints. */
export function StatusBar({store, width, hex, now, hints}: Props) {
	const {notice} = store;
	if (notice && now - notice.ts < 5000) {
		const color = notice.level === 'error' ? 'red' : (notice.level === 'warning' ? 'yellow' : 'cyan');
		return <Text wrap="truncate" color={color}>{fit(` ${terminalSafeMessage(notice.text)}`, width)}</Text>;
	}

	// What changes the meaning of what is typed or shown, at the front where it is not cut.
	const modes = `${hex ? 'HEX · ' : ''}${store.inputEscapes ? 'ESCAPES · ' : ''}`;
	return <Text wrap="truncate" dimColor>{fit(` ${modes}${hints}`, width)}</Text>;
}
