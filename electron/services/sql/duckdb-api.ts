// The DuckDB library. @duckdb/node-api is a CommonJS package of some 40 files: imported from our
// ES modules, Node first scans every one of them for the names it exports (~0.13 s of each
// `dpx sql` start); required, it just loads them. Import this module (lazily where DuckDB is not
// always needed) instead of the package; types may still come from the package itself.
import { createRequire } from 'node:module';

export const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
