/** The first row to show so that `selected` is visible, keeping `offset` when possible. */
export function scrollTo(selected: number, offset: number, height: number): number {
	if (selected < offset) {
		return selected;
	}

	if (selected >= offset + height) {
		return selected - height + 1;
	}

	return offset;
}
