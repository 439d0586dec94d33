// The batch mode behind the API: the snapshot browser over the product's store, the offline
// cache (opened on first use, so listing the catalog never creates it), and the local files a
// SQL view reads: a folder's files, or the cached copies of remote ones.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Finding } from '../../../shared/model/lint';
import type { OfflineEvent, ProductSnapshots, SnapshotDayDetail } from '../../../shared/model/snapshot';
import { appDataDir } from '../app-data';
import type { CatalogService } from '../catalog/catalog-service';
import { SnapshotBrowser, summarizeDay, type SnapshotDayInfo } from './snapshot-browser';
import { SnapshotCache, violationFinding, type DaySelection } from './snapshot-cache';
import { snapshotSource } from './snapshot-source';
import { isStorageError } from './storage-errors';
import { LocalSnapshotStore } from './snapshot-store';

export interface LocalSnapshotFile {
  date: string;
  path: string;
}

export class SnapshotService {
  private cache: Promise<SnapshotCache> | null = null;
  private browser: SnapshotBrowser | null = null;

  private readonly cacheDir: string;

  /**
   * The cache is per workspace (by default under the app data folder, named by a hash of the
   * workspace file): product ids are unique within a workspace, not across them.
   */
  constructor(
    private readonly catalog: CatalogService,
    cacheDir?: string,
  ) {
    this.cacheDir = cacheDir ?? join(appDataDir(), 'cache', createHash('sha256').update(catalog.workspace.file).digest('hex').slice(0, 16));
  }

  private async open(): Promise<{ cache: SnapshotCache; browser: SnapshotBrowser }> {
    this.cache ??= SnapshotCache.open({ dir: this.cacheDir });
    const cache = await this.cache;
    this.browser ??= new SnapshotBrowser({ cache });
    return { cache, browser: this.browser };
  }

  async list(id: string, opts: { from?: string; to?: string; footers?: boolean } = {}): Promise<ProductSnapshots> {
    const record = this.catalog.record(id);
    if (!snapshotSource(record, this.catalog.workspace)) {
      return { product: id, location: '', store: 'no batch port', source: 'none', offline: false, offlineReason: null, days: [], violations: [] };
    }
    const { browser } = await this.open();
    const all = await browser.list(record, this.catalog.workspace, opts);
    return {
      product: all.product,
      location: all.location,
      store: all.store,
      source: all.source,
      offline: all.offline,
      offlineReason: all.offlineReason,
      days: all.days.map((d) => ({ ...summarizeDay(d), pinned: d.pinned })),
      violations: all.violations.map((v) => ({ id: v.id, product: v.product, day: v.day, file: v.file, cached: v.cached, remote: v.remote, detectedAt: v.detectedAt })),
    };
  }

  async day(id: string, date: string): Promise<SnapshotDayDetail> {
    const { browser } = await this.open();
    const d = await browser.day(this.catalog.record(id), this.catalog.workspace, date);
    return { date: d.date, ...dayDetail(d) };
  }

  /** Local Parquet files outside any product (a table opened in SQL), described like a day. */
  async describeFiles(files: Array<{ path: string; name: string }>): Promise<Omit<SnapshotDayDetail, 'date'>> {
    const { browser } = await this.open();
    return dayDetail(await browser.describeFiles(files));
  }

  async makeAvailableOffline(id: string, select: DaySelection, pin: boolean, emit: (e: OfflineEvent) => void, signal: AbortSignal): Promise<void> {
    const { browser } = await this.open();
    let last = 0;
    const r = await browser.makeAvailableOffline(this.catalog.record(id), this.catalog.workspace, select, {
      pin,
      signal,
      onProgress: (p) => {
        // Progress at most ~10 times a second, and always the last word.
        const now = Date.now();
        if (now - last < 100 && p.phase !== 'done') return;
        last = now;
        emit({ kind: 'progress', phase: p.phase, ...(p.day ? { day: p.day } : {}), ...(p.file ? { file: p.file } : {}), filesDone: p.filesDone, filesTotal: p.filesTotal, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal });
      },
    });
    emit({ kind: 'done', days: r.days, files: r.files, downloaded: r.downloaded, alreadyCached: r.alreadyCached, resumed: r.resumed, bytesFetched: r.bytesFetched, violations: r.violations.length, evicted: r.evicted });
  }

  async pin(id: string, day: string | undefined, pinned: boolean) {
    const { cache } = await this.open();
    this.catalog.record(id);
    if (pinned) await cache.pin(id, day);
    else await cache.unpin(id, day);
    return cache.status();
  }

  async cacheStatus(maxBytes?: number) {
    const { cache } = await this.open();
    if (maxBytes !== undefined) await cache.setMaxBytes(maxBytes);
    return cache.status();
  }

  /** Immutability violations recorded by earlier listings, as lint findings at the server's line. */
  async findings(): Promise<Finding[]> {
    const { cache } = await this.open();
    const ws = this.catalog.workspace;
    return cache.violations().flatMap((v) => {
      const record = this.catalog.records().find((r) => r.product.id === v.product);
      const source = record ? snapshotSource(record, ws) : null;
      return source ? [violationFinding(v, { file: source.file, line: source.line })] : [];
    });
  }

  /**
   * The files a product's SQL view reads on this machine: a local folder's own files, or the
   * cached copies of remote snapshots (DuckDB here cannot fetch from S3 itself).
   */
  async localFiles(id: string): Promise<LocalSnapshotFile[]> {
    const record = this.catalog.record(id);
    const source = snapshotSource(record, this.catalog.workspace);
    if (!source) return [];
    if (source.access.type === 'local') {
      // Listing only: no hashing of the files, no footers (DuckDB checks each file itself).
      try {
        const days = await new LocalSnapshotStore(source.access.root, 'stat').listDays(source.location, { layout: source.layout });
        return days.flatMap((d) => d.files.map((f) => ({ date: d.date, path: f.key })));
      } catch (e) {
        if (isStorageError(e)) return [];
        throw e;
      }
    }
    const { cache } = await this.open();
    return cache.days(id).flatMap((d) => d.files.filter((f) => !f.superseded).map((f) => ({ date: d.date, path: f.absPath })));
  }

  close(): void {
    this.browser?.close();
  }
}

/** What the API says of a day (or of opened files): the browser's description without its internals. */
function dayDetail(d: SnapshotDayInfo): Omit<SnapshotDayDetail, 'date'> {
  return {
    files: d.files.map((f) => ({ key: f.key, name: f.name, size: f.size, etag: f.etag, lastModified: f.lastModified, rows: f.rows, rowGroups: f.rowGroups, createdBy: f.createdBy, bytesFetched: f.bytesFetched, error: f.error, cached: f.cached })),
    schema: d.schema,
    columns: d.columns.map((c) => ({ path: c.path, type: c.type, min: c.min, max: c.max, nullCount: c.nullCount, values: c.values, compressedBytes: c.compressedBytes, uncompressedBytes: c.uncompressedBytes, exact: c.exact })),
    problems: d.problems,
  };
}
