// Turns a checked filter tree back into DuckDB SQL for snapshots. The SQL does not lean on DuckDB's
// implicit casts: it spells out the coercion rules of values.ts, so a filter selects the same rows here
// as evaluate.ts selects on a stream. Column types are not known when the SQL is written, so a value
// field is dispatched on `typeof(column)` — DuckDB folds those CASEs away at bind time, leaving e.g.
// `"amount" > 100.0` for a DOUBLE column.
//
// Injection: every piece of text comes from a fixed template, a number printed by JavaScript, a string
// literal quoted by sqlString() (which refuses NUL), or the caller's column mapping. Nothing the user
// typed is pasted in as SQL.
import type { CallExpr, ColumnRef, CompareOp, FilterExpr } from './ast';
import { FilterSyntaxError } from './errors';
import { foldConstants } from './evaluate';
import { compileLike } from './like';
import { catOf, checkFilter, type CheckedFilter, type StaticType } from './types';
import {
  comparisonDomain,
  convert,
  DAY_MS,
  FALSE_TEXTS,
  lowerText,
  MAX_DATE_MS,
  MAX_PRINTABLE_MS,
  MIN_PRINTABLE_MS,
  NUMERIC_TEXT,
  runtimeCat,
  TIMESTAMP_TEXT,
  toText,
  TRUE_TEXTS,
  type Cat,
} from './values';

/** Maps a column reference to a SQL expression, or null when the snapshot has no such column. */
export type ColumnMapper = (ref: ColumnRef) => string | null;

/** Longest expression repeated inline; longer ones are bound once through a lambda. */
const MAX_INLINE = 80;
/** Refuses to produce absurd SQL (deep nests of conversions). */
const MAX_SQL_LENGTH = 2_000_000;

/** A double-quoted identifier. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name.includes('\0')) throw new Error('Identifiers may not contain NUL characters');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted string literal (DuckDB strings have no backslash escapes). */
export function sqlString(s: string): string {
  if (typeof s !== 'string' || s.includes('\0')) throw new Error('SQL strings may not contain NUL characters');
  return `'${s.replace(/'/g, "''")}'`;
}

/** A DOUBLE literal that DuckDB reads back as exactly this number. */
export function sqlNumber(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error('Invalid number');
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return `CAST(${n === 0 ? 0 : n} AS DOUBLE)`;
  return `CAST('${String(n)}' AS DOUBLE)`;
}

const SQL_TYPE: Record<Cat, string> = { n: 'DOUBLE', s: 'VARCHAR', b: 'BOOLEAN', t: 'DOUBLE', i: 'DOUBLE' };

function typedNull(t: StaticType): string {
  const c = catOf(t);
  return c ? `CAST(NULL AS ${SQL_TYPE[c]})` : 'NULL';
}

/** A constant as SQL of its category's canonical type. */
function literal(value: unknown, c: Cat | null): string {
  if (value === null || value === undefined || c === null) return c ? `CAST(NULL AS ${SQL_TYPE[c]})` : 'NULL';
  switch (c) {
    case 's':
      return sqlString(value as string);
    case 'b':
      return value ? 'TRUE' : 'FALSE';
    default:
      return sqlNumber(value as number);
  }
}

/** A SQL expression and its static type; `sql` is DOUBLE/VARCHAR/BOOLEAN for known types, raw for `any`. */
interface S {
  sql: string;
  type: StaticType;
  constant?: { value: unknown };
}

const TEXT_TYPES = "('VARCHAR', 'UUID')";
const INT_TYPES = "('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT')";
const TS_TYPES = "('TIMESTAMP', 'DATE', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS')";

const POS_INF = "CAST('Infinity' AS DOUBLE)";
const NEG_INF = "CAST('-Infinity' AS DOUBLE)";
const NAN = "CAST('NaN' AS DOUBLE)";

const NUM_RE = sqlString(NUMERIC_TEXT.source);
const TS_RE = sqlString(TIMESTAMP_TEXT.source);

export function filterToSql(expr: FilterExpr, columns: ColumnMapper): string {
  const checked = checkFilter(expr);
  const gen = new SqlGen(checked, foldConstants(expr, checked), columns);
  return gen.condition(gen.gen(expr));
}

class SqlGen {
  private lambdas = 0;

  constructor(
    private readonly checked: CheckedFilter,
    private readonly constants: Map<FilterExpr, unknown>,
    private readonly columns: ColumnMapper,
  ) {}

  // ---- plumbing ----

