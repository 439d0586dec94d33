import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogService } from '../../../../../electron/services/catalog/catalog-service';
import { SnapshotBrowser, summarizeDay } from '../../../../../electron/services/storage/snapshot-browser';
import { SnapshotCache } from '../../../../../electron/services/storage/snapshot-cache';
import { snapshotSource } from '../../../../../electron/services/storage/snapshot-source';
import { LocalSnapshotStore } from '../../../../../electron/services/storage/snapshot-store';
import { DEMO, demoFixture, type Fixture } from '../../../../helpers/workspace-fixture';
import { sqlString } from '../../../../../electron/services/sql/duckdb';
import { duck, ordersSelect, writeCorrupt, writeParquet, writeTruncated } from './fixtures';

describe('snapshot browser on the demo workspace (a local folder mirroring the bucket)', () => {
  let catalog: CatalogService;
  const browser = new SnapshotBrowser();
  beforeAll(async () => {
    catalog = await CatalogService.open(DEMO);
  });
  afterAll(async () => {
    browser.close();
    await catalog.close();
  });

  it('resolves where the snapshots live through the workspace connection', () => {
    const source = snapshotSource(catalog.record('sales.orders'), catalog.workspace)!;
    expect(source).toMatchObject({ server: 'lake', serverType: 's3', location: 's3://acme-lake/sales.orders/', layout: 'date=YYYY-MM-DD/*.parquet', access: { type: 'local', folder: join(DEMO, 'snapshots', 'sales.orders') } });
    expect(source.line).toBeGreaterThan(1);
  });

  it.each(['sales.orders', 'customers.profile', 'sales.daily-totals', 'marketing.ad-targeting'])('%s: 30 days with rows, row groups and a schema that matches the contract', async (id) => {
    const list = await browser.list(catalog.record(id), catalog.workspace);
    expect(list).toMatchObject({ product: id, source: 'local', offline: false, violations: [] });
    expect(list.days).toHaveLength(30);
    for (const d of list.days) {
      expect(d.rows).toBeGreaterThan(0);
      expect(d.rowGroups).toBeGreaterThan(0);
      expect(d.problems).toEqual([]);
      expect(d.schema, `${id} ${d.date}`).toMatchObject({ ok: true });
    }
    expect(list.days.map((d) => d.date)).toEqual(Array.from({ length: 30 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`));
    expect(list.days.every((d) => d.fileCount === 1)).toBe(true);
  });

  it('summarises a day with date, files, rows and bytes; statistics per column', async () => {
    const day = await browser.day(catalog.record('sales.orders'), catalog.workspace, '2026-10-01');
    const file = join(DEMO, 'snapshots', 'sales.orders', 'date=2026-10-01', 'part-0.parquet');
    const [truth] = await duck<{ n: string; g: string }>(`SELECT (SELECT count(*) FROM read_parquet(${sqlString(file)}))::VARCHAR AS n, (SELECT num_row_groups FROM parquet_file_metadata(${sqlString(file)}))::VARCHAR AS g`);
    expect(summarizeDay(day)).toEqual({ date: '2026-10-01', files: 1, rows: Number(truth!.n), bytes: (await stat(file)).size, rowGroups: Number(truth!.g), createdAt: (await stat(file)).mtime.toISOString(), schemaOk: true, problems: 0, cached: 'none' });
    const amount = day.columns.find((c) => c.path === 'amount')!;
    expect(amount).toMatchObject({ type: 'DECIMAL(10,2)', valueType: 'decimal' });
    expect(amount.min).toMatch(/^-?\d+\.\d\d$/);
    expect(amount.nullCount).toBe(0);
    expect(day.columns.find((c) => c.path === 'ordered_at')).toMatchObject({ min: expect.stringMatching(/^2026-10-01T/), max: expect.stringMatching(/^2026-10-01T.*Z$/) });
    expect(day.columns.map((c) => c.path)).toContain('items[].sku');
    await expect(browser.day(catalog.record('sales.orders'), catalog.workspace, '2026-11-01')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('snapshot browser: broken files, schema drift, offline', () => {
  let fx: Fixture;
  let catalog: CatalogService;
  let cacheDir: string;
  const browser = new SnapshotBrowser();
  const day = (d: string) => join(fx.dir, 'snapshots', 'sales.orders', `date=${d}`);

  beforeAll(async () => {
    fx = await demoFixture();
    cacheDir = await mkdtemp(join(tmpdir(), 'dpx-bcache-'));
    await cp(join(DEMO, 'snapshots', 'sales.orders', 'date=2026-10-01'), day('2026-10-01'), { recursive: true });
    await cp(join(DEMO, 'snapshots', 'sales.orders', 'date=2026-10-02'), day('2026-10-02'), { recursive: true });
    await writeCorrupt(join(day('2026-10-02'), 'part-1.parquet'));
    await writeTruncated(join(day('2026-10-02'), 'part-0.parquet'), join(day('2026-10-02'), 'part-2.parquet'));
    await mkdir(day('2026-10-03'), { recursive: true });
    await writeParquet(join(day('2026-10-03'), 'part-0.parquet'), ordersSelect(100).replace(/CASE WHEN i % 4 = 3 THEN 'web' ELSE 'store' END AS channel,/, "(i * 1.5)::DOUBLE AS discount,").replace('::DECIMAL(10,2) AS amount', '::DOUBLE AS amount'));
    catalog = await CatalogService.open(fx.dir);
  });
  afterAll(async () => {
    browser.close();
    await catalog.close();
    await fx.dispose();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('reports a corrupt or truncated file for that file; the other files and days still list', async () => {
    const list = await browser.list(catalog.record('sales.orders'), catalog.workspace);
    expect(list.days.map((d) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
    const d2 = list.days[1]!;
    expect(d2.fileCount).toBe(3);
    expect(d2.rows).toBe(list.days[1]!.files[0]!.rows); // the readable file's rows
    expect(d2.files.map((f) => [f.name, f.error])).toEqual([
      ['part-0.parquet', null],
      ['part-1.parquet', expect.stringContaining(`${join(day('2026-10-02'), 'part-1.parquet')}: not a Parquet file: magic bytes missing`)],
      ['part-2.parquet', expect.stringContaining('part-2.parquet: not a Parquet file: magic bytes missing')],
    ]);
    expect(d2.problems).toHaveLength(2);
    expect(d2.schema?.ok).toBe(true);
    expect(summarizeDay(d2)).toMatchObject({ files: 3, problems: 2 });
  });

  it('flags missing, extra and mistyped columns against the contract', async () => {
    const d3 = await browser.day(catalog.record('sales.orders'), catalog.workspace, '2026-10-03');
    expect(d3.rows).toBe(100);
    expect(d3.schema).toMatchObject({
      object: 'orders',
      ok: false,
      missing: [{ path: 'channel' }],
      extra: [{ path: 'discount', actual: 'DOUBLE' }],
      mistyped: [{ path: 'amount', expected: 'DECIMAL(10,2)', actual: 'DOUBLE' }],
    });
  });

  it('falls back to the offline cache when the store is unreachable, and says so', async () => {
    // the cache holds one day, fetched while the "bucket" was reachable (here: the demo folder)
    const cache = await SnapshotCache.open({ dir: cacheDir });
    await cache.makeAvailableOffline({ product: 'sales.orders', location: 's3://acme-lake/sales.orders/', store: new LocalSnapshotStore(join(DEMO, 'snapshots')) }, { day: '2026-10-05' });
    // now the workspace points the lake at an S3 endpoint nobody listens on
    process.env.DPX_UT_S3_KEY = 'AKIDUNITTEST';
    process.env.DPX_UT_S3_SECRET = 'unit-test-secret';
    await fx.edit('dpx.workspace.yaml', (doc) => {
      doc.setIn(['connections', 'lake'], doc.createNode({ type: 's3', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', forcePathStyle: true, accessKeyIdRef: 'env:DPX_UT_S3_KEY', secretAccessKeyRef: 'env:DPX_UT_S3_SECRET' }));
    });
    await catalog.reload();
    const withCache = new SnapshotBrowser({ cache });
    const t0 = Date.now();
    const list = await withCache.list(catalog.record('sales.orders'), catalog.workspace);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(list).toMatchObject({ offline: true, source: 'cache', offlineReason: expect.stringContaining('S3 at http://127.0.0.1:9 is unreachable') });
    const [truth] = await duck<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM read_parquet(${sqlString(join(DEMO, 'snapshots', 'sales.orders', 'date=2026-10-05', 'part-0.parquet'))})`);
    expect(list.days.map((d) => [d.date, d.rows, d.cached, d.schema?.ok])).toEqual([['2026-10-05', Number(truth!.n), 'full', true]]);
    withCache.close();
    // without a cache it is an error that says what is wrong
    await expect(browser.list(catalog.record('sales.orders'), catalog.workspace)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('connection refused') });
  });
});
