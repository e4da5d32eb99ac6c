import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript';

/**
 * The layers, and what each may not import (README, "Layout"). From the bottom: format and
 * events (leaves); protocol (bytes to messages, pure); net (sockets); sinks (logs); state (the
 * store); engine and worker; ui (draws the store, sends requests through an actions interface);
 * commands (the CLI). Each may import only what is below it.
 */
const layers = [
	{target: './source/protocol', from: ['./source/net', './source/sinks', './source/state', './source/ui', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts']},
	{target: './source/state', from: ['./source/net', './source/sinks', './source/ui', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts']},
	{target: './source/net', from: ['./source/sinks', './source/state', './source/ui', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts']},
	{target: './source/sinks', from: ['./source/net', './source/state', './source/ui', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts']},
	{target: './source/ui', from: ['./source/net', './source/sinks', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts', './source/replay-actions.ts', './source/view-commands.ts', './source/lifecycle.ts']},
	{target: './source/wording', from: ['./source/net', './source/sinks', './source/state', './source/ui', './source/commands', './source/worker', './source/engine.ts', './source/engine-control.ts', './source/screen-actions.ts']},
	{target: './source/format', from: ['./source']},
];

export default tseslint.config(
	// The layering fixtures break the rules on purpose (test/unit/layers.test.ts lints them).
	{ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/layering/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {globals: globals.node},
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
		},
	},
	{
		files: ['source/**/*.{ts,tsx}', 'cli.tsx', 'bin.ts', 'test/fixtures/layering/*.ts'],
		plugins: {'import-x': importX},
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver({project: './tsconfig.json'})],
			// The imported files are TypeScript too: without this, no-cycle cannot read them.
			'import-x/parsers': {'@typescript-eslint/parser': ['.ts', '.tsx']},
			'import-x/extensions': ['.ts', '.tsx', '.js'],
		},
		rules: {
			'import-x/no-cycle': 'error',
			'import-x/no-restricted-paths': ['error', {zones: layers.map(zone => ({...zone, message: 'this layer may not import that one (eslint.config.js, layers)'}))}],
		},
	},
);
