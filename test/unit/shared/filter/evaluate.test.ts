import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter, type FilterRow } from '../../../../shared/filter';

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);

function row(value: unknown, extra: Partial<FilterRow> = {}): FilterRow {
  return { key: 'k1', value, headers: {}, timestamp: NOW, partition: 3, offset: 42, ...extra };
}

function keeps(text: string, r: FilterRow): boolean {
  return compileFilter(parseFilter(text), { now: () => NOW })(r);
}

/** The three-valued result: a filter keeps the row when TRUE; NOT (filter) keeps it when FALSE. */
function truth(text: string, r: FilterRow = row({})): 'TRUE' | 'FALSE' | 'NULL' {
  const t = keeps(text, r);
  const f = keeps(`NOT (${text})`, r);
  expect(t && f).toBe(false);
  return t ? 'TRUE' : f ? 'FALSE' : 'NULL';
}

const T = true;
const F = false;
const N = null;

describe('three-valued logic', () => {
  const values = [T, F, N] as const;
  const name = (v: boolean | null): string => (v === null ? 'NULL' : v ? 'TRUE' : 'FALSE');
  const and = (a: boolean | null, b: boolean | null): boolean | null => (a === F || b === F ? F : a === N || b === N ? N : T);
  const or = (a: boolean | null, b: boolean | null): boolean | null => (a === T || b === T ? T : a === N || b === N ? N : F);

  for (const a of values) {
    it(`NOT ${name(a)} = ${name(a === null ? null : !a)}`, () => {
      expect(truth('NOT x', row({ x: a }))).toBe(name(a === null ? null : !a));
    });
    for (const b of values) {
      it(`${name(a)} AND ${name(b)} = ${name(and(a, b))}; OR = ${name(or(a, b))}`, () => {
        const r = row({ x: a, y: b });
        expect(truth('x AND y', r)).toBe(name(and(a, b)));
        expect(truth('x OR y', r)).toBe(name(or(a, b)));
        expect(truth('x AND y AND TRUE', r)).toBe(name(and(a, b)));
        expect(truth('x OR y OR FALSE', r)).toBe(name(or(a, b)));
      });
    }
  }

  it('comparisons with NULL are NULL, and WHERE keeps only TRUE', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
      expect(truth(`x ${op} NULL`, row({ x: 1 }))).toBe('NULL');
      expect(truth(`x ${op} 1`, row({ x: null }))).toBe('NULL');
      expect(truth(`x ${op} 1`, row({}))).toBe('NULL');
      expect(keeps(`x ${op} NULL`, row({ x: 1 }))).toBe(false);
    }
    expect(truth('NULL = NULL')).toBe('NULL');
  });

  it('IS NULL, IS NOT NULL and IS [NOT] DISTINCT FROM are never NULL', () => {
    expect(truth('x IS NULL', row({ x: null }))).toBe('TRUE');
    expect(truth('x IS NULL', row({}))).toBe('TRUE');
    expect(truth('x IS NULL', row({ x: 0 }))).toBe('FALSE');
    expect(truth('x IS NOT NULL', row({ x: '' }))).toBe('TRUE');
    expect(truth('x IS NOT NULL', row({ x: { nested: true } }))).toBe('TRUE');
    expect(truth('x IS DISTINCT FROM NULL', row({ x: null }))).toBe('FALSE');
    expect(truth('x IS DISTINCT FROM NULL', row({ x: 1 }))).toBe('TRUE');
    expect(truth('x IS DISTINCT FROM 1', row({ x: 1 }))).toBe('FALSE');
    expect(truth("x IS DISTINCT FROM '1'", row({ x: 1 }))).toBe('FALSE');
    expect(truth('x IS DISTINCT FROM 2', row({ x: 1 }))).toBe('TRUE');
    expect(truth("x IS DISTINCT FROM 'abc'", row({ x: 1 }))).toBe('TRUE');
    expect(truth('x IS NOT DISTINCT FROM y', row({ x: null, y: null }))).toBe('TRUE');
    expect(truth('x IS NOT DISTINCT FROM y', row({ x: 'a', y: null }))).toBe('FALSE');
  });

  it('IS NULL applies to the comparison before it', () => {
    expect(truth('x = y IS NULL', row({ x: 1 }))).toBe('TRUE');
    expect(truth('x = y IS NULL', row({ x: 1, y: 1 }))).toBe('FALSE');
  });
});

