import {focusOrder, typingIn, type Mode, type ScreenState} from './screen-state.js';

/**
 * The status line's key hints for where the focus is: only keys that work there, and always a
 * way to quit that works from here.
 */
export function footerHints(state: ScreenState, mode: Mode, isOpen: (id: number) => boolean): string {
	const panes = focusOrder(mode).length > 1 ? 'Tab pane · ' : '';
	if (state.help) {
		return '↑↓ PgUp PgDn scroll · Esc close help · Ctrl+C quit';
	}

	switch (typingIn(state, {isOpen})) {
		case 'client': {
			return `${panes}Enter send · ↑↓ history · PgUp/PgDn scroll · /help · Esc then q quit`;
		}

		case 'connection': {
			if (state.server.relayInput !== undefined) {
				return state.server.relayInput.kind === 'edit' ? 'Enter release edited · Esc cancel · Ctrl+C quit' : 'Enter inject the line · /filter · /save FILE · Esc cancel · Ctrl+C quit';
			}

			return `${panes}Enter send to it · PgUp/PgDn scroll · /filter · /save FILE · Esc back · Ctrl+C quit`;
		}

		case 'broadcast': {
			return 'Enter send to every open connection · Esc cancel · Ctrl+C quit';
		}

		default: {
			break;
		}
	}

	if (state.focus === 'server' && state.server.relay) {
		if (state.server.openId === undefined) {
			return 'q quit · ? help · ↑↓ select · Enter open · k close it · x hex · t timeline';
		}

		return isOpen(state.server.openId)
			? 'q quit · ? help · u/d pause ↑/↓ · r release · R all · e edit · Del drop · > < inject · Esc back · x hex'
			: 'q quit · ? help · PgUp/PgDn scroll · Esc back · x hex';
	}

	if (state.focus === 'server') {
		return state.server.openId === undefined
			? `q quit · ? help · ${panes}↑↓ select · Enter open/talk · b broadcast · k kick · t timeline · e explain · z zoom · x hex`
			: `q quit · ? help · ${panes}PgUp/PgDn scroll · Esc back · t timeline · z zoom · x hex`;
	}

	if (state.focus === 'udp') {
		return `q quit · ? help · ${panes}↑↓ PgUp/PgDn scroll · x hex · e explain`;
	}

	return `q quit · ? help · ${panes}Enter type · ↑↓ PgUp/PgDn scroll · x hex`;
}
