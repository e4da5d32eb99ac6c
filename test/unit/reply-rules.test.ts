import {describe, expect, it} from 'vitest';
import {applyRules, parseReplyRule, ReplyRuleError} from '../../source/protocol/reply-rules.js';

const peer = {address: '127.0.0.1', port: 5000, family: 'IPv4'} as const;

describe('reply rules run in time linear in the peer\'s input', () => {
	it('answers a catastrophic pattern at once (the backtracking engine takes minutes)', () => {
		const rule = parseReplyRule('^(a+)+$=>x');
		expect(applyRules([rule], `${'a'.repeat(32)}b`, peer)).toBeUndefined();
		expect(applyRules([rule], 'a'.repeat(32), peer)).toBe('x');
	});

	it.each([
		['(a)\\1=>x', /backreference|\\1/],
		['(?=a)b=>x', /lookahead|\(\?=/],
		['(?<=a)b=>x', /lookbehind|\(\?<=/],
	])('refuses %s at start, saying why', (source, why) => {
		expect(() => parseReplyRule(source)).toThrow(ReplyRuleError);
		expect(() => parseReplyRule(source)).toThrow(why);
		expect(() => parseReplyRule(source)).toThrow(/linear/);
	});

	it('keeps the template language: $& $1 $$ {peer}', () => {
		const rule = parseReplyRule('^hi (\\w+) (\\d+)$=>$&|$1|$2|$$|{peer}');
		expect(applyRules([rule], 'hi bob 42', peer)).toBe('hi bob 42|bob|42|$|127.0.0.1:5000');
	});

	it('matches Unicode text as characters', () => {
		const rule = parseReplyRule('^J.rgen$=>yes');
		expect(applyRules([rule], 'Jürgen', peer)).toBe('yes');
		expect(applyRules([parseReplyRule('^.$=>one')], '😀', peer)).toBe('one');
	});
});
