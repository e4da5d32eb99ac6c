/**
 * Keys from what the terminal sends. Ink 6 hands its input listeners one event per escape
 * sequence and per run of plain text; this turns each into keys with their exact meaning —
 * Backspace (DEL) apart from Delete (`ESC[3~`), every common Home/End form, word motions — and
 * drops what is not a key a person typed (focus reports, cursor reports, function keys, mouse).
 * Knowing the raw sequence is why this does not use Ink's `useInput`, which reports Backspace
 * and Delete both as `key.delete`.
 */

export type KeyName =
	| 'return'
	| 'tab'
	| 'shift-tab'
	| 'escape'
	| 'backspace'
	| 'delete'
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'page-up'
	| 'page-down'
	| 'word-left'
	| 'word-right'
	| 'delete-word-back'
	| 'rub-out-word'
	| 'kill-to-start'
	| 'kill-to-end'
	| 'ctrl-c';

export type Key =
	/** Printable text: one character typed, or a run of them that arrived together. */
	| {readonly kind: 'text'; readonly text: string}
	/** Text the terminal marked as pasted (bracketed paste), line breaks included. */
	| {readonly kind: 'paste'; readonly text: string}
	| {readonly kind: 'named'; readonly name: KeyName};

const named = (name: KeyName): Key => ({kind: 'named', name});

/** Escape sequences, by their exact bytes (xterm, VT220, rxvt and tmux forms). */
const sequences: Record<string, KeyName> = {
	'\u001B[A': 'up',
	'\u001B[B': 'down',
	'\u001B[C': 'right',
	'\u001B[D': 'left',
	'\u001BOA': 'up',
	'\u001BOB': 'down',
	'\u001BOC': 'right',
	'\u001BOD': 'left',
	'\u001B[H': 'home',
	'\u001B[1~': 'home',
	'\u001B[7~': 'home',
	'\u001BOH': 'home',
	'\u001B[F': 'end',
	'\u001B[4~': 'end',
	'\u001B[8~': 'end',
	'\u001BOF': 'end',
	'\u001B[3~': 'delete',
	'\u001B[5~': 'page-up',
	'\u001B[6~': 'page-down',
	'\u001B[Z': 'shift-tab',
	'\u001B[1;5D': 'word-left',
	'\u001B[1;5C': 'word-right',
	'\u001B[1;3D': 'word-left',
	'\u001B[1;3C': 'word-right',
	'\u001BOd': 'word-left', // Rxvt's Ctrl+Left.
	'\u001BOc': 'word-right',
	'\u001Bb': 'word-left', // Alt+b / Alt+f, as readline.
	'\u001Bf': 'word-right',
	'\u001B\u007F': 'delete-word-back', // Alt+Backspace.
	'\u001B\b': 'delete-word-back',
	'\u001B': 'escape',
	'\u001B\u001B': 'escape',
};

/** Control characters inside a run of text. */
const controls: Record<string, KeyName> = {
	'\r': 'return',
	'\n': 'return',
	'\t': 'tab',
	'\u007F': 'backspace',
	'\b': 'backspace',
	'\u0001': 'home', // Ctrl+A
	'\u0005': 'end', // Ctrl+E
	'\u0002': 'left', // Ctrl+B
	'\u0006': 'right', // Ctrl+F
	'\u0015': 'kill-to-start', // Ctrl+U
	'\u000B': 'kill-to-end', // Ctrl+K
	'\u0017': 'rub-out-word', // Ctrl+W
	'\u0003': 'ctrl-c',
};

const pasteStart = '\u001B[200~';
const pasteEnd = '\u001B[201~';

/**
 * Turns Ink's input events into keys, one event at a time, keeping what a bracketed paste has
 * gathered so far between events.
 */
export class KeyReader {
	#paste: string | undefined;

	/** The keys in one input event (an escape sequence, or a run of text and control characters). */
	read(event: string): Key[] {
		if (this.#paste !== undefined) {
			const end = event.indexOf(pasteEnd);
			if (end === -1) {
				this.#paste += event;
				return [];
			}

			const text = this.#paste + event.slice(0, end);
			this.#paste = undefined;
			return [{kind: 'paste', text}, ...this.read(event.slice(end + pasteEnd.length))];
		}

		if (event === pasteStart) {
			this.#paste = '';
			return [];
		}

		if (event.startsWith('\u001B')) {
			const name = sequences[event] ?? sequences[event.replace(/^\u001B\[1;\d([A-D])$/, '\u001B[$1')];
			if (name !== undefined) {
				return [named(name)];
			}

			// Esc and then a key, in one write (tmux send-keys Escape q): Esc, then that key —
			// Alt+letter, which the same bytes also mean, is no key of this screen.
			if (event.length >= 2 && event[1] !== '[' && event[1] !== 'O') {
				return [named('escape'), ...this.read(event.slice(1))];
			}

			// Anything else — focus in/out, cursor and mouse reports, function keys — is not
			// text, and not a key this screen uses.
			return [];
		}

		return textKeys(event);
	}
}

/** A run of text: printable characters together, each control character as its key. */
function textKeys(run: string): Key[] {
	const keys: Key[] = [];
	let text = '';
	for (let index = 0; index < run.length; index++) {
		const character = run[index]!;
		const control = controls[character];
		const code = character.codePointAt(0)!;
		if (control === undefined && code >= 0x20 && code !== 0x7F && !(code >= 0x80 && code <= 0x9F)) {
			text += character;
			continue;
		}

		if (text !== '') {
			keys.push({kind: 'text', text});
			text = '';
		}

		if (control !== undefined) {
			keys.push(named(control));
			// CRLF is one line break.
			if (character === '\r' && run[index + 1] === '\n') {
				index++;
			}
		}
	}

	if (text !== '') {
		keys.push({kind: 'text', text});
	}

	return keys;
}
