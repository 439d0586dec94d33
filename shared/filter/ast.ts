// The filter language's syntax tree. Plain JSON-serialisable objects: a tree can cross IPC, but
// compileFilter/filterToSql re-validate every node, so a hand-made tree cannot inject anything.

/** Where a node starts in the filter text. `line`/`column` are 1-based; columns count UTF-16 units (as Monaco does). */
export interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

export type ColumnKind = 'key' | 'timestamp' | 'partition' | 'offset' | 'header' | 'value';
export type PathSegment = string | number;

/**
 * A column reference as the outside world sees it. `header` has exactly one path segment (the header
 * name); `value` has zero or more (field names and array indexes); the others have none. Bare names
 * (`amount`) and double-quoted names (`"weird col"`) are `value` references.
 */
export interface ColumnRef {
  kind: ColumnKind;
  path: PathSegment[];
}

interface Node {
  /** The node's operator (binary/predicate nodes) or first token (everything else). */
  pos: SourcePos;
}

export interface NumberLiteral extends Node { type: 'number'; value: number }
export interface StringLiteral extends Node { type: 'string'; value: string }
export interface BooleanLiteral extends Node { type: 'boolean'; value: boolean }
export interface NullLiteral extends Node { type: 'null' }
/** DATE '…' / TIMESTAMP '…': `value` is epoch milliseconds (UTC; may carry microseconds as a fraction). */
export interface TimestampLiteral extends Node { type: 'timestamp'; value: number; text: string; date: boolean }
/** INTERVAL '…': `value` is a fixed length in milliseconds. */
export interface IntervalLiteral extends Node { type: 'interval'; value: number; text: string }
/** A column reference; `text` is how the user wrote it (for messages). */
export interface ColumnExpr extends Node { type: 'column'; ref: ColumnRef; text: string }

export interface NegateExpr extends Node { type: 'negate'; operand: FilterExpr }
export interface NotExpr extends Node { type: 'not'; operand: FilterExpr }
/** AND/OR chains are n-ary so long chains do not make deep trees. */
export interface LogicalExpr extends Node { type: 'and' | 'or'; operands: FilterExpr[] }

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export interface CompareExpr extends Node { type: 'compare'; op: CompareOp; left: FilterExpr; right: FilterExpr }

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '||';
export interface ArithmeticExpr extends Node { type: 'arithmetic'; op: ArithmeticOp; left: FilterExpr; right: FilterExpr }

export interface IsNullExpr extends Node { type: 'isNull'; operand: FilterExpr; negated: boolean }
/** `a IS DISTINCT FROM b` (negated: `IS NOT DISTINCT FROM`). */
export interface DistinctExpr extends Node { type: 'distinct'; left: FilterExpr; right: FilterExpr; negated: boolean }
export interface InExpr extends Node { type: 'in'; operand: FilterExpr; items: FilterExpr[]; negated: boolean }
export interface BetweenExpr extends Node { type: 'between'; operand: FilterExpr; low: FilterExpr; high: FilterExpr; negated: boolean }
export interface LikeExpr extends Node {
  type: 'like';
  operand: FilterExpr;
  pattern: FilterExpr;
  /** A single printable ASCII character other than a letter, % or _; null for none (there is no default). */
  escape: string | null;
  caseInsensitive: boolean;
  negated: boolean;
}

export const FUNCTION_NAMES = [
  'lower', 'upper', 'length', 'trim', 'coalesce', 'abs', 'round', 'floor', 'ceil',
  'contains', 'starts_with', 'ends_with', 'regexp_matches', 'now', 'date_trunc',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
export interface CallExpr extends Node { type: 'call'; name: FunctionName; args: FilterExpr[] }

export const CAST_TYPES = ['VARCHAR', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP'] as const;
export type CastType = (typeof CAST_TYPES)[number];
export interface CastExpr extends Node { type: 'cast'; operand: FilterExpr; to: CastType }

export type LiteralExpr = NumberLiteral | StringLiteral | BooleanLiteral | NullLiteral | TimestampLiteral | IntervalLiteral;

export type FilterExpr =
  | LiteralExpr
  | ColumnExpr
  | NegateExpr
  | NotExpr
  | LogicalExpr
  | CompareExpr
  | ArithmeticExpr
  | IsNullExpr
  | DistinctExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | CallExpr
  | CastExpr;

/** The row a stream filter sees: one decoded Kafka message. */
export interface FilterRow {
  key: string | null;
  /** The decoded value (parsed JSON/Avro: numbers, strings, booleans, null, objects, arrays). */
  value: unknown;
  /** Header name → value (first value when a header repeats). */
  headers: Record<string, string>;
  /** Epoch milliseconds. */
  timestamp: number;
  partition: number;
  offset: number;
}

/** The direct children of a node, in source order. */
export function childrenOf(e: FilterExpr): FilterExpr[] {
  switch (e.type) {
    case 'negate':
    case 'not':
    case 'isNull':
    case 'cast':
      return [e.operand];
    case 'and':
    case 'or':
      return e.operands;
    case 'compare':
    case 'arithmetic':
    case 'distinct':
      return [e.left, e.right];
    case 'in':
      return [e.operand, ...e.items];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'like':
      return [e.operand, e.pattern];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/** Renders a column reference the way a user would write it: `key`, `headers.x`, `value.items[0].sku`. */
export function columnRefText(ref: ColumnRef): string {
  if (ref.kind === 'header') return `headers${segmentText(ref.path[0] ?? '')}`;
  if (ref.kind !== 'value') return ref.kind;
  return `value${ref.path.map(segmentText).join('')}`;
}

function segmentText(s: PathSegment): string {
  if (typeof s === 'number') return `[${s}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `['${s.replace(/'/g, "''")}']`;
}