  private check(sql: string, e: FilterExpr): string {
    if (sql.length > MAX_SQL_LENGTH) throw new FilterSyntaxError('Filter is too complex to run on a snapshot', e.pos);
    return sql;
  }

  /** `body(x)` where x stands for `sql`, evaluated once: inline when short, else through a lambda. */
  private bind(sql: string, body: (x: string) => string): string {
    if (sql.length <= MAX_INLINE) return body(sql);
    const v = `__dpx_${++this.lambdas}`;
    return `list_transform([${sql}], lambda ${v}: ${body(v)})[1]`;
  }

  /**
   * Calls `f` with the value in each category it can have: once for a known type, or inside a
   * CASE over typeof() for a value field (objects, lists and other types give NULL).
   */
  private dispatch(x: S, f: (c: Cat, sql: string, constant?: { value: unknown }) => string): string {
    const known = catOf(x.type);
    if (known) return f(known, x.sql, x.constant);
    if (x.type === 'null') return 'NULL';
    if (x.constant) {
      const c = runtimeCat(x.constant.value);
      return c === null || c === 'o' ? 'NULL' : f(c, literal(x.constant.value, c), x.constant);
    }
    return this.bind(x.sql, (v) => {
      const t = `typeof(${v})`;
      return (
        `(CASE WHEN ${t} IN ${TEXT_TYPES} OR starts_with(${t}, 'ENUM') THEN ${f('s', `CAST(${v} AS VARCHAR)`)}` +
        ` WHEN ${t} = 'BOOLEAN' THEN ${f('b', `TRY_CAST(${v} AS BOOLEAN)`)}` +
        ` WHEN ${t} IN ${INT_TYPES} OR starts_with(${t}, 'DECIMAL') THEN ${f('n', `TRY_CAST(${v} AS DOUBLE)`)}` +
        ` WHEN ${t} IN ('FLOAT', 'DOUBLE') THEN ${f('n', `(CASE WHEN isfinite(TRY_CAST(${v} AS DOUBLE)) THEN TRY_CAST(${v} AS DOUBLE) END)`)}` +
        ` WHEN ${t} = 'TIMESTAMP WITH TIME ZONE' THEN ${f('t', `(CAST(epoch_us(TRY_CAST(${v} AS TIMESTAMPTZ)) AS DOUBLE) / 1000)`)}` +
        ` WHEN ${t} IN ${TS_TYPES} THEN ${f('t', `(CAST(epoch_us(TRY_CAST(${v} AS TIMESTAMP)) AS DOUBLE) / 1000)`)}` +
        ` ELSE NULL END)`
      );
    });
  }

  // ---- conversions of SQL in a known category ----

  private convertSql(sql: string, from: Cat, to: Cat, constant?: { value: unknown }): string {
    if (constant) return literal(constant.value === null ? null : convert(constant.value, from, to), to);
    if (from === to || (to === 'n' && (from === 't' || from === 'i')) || (to === 'i' && (from === 'n' || from === 'i'))) return sql;
    switch (to) {
      case 'n':
      case 'i':
        if (from === 's') return `TRY_CAST(regexp_extract(${sql}, ${NUM_RE}, 1) AS DOUBLE)`;
        if (from === 'b') return `CAST(${sql} AS DOUBLE)`;
        return 'CAST(NULL AS DOUBLE)';
      case 's':
        if (from === 'n') return this.numberText(sql);
        if (from === 'b') return `CAST(${sql} AS VARCHAR)`;
        if (from === 't') return this.timestampText(sql);
        return 'CAST(NULL AS VARCHAR)';
      case 'b':
        if (from === 's') return this.parseBool(sql);
        return 'CAST(NULL AS BOOLEAN)';
      case 't':
        if (from === 'n') return sql;
        if (from === 's') return this.parseTimestamp(sql);
        return 'CAST(NULL AS DOUBLE)';
    }
  }

  private parseBool(sql: string): string {
    const whens = [...TRUE_TEXTS.map((t) => `WHEN '${t}' THEN TRUE`), ...FALSE_TEXTS.map((t) => `WHEN '${t}' THEN FALSE`)];
    return `(CASE lower(${sql}) ${whens.join(' ')} ELSE CAST(NULL AS BOOLEAN) END)`;
  }

  private numberText(sql: string): string {
    return this.bind(
      sql,
      (v) =>
        `(CASE WHEN ${v} = 0 THEN '0' WHEN ${v} = trunc(${v}) AND abs(${v}) < 1e21 THEN CAST(CAST(${v} AS HUGEINT) AS VARCHAR) ELSE CAST(${v} AS VARCHAR) END)`,
    );
  }

