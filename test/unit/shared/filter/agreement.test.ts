// One expression, two engines: for random filters and random rows, the rows the JavaScript evaluator
// keeps (streams) are exactly the rows DuckDB keeps when it runs filterToSql() (snapshots).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileFilter,
  filterToSql,
  FilterSyntaxError,
  parseFilter,
  snapshotColumns,
  sqlString,
  type ColumnRef,
  type FilterRow,
} from '../../../../shared/filter';

interface TestRow {
  id: number;
  k: string | null;
  ts: number;
  part: number;
  off: number;
  hsrc: string | null;
  amount: number | null;
  store: string | null;
  qty: number | null;
  flag: boolean | null;
  note: string | null;
  info: { city: string | null; n: number | null } | null;
  tags: (string | null)[] | null;
}

const VALUE_COLUMNS = ['amount', 'store', 'qty', 'flag', 'note', 'info', 'tags'] as const;
const valueColumns = snapshotColumns(VALUE_COLUMNS);

/** The snapshot: every stream column has a typed table column. */
const mapper = (ref: ColumnRef): string | null => {
  switch (ref.kind) {
    case 'key':
      return '"k"';
    case 'timestamp':
      return '"ts"';
    case 'partition':
      return '"part"';
    case 'offset':
      return '"off"';
    case 'header':
      return ref.path[0] === 'src' ? '"hsrc"' : null;
    case 'value':
      return ref.path.length === 1 && ref.path[0] === 'missing' ? 'CAST(NULL AS VARCHAR)' : valueColumns(ref);
  }
};

/** The stream: the same row as a decoded message (NULL fields sometimes absent, sometimes null). */
function toFilterRow(r: TestRow): FilterRow {
  const value: Record<string, unknown> = {};
  for (const c of VALUE_COLUMNS) {
    if (r[c] !== null || r.id % 2 === 0) value[c] = r[c];
  }
  return { key: r.k, value, headers: r.hsrc === null ? {} : { src: r.hsrc }, timestamp: r.ts, partition: r.part, offset: r.off };
}

function sqlValue(v: string | number | boolean | null, type: string): string {
  if (v === null) return `CAST(NULL AS ${type})`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return `CAST(${type === 'DOUBLE' ? `'${v}'` : v} AS ${type})`;
  return sqlString(v);
}

const TRICKY_STRINGS = [
  'S01', 'S02', 's01', '', ' ', ' 12 ', '12', '12.50', '-3', '1e3', '0x10', 'abc', 'true', 'FALSE', 'yes', 't', '0', '1',
  '2026-10-01', '2026-10-01 12:00:00', '2026-10-01T12:00:00Z', '2026-10-01T12:00:00.123456+02:00', '2026-02-30',
  'a_c', 'abc', 'a%c', 'A_C', "it's", 'é', 'É', 'ß', '😀', 'a😀b', 'Straße', 'x\ny', '\\', '!',
];

const doubleArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -100000, max: 100000 }).map((n) => n / 100),
  fc.constantFrom(0, 0.5, 2.5, -2.5, 1e-5, 1.5e-7, 1e20, 123456.789, 2147483647.5),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
);
const stringArb = fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string({ maxLength: 6 }));
const tsArb = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
  fc.constantFrom(0, Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 1, 12), Date.UTC(2026, 9, 1, 10)),
);
const nullable = <T,>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { freq: 4, nil: null });

const rowsArb = fc
  .array(
    fc.record({
      k: nullable(stringArb),
      ts: tsArb,
      part: fc.integer({ min: 0, max: 5 }),
      off: fc.integer({ min: 0, max: 1_000_000 }),
      hsrc: nullable(stringArb),
      amount: nullable(doubleArb),
      store: nullable(stringArb),
      qty: nullable(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map((n) => (Math.abs(n) > 1e6 && n % 3 !== 0 ? n % 1000 : n))),
      flag: nullable(fc.boolean()),
      note: nullable(stringArb),
      info: nullable(fc.record({ city: nullable(stringArb), n: nullable(fc.integer({ min: -5, max: 5 })) })),
      tags: nullable(fc.array(nullable(stringArb), { maxLength: 3 })),
    }),
    { minLength: 2, maxLength: 12 },
  )
  .map((rows) => rows.map((r, id) => ({ ...r, id }) as TestRow));

