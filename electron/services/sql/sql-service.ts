// SQL over the workspace's products (and files the user opened) behind the API: builds the
// sandboxed engine on first use and again whenever what it may read changes (the catalog
// reloaded, snapshots cached, a file opened), runs queries, pages and exports results.
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { appDataDir } from '../app-data';
import type { CatalogService } from '../catalog/catalog-service';
import type { SchemaField } from '../../../shared/model/product';
import type { SnapshotService } from '../storage/snapshot-service';
// The engine module loads DuckDB (~0.5 s): imported on first query, not at start-up.
import type { Cell, CopyFormat, ResultColumn, ResultSet, SqlEngine, TableSource } from './sql-engine';
import type { SqlSchema } from '../../../shared/model/sql';

/** The DuckDB type a contract field maps to, for empty views of products with no snapshot here. */
function duckType(f: SchemaField): string {
  if (f.physicalType && /^[A-Z][A-Z0-9_ (),]*$/.test(f.physicalType) && !f.physicalType.includes('STRUCT')) return f.physicalType;
  switch (f.logicalType) {
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMPTZ';
    default:
      return 'VARCHAR';
  }
}

export interface Attachment {
  name: string;
  path: string;
}

export class SqlService {
  private engine: Promise<SqlEngine> | null = null;
  private readonly attachments = new Map<string, Attachment>();
  private readonly outputs = new Set<string>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly snapshots: SnapshotService,
    private readonly dirs = { exports: join(appDataDir(), 'exports'), temp: join(appDataDir(), 'sql-temp') },
  ) {
    catalog.onChange(() => this.invalidate());
  }

  /** Forget the engine; the next query builds one over what exists now. */
  invalidate(): void {
    const old = this.engine;
    this.engine = null;
    void old?.then((e) => e.close()).catch(() => undefined);
  }

  private async build(): Promise<SqlEngine> {
    const tables: TableSource[] = [];
    const allowed = new Set<string>();
    for (const record of this.catalog.records()) {
      const id = record.product.id;
      const files = await this.snapshots.localFiles(id);
      files.forEach((f) => allowed.add(dirname(f.path)));
      const columns = record.product.schema[0]?.fields.map((f) => ({ name: f.name, type: duckType(f) })) ?? [];
      tables.push({ name: id, product: id, files, columns });
    }
    for (const a of this.attachments.values()) {
      const { folder, files } = await filesOf(a);
      allowed.add(folder ? a.path : dirname(a.path));
      tables.push({ name: a.name, files: files.map((path) => ({ date: null, path })), columns: [] });
    }
    const { SqlEngine } = await import('./sql-engine');
    // Writing straight out (the CLI): stream chunks in any order rather than hold them back.
    return SqlEngine.create({ tables, allowed: [...allowed], allowedFiles: [...this.outputs], exportDir: this.dirs.exports, tempDir: this.dirs.temp, preserveOrder: this.outputs.size === 0 });
  }

  async get(): Promise<SqlEngine> {
    this.engine ??= this.build().catch((e: unknown) => {
      this.engine = null;
      throw e;
    });
    return this.engine;
  }

  /** Opens a local Parquet file or folder as a table: the user's explicit choice widens the sandbox. */
  async attach(name: string, path: string): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new ApiError('BAD_REQUEST', `Table name "${name}" must start with a letter and hold letters, digits, _ . or -`);
    if (this.catalog.records().some((r) => r.product.id === name)) throw new ApiError('BAD_REQUEST', `"${name}" is already a product; pick another name`);
    const abs = resolve(path);
    if (!(await stat(abs).catch(() => null))) throw new ApiError('NOT_FOUND', `Cannot open ${abs}: no such file or folder`);
    this.attachments.set(name, { name, path: abs });
    this.invalidate();
    try {
      await this.get();
    } catch (e) {
      // A file that cannot be opened must not break every later query.
      this.attachments.delete(name);
      this.invalidate();
      throw e;
    }
  }

  /** An opened table's files (a file, or every Parquet file under a folder), named relative to what was opened. */
  async attachedFiles(name: string): Promise<{ path: string; files: Array<{ path: string; name: string }> }> {
    const a = this.attachments.get(name);
    if (!a) throw new ApiError('NOT_FOUND', `No opened table named "${name}"`);
    const { folder, files } = await filesOf(a);
    return { path: a.path, files: files.map((p) => ({ path: p, name: folder ? relative(a.path, p).split(sep).join('/') : basename(p) })) };
  }

  async run(sql: string, opts: { signal?: AbortSignal; onProgress?: (percent: number) => void } = {}): Promise<ResultSet> {
    return (await this.get()).run(sql, opts);
  }

  async rows(id: string, offset: number, limit: number, sort?: { column: string; desc: boolean }): Promise<Cell[][]> {
    return (await this.get()).rows(id, offset, limit, sort);
  }

  async close(id: string): Promise<void> {
    await (await this.get()).drop(id);
  }

  /** Streams a query (not kept): the CLI. */
  async stream(sql: string, opts: { signal?: AbortSignal; onColumns(c: ResultColumn[]): void; onRows(rows: Cell[][]): Promise<void> | void }): Promise<number> {
    return (await this.get()).stream(sql, opts);
  }

  /** Writes a kept result to a file in the export folder with DuckDB's writers; progress in rows. */
  async export(id: string, format: CopyFormat, name: string, onProgress: (rows: number) => void, signal?: AbortSignal): Promise<string> {
    const engine = await this.get();
    const total = engine.result(id).rowCount;
    await mkdir(this.dirs.exports, { recursive: true });
    const target = join(this.dirs.exports, basename(name));
    const partial = `${target}.partial`;
    try {
      await engine.copy({ result: id }, partial, format, { ...(signal ? { signal } : {}), onProgress: (p) => onProgress(Math.round((total * p) / 100)) });
      await rename(partial, target);
    } catch (e) {
      await rm(partial, { force: true });
      throw e;
    }
    onProgress(total);
    return target;
  }

  /**
   * Lets the engine write to one more file: what the CLI was explicitly told to write to
   * (`--out FILE`, or /dev/stdout). The sandbox is rebuilt with it.
   */
  allowOutput(path: string): void {
    this.outputs.add(path);
    this.invalidate();
  }

  /** Writes one query's rows straight to an allowed file with DuckDB's writers (the CLI). */
  async copyQuery(sql: string, target: string, format: CopyFormat, signal?: AbortSignal): Promise<number> {
    return (await this.get()).copy({ sql }, target, format, signal ? { signal } : {});
  }

  /** What the editor completes: tables with their columns (and the contract's docs), keywords, functions. */
  async schema(): Promise<SqlSchema> {
    const engine = await this.get();
    const columns = await engine.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`);
    const docs = new Map<string, string>();
    for (const r of this.catalog.records()) for (const o of r.product.schema) for (const f of o.fields) if (f.description) docs.set(`${r.product.id}\0${f.name}`, f.description);
    const tables = engine.tables.map((t) => ({
      name: t.name,
      ...(t.product ? { product: t.product } : {}),
      columns: columns
        .filter((c) => c[0] === t.name)
        .map((c) => ({ name: String(c[1]), type: String(c[2]), ...(docs.has(`${t.name}\0${c[1]}`) ? { description: docs.get(`${t.name}\0${c[1]}`)! } : {}) })),
      days: new Set(t.files.map((f) => f.date)).size,
      files: t.files.length,
    }));
    const keywords = (await engine.query(`SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'unreserved') ORDER BY 1`)).map((r) => String(r[0]));
    const functions = (await engine.query(`SELECT DISTINCT function_name, function_type FROM duckdb_functions() WHERE NOT internal OR function_type IN ('scalar', 'aggregate', 'table') ORDER BY 1`)).map((r) => ({ name: String(r[0]), kind: String(r[1]) }));
    return { tables, keywords, functions, problems: engine.problems };
  }

  exportDir(): string {
    return this.dirs.exports;
  }

  shutdown(): void {
    this.invalidate();
  }
}

/** An opened file, or every Parquet file under an opened folder. */
async function filesOf(a: Attachment): Promise<{ folder: boolean; files: string[] }> {
  const st = await stat(a.path).catch(() => null);
  if (!st) throw new ApiError('NOT_FOUND', `Cannot open ${a.path}: no such file or folder`);
  return st.isDirectory() ? { folder: true, files: await parquetFilesUnder(a.path) } : { folder: false, files: [a.path] };
}

async function parquetFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.parquet')) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}
