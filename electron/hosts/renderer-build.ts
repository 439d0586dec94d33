// The hosts serve a built renderer. In a clone, build it on first start and whenever the UI
// sources are newer than the build, so `npm start` right after `npm install` just works.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { buildIfStale, isStale } from '../../bin/staleness.mjs';
import { PACKAGE_ROOT, RENDERER_DIST } from './paths';

const SOURCES = ['renderer', 'shared', 'vite.config.ts'].map((p) => resolve(PACKAGE_ROOT, p));

export function rendererIsStale(): Promise<boolean> {
  return isStale(join(RENDERER_DIST, 'index.html'), SOURCES);
}

export async function ensureRendererBuilt(log: (line: string) => void): Promise<void> {
  // The lock sits beside the output folder, which the build empties.
  await buildIfStale(join(RENDERER_DIST, 'index.html'), SOURCES, join(dirname(RENDERER_DIST), 'renderer.build-lock'), async () => {
    log('Building the UI (first start or changed sources)…');
    const vite = resolve(PACKAGE_ROOT, 'node_modules/vite/bin/vite.js');
    await new Promise<void>((ok, fail) => {
      const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`UI build failed (vite exit ${code}); run \`npx vite build\` to see why`))));
    });
  });
}
