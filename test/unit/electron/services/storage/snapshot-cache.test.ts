import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotCache, violationFinding, type OfflineProgress } from '../../../../../electron/services/storage/snapshot-cache';
import { LocalSnapshotStore } from '../../../../../electron/services/storage/snapshot-store';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const bytes = (n: number, seed: number) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * seed + 7) & 0xff;
  return b;
};

describe('SnapshotCache with a folder store', () => {
  const dirs: string[] = [];
  let src: string;
  let cacheDir: string;
  let store: LocalSnapshotStore;
  let clock: number;
  const now = () => new Date(Date.UTC(2026, 10, 1) + clock++ * 1000);
  const req = () => ({ product: 'p', location: 's3://lake/p/', store });
  const put = async (day: string, name: string, content: Buffer) => {
    await mkdir(join(src, 'p', `date=${day}`), { recursive: true });
    await writeFile(join(src, 'p', `date=${day}`, name), content);
  };
  const open = (maxBytes?: number) => SnapshotCache.open({ dir: cacheDir, ...(maxBytes ? { maxBytes } : {}), now });

  beforeEach(async () => {
    clock = 0;
    src = await mkdtemp(join(tmpdir(), 'dpx-src-'));
    cacheDir = await mkdtemp(join(tmpdir(), 'dpx-cache-'));
    dirs.push(src, cacheDir);
    store = new LocalSnapshotStore(src);
    await put('2026-10-01', 'part-0.parquet', bytes(100_000, 3));
    await put('2026-10-02', 'part-0.parquet', bytes(100_000, 5));
    await put('2026-10-03', 'part-0.parquet', bytes(60_000, 7));
    await put('2026-10-03', 'part-1.parquet', bytes(40_000, 9));
    await put('2026-10-04', 'part-0.parquet', bytes(300_000, 11));
  });
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('makes a day available offline: verified file, index entry, progress events', async () => {
    const cache = await open();
    const events: OfflineProgress[] = [];
    const r = await cache.makeAvailableOffline(req(), { day: '2026-10-01' }, { onProgress: (e) => events.push(e) });
    expect(r).toMatchObject({ product: 'p', days: ['2026-10-01'], files: 1, downloaded: 1, alreadyCached: 0, bytesFetched: 100_000, violations: [], evicted: [] });
    expect(events[0]!.phase).toBe('listing');
    expect(events.at(-1)).toEqual({ product: 'p', phase: 'done', filesDone: 1, filesTotal: 1, bytesDone: 100_000, bytesTotal: 100_000 });
    expect(events.some((e) => e.phase === 'downloading' && e.file === 'part-0.parquet')).toBe(true);

    const index = JSON.parse(await readFile(join(cacheDir, 'index.json'), 'utf8'));
    expect(index.entries).toEqual([
      expect.objectContaining({ product: 'p', day: '2026-10-01', name: 'part-0.parquet', etag: md5(bytes(100_000, 3)), size: 100_000, pinned: false, superseded: false, lastAccess: expect.any(String), fetchedAt: expect.any(String) }),
    ]);
    const [day] = cache.days('p');
    expect(md5(await readFile(day!.files[0]!.absPath))).toBe(md5(bytes(100_000, 3)));
    // nothing half-written is left: no temp index, no partial
    const all = await listAll(cacheDir);
    expect(all.filter((f) => /\.tmp$|\.partial/.test(f))).toEqual([]);

    const again = await cache.makeAvailableOffline(req(), { day: '2026-10-01' });
    expect(again).toMatchObject({ downloaded: 0, alreadyCached: 1, bytesFetched: 0 });
  });

  it('takes a date range or the whole product', async () => {
    const cache = await open();
    expect((await cache.makeAvailableOffline(req(), { from: '2026-10-02', to: '2026-10-03' })).days).toEqual(['2026-10-02', '2026-10-03']);
    const all = await cache.makeAvailableOffline(req(), { all: true });
    expect(all).toMatchObject({ files: 5, downloaded: 2, alreadyCached: 3 });
    expect(cache.status()).toMatchObject({ bytes: 600_000, files: 5, snapshots: 4 });
    await expect(cache.makeAvailableOffline(req(), { day: '2026-09-30' })).rejects.toThrow('p: no snapshot for 2026-09-30 at s3://lake/p/');
  });

  it('resumes an interrupted download where it stopped', async () => {
    const cache = await open();
    const ac = new AbortController();
    await expect(
      cache.makeAvailableOffline(req(), { day: '2026-10-04' }, { signal: ac.signal, maxBytesPerSecond: 2_000_000, onProgress: (e) => e.bytesDone >= 100_000 && ac.abort() }),
    ).rejects.toMatchObject({ kind: 'cancelled' });
    expect(cache.entries('p')).toEqual([]);
    const partials = (await listAll(cacheDir)).filter((f) => f.endsWith('.partial'));
    expect(partials).toHaveLength(1);
    const partialSize = (await stat(join(cacheDir, partials[0]!))).size;
    expect(partialSize).toBeGreaterThanOrEqual(100_000);

    const r = await cache.makeAvailableOffline(req(), { day: '2026-10-04' });
    expect(r).toMatchObject({ downloaded: 1, resumed: 1, bytesFetched: 300_000 - partialSize });
    expect(md5(await readFile(cache.days('p')[0]!.files[0]!.absPath))).toBe(md5(bytes(300_000, 11)));
  });

  it('evicts the least recently used snapshots beyond the cap, never a pinned one', async () => {
    const cache = await open(500_000);
    await cache.makeAvailableOffline(req(), { day: '2026-10-01' }, { pin: true });
    await cache.makeAvailableOffline(req(), { day: '2026-10-02' });
    await cache.makeAvailableOffline(req(), { day: '2026-10-03' });
    await cache.use('p', '2026-10-02'); // 10-03 is now the least recently used unpinned snapshot
    expect(cache.status()).toMatchObject({ bytes: 300_000, pinnedBytes: 100_000 });
    const r = await cache.makeAvailableOffline(req(), { day: '2026-10-04' });
    expect(r.evicted).toEqual([{ product: 'p', day: '2026-10-03', bytes: 100_000 }]);
    expect(cache.days('p').map((d) => [d.date, d.pinned])).toEqual([
      ['2026-10-01', true],
      ['2026-10-02', false],
      ['2026-10-04', false],
    ]);
    expect((await listAll(cacheDir)).some((f) => f.includes('2026-10-03'))).toBe(false);

    // a lower cap evicts more, still not the pinned day
    const evicted = await cache.setMaxBytes(150_000);
    expect(evicted.map((e) => e.day)).toEqual(['2026-10-02', '2026-10-04']);
    expect(cache.days('p').map((d) => d.date)).toEqual(['2026-10-01']);
    expect(cache.status()).toMatchObject({ bytes: 100_000, maxBytes: 150_000 });
    // the cap is remembered
    expect((await open()).maxBytes).toBe(150_000);

    await cache.unpin('p');
    expect(cache.entries('p')[0]!.pinned).toBe(false);
    await cache.setMaxBytes(50_000);
    expect(cache.entries('p')).toEqual([]);
  });

  it('pinning a whole product pins days cached later too', async () => {
    const cache = await open(250_000);
    await cache.pin('p');
    await cache.makeAvailableOffline(req(), { day: '2026-10-01' });
    await cache.makeAvailableOffline(req(), { day: '2026-10-02' });
    await cache.makeAvailableOffline(req(), { day: '2026-10-03' });
    expect(cache.status()).toMatchObject({ bytes: 300_000, pinnedBytes: 300_000 });
    expect(cache.entries('p').every((e) => e.pinned)).toBe(true);
  });

  it('records an immutability violation when a published file changes, and keeps both versions', async () => {
    const cache = await open();
    await cache.makeAvailableOffline(req(), { day: '2026-10-01' });
    const old = cache.entries('p')[0]!;
    await put('2026-10-01', 'part-0.parquet', bytes(100_100, 13));

    // seen in a listing first (nothing downloaded)
    const listed = await store.listDays('s3://lake/p/');
    const seen = await cache.recordRemote('p', listed);
    expect(seen).toEqual([
      {
        id: expect.any(String),
        rule: 'snapshot-changed',
        product: 'p',
        day: '2026-10-01',
        file: 'part-0.parquet',
        key: join(src, 'p', 'date=2026-10-01', 'part-0.parquet'),
        cached: { etag: old.etag, size: 100_000, fetchedAt: old.fetchedAt },
        remote: { etag: md5(bytes(100_100, 13)), size: 100_100, lastModified: expect.any(String) },
        detectedAt: expect.any(String),
        paths: { cached: old.path, remote: null },
      },
    ]);
    expect(await cache.recordRemote('p', listed)).toHaveLength(1); // not recorded twice

    // then fetched: the new version is stored beside the old one
    const r = await cache.makeAvailableOffline(req(), { day: '2026-10-01' });
    expect(r).toMatchObject({ downloaded: 1, violations: [expect.objectContaining({ id: seen[0]!.id })] });
    const entries = cache.entries('p');
    expect(entries.map((e) => [e.etag, e.superseded])).toEqual([
      [old.etag, true],
      [md5(bytes(100_100, 13)), false],
    ]);
    expect(md5(await readFile(cache.absolutePath(old.path)))).toBe(old.etag);
    expect(md5(await readFile(cache.absolutePath(entries[1]!.path)))).toBe(md5(bytes(100_100, 13)));
    expect(cache.days('p')[0]!.files.map((f) => f.etag)).toEqual([md5(bytes(100_100, 13))]);
    const [v] = cache.violations('p');
    expect(v!.paths).toEqual({ cached: old.path, remote: entries[1]!.path });

    // it survives a restart, and evidence is never evicted
    const reopened = await open();
    expect(reopened.violations()).toHaveLength(1);
    await reopened.setMaxBytes(1);
    expect(reopened.entries('p')).toHaveLength(2);

    expect(violationFinding(v!, { file: 'c.odcs.yaml', line: 7 })).toMatchObject({ product: 'p', rule: 'snapshot-changed', severity: 'error', file: 'c.odcs.yaml', line: 7, message: expect.stringContaining('The published snapshot 2026-10-01 changed: part-0.parquet') });
  });

  it('two requests for the same snapshot at once share one download', async () => {
    const cache = await open();
    const [a, b] = await Promise.all([
      cache.makeAvailableOffline(req(), { day: '2026-10-04' }, { maxBytesPerSecond: 3_000_000 }),
      cache.makeAvailableOffline(req(), { day: '2026-10-04' }, { maxBytesPerSecond: 3_000_000 }),
    ]);
    expect(a.bytesFetched + b.bytesFetched).toBe(300_000);
    expect(cache.entries('p')).toHaveLength(1);
    expect(md5(await readFile(cache.days('p')[0]!.files[0]!.absPath))).toBe(md5(bytes(300_000, 11)));
  });

  it('forgets entries whose file disappeared, and removes on request', async () => {
    const cache = await open();
    await cache.makeAvailableOffline(req(), { from: '2026-10-01', to: '2026-10-02' });
    await rm(cache.days('p')[0]!.files[0]!.absPath);
    const reopened = await open();
    expect(reopened.days('p').map((d) => d.date)).toEqual(['2026-10-02']);
    expect(await reopened.remove('p')).toBe(100_000);
    expect(reopened.days('p')).toEqual([]);
    expect((await listAll(cacheDir)).filter((f) => f.startsWith('data/'))).toEqual([]);
  });
});

async function listAll(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(rel, ...(await listAll(dir, rel)));
    else out.push(rel);
  }
  return out;
}
