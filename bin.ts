#!/usr/bin/env node
// The executable: it turns on Node's on-disk compile cache (Node 22.1+; a no-op before), then
// loads the command line, whose code — and the screen's, loaded later — is then compiled once and
// read from the cache on every later launch (BENCHMARKS.md, "Launch").
import module from 'node:module';

(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
const {main} = await import('./cli.js');
await main(import.meta.url);
