#!/usr/bin/env node
import process from 'node:process';
import meow from 'meow';
import {helpText} from './source/commands/help.js';
import {run} from './source/commands/run.js';

// React's production build: the development one is slower to load and to render. React is
// imported later (only for the screen), so this is seen in time.
process.env['NODE_ENV'] ??= 'production';

const cli = meow(helpText, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags: {
		// Numbers arrive as strings so a bad value gets a precise message (config.ts).
		host: {type: 'string'},
		port: {type: 'string'},
		udpPort: {type: 'string'},
		udp: {type: 'boolean', default: true},
		framing: {type: 'string'},
		eol: {type: 'string'},
		maxClients: {type: 'string'},
		maxLine: {type: 'string'},
		maxBuffer: {type: 'string'},
		json: {type: 'boolean', default: false},
		log: {type: 'string'},
		timeout: {type: 'string'},
		wait: {type: 'string'},
		idleTimeout: {type: 'string'},
		allow: {type: 'string', isMultiple: true},
		greeting: {type: 'boolean', default: true},
		relay: {type: 'boolean', default: false},
		reply: {type: 'string', isMultiple: true},
		replyFile: {type: 'string'},
		sendFile: {type: 'string'},
		interval: {type: 'string'},
		once: {type: 'boolean', default: false},
		history: {type: 'boolean', default: true},
		output: {type: 'string', shortFlag: 'o'},
		raw: {type: 'boolean', default: false},
		location: {type: 'boolean', shortFlag: 'L', default: false},
		maxRedirects: {type: 'string'},
		insecure: {type: 'boolean', default: false},
		header: {type: 'string', shortFlag: 'H', isMultiple: true},
	},
});

process.exitCode = await run(cli.input, cli.flags, {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
