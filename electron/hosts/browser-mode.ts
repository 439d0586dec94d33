// Browser mode: the services on 127.0.0.1 with a per-launch token, and the UI in Chromium's
// --app window when there is one (else the printed URL is all a person needs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServices } from '../services/services';
import { startBrowserServer } from '../transport/http-ws';
import { RENDERER_DIST } from './paths';
import { ensureRendererBuilt } from './renderer-build';

export interface BrowserModeOptions {
  workspace: string;
  port?: number;
  open: boolean;
  json?: boolean;
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(): string | null {
  const fromEnv = process.env.DPX_BROWSER;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export async function serveBrowserMode(opts: BrowserModeOptions): Promise<void> {
  const log = (line: string) => process.stderr.write(line + '\n');
  await ensureRendererBuilt(log);
  const services = await openServices({ workspace: opts.workspace });
  const server = await startBrowserServer({ handlers: services.handlers, staticDir: RENDERER_DIST, port: opts.port, log });
  if (opts.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
  else process.stdout.write(`Data Product Explorer (browser mode): ${server.url}\n`);

  let browser: ReturnType<typeof spawn> | null = null;
  let profile: string | null = null;
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const chromium = opts.open && !headless ? findChromium() : null;
  if (opts.open && headless) log('No display here; open the URL above in a browser.');
  else if (opts.open && !chromium) log('No Chromium found; open the URL above in a browser.');
  if (chromium) {
    profile = await mkdtemp(join(tmpdir(), 'dpx-browser-'));
    // A fresh profile and no background networking: the window talks to 127.0.0.1 only.
    const flags = ['--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', `--user-data-dir=${profile}`, `--app=${server.url}`];
    if (process.getuid?.() === 0) flags.push('--no-sandbox'); // Chromium refuses to run as root otherwise
    browser = spawn(chromium, flags, { stdio: 'ignore' });
    const opened = Date.now();
    browser.on('error', (e) => log(`Could not open Chromium (${e.message}); open the URL above.`));
    browser.on('exit', (code) => {
      // Closing the app window ends browser mode, like closing a desktop app; a Chromium that
      // could not start at all leaves the server running for the printed URL.
      if (code !== 0 && Date.now() - opened < 5000) log(`Chromium stopped at once (exit ${code}); open the URL above in a browser.`);
      else void shutdown();
    });
  }

  let stopping = false;
  async function shutdown() {
    if (stopping) return;
    stopping = true;
    browser?.kill();
    await server.close();
    await services.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    process.exit(0);
  }
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
