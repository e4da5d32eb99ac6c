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
 * A rewrite abandoned: its output would pass `maxBytes`, or the rules would have read more than
 * the message's work budget (`work`); `rule` is the one at which it stopped.
 */
export type RewriteOverflow = {readonly overflow: true; readonly rule: string; readonly maxBytes: number; readonly work?: true};

/**
 * What the rules may read for one message, in characters, across all of them: four times the
 * message and 64 K more. Every rule reads the previous one's output, so rules that grow it
 * (a=>aa, 25 times) would read megabytes per message, each megabyte a third of a second of the
 * relay's thread that every other connection waits on.
 */
export function rewriteWork(messageLength: number): number {
	return (4 * messageLength) + (64 * 1024);
}

/**
 * The message with every match of each rule (in order, each on the previous one's output)
 * replaced by its expanded template, like sed's `s/REGEX/TEMPLATE/g`; undefined when no rule
 * matched. To change a whole line, anchor the pattern (`^…$`). The output is bounded: rules that
 * would make it larger than `maxBytes` (24 rules of `a=>aa` double a line 24 times), or read more
 * than `maxWork` characters in all (rewriteWork), give a RewriteOverflow instead, found as soon as
 * the bound is passed (nothing larger is built).
 */
export function rewrite(rules: readonly RewriteRule[], message: string, peer: Endpoint, maxBytes = Number.POSITIVE_INFINITY, maxWork = Number.POSITIVE_INFINITY): Rewritten | RewriteOverflow | undefined {
	let text = message;
	let bytes: Buffer | undefined;
	let first: string | undefined;
	let read = 0;
	for (const rule of rules) {
		read += text.length;
		if (read > maxWork) {
			return {overflow: true, rule: rule.source, maxBytes, work: true};
		}

		const matcher = rule.pattern.matcher(text);
		// A template with no group and no {peer} expands to the same bytes at every match.
		const constant = rule.parts.every(part => Buffer.isBuffer(part)) ? Buffer.concat(rule.parts as Buffer[]) : undefined;
		const out: Buffer[] = [];
		let size = 0;
		let from = 0;
		let matched = false;
		while (matcher.find()) {
			matched = true;
			const start = matcher.start();
			if (start > from) {
				const between = Buffer.from(text.slice(from, start), 'utf8');
				out.push(between);
				size += between.length;
			}

			const expanded = constant ?? expandTemplate(rule.parts, matcher, peer);
			out.push(expanded);
			size += expanded.length;
			if (size > maxBytes) {
				return {overflow: true, rule: rule.source, maxBytes};
			}

			from = matcher.end();
		}

		if (matched) {
			out.push(Buffer.from(text.slice(from), 'utf8'));
			bytes = Buffer.concat(out);
			if (bytes.length > maxBytes) {
				return {overflow: true, rule: rule.source, maxBytes};
			}

			// The next rule reads the result as text (bytes an escape made that are not UTF-8 read as U+FFFD).
			text = bytes.toString('utf8');
			first ??= rule.source;
		}
	}

	return first === undefined || bytes === undefined ? undefined : {bytes, rule: first};
}
