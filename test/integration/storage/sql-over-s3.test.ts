// SQL over a product whose snapshots live in S3: listed from the real S3 server with range reads,
// made available offline, then queried from the cache with the day of each file.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { filesUnder } from '../../helpers/files';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../../../electron/services/services';
import { DEMO, demoFixture, type Fixture } from '../../helpers/workspace-fixture';
import { readInfraEnv } from '../../infra/env';

const s3env = readInfraEnv().s3!;

describe('SQL over S3 snapshots through the offline cache', () => {
  const bucket = `dpx-it-sql-${Date.now().toString(36)}`;
  let fixture: Fixture;
  let services: Services;
  let data: string;

  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const s3 = new S3Client({ endpoint: s3env.endpoint, region: s3env.region, forcePathStyle: true, credentials: { accessKeyId: s3env.accessKeyId, secretAccessKey: s3env.secretAccessKey } });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const root = join(DEMO, 'snapshots', 'sales.orders');
    for (const f of (await filesUnder(root)).filter((f) => f.includes('date=2026-10-0'))) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `sales.orders/${relative(root, f)}`, Body: await readFile(f) }));
    }
    s3.destroy();
    fixture = await demoFixture();
    process.env.DPX_IT_S3_KEY = s3env.accessKeyId;
    process.env.DPX_IT_S3_SECRET = s3env.secretAccessKey;
    await fixture.edit('dpx.workspace.yaml', (d) =>
      d.setIn(['connections', 'lake'], d.createNode({ type: 's3', endpoint: s3env.endpoint, region: s3env.region, forcePathStyle: true, accessKeyIdRef: 'env:DPX_IT_S3_KEY', secretAccessKeyRef: 'env:DPX_IT_S3_SECRET' })),
    );
    await fixture.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 1, 'location'], `s3://${bucket}/sales.orders/`));
    data = await mkdtemp(join(tmpdir(), 'dpx-it-sql-s3-'));
    services = await openServices({ workspace: fixture.dir, cacheDir: join(data, 'cache') });
  });
  afterAll(async () => {
    await services?.close();
    await fixture?.dispose();
    await rm(data, { recursive: true, force: true });
  });

  it('lists the days from S3, caches them, and queries them with their snapshot_date', async () => {
    const listed = await services.snapshots.list('sales.orders');
    expect(listed).toMatchObject({ source: 's3', offline: false });
    expect(listed.days.map((d) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09']);
    expect(listed.days.every((d) => d.rows === 500 && d.schemaOk === true)).toBe(true);

    // Before anything is cached, the view exists and is empty.
    const before = await services.sql.run(`SELECT count(*) FROM sales.orders`);
    expect(await services.sql.rows(before.id, 0, 1)).toEqual([['0']]);

    const events: Array<{ kind: string }> = [];
    await services.snapshots.makeAvailableOffline('sales.orders', { from: '2026-10-02', to: '2026-10-04' }, false, (e) => events.push(e), new AbortController().signal);
    expect(events.at(-1)).toMatchObject({ kind: 'done', downloaded: 3 });
    services.sql.invalidate();
    const after = await services.sql.run(`SELECT snapshot_date::VARCHAR, count(*) FROM sales.orders GROUP BY 1 ORDER BY 1`);
    expect(await services.sql.rows(after.id, 0, 10)).toEqual([
      ['2026-10-02', '500'],
      ['2026-10-03', '500'],
      ['2026-10-04', '500'],
    ]);
    const pinned = await services.sql.run(`SELECT count(*) FROM dpx_snapshot('sales.orders', DATE '2026-10-03')`);
    expect(await services.sql.rows(pinned.id, 0, 1)).toEqual([['500']]);
  });
});
