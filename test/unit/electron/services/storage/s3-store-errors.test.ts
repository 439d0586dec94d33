// The S3 store's failures that need no S3 server (the real server's answers are in
// test/integration/storage): nothing listening, a server that never answers, bad configuration.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SnapshotStore, s3ConfigFromConnection } from '../../../../../electron/services/storage/snapshot-store';

describe('S3 store failures without a server', () => {
  let silent: net.Server;
  let silentPort: number;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    silent = net.createServer((s) => sockets.add(s)).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  const creds = { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' };

  it('nothing listening: "unreachable" at once, naming the endpoint', async () => {
    const store = new S3SnapshotStore({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials: creds });
    const t0 = Date.now();
    await expect(store.listDays('s3://b/p/')).rejects.toMatchObject({ kind: 'unreachable', message: 'S3 at http://127.0.0.1:9 is unreachable: connection refused — is the server running? (ECONNREFUSED)' });
    await expect(store.head('s3://b/p/x.parquet')).rejects.toMatchObject({ kind: 'unreachable' });
    await expect(store.readRange('s3://b/p/x.parquet', 0, 10)).rejects.toMatchObject({ kind: 'unreachable' });
    const dir = await mkdtemp(join(tmpdir(), 'dpx-s3err-'));
    await expect(store.download('s3://b/p/x.parquet', join(dir, 'x.parquet'))).rejects.toMatchObject({ kind: 'unreachable' });
    expect(await readdir(dir)).toEqual([]); // nothing written when nothing was received
    await rm(dir, { recursive: true });
    expect(Date.now() - t0).toBeLessThan(5_000);
    store.close();
  });

  it('a server that accepts but never answers: "unreachable" after the request timeout, not minutes later', async () => {
    const store = new S3SnapshotStore({ endpoint: `http://127.0.0.1:${silentPort}`, forcePathStyle: true, credentials: creds, requestTimeoutMs: 500 });
    const t0 = Date.now();
    await expect(store.listDays('s3://b/p/')).rejects.toMatchObject({ kind: 'unreachable', message: `S3 at http://127.0.0.1:${silentPort} is unreachable: no answer within 0.5 s (listing s3://b/p/)` });
    expect(Date.now() - t0).toBeLessThan(3_000);
    store.close();
  });

  it('the caller can cancel', async () => {
    const store = new S3SnapshotStore({ endpoint: `http://127.0.0.1:${silentPort}`, forcePathStyle: true, credentials: creds });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(store.listDays('s3://b/p/', { signal: ac.signal })).rejects.toMatchObject({ kind: 'cancelled', code: 'CANCELLED' });
    store.close();
  });

  it('configuration from a workspace connection: refs resolved, never one key without the other', () => {
    process.env.DPX_UT_KEY_ID = 'AKIDFROMENV';
    process.env.DPX_UT_SECRET = 'secret-from-env';
    const where = { name: 'lake', file: '/ws/dpx.workspace.yaml' };
    expect(s3ConfigFromConnection({ endpoint: 'http://minio:9000', region: 'eu-west-1', forcePathStyle: true, accessKeyIdRef: 'env:DPX_UT_KEY_ID', secretAccessKeyRef: 'env:DPX_UT_SECRET' }, where)).toEqual({
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDFROMENV', secretAccessKey: 'secret-from-env' },
      credentialSource: "accessKeyIdRef env:DPX_UT_KEY_ID and secretAccessKeyRef env:DPX_UT_SECRET of the connection 'lake' in /ws/dpx.workspace.yaml",
    });
    expect(s3ConfigFromConnection({ profile: 'analytics' }, where, 'https://from-contract')).toMatchObject({ endpoint: 'https://from-contract', profile: 'analytics', credentialSource: expect.stringContaining("AWS profile 'analytics'") });
    expect(() => s3ConfigFromConnection({ accessKeyIdRef: 'env:DPX_UT_KEY_ID' }, where)).toThrow('names accessKeyIdRef but not secretAccessKeyRef');
    expect(() => s3ConfigFromConnection({ accessKeyIdRef: 'env:DPX_UT_NOT_SET', secretAccessKeyRef: 'env:DPX_UT_SECRET' }, where)).toThrow('DPX_UT_NOT_SET, which is not set');
  });
});
