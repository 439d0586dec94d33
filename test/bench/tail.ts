// `npm run bench:tail`: `dpx tail --json` against kcat on the same topic of the real broker —
// 1,000,000 JSON orders of ~200 bytes over 6 partitions, decoded and checked against the demo's
// sales.orders contract — interleaved rounds after a warm-up; prints msg/s of both, the ratio
// (medians), dpx's peak RSS and the load average. It also checks once that dpx printed exactly
// 1,000,000 lines.
//   BENCH_ROUNDS=5        rounds after the warm-up (default 5)
//   BENCH_UI=1            also: peak RSS of `dpx serve` while a browser tails 10k msg/s for 2 min
//   BENCH_UI=only         only that
//   BENCH_UI_SECONDS=120  how long the UI run produces
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { parseDocument } from 'yaml';
import { readInfraEnvIfAny } from '../infra/env';
import { benchOrder } from '../helpers/orders';
import { benchDir, DPX, fmt, median, ROOT, run } from './bench-kit';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TOPIC = 'bench.orders.1m';
const MESSAGES = 1_000_000;
const PARTITIONS = 6;
const UI_TOPIC = 'bench.orders.ui';
const UI_RATE = 10_000;
const UI_SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 120);

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** The broker from `.infra/env.json`, started (or reused when it already answers) by the infra script. */
function broker(): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/infra/infra.ts'), 'up', '--only', 'kafka'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`infra up failed:\n${r.stdout}\n${r.stderr}`);
  const env = readInfraEnvIfAny();
  if (!env?.kafka) throw new Error('.infra/env.json has no kafka after infra up');
  return env.kafka.bootstrap;
}

function ensureKcat(): void {
  if (spawnSync('kcat', ['-V']).status === 0) return;
  process.stderr.write('Installing kcat…\n');
  execFileSync('apt-get', ['install', '-y', 'kcat'], { stdio: 'inherit' });
}

/** One order that passes the sales.orders contract: ~230 bytes of JSON. */
export const orderJson = (i: number) => JSON.stringify(benchOrder(i));