// ---- expression generator (text, as a user would type it) ----

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const numLit = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.integer({ min: -100000, max: 100000 }).map((n) => String(n / 100)),
  fc.constantFrom('0', '1e3', '0.5', '2.5', '-2.5', '1e-5', '12', '100'),
);
const strLit = stringArb.map(q);
const tsLit = fc.constantFrom(
  "TIMESTAMP '2026-10-01 12:00:00'", "TIMESTAMP '2026-10-01T10:00:00Z'", "DATE '2026-10-01'", "TIMESTAMP '2025-06-30 23:59:59.999'",
  "TIMESTAMP '2026-10-01T12:00:00+02:00'", "DATE '1970-01-01'",
);
const interval = fc.constantFrom("INTERVAL '15 minutes'", "INTERVAL '1 day'", "INTERVAL '2 hours 30 minutes'", "INTERVAL '500 ms'", "INTERVAL '-1 week'");
const numCol = fc.constantFrom('amount', 'value.amount', 'qty', 'value.qty', 'partition', 'offset', 'value.info.n');
const strCol = fc.constantFrom('store', 'value.store', 'note', 'key', 'headers.src', 'value.missing', 'info.city', "value['tags'][0]", 'tags[1]');
const anyCol = fc.constantFrom('amount', 'store', 'qty', 'flag', 'note', 'value.flag', 'value.missing', 'value.info', 'value.tags', 'info.n', 'value.tags[0]', '"note"');
const cmp = fc.constantFrom('=', '==', '!=', '<>', '<', '<=', '>', '>=');
const likePattern = fc.constantFrom('%', '_', 'S0%', '%1', '%!%%', 'a!_c', 'a_c', '', '%é%', '___', '%2026%', '1%', 's%', '%!!%');
const regexPattern = fc.constantFrom('^S0[12]$', 'a.c', '\\d+', '^$', '(?i)s0', 'x|y', '[^a-z]', '\\bS', 'b{2,3}', '.', '^\\s', '[0-9]{4}-', 'é|😀');
const unit = fc.constantFrom('second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year');
const castType = fc.constantFrom('VARCHAR', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP');

function numExpr(d: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(numCol, numLit);
  if (d <= 0) return leaf;
  const sub = numExpr(d - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    fc.tuple(sub, fc.constantFrom('+', '-', '*', '/', '%'), sub).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('abs', 'floor', 'ceil', 'round'), sub).map(([f, a]) => `${f}(${a})`),
    fc.tuple(sub, fc.integer({ min: -2, max: 3 })).map(([a, k]) => `round(${a}, ${k})`),
    strExpr(d - 1).map((s) => `length(${s})`),
    fc.tuple(anyExpr(d - 1), fc.constantFrom('INTEGER', 'BIGINT', 'DOUBLE')).map(([a, t]) => `cast(${a} AS ${t})`),
    sub.map((a) => `-${a}`),
    fc.tuple(numCol, numLit).map(([c, l]) => `coalesce(${c}, ${l})`),
    strCol.map((c) => `${c}::INTEGER`),
  );
}

function strExpr(d: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(strCol, strLit);
  if (d <= 0) return leaf;
  const sub = strExpr(d - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    fc.tuple(fc.constantFrom('lower', 'upper', 'trim'), sub).map(([f, a]) => `${f}(${a})`),
    fc.tuple(anyExpr(d - 1), anyExpr(d - 1)).map(([a, b]) => `(${a} || ${b})`),
    anyExpr(d - 1).map((a) => `cast(${a} AS VARCHAR)`),
    fc.tuple(strCol, strLit).map(([c, l]) => `coalesce(${c}, ${l})`),
    tsExpr(d - 1).map((t) => `cast(${t} AS VARCHAR)`),
  );
}

function tsExpr(d: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(fc.constant('timestamp'), tsLit);
  if (d <= 0) return leaf;
  const sub = tsExpr(d - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    fc.tuple(sub, fc.constantFrom('+', '-'), interval).map(([t, op, i]) => `(${t} ${op} ${i})`),
    fc.tuple(unit, sub).map(([u, t]) => `date_trunc('${u}', ${t})`),
    fc.tuple(fc.oneof(strCol, numCol, strLit), fc.constantFrom('TIMESTAMP', 'DATE')).map(([a, t]) => `cast(${a} AS ${t})`),
  );
}

function anyExpr(d: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: anyCol },
    numExpr(d),
    strExpr(d),
    fc.constantFrom('TRUE', 'FALSE', 'NULL'),
    fc.tuple(anyCol, castType).map(([c, t]) => `cast(${c} AS ${t})`),
  );
}

