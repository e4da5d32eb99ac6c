import {messageOf, UsageError} from '../errors.js';
import {readFileSync} from 'node:fs';
import {RE2JS, RE2JSException, type Matcher} from 're2js';
import type {Endpoint} from '../events.js';
import {formatHostPort} from '../format/host-port.js';

/**
 * One `--reply 'REGEX=>TEMPLATE'` rule. The pattern is run by RE2 (the re2js port): matching
 * takes time linear in the input, so no peer can stall the server with a crafted message
 * (a backtracking engine takes minutes on `^(a+)+$` against 32 a's and a b).
 */
export type ReplyRule = {
	readonly source: string;
	readonly pattern: RE2JS;
	readonly template: string;
};

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
	try {
		return {source, pattern: RE2JS.compile(regex), template};
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
		const match = rule.pattern.matcher(message);
		if (match.find()) {
			return expandTemplate(rule.template, match, peer);
		}
	}

	return undefined;
}

/** A template with the match's groups and the peer filled in (see applyRules). */
export function expandTemplate(template: string, match: Matcher, peer: Endpoint): string {
	const groups = match.groupCount();
	return template.replaceAll(/\$(\$|&|\d)|\{peer\}/g, (token, what: string | undefined) => {
		if (token === '{peer}') {
			return formatHostPort(peer.address, peer.port);
		}

		if (what === '$') {
			return '$';
		}

		const group = what === '&' ? 0 : Number(what);
		return group <= groups ? (match.group(group) ?? '') : '';
	});
}
