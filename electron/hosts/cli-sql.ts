// `dpx sql`: SQL over the workspace's products with DuckDB. CSV, JSON and NDJSON are written by
// DuckDB's own writers straight to the file or to standard output (fast, and never held in
// memory); the table format streams chunk by chunk for people reading a terminal.
import { execFileSync } from 'node:child_process';
import { createReadStream, fstatSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../../shared/api/errors';
import type { Services } from '../services/services';
import { displayCell } from '../services/sql/result-format';
import type { Cell, ResultColumn } from '../services/sql/sql-engine';
import { table } from './cli-format';

export type SqlFormat = 'table' | 'csv' | 'json' | 'ndjson';

/** Rows a table waits for to size its columns; later rows reuse those widths. */
const TABLE_SAMPLE = 1000;
const MAX_CELL = 60;

export async function runSqlCli(services: Services, query: string, o: { format: SqlFormat; out?: string; attach: string[]; timing?: boolean }): Promise<void> {
  for (const spec of o.attach) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new ApiError('BAD_REQUEST', `--attach takes NAME=PATH, not "${spec}"`);
    await services.sql.attach(spec.slice(0, eq), spec.slice(eq + 1));
  }
  if (o.format === 'table' && o.out) throw new ApiError('BAD_REQUEST', '--out writes csv, json or ndjson: add --format');
  const toStdout = o.format !== 'table' && !o.out;
  const relay = toStdout && !stdoutIsStream() ? await StdoutRelay.open() : null;
  const target = o.out ? resolve(o.out) : toStdout ? (relay?.path ?? '/dev/stdout') : undefined;
  if (target) services.sql.allowOutput(target);
  await services.sql.get(); // views built before the clock starts: --timing measures the query
  const controller = new AbortController();
  // Ctrl+C interrupts DuckDB (within 200 ms); said on stderr so the wait is not a mystery.
  controller.signal.addEventListener('abort', () => process.stderr.write('Cancelling the query…\n'), { once: true });
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  const started = performance.now();
  try {
    let count: number;
    if (o.format === 'table') count = await printTable(services, query, controller.signal);
    else {
      const copying = services.sql.copyQuery(query, target!, o.format, controller.signal);
      count = relay ? await relay.carry(copying) : await copying;
    }
    if (o.timing) process.stderr.write(`timing: query_ms=${(performance.now() - started).toFixed(1)} rows=${count} max_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`);
  } finally {
    process.off('SIGINT', stop);
    await relay?.dispose();
  }
}

/**
 * Standard output is a pipe or a terminal (or /dev/null) on POSIX: DuckDB may open /dev/stdout itself,
 * since truncating those loses nothing. A file (`>> log`) or a socket (how Node and other
 * programs often wire a child's output, which cannot be reopened by path) goes through the relay.
 */
function stdoutIsStream(): boolean {
  if (process.platform === 'win32') return false; // no /dev/stdout
  const st = fstatSync(1);
  return st.isFIFO() || st.isCharacterDevice();
}

/**
 * Carries what DuckDB writes to standard output. DuckDB opens its target with truncation, so it
 * must never open /dev/stdout itself (`dpx sql … >> log` would lose the log): it writes into a
 * named pipe (POSIX) or a temporary file (Windows) that this process copies to its own stdout.
 */
class StdoutRelay {
  private constructor(
    private readonly dir: string,
    readonly path: string,
    private readonly fifo: boolean,
  ) {}

  static async open(): Promise<StdoutRelay> {
    const dir = await mkdtemp(join(tmpdir(), 'dpx-out-'));
    const path = join(dir, 'rows');
    if (process.platform === 'win32') return new StdoutRelay(dir, path, false);
    execFileSync('mkfifo', ['-m', '600', path]);
    return new StdoutRelay(dir, path, true);
  }

  async carry<T>(writing: Promise<T>): Promise<T> {
    if (!this.fifo) {
      const result = await writing;
      await pipeline(createReadStream(this.path), process.stdout, { end: false });
      return result;
    }
    const reading = pipeline(createReadStream(this.path), process.stdout, { end: false });
    try {
      const result = await writing;
      await reading;
      return result;
    } catch (e) {
      // DuckDB failed before opening the pipe: open and close it so the reader stops waiting.
      await open(this.path, 'w').then((h) => h.close()).catch(() => undefined);
      await reading.catch(() => undefined);
      throw e;
    }
  }

  dispose(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

async function printTable(services: Services, query: string, signal: AbortSignal): Promise<number> {
  let columns: ResultColumn[] = [];
  let sample: Cell[][] | null = [];
  let widths: number[] = [];
  const write = (text: string) => new Promise<void>((done) => (process.stdout.write(text) ? done() : process.stdout.once('drain', done)));
  const flush = (rows: Cell[][]) => {
    const header = columns.map((c) => c.name);
    const body = rows.map((r) => r.map((c) => clip(displayCell(c))));
    widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    return table([header, header.map((h) => '─'.repeat(Math.max(h.length, 1))), ...body]) + '\n';
  };
  const count = await services.sql.stream(query, {
    signal,
    onColumns: (c) => (columns = c),
    onRows: async (rows) => {
      if (sample) {
        sample.push(...rows);
        if (sample.length < TABLE_SAMPLE) return;
        await write(flush(sample));
        sample = null;
        return;
      }
      await write(rows.map((r) => r.map((c, i) => clip(displayCell(c)).padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n');
    },
  });
  if (sample) await write(flush(sample));
  process.stderr.write(`(${count} row${count === 1 ? '' : 's'})\n`);
  return count;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
}
