// SQL over data products with DuckDB. Every product is a view named by its id ("sales.orders", and
// sales.orders through a schema per domain) over the snapshot files this machine has, with a
// snapshot_date column; dpx_snapshot('sales.orders', DATE '2026-10-01') pins one day.
//
// User SQL runs in a sandboxed DuckDB instance: before the configuration is locked, file access
// is limited to the snapshot folders, the cache and files the user opened explicitly, so a query
// cannot read other files, attach databases, install extensions or write anywhere but the export
// folder. The instance is rebuilt when that set changes (views are cheap to create).
import { mkdir } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ApiError } from '../../../shared/api/errors';
import { sqlString } from './duckdb';
import { duckdb } from './duckdb-api';
import { jsonCell } from './result-cells';
import { exactGlob } from './exact-glob';
import { sqlError } from './sql-errors';

export interface SnapshotFile {
  date: string | null;
  path: string;
}

export interface TableSource {
  /** The product id (or the name an opened file was given). */
  name: string;
  files: SnapshotFile[];
  /** Columns from the contract, so a product with no snapshot here still has a (empty) table. */
  columns: Array<{ name: string; type: string }>;
  /** The product this table belongs to; absent for files the user opened. */
  product?: string;
}

export interface SqlProblem {
  table: string;
  file: string;
  message: string;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultSet {
  id: string;
  columns: ResultColumn[];
  rowCount: number;
  elapsedMs: number;
}

/** Cells as JSON: numbers, strings (big integers, decimals, times as DuckDB prints them), nested JSON, null. */
export type Cell = unknown;

const RESULTS = 'dpx_results';

export type CopyFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
const COPY_OPTIONS: Record<CopyFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
  ndjson: 'FORMAT json',
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

export const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Hive-style day folders: date=, dt= or day= followed by the date. */
const HIVE_DAY = /[/\\](date|dt|day)=\d{4}-\d{2}-\d{2}[/\\]/;

/**
 * The snapshot day from a file path when the layout is not hive-style: the last date in the
 * path (YYYY-MM-DD or YYYY/MM/DD), which also finds it in the offline cache's day/etag/file folders.
 */
const SNAPSHOT_DATE_SQL = `TRY_CAST(replace(regexp_extract(filename, '.*(\\d{4}[-/]\\d{2}[-/]\\d{2})', 1), '/', '-') AS DATE)`;

export class SqlEngine {
  private nextId = 1;
  private readonly results = new Map<string, { table: string; columns: ResultColumn[]; rowCount: number }>();

  private constructor(
    private readonly db: DuckDBInstance,
    readonly tables: TableSource[],
    readonly problems: SqlProblem[],
    readonly exportDir: string,
    /** Idle connections that report progress (see PROGRESS_CONNECTIONS). */
    private readonly idle: DuckDBConnection[],
  ) {}

  static async create(opts: { tables: TableSource[]; allowed: string[]; allowedFiles?: string[]; exportDir: string; tempDir: string; threads?: number; preserveOrder?: boolean }): Promise<SqlEngine> {
    await mkdir(opts.exportDir, { recursive: true });
    await mkdir(opts.tempDir, { recursive: true });
    const config: Record<string, string> = { temp_directory: opts.tempDir };
    if (opts.threads) config.threads = String(opts.threads);
    // Without ORDER BY row order is not defined anyway; not keeping it lets DuckDB write chunks
    // as they come instead of buffering them (flat memory when the CLI writes 10M rows out).
    if (opts.preserveOrder === false) config.preserve_insertion_order = 'false';
    const db = await duckdb.DuckDBInstance.create(':memory:', config);
    const setup = await db.connect();
    const problems: SqlProblem[] = [];
    const tables: TableSource[] = [];
    const idle: DuckDBConnection[] = [];
    try {
      // Global: a plain SET holds for this connection only, and query connections would print
      // TIMESTAMPTZ values in the machine's own zone.
      await setup.run(`SET GLOBAL TimeZone = 'UTC'`);
      // Published snapshots never change, so their footers can be kept: the check below reads
      // every footer once, and queries then plan from memory instead of re-reading them, and
      // count(*) is answered from them (the views name files by exactGlob for that). DuckDB
      // still compares each file's modification time, so a replaced file is read again.
      await setup.run(`SET GLOBAL parquet_metadata_cache = true`);
      for (const t of opts.tables) {
        // One broken file must not break the product: read each footer (in parallel, one
        // connection each), leave out what fails.
        const checked = await Promise.all(
          t.files.map(async (f) => {
            const c = await db.connect();
            try {
              const cols = await c.runAndReadAll(`SELECT name, type, logical_type FROM parquet_schema(${sqlString(f.path)})`);
              return { f, schema: JSON.stringify(cols.getRowsJson()) };
            } catch (e) {
              return { f, error: (e as Error).message.split('\n')[0] };
            } finally {
              c.closeSync();
            }
          }),
        );
        const good: SnapshotFile[] = [];
        const schemas = new Set<string>();
        for (const r of checked) {
          if ('error' in r) problems.push({ table: t.name, file: r.f.path, message: `${r.f.path}: not a readable Parquet file (${r.error}); left out of ${t.name}` });
          else {
            schemas.add(r.schema);
            good.push(r.f);
          }
        }
        tables.push({ ...t, files: good });
        // Matching columns by name costs a footer read per file on every query: only when days differ.
        await createView(setup, { ...t, files: good }, schemas.size > 1);
      }
      await setup.run(`CREATE MACRO dpx_snapshot(product, day) AS TABLE SELECT * FROM query_table('"' || replace(product, '"', '""') || '"') WHERE snapshot_date = CAST(day AS DATE)`);
      // Results live in their own schema so any connection can page them.
      await setup.run(`CREATE SCHEMA ${RESULTS}`);
      const allowed = [...new Set([...opts.allowed, opts.exportDir, opts.tempDir])].map(sqlString).join(', ');
      await setup.run(`SET allowed_directories = [${allowed}]`);
      if (opts.allowedFiles?.length) await setup.run(`SET allowed_paths = [${opts.allowedFiles.map(sqlString).join(', ')}]`);
      await setup.run(`SET enable_external_access = false`);
      for (let i = 0; i < PROGRESS_CONNECTIONS; i++) idle.push(await progressConnection(db));
      await setup.run(`SET lock_configuration = true`);
    } finally {
      setup.closeSync();
    }
    return new SqlEngine(db, tables, problems, opts.exportDir, idle);
  }

