// What a product's daily snapshots hold: every day with its files, rows, bytes, row groups and
// creation time, the Parquet schema compared with the contract's, and per-column statistics — all
// from the files' footers (range requests, see parquet-footer.ts), never from reading the data.
//
// A file that is not readable Parquet (corrupt, truncated) is reported for that file; the other
// files and days still list. With the network off, the listing falls back to what the offline
// cache holds (`offline: true`). With a cache, every remote listing is also checked against the
// cached copies: a changed ETag or size is an immutability violation (see snapshot-cache.ts).
import type { ProductRecord } from '../catalog/model';
import type { Workspace } from '../catalog/workspace';
import { compareSchema, type SchemaCheck } from './schema-compare';
import { mergeColumnStats, readParquetFooter, type ColumnStats, type ParquetFooter } from './parquet-footer';
import { inRange } from './snapshot-layout';
import { LocalSnapshotStore, mapLimit, type SnapshotDayListing, type SnapshotStore } from './snapshot-store';
import { snapshotSource, SnapshotStores, type SnapshotSource } from './snapshot-source';
import type { DaySelection, ImmutabilityViolation, OfflineProgress, OfflineResult, SnapshotCache } from './snapshot-cache';
import { StorageError, isStorageError } from './storage-errors';

export interface SnapshotFileInfo {
  key: string;
  name: string;
  size: number;
  etag: string | null;
  lastModified: string;
  rows: number | null;
  rowGroups: number | null;
  createdBy: string | null;
  /** Bytes read to get the footer (0 when it came from memory). */
  bytesFetched: number;
  /** Why the file could not be read, naming it: "…/part-2.parquet: not a Parquet file: magic bytes missing …". */
  error: string | null;
  /** This exact version is in the offline cache. */
  cached: boolean;
}

export interface SnapshotDayInfo {
  date: string;
  dayPath: string;
  files: SnapshotFileInfo[];
  fileCount: number;
  /** Rows of the readable files (null when footers were not read). */
  rows: number | null;
  bytes: number;
  rowGroups: number | null;
  /** When the snapshot was written: the newest file's lastModified. */
  createdAt: string | null;
  /** The first readable file's schema against the contract (null without footers or readable files). */
  schema: SchemaCheck | null;
  columns: ColumnStats[];
  /** Unreadable files, files whose schema differs from the day's first file, … */
  problems: string[];
  cached: 'none' | 'partial' | 'full';
  pinned: boolean;
}

export interface ProductSnapshots {
  product: string;
  server: string;
  location: string;
  /** Where it was read from: a folder, S3, or the offline cache. */
  source: 'local' | 's3' | 'cache';
  /** `S3 at http://…`, `folder /…`. */
  store: string;
  /** Read from the offline cache because the store could not be reached. */
  offline: boolean;
  offlineReason: string | null;
  days: SnapshotDayInfo[];
  violations: ImmutabilityViolation[];
}

/** The short form the API's `snapshots.list` and `dpx snapshots --json` print. */
export interface SnapshotDaySummary {
  date: string;
  files: number;
  rows: number | null;
  bytes: number;
  rowGroups: number | null;
  createdAt: string | null;
  schemaOk: boolean | null;
  problems: number;
  cached: 'none' | 'partial' | 'full';
}

export function summarizeDay(d: SnapshotDayInfo): SnapshotDaySummary {
  return {
    date: d.date,
    files: d.fileCount,
    rows: d.rows,
    bytes: d.bytes,
    rowGroups: d.rowGroups,
    createdAt: d.createdAt,
    schemaOk: d.schema ? d.schema.ok : null,
    problems: d.problems.length + (d.schema ? d.schema.missing.length + d.schema.extra.length + d.schema.mistyped.length : 0),
    cached: d.cached,
  };
}

export interface ListOptions {
  from?: string;
  to?: string;
  /** Read the footers (rows, schema, statistics). Default true. */
  footers?: boolean;
  signal?: AbortSignal;
}

export class SnapshotBrowser {
  private readonly stores: SnapshotStores;
  private readonly ownsStores: boolean;
  private readonly cache: SnapshotCache | null;
  /** Footers by key + ETag + size: published snapshots are immutable, so this never goes stale. */
  private readonly footers = new Map<string, ParquetFooter | StorageError>();
  private readonly concurrency: number;

