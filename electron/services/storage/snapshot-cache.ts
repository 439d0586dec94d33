// The offline cache of snapshots: `<appDataDir()>/cache` (or a folder given for tests).
//
//   index.json                                   what is cached (JSON, replaced atomically: temp file + rename)
//   data/<product>/<day>/<etag>/<file name>      one folder per version of a file: never overwritten
//   data/…/<file name>.partial(.json)            an unfinished download and the version it holds (resumable)
//
// "Make available offline" takes one day, a date range or a whole product, downloads what is not
// cached yet (progress events, resumable, verified, renamed into place only when verified: there is
// never a corrupt file under its final name) and evicts the least recently used snapshots beyond the
// size cap — never pinned ones, never the ones being made available, never evidence of a violation.
//
// Published snapshots never change. When a remote object's ETag or size differs from the cached
// copy, an immutability violation is recorded (rule `snapshot-changed`) and both versions are kept:
// the old cached file stays where it is, the new one goes beside it (its own ETag folder) and
// becomes the current version; the old entry is marked `superseded`.
//
// One process owns a cache folder at a time; within it, index changes are serialised.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../../shared/model/lint';
import { appDataDir } from '../app-data';
import { inRange } from './snapshot-layout';
import type { DownloadResult, SnapshotDayListing, SnapshotFile, SnapshotStore } from './snapshot-store';
import { StorageError } from './storage-errors';
import { codeUnitOrder } from '../code-unit-order';

export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;
export const SNAPSHOT_CHANGED_RULE = 'snapshot-changed';

export interface CacheEntry {
  product: string;
  /** YYYY-MM-DD */
  day: string;
  /** The file's path below its day folder. */
  name: string;
  /** The remote address it was fetched from. */
  key: string;
  /** The location the product's snapshots were listed at. */
  location: string;
  etag: string | null;
  size: number;
  /** The remote object's modification time (ISO). */
  lastModified: string;
  fetchedAt: string;
  lastAccess: string;
  pinned: boolean;
  /** Relative to the cache folder, `/`-separated. */
  path: string;
  /** A different remote version replaced this one (an immutability violation); kept as evidence. */
  superseded: boolean;
}

export interface ImmutabilityViolation {
  id: string;
  rule: typeof SNAPSHOT_CHANGED_RULE;
  product: string;
  day: string;
  file: string;
  key: string;
  cached: { etag: string | null; size: number; fetchedAt: string };
  remote: { etag: string | null; size: number; lastModified: string };
  detectedAt: string;
  /** Cached copies, relative to the cache folder: the old one, and the new one once fetched. */
  paths: { cached: string; remote: string | null };
}

interface CacheIndex {
  version: 1;
  maxBytes?: number;
  /** A pin with day null pins every day of the product (including days cached later). */
  pins: Array<{ product: string; day: string | null }>;
  entries: CacheEntry[];
  violations: ImmutabilityViolation[];
}

export type DaySelection = { day: string } | { from: string; to: string } | { all: true };

export interface OfflineProgress {
  product: string;
  phase: 'listing' | 'downloading' | 'done';
  day?: string;
  file?: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface OfflineRequest {
  product: string;
  location: string;
  layout?: string | null;
  store: SnapshotStore;
}

export interface EvictedSnapshot {
  product: string;
  day: string;
  bytes: number;
}

export interface OfflineResult {
  product: string;
  days: string[];
  files: number;
  downloaded: number;
  alreadyCached: number;
  /** Downloads that continued a partial file. */
  resumed: number;
  bytesFetched: number;
  violations: ImmutabilityViolation[];
  evicted: EvictedSnapshot[];
}

export interface CachedDay {
  date: string;
  bytes: number;
  pinned: boolean;
  lastAccess: string;
  files: Array<CacheEntry & { absPath: string }>;
}

export interface CacheStatus {
  dir: string;
  bytes: number;
  maxBytes: number;
  pinnedBytes: number;
  snapshots: number;
  files: number;
}

export interface CacheOptions {
  /** Default `<appDataDir()>/cache`. */
  dir?: string;
  /** Size cap in bytes (default: the one saved in the index, else 10 GiB). */
  maxBytes?: number;
  now?: () => Date;
}

const safeSegment = (s: string) => (s.replace(/[^A-Za-z0-9._=-]/g, '_').replace(/^\.+$/, '_') || '_');

export class SnapshotCache {
  private index: CacheIndex;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  /** Downloads in progress by destination: a second request for the same file waits for the first. */
  private readonly inflight = new Map<string, Promise<DownloadResult>>();

