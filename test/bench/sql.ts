/// <reference lib="dom" />
// `npm run bench:sql`: 10M rows of the orders product as daily Parquet; five queries through
// `dpx sql` and through DuckDB's own Python package (the same DuckDB version) on the same files,
// interleaved, several rounds; prints per-query times (medians) and ratios (the median of each
// round's ratio), then the time to first rows in the grid and the peak memory of
// streaming the whole 10M-row result to a file.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { cp, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_DEFAULTS, generate } from '../../examples/generator/generate';
import { benchDir, DPX, fmt, median, ROOT, run } from './bench-kit';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ORDERS_PER_DAY = 333_334; // × 30 days ≈ 10M rows

const QUERIES: Array<{ name: string; dpx: string; duck: string }> = [
  { name: 'count', dpx: `SELECT count(*) FROM sales.orders`, duck: `SELECT count(*) FROM orders` },
  {
    name: 'filter + aggregate',
    dpx: `SELECT store_id, sum(amount), avg(amount) FROM sales.orders WHERE status = 'placed' AND amount > 100 GROUP BY 1 ORDER BY 1`,
    duck: `SELECT store_id, sum(amount), avg(amount) FROM orders WHERE status = 'placed' AND amount > 100 GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'group by day and store',
    dpx: `SELECT snapshot_date, store_id, count(*), sum(amount) FROM sales.orders GROUP BY ALL ORDER BY ALL`,
    duck: `SELECT "date", store_id, count(*), sum(amount) FROM orders GROUP BY ALL ORDER BY ALL`,
  },
  { name: 'top-N', dpx: `SELECT order_id, amount FROM sales.orders ORDER BY amount DESC LIMIT 100`, duck: `SELECT order_id, amount FROM orders ORDER BY amount DESC LIMIT 100` },
  {
    name: 'join with customers',
    dpx: `SELECT p.country, count(*), sum(o.amount) FROM sales.orders o JOIN customers.profile p ON p.customer_id = o.customer_id AND p.snapshot_date = o.snapshot_date GROUP BY 1 ORDER BY 1`,
    duck: `SELECT p.country, count(*), sum(o.amount) FROM orders o JOIN profiles p ON p.customer_id = o.customer_id AND p."date" = o."date" GROUP BY 1 ORDER BY 1`,
  },
];

const PY_RUNNER = `
import duckdb, sys, time, resource
root, query = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute(f"CREATE VIEW orders AS SELECT * FROM read_parquet('{root}/sales.orders/*/*.parquet', hive_partitioning = true)")
con.execute(f"CREATE VIEW profiles AS SELECT * FROM read_parquet('{root}/customers.profile/*/*.parquet', hive_partitioning = true)")
t = time.perf_counter()
rows = con.execute(query).fetchall()
ms = (time.perf_counter() - t) * 1000
print(f"timing: query_ms={ms:.1f} rows={len(rows)} max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
`;

async function ensurePythonDuckdb(dir: string): Promise<string> {
  const venv = join(dir, 'venv');
  const python = join(venv, 'bin/python');
  if (!(await stat(python).catch(() => null))) {
    process.stderr.write('Installing DuckDB 1.5.6 for Python (the peer) into .bench/sql/venv…\n');
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(python, ['-m', 'pip', 'install', '-q', 'duckdb==1.5.6'], { stdio: 'inherit' });
  }
  return python;
}

async function ensureData(dir: string): Promise<string> {
  const ws = join(dir, 'workspace');
  const marker = join(ws, 'snapshots', 'sales.orders', 'date=2026-10-30');
  if (!(await stat(marker).catch(() => null))) {
    process.stderr.write(`Generating ${fmt(30 * ORDERS_PER_DAY)} orders (seeded) into ${ws}…\n`);
    await generate({ ...DEMO_DEFAULTS, out: ws, ordersPerDay: ORDERS_PER_DAY, customers: 200_000, threads: 2, captures: false }, (s) => process.stderr.write(`  ${s}\n`));
  }
  for (const part of ['products', 'contracts']) await cp(join(DEMO_DEFAULTS.out, part), join(ws, part), { recursive: true });
  await writeFile(
    join(ws, 'dpx.workspace.yaml'),
    ['apiVersion: dpx/v1', 'kind: Workspace', 'name: SQL benchmark (10M orders)', 'descriptors: [products, contracts]', 'connections:', '  lake: { type: local, path: snapshots }', '  sales-events: { type: capture, path: captures }', '  customer-events: { type: capture, path: captures }', ''].join('\n'),
  );
  return ws;
}

const timingOf = (stderr: string) => {
  const m = /timing: query_ms=([\d.]+) rows=(\d+) max_rss_mb=(\d+)/.exec(stderr);
  if (!m) throw new Error(`no timing in:\n${stderr}`);
  return { ms: Number(m[1]), rows: Number(m[2]), rss: Number(m[3]) };
};

/**
 * Time from "query done" to the first rows painted in the grid, measured inside the page (a
 * MutationObserver stamps both moments), on the 10M-row orders result.
 */
async function gridTiming(ws: string): Promise<void> {
  const server = spawn(process.execPath, [DPX, '-w', ws, 'serve', '--no-open', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok) => createInterface({ input: server.stdout! }).once('line', (l) => ok((JSON.parse(l) as { url: string }).url)));
  const browser = await chromium.launch({ executablePath: process.env.DPX_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const samples: number[] = [];
  let rows = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Stamp the moment the backend's "query done" event arrives on the WebSocket, before the UI
    // reacts to it; the rows-painted stamp comes from a MutationObserver.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (e) => {
            if (typeof e.data === 'string' && e.data.includes('"kind":"done"') && e.data.includes('"rowCount"')) (window as unknown as { __done?: number }).__done = performance.now();
          });
        }
      };
    });
    await page.goto(`${url}`);
    await page.getByTestId('nav-sql').click();
    await page.locator('.monaco-editor').waitFor({ timeout: 60_000 });
    for (let i = 0; i < ROUNDS; i++) {
      await page.locator('.monaco-editor').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(`SELECT * FROM sales.orders -- ${i}`);
      await page.evaluate(() => {
        const w = window as unknown as { __done?: number; __rows?: number };
        w.__done = undefined;
        w.__rows = undefined;
        new MutationObserver((_m, obs) => {
          if (w.__done !== undefined && document.querySelectorAll('[data-testid^="result-row-"]').length > 20) {
            w.__rows = performance.now();
            obs.disconnect();
          }
        }).observe(document.body, { subtree: true, childList: true });
      });
      await page.keyboard.press('ControlOrMeta+Enter');
      await page.waitForFunction(() => (window as unknown as { __rows?: number }).__rows !== undefined, undefined, { timeout: 120_000 });
      samples.push(await page.evaluate(() => (window as unknown as { __rows: number; __done: number }).__rows - (window as unknown as { __done: number }).__done));
      rows = Number(await page.getByTestId('result-grid').getAttribute('data-rows'));
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  console.log(`grid: first rows painted after the backend reports a ${fmt(rows)}-row result done: ${fmt(median(samples), 1)} ms (median of ${samples.length}; rows come in pages of up to 1000 as the grid scrolls)`);
}

async function main() {
  const dir = await benchDir('sql');
  const ws = await ensureData(dir);
  const python = await ensurePythonDuckdb(dir);
  const rows = Number(execFileSync('node', [DPX, '-w', ws, 'sql', 'SELECT count(*) FROM sales.orders', '--format', 'csv'], { cwd: ROOT, encoding: 'utf8' }).split('\n')[1]);
  console.log(`bench:sql — ${fmt(rows)} order rows in 30 daily snapshots, ${ROUNDS} rounds, DuckDB 1.5.6 on both sides`);
  console.log(`${'query'.padEnd(24)} ${'dpx query'.padStart(10)} ${'duckdb'.padStart(10)} ${'ratio'.padStart(6)}   ${'dpx process'.padStart(11)} ${'python process'.padStart(14)}   ratio per round (the ratio is their median)`);
  for (const q of process.env.BENCH_SKIP_QUERIES === '1' ? [] : QUERIES) {
    const a: number[] = [];
    const b: number[] = [];
    const aw: number[] = [];
    const bw: number[] = [];
    for (let i = 0; i < ROUNDS + 1; i++) {
      const x = await run('node', [DPX, '-w', ws, 'sql', q.dpx, '--format', 'csv', '--timing'], { discardStdout: true });
      const y = await run(python, ['-c', PY_RUNNER, join(ws, 'snapshots'), q.duck], { discardStdout: true });
      if (x.code !== 0 || y.code !== 0) throw new Error(`${q.name} failed:\n${x.stderr}\n${y.stderr}`);
      if (i === 0) continue; // warm-up round: file cache, CLI bundle
      a.push(timingOf(x.stderr).ms);
      b.push(timingOf(y.stderr).ms);
      aw.push(x.wallMs);
      bw.push(y.wallMs);
    }
    // Each round runs the two one after the other: the median of their ratios is not moved by
    // this machine's speed changing between rounds (it does, by ±10% within minutes).
    const ratios = a.map((x, i) => x / b[i]!);
    const ratio = median(ratios);
    console.log(
      `${q.name.padEnd(24)} ${`${fmt(median(a), 1)} ms`.padStart(10)} ${`${fmt(median(b), 1)} ms`.padStart(10)} ${fmt(ratio, 2).padStart(6)}   ${`${fmt(median(aw))} ms`.padStart(11)} ${`${fmt(median(bw))} ms`.padStart(14)}   ${ratios.map((r) => fmt(r, 2)).join(' ')}`,
    );
  }
  await gridTiming(ws);
  const out = join(dir, 'orders.csv');
  const stream = await run('node', [DPX, '-w', ws, 'sql', 'SELECT * FROM sales.orders', '--format', 'csv', '--out', out, '--timing']);
  const t = timingOf(stream.stderr);
  console.log(`stream ${fmt(t.rows)} rows to CSV: ${fmt(t.ms / 1000, 1)} s, ${fmt((await stat(out)).size / 1024 / 1024)} MB written, peak RSS ${fmt(stream.maxRssMb ?? t.rss)} MB`);
}

await main();
