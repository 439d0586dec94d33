import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  filterToSql,
  parseFilter,
  quoteIdentifier,
  snapshotColumns,
  sqlString,
  type ColumnRef,
} from '../../../../shared/filter';
import { sqlNumber } from '../../../../shared/filter/to-sql';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Kolkata'");
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

async function query(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS();
}

describe('quoting', () => {
  it('doubles quotes and refuses NUL', () => {
    expect(quoteIdentifier('amount')).toBe('"amount"');
    expect(quoteIdentifier('a "b"')).toBe('"a ""b"""');
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('back\\slash')).toBe("'back\\slash'");
    expect(() => quoteIdentifier('a\u0000')).toThrow();
    expect(() => sqlString('a\u0000')).toThrow();
  });

  it('DuckDB reads back every string and identifier exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), async (s) => {
        const [[value]] = (await query(`SELECT ${sqlString(s)} AS ${quoteIdentifier(s)}`)) as [[string]];
        expect(value).toBe(s);
      }),
      { numRuns: 200 },
    );
  });

  it('DuckDB reads back every number exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (n) => {
        const [[value]] = (await query(`SELECT ${sqlNumber(n)}`)) as [[number]];
        expect(value).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('snapshotColumns', () => {
  const map = snapshotColumns(['amount', 'Store_ID', 'store_id2', 'info', 'items', 'ts', 'key'], { timestamp: 'ts' });
  const ref = (kind: ColumnRef['kind'], ...path: (string | number)[]): ColumnRef => ({ kind, path });

  it.each([
    [ref('value', 'amount'), '"amount"'],
    [ref('value', 'store_id'), '"Store_ID"'],
    [ref('value', 'STORE_ID2'), '"store_id2"'],
    [ref('value', 'info', 'city'), '"info"."city"'],
    [ref('value', 'items', 0, 'sku'), '"items"[1]."sku"'],
    [ref('value', 'nope'), null],
    [ref('value'), null],
    [ref('timestamp'), '"ts"'],
    [ref('key'), '"key"'],
    [ref('partition'), null],
    [ref('header', 'src'), null],
  ])('%j → %s', (r, sql) => {
    expect(map(r)).toBe(sql);
  });
});

describe('SQL text', () => {
  const columns = snapshotColumns(['amount', 'store']);

  it('folds constants with the evaluator', () => {
    expect(filterToSql(parseFilter('1 + 1 = 2'), columns)).toBe('TRUE');
    expect(filterToSql(parseFilter("'12' = 12 AND amount > 2 * 50"), columns)).toContain('> CAST(100 AS DOUBLE)');
    expect(filterToSql(parseFilter("timestamp > TIMESTAMP '2026-10-01 12:00:00' - INTERVAL '1 hour'"), snapshotColumns([], { timestamp: 'ts' }))).toContain(
      `CAST(${Date.UTC(2026, 9, 1, 11)} AS DOUBLE)`,
    );
  });

  it('lets DuckDB fold the type dispatch away to a plain comparison', async () => {
    await conn.run('CREATE OR REPLACE TABLE snap AS SELECT range::DOUBLE AS amount, concat(\'S0\', range % 5) AS store FROM range(1000)');
    const sql = filterToSql(parseFilter("amount > 100 AND store IN ('S01', 'S02')"), columns);
    const plan = (await query(`EXPLAIN SELECT count(*) FROM snap WHERE ${sql}`)).map((r) => String(r[1])).join('\n');
    expect(plan).not.toContain('typeof');
    expect(plan).not.toContain('regexp');
    const [[count]] = (await query(`SELECT count(*) FROM snap WHERE ${sql}`)) as [[bigint]];
    expect(count).toBe(360n);
  });
});

describe('snapshot column types beyond JSON', () => {
  const columns = snapshotColumns(['ts', 'tstz', 'd', 'n', 'dec', 'big', 'u', 'st', 'l', 'f', 'e'], { timestamp: 'ts' });

  beforeAll(async () => {
    await conn.run("CREATE TYPE IF NOT EXISTS mood AS ENUM ('sad', 'happy')");
    await conn.run(
      "CREATE OR REPLACE TABLE typed AS SELECT TIMESTAMP '2026-10-01 12:00:00' AS ts, TIMESTAMPTZ '2026-10-01 12:00:00+00' AS tstz, DATE '2026-10-01' AS d, " +
        "42::HUGEINT AS n, 12.50::DECIMAL(10, 2) AS dec, 9007199254740993::BIGINT AS big, 7::UTINYINT AS u, {'a': 1} AS st, [1, 2] AS l, 'NaN'::DOUBLE AS f, 'happy'::mood AS e",
    );
  });

  it.each([
    "timestamp = TIMESTAMP '2026-10-01 12:00:00'",
    "timestamp = '2026-10-01T12:00:00Z'",
    "timestamp = '2026-10-01T17:30:00+05:30'",
    "value.tstz = TIMESTAMP '2026-10-01 12:00:00'",
    "value.tstz > DATE '2026-10-01'",
    "value.d = DATE '2026-10-01'",
    "value.d < TIMESTAMP '2026-10-01 00:00:01'",
    "cast(timestamp AS VARCHAR) = '2026-10-01T12:00:00.000Z'",
    "cast(value.tstz AS VARCHAR) = '2026-10-01T12:00:00.000Z'",
    "date_trunc('month', value.d) = DATE '2026-10-01'",
    "timestamp - value.d = INTERVAL '12 hours'",
    "value.n = 42 AND value.n = '42' AND cast(value.n AS VARCHAR) = '42'",
    "value.dec = 12.5 AND cast(value.dec AS VARCHAR) = '12.5'",
    'value.big > 9007199254740991',
    'value.u + 1 = 8',
    'value.st IS NOT NULL AND value.st.a = 1 AND value.l[1] = 2 AND value.l[0] = 1',
    "value.st = 'x' IS NULL AND value.l = 1 IS NULL",
    'value.f IS NOT NULL AND value.f = 1 IS NULL',
    "value.e = 'happy' AND e LIKE 'ha%'",
    "timestamp > now() - INTERVAL '100000 days'",
  ])('%s', async (text) => {
    const sql = filterToSql(parseFilter(text), columns);
    const [[count]] = (await query(`SELECT count(*) FROM typed WHERE ${sql}`)) as [[bigint]];
    expect(count).toBe(1n);
  });
});
