// `npm start`: the desktop window when an Electron binary is present (fetched with Electron's
// own installer if install scripts were skipped), else browser mode on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serveBrowserMode } from './browser-mode';
import { buildElectron, ELECTRON_DIST } from './electron-build';
import { DEMO_WORKSPACE, PACKAGE_ROOT } from './paths';
import { ensureRendererBuilt } from './renderer-build';

const ELECTRON_PKG = resolve(PACKAGE_ROOT, 'node_modules/electron');
const INSTALL_TIMEOUT_MS = 120_000;

function electronBinary(): string | null {
  const pathFile = resolve(ELECTRON_PKG, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = resolve(ELECTRON_PKG, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Runs Electron's installer (skipped at `npm install` by ignore-scripts); returns why it failed. */
function installElectron(): string | null {
  const r = spawnSync(process.execPath, [resolve(ELECTRON_PKG, 'install.js')], { cwd: ELECTRON_PKG, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
  if (r.status === 0) return null;
  if (r.error) return r.error.message;
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `installer exit ${r.status}`;
}

function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function main() {
  const { values } = parseArgs({ options: { workspace: { type: 'string', short: 'w' }, browser: { type: 'boolean' } } });
  const workspace = values.workspace ?? DEMO_WORKSPACE;
  const log = (line: string) => process.stderr.write(line + '\n');
  await ensureRendererBuilt(log);

  let binary = values.browser ? null : electronBinary();
  let why = values.browser ? 'browser mode asked for' : '';
  if (!binary && !values.browser) {
    const failure = installElectron();
    binary = electronBinary();
    why = failure ? `download failed: ${failure}` : 'no binary after install';
  }
  if (binary && !hasDisplay()) {
    binary = null;
    why = 'no display (DISPLAY/WAYLAND_DISPLAY unset)';
  }
  if (!binary) {
    log(`Electron window unavailable (${why}); serving browser mode instead.`);
    await serveBrowserMode({ workspace, open: true });
    return;
  }
  await buildElectron();
  const child = spawn(binary, [resolve(ELECTRON_DIST, 'main.mjs'), '--workspace', workspace], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

await main();
