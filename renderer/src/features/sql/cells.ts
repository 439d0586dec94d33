// How result cells read. Values arrive in DuckDB's JSON form: numbers, and strings for what a JS
// number cannot hold exactly (BIGINT, HUGEINT, DECIMAL, timestamps, blobs, NaN, Infinity), nested
// values (STRUCT, LIST, MAP) as JSON. They are shown exactly as given: a string is never parsed
// into a number, so 9007199254740993 and 0.10 stay what DuckDB said.

/** Numeric DuckDB types: right-aligned, like numbers in any table. */
const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|NUMERIC(\(\d+,\s*\d+\))?|INT[1248]|INT(64|32|16|128))$/i;

export const isNumericType = (type: string): boolean => NUMERIC_TYPE.test(type.trim());

export const isNested = (v: unknown): v is object => typeof v === 'object' && v !== null;

// Nested values are stringified once, however often their row is painted.
const compactCache = new WeakMap<object, string>();

/** A cell on one line: NULL handled by the caller, nested values as compact JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  let s = compactCache.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    compactCache.set(v, s);
  }
  return s;
}

/** At most this many characters of a cell go into the DOM; the cell shows an ellipsis anyway. */
export const CELL_TEXT_MAX = 400;

export function cellPreview(v: unknown): string {
  const s = cellText(v);
  return s.length > CELL_TEXT_MAX ? `${s.slice(0, CELL_TEXT_MAX)}…` : s;
}

/** The full value, for the detail panel and copying: nested values as indented JSON. */
export function cellFull(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (isNested(v)) return JSON.stringify(v, null, 2);
  return cellText(v);
}

/** The value to copy: NULL as an empty string would be ambiguous, so it stays NULL. */
export const cellCopy = cellFull;

/** Nested types: STRUCT(...), LIST (INTEGER[]), MAP(...), UNION(...), JSON. */
export const isNestedType = (type: string): boolean => /^(STRUCT|MAP|UNION)\(|\[\d*\]$|^JSON$/i.test(type.trim());

const CHAR_PX = 7.3;
const MIN_WIDTH = 64;
const MAX_WIDTH = 340;

/**
 * A first width for a column, from its name, its type and a sample of its values (the first page),
 * so short codes stay narrow and long text does not take the whole screen.
 */
export function initialWidth(name: string, type: string, sample: readonly unknown[]): number {
  let chars = Math.max(name.length + 3, Math.min(type.length, 18));
  for (const v of sample) {
    const len = v === null || v === undefined ? 4 : cellText(v).length;
    if (len > chars) chars = len;
    if (chars >= 48) break;
  }
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars * CHAR_PX + 20)));
}

/** A short form of a long DuckDB type for the header (the full one is its tooltip). */
export function shortType(type: string): string {
  return type.length > 28 ? `${type.slice(0, 26)}…` : type;
}

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