  constructor(opts: { cache?: SnapshotCache | null; stores?: SnapshotStores; concurrency?: number } = {}) {
    this.cache = opts.cache ?? null;
    this.ownsStores = !opts.stores;
    this.stores = opts.stores ?? new SnapshotStores();
    this.concurrency = opts.concurrency ?? 8;
  }

  close(): void {
    if (this.ownsStores) this.stores.close();
  }

  /** The product's snapshot source, or a NOT_FOUND error saying why there is none. */
  source(record: ProductRecord, ws: Workspace): SnapshotSource {
    const source = snapshotSource(record, ws);
    if (!source) throw new StorageError('not-found', `${record.product.id} has no batch port with files (an s3 server with a location or a local server with a path)`, { product: record.product.id });
    return source;
  }

  store(record: ProductRecord, ws: Workspace): { source: SnapshotSource; store: SnapshotStore } {
    const source = this.source(record, ws);
    return { source, store: this.stores.open(source, ws) };
  }

  async list(record: ProductRecord, ws: Workspace, opts: ListOptions = {}): Promise<ProductSnapshots> {
    const source = this.source(record, ws);
    const product = record.product.id;
    let store: SnapshotStore;
    let listing: SnapshotDayListing[];
    let offlineReason: string | null = null;
    try {
      store = this.stores.open(source, ws);
      listing = await store.listDays(source.location, { layout: source.layout, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      const cachedDays = this.cache?.days(product) ?? [];
      if (!isStorageError(e, 'unreachable') || !cachedDays.length) throw e;
      offlineReason = e.message;
      store = new LocalSnapshotStore(this.cache!.dir);
      listing = cachedDays.map((d) => ({ date: d.date, dayPath: `${d.date}/`, files: d.files.map((f) => ({ key: f.absPath, name: f.name, size: f.size, etag: f.etag, lastModified: f.lastModified })) }));
    }
    listing = listing.filter((d) => inRange(d.date, opts.from, opts.to));
    const violations = this.cache && !offlineReason ? await this.cache.recordRemote(product, listing) : (this.cache?.violations(product) ?? []);
    const days = await mapLimit(listing, 2, (d) => this.describeDay(d, source, store, opts, offlineReason !== null));
    return {
      product,
      server: source.server,
      location: source.location,
      source: offlineReason ? 'cache' : source.access.type,
      store: offlineReason ? `offline cache ${this.cache!.dir}` : store.description,
      offline: offlineReason !== null,
      offlineReason,
      days,
      violations,
    };
  }

  /** One day in full (files, schema check, statistics). */
  async day(record: ProductRecord, ws: Workspace, date: string, opts: Omit<ListOptions, 'from' | 'to'> = {}): Promise<SnapshotDayInfo> {
    const all = await this.list(record, ws, { ...opts, from: date, to: date });
    const day = all.days[0];
    if (!day) throw new StorageError('not-found', `${record.product.id} has no snapshot for ${date} at ${all.location}`, { product: record.product.id, date });
    return day;
  }

  private async footer(store: SnapshotStore, f: { key: string; size: number; etag: string | null }, signal?: AbortSignal): Promise<{ footer: ParquetFooter | null; error: StorageError | null; fetched: number }> {
    const memo = `${store.kind}\0${f.key}\0${f.etag}\0${f.size}`;
    const hit = this.footers.get(memo);
    if (hit) return hit instanceof StorageError ? { footer: null, error: hit, fetched: 0 } : { footer: hit, error: null, fetched: 0 };
    try {
      const footer = await readParquetFooter(store, f, signal ? { signal } : {});
      if (f.etag) this.footers.set(memo, footer);
      return { footer, error: null, fetched: footer.bytesFetched };
    } catch (e) {
      if (isStorageError(e, 'corrupt')) {
        if (f.etag) this.footers.set(memo, e);
        return { footer: null, error: e, fetched: 0 };
      }
      throw e;
    }
  }

  /**
   * Local Parquet files someone handed over (a table opened in SQL): the same description as a
   * snapshot day — files, rows, row groups, unreadable files, column statistics — with no
   * contract to check the schema against and nothing cached.
   */
  async describeFiles(files: Array<{ path: string; name: string }>, signal?: AbortSignal): Promise<SnapshotDayInfo> {
    const store = new LocalSnapshotStore('/', 'stat');
    const listed = await mapLimit(files, this.concurrency, async (f) => ({ ...(await store.head(f.path, signal ? { signal } : {})), name: f.name }));
    return this.describeDay({ date: '', dayPath: '', files: listed }, null, store, signal ? { signal } : {}, false);
  }

  /** `contract`: the product's batch port, whose schema the files are checked against; null for files outside any product. */
  private async describeDay(d: SnapshotDayListing, contract: Pick<SnapshotSource, 'product' | 'schema'> | null, store: SnapshotStore, opts: ListOptions, offline: boolean): Promise<SnapshotDayInfo> {
    const withFooters = opts.footers ?? true;
    const product = contract?.product ?? null;
    const read = withFooters ? await mapLimit(d.files, this.concurrency, (f) => this.footer(store, f, opts.signal)) : d.files.map(() => null);
    const files: SnapshotFileInfo[] = d.files.map((f, i) => {
      const r = read[i];
      return {
        key: f.key,
        name: f.name,
        size: f.size,
        etag: f.etag,
        lastModified: f.lastModified,
        rows: r?.footer?.rows ?? null,
        rowGroups: r?.footer?.rowGroups ?? null,
        createdBy: r?.footer?.createdBy ?? null,
        bytesFetched: r?.fetched ?? 0,
        error: r?.error?.message ?? null,
        cached: offline || (product !== null && (this.cache?.has(product, d.date, f) ?? false)),
      };
    });
    const problems = files.filter((f) => f.error).map((f) => f.error!);
    const good = read.map((r) => r?.footer).filter((f): f is ParquetFooter => !!f);
    let schema: SchemaCheck | null = null;
    const columns = new Map<string, ColumnStats>();
    if (good.length) {
      const first = good[0]!;
      schema = contract ? compareSchema(contract.schema, first.schema) : null;
      const shape = (f: ParquetFooter) => JSON.stringify(f.schema.map((c) => [c.name, c.type]));
      for (const other of good.slice(1)) {
        if (shape(other) !== shape(first)) problems.push(`${other.key}: its schema differs from ${first.key}'s (${describeDiff(first, other)})`);
      }
      for (const f of good) {
        for (const c of f.columns) {
          const prev = columns.get(c.path);
          columns.set(c.path, prev ? mergeColumnStats(prev, c) : c);
        }
      }
    }
    const cachedCount = files.filter((f) => f.cached).length;
    return {
      date: d.date,
      dayPath: d.dayPath,
      files,
      fileCount: files.length,
      rows: withFooters ? good.reduce((a, f) => a + f.rows, 0) : null,
      bytes: files.reduce((a, f) => a + f.size, 0),
      rowGroups: withFooters ? good.reduce((a, f) => a + f.rowGroups, 0) : null,
      createdAt: files.reduce<string | null>((a, f) => (a === null || f.lastModified > a ? f.lastModified : a), null),
      schema,
      columns: [...columns.values()],
      problems,
      cached: cachedCount === 0 ? 'none' : cachedCount === files.length ? 'full' : 'partial',
      pinned: product !== null && (this.cache?.days(product).find((c) => c.date === d.date)?.pinned ?? false),
    };
  }

  /** Downloads a day, a range or the whole product into the offline cache. */
  async makeAvailableOffline(record: ProductRecord, ws: Workspace, selection: DaySelection, opts: { onProgress?: (p: OfflineProgress) => void; signal?: AbortSignal; pin?: boolean } = {}): Promise<OfflineResult> {
    if (!this.cache) throw new StorageError('config', 'No offline cache is configured');
    const { source, store } = this.store(record, ws);
    return this.cache.makeAvailableOffline({ product: source.product, location: source.location, layout: source.layout, store }, selection, opts);
  }

  violations(product?: string): ImmutabilityViolation[] {
    return this.cache?.violations(product) ?? [];
  }
}

function describeDiff(a: ParquetFooter, b: ParquetFooter): string {
  const types = new Map(a.schema.map((c) => [c.name, c.type]));
  const other = new Map(b.schema.map((c) => [c.name, c.type]));
  const diffs: string[] = [];
  for (const n of types.keys()) if (!other.has(n)) diffs.push(`no ${n}`);
  for (const [n, t] of other) {
    if (!types.has(n)) diffs.push(`extra ${n}`);
    else if (types.get(n) !== t) diffs.push(`${n} is ${t}, not ${types.get(n)}`);
  }
  return diffs.slice(0, 5).join('; ') || 'column order';
}
