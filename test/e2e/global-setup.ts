// Starts browser mode on the demo workspace (`dpx serve --no-open --json`) for the e2e tests and
// hands its tokenized URL to them through the environment.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(import.meta.dirname, '../../bin/dpx.js');
  // Its own app data (snapshot cache, exports, captures): the tests never touch the user's.
  const data = await mkdtemp(join(tmpdir(), 'dpx-e2e-data-'));
  const server = spawn(process.execPath, [bin, 'serve', '--no-open', '--json'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DPX_DATA_DIR: data } });
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('dpx serve did not print its URL within 120 s')), 120_000);
    server.once('exit', (code) => fail(new Error(`dpx serve exited with ${code}`)));
    createInterface({ input: server.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      ok((JSON.parse(line) as { url: string }).url);
    });
  });
  process.env.DPX_URL = url;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(data, { recursive: true, force: true });
  };
}