describe('IN', () => {
  it.each([
    ['x IN (1, 2)', 1, 'TRUE'],
    ['x IN (1, 2)', 3, 'FALSE'],
    ['x IN (1, NULL)', 1, 'TRUE'],
    ['x IN (1, NULL)', 3, 'NULL'],
    ['x NOT IN (1, NULL)', 3, 'NULL'],
    ['x NOT IN (1, NULL)', 1, 'FALSE'],
    ['x NOT IN (1, 2)', 3, 'TRUE'],
    ['x IN (1, 2)', null, 'NULL'],
    ['x NOT IN (1, 2)', null, 'NULL'],
    ["x IN ('S01', 'S02')", 'S02', 'TRUE'],
    ["x IN ('S01', 'S02')", 's02', 'FALSE'],
    ["x IN ('1', 'x')", 1, 'TRUE'],
    ["x IN ('2', 'x')", 1, 'NULL'],
    ["x IN (1, 'x')", '1', 'TRUE'],
    ["x IN (2, 'x')", 'x', 'TRUE'],
    ["x IN (2, 'y')", 'x', 'NULL'],
    ['x IN (TRUE)', 'yes', 'TRUE'],
    ['x IN (1)', true, 'TRUE'],
    ['x IN (0.1 + 0.2)', 0.30000000000000004, 'TRUE'],
    ['x IN (-0)', 0, 'TRUE'],
    ['x IN (y, 2)', 2, 'TRUE'],
    ['x IN (y, 2)', 3, 'NULL'],
  ])('%s with x = %j is %s', (text, x, expected) => {
    expect(truth(text, row({ x }))).toBe(expected);
  });

  it('a large list is a set lookup', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `'S${i}'`).join(', ');
    const keep = compileFilter(parseFilter(`x IN (${list})`));
    expect(keep(row({ x: 'S999' }))).toBe(true);
    expect(keep(row({ x: 'S1000' }))).toBe(false);
  });
});

describe('BETWEEN', () => {
  it.each([
    ['x BETWEEN 1 AND 10', 5, 'TRUE'],
    ['x BETWEEN 1 AND 10', 1, 'TRUE'],
    ['x BETWEEN 1 AND 10', 10, 'TRUE'],
    ['x BETWEEN 1 AND 10', 11, 'FALSE'],
    ['x BETWEEN 10 AND 1', 5, 'FALSE'],
    ['x NOT BETWEEN 1 AND 10', 11, 'TRUE'],
    ['x BETWEEN NULL AND 4', 5, 'FALSE'],
    ['x BETWEEN NULL AND 10', 5, 'NULL'],
    ['x NOT BETWEEN NULL AND 4', 5, 'TRUE'],
    ['x BETWEEN 1 AND 10', null, 'NULL'],
    ["x BETWEEN 'a' AND 'c'", 'b', 'TRUE'],
    ["x BETWEEN 'a' AND 'c'", 'cc', 'FALSE'],
    ["x BETWEEN '1' AND '10'", 5, 'TRUE'],
  ])('%s with x = %j is %s', (text, x, expected) => {
    expect(truth(text, row({ x }))).toBe(expected);
  });
});

