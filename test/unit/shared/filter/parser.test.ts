import { describe, expect, it } from 'vitest';
import {
  FilterSyntaxError,
  MAX_DEPTH,
  MAX_FILTER_LENGTH,
  parseFilter,
  referencedColumns,
  validateFilter,
  type FilterExpr,
} from '../../../../shared/filter';

/** A compact, fully parenthesised rendering of a tree, to pin down structure and precedence. */
function show(e: FilterExpr): string {
  switch (e.type) {
    case 'number':
      return String(e.value);
    case 'string':
      return `'${e.value}'`;
    case 'boolean':
      return String(e.value).toUpperCase();
    case 'null':
      return 'NULL';
    case 'timestamp':
      return `${e.date ? 'DATE' : 'TS'}(${new Date(e.value).toISOString()})`;
    case 'interval':
      return `INTERVAL(${e.value})`;
    case 'column':
      return `${e.ref.kind}${e.ref.path.map((p) => `[${JSON.stringify(p)}]`).join('')}`;
    case 'negate':
      return `(- ${show(e.operand)})`;
    case 'not':
      return `(NOT ${show(e.operand)})`;
    case 'and':
    case 'or':
      return `(${e.operands.map(show).join(` ${e.type.toUpperCase()} `)})`;
    case 'compare':
    case 'arithmetic':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'isNull':
      return `(${show(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'distinct':
      return `(${show(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${show(e.right)})`;
    case 'in':
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}IN [${e.items.map(show).join(', ')}])`;
    case 'between':
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${show(e.low)} AND ${show(e.high)})`;
    case 'like':
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${show(e.pattern)}${e.escape === null ? '' : ` ESCAPE '${e.escape}'`})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'cast':
      return `CAST(${show(e.operand)} AS ${e.to})`;
  }
}

const p = (text: string): string => show(parseFilter(text));

function syntaxError(text: string): FilterSyntaxError {
  try {
    parseFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a FilterSyntaxError for ${text}`);
}

describe('column references', () => {
  it.each([
    ['key IS NULL', '(key IS NULL)'],
    ['timestamp IS NULL', '(timestamp IS NULL)'],
    ['partition = 1', '(partition = 1)'],
    ['offset = 1', '(offset = 1)'],
    ['KEY IS NULL', '(key IS NULL)'],
    ["headers.source = 'x'", `(header["source"] = 'x')`],
    ["headers['content type'] = 'x'", `(header["content type"] = 'x')`],
    ['headers."trace-id" IS NULL', '(header["trace-id"] IS NULL)'],
    ['value IS NULL', '(value IS NULL)'],
    ['value.amount > 1', '(value["amount"] > 1)'],
    ['value.customer.address.city IS NULL', '(value["customer"]["address"]["city"] IS NULL)'],
    ["value['odd name'] = 1", '(value["odd name"] = 1)'],
    ['value.items[0].sku IS NULL', '(value["items"][0]["sku"] IS NULL)'],
    ['value.items[12][3] IS NULL', '(value["items"][12][3] IS NULL)'],
    ['value.select.from IS NULL', '(value["select"]["from"] IS NULL)'],
    ['amount > 100', '(value["amount"] > 100)'],
    ['store_id.x IS NULL', '(value["store_id"]["x"] IS NULL)'],
    ['"weird col" = 1', '(value["weird col"] = 1)'],
    ['"say ""hi""" = 1', '(value["say \\"hi\\""] = 1)'],
    ['"key" = 1', '(value["key"] = 1)'],
    ['Amount > 1', '(value["Amount"] > 1)'],
    ['date IS NULL AND interval IS NULL', '((value["date"] IS NULL) AND (value["interval"] IS NULL))'],
    ['ünïcödé = 1', '(value["ünïcödé"] = 1)'],
  ])('%s', (text, tree) => {
    expect(p(text)).toBe(tree);
  });

  it('lists the referenced columns once each, in order', () => {
    const expr = parseFilter("amount > 1 AND (value.amount < 5 OR headers.src = 'a') AND key IS NOT NULL AND value.items[0].sku = amount");
    expect(referencedColumns(expr)).toEqual([
      { kind: 'value', path: ['amount'] },
      { kind: 'header', path: ['src'] },
      { kind: 'key', path: [] },
      { kind: 'value', path: ['items', 0, 'sku'] },
    ]);
  });
});

describe('literals', () => {
  it.each([
    ['amount = 42', '(value["amount"] = 42)'],
    ['amount = 4.25', '(value["amount"] = 4.25)'],
    ['amount = .5', '(value["amount"] = 0.5)'],
    ['amount = 5.', '(value["amount"] = 5)'],
    ['amount = 1e3', '(value["amount"] = 1000)'],
    ['amount = 1.5E-3', '(value["amount"] = 0.0015)'],
    ['amount = -7', '(value["amount"] = -7)'],
    ['amount = - -7', '(value["amount"] = 7)'],
    ["s = 'it''s'", `(value["s"] = 'it's')`],
    ["s = ''", `(value["s"] = '')`],
    ["s = 'multi\nline'", `(value["s"] = 'multi\nline')`],
    ['flag = TRUE OR flag = false', '((value["flag"] = TRUE) OR (value["flag"] = FALSE))'],
    ['s = NULL', '(value["s"] = NULL)'],
    ["timestamp > DATE '2026-10-01'", '(timestamp > DATE(2026-10-01T00:00:00.000Z))'],
    ["timestamp > TIMESTAMP '2026-10-01 12:00:00'", '(timestamp > TS(2026-10-01T12:00:00.000Z))'],
    ["timestamp > timestamp '2026-10-01T12:00:00Z'", '(timestamp > TS(2026-10-01T12:00:00.000Z))'],
    ["timestamp > TIMESTAMP '2026-10-01T14:00:00+02:00'", '(timestamp > TS(2026-10-01T12:00:00.000Z))'],
    ["timestamp > TIMESTAMP '2026-10-01 12:00:00.250'", '(timestamp > TS(2026-10-01T12:00:00.250Z))'],
    ["timestamp > now() - INTERVAL '15 minutes'", '(timestamp > (now() - INTERVAL(900000)))'],
    ["timestamp > now() - interval '1 hour 30 minutes'", '(timestamp > (now() - INTERVAL(5400000)))'],
    ["timestamp > now() - INTERVAL '2 days'", '(timestamp > (now() - INTERVAL(172800000)))'],
  ])('%s', (text, tree) => {
    expect(p(text)).toBe(tree);
  });

  it('keeps the text of typed literals', () => {
    const e = parseFilter("timestamp > TIMESTAMP '2026-10-01 12:00:00'");
    expect(e.type === 'compare' && e.right.type === 'timestamp' && e.right.text).toBe('2026-10-01 12:00:00');
  });
});

describe('operators', () => {
  it.each([
    ['a = 1', '(value["a"] = 1)'],
    ['a == 1', '(value["a"] = 1)'],
    ['a != 1', '(value["a"] <> 1)'],
    ['a <> 1', '(value["a"] <> 1)'],
    ['a < 1 OR a <= 1 OR a > 1 OR a >= 1', '((value["a"] < 1) OR (value["a"] <= 1) OR (value["a"] > 1) OR (value["a"] >= 1))'],
    ['a IS NULL', '(value["a"] IS NULL)'],
    ['a is not null', '(value["a"] IS NOT NULL)'],
    ["a IN (1, 'x', NULL)", `(value["a"] IN [1, 'x', NULL])`],
    ['a NOT IN (1)', '(value["a"] NOT IN [1])'],
    ['a BETWEEN 1 AND 2', '(value["a"] BETWEEN 1 AND 2)'],
    ['a NOT BETWEEN 1 + 1 AND 2 * 3', '(value["a"] NOT BETWEEN (1 + 1) AND (2 * 3))'],
    ["a LIKE 'x%'", `(value["a"] LIKE 'x%')`],
    ["a NOT LIKE 'x%'", `(value["a"] NOT LIKE 'x%')`],
    ["a ILIKE 'x_' ESCAPE '!'", `(value["a"] ILIKE 'x_' ESCAPE '!')`],
    ["a NOT ILIKE 'x'", `(value["a"] NOT ILIKE 'x')`],
    ["a LIKE 'x' ESCAPE ''", `(value["a"] LIKE 'x')`],
    ['a IS DISTINCT FROM b', '(value["a"] IS DISTINCT FROM value["b"])'],
    ['a IS NOT DISTINCT FROM b', '(value["a"] IS NOT DISTINCT FROM value["b"])'],
    ["a || 'x' = 'yx'", `((value["a"] || 'x') = 'yx')`],
    ['a % 2 = 0', '((value["a"] % 2) = 0)'],
    ['-a < 0', '((- value["a"]) < 0)'],
    ['+a < 0', '(value["a"] < 0)'],
    ['a::INTEGER = 1', '(CAST(value["a"] AS INTEGER) = 1)'],
    ['cast(a AS varchar) = \'1\'', `(CAST(value["a"] AS VARCHAR) = '1')`],
    ['CAST(a AS TEXT) = \'1\' AND CAST(a AS INT) = 1 AND CAST(a AS BOOL) AND CAST(a AS LONG) = 1', `((CAST(value["a"] AS VARCHAR) = '1') AND (CAST(value["a"] AS INTEGER) = 1) AND CAST(value["a"] AS BOOLEAN) AND (CAST(value["a"] AS BIGINT) = 1))`],
    ['cast(a AS DATE) = DATE \'2026-01-01\' AND cast(a AS TIMESTAMP) IS NULL AND cast(a AS DOUBLE) = 1', `((CAST(value["a"] AS DATE) = DATE(2026-01-01T00:00:00.000Z)) AND (CAST(value["a"] AS TIMESTAMP) IS NULL) AND (CAST(value["a"] AS DOUBLE) = 1))`],
  ])('%s', (text, tree) => {
    expect(p(text)).toBe(tree);
  });
});

describe('functions', () => {
  it.each([
    ["lower(a) = 'x'", `(lower(value["a"]) = 'x')`],
    ["UPPER(a) = 'X'", `(upper(value["a"]) = 'X')`],
    ['length(trim(a)) > 0', '(length(trim(value["a"])) > 0)'],
    ['coalesce(a, b, 0) = 0', '(coalesce(value["a"], value["b"], 0) = 0)'],
    ['abs(a) + round(b) + round(b, 2) + floor(c) + ceil(d) + ceiling(e) > 0', '((((((abs(value["a"]) + round(value["b"])) + round(value["b"], 2)) + floor(value["c"])) + ceil(value["d"])) + ceil(value["e"])) > 0)'],
    ["contains(a, 'x') AND starts_with(a, 'y') AND ends_with(a, 'z')", `(contains(value["a"], 'x') AND starts_with(value["a"], 'y') AND ends_with(value["a"], 'z'))`],
    ["regexp_matches(a, '^S0[12]$')", `regexp_matches(value["a"], '^S0[12]$')`],
    ["date_trunc('hour', timestamp) = now()", `(date_trunc('hour', timestamp) = now())`],
  ])('%s', (text, tree) => {
    expect(p(text)).toBe(tree);
  });
});

describe('precedence', () => {
  it.each([
    // AND binds tighter than OR
    ['a OR b AND c', '(value["a"] OR (value["b"] AND value["c"]))'],
    ['a AND b OR c AND d', '((value["a"] AND value["b"]) OR (value["c"] AND value["d"]))'],
    ['(a OR b) AND c', '((value["a"] OR value["b"]) AND value["c"])'],
    // NOT binds tighter than AND, looser than comparisons
    ['NOT a AND b', '((NOT value["a"]) AND value["b"])'],
    ['NOT a = 1', '(NOT (value["a"] = 1))'],
    ['NOT NOT a', '(NOT (NOT value["a"]))'],
    ['NOT a IS NULL', '(NOT (value["a"] IS NULL))'],
    ['NOT a IN (1) OR b', '((NOT (value["a"] IN [1])) OR value["b"])'],
    // arithmetic
    ['a + b * c = 1', '((value["a"] + (value["b"] * value["c"])) = 1)'],
    ['a - b - c = 1', '(((value["a"] - value["b"]) - value["c"]) = 1)'],
    ['a / b % c = 1', '(((value["a"] / value["b"]) % value["c"]) = 1)'],
    ['(a + b) * c = 1', '(((value["a"] + value["b"]) * value["c"]) = 1)'],
    ['-a * b = 1', '(((- value["a"]) * value["b"]) = 1)'],
    ["a || b + 1 = 'x'", `((value["a"] || (value["b"] + 1)) = 'x')`],
    ['a::INTEGER + 1 = 2', '((CAST(value["a"] AS INTEGER) + 1) = 2)'],
    ['-a::INTEGER = 2', '((- CAST(value["a"] AS INTEGER)) = 2)'],
    // comparisons bind tighter than AND; BETWEEN's AND is its own
    ['a BETWEEN 1 AND 2 AND b', '((value["a"] BETWEEN 1 AND 2) AND value["b"])'],
    ['a = 1 AND b = 2 OR c = 3', '(((value["a"] = 1) AND (value["b"] = 2)) OR (value["c"] = 3))'],
    // IS applies to the comparison before it
    ['a = b IS NULL', '((value["a"] = value["b"]) IS NULL)'],
    ['a + 1 IS NOT NULL', '((value["a"] + 1) IS NOT NULL)'],
    ['a = (b < c)', '(value["a"] = (value["b"] < value["c"]))'],
  ])('%s', (text, tree) => {
    expect(p(text)).toBe(tree);
  });

  it('flattens long AND/OR chains instead of nesting them', () => {
    const text = Array.from({ length: 500 }, (_, i) => `a = ${i}`).join(' OR ');
    const e = parseFilter(text);
    expect(e.type).toBe('or');
    expect(e.type === 'or' && e.operands.length).toBe(500);
  });

  it('does not chain comparisons', () => {
    expect(syntaxError('a < b < c').message).toBe('Comparisons cannot be chained; combine them with AND (unexpected \'<\') at line 1, column 7');
    expect(syntaxError('a = 1 = 2').column).toBe(7);
    expect(syntaxError('a IS NULL = TRUE').column).toBe(11);
    expect(syntaxError('a BETWEEN 1 AND 2 BETWEEN 3 AND 4').column).toBe(19);
  });
});

describe('comments and whitespace', () => {
  it('ignores -- and /* */ comments', () => {
    expect(p('a = 1 -- the answer\n AND /* really */ b = 2')).toBe('((value["a"] = 1) AND (value["b"] = 2))');
  });

  it('accepts CRLF line breaks and counts lines across them', () => {
    expect(syntaxError('a = 1\r\nAND )').line).toBe(2);
    expect(syntaxError('a = 1\r\nAND )').column).toBe(5);
  });
});

describe('syntax errors', () => {
  it.each([
    ['amount > 100 )', "Unexpected ')' at line 1, column 14", ')'],
    ['(a = 1 AND )', "Unexpected ')' at line 1, column 12", ')'],
    ["system('ls')", "Unknown function 'system' at line 1, column 1", 'system'],
    ["read_csv('/etc/passwd') IS NULL", "Unknown function 'read_csv' at line 1, column 1", 'read_csv'],
    ["a = 1 AND getenv('HOME') = 'x'", "Unknown function 'getenv' at line 1, column 11", 'getenv'],
    ["amount = 'abc", 'Unterminated string starting at line 1, column 10', "'"],
    ['a = "abc', 'Unterminated quoted identifier starting at line 1, column 5', '"'],
    ['a #', "Unexpected character '#' at line 1, column 3", '#'],
    ['a = 1;', "Unexpected character ';' at line 1, column 6", ';'],
    ['a IN ()', 'IN list is empty at line 1, column 7', ')'],
    ['a BETWEEN 1', 'Unexpected end of filter at line 1, column 12', null],
    ['', 'Unexpected end of filter at line 1, column 1', null],
    ['a IS 5', "Unexpected '5' at line 1, column 6", '5'],
    ['a = 1 AND AND b', "Unexpected 'AND' at line 1, column 11", 'AND'],
    ['1e999 > a', 'Number is out of range at line 1, column 1', '1e999'],
    ['123abc = 1', 'Invalid number at line 1, column 1', '123abc'],
    ['lower(a, b) IS NULL', "Function 'lower' takes 1 argument, not 2 at line 1, column 1", 'lower'],
    ['now(1) IS NULL', "Function 'now' takes 0 arguments, not 1 at line 1, column 1", 'now'],
    ["cast(a AS DECIMAL) = 1", "Unknown type 'DECIMAL' (supported: VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP) at line 1, column 11", 'DECIMAL'],
    ['key.x = 1', "'key' has no fields (use value.key… for a field of the value) at line 1, column 4", '.'],
    ["headers = 'a'", "A header is written headers.name or headers['name'] at line 1, column 1", 'headers'],
    ["a LIKE 'x' ESCAPE 'ab'", 'ESCAPE must be a single printable ASCII character other than a letter, % or _ at line 1, column 19', "'ab'"],
    ['/* open', 'Unterminated comment starting at line 1, column 1', '/*'],
  ])('%s', (text, message, token) => {
    const e = syntaxError(text);
    expect(e.message).toBe(message);
    expect(e.token).toBe(token);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FilterSyntaxError');
  });

  it('reports lines and columns past line breaks', () => {
    const e = syntaxError("amount > 100\n  AND store_id IN ('S01',\n                   'S02'");
    expect(e.message).toBe('Unexpected end of filter at line 3, column 25');
    const s = syntaxError("amount > 100 AND\n  note = 'abc");
    expect([s.line, s.column, s.offset]).toEqual([2, 10, 26]);
  });

  it('refuses bad typed literals where they are', () => {
    expect(syntaxError("timestamp > TIMESTAMP '2026-13-01'").message).toBe(
      "Invalid TIMESTAMP '2026-13-01' (expected e.g. '2026-10-01 12:00:00' or '2026-10-01T12:00:00Z') at line 1, column 23",
    );
    expect(syntaxError("timestamp > DATE '2026-02-30'").column).toBe(18);
    expect(syntaxError("timestamp > DATE '2026-10-01 12:00'").column).toBe(18);
    expect(syntaxError("timestamp > now() - INTERVAL '1 month'").message).toBe(
      "INTERVAL unit 'month' has no fixed length; use days or weeks at line 1, column 30",
    );
    expect(syntaxError("timestamp > now() - INTERVAL 'soon'").message).toContain("Invalid INTERVAL 'soon'");
  });

  it('reports type errors at the operator', () => {
    expect(syntaxError('amount + 1').message).toBe('The filter must be a condition (true/false), not a number at line 1, column 8');
    expect(syntaxError('timestamp = TRUE').message).toBe('Cannot compare a timestamp with a boolean at line 1, column 11');
    expect(syntaxError("INTERVAL '1 day' > 5").message).toBe('Cannot compare an interval with a number at line 1, column 18');
    expect(syntaxError("coalesce(1, 'a') = 1").message).toBe('coalesce() arguments have different types: a number and a string at line 1, column 13');
    expect(syntaxError('NOT 5').message).toBe('The operand of NOT must be a condition (true/false), not a number at line 1, column 5');
    expect(syntaxError("a = 1 AND 'x'").message).toBe('Each side of AND must be a condition (true/false), not a string at line 1, column 11');
    expect(syntaxError('timestamp + 5 > timestamp').message).toContain('Cannot compute a timestamp + a number');
    expect(syntaxError("timestamp = INTERVAL '1 day'").message).toContain('Cannot compare a timestamp with an interval');
    expect(syntaxError("value.x = INTERVAL '1 day'").message).toContain('Cannot compare a value field with an interval');
    expect(syntaxError('cast(flag = 1 AS TIMESTAMP) IS NULL').message).toContain('Cannot cast a boolean to TIMESTAMP');
  });

  it('validates function arguments', () => {
    expect(syntaxError("date_trunc('fortnight', timestamp) IS NULL").message).toContain("date_trunc() unit must be one of 'second'");
    expect(syntaxError('round(a, b) > 1').message).toBe('round() digits must be a whole number between -20 and 20 at line 1, column 10');
    expect(syntaxError('regexp_matches(a, b)').message).toBe('regexp_matches() pattern must be a string literal at line 1, column 19');
  });

  it('points into regular expressions', () => {
    expect(syntaxError("regexp_matches(a, '(a')").message).toBe("Missing ')' at line 1, column 20");
    expect(syntaxError("regexp_matches(a, 'x\\1')").message).toBe("Unsupported escape '\\1' in regular expression at line 1, column 21");
    expect(syntaxError("regexp_matches(a, 'it''s(')").message).toBe("Missing ')' at line 1, column 25");
  });

  it('validateFilter reports instead of throwing, and accepts an empty filter', () => {
    expect(validateFilter('   ')).toEqual({ ok: true, columns: [] });
    expect(validateFilter('amount > 1')).toEqual({ ok: true, columns: [{ kind: 'value', path: ['amount'] }] });
    expect(validateFilter('amount > 100 )')).toEqual({
      ok: false,
      error: { message: "Unexpected ')' at line 1, column 14", reason: "Unexpected ')'", line: 1, column: 14, offset: 13, length: 1, token: ')' },
    });
  });
});

describe('limits', () => {
  it(`refuses filters longer than ${MAX_FILTER_LENGTH} characters`, () => {
    const text = `a IN (${Array.from({ length: 3000 }, (_, i) => i).join(', ')})`;
    expect(text.length).toBeGreaterThan(MAX_FILTER_LENGTH);
    const e = syntaxError(text);
    expect(e.message).toBe(`Filter is too long (${text.length} characters; the limit is ${MAX_FILTER_LENGTH}) at line 1, column ${MAX_FILTER_LENGTH + 1}`);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels without overflowing the stack`, () => {
    expect(() => parseFilter(`${'('.repeat(MAX_DEPTH)}a = 1${')'.repeat(MAX_DEPTH)}`)).not.toThrow();
    const deep = syntaxError(`${'('.repeat(4990)}a = 1${')'.repeat(4990)}`);
    expect(deep.message).toBe(`Filter is nested too deeply (the limit is ${MAX_DEPTH} levels) at line 1, column ${MAX_DEPTH + 1}`);
    expect(syntaxError(`${'NOT '.repeat(2000)}a`).message).toContain('nested too deeply');
    expect(syntaxError(`a = ${'- '.repeat(3000)}1`).message).toContain('nested too deeply');
    expect(syntaxError(`${'lower('.repeat(1000)}a${')'.repeat(1000)} = 'x'`).message).toContain('nested too deeply');
    expect(syntaxError(`a = ${Array.from({ length: 1500 }, () => '1').join(' + ')}`).message).toContain('nested too deeply');
  });

  it('an unclosed flood of parentheses is an error, not a crash', () => {
    expect(syntaxError('('.repeat(10_000)).message).toContain('nested too deeply');
  });
});
