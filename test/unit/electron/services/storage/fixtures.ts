// Parquet fixtures for the storage tests, written by DuckDB (the same engine the app queries with),
// and DuckDB's own view of them (parquet_metadata) to check our footer reader against.
import { readFile, writeFile } from 'node:fs/promises';
import { connect, sqlString } from '../../../../../electron/services/sql/duckdb';

export async function duck<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const c = await connect();
  try {
    const r = await c.runAndReadAll(sql);
    return r.getRowObjectsJson() as T[];
  } finally {
    c.closeSync();
  }
}

export async function writeParquet(path: string, select: string, rowGroupSize?: number): Promise<void> {
  await duck(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet${rowGroupSize ? `, ROW_GROUP_SIZE ${rowGroupSize}` : ''})`);
}

/** Rows shaped like the demo's sales.orders contract (nested items, decimals, UTC timestamps). */
export function ordersSelect(rows: number, seed = 0, extra = ''): string {
  return `SELECT
      printf('O-%08d', i + ${seed}) AS order_id,
      CASE WHEN i % 97 = 0 THEN NULL ELSE printf('C-%06d', (i * 7) % 2000) END AS customer_id,
      ['S01','S02','S03','WEB'][(i % 4) + 1] AS store_id,
      TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_microseconds((i * 86399999999 // ${rows})::BIGINT) AS ordered_at,
      ((i % 5000) * 1.37 - 3)::DECIMAL(10,2) AS amount,
      'EUR' AS currency,
      CASE WHEN i % 50 = 0 THEN 'cancelled' ELSE 'placed' END AS status,
      CASE WHEN i % 4 = 3 THEN 'web' ELSE 'store' END AS channel,
      [{'sku': printf('SKU-%05d', i % 977), 'qty': (i % 3 + 1)::INTEGER, 'unit_price': ((i % 300) * 0.5 + 0.99)::DECIMAL(10,2)}] AS items
      ${extra}
    FROM range(${rows}) t(i)`;
}

/** A file of several MB with several row groups (write it with ROW_GROUP_SIZE 100_000), same schema as `ordersSelect`. */
export function bigOrdersSelect(rows = 400_000): string {
  return ordersSelect(rows, 1_000_000);
}

/** Many columns x many row groups: a footer well above 64 KiB. */
export function wideSelect(columns = 120, rows = 2048 * 12): string {
  const cols = Array.from({ length: columns }, (_, k) => `(i * ${k + 1})::BIGINT AS c${String(k).padStart(3, '0')}`);
  return `SELECT ${cols.join(', ')} FROM range(${rows}) t(i)`;
}

/** Random bytes with a .parquet name. */
export async function writeCorrupt(path: string, size = 20_000): Promise<void> {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 7919 + 13) % 251;
  await writeFile(path, buf);
}

/** The first `fraction` of a real Parquet file (an interrupted upload). */
export async function writeTruncated(source: string, path: string, fraction = 0.6): Promise<void> {
  const all = await readFile(source);
  await writeFile(path, all.subarray(0, Math.floor(all.length * fraction)));
}

/** DuckDB prints timestamps as `2026-10-01 00:00:01.000001+00`; our ISO form is `2026-10-01T00:00:01.000001Z`. */
export function duckToIso(s: string, digits: number): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?(\+00)?$/.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(digits, '0')}${m[4] ? 'Z' : ''}`;
}
