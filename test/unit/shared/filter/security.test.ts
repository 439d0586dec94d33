// Hostile filter text must never run code, read files, inject SQL or pollute prototypes.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileFilter,
  filterToSql,
  FilterSyntaxError,
  parseFilter,
  snapshotColumns,
  type FilterExpr,
  type FilterRow,
} from '../../../../shared/filter';

const row = (value: unknown, headers: Record<string, string> = {}): FilterRow => ({
  key: null,
  value,
  headers,
  timestamp: 0,
  partition: 0,
  offset: 0,
});

function rejects(text: string): FilterSyntaxError {
  try {
    parseFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`${text} was accepted`);
}

/** SQL with string literals and quoted identifiers removed: what DuckDB reads as syntax. */
function sqlOutsideQuotes(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
}

describe('hostile filters', () => {
  it.each([
    ["'; DROP TABLE x; --", 'Unterminated string starting at line 1, column 1'],
    ["store = ''; DROP TABLE x; --'", "Unexpected character ';' at line 1, column 11"],
    ["read_csv('/etc/passwd') IS NOT NULL", "Unknown function 'read_csv' at line 1, column 1"],
    ["read_text('/etc/passwd') = ''", "Unknown function 'read_text' at line 1, column 1"],
    ["getenv('HOME') = ''", "Unknown function 'getenv' at line 1, column 1"],
    ["system('rm -rf /')", "Unknown function 'system' at line 1, column 1"],
    ["\"read_csv\"('/etc/passwd') IS NULL", "Unexpected '(' at line 1, column 11"],
    ["constructor.constructor('return process')()", "Unexpected '(' at line 1, column 24"],
    ["value.constructor.constructor('return process')()", "Unexpected '(' at line 1, column 30"],
    ['(SELECT 1) = 1', "Unexpected '1' at line 1, column 9"],
    ['a IN (SELECT password FROM users)', "Unexpected 'password' at line 1, column 14"],
    ["a = 1 UNION SELECT * FROM read_csv('/etc/passwd')", "Unexpected 'UNION' at line 1, column 7"],
    ['eval(x) = 1', "Unknown function 'eval' at line 1, column 1"],
    ['a = `x`', "Unexpected character '`' at line 1, column 5"],
    ["a = E'\\x27'", "Unexpected ''\\x27'' at line 1, column 6"],
    ['a = $$x$$', "Unexpected character '$' at line 1, column 5"],
    ["a = 'x\u0000'", 'NUL characters are not allowed at line 1, column 5'],
    ['a = \ud800', 'Invalid Unicode (unpaired surrogate) at line 1, column 5'],
  ])('%s', (text, message) => {
    expect(rejects(text).message).toBe(message);
  });

  it('refuses absurd sizes with an error instead of a crash', () => {
    expect(rejects('a'.repeat(1_000_000)).message).toContain('Filter is too long');
    expect(rejects('('.repeat(10_000)).message).toContain('nested too deeply');
    expect(rejects(`${'('.repeat(4_000)}a${')'.repeat(4_000)}`).message).toContain('nested too deeply');
    expect(rejects(`${'NOT '.repeat(2_400)}a`).message).toContain('nested too deeply');
  });

  it('refuses hand-made trees with unknown nodes, functions, operators or types', () => {
    const bad = [
      { type: 'call', name: 'read_csv', args: [{ type: 'string', value: '/etc/passwd', pos: { offset: 0, line: 1, column: 1 } }], pos: { offset: 0, line: 1, column: 1 } },
      { type: 'compare', op: '; DROP TABLE t; --', left: { type: 'number', value: 1 }, right: { type: 'number', value: 1 } },
      { type: 'cast', to: 'VARCHAR); DROP TABLE t; --', operand: { type: 'number', value: 1 } },
      { type: 'compare', op: '=', left: { type: 'number', value: '1); DROP TABLE t; --' }, right: { type: 'number', value: 1 } },
      { type: 'sql', text: 'DROP TABLE t' },
      { type: 'like', operand: { type: 'string', value: 'a' }, pattern: { type: 'string', value: 'a' }, escape: "'; --", caseInsensitive: false, negated: false },
      { type: 'column', ref: { kind: 'value', path: [{ toString: () => 'x' }] } },
    ] as unknown as FilterExpr[];
    for (const e of bad) {
      expect(() => compileFilter(e)).toThrow(FilterSyntaxError);
      expect(() => filterToSql(e, () => '"x"')).toThrow(FilterSyntaxError);
    }
  });
});