function cond(d: number): fc.Arbitrary<string> {
  const x = anyExpr(Math.min(d, 2));
  const not = fc.constantFrom('', 'NOT ');
  const leaves = [
    fc.tuple(x, cmp, x).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(numExpr(1), cmp, numExpr(1)).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(x, not).map(([a, n]) => `${a} IS ${n}NULL`),
    fc.tuple(x, not, fc.array(fc.oneof(numLit, strLit, fc.constantFrom('NULL', 'TRUE'), anyCol), { minLength: 1, maxLength: 4 })).map(
      ([a, n, items]) => `${a} ${n}IN (${items.join(', ')})`,
    ),
    fc.tuple(x, not, x, x).map(([a, n, lo, hi]) => `${a} ${n}BETWEEN ${lo} AND ${hi}`),
    fc.tuple(strExpr(1), not, fc.constantFrom('LIKE', 'ILIKE'), likePattern, fc.boolean()).map(
      ([s, n, op, p, esc]) => `${s} ${n}${op} ${q(p)}${esc ? " ESCAPE '!'" : ''}`,
    ),
    fc.tuple(strExpr(1), not, fc.constantFrom('LIKE', 'ILIKE'), strExpr(1), fc.boolean()).map(
      ([s, n, op, p, esc]) => `${s} ${n}${op} ${p}${esc ? " ESCAPE '!'" : ''}`,
    ),
    fc.tuple(x, not, x).map(([a, n, b]) => `${a} IS ${n}DISTINCT FROM ${b}`),
    fc.tuple(fc.constantFrom('contains', 'starts_with', 'ends_with'), strExpr(1), strExpr(1)).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(strExpr(1), regexPattern).map(([s, p]) => `regexp_matches(${s}, ${q(p)})`),
    fc.tuple(tsExpr(2), cmp, fc.oneof(tsExpr(1), strCol, strLit, numCol)).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tsExpr(1), tsExpr(1), cmp, interval).map(([a, b, op, i]) => `(${a} - ${b}) ${op} ${i}`),
    fc.constantFrom('flag', 'value.flag', 'note', 'amount', 'cast(store AS BOOLEAN)', 'cast(qty AS BOOLEAN)'),
  ];
  const leaf = fc.oneof(...leaves);
  if (d <= 0) return leaf;
  const sub = cond(d - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    sub.map((c) => `NOT (${c})`),
    fc.tuple(sub, fc.constantFrom('AND', 'OR'), sub).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(sub, sub, sub).map(([a, b, c]) => `${a} AND ${b} OR ${c}`),
  );
}

// ---- DuckDB ----

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  // Zone-less conversions must not depend on the session time zone.
  await conn.run("SET TimeZone = 'America/New_York'");
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

async function load(rows: TestRow[]): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TABLE t (id INTEGER, k VARCHAR, ts BIGINT, part INTEGER, off BIGINT, hsrc VARCHAR, amount DOUBLE, store VARCHAR, qty INTEGER, flag BOOLEAN, note VARCHAR, info STRUCT(city VARCHAR, n INTEGER), tags VARCHAR[])',
  );
  const values = rows.map(
    (r) =>
      `(${r.id}, ${sqlValue(r.k, 'VARCHAR')}, ${r.ts}, ${r.part}, ${r.off}, ${sqlValue(r.hsrc, 'VARCHAR')}, ${sqlValue(r.amount, 'DOUBLE')}, ` +
      `${sqlValue(r.store, 'VARCHAR')}, ${sqlValue(r.qty, 'INTEGER')}, ${sqlValue(r.flag, 'BOOLEAN')}, ${sqlValue(r.note, 'VARCHAR')}, ` +
      `${r.info === null ? 'CAST(NULL AS STRUCT(city VARCHAR, n INTEGER))' : `struct_pack(city := ${sqlValue(r.info.city, 'VARCHAR')}, n := ${sqlValue(r.info.n, 'INTEGER')})`}, ` +
      `${r.tags === null ? 'CAST(NULL AS VARCHAR[])' : `CAST([${r.tags.map((t) => sqlValue(t, 'VARCHAR')).join(', ')}] AS VARCHAR[])`})`,
  );
  await conn.run(`INSERT INTO t VALUES ${values.join(', ')}`);
}

async function sqlIds(sql: string): Promise<number[]> {
  const result = await conn.runAndReadAll(`SELECT id FROM t WHERE ${sql} ORDER BY id`);
  return result.getRowsJS().map((r) => Number(r[0]));
}

/** Filters that kept some but not all rows (the ones that tell the engines apart). */
let discriminating = 0;

async function agree(text: string, rows: TestRow[]): Promise<'skipped' | 'checked'> {
  let expr;
  try {
    expr = parseFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return 'skipped';
    throw e;
  }
  const keep = compileFilter(expr);
  const js = rows.filter((r) => keep(toFilterRow(r))).map((r) => r.id);
  const sql = filterToSql(expr, mapper);
  await load(rows);
  let duck: number[];
  try {
    duck = await sqlIds(sql);
  } catch (e) {
    throw new Error(`DuckDB failed on ${text}\n${sql}\n${(e as Error).message}`, { cause: e });
  }
  expect({ text, ids: duck }).toEqual({ text, ids: js });
  if (js.length > 0 && js.length < rows.length) discriminating++;
  return 'checked';
}

