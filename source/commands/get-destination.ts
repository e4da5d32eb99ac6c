import {chmodSync, linkSync, lstatSync, renameSync, rmSync, type Stats} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {UsageError} from '../errors.js';

/**
 * Where `get` writes a body, and how, so that it never destroys what the user did not name:
 * - `-o NAME` naming a regular file, or nothing yet: written to a temporary file beside it and
 *   renamed over it once whole (an overwrite asked for; a failed download leaves the old one);
 * - `-o NAME` naming anything else (a device such as /dev/null, a FIFO, a symbolic link):
 *   written into it, as `curl -o` and shells do; never replaced by a file of ours;
 * - a name from the URL: never an existing file's. `notes.txt` exists: `notes.txt.1`, then `.2`…
 *   (wget's rule), claimed atomically once the body is whole (a hard link fails if the name is taken).
 */
export type Destination =
	| {readonly kind: 'replace' | 'new'; readonly file: string; readonly temporary: string; readonly mode?: number}
	| {readonly kind: 'into'; readonly file: string};

/** Chooses how to write to `file`; throws a UsageError for a folder (nothing could be written). */
export function destinationFor(file: string, chosen: boolean): Destination {
	let stats: Stats | undefined;
	try {
		stats = lstatSync(file);
	} catch {
		// Nothing there yet.
	}

	const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.part`);
	if (!chosen) {
		// Anything of that name, a folder too, is left alone: NAME.1 is found at commit.
		return {kind: 'new', file, temporary};
	}

	if (stats?.isDirectory()) {
		throw new UsageError(`-o ${file} is a folder: name a file`);
	}

	// An overwrite keeps the file's permissions (the body comes in a new file renamed over it).
	return stats === undefined || stats.isFile() ? {kind: 'replace', file, temporary, ...(stats ? {mode: stats.mode & 0o7777} : {})} : {kind: 'into', file};
}

/** The file the body is written to while it comes. */
export function writtenFile(destination: Destination): string {
	return destination.kind === 'into' ? destination.file : destination.temporary;
}

/** Removes what a failed transfer left (never the user's file). */
export function discard(destination: Destination): void {
	if (destination.kind !== 'into') {
		rmSync(destination.temporary, {force: true});
	}
}

/** Puts the whole body in place; returns the name it now has. */
export function commit(destination: Destination): string {
	switch (destination.kind) {
		case 'into': {
			return destination.file;
		}

		case 'replace': {
			if (destination.mode !== undefined) {
				chmodSync(destination.temporary, destination.mode);
			}

			renameSync(destination.temporary, destination.file);
			return destination.file;
		}

		case 'new': {
			for (let suffix = 0; ; suffix++) {
				const name = suffix === 0 ? destination.file : `${destination.file}.${suffix}`;
				try {
					linkSync(destination.temporary, name);
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
						continue;
					}

					throw error;
				}

				rmSync(destination.temporary, {force: true});
				return name;
			}
		}
	}
}
