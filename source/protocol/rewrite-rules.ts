import type {Endpoint} from '../events.js';
import type {RelayDirection} from '../relay-steer.js';
import {expandTemplate, parseReplyRule, ReplyRuleError, type ReplyRule} from './reply-rules.js';

/**
 * One `relay --rewrite 'up:REGEX=>TEMPLATE'` (or `down:`) rule: the --reply syntax (RE2, `$&`,
 * `$1`…`$9`, `$$`, `{peer}`), applied to the messages of one direction as they pass.
 */
export type RewriteRule = ReplyRule & {readonly direction: RelayDirection};

/** Parses `up:REGEX=>TEMPLATE` or `down:REGEX=>TEMPLATE`; a UsageError (exit 2) otherwise. */
export function parseRewriteRule(source: string): RewriteRule {
	const match = /^(up|down):/.exec(source);
	if (!match) {
		throw new ReplyRuleError(`--rewrite needs up:REGEX=>TEMPLATE (client → upstream) or down:REGEX=>TEMPLATE (upstream → client), got "${source}"`);
	}

	const rule = parseReplyRule(source.slice(match[0].length), '--rewrite', "'up:^GET /old=>GET /new'");
	return {...rule, source, direction: match[1] as RelayDirection};
}

/** What one rewrite did: the new bytes, and the first rule that changed them. */
export type Rewritten = {readonly bytes: Buffer; readonly rule: string};

/**
 * The message with every match of each rule (in order, each on the previous one's output)
 * replaced by its expanded template, like sed's `s/REGEX/TEMPLATE/g`; undefined when no rule
 * matched. To change a whole line, anchor the pattern (`^…$`).
 */
export function rewrite(rules: readonly RewriteRule[], message: string, peer: Endpoint): Rewritten | undefined {
	let text = message;
	let bytes: Buffer | undefined;
	let first: string | undefined;
	for (const rule of rules) {
		const matcher = rule.pattern.matcher(text);
		const out: Buffer[] = [];
		let from = 0;
		let matched = false;
		while (matcher.find()) {
			matched = true;
			out.push(Buffer.from(text.slice(from, matcher.start()), 'utf8'), expandTemplate(rule.parts, matcher, peer));
			from = matcher.end();
		}

		if (matched) {
			out.push(Buffer.from(text.slice(from), 'utf8'));
			bytes = Buffer.concat(out);
			// The next rule reads the result as text (bytes an escape made that are not UTF-8 read as U+FFFD).
			text = bytes.toString('utf8');
			first ??= rule.source;
		}
	}

	return first === undefined || bytes === undefined ? undefined : {bytes, rule: first};
}
