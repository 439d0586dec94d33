// Recursive-descent parser for the filter language, with precedence climbing for the arithmetic
// operators. Precedence, loosest first:
//   OR  <  AND  <  NOT  <  comparison / IS / IN / BETWEEN / LIKE  <  ||  <  + -  <  * / %  <  unary -  <  ::
// Comparisons do not chain (`a < b < c` is an error, as in DuckDB and PostgreSQL).
import {
  CAST_TYPES,
  FUNCTION_NAMES,
  type CastType,
  type ColumnRef,
  type CompareOp,
  type FilterExpr,
  type FunctionName,
  type PathSegment,
  type SourcePos,
} from './ast';
import { FilterSyntaxError } from './errors';
import { describeToken, tokenize, type Token } from './lexer';
import { parseInterval, parseTimestamp } from './values';

/** Deepest nesting of parentheses, NOT, unary minus, function calls and operators. */
export const MAX_DEPTH = 100;

const RESERVED = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'ESCAPE', 'DISTINCT', 'FROM', 'AS', 'CAST']);
const COMPARE_OPS: Record<string, CompareOp> = { '=': '=', '==': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const ARITH_PREC: Record<string, number> = { '||': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3 };
const FUNCTION_ALIASES: Record<string, FunctionName> = { ceiling: 'ceil' };
const ARITY: Record<FunctionName, [number, number]> = {
  lower: [1, 1], upper: [1, 1], length: [1, 1], trim: [1, 1], coalesce: [1, Infinity], abs: [1, 1],
  round: [1, 2], floor: [1, 1], ceil: [1, 1], contains: [2, 2], starts_with: [2, 2], ends_with: [2, 2],
  regexp_matches: [2, 2], now: [0, 0], date_trunc: [2, 2],
};
const TYPE_ALIASES: Record<string, CastType> = {
  VARCHAR: 'VARCHAR', TEXT: 'VARCHAR', STRING: 'VARCHAR',
  INTEGER: 'INTEGER', INT: 'INTEGER', INT4: 'INTEGER', INT32: 'INTEGER',
  BIGINT: 'BIGINT', INT8: 'BIGINT', INT64: 'BIGINT', LONG: 'BIGINT',
  DOUBLE: 'DOUBLE', FLOAT8: 'DOUBLE',
  BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN',
  DATE: 'DATE', TIMESTAMP: 'TIMESTAMP',
};
const STREAM_COLUMNS = new Set(['key', 'timestamp', 'partition', 'offset']);

/** Parses filter text into a tree (syntax only; index.ts adds the type check). */
export function parse(text: string): FilterExpr {
  return new Parser(text).parseFilter();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;
  private readonly depths = new WeakMap<FilterExpr, number>();

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseFilter(): FilterExpr {
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return expr;
  }

  // ---- token helpers ----

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKw(t: Token, kw: string): boolean {
    return t.kind === 'ident' && t.value.toUpperCase() === kw;
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.value === op;
  }

  private expectOp(op: string): Token {
    const t = this.peek();
    if (!this.isOp(t, op)) throw this.unexpected(t, `'${op}'`);
    return this.next();
  }

  private expectKw(kw: string): Token {
    const t = this.peek();
    if (!this.isKw(t, kw)) throw this.unexpected(t, kw);
    return this.next();
  }

  private unexpected(t: Token, _expected?: string): FilterSyntaxError {
    return new FilterSyntaxError(`Unexpected ${describeToken(t)}`, t.pos, t.kind === 'eof' ? null : t.text);
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw this.tooDeep(t.pos, t.text);
  }

  private leave(): void {
    this.depth--;
  }

  private tooDeep(pos: SourcePos, token: string | null): FilterSyntaxError {
    return new FilterSyntaxError(`Filter is nested too deeply (the limit is ${MAX_DEPTH} levels)`, pos, token);
  }

  /** Records a node's depth (1 + its deepest child) and refuses trees deeper than MAX_DEPTH. */
  private mk<T extends FilterExpr>(node: T, ...children: FilterExpr[]): T {
    let d = 0;
    for (const c of children) d = Math.max(d, this.depths.get(c) ?? 1);
    if (d + 1 > MAX_DEPTH) throw this.tooDeep(node.pos, null);
    this.depths.set(node, d + 1);
    return node;
  }

  // ---- boolean structure ----

  private parseOr(): FilterExpr {
    const first = this.parseAnd();
    if (!this.isKw(this.peek(), 'OR')) return first;
    const pos = this.peek().pos;
    const operands = [first];
    while (this.isKw(this.peek(), 'OR')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return this.mk({ type: 'or', operands, pos }, ...operands);
  }

  private parseAnd(): FilterExpr {
    const first = this.parseNot();
    if (!this.isKw(this.peek(), 'AND')) return first;
    const pos = this.peek().pos;
    const operands = [first];
    while (this.isKw(this.peek(), 'AND')) {
      this.next();
      operands.push(this.parseNot());
    }
    return this.mk({ type: 'and', operands, pos }, ...operands);
  }

  private parseNot(): FilterExpr {
    const t = this.peek();
    if (!this.isKw(t, 'NOT')) return this.parsePredicate();
    this.next();
    this.enter(t);
    const operand = this.parseNot();
    this.leave();
    return this.mk({ type: 'not', operand, pos: t.pos }, operand);
  }

  // ---- predicates ----

  private startsComparison(t: Token): boolean {
    if (t.kind === 'op') return t.value in COMPARE_OPS;
    if (this.isKw(t, 'IN') || this.isKw(t, 'BETWEEN') || this.isKw(t, 'LIKE') || this.isKw(t, 'ILIKE')) return true;
    if (this.isKw(t, 'NOT')) {
      const n = this.peek(1);
      return this.isKw(n, 'IN') || this.isKw(n, 'BETWEEN') || this.isKw(n, 'LIKE') || this.isKw(n, 'ILIKE');
    }
    return false;
  }

  private parsePredicate(): FilterExpr {
    let expr = this.parseArith(1);
    let compared = false;
    for (;;) {
      const t = this.peek();
      if (this.startsComparison(t)) {
        if (compared) {
          throw new FilterSyntaxError(`Comparisons cannot be chained; combine them with AND (unexpected ${describeToken(t)})`, t.pos, t.text);
        }
        compared = true;
        expr = this.parseComparison(expr);
      } else if (this.isKw(t, 'IS')) {
        compared = true;
        expr = this.parseIs(expr);
      } else return expr;
    }
  }

  private parseComparison(left: FilterExpr): FilterExpr {
    const t = this.next();
    if (t.kind === 'op') {
      const right = this.parseArith(1);
      return this.mk({ type: 'compare', op: COMPARE_OPS[t.value]!, left, right, pos: t.pos }, left, right);
    }
    let negated = false;
    let kw = t;
    if (this.isKw(t, 'NOT')) {
      negated = true;
      kw = this.next();
    }
    const word = kw.value.toUpperCase();
    if (word === 'IN') {
      const open = this.expectOp('(');
      this.enter(open);
      if (this.isOp(this.peek(), ')')) {
        throw new FilterSyntaxError('IN list is empty', this.peek().pos, ')');
      }
      const items: FilterExpr[] = [this.parseOr()];
      while (this.isOp(this.peek(), ',')) {
        this.next();
        items.push(this.parseOr());
      }
      this.expectOp(')');
      this.leave();
      return this.mk({ type: 'in', operand: left, items, negated, pos: t.pos }, left, ...items);
    }
    if (word === 'BETWEEN') {
      const low = this.parseArith(1);
      this.expectKw('AND');
      const high = this.parseArith(1);
      return this.mk({ type: 'between', operand: left, low, high, negated, pos: t.pos }, left, low, high);
    }
    // LIKE / ILIKE
    const pattern = this.parseArith(1);
    let escape: string | null = null;
    if (this.isKw(this.peek(), 'ESCAPE')) {
      this.next();
      const e = this.peek();
      if (e.kind !== 'string') throw this.unexpected(e, 'a string');
      this.next();
      if (e.value.length > 0) {
        if (!/^[ -~]$/.test(e.value) || /[A-Za-z%_]/.test(e.value)) {
          throw new FilterSyntaxError('ESCAPE must be a single printable ASCII character other than a letter, % or _', e.pos, e.text);
        }
        escape = e.value;
      }
    }
    return this.mk(
      { type: 'like', operand: left, pattern, escape, caseInsensitive: word === 'ILIKE', negated, pos: t.pos },
      left,
      pattern,
    );
  }

  private parseIs(left: FilterExpr): FilterExpr {
    const t = this.next(); // IS
    let negated = false;
    if (this.isKw(this.peek(), 'NOT')) {
      this.next();
      negated = true;
    }
    const n = this.peek();
    if (this.isKw(n, 'NULL')) {
      this.next();
      return this.mk({ type: 'isNull', operand: left, negated, pos: t.pos }, left);
    }
    if (this.isKw(n, 'DISTINCT')) {
      this.next();
      this.expectKw('FROM');
      const right = this.parseArith(1);
      return this.mk({ type: 'distinct', left, right, negated, pos: t.pos }, left, right);
    }
    throw this.unexpected(n, 'NULL or DISTINCT FROM');
  }

  // ---- arithmetic (precedence climbing) ----

  private parseArith(minPrec: number): FilterExpr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'op' ? ARITH_PREC[t.value] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.parseArith(prec + 1);
      left = this.mk({ type: 'arithmetic', op: t.value as '+', left, right, pos: t.pos }, left, right);
    }
  }

  private parseUnary(): FilterExpr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      this.enter(t);
      const operand = this.parseUnary();
      this.leave();
      if (t.value === '+') return operand;
      if (operand.type === 'number') return this.mk({ type: 'number', value: -operand.value, pos: t.pos });
      if (operand.type === 'interval') return this.mk({ ...operand, value: -operand.value, pos: t.pos });
      return this.mk({ type: 'negate', operand, pos: t.pos }, operand);
    }
    let expr = this.parsePrimary();
    while (this.isOp(this.peek(), '::')) {
      const op = this.next();
      const to = this.parseTypeName();
      expr = this.mk({ type: 'cast', operand: expr, to, pos: op.pos }, expr);
    }
    return expr;
  }

  private parseTypeName(): CastType {
    const t = this.peek();
    if (t.kind !== 'ident') throw this.unexpected(t, 'a type');
    this.next();
    const to = TYPE_ALIASES[t.value.toUpperCase()];
    if (!to) throw new FilterSyntaxError(`Unknown type '${t.text}' (supported: ${CAST_TYPES.join(', ')})`, t.pos, t.text);
    return to;
  }

  // ---- primaries ----

  private parsePrimary(): FilterExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'number': {
        this.next();
        const value = Number(t.text);
        if (!Number.isFinite(value)) throw new FilterSyntaxError('Number is out of range', t.pos, t.text);
        return this.mk({ type: 'number', value, pos: t.pos });
      }
      case 'string':
        this.next();
        return this.mk({ type: 'string', value: t.value, pos: t.pos });
      case 'quoted':
        return this.parseColumn();
      case 'op':
        if (t.value === '(') {
          this.next();
          this.enter(t);
          const inner = this.parseOr();
          this.expectOp(')');
          this.leave();
          return inner;
        }
        throw this.unexpected(t);
      case 'eof':
        throw this.unexpected(t);
      case 'ident':
        break;
    }
    const word = t.value.toUpperCase();
    const after = this.peek(1);
    if (word === 'TRUE' || word === 'FALSE') {
      this.next();
      return this.mk({ type: 'boolean', value: word === 'TRUE', pos: t.pos });
    }
    if (word === 'NULL') {
      this.next();
      return this.mk({ type: 'null', pos: t.pos });
    }
    if ((word === 'DATE' || word === 'TIMESTAMP' || word === 'INTERVAL') && after.kind === 'string') {
      this.next();
      this.next();
      return this.typedLiteral(word, t, after);
    }
    if (word === 'CAST' && this.isOp(after, '(')) return this.parseCast();
    if (this.isOp(after, '(')) return this.parseCall();
    if (RESERVED.has(word)) throw this.unexpected(t);
    return this.parseColumn();
  }

  private typedLiteral(word: string, kw: Token, lit: Token): FilterExpr {
    if (word === 'INTERVAL') {
      const ms = parseInterval(lit.value);
      if (typeof ms === 'string') throw new FilterSyntaxError(ms, lit.pos, lit.text);
      return this.mk({ type: 'interval', value: ms, text: lit.value, pos: kw.pos });
    }
    const date = word === 'DATE';
    const ms = date && !/^\d{4}-\d{2}-\d{2}$/.test(lit.value) ? null : parseTimestamp(lit.value);
    if (ms === null) {
      const example = date ? "'2026-10-01'" : "'2026-10-01 12:00:00' or '2026-10-01T12:00:00Z'";
      throw new FilterSyntaxError(`Invalid ${word} ${lit.text} (expected e.g. ${example})`, lit.pos, lit.text);
    }
    return this.mk({ type: 'timestamp', value: ms, text: lit.value, date, pos: kw.pos });
  }

  private parseCast(): FilterExpr {
    const kw = this.next();
    const open = this.expectOp('(');
    this.enter(open);
    const operand = this.parseOr();
    this.expectKw('AS');
    const to = this.parseTypeName();
    this.expectOp(')');
    this.leave();
    return this.mk({ type: 'cast', operand, to, pos: kw.pos }, operand);
  }

  private parseCall(): FilterExpr {
    const t = this.next();
    const lower = t.value.toLowerCase();
    const name = FUNCTION_ALIASES[lower] ?? (FUNCTION_NAMES as readonly string[]).find((f) => f === lower);
    if (!name) throw new FilterSyntaxError(`Unknown function '${t.text}'`, t.pos, t.text);
    const open = this.expectOp('(');
    this.enter(open);
    const args: FilterExpr[] = [];
    if (!this.isOp(this.peek(), ')')) {
      args.push(this.parseOr());
      while (this.isOp(this.peek(), ',')) {
        this.next();
        args.push(this.parseOr());
      }
    }
    this.expectOp(')');
    this.leave();
    const [min, max] = ARITY[name as FunctionName];
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new FilterSyntaxError(
        `Function '${name}' takes ${want} argument${want === '1' ? '' : 's'}, not ${args.length}`,
        t.pos,
        t.text,
      );
    }
    return this.mk({ type: 'call', name: name as FunctionName, args, pos: t.pos }, ...args);
  }

  private parseColumn(): FilterExpr {
    const first = this.next();
    const lower = first.kind === 'ident' ? first.value.toLowerCase() : null;
    let ref: ColumnRef;
    if (lower !== null && STREAM_COLUMNS.has(lower)) {
      ref = { kind: lower as ColumnRef['kind'], path: [] };
      const n = this.peek();
      if (this.isOp(n, '.') || this.isOp(n, '[')) {
        throw new FilterSyntaxError(`'${first.text}' has no fields (use value.${first.text}… for a field of the value)`, n.pos, n.text);
      }
    } else if (lower === 'headers') {
      const segs = this.parseSegments();
      if (segs.length !== 1 || typeof segs[0] !== 'string') {
        throw new FilterSyntaxError("A header is written headers.name or headers['name']", first.pos, first.text);
      }
      ref = { kind: 'header', path: segs };
    } else if (lower === 'value') {
      ref = { kind: 'value', path: this.parseSegments() };
    } else {
      ref = { kind: 'value', path: [first.value, ...this.parseSegments()] };
    }
    const last = this.tokens[this.i - 1]!;
    const text = this.text.slice(first.pos.offset, last.pos.offset + last.text.length);
    return this.mk({ type: 'column', ref, text, pos: first.pos });
  }

  private parseSegments(): PathSegment[] {
    const segs: PathSegment[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '.')) {
        this.next();
        const name = this.peek();
        if (name.kind !== 'ident' && name.kind !== 'quoted') throw this.unexpected(name, 'a field name');
        this.next();
        segs.push(name.value);
      } else if (this.isOp(t, '[')) {
        this.next();
        const k = this.peek();
        if (k.kind === 'string') segs.push(k.value);
        else if (k.kind === 'number' && /^\d+$/.test(k.text) && Number(k.text) <= 0x7fffffff) segs.push(Number(k.text));
        else throw this.unexpected(k, 'a string or array index');
        this.next();
        this.expectOp(']');
      } else return segs;
      if (segs.length > MAX_DEPTH) throw this.tooDeep(t.pos, t.text);
    }
  }
}
