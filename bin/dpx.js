#!/usr/bin/env node
// `dpx`: runs the CLI from one bundled file, which starts in a fraction of the time the
// TypeScript sources would take. In a clone the bundle is (re)built from the sources when they
// are newer, so `npx dpx` works right after `npm install` and always runs the current code.
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './staleness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/dpx.mjs`;

await buildIfStale(bundle, [`${root}electron`, `${root}shared`, `${root}examples/generator`, `${root}package.json`], `${root}dist/cli.build-lock`, async () => {
  const { build } = await import('esbuild');
  await build({
    // The tail's worker threads start from their own entry (see startWorker in parallel/pool.ts).
    entryPoints: { dpx: `${root}electron/hosts/cli.ts`, 'tail-worker': `${root}electron/services/streams/parallel/worker.ts` },
    outdir: `${root}dist/cli`,
    // Split at dynamic imports, so what loads DuckDB or the S3 SDK is only read when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native and large optional packages stay in node_modules; the rest is one file.
    external: ['@duckdb/*', 'kafkajs', '@aws-sdk/*', 'esbuild', 'vite', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __dpxRequire } from 'node:module'; const require = __dpxRequire(import.meta.url);" },
    logLevel: 'error',
  });
});
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
