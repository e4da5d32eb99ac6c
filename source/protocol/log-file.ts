import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {messageOf, UsageError} from '../errors.js';

/** What a log file is read by (bytes): the reader holds this and the line it is in, never the file. */
const chunkBytes = 1024 * 1024;

/**
 * A log file's text, as pieces of at most 1 MB decoded as UTF-8 (a character cut between two
 * pieces is kept whole), for the log readers (log-lines.ts), which split lines across pieces:
 * a log of any size is read with the memory of its longest line, not of the file.
 *
 * The file is opened now, so that a missing file, a directory or a denied read fail here with a
 * UsageError (`cannot read NAME: …`, NAME as the user named it, e.g. `--mock run.ndjson`); a
 * read that fails later throws the same. The file is closed when the pieces are all read or
 * the reader stops early.
 */
export function logFileText(path: string, name = path): Iterable<string> {
	let fd: number;
	try {
		fd = openSync(path, 'r');
		if (fstatSync(fd).isDirectory()) {
			closeSync(fd);
			throw Object.assign(new Error('EISDIR: illegal operation on a directory'), {code: 'EISDIR'});
		}
	} catch (error) {
		throw new UsageError(`cannot read ${name}: ${messageOf(error)}`);
	}

	return pieces(fd, name);
}

function * pieces(fd: number, name: string): Generator<string> {
	const buffer = Buffer.allocUnsafe(chunkBytes);
	const decoder = new StringDecoder('utf8');
	try {
		for (;;) {
			let read: number;
			try {
				read = readSync(fd, buffer, 0, chunkBytes, null);
			} catch (error) {
				throw new UsageError(`cannot read ${name}: ${messageOf(error)}`);
			}

			if (read === 0) {
				break;
			}

			yield decoder.write(buffer.subarray(0, read));
		}

		const rest = decoder.end();
		if (rest !== '') {
			yield rest;
		}
	} finally {
		closeSync(fd);
	}
}
