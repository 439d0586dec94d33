// Result cells as JSON, as DuckDB prints them. @duckdb/node-api's own JSON converter prints
// TIMESTAMPTZ in the Node process's time zone (an offset it reads once, when it loads), not in the
// session's TimeZone, so the grid and `dpx sql --format table` showed other times than DuckDB's
// CSV and JSON exports on any machine not on UTC. The engine runs DuckDB in UTC: these cells are
// printed in UTC the way DuckDB prints them there. (TIMETZ values carry their own offset, which
// the library already prints as DuckDB does.)
import type { DuckDBValueConverter, Json } from '@duckdb/node-api';
import { duckdb } from './duckdb-api';

const { DuckDBTimestampTZValue, DuckDBTimestampValue, JsonDuckDBValueConverter } = duckdb;

/** JsonDuckDBValueConverter with TIMESTAMPTZ in UTC, also inside structs, lists, maps and unions. */
export const jsonCell: DuckDBValueConverter<Json> = (value, type, converter) => {
  if (value instanceof DuckDBTimestampTZValue) {
    // The same instant as a plain timestamp prints its UTC wall time ('infinity' when infinite).
    const utc = String(new DuckDBTimestampValue(value.micros));
    return value.isFinite ? `${utc}+00` : utc;
  }
  // Nested values come back here: the library passes `converter` (this function) down.
  return JsonDuckDBValueConverter(value, type, converter);
};
