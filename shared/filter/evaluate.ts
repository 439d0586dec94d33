// Compiles a checked filter tree into a tree of closures: no eval, no Function, no RegExp built from
// user text. Each node becomes `(row) => value`, with SQL three-valued logic (null = NULL/unknown) and
// the coercion rules of values.ts; the filter keeps a row only when the whole condition is TRUE.
// Nothing here throws while evaluating: type mismatches, bad numbers and missing fields are NULL.
import type { CallExpr, CompareOp, FilterExpr, FilterRow, PathSegment } from './ast';
import { compileLike, type LikeMatcher } from './like';
import { catOf, checkFilter, type CheckedFilter, type StaticType } from './types';
import {
  castValue,
  compareIn,
  comparisonDomain,
  convert,
  finiteOrNull,
  lowerText,
  roundTo,
  runtimeCat,
  textLength,
  toCondition,
  toNumber,
  toText,
  toTimestamp,
  trimSpaces,
  truncTimestamp,
  upperText,
  type Cat,
} from './values';

type Ev = (row: FilterRow) => unknown;
type Tri = boolean | null;
type Cond = (row: FilterRow) => Tri;

interface C {
  ev: Ev;
  type: StaticType;
  /** Present when the node's value does not depend on the row. */
  constant?: { value: unknown };
}

export interface CompileOptions {
  /** The clock for now(); defaults to Date.now. */
  now?: () => number;
}

const hasOwn = Object.hasOwn;
const DUMMY_ROW: FilterRow = { key: null, value: null, headers: {}, timestamp: 0, partition: 0, offset: 0 };

export function compileFilter(expr: FilterExpr, opts: CompileOptions = {}): (row: FilterRow) => boolean {
  const checked = checkFilter(expr);
  const root = condition(new Compiler(checked, opts.now ?? Date.now).compile(expr));
  return (row) => root(row) === true;
}

/**
 * The value of every subtree that does not depend on the row (no columns, no now()), computed with the
 * evaluator itself so SQL constants mean exactly what they mean on streams.
 */
export function foldConstants(expr: FilterExpr, checked: CheckedFilter): Map<FilterExpr, unknown> {
  const out = new Map<FilterExpr, unknown>();
  const compiler = new Compiler(checked, () => 0);
  compiler.onConstant = (e, value) => out.set(e, value);
  compiler.compile(expr);
  return out;
}

/** The category of a value produced by a node of static type `t`. */
function catGetter(t: StaticType): (v: unknown) => Cat | 'o' | null {
  const c = catOf(t);
  if (c) return () => c;
  return runtimeCat;
}

/** A node used as a condition: booleans as they are, value fields converted, anything else NULL. */
function condition(c: C): Cond {
  if (c.type === 'boolean') return c.ev as Cond;
  if (c.type === 'null') return () => null;
  const ev = c.ev;
  return (row) => {
    const v = ev(row);
    if (v === true || v === false) return v;
    const cat = runtimeCat(v);
    return cat === null || cat === 'o' ? null : toCondition(v, cat);
  };
}

function not(f: Cond): Cond {
  return (row) => {
    const r = f(row);
    return r === null ? null : !r;
  };
}

function testFor(op: CompareOp): (c: number) => boolean {
  switch (op) {
    case '=':
      return (c) => c === 0;
    case '<>':
      return (c) => c !== 0;
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
  }
}

const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `get(row) op k` for numbers, falling back to `slow` for values that are not numbers. */
function numberVsConstant(op: CompareOp, get: Ev, k: number, slow: (v: unknown) => Tri): Cond {
  switch (op) {
    case '=':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v === k : slow(v);
      };
    case '<>':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v !== k : slow(v);
      };
    case '<':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v < k : slow(v);
      };
    case '<=':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v <= k : slow(v);
      };
    case '>':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v > k : slow(v);
      };
    case '>=':
      return (row) => {
        const v = get(row);
        return typeof v === 'number' ? v >= k : slow(v);
      };
  }
}

