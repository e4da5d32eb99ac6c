const CR = 0x0D;
const LF = 0x0A;

/**
 * `-C` (ncat's --crlf): every LF not already preceded by a CR is sent as CRLF, for line protocols
 * such as HTTP and SMTP. `afterCr` says whether the previous chunk ended in a CR.
 */
export function toCrlf(chunk: Buffer, afterCr: boolean): Buffer {
	const parts: Buffer[] = [];
	let start = 0;
	let changed = false;
	for (let index = chunk.indexOf(LF); index !== -1; index = chunk.indexOf(LF, index + 1)) {
		const previous = index === 0 ? (afterCr ? CR : -1) : chunk[index - 1];
		if (previous !== CR) {
			parts.push(chunk.subarray(start, index), crBytes);
			start = index;
			changed = true;
		}
	}

	if (!changed) {
		return chunk;
	}

	parts.push(chunk.subarray(start));
	return Buffer.concat(parts);
}

const crBytes = Buffer.from([CR]);
