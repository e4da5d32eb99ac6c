// Builds dist/: cli.tsx and everything it imports, bundled by esbuild into a few ESM files.
//
// Why a bundle and not tsc's one-file-per-module output: Node 20's ESM loader resolves, reads and
// compiles each module separately, and Ink with its dependencies is a few hundred of them. Bundled,
// the screen's first frame comes ~2× sooner (BENCHMARKS.md, "Launch"). Code splitting keeps the
// screen (Ink, React, yoga) in a chunk that headless commands never load.
//
// tsc still checks the types (`npm run typecheck`); esbuild only strips them.
import {chmodSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {bundleOptions} from './bundle-options.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, {recursive: true, force: true});

const result = await build({
	...bundleOptions,
	absWorkingDir: root,
	// The screen's engine thread is an entry of its own (dist/engine-worker.js, beside cli.js);
	// the code both use is shared in chunks.
	entryPoints: {cli: 'bin.ts', 'engine-worker': 'source/worker/engine-worker.ts'},
	outdir: 'dist',
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	legalComments: 'none',
	metafile: true,
});

chmodSync(join(dist, 'cli.js'), 0o755);
writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile));

/** The licence text of every package whose code went into the bundle (their MIT/ISC terms ask for it). */
function thirdPartyLicenses(metafile) {
	const packages = new Set();
	for (const input of Object.keys(metafile.inputs)) {
		const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(sep).join('/'));
		if (match) {
			packages.add(match[1]);
		}
	}

	const sections = [...packages].sort().map(directory => {
		const manifest = JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8'));
		return `${manifest.name}@${manifest.version} (${manifest.license ?? 'see package'})\n\n${licenseText(join(root, directory))}`;
	});
	return `socket-tui bundles the following packages.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

function licenseText(directory) {
	const file = readdirSync(directory).find(name => /^licen[cs]e/i.test(name));
	return file ? readFileSync(join(directory, file), 'utf8').trim() : '(the package ships no licence file; see its package.json)';
}