/** Compares two non-null values of known categories. */
function compareValues(a: unknown, ca: Cat, b: unknown, cb: Cat): number | null {
  const d = comparisonDomain(ca, cb);
  if (d === null) return null;
  const x = ca === d ? a : convert(a, ca, d);
  if (x === null) return null;
  const y = cb === d ? b : convert(b, cb, d);
  if (y === null) return null;
  return compareIn(d, x, y);
}

/** Path walking that only ever reads own properties of plain data (no prototype, no getters on arrays). */
function step(v: unknown, seg: PathSegment): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  if (typeof seg === 'number') return Array.isArray(v) && seg < v.length ? (v as unknown[])[seg] : undefined;
  if (Array.isArray(v) || !hasOwn(v, seg)) return undefined;
  return (v as Record<string, unknown>)[seg];
}

function normalize(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function compileValuePath(path: PathSegment[]): Ev {
  if (path.length === 0) return (row) => normalize(row.value);
  if (path.length === 1 && typeof path[0] === 'string') {
    const k = path[0];
    return (row) => {
      const v = row.value;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && hasOwn(v, k)) return normalize((v as Record<string, unknown>)[k]);
      return null;
    };
  }
  return (row) => {
    let v: unknown = row.value;
    for (let i = 0; i < path.length; i++) {
      v = step(v, path[i]!);
      if (v === undefined) return null;
    }
    return normalize(v);
  };
}