  private constructor(
    readonly dir: string,
    index: CacheIndex,
    private capOverride: number | undefined,
    now?: () => Date,
  ) {
    this.index = index;
    this.now = now ?? (() => new Date());
  }

  static async open(opts: CacheOptions = {}): Promise<SnapshotCache> {
    const dir = opts.dir ?? join(appDataDir(), 'cache');
    await mkdir(dir, { recursive: true });
    let index: CacheIndex = { version: 1, pins: [], entries: [], violations: [] };
    try {
      const parsed = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as CacheIndex;
      if (parsed.version === 1 && Array.isArray(parsed.entries)) index = { ...parsed, pins: parsed.pins ?? [], violations: parsed.violations ?? [] };
    } catch {
      /* no index yet (or unreadable: start afresh; files without an entry are never served) */
    }
    const cache = new SnapshotCache(dir, index, opts.maxBytes, opts.now);
    // Entries whose file was removed behind our back are forgotten.
    const present = await Promise.all(index.entries.map((e) => stat(cache.abs(e.path)).then((s) => s.size === e.size, () => false)));
    if (present.includes(false)) {
      index.entries = index.entries.filter((_, i) => present[i]);
      await cache.save();
    }
    return cache;
  }

  get maxBytes(): number {
    return this.capOverride ?? this.index.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  }

  /** Changes the cap (saved in the index) and evicts down to it. */
  async setMaxBytes(bytes: number): Promise<EvictedSnapshot[]> {
    return this.locked(async () => {
      this.capOverride = undefined;
      this.index.maxBytes = bytes;
      const evicted = await this.evictToFit(0, new Set());
      await this.save();
      return evicted;
    });
  }

  private abs(rel: string): string {
    return join(this.dir, ...rel.split('/'));
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async save(): Promise<void> {
    const file = join(this.dir, 'index.json');
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(this.index, null, 1));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  }

  private isPinned(product: string, day: string): boolean {
    return this.index.pins.some((p) => p.product === product && (p.day === null || p.day === day));
  }

  private current(product: string, day: string, name: string): CacheEntry | undefined {
    return this.index.entries.find((e) => e.product === product && e.day === day && e.name === name && !e.superseded);
  }

  /** Where a version of a file is (or will be) kept. */
  private pathFor(product: string, day: string, etag: string | null, name: string): string {
    const parts = name.split('/').filter((s) => s && s !== '.' && s !== '..').map(safeSegment);
    return ['data', safeSegment(product), safeSegment(day), safeSegment(etag ?? 'no-etag'), ...parts].join('/');
  }

  private noteViolation(product: string, day: string, file: SnapshotFile, cached: CacheEntry): ImmutabilityViolation {
    const existing = this.index.violations.find((v) => v.product === product && v.day === day && v.file === file.name && v.cached.etag === cached.etag && v.remote.etag === file.etag && v.remote.size === file.size);
    if (existing) return existing;
    const v: ImmutabilityViolation = {
      id: randomBytes(6).toString('hex'),
      rule: SNAPSHOT_CHANGED_RULE,
      product,
      day,
      file: file.name,
      key: file.key,
      cached: { etag: cached.etag, size: cached.size, fetchedAt: cached.fetchedAt },
      remote: { etag: file.etag, size: file.size, lastModified: file.lastModified },
      detectedAt: this.now().toISOString(),
      paths: { cached: cached.path, remote: null },
    };
    this.index.violations.push(v);
    return v;
  }

  /**
   * Compares a fresh remote listing with what is cached; records a violation for every file whose
   * ETag or size changed. Returns the product's violations.
   */
  async recordRemote(product: string, days: SnapshotDayListing[]): Promise<ImmutabilityViolation[]> {
    return this.locked(async () => {
      const before = this.index.violations.length;
      for (const day of days) {
        for (const f of day.files) {
          const cached = this.current(product, day.date, f.name);
          if (cached && (cached.etag !== f.etag || cached.size !== f.size)) this.noteViolation(product, day.date, f, cached);
        }
      }
      if (this.index.violations.length !== before) await this.save();
      return this.violations(product);
    });
  }