const sampleRows: TestRow[] = [
  { id: 0, k: 'k1', ts: Date.UTC(2026, 9, 1, 12), part: 0, off: 10, hsrc: 'web', amount: 150, store: 'S01', qty: 3, flag: true, note: '12', info: { city: 'Oslo', n: 1 }, tags: ['a', 'b'] },
  { id: 1, k: null, ts: Date.UTC(2026, 9, 1, 9), part: 1, off: 11, hsrc: null, amount: 99.5, store: 'S02', qty: null, flag: false, note: 'abc', info: { city: null, n: 2 }, tags: [] },
  { id: 2, k: 'k3', ts: Date.UTC(2025, 5, 30), part: 2, off: 12, hsrc: 'app', amount: null, store: null, qty: 0, flag: null, note: '2026-10-01T12:00:00Z', info: null, tags: null },
  { id: 3, k: '42', ts: 0, part: 0, off: 13, hsrc: 'web', amount: -2.5, store: 'a_c', qty: -7, flag: true, note: 'true', info: { city: 'Bergen', n: null }, tags: [null, 'x'] },
  { id: 4, k: 'k5', ts: Date.UTC(2026, 9, 1, 10), part: 1, off: 14, hsrc: '', amount: 1e-5, store: 'Straße', qty: 2147483647, flag: false, note: null, info: { city: 'Oslo', n: -1 }, tags: ['b'] },
  { id: 5, k: 'k6', ts: Date.UTC(2026, 9, 1, 11), part: 2, off: 15, hsrc: 'app', amount: 2147483647.5, store: 'S03', qty: -2147483648, flag: null, note: '-2147483648.5', info: null, tags: null },
];

describe('stream evaluation and snapshot SQL agree', () => {
  it.each([
    'value.amount > 100 AND value.store IN (\'S01\', \'S02\')',
    'amount > 100',
    "store = 'S01' OR store IS NULL",
    'note = 12',
    "note > '100'",
    'qty IN (3, NULL)',
    'qty NOT IN (3, NULL)',
    "key = 42",
    'flag',
    'NOT flag',
    'note',
    "amount BETWEEN 0 AND 100",
    "store LIKE 'a!_c' ESCAPE '!'",
    "NOT (store LIKE store || '!' ESCAPE '!')",
    "NOT (store ILIKE lower(store) || '!!' ESCAPE '!')",
    "note LIKE key ESCAPE '!' OR note NOT LIKE key",
    "store ILIKE 'STRASSE' OR store ILIKE 'straße'",
    "upper(store) = 'STRAẞE'",
    "timestamp > TIMESTAMP '2026-10-01 10:00:00'",
    "timestamp >= DATE '2026-10-01'",
    "note = TIMESTAMP '2026-10-01 12:00:00'",
    "cast(note AS TIMESTAMP) > timestamp",
    "timestamp - INTERVAL '2 hours' >= TIMESTAMP '2026-10-01T08:00:00Z'",
    "date_trunc('day', timestamp) = DATE '2026-10-01'",
    "cast(amount AS VARCHAR) IN ('150', '99.5', '1e-05', '-2.5')",
    "cast(amount AS INTEGER) = -2",
    // At the edge of INTEGER: 2147483647.5 rounds to 2147483648, out of range, so NULL.
    'cast(amount AS INTEGER) IS DISTINCT FROM NULL',
    'cast(note AS INTEGER) IS NULL',
    'cast(amount AS BIGINT) = 2147483648',
    "amount || '' = '150'",
    "regexp_matches(store, '^S0[12]$')",
    "headers.src = 'web'",
    "headers.src IS DISTINCT FROM 'web'",
    "value.missing IS NULL",
    "coalesce(amount, 0) = 0",
    "round(amount) = -3 OR round(amount, 1) = 99.5",
    "length(store) = 6",
    "offset % 2 = 0 AND partition <> 2",
    "value.info.city = 'Oslo'",
    "info.n >= 1",
    "value.tags[0] = 'a' OR value['tags'][1] = 'x'",
    "value.info IS NULL",
    "value.info = 'Oslo'",
    "value.tags IS NOT NULL AND value.tags[5] IS NULL",
  ])('%s', async (text) => {
    expect(await agree(text, sampleRows)).toBe('checked');
  });

  it('random filters on random rows select the same rows', async () => {
    let checked = 0;
    let skipped = 0;
    discriminating = 0;
    await fc.assert(
      fc.asyncProperty(rowsArb, cond(2), async (rows, text) => {
        if ((await agree(text, rows)) === 'checked') checked++;
        else skipped++;
      }),
      { numRuns: Number(process.env.FILTER_AGREEMENT_RUNS ?? 500) },
    );
    // Most generated filters are well-typed; the rest are refused by the type checker.
    expect(checked).toBeGreaterThan(skipped);
    // …and a fair share of them keep some rows and drop others.
    expect(discriminating).toBeGreaterThan(checked / 10);
  }, 600_000);
});
