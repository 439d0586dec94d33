// Query results as text for a terminal table. (CSV, JSON, NDJSON and Parquet are written by
// DuckDB itself: see SqlEngine.copy.) Cells arrive as DuckDB's JSON form: numbers, and strings for
// what JSON cannot hold exactly (big integers, decimals, times, blobs, NaN/Infinity).
import type { Cell } from './sql-engine';

/** Text for a terminal table cell: nested values as compact JSON, NULL shown as NULL. */
export function displayCell(cell: Cell): string {
  if (cell === null || cell === undefined) return 'NULL';
  if (typeof cell === 'string') return cell;
  return JSON.stringify(cell);
}