function finiteNumber(v: unknown): number | null {
  if (typeof v === 'bigint') v = Number(v);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

class Compiler {
  constructor(
    private readonly checked: CheckedFilter,
    private readonly now: () => number,
  ) {}

  /** Receives every node's constant value, when it has one (used by to-sql.ts to fold constants). */
  onConstant: ((e: FilterExpr, value: unknown) => void) | null = null;

  compile(e: FilterExpr): C {
    return this.node(e);
  }

  /** Wraps a node; folds it to a constant when all its inputs are constant. */
  private done(e: FilterExpr, ev: Ev, inputs: C[], foldable = true): C {
    const type = this.checked.type(e);
    if (foldable && inputs.every((i) => i.constant)) {
      const value = ev(DUMMY_ROW);
      return { ev: () => value, type, constant: { value } };
    }
    return { ev, type };
  }

  private node(e: FilterExpr): C {
    const c = this.nodeUnrecorded(e);
    if (c.constant && this.onConstant) this.onConstant(e, c.constant.value);
    return c;
  }

  private nodeUnrecorded(e: FilterExpr): C {
    switch (e.type) {
      case 'number':
      case 'string':
      case 'boolean':
      case 'timestamp':
      case 'interval': {
        const value = e.value;
        return { ev: () => value, type: this.checked.type(e), constant: { value } };
      }
      case 'null':
        return { ev: () => null, type: 'null', constant: { value: null } };
      case 'column':
        return { ev: this.column(e.ref.kind, e.ref.path), type: this.checked.type(e) };
      case 'not': {
        const o = this.node(e.operand);
        return this.done(e, not(condition(o)), [o]);
      }
      case 'and':
      case 'or': {
        const ops = e.operands.map((o) => this.node(o));
        return this.done(e, e.type === 'and' ? and(ops.map(condition)) : or(ops.map(condition)), ops);
      }
      case 'compare': {
        const l = this.node(e.left);
        const r = this.node(e.right);
        return this.done(e, compare(e.op, l, r), [l, r]);
      }
      case 'distinct': {
        const l = this.node(e.left);
        const r = this.node(e.right);
        const eq = compare('=', l, r);
        const lev = l.ev;
        const rev = r.ev;
        const distinct: Cond = (row) => {
          const a = lev(row);
          const b = rev(row);
          if (a == null || b == null) return (a == null) !== (b == null);
          return eq(row) !== true;
        };
        return this.done(e, e.negated ? (row) => !distinct(row) : distinct, [l, r]);
      }
      case 'isNull': {
        const o = this.node(e.operand);
        const ev = o.ev;
        return this.done(e, e.negated ? (row) => ev(row) != null : (row) => ev(row) == null, [o]);
      }
      case 'in': {
        const o = this.node(e.operand);
        const items = e.items.map((i) => this.node(i));
        const f = inList(o, items);
        return this.done(e, e.negated ? not(f) : f, [o, ...items]);
      }
      case 'between': {
        const o = this.node(e.operand);
        const lo = this.node(e.low);
        const hi = this.node(e.high);
        const f = and([compare('>=', o, lo), compare('<=', o, hi)]);
        return this.done(e, e.negated ? not(f) : f, [o, lo, hi]);
      }
      case 'like': {
        const o = this.node(e.operand);
        const p = this.node(e.pattern);
        const f = like(o, p, e.escape, e.caseInsensitive);
        return this.done(e, e.negated ? not(f) : f, [o, p]);
      }
      case 'negate': {
        const o = this.node(e.operand);
        const num = toNumberEv(o);
        return this.done(e, (row) => {
          const v = num(row);
          return v === null ? null : -v;
        }, [o]);
      }
      case 'arithmetic': {
        const l = this.node(e.left);
        const r = this.node(e.right);
        return this.done(e, arithmetic(e.op, l, r, this.checked.type(e)), [l, r]);
      }
      case 'cast': {
        const o = this.node(e.operand);
        const ev = o.ev;
        const cat = catGetter(o.type);
        const to = e.to;
        return this.done(e, (row) => {
          const v = ev(row);
          const c = v == null ? null : cat(v);
          return c === null || c === 'o' ? null : castValue(v, c, to);
        }, [o]);
      }
      case 'call':
        return this.call(e);
    }
  }

  private column(kind: string, path: PathSegment[]): Ev {
    switch (kind) {
      case 'key':
        return (row) => (typeof row.key === 'string' ? row.key : null);
      case 'timestamp':
        return (row) => finiteNumber(row.timestamp);
      case 'partition':
        return (row) => finiteNumber(row.partition);
      case 'offset':
        return (row) => finiteNumber(row.offset);
      case 'header': {
        const name = path[0] as string;
        return (row) => {
          const h = row.headers;
          if (h === null || typeof h !== 'object' || !hasOwn(h, name)) return null;
          const v = h[name];
          return typeof v === 'string' ? v : null;
        };
      }
      default:
        return compileValuePath(path);
    }
  }

  private call(e: CallExpr): C {
    const args = e.args.map((a) => this.node(a));
    const type = this.checked.type(e);
    const text1 = (k: number): ((row: FilterRow) => string | null) => toTextEv(args[k]!);
    switch (e.name) {
      case 'lower':
      case 'upper':
      case 'trim':
      case 'length': {
        const s = text1(0);
        const fn = e.name === 'lower' ? lowerText : e.name === 'upper' ? upperText : e.name === 'trim' ? trimSpaces : textLength;
        return this.done(e, (row) => {
          const v = s(row);
          return v === null ? null : fn(v);
        }, args);
      }
      case 'abs':
      case 'floor':
      case 'ceil':
      case 'round': {
        const n = toNumberEv(args[0]!);
        const digits = e.args[1]?.type === 'number' ? e.args[1].value : 0;
        const fn = e.name === 'abs' ? Math.abs : e.name === 'floor' ? Math.floor : e.name === 'ceil' ? Math.ceil : (x: number) => roundTo(x, digits);
        return this.done(e, (row) => {
          const v = n(row);
          return v === null ? null : fn(v);
        }, args);
      }
      case 'contains':
      case 'starts_with':
      case 'ends_with': {
        const a = text1(0);
        const b = text1(1);
        const name = e.name;
        return this.done(e, (row) => {
          const x = a(row);
          if (x === null) return null;
          const y = b(row);
          if (y === null) return null;
          return name === 'contains' ? x.includes(y) : name === 'starts_with' ? x.startsWith(y) : x.endsWith(y);
        }, args);
      }
      case 'regexp_matches': {
        const s = text1(0);
        const re = this.checked.regex(e);
        return this.done(e, (row) => {
          const x = s(row);
          return x === null ? null : re.test(x);
        }, args);
      }
      case 'now': {
        const now = this.now;
        return { ev: () => finiteNumber(now()), type };
      }
      case 'date_trunc': {
        const unit = this.checked.truncUnit(e);
        const t = toTimestampEv(args[1]!);
        return this.done(e, (row) => {
          const v = t(row);
          return v === null ? null : truncTimestamp(v, unit);
        }, args);
      }
      case 'coalesce': {
        const target = catOf(type);
        const evs = args.map((a) => {
          if (!target || a.type === 'null') return a.ev;
          const cat = catGetter(a.type);
          const ev = a.ev;
          return (row: FilterRow) => {
            const v = ev(row);
            const c = v == null ? null : cat(v);
            return c === null || c === 'o' ? null : c === target ? v : convert(v, c, target);
          };
        });
        return this.done(e, (row) => {
          for (const ev of evs) {
            const v = ev(row);
            if (v != null) return v;
          }
          return null;
        }, args);
      }
    }
  }
}

function and(fs: Cond[]): Cond {
  if (fs.length === 1) return fs[0]!;
  if (fs.length === 2) {
    const [a, b] = fs as [Cond, Cond];
    return (row) => {
      const x = a(row);
      if (x === false) return false;
      const y = b(row);
      if (y === false) return false;
      return x === true && y === true ? true : null;
    };
  }
  return (row) => {
    let unknown = false;
    for (let i = 0; i < fs.length; i++) {
      const r = fs[i]!(row);
      if (r === false) return false;
      if (r !== true) unknown = true;
    }
    return unknown ? null : true;
  };
}

function or(fs: Cond[]): Cond {
  if (fs.length === 1) return fs[0]!;
  if (fs.length === 2) {
    const [a, b] = fs as [Cond, Cond];
    return (row) => {
      const x = a(row);
      if (x === true) return true;
      const y = b(row);
      if (y === true) return true;
      return x === false && y === false ? false : null;
    };
  }
  return (row) => {
    let unknown = false;
    for (let i = 0; i < fs.length; i++) {
      const r = fs[i]!(row);
      if (r === true) return true;
      if (r !== false) unknown = true;
    }
    return unknown ? null : false;
  };
}

/** A node's value as a number (null when it is NULL or does not convert). */
function toNumberEv(c: C): (row: FilterRow) => number | null {
  const ev = c.ev;
  if (c.type === 'number' || c.type === 'interval' || c.type === 'timestamp') return ev as (row: FilterRow) => number | null;
  if (c.type === 'null') return () => null;
  const cat = catGetter(c.type);
  return (row) => {
    const v = ev(row);
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    const k = v == null ? null : cat(v);
    return k === null || k === 'o' ? null : toNumber(v, k);
  };
}

function toTextEv(c: C): (row: FilterRow) => string | null {
  const ev = c.ev;
  if (c.type === 'string') return ev as (row: FilterRow) => string | null;
  if (c.type === 'null') return () => null;
  const cat = catGetter(c.type);
  return (row) => {
    const v = ev(row);
    if (typeof v === 'string') return v;
    const k = v == null ? null : cat(v);
    return k === null || k === 'o' ? null : toText(v, k);
  };
}

function toTimestampEv(c: C): (row: FilterRow) => number | null {
  const ev = c.ev;
  if (c.type === 'timestamp') return ev as (row: FilterRow) => number | null;
  if (c.type === 'null') return () => null;
  const cat = catGetter(c.type);
  return (row) => {
    const v = ev(row);
    const k = v == null ? null : cat(v);
    return k === null || k === 'o' ? null : toTimestamp(v, k);
  };
}

function arithmetic(op: string, l: C, r: C, type: StaticType): Ev {
  if (type === 'null') return () => null;
  if (op === '||') {
    const a = toTextEv(l);
    const b = toTextEv(r);
    return (row) => {
      const x = a(row);
      if (x === null) return null;
      const y = b(row);
      return y === null ? null : x + y;
    };
  }
  // timestamp - value field: read the field as a timestamp.
  const a = l.type === 'any' && r.type === 'timestamp' ? toTimestampEv(l) : toNumberEv(l);
  const b = r.type === 'any' && l.type === 'timestamp' ? toTimestampEv(r) : toNumberEv(r);
  const f =
    op === '+' ? (x: number, y: number) => x + y
    : op === '-' ? (x: number, y: number) => x - y
    : op === '*' ? (x: number, y: number) => x * y
    : op === '/' ? (x: number, y: number) => x / y
    : (x: number, y: number) => x % y;
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    return y === null ? null : finiteOrNull(f(x, y));
  };
}