  async makeAvailableOffline(req: OfflineRequest, selection: DaySelection, opts: { onProgress?: (p: OfflineProgress) => void; signal?: AbortSignal; pin?: boolean; maxBytesPerSecond?: number } = {}): Promise<OfflineResult> {
    const { product, store } = req;
    const emit = opts.onProgress ?? (() => undefined);
    emit({ product, phase: 'listing', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
    const listing = await store.listDays(req.location, { layout: req.layout ?? null, ...(opts.signal ? { signal: opts.signal } : {}) });
    const days = listing.filter((d) => ('all' in selection ? true : 'day' in selection ? d.date === selection.day : inRange(d.date, selection.from, selection.to)));
    if (!days.length) {
      const what = 'all' in selection ? 'no snapshot' : 'day' in selection ? `no snapshot for ${selection.day}` : `no snapshot between ${selection.from} and ${selection.to}`;
      throw new StorageError('not-found', `${product}: ${what} at ${req.location} (${store.description})`, { product });
    }
    const protect = new Set(days.map((d) => `${product}|${d.date}`));
    const result: OfflineResult = { product, days: days.map((d) => d.date), files: 0, downloaded: 0, alreadyCached: 0, resumed: 0, bytesFetched: 0, violations: [], evicted: [] };

    // What needs fetching, and what is already here.
    const plan: Array<{ day: string; file: SnapshotFile; replaces: CacheEntry | null }> = [];
    await this.locked(async () => {
      if (opts.pin && 'all' in selection) this.index.pins = [...this.index.pins.filter((p) => p.product !== product), { product, day: null }];
      else if (opts.pin) for (const d of days) if (!this.isPinned(product, d.date)) this.index.pins.push({ product, day: d.date });
      if (opts.pin) this.refreshPinned();
      const at = this.now().toISOString();
      for (const d of days) {
        for (const f of d.files) {
          result.files++;
          const cached = this.current(product, d.date, f.name);
          if (cached && cached.etag === f.etag && cached.size === f.size) {
            cached.lastAccess = at;
            cached.pinned = this.isPinned(product, d.date);
            result.alreadyCached++;
            continue;
          }
          if (cached) result.violations.push(this.noteViolation(product, d.date, f, cached));
          plan.push({ day: d.date, file: f, replaces: cached ?? null });
        }
      }
      const bytesNeeded = plan.reduce((a, p) => a + p.file.size, 0);
      result.evicted.push(...(await this.evictToFit(bytesNeeded, protect)));
      await this.save();
    });

    const bytesTotal = plan.reduce((a, p) => a + p.file.size, 0);
    let bytesDone = 0;
    let filesDone = 0;
    let lastEmit = 0;
    for (const { day, file, replaces } of plan) {
      if (opts.signal?.aborted) throw new StorageError('cancelled', `Making ${product} available offline was cancelled after ${filesDone} of ${plan.length} files`, { product });
      const rel = this.pathFor(product, day, file.etag, file.name);
      const dest = this.abs(rel);
      const base = bytesDone;
      emit({ product, phase: 'downloading', day, file: file.name, filesDone, filesTotal: plan.length, bytesDone, bytesTotal });
      const running = this.inflight.get(dest);
      const download =
        running ??
        store.download(file, dest, {
          expect: { etag: file.etag, size: file.size },
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.maxBytesPerSecond ? { maxBytesPerSecond: opts.maxBytesPerSecond } : {}),
          onProgress: (p) => {
            const t = Date.now();
            if (t - lastEmit < 100 && p.bytesDone < p.bytesTotal) return;
            lastEmit = t;
            emit({ product, phase: 'downloading', day, file: file.name, filesDone, filesTotal: plan.length, bytesDone: base + p.bytesDone, bytesTotal });
          },
        });
      if (!running) {
        this.inflight.set(dest, download);
        void download.catch(() => undefined).finally(() => this.inflight.delete(dest));
      }
      const done = running ? { ...(await download), bytesFetched: 0, resumedFrom: 0 } : await download;
      bytesDone += file.size;
      filesDone++;
      result.downloaded++;
      result.bytesFetched += done.bytesFetched;
      if (done.resumedFrom > 0) result.resumed++;
      await this.locked(async () => {
        const at = this.now().toISOString();
        if (replaces) {
          replaces.superseded = true;
          for (const v of this.index.violations) if (v.product === product && v.day === day && v.file === file.name && v.cached.etag === replaces.etag && v.remote.etag === file.etag) v.paths.remote = rel;
        }
        this.index.entries = this.index.entries.filter((e) => !(e.path === rel && !e.superseded));
        this.index.entries.push({
          product,
          day,
          name: file.name,
          key: file.key,
          location: req.location,
          etag: done.etag,
          size: done.size,
          lastModified: done.lastModified,
          fetchedAt: at,
          lastAccess: at,
          pinned: this.isPinned(product, day),
          path: rel,
          superseded: false,
        });
        result.evicted.push(...(await this.evictToFit(0, protect)));
        await this.save();
      });
    }
    emit({ product, phase: 'done', filesDone, filesTotal: plan.length, bytesDone, bytesTotal });
    return result;
  }

  /**
   * Evicts least recently used snapshots (a product's day, all its files at once) until the cache
   * plus `incoming` bytes fits the cap. Skips pinned snapshots, `protect`ed ones and files that are
   * evidence of a violation. Call inside `locked`.
   */
  private async evictToFit(incoming: number, protect: Set<string>): Promise<EvictedSnapshot[]> {
    let total = this.index.entries.reduce((a, e) => a + e.size, 0);
    if (total + incoming <= this.maxBytes) return [];
    const evidence = new Set(this.index.violations.flatMap((v) => [v.paths.cached, v.paths.remote]).filter((p): p is string => !!p));
    const groups = new Map<string, CacheEntry[]>();
    for (const e of this.index.entries) {
      const id = `${e.product}|${e.day}`;
      if (protect.has(id) || this.isPinned(e.product, e.day) || e.superseded || evidence.has(e.path)) continue;
      groups.set(id, [...(groups.get(id) ?? []), e]);
    }
    const lastAccess = (es: CacheEntry[]) => es.reduce((a, e) => (e.lastAccess > a ? e.lastAccess : a), '');
    const order = [...groups.values()].sort((a, b) => codeUnitOrder(lastAccess(a), lastAccess(b)));
    const evicted: EvictedSnapshot[] = [];
    for (const group of order) {
      if (total + incoming <= this.maxBytes) break;
      const bytes = group.reduce((a, e) => a + e.size, 0);
      for (const e of group) await rm(this.abs(e.path), { force: true });
      const gone = new Set(group);
      this.index.entries = this.index.entries.filter((e) => !gone.has(e));
      total -= bytes;
      evicted.push({ product: group[0]!.product, day: group[0]!.day, bytes });
    }
    await this.pruneEmptyDirs();
    return evicted;
  }

  private async pruneEmptyDirs(): Promise<void> {
    const walk = async (dir: string): Promise<boolean> => {
      const items = await readdir(dir, { withFileTypes: true }).catch(() => null);
      if (!items) return false;
      let empty = true;
      for (const it of items) {
        if (it.isDirectory() && (await walk(join(dir, it.name)))) continue;
        empty = false;
      }
      if (empty && dir !== join(this.dir, 'data')) await rmdir(dir).catch(() => undefined);
      return empty;
    };
    await walk(join(this.dir, 'data'));
  }

  /** Pins a day, or every day of the product (now and later): pinned snapshots are never evicted. */
  async pin(product: string, day?: string): Promise<void> {
    await this.locked(async () => {
      const d = day ?? null;
      if (!this.index.pins.some((p) => p.product === product && p.day === d)) this.index.pins.push({ product, day: d });
      this.refreshPinned();
      await this.save();
    });
  }

  /** Removes a day's pin, or (no day) every pin of the product. */
  async unpin(product: string, day?: string): Promise<void> {
    await this.locked(async () => {
      this.index.pins = this.index.pins.filter((p) => p.product !== product || (day !== undefined && p.day !== day));
      this.refreshPinned();
      await this.evictToFit(0, new Set());
      await this.save();
    });
  }

  private refreshPinned(): void {
    for (const e of this.index.entries) e.pinned = this.isPinned(e.product, e.day);
  }

  /** Removes cached copies of a day or a whole product (pinned or not; violation evidence stays). */
  async remove(product: string, day?: string): Promise<number> {
    return this.locked(async () => {
      const evidence = new Set(this.index.violations.filter((v) => v.product === product).flatMap((v) => [v.paths.cached, v.paths.remote]));
      const gone = this.index.entries.filter((e) => e.product === product && (day === undefined || e.day === day) && !evidence.has(e.path));
      for (const e of gone) await rm(this.abs(e.path), { force: true });
      const set = new Set(gone);
      this.index.entries = this.index.entries.filter((e) => !set.has(e));
      await this.pruneEmptyDirs();
      await this.save();
      return gone.reduce((a, e) => a + e.size, 0);
    });
  }

  entries(product?: string): CacheEntry[] {
    return this.index.entries.filter((e) => product === undefined || e.product === product).map((e) => ({ ...e }));
  }

  /** What is cached for a product, by day (current versions only): the offline listing. */
  days(product: string): CachedDay[] {
    const byDay = new Map<string, CachedDay>();
    for (const e of this.index.entries) {
      if (e.product !== product || e.superseded) continue;
      let d = byDay.get(e.day);
      if (!d) byDay.set(e.day, (d = { date: e.day, bytes: 0, pinned: this.isPinned(product, e.day), lastAccess: '', files: [] }));
      d.files.push({ ...e, absPath: this.abs(e.path) });
      d.bytes += e.size;
      if (e.lastAccess > d.lastAccess) d.lastAccess = e.lastAccess;
    }
    for (const d of byDay.values()) d.files.sort((a, b) => codeUnitOrder(a.name, b.name));
    return [...byDay.values()].sort((a, b) => codeUnitOrder(a.date, b.date));
  }

  /** The cached files of a day (absolute paths, current versions), marked as used now. */
  async use(product: string, day: string): Promise<string[]> {
    return this.locked(async () => {
      const at = this.now().toISOString();
      const files = this.index.entries.filter((e) => e.product === product && e.day === day && !e.superseded);
      for (const e of files) e.lastAccess = at;
      if (files.length) await this.save();
      return files.map((e) => this.abs(e.path)).sort();
    });
  }

  /** Is this exact version of a file cached? */
  has(product: string, day: string, file: Pick<SnapshotFile, 'name' | 'etag' | 'size'>): boolean {
    const e = this.current(product, day, file.name);
    return !!e && e.etag === file.etag && e.size === file.size;
  }

  violations(product?: string): ImmutabilityViolation[] {
    return this.index.violations.filter((v) => product === undefined || v.product === product).map((v) => ({ ...v, cached: { ...v.cached }, remote: { ...v.remote }, paths: { ...v.paths } }));
  }

  absolutePath(rel: string): string {
    return this.abs(rel);
  }

  status(): CacheStatus {
    const live = this.index.entries;
    const snapshots = new Set(live.map((e) => `${e.product}|${e.day}`));
    return {
      dir: this.dir,
      bytes: live.reduce((a, e) => a + e.size, 0),
      maxBytes: this.maxBytes,
      pinnedBytes: live.filter((e) => this.isPinned(e.product, e.day)).reduce((a, e) => a + e.size, 0),
      snapshots: snapshots.size,
      files: live.length,
    };
  }
}

/** A violation as a `dpx lint` finding (rule `snapshot-changed`), pointed at the contract's server. */
export function violationFinding(v: ImmutabilityViolation, where: { file: string; line: number | null }): Finding {
  const size = (n: number) => `${n} bytes`;
  return {
    product: v.product,
    rule: SNAPSHOT_CHANGED_RULE,
    severity: 'error',
    message:
      `The published snapshot ${v.day} changed: ${v.file} was ${v.cached.etag ?? 'without ETag'} (${size(v.cached.size)}, cached ${v.cached.fetchedAt}), ` +
      `it is now ${v.remote.etag ?? 'without ETag'} (${size(v.remote.size)}, modified ${v.remote.lastModified}); snapshots must never change after publication. Both versions are kept in the cache.`,
    file: where.file,
    line: where.line,
  };
}
