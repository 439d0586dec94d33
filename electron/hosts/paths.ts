// Where the project's own files are, whether run from a clone (tsx) or bundled into the app.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/**
 * The package root: the nearest folder above this module that holds package.json. This module
 * may be in the sources (electron/hosts), a bundle (dist/cli) or one of its chunks (dist/cli/chunks).
 */
function packageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(here, '../..');
  }
}

export const PACKAGE_ROOT = packageRoot();
/** The embedded demo workspace: what every host opens when no workspace is given. */
export const DEMO_WORKSPACE = resolve(PACKAGE_ROOT, 'examples/demo');
/** The built renderer bundle (vite build). */
export const RENDERER_DIST = resolve(PACKAGE_ROOT, 'dist/renderer');
