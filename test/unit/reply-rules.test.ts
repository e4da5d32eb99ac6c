import {describe, expect, it} from 'vitest';
import {applyRules, parseReplyRule, ReplyRuleError} from '../../source/protocol/reply-rules.js';
import {parseRewriteRule, rewrite} from '../../source/protocol/rewrite-rules.js';
import {parseHex} from '../../source/protocol/hex-input.js';

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

describe('--rewrite rules', () => {
	it('take a direction, then the --reply syntax, and replace every match (sed s///g)', () => {
		const rules = [parseRewriteRule('down:(\\d+)=><$1>'), parseRewriteRule('down:^<=>[')];
		expect(rules.map(rule => rule.direction)).toEqual(['down', 'down']);
		expect(rewrite(rules, '1 and 22', peer)).toEqual({text: '[1> and <22>', rule: 'down:(\\d+)=><$1>'});
		expect(rewrite(rules, 'none here', peer)).toBeUndefined();
		expect(rewrite([parseRewriteRule('up:x*=>-')], 'ab', peer)?.text).toBe('-a-b-');
		expect(rewrite([parseRewriteRule('up:😀=>{peer}')], 'a😀b', peer)?.text).toBe('a127.0.0.1:5000b');
	});

	it('refuse a rule without up:/down:, or with a bad pattern, naming --rewrite', () => {
		expect(() => parseRewriteRule('^a=>b')).toThrow(/--rewrite needs up:REGEX=>TEMPLATE/);
		expect(() => parseRewriteRule('up:^a')).toThrow(/--rewrite needs REGEX=>TEMPLATE/);
		expect(() => parseRewriteRule('up:(a)\\1=>b')).toThrow(/--rewrite .*backreference/);
	});
});

describe('hex input', () => {
	it('takes pairs of digits with spaces, colons, commas or 0x, and refuses the rest', () => {
		expect(parseHex('00 01 ff')).toEqual(Buffer.from([0, 1, 255]));
		expect(parseHex('0x0a,0x0D:Ab')).toEqual(Buffer.from([10, 13, 0xAB]));
		expect(parseHex('')).toEqual(Buffer.alloc(0));
		expect(() => parseHex('0g')).toThrow(/not hex/);
		expect(() => parseHex('abc')).toThrow(/whole bytes/);
	});
});