function compare(op: CompareOp, l: C, r: C): Cond {
  if (l.type === 'null' || r.type === 'null') return () => null;
  if (l.constant && !r.constant) return compare(FLIP[op], r, l);
  const test = testFor(op);
  const lcat = catOf(l.type);
  const rcat = catOf(r.type);
  const lev = l.ev;
  const rev = r.ev;

  if (r.constant && rcat) {
    const k = r.constant.value;
    if (k === null) return () => null;
    if (lcat) {
      // Both sides' categories are known now: convert the constant once.
      const d = comparisonDomain(lcat, rcat);
      if (d === null) return () => null;
      const kd = rcat === d ? k : convert(k, rcat, d);
      if (kd === null) return () => null;
      if (lcat === d && typeof kd === 'number') return numberVsConstant(op, lev, kd, () => null);
      return (row) => {
        const v = lev(row);
        if (v === null) return null;
        const x = lcat === d ? v : convert(v, lcat, d);
        return x === null ? null : test(compareIn(d, x, kd));
      };
    }
    // A value field against a constant: precompute the constant in each category the field may have.
    const byCat = new Map<Cat, { d: Cat; k: unknown } | null>();
    for (const c of ['n', 's', 'b'] as const) {
      const d = comparisonDomain(c, rcat);
      const kd = d === null ? null : rcat === d ? k : convert(k, rcat, d);
      byCat.set(c, d === null || kd === null ? null : { d, k: kd });
    }
    const slow = (v: unknown): Tri => {
      const c = runtimeCat(v);
      if (c === null || c === 'o') return null;
      const plan = byCat.get(c);
      if (!plan) return null;
      const x = c === plan.d ? v : convert(v, c, plan.d);
      return x === null ? null : test(compareIn(plan.d, x, plan.k));
    };
    const nPlan = byCat.get('n');
    if (nPlan && nPlan.d === 'n') return numberVsConstant(op, lev, nPlan.k as number, slow);
    const sPlan = byCat.get('s');
    if (sPlan && sPlan.d === 's') {
      const ks = sPlan.k as string;
      if (op === '=') return (row) => {
        const v = lev(row);
        return typeof v === 'string' ? v === ks : slow(v);
      };
      if (op === '<>') return (row) => {
        const v = lev(row);
        return typeof v === 'string' ? v !== ks : slow(v);
      };
    }
    return (row) => slow(lev(row));
  }

  const lc = catGetter(l.type);
  const rc = catGetter(r.type);
  return (row) => {
    const a = lev(row);
    if (a == null) return null;
    const b = rev(row);
    if (b == null) return null;
    const ca = lc(a);
    const cb = rc(b);
    if (ca === null || ca === 'o' || cb === null || cb === 'o') return null;
    const c = compareValues(a, ca, b, cb);
    return c === null ? null : test(c);
  };
}

