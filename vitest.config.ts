import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/setup.ts'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		// Network tests share two cores; a few files at a time keeps them honest.
		maxWorkers: 2,
	},
});