describe('fuzzing', () => {
  it('a LIKE pattern that folds to NULL (found by the fuzzer) translates to SQL', () => {
    const expr = parseFilter("a LIKE - 's'");
    expect(compileFilter(expr)(row({ a: 'x' }, {}))).toBe(false);
    expect(filterToSql(expr, () => '"c"')).toContain('LIKE CAST(NULL AS VARCHAR)');
  });

  const TOKENS = [
    'a', 'value', '.', 'x', '[', ']', '0', "'s'", "''", '"q"', '(', ')', ',', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN',
    'LIKE', 'ILIKE', 'ESCAPE', "'!'", 'DISTINCT', 'FROM', '=', '<>', '<', '>=', '+', '-', '*', '/', '%', '||', '::', 'INTEGER',
    'cast', 'AS', 'lower', 'coalesce', 'regexp_matches', "'(a+)+'", 'now', 'TIMESTAMP', "'2026-10-01'", 'INTERVAL', "'1 day'",
    'timestamp', 'key', 'headers', 'TRUE', '1.5e3', '--', '/*', '*/', '\n', ';', 'date_trunc', "'day'",
  ];
  const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((ts) => ts.join(' ').replace(/\\n/g, '\n'));

  it('random text and token soup only ever fail with FilterSyntaxError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), soup), (text) => {
        let expr: FilterExpr;
        try {
          expr = parseFilter(text);
        } catch (e) {
          expect(e).toBeInstanceOf(FilterSyntaxError);
          return;
        }
        // Whatever parses compiles, evaluates and translates.
        const keep = compileFilter(expr);
        for (const v of [null, {}, { a: 1, x: 's', value: [1] }, 'str']) expect(typeof keep(row(v, { x: 'h' }))).toBe('boolean');
        try {
          expect(typeof filterToSql(expr, (ref) => (ref.kind === 'header' ? null : '"c"'))).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(FilterSyntaxError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('prototype pollution', () => {
  it('paths only read own properties and never write', () => {
    const texts = [
      'value.__proto__.polluted = 1',
      "value['__proto__']['polluted'] = 1",
      'value.constructor.prototype.polluted = 1',
      'headers.__proto__ IS NOT NULL',
      'value.toString IS NOT NULL',
      'value.constructor IS NOT NULL',
      'value.hasOwnProperty IS NOT NULL',
      'value.items.length = 2',
      'headers.constructor IS NOT NULL',
    ];
    for (const text of texts) {
      const keep = compileFilter(parseFilter(text));
      expect(keep(row({ items: [1, 2] }))).toBe(false);
      expect(keep(row(JSON.parse('{"a": 1}')))).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reads a JSON key named __proto__ as data', () => {
    const value: unknown = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(compileFilter(parseFilter('value.__proto__.polluted = 1'))(row(value))).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores properties inherited through a polluted prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['injected'] = 'yes';
    try {
      expect(compileFilter(parseFilter("value.injected = 'yes'"))(row({}))).toBe(false);
      expect(compileFilter(parseFilter("headers.injected = 'yes'"))(row({}, {}))).toBe(false);
    } finally {
      delete proto['injected'];
    }
  });

  it('works with null-prototype objects', () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 });
    expect(compileFilter(parseFilter('value.a = 1'))(row(value))).toBe(true);
  });
});

describe('regular expressions cannot hang the evaluator', () => {
  // Classic catastrophic-backtracking patterns: the engine is a Thompson NFA, so each is linear.
  it.each([
    ['(a+)+$', `${'a'.repeat(50_000)}!`, false],
    ['(a|a)*b', 'a'.repeat(50_000), false],
    ['(a*)*b', 'a'.repeat(50_000), false],
    ['(.*a){20}', 'a'.repeat(19) + 'b'.repeat(20_000), false],
    ['^(\\w+\\s?)*$', `${'word '.repeat(10_000)}!`, false],
    ['(x+x+)+y', 'x'.repeat(20_000), false],
    ['a{1,100}a{1,100}a{1,100}b', 'a'.repeat(5_000), false],
    ['(a+)+$', 'a'.repeat(50_000), true],
  ])('%s', (pattern, subject, expected) => {
    const keep = compileFilter(parseFilter(`regexp_matches(s, '${pattern}')`));
    expect(keep(row({ s: subject }))).toBe(expected);
  });

  it.each([
    ['(a)\\1', "Unsupported escape '\\1' in regular expression"],
    ['(?=a)', 'Only (?:…) groups and a leading (?i) are supported'],
    ['(?<=a)b', 'Only (?:…) groups and a leading (?i) are supported'],
    ['(?<name>a)', 'Only (?:…) groups and a leading (?i) are supported'],
    ['\\p{L}', "Unsupported escape '\\p' in regular expression"],
    ['[[:alpha:]]', "Escape '[' inside a character class as '\\['"],
    ['a**', 'Repeated quantifier (use a group)'],
    ['a{1000}', 'Repetition counts above 100 are not supported'],
    ['a{2', "Invalid repetition (escape '{' as '\\{' to match it)"],
    ['x'.repeat(1001), 'Regular expression is too long (the limit is 1000 characters)'],
    [`${'(a{100})'.repeat(60)}`, 'Regular expression is too complex'],
  ])('refuses %s', (pattern, message) => {
    expect(rejects(`regexp_matches(s, '${pattern}')`).reason).toBe(message);
  });
});

describe('nothing in shared/filter can run code or reach Node', () => {
  const dir = resolve(import.meta.dirname, '../../../../shared/filter');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(resolve(dir, f), 'utf8')] as const);

  it.each(sources)('%s has no eval, Function, dynamic RegExp or Node imports', (_name, source) => {
    const code = source.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bFunction\s*\(/);
    expect(code).not.toMatch(/\bRegExp\s*\(/);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/from\s+'node:/);
    expect(code).not.toMatch(/\brequire\s*\(/);
  });
});

describe('generated SQL', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  const columns = snapshotColumns(['store', 'amount', 'weird "col"; DROP TABLE t; --']);

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    await conn.run(`CREATE TABLE t (store VARCHAR, amount DOUBLE, "weird ""col""; DROP TABLE t; --" VARCHAR)`);
    await conn.run(`INSERT INTO t VALUES ('S01', 1, 'x'), ('x'' OR 1=1 --', 2, 'y'), (NULL, 3, NULL)`);
  });

  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
  });

  async function ids(text: string): Promise<number[]> {
    const sql = filterToSql(parseFilter(text), columns);
    const rows = (await conn.runAndReadAll(`SELECT amount FROM t WHERE ${sql} ORDER BY amount`)).getRowsJS();
    return rows.map((r) => Number(r[0]));
  }

  it('keeps quotes inside string literals', async () => {
    expect(await ids("store = 'x'' OR 1=1 --'")).toEqual([2]);
    expect(await ids("store = 'S01'' OR ''1''=''1'")).toEqual([]);
    expect(await ids("store LIKE '%''%'")).toEqual([2]);
    expect(await ids("regexp_matches(store, '''')")).toEqual([2]);
    expect((await conn.runAndReadAll('SELECT count(*) FROM t')).getRowsJS()[0]![0]).toBe(3n);
  });

  it('quotes identifiers, including hostile column names', async () => {
    expect(await ids(`"weird ""col""; DROP TABLE t; --" = 'y'`)).toEqual([2]);
    expect(await ids(`value."weird ""col""; DROP TABLE t; --" IS NULL`)).toEqual([3]);
  });

  it('never has statement separators or comments outside quotes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('=', 'LIKE', 'ILIKE', '<>', 'IN'), (s, op) => {
        const lit = `'${s.replace(/'/g, "''")}'`;
        let expr: FilterExpr;
        try {
          expr = parseFilter(op === 'IN' ? `store IN (${lit}, 'a') OR lower(store) || ${lit} = ${lit}` : `store ${op} ${lit} AND "${s.replace(/"/g, '""') || 'x'}" IS NULL`);
        } catch (e) {
          if (e instanceof FilterSyntaxError) return;
          throw e;
        }
        const sql = sqlOutsideQuotes(filterToSql(expr, (ref) => (ref.kind === 'value' ? `"${String(ref.path[0]).replace(/"/g, '""')}"` : null)));
        expect(sql).not.toMatch(/;|--|\/\*/);
      }),
      { numRuns: 300 },
    );
  });

  it('reports columns the snapshot does not have, at their position', () => {
    expect(() => filterToSql(parseFilter("amount > 1 AND headers.src = 'x'"), columns)).toThrow(
      "Column 'headers.src' is not available on snapshots at line 1, column 16",
    );
    expect(() => filterToSql(parseFilter('nope = 1'), columns)).toThrow("Column 'nope' is not available on snapshots at line 1, column 1");
    expect(() => filterToSql(parseFilter('key = 1'), columns)).toThrow("Column 'key' is not available on snapshots");
    expect(() => filterToSql(parseFilter('x = 1'), () => { throw new Error('boom'); })).toThrow("Column 'x' is not available on snapshots (boom)");
    expect(() => filterToSql(parseFilter('x = 1'), () => 'a\u0000b')).toThrow("Column 'x' has an invalid SQL mapping");
  });
});