  private timestampText(sql: string): string {
    return this.bind(
      sql,
      (v) =>
        `(CASE WHEN floor(${v}) >= ${MIN_PRINTABLE_MS} AND floor(${v}) < ${MAX_PRINTABLE_MS} THEN strftime(epoch_ms(CAST(floor(${v}) AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%gZ') END)`,
    );
  }

  /** The TIMESTAMP_TEXT grammar: canonicalised and read as UTC, then shifted by the zone offset. */
  private parseTimestamp(sql: string): string {
    return this.bind(sql, (v) => {
      const g = (k: number): string => `regexp_extract(${v}, ${TS_RE}, ${k})`;
      const canon = `substr(${v}, 1, 10) || ' ' || coalesce(nullif(${g(2)}, ''), '00:00') || ':' || coalesce(nullif(${g(3)}, ''), '00') || '.' || rpad(substr(${g(4)}, 1, 6), 6, '0')`;
      const offsetMinutes = `((CASE ${g(5)} WHEN '-' THEN -1 WHEN '+' THEN 1 ELSE 0 END) * (coalesce(TRY_CAST(nullif(${g(6)}, '') AS BIGINT), 0) * 60 + coalesce(TRY_CAST(nullif(${g(7)}, '') AS BIGINT), 0)))`;
      return `(CASE WHEN regexp_full_match(${v}, ${TS_RE}) THEN CAST(epoch_us(TRY_CAST(${canon} AS TIMESTAMP)) - ${offsetMinutes} * 60000000 AS DOUBLE) / 1000 END)`;
    });
  }

  /** A node's value in category `to`, typed (DOUBLE / VARCHAR / BOOLEAN) even when it is NULL. */
  private as(x: S, to: Cat): string {
    if (x.type === 'null') return `CAST(NULL AS ${SQL_TYPE[to]})`;
    return this.dispatch(x, (c, sql, k) => this.convertSql(sql, c, to, k));
  }

  private num(x: S): string {
    return this.as(x, 'n');
  }

  private text(x: S): string {
    return this.as(x, 's');
  }

  private timestamp(x: S): string {
    return this.as(x, 't');
  }

  /** A node as a condition (BOOLEAN). */
  condition(x: S): string {
    if (x.type === 'boolean') return x.sql;
    if (x.type === 'null') return 'CAST(NULL AS BOOLEAN)';
    return this.dispatch(x, (c, sql, k) => {
      if (k) return literal(c === 'n' ? (k.value as number) !== 0 : convert(k.value, c, 'b'), 'b');
      if (c === 'n') return `(${sql} <> 0)`;
      return this.convertSql(sql, c, 'b');
    });
  }

  private compare(op: CompareOp, l: S, r: S): string {
    if (l.type === 'null' || r.type === 'null') return 'CAST(NULL AS BOOLEAN)';
    return this.dispatch(l, (ca, a, ka) =>
      this.dispatch(r, (cb, b, kb) => {
        const d = comparisonDomain(ca, cb);
        if (d === null) return 'CAST(NULL AS BOOLEAN)';
        return `(${this.convertSql(a, ca, d, ka)} ${op} ${this.convertSql(b, cb, d, kb)})`;
      }),
    );
  }

  // ---- nodes ----

  gen(e: FilterExpr): S {
    const s = this.genUnchecked(e);
    this.check(s.sql, e);
    return s;
  }