describe('LIKE and ILIKE', () => {
  it.each([
    ['%', '', true],
    ['%', 'anything\nat all', true],
    ['_', '', false],
    ['_', 'a', true],
    ['_', 'ab', false],
    ['_', 'é', true],
    ['_', '😀', true],
    ['a_b', 'a😀b', true],
    ['S0%', 'S01', true],
    ['S0%', 's01', false],
    ['%1', 'S01', true],
    ['%0%', 'S01', true],
    ['%x%y%', 'axbyc', true],
    ['%x%y%', 'aybxc', false],
    ['%aa%aa%', 'aaa', false],
    ['%aa%aa%', 'aaaa', true],
    ['a%b%c', 'abc', true],
    ['a%b%c', 'ac', false],
    ['ab%ba', 'aba', false],
    ['x\ny', 'x\ny', true],
    ['x_y', 'x\ny', true],
    // regular-expression metacharacters are literal
    ['a.c', 'abc', false],
    ['a.c', 'a.c', true],
    ['(x)+[y]*', '(x)+[y]*', true],
    ['^$', '^$', true],
    ['^$', '', false],
    ['a|b', 'a', false],
    ['\\d', '5', false],
    ['\\d', '\\d', true],
    // backslash is not an escape character unless ESCAPE says so
    ['a\\_c', 'a\\bc', true],
    ['a\\_c', 'a_c', false],
  ])("'%s' LIKE %j → %s", (pattern, subject, expected) => {
    expect(keeps(`x LIKE '${pattern.replace(/'/g, "''")}'`, row({ x: subject }))).toBe(expected);
  });

  it.each([
    ["x LIKE 'a!_c' ESCAPE '!'", 'a_c', true],
    ["x LIKE 'a!_c' ESCAPE '!'", 'abc', false],
    ["x LIKE '100!%' ESCAPE '!'", '100%', true],
    ["x LIKE '100!%' ESCAPE '!'", '1000', false],
    ["x LIKE 'a!!c' ESCAPE '!'", 'a!c', true],
    ["x LIKE 'a!bc' ESCAPE '!'", 'abc', true],
    ["x LIKE 'a\\_c' ESCAPE '\\'", 'a_c', true],
    ["x LIKE 'a\\_c' ESCAPE '\\'", 'abc', false],
  ])('%s with %j → %s', (text, subject, expected) => {
    expect(keeps(text, row({ x: subject }))).toBe(expected);
  });

  it('a pattern ending in its escape character is an error, or NULL when it comes from data', () => {
    expect(() => parseFilter("x LIKE 'abc!' ESCAPE '!'")).toThrow("LIKE pattern must not end with the escape character '!' at line 1, column 8");
    expect(() => parseFilter("x LIKE 'abc!!' ESCAPE '!'")).not.toThrow();
    expect(truth("x LIKE y ESCAPE '!'", row({ x: 'abc', y: 'abc!' }))).toBe('NULL');
    expect(truth("x LIKE y ESCAPE '!'", row({ x: 'abc!', y: 'abc!!' }))).toBe('TRUE');
  });

  it('ILIKE ignores case, as lower() does', () => {
    expect(keeps("x ILIKE 's0%'", row({ x: 'S01' }))).toBe(true);
    expect(keeps("x ILIKE 'É%'", row({ x: 'école' }))).toBe(true);
    expect(keeps("x ILIKE '%SSE'", row({ x: 'Straße' }))).toBe(false);
    expect(keeps("x NOT ILIKE 'abc'", row({ x: 'ABC' }))).toBe(false);
  });

  it('NULL subjects or patterns give NULL; numbers are matched as text', () => {
    expect(truth("x LIKE 'a%'", row({ x: null }))).toBe('NULL');
    expect(truth('x LIKE y', row({ x: 'a', y: null }))).toBe('NULL');
    expect(truth('x LIKE y', row({ x: 'abc', y: 'a%' }))).toBe('TRUE');
    expect(truth("x LIKE '12%'", row({ x: 123 }))).toBe('TRUE');
    expect(truth("x LIKE 'tr%'", row({ x: true }))).toBe('TRUE');
    expect(truth("x LIKE '%'", row({ x: { a: 1 } }))).toBe('NULL');
  });
});

