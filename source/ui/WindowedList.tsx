import {Box, Text} from 'ink';
import React from 'react';

export type ListRow = {
	readonly text: string;
	readonly color?: string;
	readonly dim?: boolean;
	readonly inverse?: boolean;
	readonly bold?: boolean;
};

type Props = {
	/** How many rows the list has in all. */
	readonly count: number;
	/** Rows shown at once. */
	readonly height: number;
	/** Index of the first row shown. */
	readonly offset: number;
	/** Builds one row; called only for the rows on screen. */
	readonly row: (index: number) => ListRow;
};

/**
 * Renders only the visible slice of a long list, one truncated line per row, so ten thousand
 * rows cost what a screenful does. Empty lines fill the rest to keep the height fixed.
 */
export function WindowedList({count, height, offset, row}: Props) {
	const lines: React.ReactNode[] = [];
	for (let line = 0; line < height; line++) {
		const index = offset + line;
		if (index >= count) {
			lines.push(<Text key={line}> </Text>);
			continue;
		}

		const {text, color, dim, inverse, bold} = row(index);
		// Trailing blanks show nothing unless inverse (a bar across the pane), yet Ink styles and
		// measures every character of every frame: drop them.
		lines.push(
			<Text key={line} wrap="truncate" color={color} dimColor={dim} inverse={inverse} bold={bold}>
				{inverse ? text : text.trimEnd() || ' '}
			</Text>,
		);
	}

	return <Box flexDirection="column">{lines}</Box>;
}
