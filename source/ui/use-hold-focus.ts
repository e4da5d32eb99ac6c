import {useFocusManager, useInput} from 'ink';

/**
 * Keeps the focus on a pane when Esc is pressed. Ink drops the focus on Esc, but here Esc means
 * "back" (close the help, leave a transcript); losing the focus would leave no pane taking keys.
 * Ink clears the focus before it hands the key to hooks, so focusing again wins.
 */
export function useHoldFocus(id: string, isFocused: boolean): void {
	const {focus} = useFocusManager();
	useInput((_input, key) => {
		if (key.escape) {
			focus(id);
		}
	}, {isActive: isFocused});
}
