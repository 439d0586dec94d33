/**
 * The snapshot storage layer against the REAL S3-compatible test server (S3Proxy 4.1.0, see
 * test/infra): listing, footer range reads, statistics against DuckDB, the schema check, the
 * offline cache (download, verify, resume after an abort and after the server was stopped, LRU
 * eviction with a pinned snapshot), immutability violations and the error messages.
 *
 * Needs the server: `npx tsx test/infra/infra.ts up --only s3` (the integration project's global
 * setup starts it). The test stops and restarts S3Proxy once (same port); it leaves it running
 * and removes its bucket.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogService } from '../../../electron/services/catalog/catalog-service';
import { sqlString } from '../../../electron/services/sql/duckdb';
import { readParquetFooter, type ColumnStats, type ParquetFooter } from '../../../electron/services/storage/parquet-footer';
import { SnapshotBrowser, summarizeDay } from '../../../electron/services/storage/snapshot-browser';
import { SnapshotCache, violationFinding } from '../../../electron/services/storage/snapshot-cache';
import { snapshotSource, SnapshotStores } from '../../../electron/services/storage/snapshot-source';
import { S3SnapshotStore } from '../../../electron/services/storage/snapshot-store';
import { isStorageError } from '../../../electron/services/storage/storage-errors';
import { demoFixture, type Fixture } from '../../helpers/workspace-fixture';
import { readInfraEnv, type S3Env } from '../../infra/env';
import { bigOrdersSelect, duck, duckToIso, ordersSelect, wideSelect, writeCorrupt, writeParquet, writeTruncated } from '../../unit/electron/services/storage/fixtures';
import { s3Running, startS3, stopS3 } from './s3-control';

const infra = readInfraEnv();
if (!infra.s3) throw new Error('.infra/env.json has no s3 section: run `npx tsx test/infra/infra.ts up --only s3`');
const senv: S3Env = infra.s3;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const KiB = 1024;

describe('snapshots on a real S3 server', { timeout: 120_000 }, () => {
  const bucket = `dpx-snap-${randomUUID().slice(0, 8)}`;
  const admin = new S3Client({ endpoint: senv.endpoint, region: senv.region, forcePathStyle: true, credentials: { accessKeyId: senv.accessKeyId, secretAccessKey: senv.secretAccessKey } });
  let local: string; // the fixtures as generated, to compare against DuckDB
  let fx: Fixture;
  let catalog: CatalogService;
  const tmp: string[] = [];
  const uploaded = new Map<string, Buffer>(); // key -> content
  const stores = new SnapshotStores();
  /** Range GETs seen on the wire (an SDK middleware), per key. */
  const wire = new Map<string, { requests: number; bytes: number }>();

  const put = async (key: string, body: Buffer) => {
    uploaded.set(key, body);
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  };
  const s3Key = (key: string) => `s3://${bucket}/${key}`;
  const fixture = (name: string) => join(local, name);
  const newTmp = async (prefix: string) => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    tmp.push(d);
    return d;
  };
  const orders = () => catalog.record('sales.orders');
  const storeOf = () => stores.open(snapshotSource(orders(), catalog.workspace)!, catalog.workspace) as S3SnapshotStore;

  beforeAll(async () => {
    local = await newTmp('dpx-s3fx-');
    await writeParquet(fixture('small.parquet'), ordersSelect(2000));
    await writeParquet(fixture('big.parquet'), bigOrdersSelect(400_000), 100_000);
    await writeParquet(fixture('small2.parquet'), ordersSelect(1500, 50_000));
    await writeParquet(fixture('small4.parquet'), ordersSelect(700, 90_000));
    await writeParquet(fixture('small4-v2.parquet'), ordersSelect(701, 90_000));
    await writeParquet(
      fixture('drift.parquet'),
      ordersSelect(300).replace("CASE WHEN i % 4 = 3 THEN 'web' ELSE 'store' END AS channel,", '(i * 1.5)::DOUBLE AS discount,').replace('::DECIMAL(10,2) AS amount', '::DOUBLE AS amount'),
    );
    await writeParquet(fixture('wide.parquet'), wideSelect(), 2048);
    await writeCorrupt(fixture('corrupt.parquet'));
    await writeTruncated(fixture('big.parquet'), fixture('truncated.parquet'));

    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const file = (n: string) => readFile(fixture(n));
    await put('sales.orders/date=2026-10-01/part-0.parquet', await file('small.parquet'));
    await put('sales.orders/date=2026-10-01/part-1.parquet', await file('big.parquet'));
    await put('sales.orders/date=2026-10-01/_SUCCESS', Buffer.alloc(0));
    await put('sales.orders/date=2026-10-02/part-0.parquet', await file('small2.parquet'));
    await put('sales.orders/date=2026-10-02/part-1.parquet', await file('corrupt.parquet'));
    await put('sales.orders/date=2026-10-02/part-2.parquet', await file('truncated.parquet'));
    await put('sales.orders/date=2026-10-03/part-0.parquet', await file('drift.parquet'));
    await put('sales.orders/date=2026-10-04/part-0.parquet', await file('small4.parquet'));
    await put('sales.orders/latest/part-0.parquet', await file('small.parquet')); // not a day
    for (const [i, dir] of ['2026/10/05', 'dt=2026-10-06', '2026-10-07', 'year=2026/month=10/day=08', 'day=2026-10-09'].entries()) {
      await put(`layouts/${dir}/part-${i}.parquet`, Buffer.from(`layout ${i}`));
    }
    await put('wide/date=2026-10-01/wide.parquet', await file('wide.parquet'));
    // a 24 MiB object uploaded in parts (ETag "<md5 of md5s>-5"), for the stopped-server test
    const blob = randomBytes(24 * 1024 * 1024);
    uploaded.set('blobs/date=2026-10-01/blob.parquet', blob);
    const { UploadId } = await admin.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'blobs/date=2026-10-01/blob.parquet' }));
    const parts = [];
    for (let n = 0, off = 0; off < blob.length; n++, off += 5 * 1024 * 1024) {
      const r = await admin.send(new UploadPartCommand({ Bucket: bucket, Key: 'blobs/date=2026-10-01/blob.parquet', UploadId, PartNumber: n + 1, Body: blob.subarray(off, off + 5 * 1024 * 1024) }));
      parts.push({ ETag: r.ETag, PartNumber: n + 1 });
    }
    await admin.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'blobs/date=2026-10-01/blob.parquet', UploadId, MultipartUpload: { Parts: parts } }));

    // A copy of the demo workspace whose `lake` is this S3 server, keys from environment variables.
    process.env.DPX_IT_S3_KEY = senv.accessKeyId;
    process.env.DPX_IT_S3_SECRET = senv.secretAccessKey;
    fx = await demoFixture();
    await fx.edit('dpx.workspace.yaml', (doc) => {
      doc.setIn(['connections', 'lake'], doc.createNode({ type: 's3', endpoint: senv.endpoint, region: senv.region, forcePathStyle: true, accessKeyIdRef: 'env:DPX_IT_S3_KEY', secretAccessKeyRef: 'env:DPX_IT_S3_SECRET' }));
    });
    await fx.edit('contracts/sales.orders.odcs.yaml', (doc) => {
      doc.setIn(['servers', 1, 'location'], `s3://${bucket}/sales.orders/`);
    });
    catalog = await CatalogService.open(fx.dir);

    (await storeOf().client()).middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Key?: string; Range?: string };
        if (context.commandName === 'GetObjectCommand' && input.Key) {
          const res = result.response as { headers?: Record<string, string> };
          const w = wire.get(input.Key) ?? { requests: 0, bytes: 0 };
          w.requests++;
          w.bytes += Number(res.headers?.['content-length'] ?? 0);
          wire.set(input.Key, w);
        }
        return result;
      },
      { step: 'deserialize', name: 'dpxCountGetBytes' },
    );
  }, 180_000);

  afterAll(async () => {
    if (!s3Running()) await startS3();
    stores.close();
    await catalog?.close();
    await fx?.dispose();
    for (;;) {
      const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => null);
      const keys = (page?.Contents ?? []).map((c) => ({ Key: c.Key! }));
      if (!keys.length) break;
      await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    await admin.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    admin.destroy();
    for (const d of tmp) await rm(d, { recursive: true, force: true });
  }, 120_000);

  it('lists every day with its files (key, size, ETag = MD5, lastModified), in every layout', async () => {
    const days = await storeOf().listDays(`s3://${bucket}/sales.orders/`);
    expect(days.map((d) => [d.date, d.files.map((f) => f.name)])).toEqual([
      ['2026-10-01', ['part-0.parquet', 'part-1.parquet']],
      ['2026-10-02', ['part-0.parquet', 'part-1.parquet', 'part-2.parquet']],
      ['2026-10-03', ['part-0.parquet']],
      ['2026-10-04', ['part-0.parquet']],
    ]);
    const big = days[0]!.files[1]!;
    const content = uploaded.get('sales.orders/date=2026-10-01/part-1.parquet')!;
    expect(big).toEqual({ key: s3Key('sales.orders/date=2026-10-01/part-1.parquet'), name: 'part-1.parquet', size: content.length, etag: md5(content), lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(Math.abs(Date.parse(big.lastModified) - Date.now())).toBeLessThan(10 * 60_000);
    expect(content.length).toBeGreaterThan(4 * 1024 * 1024);

    const layouts = await storeOf().listDays(`s3://${bucket}/layouts/`);
    expect(layouts.map((d) => [d.date, d.dayPath])).toEqual([
      ['2026-10-05', '2026/10/05/'],
      ['2026-10-06', 'dt=2026-10-06/'],
      ['2026-10-07', '2026-10-07/'],
      ['2026-10-08', 'year=2026/month=10/day=08/'],
      ['2026-10-09', 'day=2026-10-09/'],
    ]);
    expect(await storeOf().head(big)).toMatchObject({ size: content.length, etag: md5(content) });
  });

  it('reads footers with range requests only: at most footer + 64 KiB per file, far less than the file', async () => {
    const store = storeOf();
    const measured: Array<{ file: string; size: number; footer: number; fetched: number; onWire: number; requests: number }> = [];
    for (const key of ['sales.orders/date=2026-10-01/part-0.parquet', 'sales.orders/date=2026-10-01/part-1.parquet', 'wide/date=2026-10-01/wide.parquet']) {
      wire.delete(key);
      const size = uploaded.get(key)!.length;
      const f = await readParquetFooter(store, { key: s3Key(key), size, etag: md5(uploaded.get(key)!) });
      const w = wire.get(key)!;
      measured.push({ file: key, size, footer: f.metadataLength + 8, fetched: f.bytesFetched, onWire: w.bytes, requests: w.requests });
      expect(w.bytes, key).toBe(f.bytesFetched); // what we counted is what crossed the wire
      expect(w.requests, key).toBe(f.requests);
      expect(f.bytesFetched, key).toBeLessThanOrEqual(f.metadataLength + 8 + 64 * KiB);
    }
    console.log('[footer bytes]', JSON.stringify(measured));
    const [small, big, wide] = measured;
    expect(small!.fetched).toBe(Math.min(small!.size, 64 * KiB));
    expect(big!.fetched).toBe(64 * KiB);
    expect(big!.requests).toBe(1);
    expect(big!.fetched).toBeLessThan(big!.size / 50);
    expect(wide!.footer).toBeGreaterThan(64 * KiB); // a footer larger than the first fetch:
    expect(wide!.requests).toBe(2); //                 exactly the missing part is fetched
    expect(wide!.fetched).toBe(wide!.footer);
    expect(wide!.fetched).toBeLessThan(wide!.size / 20);
  });

  it('decodes statistics equal to what DuckDB parquet_metadata() reports', async () => {
    for (const [key, name] of [
      ['sales.orders/date=2026-10-01/part-0.parquet', 'small.parquet'],
      ['sales.orders/date=2026-10-01/part-1.parquet', 'big.parquet'],
    ] as const) {
      const f = await readParquetFooter(storeOf(), { key: s3Key(key), size: uploaded.get(key)!.length });
      const [meta] = await duck<{ num_rows: string; num_row_groups: string; created_by: string }>(`SELECT num_rows::VARCHAR AS num_rows, num_row_groups::VARCHAR AS num_row_groups, created_by FROM parquet_file_metadata(${sqlString(fixture(name))})`);
      expect([f.rows, f.rowGroups, f.createdBy]).toEqual([Number(meta!.num_rows), Number(meta!.num_row_groups), meta!.created_by]);
      await expectStatsLikeDuckDB(f, fixture(name));
    }
    const big = await readParquetFooter(storeOf(), { key: s3Key('sales.orders/date=2026-10-01/part-1.parquet'), size: uploaded.get('sales.orders/date=2026-10-01/part-1.parquet')!.length });
    expect(big.rowGroups).toBe(4);
    expect(big.columns.find((c) => c.path === 'ordered_at')).toMatchObject({ type: 'TIMESTAMP WITH TIME ZONE', min: '2026-10-01T00:00:00.000000Z' });
    expect(big.columns.find((c) => c.path === 'items[].unit_price')).toMatchObject({ type: 'DECIMAL(10,2)', min: '0.99', max: '150.49' });
    expect(big.columns.find((c) => c.path === 'customer_id')!.nullCount).toBe(Math.ceil(400_000 / 97));
  });

  it('describes the product: days, rows, bytes, row groups, created time, schema against the contract; broken files named', async () => {
    const browser = new SnapshotBrowser({ stores });
    const list = await browser.list(orders(), catalog.workspace);
    expect(list).toMatchObject({ product: 'sales.orders', source: 's3', store: `S3 at ${senv.endpoint}`, offline: false, location: `s3://${bucket}/sales.orders/` });
    const [d1, d2, d3, d4] = list.days;
    const size = (k: string) => uploaded.get(`sales.orders/${k}`)!.length;
    expect(summarizeDay(d1!)).toMatchObject({ date: '2026-10-01', files: 2, rows: 402_000, bytes: size('date=2026-10-01/part-0.parquet') + size('date=2026-10-01/part-1.parquet'), rowGroups: 5, schemaOk: true, problems: 0 });
    expect(d1!.createdAt).toBe([d1!.files[0]!.lastModified, d1!.files[1]!.lastModified].sort()[1]);
    expect(d1!.columns.find((c) => c.path === 'order_id')).toMatchObject({ min: 'O-00000000', max: 'O-01399999', nullCount: 0 });

    expect(d2!.files.map((f) => [f.name, f.rows, f.error])).toEqual([
      ['part-0.parquet', 1500, null],
      ['part-1.parquet', null, `${s3Key('sales.orders/date=2026-10-02/part-1.parquet')}: not a Parquet file: magic bytes missing (it ends with ${[...uploaded.get('sales.orders/date=2026-10-02/part-1.parquet')!.subarray(-4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not "PAR1"; truncated or not Parquet)`],
      ['part-2.parquet', null, expect.stringContaining('date=2026-10-02/part-2.parquet: not a Parquet file: magic bytes missing')],
    ]);
    expect(summarizeDay(d2!)).toMatchObject({ files: 3, rows: 1500, problems: 2, schemaOk: true });

    expect(d3!.schema).toMatchObject({ ok: false, missing: [{ path: 'channel' }], extra: [{ path: 'discount' }], mistyped: [{ path: 'amount', expected: 'DECIMAL(10,2)', actual: 'DOUBLE' }] });
    expect(d4!.rows).toBe(700);
    browser.close();
  });

  let cacheDir: string;

  it('makes a day available offline; resumes a download aborted part-way', async () => {
    cacheDir = await newTmp('dpx-s3cache-');
    const cache = await SnapshotCache.open({ dir: cacheDir });
    const req = { product: 'sales.orders', location: `s3://${bucket}/sales.orders/`, store: storeOf() };
    const bigSize = uploaded.get('sales.orders/date=2026-10-01/part-1.parquet')!.length;
    const ac = new AbortController();
    const err = await cache
      .makeAvailableOffline(req, { day: '2026-10-01' }, { signal: ac.signal, maxBytesPerSecond: 8_000_000, onProgress: (p) => p.file === 'part-1.parquet' && p.bytesDone >= 2_000_000 + uploaded.get('sales.orders/date=2026-10-01/part-0.parquet')!.length && ac.abort() })
      .catch((e: unknown) => e);
    expect(isStorageError(err, 'cancelled')).toBe(true);
    const partial = join(cacheDir, 'data', 'sales.orders', '2026-10-01', md5(uploaded.get('sales.orders/date=2026-10-01/part-1.parquet')!), 'part-1.parquet.partial');
    const partialSize = (await stat(partial)).size;
    expect(partialSize).toBeGreaterThan(1_000_000);
    expect(partialSize).toBeLessThan(bigSize);
    expect(cache.days('sales.orders').map((d) => d.files.map((f) => f.name))).toEqual([['part-0.parquet']]); // the finished file is in

    wire.delete('sales.orders/date=2026-10-01/part-1.parquet');
    const r = await cache.makeAvailableOffline(req, { day: '2026-10-01' });
    expect(r).toMatchObject({ downloaded: 1, alreadyCached: 1, resumed: 1, bytesFetched: bigSize - partialSize });
    expect(wire.get('sales.orders/date=2026-10-01/part-1.parquet')).toEqual({ requests: 1, bytes: bigSize - partialSize });
    const [day] = cache.days('sales.orders');
    expect(md5(await readFile(day!.files[1]!.absPath))).toBe(md5(uploaded.get('sales.orders/date=2026-10-01/part-1.parquet')!));
    await expect(stat(partial)).rejects.toThrow();
  });

  it('when the server stops mid-download: fails cleanly, keeps the .partial, lists offline from the cache, resumes once it is back', async () => {
    const cache = await SnapshotCache.open({ dir: cacheDir });
    const blobKey = 'blobs/date=2026-10-01/blob.parquet';
    const blob = uploaded.get(blobKey)!;
    const req = { product: 'blobs', location: `s3://${bucket}/blobs/`, store: storeOf() };
    let stopping: Promise<void> | null = null;
    const t0 = Date.now();
    const err = await cache
      .makeAvailableOffline(req, { all: true }, { maxBytesPerSecond: 4_000_000, onProgress: (p) => { if (p.bytesDone >= 1_000_000 && !stopping) stopping = stopS3({ graceMs: 300 }); } })
      .catch((e: unknown) => e);
    await stopping;
    expect(isStorageError(err, 'interrupted')).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`Download of s3://${bucket}/${blobKey} from S3 at ${senv.endpoint.replace(/[.:/]/g, '\\$&')} was interrupted after \\d+ of ${blob.length} bytes .*; retry to resume from there`));
    expect(Date.now() - t0).toBeLessThan(30_000);
    const partials = await findPartials(join(cacheDir, 'data', 'blobs'));
    expect(partials).toHaveLength(1);
    const partialSize = (await stat(partials[0]!)).size;
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(blob.length);
    expect(cache.entries('blobs')).toEqual([]); // nothing unverified under a final name

    // network off: a listing is a clear error within seconds, or — with the cache — the cached days
    const t1 = Date.now();
    await expect(storeOf().listDays(req.location)).rejects.toMatchObject({ kind: 'unreachable', message: `S3 at ${senv.endpoint} is unreachable: connection refused — is the server running? (ECONNREFUSED)` });
    expect(Date.now() - t1).toBeLessThan(5_000);
    const offline = await new SnapshotBrowser({ stores, cache }).list(orders(), catalog.workspace);
    expect(offline).toMatchObject({ offline: true, source: 'cache', offlineReason: expect.stringContaining('unreachable') });
    expect(offline.days.map((d) => [d.date, d.rows, d.cached])).toEqual([['2026-10-01', 402_000, 'full']]);

    await startS3();
    const r = await cache.makeAvailableOffline(req, { all: true });
    expect(r).toMatchObject({ downloaded: 1, resumed: 1, bytesFetched: blob.length - partialSize });
    const [entry] = cache.entries('blobs');
    expect(entry!.etag).toMatch(/^[0-9a-f]{32}-5$/); // multipart: verified by size + unchanged ETag
    expect(md5(await readFile(cache.absolutePath(entry!.path)))).toBe(md5(blob));
    expect(await findPartials(join(cacheDir, 'data', 'blobs'))).toEqual([]);
  });

  it('evicts the least recently used snapshot beyond the cap and keeps the pinned one', async () => {
    const cache = await SnapshotCache.open({ dir: await newTmp('dpx-s3lru-') });
    const req = { product: 'sales.orders', location: `s3://${bucket}/sales.orders/`, store: storeOf() };
    const dayBytes = (d: string) => [...uploaded].filter(([k]) => k.startsWith(`sales.orders/date=${d}/`) && k.endsWith('.parquet')).reduce((a, [, b]) => a + b.length, 0);
    await cache.makeAvailableOffline(req, { day: '2026-10-02' }, { pin: true });
    await cache.makeAvailableOffline(req, { day: '2026-10-04' });
    await cache.makeAvailableOffline(req, { day: '2026-10-03' });
    await cache.setMaxBytes(dayBytes('2026-10-01') + dayBytes('2026-10-02') + dayBytes('2026-10-03') + 1);
    const r = await cache.makeAvailableOffline(req, { day: '2026-10-01' });
    expect(r.evicted).toEqual([{ product: 'sales.orders', day: '2026-10-04', bytes: dayBytes('2026-10-04') }]);
    expect(cache.days('sales.orders').map((d) => [d.date, d.pinned])).toEqual([
      ['2026-10-01', false],
      ['2026-10-02', true],
      ['2026-10-03', false],
    ]);
    const index = JSON.parse(await readFile(join(cache.dir, 'index.json'), 'utf8')) as { entries: Array<{ day: string; pinned: boolean; etag: string; size: number; lastAccess: string; product: string }> };
    expect(index.entries.filter((e) => e.day === '2026-10-02').every((e) => e.pinned && e.product === 'sales.orders' && e.etag && e.size > 0 && e.lastAccess)).toBe(true);
    expect(cache.status().bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('records an immutability violation when a published object is replaced, and keeps both versions', async () => {
    const cache = await SnapshotCache.open({ dir: await newTmp('dpx-s3imm-') });
    const req = { product: 'sales.orders', location: `s3://${bucket}/sales.orders/`, store: storeOf() };
    await cache.makeAvailableOffline(req, { day: '2026-10-04' });
    const [old] = cache.entries('sales.orders');
    const v2 = await readFile(fixture('small4-v2.parquet'));
    await put('sales.orders/date=2026-10-04/part-0.parquet', v2); // same key, different object

    const browser = new SnapshotBrowser({ stores, cache });
    const list = await browser.list(orders(), catalog.workspace, { from: '2026-10-04', to: '2026-10-04' });
    expect(list.violations).toEqual([
      expect.objectContaining({
        rule: 'snapshot-changed',
        product: 'sales.orders',
        day: '2026-10-04',
        file: 'part-0.parquet',
        cached: { etag: old!.etag, size: old!.size, fetchedAt: old!.fetchedAt },
        remote: { etag: md5(v2), size: v2.length, lastModified: expect.any(String) },
      }),
    ]);
    expect(list.days[0]!.rows).toBe(701);
    expect(list.days[0]!.cached).toBe('none'); // the cached copy is not this version

    await cache.makeAvailableOffline(req, { day: '2026-10-04' });
    const [kept, current] = cache.entries('sales.orders');
    expect([kept!.etag, kept!.superseded, current!.etag, current!.superseded]).toEqual([old!.etag, true, md5(v2), false]);
    expect(md5(await readFile(cache.absolutePath(kept!.path)))).toBe(old!.etag);
    expect(md5(await readFile(cache.absolutePath(current!.path)))).toBe(md5(v2));
    expect(browser.violations('sales.orders')[0]!.paths).toEqual({ cached: kept!.path, remote: current!.path });
    const source = snapshotSource(orders(), catalog.workspace)!;
    expect(violationFinding(browser.violations()[0]!, { file: source.file, line: source.line })).toMatchObject({ rule: 'snapshot-changed', severity: 'error', file: source.file, line: source.line });
    browser.close();
  });

  it('says clearly what is wrong: wrong secret, unknown key, missing bucket, unreachable server', async () => {
    process.env.DPX_IT_S3_SECRET = 'not-the-secret-0123';
    const wrong = new SnapshotBrowser();
    const e1 = (await wrong.list(orders(), catalog.workspace).catch((e: unknown) => e)) as Error;
    expect(e1).toMatchObject({ kind: 'access-denied', code: 'UNAUTHORIZED' });
    expect(e1.message).toBe(
      `S3 at ${senv.endpoint}: access denied for key ${senv.accessKeyId}: check the credentials in accessKeyIdRef env:DPX_IT_S3_KEY and secretAccessKeyRef env:DPX_IT_S3_SECRET of the connection 'lake' in ${catalog.workspace.file} (SignatureDoesNotMatch: the secret access key does not match the key id; listing s3://${bucket}/sales.orders/)`,
    );
    expect(e1.message).not.toContain('not-the-secret');
    expect(JSON.stringify(e1)).not.toContain('not-the-secret');
    wrong.close();

    process.env.DPX_IT_S3_SECRET = senv.secretAccessKey;
    process.env.DPX_IT_S3_KEY = 'DPXNOSUCHKEY';
    const unknown = new SnapshotBrowser();
    await expect(unknown.list(orders(), catalog.workspace)).rejects.toThrow(`access denied for key DPXNOSUCHKEY: check the credentials in accessKeyIdRef env:DPX_IT_S3_KEY`);
    unknown.close();
    process.env.DPX_IT_S3_KEY = senv.accessKeyId;

    await expect(storeOf().listDays('s3://dpx-no-such-bucket-4711/sales.orders/')).rejects.toMatchObject({ kind: 'no-such-bucket', message: `bucket 'dpx-no-such-bucket-4711' does not exist at ${senv.endpoint}` });

    const dead = new S3SnapshotStore({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials: { accessKeyId: 'X', secretAccessKey: 'Y' } });
    const t0 = Date.now();
    await expect(dead.listDays(`s3://${bucket}/sales.orders/`)).rejects.toMatchObject({ kind: 'unreachable', message: 'S3 at http://127.0.0.1:9 is unreachable: connection refused — is the server running? (ECONNREFUSED)' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    dead.close();
  });
});

async function findPartials(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.partial')) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** Our aggregated statistics against DuckDB's per-row-group statistics, aggregated by DuckDB with typed min()/max(). */
async function expectStatsLikeDuckDB(f: ParquetFooter, path: string): Promise<void> {
  for (const c of f.columns) {
    const cast = c.valueType === 'string' ? 'VARCHAR' : c.type;
    const [d] = await duck<{ lo: string | null; hi: string | null; nulls: string }>(`
      SELECT min(TRY_CAST(stats_min_value AS ${cast}))::VARCHAR AS lo, max(TRY_CAST(stats_max_value AS ${cast}))::VARCHAR AS hi, sum(stats_null_count)::VARCHAR AS nulls
      FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema = ${sqlString(c.parquetPath.replaceAll('.', ', '))}`);
    expect([text(c.min), text(c.max), c.nullCount], c.path).toEqual([norm(c, d!.lo), norm(c, d!.hi), Number(d!.nulls)]);
  }
}
const text = (v: ColumnStats['min']) => (v === null ? null : String(v));
function norm(c: ColumnStats, s: string | null): string | null {
  if (s === null) return null;
  if (c.valueType === 'timestamp') return duckToIso(s, String(c.min).split('.')[1]?.replace('Z', '').length ?? 6);
  if (c.valueType === 'float') return String(Number(s));
  return s;
}