  /**
   * Runs `fn` on a sandbox connection — one that reports progress when one is idle, else a fresh
   * one — and the signal interrupts whatever it is running.
   */
  private async withConnection<T>(signal: AbortSignal | undefined, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const pooled = this.idle.pop();
    const c = pooled ?? (await this.db.connect());
    const stop = () => c.interrupt();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return await fn(c);
    } finally {
      signal?.removeEventListener('abort', stop);
      if (pooled) this.idle.push(pooled);
      else c.closeSync();
    }
  }

  /**
   * Runs SQL (one or more statements; the last one's rows are the result) and keeps the result
   * in a table so the grid can page, sort and export it without the UI holding it in memory.
   */
  async run(sql: string, opts: { signal?: AbortSignal; onProgress?: (percent: number) => void } = {}): Promise<ResultSet> {
    const started = performance.now();
    const id = `r${this.nextId++}`;
    const table = `${RESULTS}.${id}`;
    try {
      await this.withConnection(opts.signal, async (c) => {
        const timer = opts.onProgress ? setInterval(() => opts.onProgress!(Math.max(0, c.progress.percentage)), 200) : null;
        try {
          const statements = await c.extractStatements(sql);
          if (statements.count === 0) throw new ApiError('BAD_REQUEST', 'Nothing to run: the SQL is empty');
          for (let i = 0; i < statements.count - 1; i++) await (await statements.prepare(i)).run();
          const last = await statements.prepare(statements.count - 1);
          if (statements.count === 1 && last.statementType === duckdb.StatementType.SELECT && isPlainQuery(sql)) {
            // The common case, in parallel inside DuckDB.
            await c.run(`CREATE TABLE ${table} AS ${queryBody(sql)}`);
          } else {
            // Anything else (several statements, SHOW, DESCRIBE, PRAGMA…): append its chunks as they
            // come. The table is made from the prepared statement's columns before the statement
            // runs: any other statement on this connection would end a pending streamed result.
            const cols = Array.from({ length: last.columnCount }, (_, i) => `${quoteIdent(last.columnName(i))} ${last.columnType(i).toString()}`);
            await c.run(`CREATE TABLE ${table} (${cols.join(', ') || 'result VARCHAR'})`);
            const result = await last.stream();
            const appender = await c.createAppender(id, RESULTS);
            for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) appender.appendDataChunk(chunk);
            appender.closeSync();
          }
        } finally {
          if (timer) clearInterval(timer);
        }
      });
      return await this.withConnection(undefined, async (c) => {
        const count = await c.runAndReadAll(`SELECT count(*) FROM ${table}`);
        const desc = await c.runAndReadAll(`SELECT * FROM ${table} LIMIT 0`);
        const columns = desc.columnNames().map((name, i) => ({ name, type: desc.columnTypes()[i]!.toString() }));
        const rowCount = Number(count.getRows()[0]![0]);
        this.results.set(id, { table, columns, rowCount });
        return { id, columns, rowCount, elapsedMs: Math.round(performance.now() - started) };
      });
    } catch (e) {
      await this.withConnection(undefined, (c) => c.run(`DROP TABLE IF EXISTS ${table}`)).catch(() => undefined);
      throw sqlError(e, sql);
    }
  }

  /** Rows of a catalog query (keywords, functions, table columns): small, fully read. */
  async query(sql: string): Promise<Cell[][]> {
    return this.withConnection(undefined, async (c) => (await c.runAndReadAll(sql)).convertRows(jsonCell) as Cell[][]);
  }

  /** A window of a result, optionally sorted by one column. */
  async rows(id: string, offset: number, limit: number, sort?: { column: string; desc: boolean }): Promise<Cell[][]> {
    const r = this.result(id);
    if (sort && !r.columns.some((c) => c.name === sort.column)) throw new ApiError('BAD_REQUEST', `No column "${sort.column}" in the result`);
    const order = sort ? ` ORDER BY ${quoteIdent(sort.column)} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST` : '';
    return this.withConnection(undefined, async (c) => {
      const reader = await c.runAndReadAll(`SELECT * FROM ${r.table}${order} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`);
      return reader.convertRows(jsonCell) as Cell[][];
    });
  }

  async drop(id: string): Promise<void> {
    const r = this.results.get(id);
    if (!r) return;
    this.results.delete(id);
    await this.withConnection(undefined, (c) => c.run(`DROP TABLE IF EXISTS ${r.table}`));
  }

  /**
   * Streams a query's rows chunk by chunk (DuckDB's 2048-row chunks), never holding the whole
   * result: the CLI and exports use this. `onRows` may return a promise to apply backpressure.
   */
  async stream(sql: string, opts: { signal?: AbortSignal; onColumns(columns: ResultColumn[]): void; onRows(rows: Cell[][]): Promise<void> | void }): Promise<number> {
    try {
      return await this.withConnection(opts.signal, async (c) => {
        const statements = await c.extractStatements(sql);
        if (statements.count === 0) throw new ApiError('BAD_REQUEST', 'Nothing to run: the SQL is empty');
        for (let i = 0; i < statements.count - 1; i++) await (await statements.prepare(i)).run();
        const result = await (await statements.prepare(statements.count - 1)).stream();
        opts.onColumns(result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i]!.toString() })));
        let count = 0;
        for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
          if (opts.signal?.aborted) throw new ApiError('CANCELLED', 'Query cancelled');
          count += chunk.rowCount;
          await opts.onRows(chunk.convertRows(jsonCell));
        }
        return count;
      });
    } catch (e) {
      throw sqlError(e, sql);
    }
  }

  /**
   * Writes rows with DuckDB's own writers (fast, parallel, and its JSON/CSV conventions): a kept
   * result, or one SELECT, to a file the sandbox allows (the export folder, or what the CLI was
   * explicitly given, /dev/stdout included). `onProgress` gets DuckDB's percentage.
   */
  async copy(what: { result: string } | { sql: string }, target: string, format: CopyFormat, opts: { signal?: AbortSignal; onProgress?: (percent: number) => void } = {}): Promise<number> {
    const kept = 'result' in what ? this.result(what.result).table : null;
    const query = 'sql' in what ? queryBody(what.sql) : null;
    // The closing parenthesis on a line of its own: a query may end in a -- comment.
    const source = kept ? `COPY ${kept}` : `${COPY_QUERY_HEAD}${query}\n)`;
    try {
      return await this.withConnection(opts.signal, async (c) => {
        if (query !== null && !plainlyOneQuery(query)) await singleQuery(c, query);
        const timer = opts.onProgress ? setInterval(() => opts.onProgress!(Math.max(0, c.progress.percentage)), 200) : null;
        try {
          // USE_TMP_FILE false: DuckDB would otherwise write tmp_<name> beside the target, which the
          // sandbox (allowing exactly the target) refuses; callers write to .partial names themselves.
          // COPY reports its row count as rows changed: no chunk to fetch (two round trips fewer).
          const r = await c.run(`${source} TO ${sqlString(target)} (${COPY_OPTIONS[format]}, USE_TMP_FILE false)`);
          return Number(r.rowsChanged);
        } finally {
          if (timer) clearInterval(timer);
        }
      });
    } catch (e) {
      if (query === null) throw sqlError(e, kept!);
      // The query went in unchecked: a syntax error is reported as DuckDB's parser sees the
      // query on its own; any other error points into the COPY around it.
      if (/^Parser Error/.test(e instanceof Error ? e.message : String(e))) await this.withConnection(undefined, (c) => singleQuery(c, query));
      throw sqlError(e, query, COPY_QUERY_HEAD.length);
    }
  }

  result(id: string): { table: string; columns: ResultColumn[]; rowCount: number } {
    const r = this.results.get(id);
    if (!r) throw new ApiError('NOT_FOUND', `No result ${id} (it was closed or the workspace reloaded); run the query again`);
    return r;
  }

  close(): void {
    for (const c of this.idle.splice(0)) c.closeSync();
    this.db.closeSync();
  }
}

