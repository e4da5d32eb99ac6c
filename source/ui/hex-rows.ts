/**
 * Bytes as `hexdump -C` rows: offset · hex · ASCII (`0010  48 65 6c 6c 6f 0d 0a  |Hello..|`),
 * every byte shown, CR and LF included; printable ASCII in the right column, the rest as `.`.
 */
export function hexRows(bytes: Uint8Array, perRow: number, startOffset = 0): string[] {
	const rows: string[] = [];
	for (let offset = 0; offset < bytes.length || (offset === 0 && rows.length === 0); offset += perRow) {
		const slice = bytes.subarray(offset, offset + perRow);
		let hex = '';
		let ascii = '';
		for (let index = 0; index < perRow; index++) {
			const byte = slice[index];
			// An extra space in the middle of a 16-byte row, as hexdump -C does.
			const gap = index === 8 && perRow === 16 ? '  ' : ' ';
			hex += index === 0 ? '' : gap;
			hex += byte === undefined ? '  ' : byte.toString(16).padStart(2, '0');
			if (byte !== undefined) {
				ascii += byte >= 0x20 && byte < 0x7F ? String.fromCharCode(byte) : '.';
			}
		}

		rows.push(`${(startOffset + offset).toString(16).padStart(4, '0')}  ${hex}  |${ascii}|`);
		if (bytes.length === 0) {
			break;
		}
	}

	return rows;
}

/** The width of one hex row of `perRow` bytes. */
export function hexRowWidth(perRow: number): number {
	return 4 + 2 + (perRow * 3) - 1 + (perRow === 16 ? 1 : 0) + 2 + perRow + 2;
}

/** The most bytes per row (16, 8, 4 or 2) that fit in `width` columns. */
export function bytesPerRow(width: number): number {
	return [16, 8, 4].find(perRow => hexRowWidth(perRow) <= width) ?? 2;
}
