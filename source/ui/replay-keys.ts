import type {PlayerView} from '../state/replay-player.js';
import type {Key} from './keys.js';

/** What the screen may do to a replay (state/replay-player.ts): its state, and the time bar's keys. */
export type ReplayControl = PlayerView & {
	toggle(): void;
	step(by: number): void;
	seek(moment: number): void;
	home(): void;
	changeSpeed(by: 1 | -1): void;
};

/** The status line's hints in a replay. */
export const replayHints = 'q quit · ? help · Space play/pause · ←→ seek · , . step · 0-9 jump · + - speed · t timeline · e explain · z zoom';

/** Keys a replay reads as text; any other character goes to the screen's own keys. */
const textKeys = new Set([' ', '.', ',', '+', '=', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * A replay's keys, outside an input box: Space plays or pauses, `.` and `,` step one event
 * forward or back, ← → seek a twentieth of the log, Home goes to before its first event and End
 * to its last, 0–9 jump to 0–90 %, `+`/`-` change the speed. A run of them typed in one burst acts key by key. True when the key
 * was the replay's.
 */
export function replayKeys(key: Key, replay: ReplayControl): boolean {
	const length = replay.end - replay.start;
	if (key.kind === 'named') {
		switch (key.name) {
			case 'left':
			case 'right': {
				replay.seek(replay.position + ((key.name === 'left' ? -1 : 1) * Math.max(1, length / 20)));
				return true;
			}

			case 'home': {
				replay.home();
				return true;
			}

			case 'end': {
				replay.seek(replay.end);
				return true;
			}

			default: {
				return false;
			}
		}
	}

	if (key.kind !== 'text' || ![...key.text].every(character => textKeys.has(character))) {
		return false;
	}

	for (const character of key.text) {
		switch (character) {
			case ' ': {
				replay.toggle();
				break;
			}

			case '.':
			case ',': {
				replay.step(character === '.' ? 1 : -1);
				break;
			}

			case '+':
			case '=':
			case '-': {
				replay.changeSpeed(character === '-' ? -1 : 1);
				break;
			}

			default: {
				replay.seek(replay.start + (length * Number(character) / 10));
				break;
			}
		}
	}

	return true;
}
