// SQL over the demo products, checked against DuckDB run independently on the same files.
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../../../../../electron/services/services';
import { sqlString } from '../../../../../electron/services/sql/duckdb';
import { exactGlob } from '../../../../../electron/services/sql/exact-glob';
import { plainlyOneQuery } from '../../../../../electron/services/sql/sql-engine';
import { DEMO } from '../../../../helpers/workspace-fixture';

let independent: DuckDBConnection;
const truth = async (sql: string) => (await independent.runAndReadAll(sql)).getRowsJson();
const ORDERS = `read_parquet('${DEMO}/snapshots/sales.orders/*/*.parquet', hive_partitioning = true)`;

describe('SQL over products', () => {
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpx-sql-'));
    services = await openServices({ workspace: DEMO, cacheDir: join(dir, 'cache') });
    independent = await (await DuckDBInstance.create(':memory:')).connect();
    await independent.run(`SET TimeZone = 'UTC'`);
  });
  afterAll(async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = async (sql: string) => {
    const r = await services.sql.run(sql);
    return services.sql.rows(r.id, 0, 100_000);
  };

  it('answers like DuckDB on the same files: aggregates, filters, joins', async () => {
    expect(await rows(`SELECT count(*), sum(amount) FROM "sales.orders"`)).toEqual(await truth(`SELECT count(*), sum(amount) FROM ${ORDERS}`));
    expect(await rows(`SELECT store_id, count(*), round(avg(amount), 2) FROM sales.orders WHERE status = 'placed' GROUP BY 1 ORDER BY 1`)).toEqual(
      await truth(`SELECT store_id, count(*), round(avg(amount), 2) FROM ${ORDERS} WHERE status = 'placed' GROUP BY 1 ORDER BY 1`),
    );
    const profiles = `read_parquet('${DEMO}/snapshots/customers.profile/*/*.parquet', hive_partitioning = true)`;
    expect(await rows(`SELECT p.country, count(*) FROM sales.orders o JOIN customers.profile p ON p.customer_id = o.customer_id AND p.snapshot_date = o.snapshot_date GROUP BY 1 ORDER BY 1`)).toEqual(
      await truth(`SELECT p.country, count(*) FROM ${ORDERS} o JOIN ${profiles} p ON p.customer_id = o.customer_id AND p."date" = o."date" GROUP BY 1 ORDER BY 1`),
    );
  });

  it('gives every product a snapshot_date, and dpx_snapshot pins one day', async () => {
    expect(await rows(`SELECT min(snapshot_date)::VARCHAR, max(snapshot_date)::VARCHAR, count(DISTINCT snapshot_date) FROM "sales.daily-totals"`)).toEqual([['2026-10-01', '2026-10-30', '30']]);
    expect(await rows(`SELECT count(*) FROM dpx_snapshot('sales.orders', DATE '2026-10-02')`)).toEqual(await truth(`SELECT count(*) FROM ${ORDERS} WHERE "date" = DATE '2026-10-02'`));
    // The aggregate product equals its declared SQL over the day's order events.
    expect(await rows(`SELECT count(*) FROM (SELECT day, store_id, orders FROM "sales.daily-totals" EXCEPT SELECT CAST(ordered_at AS DATE), store_id, count(*) FROM "sales.orders" WHERE status = 'placed' GROUP BY ALL)`)).toEqual([['0']]);
  });

  it('reports syntax errors with line and column', async () => {
    await expect(services.sql.run('SELECT 1,\n  2 FORM x')).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { line: 2, column: 10 } });
    await expect(services.sql.run('SELECT nope FROM "sales.orders"')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('nope') });
  });

  it('points at the user\'s own line and column whatever it runs wrapped in', async () => {
    const out = join(dir, 'direct.csv');
    services.sql.allowOutput(out);
    await expect(services.sql.run('SELECT nope FROM "sales.orders"')).rejects.toMatchObject({ details: { line: 1, column: 8 } });
    for (const sql of ['SELECT nope FROM "sales.orders"', "SELECT nope FROM sales.orders WHERE status = 'a;b'"]) {
      await expect(services.sql.copyQuery(sql, out, 'csv')).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { line: 1, column: 8 } });
    }
    await expect(services.sql.copyQuery('\n  SELECT 1,\n  2 FORM x', out, 'csv')).rejects.toMatchObject({ details: { line: 3, column: 10 } });
    await expect(services.sql.copyQuery('SELECT * FORM x -- note', out, 'csv')).rejects.toMatchObject({ details: { line: 1, column: 15 } });
  });

  it('writes one query straight out with DuckDB\'s writer, and nothing but that query', async () => {
    const out = join(dir, 'direct.csv');
    services.sql.allowOutput(out);
    const expected = await truth(`SELECT count(*) FROM ${ORDERS} WHERE status = 'placed'`);
    for (const sql of [`SELECT order_id FROM sales.orders WHERE status = 'placed'`, `SELECT order_id FROM sales.orders WHERE status = 'placed' AND 'a;b' <> '' -- ends in a comment;`, `SELECT order_id FROM sales.orders WHERE status = 'placed';  `]) {
      expect(await services.sql.copyQuery(sql, out, 'csv'), sql).toBe(Number(expected[0]![0]));
      expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(Number(expected[0]![0]) + 1);
    }
    await expect(services.sql.copyQuery('SELECT 1; SELECT 2', out, 'csv')).rejects.toMatchObject({ message: expect.stringContaining('one query') });
    // A query that closes the COPY around it to write elsewhere (or with other options) is refused.
    for (const escape of [`SELECT 1) TO '${join(dir, 'elsewhere.csv')}' (FORMAT csv`, `SELECT 1) TO '${out}' (FORMAT parquet) --`]) {
      await expect(services.sql.copyQuery(escape, out, 'csv'), escape).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await readFile(join(dir, 'elsewhere.csv'), 'utf8').catch(() => null)).toBeNull();
  });

  it('skips the parse check only for text that cannot hold two statements or close the COPY early', () => {
    for (const ok of [`SELECT count(*) FROM sales.orders`, `SELECT 'it''s (', "a "")"" b" FROM t WHERE (x IN (1, 2))`, `FROM t`]) expect(plainlyOneQuery(ok), ok).toBe(true);
    for (const no of [`SELECT 1; SELECT 2`, `SELECT ';'`, `SELECT 1) TO 'x' (FORMAT csv`, `SELECT (1`, `SELECT 1 -- )`, `SELECT /* ) */ 1`, `SELECT E'\\'') TO ''x'`, `SELECT $$)$$`, "SELECT `a`", `SELECT 'open`, `SELECT ")`]) {
      expect(plainlyOneQuery(no), no).toBe(false);
    }
  });

  it('keeps SQL inside the workspace: no other files, no attach, no writes, no extensions', async () => {
    for (const hostile of [
      `SELECT * FROM read_csv('/etc/passwd')`,
      `SELECT * FROM read_text('${DEMO}/dpx.workspace.yaml')`,
      `ATTACH '${join(dir, 'evil.db')}'`,
      `COPY (SELECT 1) TO '${join(dir, 'out.csv')}'`,
      `INSTALL httpfs`,
      `SET enable_external_access = true`,
      `SELECT * FROM glob('/root/*')`,
    ]) {
      await expect(services.sql.run(hostile), hostile).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('pages and sorts a kept result on the backend', async () => {
    const r = await services.sql.run(`SELECT order_id, amount FROM "sales.orders"`);
    expect(r.rowCount).toBe(15000);
    expect(r.columns).toEqual([{ name: 'order_id', type: 'VARCHAR' }, { name: 'amount', type: 'DECIMAL(10,2)' }]);
    const top = await services.sql.rows(r.id, 0, 3, { column: 'amount', desc: true });
    expect(top).toEqual(await truth(`SELECT order_id, amount FROM ${ORDERS} ORDER BY amount DESC NULLS LAST LIMIT 3`));
    expect(await services.sql.rows(r.id, 14998, 10)).toHaveLength(2);
    await services.sql.close(r.id);
    await expect(services.sql.rows(r.id, 0, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cancels a running query', async () => {
    const controller = new AbortController();
    const running = services.sql.run(`SELECT count(*) FROM range(100000000000) a`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('exports CSV, JSON, NDJSON and Parquet that read back identical', async () => {
    const r = await services.sql.run(`SELECT order_id, amount, ordered_at, items FROM "sales.orders" WHERE store_id = 'S03' ORDER BY order_id`);
    const files: Record<string, string> = {};
    for (const format of ['csv', 'json', 'ndjson', 'parquet'] as const) {
      let last = 0;
      files[format] = await services.sql.export(r.id, format, `s03.${format}`, (n) => (last = n));
      if (format !== 'parquet') expect(last).toBe(r.rowCount);
    }
    const back = await truth(`SELECT count(*) FROM read_parquet('${files.parquet}')`);
    expect(back).toEqual([[String(r.rowCount)]]);
    expect(await truth(`SELECT count(*) FROM (SELECT order_id, amount FROM read_csv('${files.csv}') EXCEPT SELECT order_id, amount FROM read_parquet('${files.parquet}'))`)).toEqual([['0']]);
    const json = JSON.parse(await readFile(files.json!, 'utf8')) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(r.rowCount);
    expect(json[0]).toMatchObject({ order_id: expect.stringMatching(/^O-/), amount: expect.any(Number), items: expect.any(Array) });
    const ndjson = (await readFile(files.ndjson!, 'utf8')).trim().split('\n');
    expect(JSON.parse(ndjson[0]!)).toEqual(json[0]);
  });

  it('shows every Parquet type faithfully, including wide tables', async () => {
    const file = join(dir, 'types.parquet');
    const wide = join(dir, 'wide.parquet');
    await independent.run(`COPY (SELECT 12345678901234567890::DECIMAL(38,0) AS h, 9007199254740993::BIGINT AS b, 123.45::DECIMAL(10,2) AS d,
      'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, TIMESTAMPTZ '2026-10-01 12:00:00+00' AS tz, '\\xAA\\xBB'::BLOB AS bl,
      {'a': 1, 'b': [1, 2]} AS st, [1, NULL, 3] AS li, MAP {'k': 1} AS mp, NULL::VARCHAR AS nu) TO '${file}' (FORMAT parquet)`);
    await independent.run(`COPY (SELECT ${Array.from({ length: 300 }, (_, i) => `${i} AS c${i}`).join(', ')}) TO '${wide}' (FORMAT parquet)`);
    await services.sql.attach('types', file);
    await services.sql.attach('wide', wide);
    const [row] = await rows(`SELECT * EXCLUDE (snapshot_date) FROM types`);
    expect(row).toEqual(['12345678901234567890', '9007199254740993', '123.45', 'NaN', 'Infinity', '2026-10-01 12:00:00+00', '\\xAA\\xBB', { a: 1, b: [1, 2] }, [1, null, 3], [{ key: 'k', value: 1 }], null]);
    const w = await services.sql.run(`SELECT * FROM wide`);
    expect(w.columns).toHaveLength(301);
    // A path that does not exist is refused, and later queries are not affected by it.
    await expect(services.sql.attach('ghost', join(dir, 'nope.parquet'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await rows(`SELECT count(*) FROM wide`)).toEqual([['1']]);
  });

  it('runs a script of several statements (the result is the last one\'s), and SHOW, DESCRIBE, PRAGMA', async () => {
    expect(await rows(`SELECT 1 AS a;\n-- then\nSELECT count(*) AS n, 'x' AS y FROM "sales.orders"`)).toEqual(await truth(`SELECT count(*)::VARCHAR, 'x' FROM ${ORDERS}`));
    expect((await rows(`SHOW TABLES`)).flat()).toEqual(expect.arrayContaining(['sales.orders', 'customers.profile']));
    const described = await rows(`DESCRIBE "sales.orders"`);
    expect(described.map((r) => r[0])).toEqual(expect.arrayContaining(['order_id', 'amount', 'snapshot_date']));
    expect((await rows(`/* which DuckDB */ PRAGMA version`))[0]![0]).toMatch(/^v\d+\.\d+/);
  });

  it('describes an opened folder like a snapshot day: its files, rows, row groups, unreadable files and column statistics', async () => {
    const folder = join(dir, 'handed-over');
    await mkdir(join(folder, 'date=2026-11-01'), { recursive: true });
    await mkdir(join(folder, 'date=2026-11-02'), { recursive: true });
    await independent.run(`COPY (SELECT range AS id, 'x' || range AS label FROM range(100)) TO '${folder}/date=2026-11-01/part-0.parquet' (FORMAT parquet)`);
    await independent.run(`COPY (SELECT range + 100 AS id, NULL::VARCHAR AS label FROM range(50)) TO '${folder}/date=2026-11-02/part-0.parquet' (FORMAT parquet)`);
    await services.sql.attach('handed', folder);
    await writeFile(join(folder, 'date=2026-11-02/part-1.parquet'), 'not parquet at all');

    const d = await services.handlers['sql.attachedFiles']({ name: 'handed' }, { signal: new AbortController().signal } as never);
    expect(d.name).toBe('handed');
    expect(d.path).toBe(folder);
    expect(d.files.map((f) => [f.name, f.rows])).toEqual([
      ['date=2026-11-01/part-0.parquet', 100],
      ['date=2026-11-02/part-0.parquet', 50],
      ['date=2026-11-02/part-1.parquet', null],
    ]);
    const groups = await truth(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${folder}/date=2026-11-02/part-0.parquet')`);
    expect(d.files[1]!.rowGroups).toBe(Number(groups[0]![0]));
    expect(d.files[2]!.error).toMatch(/part-1\.parquet: not a Parquet file/);
    expect(d.problems).toEqual([d.files[2]!.error]);
    expect(d.schema).toBeNull();
    const stats = Object.fromEntries(d.columns.map((c) => [c.path, c]));
    expect(stats['id']).toMatchObject({ min: 0, max: 149, nullCount: 0, values: 150 });
    expect(stats['label']).toMatchObject({ nullCount: 50 });
    await expect(services.handlers['sql.attachedFiles']({ name: 'nobody' }, { signal: new AbortController().signal } as never)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('leaves a corrupt snapshot file out, names it, and still queries the other days', async () => {
    const ws = join(dir, 'ws');
    for (const part of ['dpx.workspace.yaml', 'products', 'contracts', 'snapshots']) await cp(join(DEMO, part), join(ws, part), { recursive: true });
    const bad = join(ws, 'snapshots/sales.orders/date=2026-10-05/part-0.parquet');
    await truncate(bad, 1000);
    await writeFile(join(ws, 'snapshots/sales.orders/date=2026-10-06/part-0.parquet'), 'not parquet at all');
    const s = await openServices({ workspace: ws, cacheDir: join(dir, 'cache2') });
    try {
      const r = await s.sql.run(`SELECT count(DISTINCT snapshot_date) FROM "sales.orders"`);
      expect(await s.sql.rows(r.id, 0, 1)).toEqual([['28']]);
      const schema = await s.sql.schema();
      expect(schema.problems.map((p) => p.file).sort()).toEqual([bad, join(ws, 'snapshots/sales.orders/date=2026-10-06/part-0.parquet')]);
      expect(schema.problems[0]!.message).toMatch(/not a readable Parquet file/);
    } finally {
      await s.close();
    }
  });

  it('answers count(*) over every day from the footers read at start, without scanning', async () => {
    const plan = await rows(`EXPLAIN SELECT count(*) FROM "sales.orders"`);
    expect(String(plan[0]![1])).not.toMatch(/READ_PARQUET|TABLE_SCAN/);
    expect(await rows(`SELECT count(*) FROM "sales.orders"`)).toEqual(await truth(`SELECT count(*) FROM ${ORDERS}`));
  });

  it('names each snapshot file to DuckDB by a pattern that matches that file alone', async () => {
    const files = join(dir, 'globs');
    const odd = join(files, 'odd[1]*');
    await mkdir(odd, { recursive: true });
    const names = ['part-0.parquet', 'part-0.parquetx', 'part-00.parquet', 'xpart-0.parquet', 'part-0.parquet!'];
    for (const [i, name] of names.entries()) {
      for (const folder of [files, odd]) await independent.run(`COPY (SELECT ${i} AS n) TO '${join(folder, name)}' (FORMAT parquet)`);
    }
    for (const folder of [files, odd]) {
      for (const [i, name] of names.entries()) {
        const path = join(folder, name);
        const got = await truth(`SELECT n, filename FROM read_parquet([${sqlString(exactGlob(path))}], filename = true)`);
        expect(got, path).toEqual([[i, path]]);
      }
    }
    expect(exactGlob(join(files, 'part-0.parquet'))).toBe(join(files, 'part-0.parque[t]'));
    expect(exactGlob(join(odd, 'part-0.parquet'))).toBe(join(odd, 'part-0.parquet'));
  });

  it('says which snapshot file is gone when one is removed after the workspace was read', async () => {
    const ws = join(dir, 'ws-gone');
    for (const part of ['dpx.workspace.yaml', 'products', 'contracts', 'snapshots']) await cp(join(DEMO, part), join(ws, part), { recursive: true });
    const s = await openServices({ workspace: ws, cacheDir: join(dir, 'cache3') });
    try {
      await s.sql.run(`SELECT count(*) FROM "sales.orders"`);
      const gone = join(ws, 'snapshots/sales.orders/date=2026-10-07/part-0.parquet');
      await rm(gone);
      await expect(s.sql.run(`SELECT sum(amount) FROM "sales.orders"`)).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Snapshot file ${gone} is gone (removed after the workspace was read); reload the workspace to query what is there now` });
      // Other products still answer.
      expect(await s.sql.run(`SELECT count(*) FROM "customers.profile"`)).toMatchObject({ rowCount: 1 });
    } finally {
      await s.close();
    }
  });

  it('describes tables for completion: products with columns and docs, keywords, functions', async () => {
    const schema = await services.sql.schema();
    const orders = schema.tables.find((t) => t.name === 'sales.orders')!;
    expect(orders).toMatchObject({ product: 'sales.orders', days: 30, files: 30 });
    expect(orders.columns.find((c) => c.name === 'amount')).toEqual({ name: 'amount', type: 'DECIMAL(10,2)', description: 'Total of the order in EUR, taxes included.' });
    expect(orders.columns.at(-1)).toMatchObject({ name: 'snapshot_date', type: 'DATE' });
    expect(schema.keywords).toContain('select');
    expect(schema.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['sum', 'read_parquet', 'date_trunc']));
  });
});