describe('coercion between types', () => {
  it.each([
    // numbers vs strings: the string must be numeric
    ["x = '12'", 12, 'TRUE'],
    ["x = ' 12 '", 12, 'TRUE'],
    ["x = '12.0'", 12, 'TRUE'],
    ["x = '1e1'", 10, 'TRUE'],
    ["x > '9'", 10, 'TRUE'],
    ["x = 'abc'", 12, 'NULL'],
    ["x = '0x10'", 16, 'NULL'],
    ["x = ''", 0, 'NULL'],
    ["x = 'Infinity'", 1, 'NULL'],
    ['x = 12', '12', 'TRUE'],
    ['x > 9', '10', 'TRUE'],
    ['x = 12', 'twelve', 'NULL'],
    // strings vs strings: code point order, no numeric reading
    ["x > '9'", '10', 'FALSE'],
    ["x < 'b'", 'B', 'TRUE'],
    ["x > 'z'", 'é', 'TRUE'],
    ["x > '\uffff'", '😀', 'TRUE'],
    // booleans
    ['x = TRUE', true, 'TRUE'],
    ["x = 'yes'", true, 'TRUE'],
    ["x = 'false'", false, 'TRUE'],
    ["x = 'maybe'", true, 'NULL'],
    ['x = TRUE', 'TRUE', 'TRUE'],
    ['x = 1', true, 'TRUE'],
    ['x > 0', true, 'TRUE'],
    ['x = 0', false, 'TRUE'],
    ['x > TRUE', false, 'FALSE'],
    // objects and arrays are not comparable
    ["x = 'a'", { a: 1 }, 'NULL'],
    ['x = 1', [1], 'NULL'],
    // booleans as conditions
    ['x', 'true', 'TRUE'],
    ['x', 'no', 'FALSE'],
    ['x', 1, 'TRUE'],
    ['x', 0, 'FALSE'],
    ['x', 'abc', 'NULL'],
    ['x', [true], 'NULL'],
  ])('%s with x = %j is %s', (text, x, expected) => {
    expect(truth(text, row({ x }))).toBe(expected);
  });

  it('compares two fields by their runtime types', () => {
    expect(truth('x = y', row({ x: 12, y: '12' }))).toBe('TRUE');
    expect(truth('x < y', row({ x: '9', y: '10' }))).toBe('FALSE');
    expect(truth('x < y', row({ x: 9, y: '10' }))).toBe('TRUE');
    expect(truth('x = y', row({ x: true, y: 'yes' }))).toBe('TRUE');
    expect(truth('x = y', row({ x: 'a', y: { a: 1 } }))).toBe('NULL');
  });

  it('treats bigints as numbers', () => {
    expect(truth('x = 12', row({ x: 12n }))).toBe('TRUE');
    expect(truth('x > 1', row({ x: 2n }))).toBe('TRUE');
  });
});

