import {describe, expect, it} from 'vitest';
import {applyRules, parseReplyRule, ReplyRuleError} from '../../source/protocol/reply-rules.js';
import {parseRewriteRule, rewrite, rewriteWork, type Rewritten} from '../../source/protocol/rewrite-rules.js';
import {parseEscapes} from '../../source/protocol/escapes.js';
import {parseHex} from '../../source/protocol/hex-input.js';

const peer = {address: '127.0.0.1', port: 5000, family: 'IPv4'} as const;

describe('reply rules run in time linear in the peer\'s input', () => {
	it('answers a catastrophic pattern at once (the backtracking engine takes minutes)', () => {
		const rule = parseReplyRule('^(a+)+$=>x');
		expect(applyRules([rule], `${'a'.repeat(32)}b`, peer)).toBeUndefined();
		expect(applyRules([rule], 'a'.repeat(32), peer)?.toString()).toBe('x');
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
		expect(applyRules([rule], 'hi bob 42', peer)?.toString()).toBe('hi bob 42|bob|42|$|127.0.0.1:5000');
	});

	it('matches Unicode text as characters', () => {
		const rule = parseReplyRule('^J.rgen$=>yes');
		expect(applyRules([rule], 'Jürgen', peer)?.toString()).toBe('yes');
		expect(applyRules([parseReplyRule('^.$=>one')], '😀', peer)?.toString()).toBe('one');
	});
});

describe('--rewrite rules', () => {
	it('take a direction, then the --reply syntax, and replace every match (sed s///g)', () => {
		const rules = [parseRewriteRule('down:(\\d+)=><$1>'), parseRewriteRule('down:^<=>[')];
		expect(rules.map(rule => rule.direction)).toEqual(['down', 'down']);
		expect(rewrite(rules, '1 and 22', peer)).toEqual({bytes: Buffer.from('[1> and <22>'), rule: 'down:(\\d+)=><$1>'});
		expect(rewrite(rules, 'none here', peer)).toBeUndefined();
		expect((rewrite([parseRewriteRule('up:x*=>-')], 'ab', peer) as Rewritten).bytes.toString()).toBe('-a-b-');
		expect((rewrite([parseRewriteRule('up:😀=>{peer}')], 'a😀b', peer) as Rewritten).bytes.toString()).toBe('a127.0.0.1:5000b');
		expect((rewrite([parseRewriteRule('down:^(.*)$=>$1\\x00\\xff')], 'a', peer) as Rewritten).bytes).toEqual(Buffer.from([0x61, 0, 0xFF]));
	});

	it('bounds what rules may build: 24 rules doubling a 65-byte line stop at the bound, not at 1 GB', () => {
		const doubling = Array.from({length: 24}, () => parseRewriteRule('up:a=>aa'));
		expect(rewrite(doubling, 'a'.repeat(65), peer, 1024 * 1024)).toEqual({overflow: true, rule: 'up:a=>aa', maxBytes: 1024 * 1024});
		expect((rewrite(doubling.slice(0, 4), 'a'.repeat(65), peer, 1024 * 1024) as Rewritten).bytes.length).toBe(65 * 16);
		// And the work: rules reading the growing output stop at the message's work budget.
		expect(rewrite(doubling, 'a'.repeat(200), peer, 1024 * 1024, rewriteWork(200))).toEqual({overflow: true, rule: 'up:a=>aa', maxBytes: 1024 * 1024, work: true});
		expect((rewrite(doubling.slice(0, 2), 'a'.repeat(200), peer, 1024 * 1024, rewriteWork(200)) as Rewritten).bytes.length).toBe(800);
		// Many matches, one constant template: 1 MB of a, each replaced, in one pass.
		expect((rewrite([parseRewriteRule('up:a=>b')], 'a'.repeat(1024 * 1024), peer, 2 * 1024 * 1024) as Rewritten).bytes.toString()).toBe('b'.repeat(1024 * 1024));
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

describe('escapes', () => {
	it('turn \\r \\n \\t \\0 \\e \\\\ \\xNN \\u{…} into their bytes, the rest as UTF-8', () => {
		expect(parseEscapes(String.raw`a\r\n\t\0\e\\b\x00\xFF\u{263a}ü`)).toEqual(Buffer.concat([Buffer.from('a\r\n\t\0\u001B\\b'), Buffer.from([0, 0xFF]), Buffer.from('☺ü')]));
		expect(parseEscapes('plain')).toEqual(Buffer.from('plain'));
	});

	it('refuse what they cannot read, saying which escape and the forms there are', () => {
		expect(() => parseEscapes(String.raw`\q`)).toThrow(/unknown escape \\q .*\\xNN/);
		expect(() => parseEscapes(String.raw`\x4`)).toThrow(/\\x takes two hex digits/);
		expect(() => parseEscapes(String.raw`\u{110000}`)).toThrow(/code point/);
		expect(() => parseEscapes(String.raw`\u{d800}`)).toThrow(/code point/);
		expect(() => parseEscapes('end\\')).toThrow(/lone \\/);
	});

	it('are read in --reply templates (not in what a peer sent), so a rule can answer HTTP', () => {
		const rule = parseReplyRule(String.raw`^GET (\S+) HTTP/1\.[01]$=>HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n`);
		expect(applyRules([rule], 'GET /x HTTP/1.1', peer)?.toString()).toBe('HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n');
		// A peer's backslashes stay backslashes.
		expect(applyRules([parseReplyRule('^(.*)$=>[$1]')], String.raw`\x41\n`, peer)?.toString()).toBe(String.raw`[\x41\n]`);
		expect(() => parseReplyRule(String.raw`^a=>\q`)).toThrow(/--reply "\^a=>\\q": unknown escape/);
	});
});
