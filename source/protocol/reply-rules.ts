import {readFileSync} from 'node:fs';
import type {Endpoint} from '../events.js';
import {formatHostPort} from '../net/address.js';

/** One `--reply 'REGEX=>TEMPLATE'` rule. */
export type ReplyRule = {
	readonly source: string;
	readonly pattern: RegExp;
	readonly template: string;
};

/** A rule that cannot be used; the CLI prints it and exits 2. */
export class ReplyRuleError extends Error {
	override name = 'ReplyRuleError';
}

const separator = '=>';

/** Parses `REGEX=>TEMPLATE` (the first `=>` splits; a regex may not contain one). */
export function parseReplyRule(source: string): ReplyRule {
	const at = source.indexOf(separator);
	if (at === -1) {
		throw new ReplyRuleError(`--reply needs REGEX=>TEMPLATE (e.g. '^ping$=>pong'), got "${source}"`);
	}

	const regex = source.slice(0, at);
	const template = source.slice(at + separator.length);
	try {
		return {source, pattern: new RegExp(regex, 'u'), template};
	} catch (error) {
		throw new ReplyRuleError(`--reply "${source}": bad regular expression: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Rules from a file: one per line; blank lines and lines starting with # are skipped. */
export function readReplyFile(file: string): ReplyRule[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new ReplyRuleError(`cannot read --reply-file ${file}: ${error instanceof Error ? error.message : String(error)}`);
	}

	return text
		.split(/\r?\n/)
		.map(line => line.trim())
		.filter(line => line !== '' && !line.startsWith('#'))
		.map(line => {
			try {
				return parseReplyRule(line);
			} catch (error) {
				throw new ReplyRuleError(`${file}: ${(error as Error).message}`);
			}
		});
}

/**
 * The answer of the first matching rule, or undefined when none matches.
 * Templates: `$&` the whole match, `$1`…`$9` groups, `$$` a dollar, `{peer}` the sender.
 */
export function applyRules(rules: readonly ReplyRule[], message: string, peer: Endpoint): string | undefined {
	for (const rule of rules) {
		const match = rule.pattern.exec(message);
		if (match) {
			return rule.template.replaceAll(/\$(\$|&|\d)|\{peer\}/g, (token, what: string | undefined) => {
				if (token === '{peer}') {
					return formatHostPort(peer.address, peer.port);
				}

				if (what === '$') {
					return '$';
				}

				return what === '&' ? match[0] : (match[Number(what)] ?? '');
			});
		}
	}

	return undefined;
}
