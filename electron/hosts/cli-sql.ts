// `dpx sql`: SQL over the workspace's products with DuckDB, streamed to the terminal or a file.
// Rows leave DuckDB chunk by chunk, so a result of any size never builds up in memory.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { ApiError } from '../../shared/api/errors';
import type { Services } from '../services/services';
import { displayCell, formatRow } from '../services/sql/result-format';
import type { Cell, ResultColumn } from '../services/sql/sql-engine';
import { table } from './cli-format';

export type SqlFormat = 'table' | 'csv' | 'json' | 'ndjson';

/** Rows a table waits for to size its columns; later rows reuse those widths. */
const TABLE_SAMPLE = 1000;
const MAX_CELL = 60;

export async function runSqlCli(services: Services, query: string, o: { format: SqlFormat; out?: string; attach: string[] }): Promise<void> {
  for (const spec of o.attach) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new ApiError('BAD_REQUEST', `--attach takes NAME=PATH, not "${spec}"`);
    await services.sql.attach(spec.slice(0, eq), spec.slice(eq + 1));
  }
  const sink: NodeJS.WritableStream | WriteStream = o.out ? createWriteStream(o.out) : process.stdout;
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  let columns: ResultColumn[] = [];
  let first = true;
  let sample: Cell[][] | null = o.format === 'table' ? [] : null;
  let widths: number[] = [];
  const tableLines = (rows: Cell[][]) => rows.map((r) => r.map((c, i) => clip(displayCell(c)).padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
  try {
    const count = await services.sql.stream(query, {
      signal: controller.signal,
      onColumns: (c) => {
        columns = c;
        if (o.format === 'csv') void write(columns.map((x) => formatRow.csvField(x.name)).join(',') + '\n');
        if (o.format === 'json') void write('[');
      },
      onRows: async (rows) => {
        if (sample) {
          sample.push(...rows);
          if (sample.length < TABLE_SAMPLE) return;
          await write(flushSample(columns, sample, (w) => (widths = w)));
          sample = null;
          return;
        }
        if (o.format === 'table') return write(tableLines(rows));
        let text = '';
        for (const r of rows) {
          text += formatRow(o.format as 'csv' | 'json' | 'ndjson', columns, r, first);
          first = false;
        }
        await write(text);
      },
    });
    if (sample) await write(flushSample(columns, sample, (w) => (widths = w)));
    if (o.format === 'json') await write(first ? ']\n' : '\n]\n');
    if (o.format === 'table') process.stderr.write(`(${count} row${count === 1 ? '' : 's'})\n`);
  } finally {
    process.off('SIGINT', stop);
    if (o.out) {
      (sink as WriteStream).end();
      await once(sink, 'finish');
    }
  }
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
}

function flushSample(columns: ResultColumn[], rows: Cell[][], setWidths: (w: number[]) => void): string {
  const header = columns.map((c) => c.name);
  const body = rows.map((r) => r.map((c) => clip(displayCell(c))));
  const text = table([header, header.map((h) => '─'.repeat(Math.max(h.length, 1))), ...body]);
  setWidths(header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length))));
  return text + '\n';
}
