// TIMESTAMPTZ cells read as DuckDB prints them in the engine's UTC session, whatever the machine's
// zone. @duckdb/node-api takes the zone from the process when it loads, so the engine runs in a
// child process on New York time, and what the grid, the CLI table and catalog queries get must
// equal DuckDB's own CAST(… AS VARCHAR) of the same values, and its CSV export.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../../..');

const SQL = `SELECT i, t, {'at': t} AS st, [t, NULL] AS li, MAP {'k': t} AS mp, tt, t::VARCHAR AS t_text, tt::VARCHAR AS tt_text
  FROM (VALUES
    (1, TIMESTAMPTZ '2026-10-01 12:34:56.123456+00', TIMETZ '12:00:00+05:30'),
    (2, TIMESTAMPTZ '2026-01-15 03:00:00+00', TIMETZ '23:59:59.25-08'),
    (3, 'infinity'::TIMESTAMPTZ, TIMESTAMPTZ '2026-01-15 03:00:00+00'::TIMETZ),
    (4, '-infinity'::TIMESTAMPTZ, NULL),
    (5, TIMESTAMP '0044-03-15 (BC) 12:00:00'::TIMESTAMPTZ, NULL),
    (6, NULL, NULL)
  ) v(i, t, tt) ORDER BY i`;

/** Runs the engine in a Node process on New York time and returns what each path printed. */
async function inNewYork(dir: string) {
  const child = `
    import { readFileSync } from 'node:fs';
    import { DuckDBTimestampTZValue } from '@duckdb/node-api';
    const { SqlEngine } = await import(${JSON.stringify(join(ROOT, 'electron/services/sql/sql-engine.ts'))});
    const dir = ${JSON.stringify(dir)}, sql = ${JSON.stringify(SQL)};
    const engine = await SqlEngine.create({ tables: [], allowed: [], exportDir: dir + '/export', tempDir: dir + '/tmp' });
    const grid = await engine.rows((await engine.run(sql)).id, 0, 100);
    const table = [];
    await engine.stream(sql, { onColumns() {}, onRows(rows) { table.push(...rows); } });
    const catalog = await engine.query(sql);
    await engine.copy({ sql: 'SELECT t, tt FROM (' + sql + ')' }, dir + '/export/cells.csv', 'csv');
    engine.close();
    const csv = readFileSync(dir + '/export/cells.csv', 'utf8');
    console.log(JSON.stringify({ epoch: String(DuckDBTimestampTZValue.Epoch), grid, table, catalog, csv }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'America/New_York' },
  });
  return JSON.parse(stdout) as { epoch: string; grid: unknown[][]; table: unknown[][]; catalog: unknown[][]; csv: string };
}

describe('result cells', { timeout: 30_000 }, () => {
  let dir: string;
  let out: Awaited<ReturnType<typeof inNewYork>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpx-cells-'));
    out = await inNewYork(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('print TIMESTAMPTZ as DuckDB does in UTC on a machine that is not, also inside structs, lists and maps', () => {
    // The library's own formatting follows the machine here, so this is the case that went wrong.
    expect(out.epoch).toBe('1969-12-31 19:00:00-05');
    const texts = out.grid.map((r) => r.at(-2));
    expect(texts).toEqual(['2026-10-01 12:34:56.123456+00', '2026-01-15 03:00:00+00', 'infinity', '-infinity', '0044-03-15 (BC) 12:00:00+00', null]);
    const expected = out.grid.map(([i, , , , , , t, tt]) => [i, t, { at: t }, [t, null], [{ key: 'k', value: t }], tt, t, tt]);
    expect(out.grid).toEqual(expected);
    expect(out.table).toEqual(expected);
    expect(out.catalog).toEqual(expected);
  });

  it('print TIMETZ with its own offset, as DuckDB does', () => {
    expect(out.grid.map((r) => r[5])).toEqual(['12:00:00+05:30', '23:59:59.25-08', '03:00:00+00', null, null, null]);
  });

  it('read the same as the CSV export', () => {
    const csv = out.grid.map(([, , , , , , t, tt]) => `${t ?? ''},${tt ?? ''}`);
    expect(out.csv).toBe(['t,tt', ...csv, ''].join('\n'));
  });
});