function inList(o: C, items: C[]): Cond {
  if (o.type === 'null') return () => null;
  if (!items.every((i) => i.constant)) {
    return or(items.map((i) => compare('=', o, i)));
  }
  // Constant list: for each category the operand can have, the converted items grouped by the category
  // they are compared in, and whether some comparison is NULL whatever the operand (NULL items, items
  // that do not convert).
  interface Plan {
    groups: { d: Cat; set: Set<unknown> }[];
    nullish: boolean;
  }
  const plans = new Map<Cat, Plan>();
  const opCat = catOf(o.type);
  for (const c of opCat ? [opCat] : (['n', 's', 'b'] as const)) {
    const plan: Plan = { groups: [], nullish: false };
    for (const item of items) {
      const v = item.constant!.value;
      const ic = v == null ? null : catOf(item.type) ?? runtimeCat(v);
      const d = ic === null || ic === 'o' ? null : comparisonDomain(c, ic);
      const kd = d === null ? null : ic === d ? v : convert(v, ic as Cat, d);
      if (d === null || kd === null) {
        plan.nullish = true;
        continue;
      }
      let g = plan.groups.find((x) => x.d === d);
      if (!g) plan.groups.push((g = { d, set: new Set() }));
      g.set.add(kd);
    }
    plans.set(c, plan);
  }
  const ev = o.ev;
  const cat = catGetter(o.type);
  const general = (v: unknown): Tri => {
    if (v == null) return null;
    const c = cat(v);
    if (c === null || c === 'o') return null;
    const plan = plans.get(c);
    if (!plan) return null;
    let unknown = plan.nullish;
    for (const g of plan.groups) {
      const x = c === g.d ? v : convert(v, c, g.d);
      if (x === null) unknown = true;
      else if (g.set.has(x)) return true;
    }
    return unknown ? null : false;
  };
  // The common case: strings (or numbers) against a list of strings (or numbers).
  const sPlan = plans.get('s');
  if (sPlan && sPlan.groups.length === 1 && sPlan.groups[0]!.d === 's') {
    const set = sPlan.groups[0]!.set;
    const miss = sPlan.nullish ? null : false;
    return (row) => {
      const v = ev(row);
      if (typeof v === 'string') return set.has(v) ? true : miss;
      return general(v);
    };
  }
  const nPlan = plans.get('n');
  if (nPlan && nPlan.groups.length === 1 && nPlan.groups[0]!.d === 'n') {
    const set = nPlan.groups[0]!.set;
    const miss = nPlan.nullish ? null : false;
    return (row) => {
      const v = ev(row);
      if (typeof v === 'number') return set.has(v) ? true : miss;
      return general(v);
    };
  }
  return (row) => general(ev(row));
}

function like(o: C, p: C, escape: string | null, ci: boolean): Cond {
  const text = toTextEv(o);
  const subject = ci ? (row: FilterRow) => {
    const s = text(row);
    return s === null ? null : lowerText(s);
  } : text;
  const compilePattern = (s: string): LikeMatcher | null => compileLike(ci ? lowerText(s) : s, escape);
  if (p.constant) {
    const pv = p.constant.value;
    const ps = pv == null ? null : toTextEv(p)(DUMMY_ROW);
    const m = ps === null ? null : compilePattern(ps);
    if (m === null) return () => null;
    return (row) => {
      const s = subject(row);
      return s === null ? null : m(s);
    };
  }
  const pattern = toTextEv(p);
  let lastPattern: string | null = null;
  let lastMatcher: LikeMatcher | null = null;
  return (row) => {
    const s = subject(row);
    if (s === null) return null;
    const ps = pattern(row);
    if (ps === null) return null;
    if (ps !== lastPattern) {
      lastMatcher = compilePattern(ps);
      lastPattern = ps;
    }
    return lastMatcher === null ? null : lastMatcher(s);
  };
}
