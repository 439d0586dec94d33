/**
 * The S3-compatible test server (S3Proxy, test/infra/s3.ts) behaves like S3 where the explorer
 * depends on it: signed requests only, ListObjectsV2 paging/delimiters, ranged GETs, ETags,
 * HEAD, multipart uploads.
 *
 * Needs the services: `npx tsx test/infra/infra.ts up`.
 * Run: npx vitest run test/integration/s3-server.test.ts
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInfraEnv } from '../infra/env';
import type { S3Env } from '../infra/env';

// The SDK warns once per process that its 2027 releases need Node 22; the lockfile pins this one.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const infra = readInfraEnv();
if (!infra.s3) throw new Error('.infra/env.json has no s3 section: run `npx tsx test/infra/infra.ts up`');
const senv: S3Env = infra.s3;

function s3(secretAccessKey = senv.secretAccessKey, accessKeyId = senv.accessKeyId): S3Client {
  return new S3Client({
    endpoint: senv.endpoint,
    region: senv.region,
    forcePathStyle: senv.forcePathStyle,
    credentials: { accessKeyId, secretAccessKey },
  });
}

const md5 = (b: string | Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

describe('S3-compatible test server', { timeout: 30_000 }, () => {
  const client = s3();
  const bucket = `dpx-it-${randomUUID().slice(0, 8)}`;
  const body = '0123456789abcdefghij';
  const keys: string[] = [];

  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const put = async (Key: string, Body: string | Buffer, extra: object = {}) => {
      keys.push(Key);
      return client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
    };
    await put('a/b/c.txt', body, { ContentType: 'text/plain', Metadata: { owner: 'dpx' } });
    for (let i = 0; i < 5; i++) await put(`p/part-${i}.json`, `{"i":${i}}`);
  });

  afterAll(async () => {
    const all = [...keys, 'big.bin'].map((Key) => ({ Key }));
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all } })).catch(() => undefined);
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  });

  it('rejects a wrong secret, an unknown access key and unsigned requests', async () => {
    await expect(s3('wrong-secret').send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      s3('wrong-secret').send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(s3(senv.secretAccessKey, 'NOSUCHKEY').send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    expect((await fetch(`${senv.endpoint}/${bucket}/a/b/c.txt`)).status).toBe(403);
  });

  it('HEAD and GET give the ETag (MD5), size, type and user metadata', async () => {
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt' }));
    expect(h.ETag).toBe(md5(body));
    expect(h.ContentLength).toBe(body.length);
    expect(h.ContentType).toBe('text/plain');
    expect(h.Metadata).toEqual({ owner: 'dpx' });
    expect(h.LastModified).toBeInstanceOf(Date);
    await expect(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('serves Range requests (206, Content-Range; suffix ranges; 416 past the end)', async () => {
    const g = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt', Range: 'bytes=5-9' }));
    expect(g.$metadata.httpStatusCode).toBe(206);
    expect(g.ContentRange).toBe('bytes 5-9/20');
    expect(await g.Body!.transformToString()).toBe('56789');
    const suffix = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt', Range: 'bytes=-4' }));
    expect(suffix.ContentRange).toBe('bytes 16-19/20');
    expect(await suffix.Body!.transformToString()).toBe('ghij');
    await expect(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt', Range: 'bytes=100-200' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 416 } });
  });

  it('ListObjectsV2: prefix, MaxKeys paging with continuation tokens, delimiter, StartAfter', async () => {
    const page1 = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/', MaxKeys: 2 }));
    expect(page1.KeyCount).toBe(2);
    expect(page1.IsTruncated).toBe(true);
    expect(page1.Contents?.map((c) => c.Key)).toEqual(['p/part-0.json', 'p/part-1.json']);
    expect(page1.Contents?.[0]?.ETag).toBe(md5('{"i":0}'));
    expect(page1.Contents?.[0]?.Size).toBe(7);
    const page2 = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/', MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }),
    );
    expect(page2.Contents?.map((c) => c.Key)).toEqual(['p/part-2.json', 'p/part-3.json']);
    const top = await client.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'p/']);
    expect(top.Contents ?? []).toEqual([]);
    const after = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/', StartAfter: 'p/part-2.json' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['p/part-3.json', 'p/part-4.json']);
  });

  it('multipart upload: S3-style "<md5 of part md5s>-N" ETag, ranged read across the part boundary', async () => {
    const p1 = Buffer.alloc(5 * 1024 * 1024, 1); // parts other than the last must be >= 5 MiB
    const p2 = Buffer.from('tail');
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));
    const u1 = await client.send(new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: 1, Body: p1 }));
    const u2 = await client.send(new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: 2, Body: p2 }));
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big.bin',
        UploadId,
        MultipartUpload: { Parts: [{ ETag: u1.ETag, PartNumber: 1 }, { ETag: u2.ETag, PartNumber: 2 }] },
      }),
    );
    const partMd5s = Buffer.concat([p1, p2].map((p) => createHash('md5').update(p).digest()));
    const expected = `"${createHash('md5').update(partMd5s).digest('hex')}-2"`;
    expect(done.ETag).toBe(expected);
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    expect(h.ContentLength).toBe(p1.length + p2.length);
    expect(h.ETag).toBe(expected);
    const g = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin', Range: `bytes=${p1.length - 2}-` }));
    expect(Buffer.from(await g.Body!.transformToByteArray()).toString('hex')).toBe('0101' + p2.toString('hex'));
  });
});
