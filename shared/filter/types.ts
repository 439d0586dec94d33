// Static checking: every node gets a type, and mistakes that would otherwise only show up as "no rows"
// (comparing a boolean with a timestamp, unknown date_trunc units, bad regular expressions, …) are
// reported with their position. It also re-validates the shape of trees that did not come from the
// parser, so compileFilter/filterToSql only ever see nodes they know.
import {
  CAST_TYPES,
  FUNCTION_NAMES,
  type CallExpr,
  type ColumnRef,
  type FilterExpr,
  type SourcePos,
} from './ast';
import { FilterSyntaxError, NO_POS } from './errors';
import { compileLike } from './like';
import { compileRegex, RegexError, type SafeRegex } from './regex';
import { TRUNC_UNITS, type Cat, type TruncUnit } from './values';

/** `any` is a value field: its type is only known per message (or per snapshot column). */
export type StaticType = 'number' | 'string' | 'boolean' | 'timestamp' | 'interval' | 'null' | 'any';

const TYPE_NAMES: Record<StaticType, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  interval: 'an interval',
  null: 'NULL',
  any: 'a value field',
};

export function catOf(t: StaticType): Cat | null {
  switch (t) {
    case 'number':
      return 'n';
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'timestamp':
      return 't';
    case 'interval':
      return 'i';
    default:
      return null;
  }
}

export interface CheckedFilter {
  type(e: FilterExpr): StaticType;
  /** Compiled pattern of a regexp_matches() call. */
  regex(e: CallExpr): SafeRegex;
  truncUnit(e: CallExpr): TruncUnit;
}

const MAX_CHECK_DEPTH = 200;
const COMPARE = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ARITH = new Set(['+', '-', '*', '/', '%', '||']);
const KINDS = new Set(['key', 'timestamp', 'partition', 'offset', 'header', 'value']);

function err(reason: string, e: { pos?: SourcePos } | undefined): FilterSyntaxError {
  const pos = e?.pos && typeof e.pos.line === 'number' ? e.pos : NO_POS;
  return new FilterSyntaxError(reason, pos);
}