/** `key:value` lines for `kcat -P -K: -l`. */
async function writeOrders(file: string, from: number, count: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (let i = from; i < from + count; i++) {
    chunk += `O-${String(i % 100_000_000).padStart(8, '0')}:${orderJson(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function topicCount(bootstrap: string, topic: string): Promise<number | null> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return null;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function recreateTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) {
      await admin.deleteTopics({ topics: [topic] });
      for (let i = 0; i < 50 && (await admin.listTopics()).includes(topic); i++) await new Promise((r) => setTimeout(r, 200));
    }
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The 1M-message topic: made once (kcat from a generated file), reused while it holds exactly 1M. */
async function ensureTopic(bootstrap: string, dir: string): Promise<void> {
  if ((await topicCount(bootstrap, TOPIC)) === MESSAGES) return;
  process.stderr.write(`Producing ${fmt(MESSAGES)} orders to ${TOPIC} (${PARTITIONS} partitions)…\n`);
  await recreateTopic(bootstrap, TOPIC);
  const file = join(dir, 'orders.txt');
  await writeOrders(file, 0, MESSAGES);
  execFileSync('kcat', ['-P', '-b', bootstrap, '-t', TOPIC, '-K:', '-H', 'source=bench', '-z', 'none', '-X', 'linger.ms=20', '-l', file], { stdio: 'inherit' });
  await rm(file, { force: true });
  const n = await topicCount(bootstrap, TOPIC);
  if (n !== MESSAGES) throw new Error(`${TOPIC} holds ${n} messages after producing, not ${MESSAGES}`);
}

/** A copy of the demo's descriptors with the sales.orders stream on the broker and topic. */
async function workspace(dir: string, bootstrap: string, topic: string): Promise<string> {
  const ws = join(dir, `workspace-${topic}`);
  await rm(ws, { recursive: true, force: true });
  const demo = join(ROOT, 'examples/demo');
  for (const part of ['dpx.workspace.yaml', 'products', 'contracts']) await cp(join(demo, part), join(ws, part), { recursive: true });
  const edit = async (file: string, change: (d: ReturnType<typeof parseDocument>) => void) => {
    const doc = parseDocument(await readFile(join(ws, file), 'utf8'));
    change(doc);
    await writeFile(join(ws, file), doc.toString());
  };
  await edit('dpx.workspace.yaml', (d) => {
    d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap }));
    d.setIn(['name'], 'tail benchmark');
  });
  await edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'customProperties'], d.createNode([{ property: 'topic', value: topic }])));
  return ws;
}

async function throughput(bootstrap: string, ws: string): Promise<void> {
  const dpxArgs = [DPX, '-w', ws, 'tail', 'sales.orders', '--from', 'earliest', '--limit', String(MESSAGES), '--json'];
  const kcatArgs = ['-C', '-b', bootstrap, '-t', TOPIC, '-e', '-o', 'beginning', '-q'];
  // Exactly 1M lines, once (this also builds the CLI bundle when the sources changed).
  const lines = execFileSync('sh', ['-c', `node ${dpxArgs.map((a) => `'${a}'`).join(' ')} | wc -l`], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim();
  if (Number(lines) !== MESSAGES) throw new Error(`dpx printed ${lines} lines, not ${MESSAGES}`);
  console.log(`bench:tail — ${fmt(MESSAGES)} JSON orders (~${orderJson(123456).length} bytes) in ${PARTITIONS} partitions of ${TOPIC}, ${ROUNDS} rounds + warm-up`);
  console.log(`dpx printed exactly ${fmt(MESSAGES)} lines (checked with wc -l)`);
  const dpx: number[] = [];
  const kcat: number[] = [];
  const rss: number[] = [];
  const loads: string[] = [];
  for (let i = 0; i < ROUNDS + 1; i++) {
    const a = await run('node', dpxArgs, { discardStdout: true });
    const b = await run('kcat', kcatArgs, { discardStdout: true });
    if (a.code !== 0) throw new Error(`dpx failed:\n${a.stderr}`);
    if (b.code !== 0) throw new Error(`kcat failed:\n${b.stderr}`);
    const line = `  round ${i === 0 ? 'warm-up' : i}: dpx ${fmt(a.wallMs)} ms (${fmt(MESSAGES / (a.wallMs / 1000))} msg/s, ${fmt(a.maxRssMb ?? 0)} MB), kcat ${fmt(b.wallMs)} ms (${fmt(MESSAGES / (b.wallMs / 1000))} msg/s), load ${load()}`;
    process.stderr.write(`${line}\n`);
    loads.push(load());
    if (i === 0) continue;
    dpx.push(MESSAGES / (a.wallMs / 1000));
    kcat.push(MESSAGES / (b.wallMs / 1000));
    rss.push(a.maxRssMb ?? NaN);
  }
  const ratio = median(dpx) / median(kcat);
  const ratios = dpx.map((d, i) => d / kcat[i]!);
  console.log(`dpx tail --json   ${fmt(median(dpx)).padStart(10)} msg/s  (rounds: ${dpx.map((x) => fmt(x)).join(', ')})`);
  console.log(`kcat -C -e        ${fmt(median(kcat)).padStart(10)} msg/s  (rounds: ${kcat.map((x) => fmt(x)).join(', ')})`);
  console.log(`ratio dpx/kcat    ${fmt(ratio, 2).padStart(10)}        (per round: ${ratios.map((x) => fmt(x, 2)).join(', ')}; goal ≥ 0.5, stretch ≥ 1.0)`);
  console.log(`dpx peak RSS      ${fmt(median(rss)).padStart(10)} MB     (max ${fmt(Math.max(...rss))} MB)`);
  console.log(`load average      ${load()} (1/5/15 min, ${loads.length} samples during the run: ${loads.join(' | ')})`);
}

// ——— the UI figure (BENCH_UI=1) ———

function sampleRss(pid: number): number {
  try {
    const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** kcat -P fed `rate` messages per second (in 10 slices a second) for `seconds`. */
function producer(bootstrap: string, topic: string, rate: number, seconds: number): { done: Promise<number> } {
  const kcat = spawn('kcat', ['-P', '-b', bootstrap, '-t', topic, '-K:', '-z', 'none', '-X', 'linger.ms=5'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const started = Date.now();
  let sent = 0;
  const done = new Promise<number>((resolve) => {
    const tick = () => {
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed >= seconds) {
        kcat.stdin.end();
        kcat.on('exit', () => resolve(sent));
        return;
      }
      const due = Math.min(Math.floor(elapsed * rate) + rate / 10, rate * seconds);
      let chunk = '';
      for (; sent < due; sent++) chunk += `O-${String(sent % 100_000_000).padStart(8, '0')}:${orderJson(sent)}\n`;
      kcat.stdin.write(chunk);
      setTimeout(tick, 100);
    };
    tick();
  });
  return { done };
}

async function uiFigure(bootstrap: string, dir: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  await recreateTopic(bootstrap, UI_TOPIC);
  const ws = await workspace(dir, bootstrap, UI_TOPIC);
  const server: ChildProcess = spawn('node', [DPX, '-w', ws, 'serve', '--no-open', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /\{"url":"([^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`dpx serve exited (${code}) before printing its URL`)));
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    await page.goto(`${url}#/stream/sales.orders`);
    const start = page.getByTestId('tail-start');
    await start.waitFor({ timeout: 30_000 });
    const latest = page.getByRole('combobox', { name: /start/i }).or(page.getByTestId('tail-from'));
    if (await latest.count()) await latest.first().selectOption({ label: 'Latest' }).catch(() => undefined);
    await start.click();
    const pid = server.pid!;
    const samples: number[] = [];
    const rates: string[] = [];
    const sampler = setInterval(() => samples.push(sampleRss(pid)), 1000);
    const shown = setInterval(() => {
      void page.getByTestId('tail-rate').textContent({ timeout: 500 }).then((t) => t && rates.push(t.trim()), () => undefined);
    }, 5000);
    const sent = await producer(bootstrap, UI_TOPIC, UI_RATE, UI_SECONDS).done;
    clearInterval(sampler);
    clearInterval(shown);
    const peak = Math.max(...samples);
    console.log(`UI tail: ${fmt(sent)} messages at ${fmt(UI_RATE)} msg/s for ${UI_SECONDS} s; backend peak RSS ${fmt(peak)} MB (limit 500 MB) — ${peak <= 500 ? 'ok' : 'OVER'}`);
    console.log(`UI shown rate (tail-rate, every 5 s): ${rates.join(' | ') || '(not shown)'}; load ${load()}`);
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
  }
}

async function main() {
  const dir = await benchDir('tail');
  ensureKcat();
  const bootstrap = broker();
  await ensureTopic(bootstrap, dir);
  const ws = await workspace(dir, bootstrap, TOPIC);
  await stat(DPX);
  if (process.env.BENCH_UI !== 'only') await throughput(bootstrap, ws);
  if (process.env.BENCH_UI === '1' || process.env.BENCH_UI === 'only') await uiFigure(bootstrap, dir);
}

await main();
