import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnapshotStore, normalizeEtag, parseS3Location } from '../../../../../electron/services/storage/snapshot-store';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

describe('LocalSnapshotStore', () => {
  let root: string;
  let store: LocalSnapshotStore;
  const put = async (rel: string, content: Buffer | string) => {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), content);
  };
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 0xff;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dpx-local-'));
    store = new LocalSnapshotStore(root);
    // one location per layout; the folder mirrors a bucket: s3://lake/<prefix>/ -> <root>/<prefix>/
    await put('hive/date=2026-10-01/part-0.parquet', 'a');
    await put('hive/date=2026-10-01/part-1.parquet', 'bb');
    await put('hive/date=2026-10-01/_SUCCESS', '');
    await put('hive/dt=2026-10-02/part-0.parquet', 'ccc');
    await put('hive/day=2026-10-03/part-0.parquet', 'dddd');
    await put('hive/2026-10-04/part-0.parquet', 'eeeee');
    await put('hive/2026/10/05/part-0.parquet', 'ffffff');
    await put('hive/2026/10/05/region=eu/part-1.parquet', 'g');
    await put('hive/date=2026-10-06/part-0.parquet.partial', 'partial download, not a snapshot');
    await put('hive/date=2026-13-01/part-0.parquet', 'not a date');
    await put('hive/latest/part-0.parquet', 'no day');
    await put('big/date=2026-10-01/big.parquet', big);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists days in every recognised layout, with key, size, MD5 ETag and modification time', async () => {
    const days = await store.listDays('s3://lake/hive/');
    expect(days.map((d) => [d.date, d.dayPath, d.files.map((f) => f.name)])).toEqual([
      ['2026-10-01', 'date=2026-10-01/', ['part-0.parquet', 'part-1.parquet']],
      ['2026-10-02', 'dt=2026-10-02/', ['part-0.parquet']],
      ['2026-10-03', 'day=2026-10-03/', ['part-0.parquet']],
      ['2026-10-04', '2026-10-04/', ['part-0.parquet']],
      ['2026-10-05', '2026/10/05/', ['part-0.parquet', 'region=eu/part-1.parquet']],
    ]);
    const f = days[0]!.files[1]!;
    expect(f).toEqual({ key: join(root, 'hive/date=2026-10-01/part-1.parquet'), name: 'part-1.parquet', size: 2, etag: md5('bb'), lastModified: (await stat(f.key)).mtime.toISOString() });
    // the same folder, addressed as a path
    expect((await store.listDays('hive')).length).toBe(5);
    expect((await store.listDays(join(root, 'hive'))).length).toBe(5);
    // a glob in the location is dropped
    expect((await store.listDays('s3://lake/hive/*.parquet')).length).toBe(5);
  });

  it('honours a declared layout', async () => {
    await put('custom/exports/20261009/a.parquet', 'x');
    const days = await store.listDays('s3://lake/custom/', { layout: 'exports/YYYYMMDD/*.parquet' });
    expect(days.map((d) => d.date)).toEqual(['2026-10-09']);
  });

  it('reports a missing folder', async () => {
    await expect(store.listDays('s3://lake/nothing-here/')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining(join(root, 'nothing-here')) });
  });

  it('reads ranges and answers HEAD', async () => {
    const key = join(root, 'big/date=2026-10-01/big.parquet');
    expect(Buffer.from(await store.readRange(key, 10, 20))).toEqual(big.subarray(10, 20));
    expect(Buffer.from(await store.readRange(key, big.length - 5, big.length))).toEqual(big.subarray(-5));
    expect(await store.head(key)).toMatchObject({ size: big.length, etag: md5(big) });
    await expect(store.readRange(key, 0, 4, { ifMatch: '"0123456789abcdef0123456789abcdef"' })).rejects.toMatchObject({ kind: 'changed' });
  });

  it('downloads through a .partial, verifies the MD5 and resumes an interrupted download', async () => {
    const key = join(root, 'big/date=2026-10-01/big.parquet');
    const dest = join(root, 'out', 'big.parquet');
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      store.download(key, dest, {
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(p.bytesDone);
          if (p.bytesDone >= 1024 * 1024) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ kind: 'cancelled', code: 'CANCELLED' });
    const partial = (await stat(`${dest}.partial`)).size;
    expect(partial).toBeGreaterThanOrEqual(1024 * 1024);
    expect(partial).toBeLessThan(big.length);
    await expect(stat(dest)).rejects.toThrow();
    expect(JSON.parse(await readFile(`${dest}.partial.json`, 'utf8'))).toMatchObject({ etag: md5(big), size: big.length });

    const progress: Array<{ bytesDone: number; resumedFrom: number }> = [];
    const done = await store.download(key, dest, { onProgress: (p) => progress.push(p) });
    expect(done).toMatchObject({ resumedFrom: partial, bytesFetched: big.length - partial, size: big.length, etag: md5(big), verified: 'md5' });
    expect(progress[0]).toMatchObject({ bytesDone: partial, resumedFrom: partial });
    expect(md5(await readFile(dest))).toBe(md5(big));
    await expect(stat(`${dest}.partial`)).rejects.toThrow();
    await expect(stat(`${dest}.partial.json`)).rejects.toThrow();
  });

  it('never stitches a changed file onto an old partial', async () => {
    await put('chg/date=2026-10-01/f.parquet', Buffer.alloc(200_000, 1));
    const key = join(root, 'chg/date=2026-10-01/f.parquet');
    const dest = join(root, 'out', 'chg.parquet');
    const ac = new AbortController();
    await expect(store.download(key, dest, { signal: ac.signal, onProgress: (p) => p.bytesDone > 0 && ac.abort() })).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await stat(`${dest}.partial`)).size).toBeGreaterThan(0);
    // the source changes (same size), then the download is retried without pinning a version: it starts over
    await writeFile(key, Buffer.alloc(200_000, 2));
    const done = await store.download(key, dest);
    expect(done.resumedFrom).toBe(0);
    expect((await readFile(dest)).every((b) => b === 2)).toBe(true);
    // pinning the listed version: a changed object is an error, not a download
    await expect(store.download(key, join(root, 'out', 'chg2.parquet'), { expect: { etag: md5(Buffer.alloc(200_000, 1)) } })).rejects.toMatchObject({ kind: 'changed' });
    await expect(store.download(key, join(root, 'out', 'chg3.parquet'), { expect: { size: 5 } })).rejects.toMatchObject({ kind: 'changed' });
  });

  it('throttles when asked', async () => {
    await put('slow/date=2026-10-01/f.parquet', Buffer.alloc(300_000, 3));
    const t0 = Date.now();
    await store.download(join(root, 'slow/date=2026-10-01/f.parquet'), join(root, 'out', 'slow.parquet'), { maxBytesPerSecond: 1_000_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
  });
});

describe('locations', () => {
  it('parses s3:// locations and ETags', () => {
    expect(parseS3Location('s3://acme-lake/sales.orders/')).toEqual({ bucket: 'acme-lake', prefix: 'sales.orders/' });
    expect(parseS3Location('s3://acme-lake/sales.orders')).toEqual({ bucket: 'acme-lake', prefix: 'sales.orders/' });
    expect(parseS3Location('s3a://acme-lake')).toEqual({ bucket: 'acme-lake', prefix: '' });
    expect(parseS3Location('s3://b/p/*.parquet')).toEqual({ bucket: 'b', prefix: 'p/' });
    expect(() => parseS3Location('https://x/y')).toThrow('Not an S3 location');
    expect(normalizeEtag('"abc-2"')).toBe('abc-2');
    expect(normalizeEtag('W/"abc"')).toBe('abc');
  });
});
