// The filter language: one SQL WHERE-clause subset for Kafka messages (evaluated in JavaScript) and
// Parquet snapshots (translated to DuckDB SQL). Pure TypeScript, no Node APIs: the renderer uses
// parseFilter()/validateFilter() to check syntax as the user types.
import { childrenOf, type ColumnRef, type FilterExpr } from './ast';
import { FilterSyntaxError } from './errors';
import { parse } from './parser';
import { checkFilter } from './types';
import { quoteIdentifier } from './to-sql';

export type {
  ColumnKind,
  ColumnRef,
  FilterExpr,
  FilterRow,
  PathSegment,
  SourcePos,
  CompareOp,
  ArithmeticOp,
  CastType,
  FunctionName,
} from './ast';
export { FUNCTION_NAMES, CAST_TYPES, columnRefText } from './ast';
export { FilterSyntaxError } from './errors';
export { MAX_FILTER_LENGTH } from './lexer';
export { MAX_DEPTH } from './parser';
export { compileFilter, type CompileOptions } from './evaluate';
export { filterToSql, quoteIdentifier, sqlString, type ColumnMapper } from './to-sql';

/** Parses and type-checks a filter. Throws FilterSyntaxError (with line, column and token). */
export function parseFilter(text: string): FilterExpr {
  const expr = parse(text);
  checkFilter(expr);
  return expr;
}

export type FilterValidation =
  | { ok: true; columns: ColumnRef[] }
  | { ok: false; error: { message: string; reason: string; line: number; column: number; offset: number; length: number; token: string | null } };

/** parseFilter() for an editor: never throws. An empty (or blank) filter is valid and matches everything. */
export function validateFilter(text: string): FilterValidation {
  try {
    if (text.trim() === '') return { ok: true, columns: [] };
    return { ok: true, columns: referencedColumns(parseFilter(text)) };
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    const { message, reason, line, column, offset, length, token } = e;
    return { ok: false, error: { message, reason, line, column, offset, length, token } };
  }
}

/** Every column the filter reads, once each, in order of first appearance. */
export function referencedColumns(expr: FilterExpr): ColumnRef[] {
  const seen = new Set<string>();
  const out: ColumnRef[] = [];
  const stack: FilterExpr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.type === 'column') {
      const id = JSON.stringify([e.ref.kind, e.ref.path]);
      if (!seen.has(id)) {
        seen.add(id);
        out.push({ kind: e.ref.kind, path: [...e.ref.path] });
      }
    }
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/**
 * A column mapper for a snapshot whose columns are `names`: `amount` and `value.amount` mean the
 * column `amount` (exact name first, then a unique case-insensitive match), nested paths become struct
 * fields and 1-based list indexes. `key`, `timestamp`, `partition` and `offset` map to the columns named
 * in `special` (or to a column of that name); headers are not available on snapshots.
 */
export function snapshotColumns(
  names: Iterable<string>,
  special: Partial<Record<'key' | 'timestamp' | 'partition' | 'offset', string>> = {},
): (ref: ColumnRef) => string | null {
  const all = [...names];
  const find = (name: string): string | null => {
    if (all.includes(name)) return name;
    const ci = all.filter((n) => n.toLowerCase() === name.toLowerCase());
    return ci.length === 1 ? ci[0]! : null;
  };
  return (ref) => {
    if (ref.kind === 'header') return null;
    if (ref.kind !== 'value') {
      const col = special[ref.kind] ?? find(ref.kind);
      return col === null ? null : quoteIdentifier(col);
    }
    const [first, ...rest] = ref.path;
    if (typeof first !== 'string') return null;
    const col = find(first);
    if (col === null) return null;
    return quoteIdentifier(col) + rest.map((s) => (typeof s === 'number' ? `[${s + 1}]` : `.${quoteIdentifier(s)}`)).join('');
  };
}
