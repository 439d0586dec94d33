// `npm run bench:startup`: cold start to the catalog on screen. Starts browser mode on the demo
// workspace as `npm start` does (UI already built), opens it in Chromium and waits for the first
// product card; prints backend ready, page ready and total, medians over several runs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { DPX, fmt, median } from './bench-kit';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function once(): Promise<{ backend: number; page: number; total: number }> {
  const t0 = performance.now();
  const browserLaunch = chromium.launch({ executablePath: process.env.DPX_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const server = spawn(process.execPath, [DPX, 'serve', '--no-open', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok) => createInterface({ input: server.stdout! }).once('line', (l) => ok((JSON.parse(l) as { url: string }).url)));
  const backend = performance.now() - t0;
  const browser = await browserLaunch;
  const page = await browser.newPage();
  const t1 = performance.now();
  await page.goto(url);
  await page.getByTestId('product-card-sales.orders').waitFor();
  const t2 = performance.now();
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  return { backend, page: t2 - t1, total: t2 - t0 };
}

await once(); // warm-up: builds the UI and the CLI bundle when stale, fills the file cache
const runs = [];
for (let i = 0; i < ROUNDS; i++) runs.push(await once());
console.log(`bench:startup — demo workspace, ${ROUNDS} runs, medians`);
console.log(`backend ready (process start → URL printed): ${fmt(median(runs.map((r) => r.backend)))} ms`);
console.log(`catalog visible (navigation → first product card): ${fmt(median(runs.map((r) => r.page)))} ms`);
console.log(`cold start to catalog visible (process start, Chromium launched in parallel): ${fmt(median(runs.map((r) => r.total)))} ms`);