/** Type-checks a tree; throws FilterSyntaxError at the first problem. */
export function checkFilter(root: FilterExpr): CheckedFilter {
  const types = new Map<FilterExpr, StaticType>();
  const regexes = new Map<CallExpr, SafeRegex>();
  const units = new Map<CallExpr, TruncUnit>();

  const condition = (e: FilterExpr, t: StaticType, what: string): void => {
    if (t !== 'boolean' && t !== 'any' && t !== 'null') throw err(`${what} must be a condition (true/false), not ${TYPE_NAMES[t]}`, e);
  };
  const text = (e: FilterExpr, t: StaticType, what: string): void => {
    if (t === 'interval') throw err(`${what} needs text, not ${TYPE_NAMES[t]}`, e);
  };
  const numeric = (e: FilterExpr, t: StaticType, what: string): void => {
    if (t !== 'number' && t !== 'string' && t !== 'any' && t !== 'null') throw err(`${what} needs a number, not ${TYPE_NAMES[t]}`, e);
  };
  const comparable = (at: FilterExpr, a: StaticType, b: StaticType): void => {
    if (a === 'null' || b === 'null') return;
    const bad =
      ((a === 'interval') !== (b === 'interval')) ||
      (a === 'timestamp' && b === 'boolean') ||
      (b === 'timestamp' && a === 'boolean');
    if (bad) throw err(`Cannot compare ${TYPE_NAMES[a]} with ${TYPE_NAMES[b]}`, at);
  };

  const visit = (e: FilterExpr, depth: number): StaticType => {
    if (depth > MAX_CHECK_DEPTH) throw err('Filter is nested too deeply', e);
    if (e === null || typeof e !== 'object') throw err('Invalid filter tree', undefined);
    const t = infer(e, depth + 1);
    types.set(e, t);
    return t;
  };

  const infer = (e: FilterExpr, d: number): StaticType => {
    switch (e.type) {
      case 'number':
        if (typeof e.value !== 'number' || !Number.isFinite(e.value)) throw err('Invalid number', e);
        return 'number';
      case 'string':
        if (typeof e.value !== 'string') throw err('Invalid string', e);
        return 'string';
      case 'boolean':
        if (typeof e.value !== 'boolean') throw err('Invalid boolean', e);
        return 'boolean';
      case 'null':
        return 'null';
      case 'timestamp':
        if (typeof e.value !== 'number' || !Number.isFinite(e.value)) throw err('Invalid timestamp', e);
        return 'timestamp';
      case 'interval':
        if (typeof e.value !== 'number' || !Number.isFinite(e.value)) throw err('Invalid interval', e);
        return 'interval';
      case 'column':
        return columnType(e.ref, e);
      case 'negate': {
        const t = visit(e.operand, d);
        if (t === 'interval') return 'interval';
        numeric(e, t, 'Unary minus');
        return t === 'null' ? 'null' : 'number';
      }
      case 'not':
        condition(e.operand, visit(e.operand, d), 'The operand of NOT');
        return 'boolean';
      case 'and':
      case 'or':
        if (!Array.isArray(e.operands) || e.operands.length === 0) throw err('Invalid filter tree', e);
        for (const o of e.operands) condition(o, visit(o, d), `Each side of ${e.type.toUpperCase()}`);
        return 'boolean';
      case 'compare':
        if (!COMPARE.has(e.op)) throw err('Invalid comparison', e);
        comparable(e, visit(e.left, d), visit(e.right, d));
        return 'boolean';
      case 'distinct':
        comparable(e, visit(e.left, d), visit(e.right, d));
        return 'boolean';
      case 'isNull':
        visit(e.operand, d);
        return 'boolean';
      case 'in': {
        if (!Array.isArray(e.items) || e.items.length === 0) throw err('IN list is empty', e);
        const t = visit(e.operand, d);
        for (const item of e.items) comparable(item, t, visit(item, d));
        return 'boolean';
      }
      case 'between': {
        const t = visit(e.operand, d);
        comparable(e, t, visit(e.low, d));
        comparable(e, t, visit(e.high, d));
        return 'boolean';
      }
      case 'like': {
        const what = e.caseInsensitive ? 'ILIKE' : 'LIKE';
        text(e.operand, visit(e.operand, d), what);
        text(e.pattern, visit(e.pattern, d), what);
        if (e.escape !== null && (typeof e.escape !== 'string' || !/^[ -~]$/.test(e.escape) || /[A-Za-z%_]/.test(e.escape))) {
          throw err('ESCAPE must be a single printable ASCII character other than a letter, % or _', e);
        }
        if (e.escape !== null && e.pattern.type === 'string' && compileLike(e.pattern.value, e.escape) === null) {
          throw err(`${what} pattern must not end with the escape character '${e.escape}'`, e.pattern);
        }
        return 'boolean';
      }
      case 'arithmetic':
        return arithmetic(e.op, visit(e.left, d), visit(e.right, d), e);
      case 'call':
        return call(e, d);
      case 'cast': {
        if (!(CAST_TYPES as readonly string[]).includes(e.to)) throw err('Unknown type', e);
        const t = visit(e.operand, d);
        const target = e.to === 'DATE' || e.to === 'TIMESTAMP' ? 'timestamp' : e.to === 'BOOLEAN' ? 'boolean' : e.to === 'VARCHAR' ? 'string' : 'number';
        if (t === 'interval' || (t === 'boolean' && target === 'timestamp') || (t === 'timestamp' && target === 'boolean')) {
          throw err(`Cannot cast ${TYPE_NAMES[t]} to ${e.to}`, e);
        }
        return target;
      }
      default:
        throw err('Invalid filter tree', e);
    }
  };

  const arithmetic = (op: string, a: StaticType, b: StaticType, e: FilterExpr): StaticType => {
    if (!ARITH.has(op)) throw err('Invalid operator', e);
    if (op === '||') {
      text(e, a, '||');
      text(e, b, '||');
      return 'string';
    }
    if (a === 'null' || b === 'null') {
      if (a === 'boolean' || b === 'boolean') throw err(`Cannot use ${op} on a boolean`, e);
      return 'null';
    }
    const timeish = a === 'timestamp' || a === 'interval' || b === 'timestamp' || b === 'interval';
    if (timeish) {
      if (op === '+' && ((a === 'timestamp' && b === 'interval') || (a === 'interval' && b === 'timestamp'))) return 'timestamp';
      if ((op === '+' || op === '-') && a === 'interval' && b === 'interval') return 'interval';
      if (op === '-' && a === 'timestamp' && b === 'interval') return 'timestamp';
      if (op === '-' && ((a === 'timestamp' && (b === 'timestamp' || b === 'any')) || (a === 'any' && b === 'timestamp'))) return 'interval';
      throw err(`Cannot compute ${TYPE_NAMES[a]} ${op} ${TYPE_NAMES[b]} (a timestamp takes + or - an INTERVAL)`, e);
    }
    numeric(e, a, `'${op}'`);
    numeric(e, b, `'${op}'`);
    return 'number';
  };

  const call = (e: CallExpr, d: number): StaticType => {
    if (!(FUNCTION_NAMES as readonly string[]).includes(e.name) || !Array.isArray(e.args)) {
      throw err(`Unknown function '${String(e.name)}'`, e);
    }
    const ts = e.args.map((a) => visit(a, d));
    const arg = (k: number): FilterExpr => {
      const a = e.args[k];
      if (!a) throw err(`Function '${e.name}' is missing an argument`, e);
      return a;
    };
    const argType = (k: number): StaticType => {
      arg(k);
      return ts[k]!;
    };
    const fname = `${e.name}()`;
    switch (e.name) {
      case 'lower':
      case 'upper':
      case 'trim':
        text(arg(0), argType(0), fname);
        return 'string';
      case 'length':
        text(arg(0), argType(0), fname);
        return 'number';
      case 'abs':
      case 'floor':
      case 'ceil':
        numeric(arg(0), argType(0), fname);
        return 'number';
      case 'round': {
        numeric(arg(0), argType(0), fname);
        const digits = e.args[1];
        if (digits && (digits.type !== 'number' || !Number.isInteger(digits.value) || Math.abs(digits.value) > 20)) {
          throw err('round() digits must be a whole number between -20 and 20', digits);
        }
        return 'number';
      }
      case 'contains':
      case 'starts_with':
      case 'ends_with':
        text(arg(0), argType(0), fname);
        text(arg(1), argType(1), fname);
        return 'boolean';
      case 'regexp_matches': {
        text(arg(0), argType(0), fname);
        const p = arg(1);
        if (p.type !== 'string') throw err('regexp_matches() pattern must be a string literal', p);
        try {
          regexes.set(e, compileRegex(p.value));
        } catch (x) {
          if (!(x instanceof RegexError)) throw x;
          const quotesBefore = (p.value.slice(0, x.index).match(/'/g) ?? []).length;
          const offset = p.pos.offset + 1 + x.index + quotesBefore;
          throw new FilterSyntaxError(x.message, { offset, line: p.pos.line, column: p.pos.column + (offset - p.pos.offset) });
        }
        return 'boolean';
      }
      case 'now':
        return 'timestamp';
      case 'date_trunc': {
        const u = arg(0);
        const unit = u.type === 'string' ? u.value.toLowerCase() : null;
        if (!unit || !(TRUNC_UNITS as readonly string[]).includes(unit)) {
          throw err(`date_trunc() unit must be one of ${TRUNC_UNITS.map((x) => `'${x}'`).join(', ')}`, u);
        }
        units.set(e, unit as TruncUnit);
        const t = argType(1);
        if (t === 'boolean' || t === 'interval') throw err(`date_trunc() needs a timestamp, not ${TYPE_NAMES[t]}`, arg(1));
        return 'timestamp';
      }
      case 'coalesce': {
        let known: StaticType | null = null;
        ts.forEach((t, k) => {
          if (t === 'null' || t === 'any') return;
          if (known !== null && known !== t) throw err(`coalesce() arguments have different types: ${TYPE_NAMES[known]} and ${TYPE_NAMES[t]}`, e.args[k]);
          known = t;
        });
        return known ?? (ts.includes('any') ? 'any' : 'null');
      }
    }
  };

  const rootType = visit(root, 0);
  condition(root, rootType, 'The filter');
  return {
    type(e) {
      const t = types.get(e);
      if (t === undefined) throw err('Invalid filter tree', e);
      return t;
    },
    regex(e) {
      return regexes.get(e)!;
    },
    truncUnit(e) {
      return units.get(e)!;
    },
  };
}

function columnType(ref: ColumnRef, e: FilterExpr): StaticType {
  if (!ref || !KINDS.has(ref.kind) || !Array.isArray(ref.path)) throw err('Invalid column reference', e);
  for (const s of ref.path) {
    if (typeof s !== 'string' && !(typeof s === 'number' && Number.isInteger(s) && s >= 0)) throw err('Invalid column reference', e);
  }
  switch (ref.kind) {
    case 'key':
      return 'string';
    case 'header':
      if (ref.path.length !== 1 || typeof ref.path[0] !== 'string') throw err('Invalid header reference', e);
      return 'string';
    case 'partition':
    case 'offset':
      return 'number';
    case 'timestamp':
      return 'timestamp';
    case 'value':
      return 'any';
  }
}