describe('arithmetic and strings', () => {
  it.each([
    ['x + 1 = 3', 2, 'TRUE'],
    ["x + 1 = 3", '2', 'TRUE'],
    ['x - 1 = 1', 2, 'TRUE'],
    ['x * 2 = 5', 2.5, 'TRUE'],
    ['x / 4 = 0.5', 2, 'TRUE'],
    ['x % 3 = 2', 5, 'TRUE'],
    ['x % 3 = -2', -5, 'TRUE'],
    ['x % 2 = 1.5', 5.5, 'TRUE'],
    ['x / 0 IS NULL', 1, 'TRUE'],
    ['x % 0 IS NULL', 1, 'TRUE'],
    ['x * 1e308 IS NULL', 10, 'TRUE'],
    ['-x = -2', 2, 'TRUE'],
    ['x + 1 IS NULL', 'abc', 'TRUE'],
    ["x || 'b' = 'ab'", 'a', 'TRUE'],
    ["x || 'b' = '1b'", 1, 'TRUE'],
    ["x || 'b' = '1.5b'", 1.5, 'TRUE'],
    ["x || 'b' = 'trueb'", true, 'TRUE'],
    ["x || 'b' IS NULL", null, 'TRUE'],
    ["'a' || 1 + 2 = 'a3'", null, 'TRUE'],
  ])('%s with x = %j is %s', (text, x, expected) => {
    expect(truth(text, row({ x }))).toBe(expected);
  });

  it.each([
    ["lower(x) = 'straße'", 'STRAßE'],
    ["upper(x) = 'STRAẞE'", 'Straße'],
    ["lower(x) = 'i'", 'İ'],
    ["upper(x) = 'ΑΣ'", 'ας'],
    ['length(x) = 3', 'a😀b'],
    ['length(x) = 2', 'e\u0301'],
    ["trim(x) = 'a b'", '  a b  '],
    ["trim(x) = '\ta\n'", ' \ta\n '],
    ["contains(x, 'ell')", 'hello'],
    ["contains(x, '')", 'hello'],
    ["starts_with(x, 'he')", 'hello'],
    ["ends_with(x, 'lo')", 'hello'],
    ['abs(x) = 2.5', -2.5],
    ['round(x) = 3', 2.5],
    ['round(x) = -3', -2.5],
    ['round(x, 2) = 2.35', 2.345],
    ['round(x, -2) = 1300', 1250],
    ['floor(x) = -2', -1.5],
    ['ceil(x) = 2', 1.2],
    ['coalesce(x, 7) = 7', null],
    ["coalesce(x, 'd') = 'd'", null],
    ['coalesce(x, 7) = 3', '3'],
    ['coalesce(x, 7) = 7', 'abc'],
  ])('%s with x = %j', (text, x) => {
    expect(truth(text, row({ x }))).toBe('TRUE');
  });

  it('regexp_matches searches with a safe engine', () => {
    expect(truth("regexp_matches(x, '^S0[12]$')", row({ x: 'S01' }))).toBe('TRUE');
    expect(truth("regexp_matches(x, '^S0[12]$')", row({ x: 'S03' }))).toBe('FALSE');
    expect(truth("regexp_matches(x, '\\d{3}')", row({ x: 'ab1234' }))).toBe('TRUE');
    expect(truth("regexp_matches(x, '(?i)abc')", row({ x: 'xABCx' }))).toBe('TRUE');
    expect(truth("regexp_matches(x, 'a')", row({ x: null }))).toBe('NULL');
  });
});

describe('casts', () => {
  it.each([
    ["cast(x AS VARCHAR) = '100'", 100],
    ["cast(x AS VARCHAR) = '1.5'", 1.5],
    ["cast(x AS VARCHAR) = '1e-05'", 0.00001],
    ["cast(x AS VARCHAR) = 'true'", true],
    ["cast(x AS VARCHAR) = '0'", -0],
    ['cast(x AS INTEGER) = 2', 2.5],
    ['cast(x AS INTEGER) = 4', 3.5],
    ['cast(x AS INTEGER) = -2', -2.5],
    ['cast(x AS INTEGER) = 2', '2.4'],
    ['cast(x AS INTEGER) IS NULL', 3e9],
    ['cast(x AS BIGINT) = 3000000000', 3e9],
    ['cast(x AS INTEGER) IS NULL', 'abc'],
    ['cast(x AS INTEGER) = 1', true],
    ['cast(x AS DOUBLE) = 12.5', ' 12.5 '],
    ['cast(x AS BOOLEAN)', 'yes'],
    ['cast(x AS BOOLEAN)', 2],
    ['NOT cast(x AS BOOLEAN)', 0],
    ['cast(x AS BOOLEAN) IS NULL', 'perhaps'],
    ["cast(x AS TIMESTAMP) = TIMESTAMP '2026-10-01 12:00:00'", '2026-10-01T12:00:00Z'],
    ["cast(x AS TIMESTAMP) = TIMESTAMP '2026-10-01 12:00:00'", NOW],
    ["cast(x AS DATE) = DATE '2026-10-01'", '2026-10-01T23:59:59Z'],
    ["cast(x AS DATE) = DATE '2026-10-01'", NOW],
    ['cast(x AS TIMESTAMP) IS NULL', '2026-02-30'],
    ['cast(x AS VARCHAR) IS NULL', { a: 1 }],
    ["x::VARCHAR || '!' = '5!'", 5],
  ])('%s with x = %j', (text, x) => {
    expect(truth(text, row({ x }))).toBe('TRUE');
  });
});

