import {messageOf, UsageError} from '../errors.js';
import {readFileSync} from 'node:fs';
import {RE2JS, RE2JSException, type Matcher} from 're2js';
import type {Endpoint} from '../events.js';
import {formatHostPort} from '../format/host-port.js';
import {readEscape} from './escapes.js';

/**
 * One `--reply 'REGEX=>TEMPLATE'` rule. The pattern is run by RE2 (the re2js port): matching
 * takes time linear in the input, so no peer can stall the server with a crafted message
 * (a backtracking engine takes minutes on `^(a+)+$` against 32 a's and a b).
 */
export type ReplyRule = {
	readonly source: string;
	readonly pattern: RE2JS;
	readonly template: string;
	/** The template, read once: literal bytes (escapes done) and what each match fills in. */
	readonly parts: readonly TemplatePart[];
};

/** A piece of a template: bytes as written, a group of the match (0: all of it), the peer. */
export type TemplatePart = Buffer | number | 'peer';

/** What RE2 refused, named the way a person would look it up (asked only after RE2 refused). */
function unsupportedFeature(regex: string): string | undefined {
	if (/\\[1-9]|\\k[<'{]|\\g[\d{<'-]|\(\?P=/.test(regex)) {
		return 'a backreference';
	}

	if (/\(\?[=!]/.test(regex)) {
		return 'a lookahead';
	}

	if (/\(\?<[=!]/.test(regex)) {
		return 'a lookbehind';
	}

	return undefined;
}

/** A rule that cannot be used; the CLI prints it and exits 2. */
export class ReplyRuleError extends UsageError {
	override name = 'ReplyRuleError';
}

const separator = '=>';

/**
 * Parses `REGEX=>TEMPLATE` (the first `=>` splits; a regex may not contain one). `flag` names
 * the option in error messages (--reply, --rewrite).
 */
export function parseReplyRule(source: string, flag = '--reply', example = "'^ping$=>pong'"): ReplyRule {
	const at = source.indexOf(separator);
	if (at === -1) {
		throw new ReplyRuleError(`${flag} needs REGEX=>TEMPLATE (e.g. ${example}), got "${source}"`);
	}

	const regex = source.slice(0, at);
	const template = source.slice(at + separator.length);
	let parts: TemplatePart[];
	try {
		parts = parseTemplate(template);
	} catch (error) {
		throw new ReplyRuleError(`${flag} "${source}": ${messageOf(error)}`);
	}

	try {
		return {source, pattern: RE2JS.compile(regex), template, parts};
	} catch (error) {
		const feature = unsupportedFeature(regex);
		if (feature !== undefined) {
			throw new ReplyRuleError(`${flag} "${source}": the pattern uses ${feature}, which cannot run in linear time; rules are matched by RE2 so that no peer's input can stall the server`);
		}

		const why = error instanceof RE2JSException ? error.message.replace(/^error parsing regexp: /, '') : String(error);
		throw new ReplyRuleError(`${flag} "${source}": bad regular expression for RE2 (linear-time matching; no backreferences or lookaround): ${why}`);
	}
}

/** Rules from a file: one per line; blank lines and lines starting with # are skipped. */
export function readReplyFile(file: string): ReplyRule[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new ReplyRuleError(`cannot read --reply-file ${file}: ${messageOf(error)}`);
	}

	const rules: ReplyRule[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {
			continue;
		}

		try {
			rules.push(parseReplyRule(line));
		} catch (error) {
			throw new ReplyRuleError(`${file}:${index + 1}: ${(error as Error).message}`);
		}
	}

	return rules;
}

/**
 * A template's pieces: `$&` the whole match, `$1`…`$9` groups, `$$` a dollar, `{peer}` the
 * sender, escapes (`\r\n`, `\xNN`…, escapes.ts) as the bytes they stand for, the rest as UTF-8.
 * Escapes are read here, in the template only: a peer's text filled in is never read as escapes.
 */
function parseTemplate(template: string): TemplatePart[] {
	const parts: TemplatePart[] = [];
	let literal: Buffer[] = [];
	let text = '';
	const flushText = (): void => {
		if (text !== '') {
			literal.push(Buffer.from(text, 'utf8'));
			text = '';
		}
	};

	const flush = (): void => {
		flushText();
		if (literal.length > 0) {
			parts.push(Buffer.concat(literal));
			literal = [];
		}
	};

	for (let index = 0; index < template.length;) {
		const character = template[index]!;
		const next = template[index + 1];
		if (character === '\\') {
			flushText();
			const {bytes, end} = readEscape(template, index);
			literal.push(bytes);
			index = end;
		} else if (character === '$' && next === '$') {
			text += '$';
			index += 2;
		} else if (character === '$' && next !== undefined && (next === '&' || (next >= '0' && next <= '9'))) {
			flush();
			parts.push(next === '&' ? 0 : Number(next));
			index += 2;
		} else if (template.startsWith('{peer}', index)) {
			flush();
			parts.push('peer');
			index += 6;
		} else {
			text += character;
			index++;
		}
	}

	flush();
	return parts;
}

/** The answer of the first matching rule, as bytes, or undefined when none matches. */
export function applyRules(rules: readonly ReplyRule[], message: string, peer: Endpoint): Buffer | undefined {
	for (const rule of rules) {
		const match = rule.pattern.matcher(message);
		if (match.find()) {
			return expandTemplate(rule.parts, match, peer);
		}
	}

	return undefined;
}

/** A template with the match's groups and the peer filled in (see parseTemplate). */
export function expandTemplate(parts: readonly TemplatePart[], match: Matcher, peer: Endpoint): Buffer {
	const groups = match.groupCount();
	return Buffer.concat(parts.map(part => {
		if (typeof part === 'number') {
			return Buffer.from(part <= groups ? (match.group(part) ?? '') : '', 'utf8');
		}

		return part === 'peer' ? Buffer.from(formatHostPort(peer.address, peer.port), 'utf8') : part;
	}));
}