/**
 * Connections kept for queries, exports and paging. DuckDB tracks a query's progress only on a
 * connection with the progress bar on (and its print off, and no 2 s delay): settings of the
 * connection, which the locked configuration refuses afterwards, so they are made beforehand.
 * A few are enough: more queries at once get fresh connections, without progress.
 */
const PROGRESS_CONNECTIONS = 3;

async function progressConnection(db: DuckDBInstance): Promise<DuckDBConnection> {
  const c = await db.connect();
  await c.run(`SET enable_progress_bar = true`);
  await c.run(`SET enable_progress_bar_print = false`);
  await c.run(`SET progress_bar_time = 0`);
  return c;
}

async function createView(c: DuckDBConnection, t: TableSource, byName: boolean): Promise<void> {
  const name = quoteIdent(t.name);
  let body: string;
  const hive = t.files.length ? HIVE_DAY.exec(t.files[0]!.path)?.[1] : undefined;
  const files = t.files.map((f) => sqlString(exactGlob(f.path))).join(', ');
  if (t.files.length && hive && t.files.every((f) => HIVE_DAY.test(f.path))) {
    // date=YYYY-MM-DD folders: DuckDB gives the day per file as a hive column, which costs nothing per row.
    body = `SELECT * EXCLUDE (${quoteIdent(hive)}), CAST(${quoteIdent(hive)} AS DATE) AS snapshot_date FROM read_parquet([${files}], hive_partitioning = true, union_by_name = ${byName})`;
  } else if (t.files.length) {
    body = `SELECT * EXCLUDE (filename), ${SNAPSHOT_DATE_SQL} AS snapshot_date FROM read_parquet([${files}], filename = true, union_by_name = ${byName}, hive_partitioning = false)`;
  } else {
    // No snapshot here: an empty table with the contract's columns, so queries still plan.
    const cols = t.columns.map((col) => `CAST(NULL AS ${col.type}) AS ${quoteIdent(col.name)}`);
    body = `SELECT ${[...cols, 'CAST(NULL AS DATE) AS snapshot_date'].join(', ')} WHERE false`;
  }
  await c.run(`CREATE OR REPLACE VIEW main.${name} AS ${body}`);
  // Also schema.table (sales.orders without quotes) when the id has a domain part.
  const dot = t.name.indexOf('.');
  if (dot > 0) {
    const schema = quoteIdent(t.name.slice(0, dot));
    await c.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.run(`CREATE OR REPLACE VIEW ${schema}.${quoteIdent(t.name.slice(dot + 1))} AS SELECT * FROM main.${name}`);
  }
}

