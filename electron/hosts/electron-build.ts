// Bundles the Electron entry points. The main process keeps its npm dependencies external (they
// ship in node_modules); the sandboxed preload cannot load modules, so it is one self-contained file.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from './paths';

export const ELECTRON_DIST = resolve(PACKAGE_ROOT, 'dist/electron');

export async function buildElectron(): Promise<void> {
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'error' } as const;
  await Promise.all([
    build({ ...common, entryPoints: [resolve(PACKAGE_ROOT, 'electron/main.ts')], outfile: resolve(ELECTRON_DIST, 'main.mjs'), format: 'esm', packages: 'external' }),
    build({ ...common, entryPoints: [resolve(PACKAGE_ROOT, 'electron/preload.ts')], outfile: resolve(ELECTRON_DIST, 'preload.cjs'), format: 'cjs', external: ['electron'] }),
  ]);
}