describe('timestamps', () => {
  const at = (iso: string): number => Date.parse(iso);

  it('compares the message timestamp (epoch ms) with TIMESTAMP and DATE literals', () => {
    const r = row({}, { timestamp: at('2026-10-01T12:00:00Z') });
    expect(truth("timestamp = TIMESTAMP '2026-10-01 12:00:00'", r)).toBe('TRUE');
    expect(truth("timestamp = TIMESTAMP '2026-10-01T12:00:00Z'", r)).toBe('TRUE');
    expect(truth("timestamp = TIMESTAMP '2026-10-01T14:00:00+02:00'", r)).toBe('TRUE');
    expect(truth("timestamp = TIMESTAMP '2026-10-01T07:30:00-0430'", r)).toBe('TRUE');
    expect(truth("timestamp > DATE '2026-10-01'", r)).toBe('TRUE');
    expect(truth("timestamp < DATE '2026-10-02'", r)).toBe('TRUE');
    expect(truth("timestamp BETWEEN TIMESTAMP '2026-10-01 11:59:59.999' AND TIMESTAMP '2026-10-01 12:00:00.001'", r)).toBe('TRUE');
  });

  it('reads the other side as epoch ms or an ISO string when one side is a timestamp', () => {
    const lit = "TIMESTAMP '2026-10-01 12:00:00'";
    expect(truth(`value.at = ${lit}`, row({ at: at('2026-10-01T12:00:00Z') }))).toBe('TRUE');
    expect(truth(`value.at = ${lit}`, row({ at: '2026-10-01T12:00:00Z' }))).toBe('TRUE');
    expect(truth(`value.at = ${lit}`, row({ at: '2026-10-01 12:00:00' }))).toBe('TRUE');
    expect(truth(`value.at = ${lit}`, row({ at: '2026-10-01T12:00:00.000000Z' }))).toBe('TRUE');
    expect(truth(`value.at = ${lit}`, row({ at: '2026-10-01T13:00:00+01:00' }))).toBe('TRUE');
    expect(truth(`value.at < ${lit}`, row({ at: '2026-10-01' }))).toBe('TRUE');
    expect(truth(`value.at = ${lit}`, row({ at: 'yesterday' }))).toBe('NULL');
    expect(truth(`value.at = ${lit}`, row({ at: true }))).toBe('NULL');
    expect(truth("timestamp = '2026-10-01T12:00:00Z'")).toBe('TRUE');
    expect(truth(`timestamp = ${NOW}`)).toBe('TRUE');
    expect(truth('timestamp = value.at', row({ at: '2026-10-01T12:00:00Z' }))).toBe('TRUE');
  });

  it('keeps microseconds from ISO strings', () => {
    expect(truth("value.at > TIMESTAMP '2026-10-01 12:00:00.123'", row({ at: '2026-10-01T12:00:00.1235Z' }))).toBe('TRUE');
    expect(truth("value.at < TIMESTAMP '2026-10-01 12:00:00.124'", row({ at: '2026-10-01T12:00:00.1235Z' }))).toBe('TRUE');
  });

  it('supports now() - INTERVAL with an injectable clock', () => {
    const recent = row({}, { timestamp: NOW - 5 * 60_000 });
    const old = row({}, { timestamp: NOW - 20 * 60_000 });
    expect(keeps("timestamp > now() - INTERVAL '15 minutes'", recent)).toBe(true);
    expect(keeps("timestamp > now() - INTERVAL '15 minutes'", old)).toBe(false);
    let clock = NOW;
    const keep = compileFilter(parseFilter("timestamp > now() - INTERVAL '15 minutes'"), { now: () => clock });
    expect(keep(recent)).toBe(true);
    clock += 60 * 60_000;
    expect(keep(recent)).toBe(false);
  });

  it('subtracts timestamps into intervals and truncates', () => {
    const r = row({ at: '2026-10-01T11:50:00Z' });
    expect(truth("timestamp - value.at < INTERVAL '15 minutes'", r)).toBe('TRUE');
    expect(truth("timestamp - INTERVAL '1 day' = TIMESTAMP '2026-09-30 12:00:00'", r)).toBe('TRUE');
    expect(truth("INTERVAL '1 hour' + timestamp = TIMESTAMP '2026-10-01 13:00:00'", r)).toBe('TRUE');
    expect(truth("date_trunc('hour', value.at) = TIMESTAMP '2026-10-01 11:00:00'", r)).toBe('TRUE');
    expect(truth("date_trunc('day', timestamp) = DATE '2026-10-01'", r)).toBe('TRUE');
    expect(truth("date_trunc('week', timestamp) = DATE '2026-09-28'", r)).toBe('TRUE');
    expect(truth("date_trunc('month', timestamp) = DATE '2026-10-01'", r)).toBe('TRUE');
    expect(truth("date_trunc('quarter', timestamp) = DATE '2026-10-01'", r)).toBe('TRUE');
    expect(truth("date_trunc('year', timestamp) = DATE '2026-01-01'", r)).toBe('TRUE');
    expect(truth("cast(timestamp AS VARCHAR) = '2026-10-01T12:00:00.000Z'", r)).toBe('TRUE');
    expect(truth(`cast(timestamp AS BIGINT) = ${NOW}`, r)).toBe('TRUE');
  });
});

