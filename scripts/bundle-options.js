// esbuild settings shared by the build (scripts/build.js) and the bench's frame-time probe.
export const bundleOptions = {
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	// React ships a development and a production build behind this check; only the latter is kept.
	// `fetch`: yoga's wasm loader tests `typeof fetch` (it then loads its inlined binary without
	// it), and touching Node's global fetch loads undici, ~15 ms of every launch; nothing here fetches.
	define: {'process.env.NODE_ENV': '"production"', fetch: 'undefined'},
	// Ink loads react-devtools-core only when DEV=true; it is an optional peer we do not ship.
	external: ['react-devtools-core'],
	// Some bundled CommonJS packages call require() for Node built-ins.
	banner: {js: 'import {createRequire as __socketTuiRequire} from \'node:module\'; const require = __socketTuiRequire(import.meta.url);'},
	logLevel: 'warning',
};