  private genUnchecked(e: FilterExpr): S {
    const type = this.checked.type(e);
    if (this.constants.has(e)) {
      const value = this.constants.get(e);
      const c = catOf(type) ?? (value === null ? null : runtimeCat(value));
      return { sql: literal(value, c === 'o' ? null : c), type, constant: { value } };
    }
    switch (e.type) {
      case 'number':
      case 'string':
      case 'boolean':
      case 'null':
      case 'timestamp':
      case 'interval':
        // Literals are always folded above.
        throw new FilterSyntaxError('Invalid literal', e.pos);
      case 'column':
        return { sql: this.column(e.ref, e.text, e), type };
      case 'not':
        return { sql: `(NOT ${this.condition(this.gen(e.operand))})`, type };
      case 'and':
      case 'or':
        return { sql: `(${e.operands.map((o) => this.condition(this.gen(o))).join(` ${e.type.toUpperCase()} `)})`, type };
      case 'compare':
        return { sql: this.compare(e.op, this.gen(e.left), this.gen(e.right)), type };
      case 'distinct': {
        const l = this.gen(e.left);
        const r = this.gen(e.right);
        const sql = this.bind(l.sql, (a) =>
          this.bind(r.sql, (b) => {
            const eq = this.compare('=', { ...l, sql: a }, { ...r, sql: b });
            return `(CASE WHEN ${a} IS NULL AND ${b} IS NULL THEN FALSE WHEN ${a} IS NULL OR ${b} IS NULL THEN TRUE ELSE coalesce(NOT ${eq}, TRUE) END)`;
          }),
        );
        return { sql: e.negated ? `(NOT ${sql})` : sql, type };
      }
      case 'isNull': {
        const o = this.gen(e.operand);
        return { sql: `(${o.sql} IS ${e.negated ? 'NOT ' : ''}NULL)`, type };
      }
      case 'in': {
        const sql = this.inList(this.gen(e.operand), e.items);
        return { sql: e.negated ? `(NOT ${sql})` : sql, type };
      }
      case 'between': {
        const o = this.gen(e.operand);
        const lo = this.gen(e.low);
        const hi = this.gen(e.high);
        const sql = this.bind(o.sql, (v) => `(${this.compare('>=', { ...o, sql: v }, lo)} AND ${this.compare('<=', { ...o, sql: v }, hi)})`);
        return { sql: e.negated ? `(NOT ${sql})` : sql, type };
      }
      case 'like': {
        const o = this.gen(e.operand);
        const p = this.gen(e.pattern);
        const subject = e.caseInsensitive ? `lower(${this.text(o)})` : this.text(o);
        let pattern: string;
        if (p.constant) {
          // A constant that folded to NULL (`- 's'`) has no category, whatever its static type.
          const pc = p.constant.value === null ? null : (catOf(p.type) ?? runtimeCat(p.constant.value));
          const ps = pc === null || pc === 'o' ? null : toText(p.constant.value, pc);
          const valid = ps !== null && compileLike(ps, e.escape) !== null;
          pattern = ps === null || !valid ? 'CAST(NULL AS VARCHAR)' : sqlString(e.caseInsensitive ? lowerText(ps) : ps);
        } else {
          pattern = this.text(p);
          if (e.escape !== null) {
            // A pattern ending in its escape character is NULL (DuckDB would raise an error).
            const x = `\\x{${e.escape.charCodeAt(0).toString(16)}}`;
            const invalid = sqlString(`(^|[^${x}])(${x}${x})*${x}$`);
            pattern = this.bind(pattern, (v) => `(CASE WHEN regexp_matches(${v}, ${invalid}) THEN CAST(NULL AS VARCHAR) ELSE ${v} END)`);
          }
          if (e.caseInsensitive) pattern = `lower(${pattern})`;
        }
        const escape = e.escape === null ? '' : ` ESCAPE ${sqlString(e.escape)}`;
        const sql = `(${subject} LIKE ${pattern}${escape})`;
        return { sql: e.negated ? `(NOT ${sql})` : sql, type };
      }
      case 'negate':
        return { sql: `(-(${this.num(this.gen(e.operand))}))`, type };
      case 'arithmetic':
        return { sql: this.arithmetic(e.op, this.gen(e.left), this.gen(e.right), type), type };
      case 'cast':
        return { sql: this.cast(this.gen(e.operand), e.to), type };
      case 'call':
        return { sql: this.call(e, type), type };
    }
  }

  private column(ref: ColumnRef, text: string, e: FilterExpr): string {
    let sql: string | null;
    try {
      sql = this.columns({ kind: ref.kind, path: [...ref.path] });
    } catch (x) {
      if (x instanceof FilterSyntaxError) throw x;
      throw new FilterSyntaxError(`Column '${text}' is not available on snapshots (${(x as Error).message})`, e.pos, text);
    }
    if (sql === null || sql === undefined) throw new FilterSyntaxError(`Column '${text}' is not available on snapshots`, e.pos, text);
    if (typeof sql !== 'string' || sql.includes('\0') || sql.trim() === '') throw new FilterSyntaxError(`Column '${text}' has an invalid SQL mapping`, e.pos, text);
    const raw: S = { sql: `(${sql})`, type: 'any' };
    switch (ref.kind) {
      case 'key':
      case 'header':
        return `CAST(${raw.sql} AS VARCHAR)`;
      case 'partition':
      case 'offset':
        return this.num(raw);
      case 'timestamp':
        return this.timestamp(raw);
      case 'value':
        return raw.sql;
    }
  }