describe('stream columns, headers and nested values', () => {
  const message = row(
    {
      amount: 150,
      store_id: 'S01',
      'odd name': 'yes',
      customer: { address: { city: 'Oslo' } },
      items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2' }],
      tags: ['x', null],
      key: 'value-key',
    },
    { key: 'order-17', headers: { source: 'web', 'content type': 'json', empty: '' }, partition: 3, offset: 42 },
  );

  it.each([
    "key = 'order-17'",
    "value.key = 'value-key'",
    'partition = 3 AND offset = 42',
    "headers.source = 'web'",
    "headers['content type'] = 'json'",
    "headers.empty = ''",
    'headers.missing IS NULL',
    "headers.Source IS NULL",
    'amount > 100',
    'value.amount = 150',
    "value['odd name']",
    "value.customer.address.city = 'Oslo'",
    'value.customer.address.zip IS NULL',
    'value.customer.nope.deeper IS NULL',
    "value.items[0].sku = 'A-1'",
    'value.items[0].qty = 2',
    "value.items[1].sku = 'B-2'",
    'value.items[1].qty IS NULL',
    'value.items[2] IS NULL',
    'value.items[2].sku IS NULL',
    "value.tags[0] = 'x'",
    'value.tags[1] IS NULL',
    'value.items.length IS NULL',
    'value.items.sku IS NULL',
    'value.customer[0] IS NULL',
    'value.amount.x IS NULL',
    'value.store_id[0] IS NULL',
    'value IS NOT NULL',
  ])('%s', (text) => {
    expect(truth(text, message)).toBe('TRUE');
  });

  it('handles values that are not objects', () => {
    expect(truth('value = 5', row(5))).toBe('TRUE');
    expect(truth("value = 'plain'", row('plain'))).toBe('TRUE');
    expect(truth('value.x IS NULL', row('plain'))).toBe('TRUE');
    expect(truth('value.x IS NULL', row(null))).toBe('TRUE');
    expect(truth('value[0] = 1', row([1, 2]))).toBe('TRUE');
    expect(truth('key IS NULL', row({}, { key: null }))).toBe('TRUE');
  });

  it('never throws while evaluating odd rows', () => {
    const keep = compileFilter(parseFilter("amount > 1 AND lower(key) = 'x' OR headers.a = 'b' OR value.a.b[3] = timestamp"));
    const odd = [
      row(undefined),
      row({ amount: NaN }),
      row({ amount: Infinity }),
      row({ a: { b: 'str' } }),
      row(new Map([['amount', 5]])),
      row(Object.create(null)),
      { ...row({}), headers: null as unknown as Record<string, string> },
      { ...row({}), timestamp: NaN, key: 5 as unknown as string },
    ];
    for (const r of odd) expect(() => keep(r)).not.toThrow();
  });
});
