// The regexp_matches() engine and the LIKE matcher against DuckDB (RE2 and DuckDB's LIKE), on random
// patterns and subjects: the stream side must answer exactly what the snapshot side answers.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLike } from '../../../../shared/filter/like';
import { compileRegex, RegexError } from '../../../../shared/filter/regex';
import { sqlString } from '../../../../shared/filter';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

async function duckColumn(expr: (subject: string) => string, subjects: string[]): Promise<boolean[]> {
  const values = subjects.map((s) => `(${sqlString(s)})`).join(', ');
  const rows = (await conn.runAndReadAll(`SELECT ${expr('s')} FROM (VALUES ${values}) v(s)`)).getRowsJS();
  return rows.map((r) => r[0] as boolean);
}

const SUBJECT_CHARS = ['a', 'b', 'c', 'A', 'B', 'é', 'É', '😀', ' ', '\n', '-', '1', '9', '_', '%', '!', '.'];
const subjects = fc.array(fc.array(fc.constantFrom(...SUBJECT_CHARS), { maxLength: 8 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 12 });

describe('regexp_matches engine', () => {
  const literal = fc.constantFrom('a', 'b', 'c', 'A', 'é', '😀', '1', ' ', '\\.', '\\-', '\\n', '\\x41', '\\x{e9}', '\\\\', '\\[', '\\(');
  const cls = fc.constantFrom('[abc]', '[^a]', '[a-c]', '[^a-c1]', '[-a]', '[a-]', '[é😀]', '[\\d]', '[\\w.]', '[^\\s]', '[]a]', '[A-Za-z]');
  const shorthand = fc.constantFrom('.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S');
  const anchor = fc.constant('\\b');
  const quant = fc.constantFrom('*', '+', '?', '{2}', '{1,2}', '{0,}', '{2,3}', '*?', '+?', '??', '{1,3}?');

  function re(depth: number): fc.Arbitrary<string> {
    const atom = depth <= 0 ? fc.oneof(literal, cls, shorthand) : fc.oneof(literal, cls, shorthand, re(depth - 1).map((r) => `(${r})`), re(depth - 1).map((r) => `(?:${r})`));
    const piece = fc.oneof({ weight: 3, arbitrary: atom }, fc.tuple(atom, quant).map(([a, q]) => a + q), anchor);
    const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(''));
    return fc.oneof({ weight: 3, arbitrary: seq }, fc.tuple(seq, seq).map(([a, b]) => `${a}|${b}`));
  }
  const pattern = fc
    .tuple(fc.boolean(), fc.boolean(), re(2), fc.boolean())
    .map(([i, start, r, end]) => `${i ? '(?i)' : ''}${start ? '^' : ''}${r}${end ? '$' : ''}`);

  it('agrees with RE2 on random patterns and subjects', async () => {
    let checked = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(pattern, subjects, async (p, ss) => {
        let re;
        try {
          re = compileRegex(p);
        } catch (e) {
          // Stricter than RE2 in a few corners (e.g. quantified anchors): refusing is fine.
          if (e instanceof RegexError) {
            refused++;
            return;
          }
          throw e;
        }
        checked++;
        const duck = await duckColumn((s) => `regexp_matches(${s}, ${sqlString(p)})`, ss);
        expect({ p, results: ss.map((s) => re.test(s)) }).toEqual({ p, results: duck });
      }),
      { numRuns: 400 },
    );
    expect(checked).toBeGreaterThan(refused);
  }, 60_000);

  it.each([
    ['a.c', 'a\nc', false],
    ['^b', 'ab', false],
    ['b$', 'ab\n', false],
    ['\\s', '\u000b', false],
    ['\\s', '\u00a0', false],
    ['\\w', 'é', false],
    ['\\d', '٣', false],
    ['^.$', '😀', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoob', false],
    ['(?i)straße', 'STRAßE', true],
    ['', 'anything', true],
    ['^$', '', true],
    ['x*', '', true],
    ['(|a)b', 'b', true],
    ['a{0}b', 'b', true],
  ])('/%s/ on %j → %s', (p, s, expected) => {
    expect(compileRegex(p).test(s)).toBe(expected);
  });

  it('reports where a pattern is wrong', () => {
    const at = (p: string): number => {
      try {
        compileRegex(p);
      } catch (e) {
        if (e instanceof RegexError) return e.index;
        throw e;
      }
      return -1;
    };
    expect(at('ab(c')).toBe(2);
    expect(at('ab)')).toBe(2);
    expect(at('a[b')).toBe(1);
    expect(at('*a')).toBe(0);
    expect(at('a\\')).toBe(1);
    expect(at('[z-a]')).toBe(2);
    expect(at('a\\B')).toBe(1);
    expect(at('^^')).toBe(1);
    expect(at('a^')).toBe(1);
    expect(at('$a')).toBe(0);
    expect(at('(^a)')).toBe(1);
    expect(at('^a$|^b$')).toBe(-1);
  });
});

describe('LIKE matcher', () => {
  const patternChars = ['a', 'b', 'A', 'é', '😀', '%', '_', '!', '.', '*'];
  const patterns = fc.array(fc.constantFrom(...patternChars), { maxLength: 7 }).map((cs) => cs.join(''));

  it('agrees with DuckDB LIKE, with and without an escape character', async () => {
    await fc.assert(
      fc.asyncProperty(patterns, fc.boolean(), subjects, async (p, escaped, ss) => {
        const escape = escaped ? '!' : null;
        const m = compileLike(p, escape);
        // A pattern ending in its escape character is invalid (DuckDB raises an error; we give NULL).
        if (m === null) {
          expect(escaped && /(^|[^!])(!!)*!$/.test(p)).toBe(true);
          return;
        }
        const duck = await duckColumn((s) => `(${s} LIKE ${sqlString(p)}${escaped ? " ESCAPE '!'" : ''})`, ss);
        expect({ p, escape, results: ss.map((s) => m(s)) }).toEqual({ p, escape, results: duck });
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
