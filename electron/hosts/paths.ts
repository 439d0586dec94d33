// Where the project's own files are, whether run from a clone (tsx) or bundled into the app.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The package root (the folder holding package.json). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The embedded demo workspace: what every host opens when no workspace is given. */
export const DEMO_WORKSPACE = resolve(PACKAGE_ROOT, 'examples/demo');
/** The built renderer bundle (vite build). */
export const RENDERER_DIST = resolve(PACKAGE_ROOT, 'dist/renderer');