/**
 * One query's text for a statement of ours to wrap, without its closing semicolon. Only the end
 * is trimmed: lines before the query keep DuckDB's line numbers the user's.
 */
function queryBody(sql: string): string {
  return sql.replace(/\s*;?\s*$/, '');
}

/** What comes before a query in the COPY that writes it out (error positions are moved back by it). */
const COPY_QUERY_HEAD = 'COPY (';

/**
 * Parses a query that COPY (…) is to wrap on its own, so a syntax error's position is the
 * user's, and refuses several statements.
 */
async function singleQuery(c: DuckDBConnection, sql: string): Promise<void> {
  let statements;
  try {
    statements = await c.extractStatements(sql);
  } catch (e) {
    throw sqlError(e, sql);
  }
  if (statements.count !== 1) throw new ApiError('BAD_REQUEST', `Give one query to write out (found ${statements.count} statements)`);
}

/**
 * Whether the text alone shows that COPY (…) around it holds exactly it: no semicolon, comment,
 * dollar quote, backslash escape or backtick anywhere, quotes closed, and no parenthesis closed
 * that it did not open (nothing can end the COPY's early). Such queries skip the parse round
 * trip to DuckDB (~0.2–1 ms); the rest are parsed first.
 */
export function plainlyOneQuery(sql: string): boolean {
  if (/[;$\\`]|--|\/\*/.test(sql)) return false;
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // A doubled quote inside reads as two quoted runs back to back: the same span.
      i = sql.indexOf(ch, i + 1);
      if (i < 0) return false;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A query DuckDB can take as `CREATE TABLE … AS <query>`. SHOW, DESCRIBE, SUMMARIZE and PRAGMA
 * are SELECT statements to DuckDB too (it rewrites them) but cannot follow AS.
 */
function isPlainQuery(sql: string): boolean {
  const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^(?:\(|(?:select|with|from|values|table)\b)/i.test(body);
}
