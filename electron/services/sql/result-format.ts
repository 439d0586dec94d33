// Query results as text: CSV, JSON, NDJSON (exports and `dpx sql`) and aligned tables (the CLI).
// Cells arrive as DuckDB's JSON form: numbers, and strings for what JSON cannot hold exactly
// (big integers, decimals, times, blobs, NaN/Infinity), nested values as JSON.
import type { Cell, ResultColumn } from './sql-engine';

export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

const EXACT_NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL\(\d+,\d+\)|FLOAT|DOUBLE)$/;

/**
 * A cell for JSON output: numeric columns as JSON numbers when the number is exact (DuckDB's own
 * JSON output does the same), else the text DuckDB gave, so nothing is silently rounded.
 */
export function jsonCell(type: string, cell: Cell): unknown {
  if (typeof cell !== 'string' || !EXACT_NUMERIC.test(type)) return cell;
  const n = Number(cell);
  if (!Number.isFinite(n)) return cell;
  if (/^-?\d+$/.test(cell)) return Number.isSafeInteger(n) ? n : cell;
  return cell;
}

export function rowObject(columns: ResultColumn[], row: Cell[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => (o[c.name] = jsonCell(c.type, row[i])));
  return o;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One row as a line of the format (with the separator JSON arrays need). */
export function formatRow(format: Exclude<ExportFormat, 'parquet'>, columns: ResultColumn[], row: Cell[], first: boolean): string {
  switch (format) {
    case 'csv':
      return row.map(csvField).join(',') + '\n';
    case 'ndjson':
      return JSON.stringify(rowObject(columns, row)) + '\n';
    case 'json':
      return (first ? '\n' : ',\n') + JSON.stringify(rowObject(columns, row));
  }
}
formatRow.csvField = csvField;

/** Text for a terminal table cell: nested values as compact JSON, NULL shown as NULL. */
export function displayCell(cell: Cell): string {
  if (cell === null || cell === undefined) return 'NULL';
  if (typeof cell === 'string') return cell;
  return JSON.stringify(cell);
}