  private inList(o: S, items: FilterExpr[]): string {
    const gens = items.map((i) => this.gen(i));
    if (o.type === 'null') return 'CAST(NULL AS BOOLEAN)';
    if (!gens.every((g) => g.constant)) {
      return this.bind(o.sql, (v) => `(${gens.map((g) => this.compare('=', { ...o, sql: v }, g)).join(' OR ')})`);
    }
    return this.dispatch(o, (c, sql, k) => {
      const groups = new Map<Cat, string[]>();
      let nullish = false;
      for (const g of gens) {
        const value = g.constant!.value;
        const ic = value === null ? null : catOf(g.type) ?? runtimeCat(value);
        const d = ic === null || ic === 'o' ? null : comparisonDomain(c, ic);
        const kd = d === null ? null : convert(value, ic as Cat, d);
        if (d === null || kd === null) {
          nullish = true;
          continue;
        }
        const list = groups.get(d) ?? [];
        const lit = literal(kd, d);
        if (!list.includes(lit)) list.push(lit);
        groups.set(d, list);
      }
      const parts = [...groups].map(([d, lits]) => `(${this.convertSql(sql, c, d, k)} IN (${lits.join(', ')}))`);
      if (nullish) parts.push('CAST(NULL AS BOOLEAN)');
      return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
    });
  }

  private arithmetic(op: string, l: S, r: S, type: StaticType): string {
    if (type === 'null') return 'NULL';
    // (DuckDB folds `NULL-typed || x` into an untyped NULL; the cast keeps it VARCHAR.)
    if (op === '||') return `CAST((${this.text(l)} || ${this.text(r)}) AS VARCHAR)`;
    const a = l.type === 'any' && r.type === 'timestamp' ? this.timestamp(l) : this.num(l);
    const b = r.type === 'any' && l.type === 'timestamp' ? this.timestamp(r) : this.num(r);
    // JavaScript turns overflow, x / 0 and x % 0 into NULL; DuckDB gives ±inf/NaN.
    return `nullif(nullif(nullif((${a} ${op} ${b}), ${POS_INF}), ${NEG_INF}), ${NAN})`;
  }

  private cast(x: S, to: string): string {
    switch (to) {
      case 'VARCHAR':
        return this.text(x);
      case 'DOUBLE':
        return this.num(x);
      case 'INTEGER':
      case 'BIGINT':
        // Rounded first (half to even, as the cast does): DuckDB's own rounding inside the cast
        // wraps around at the edge (TRY_CAST(2147483647.5 AS INTEGER) = -2147483648), not NULL.
        return `CAST(TRY_CAST(round_even(${this.num(x)}, 0) AS ${to}) AS DOUBLE)`;
      case 'BOOLEAN':
        return this.condition(x);
      case 'TIMESTAMP':
        return this.timestamp(x);
      default:
        return `(floor(${this.timestamp(x)} / ${DAY_MS}) * ${DAY_MS})`;
    }
  }

  private call(e: CallExpr, type: StaticType): string {
    const args = e.args.map((a) => this.gen(a));
    const a0 = args[0]!;
    switch (e.name) {
      case 'lower':
      case 'upper':
      case 'trim':
        return `${e.name}(${this.text(a0)})`;
      case 'length':
        return `CAST(length(${this.text(a0)}) AS DOUBLE)`;
      case 'abs':
      case 'floor':
      case 'ceil':
        return `${e.name}(${this.num(a0)})`;
      case 'round': {
        const digits = e.args[1]?.type === 'number' ? e.args[1].value : 0;
        return `round(${this.num(a0)}, ${digits})`;
      }
      case 'contains':
      case 'starts_with':
      case 'ends_with':
        return `${e.name}(${this.text(a0)}, ${this.text(args[1]!)})`;
      case 'regexp_matches': {
        const p = e.args[1]!;
        return `regexp_matches(${this.text(a0)}, ${sqlString(p.type === 'string' ? p.value : '')})`;
      }
      case 'now':
        return '(CAST(epoch_us(now()) AS DOUBLE) / 1000)';
      case 'date_trunc': {
        const unit = this.checked.truncUnit(e);
        return this.bind(
          this.timestamp(args[1]!),
          (v) =>
            `(CASE WHEN abs(${v}) <= ${MAX_DATE_MS} THEN CAST(epoch_us(date_trunc('${unit}', make_timestamp(CAST(round(${v} * 1000) AS BIGINT)))) AS DOUBLE) / 1000 END)`,
        );
      }
      case 'coalesce': {
        const target = catOf(type);
        const parts = args
          .filter((a) => a.type !== 'null')
          .map((a) => (target ? this.as(a, target) : a.sql));
        return parts.length === 0 ? typedNull(type) : `COALESCE(${parts.join(', ')})`;
      }
    }
  }
}
