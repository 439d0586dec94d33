/**
 * Compressed record batches from two independent writers, decoded by our read client:
 * - librdkafka (kcat -P -z gzip|snappy|lz4|zstd): raw snappy blocks, LZ4F frames, zstd frames;
 * - the broker itself (topic compression.type=...): Java's codecs (xerial-framed snappy,
 *   KafkaLZ4BlockOutputStream, zstd-jni, java.util.zip), recompressing kafkajs' plain batches.
 * Each case also checks the batches really carry that codec (attributes of the raw batches).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClient } from '../../../../electron/services/streams/kafka/index';
import type { KafkaRecord } from '../../../../electron/services/streams/kafka/index';
import { BrokerConnection } from '../../../../electron/services/streams/kafka/connection';
import { ApiKey, decodeFetch, encodeFetch } from '../../../../electron/services/streams/kafka/protocol/requests';
import { readInfraEnv } from '../../../infra/env';

const infra = readInfraEnv();
if (!infra.kafka) throw new Error('.infra/env.json has no kafka section: run `npx tsx test/infra/infra.ts up`');
const bootstrap = infra.kafka.bootstrap;
const [host, port] = [bootstrap.split(':')[0]!, Number(bootstrap.split(':')[1])];
const hasKcat = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const CODEC_ID = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
const N = 2000;
const suffix = randomUUID().slice(0, 8);
// varied, compressible values with unicode; keys repeat
const lines = Array.from({ length: N }, (_, i) => ({
  key: `k${i % 17}`,
  value: JSON.stringify({ i, name: `item-${i}`, note: 'grüße ✓ '.repeat(1 + (i % 5)), tags: ['a', 'b', String(i % 3)] }),
}));

const kafka = new Kafka({ brokers: [bootstrap], clientId: 'dpx-it-compression', logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
const topics: string[] = [];

async function readAll(t: string): Promise<KafkaRecord[]> {
  const c = new KafkaClient({ brokers: [bootstrap] });
  try {
    const end = (await c.offsets(t, [0], 'latest')).get(0)!;
    const out: KafkaRecord[] = [];
    let pos = 0;
    while (pos < end) {
      const [r] = await c.fetch(t, new Map([[0, pos]]), { maxWaitMs: 100, partitionMaxBytes: 64 * 1024 });
      expect(r!.error).toBeUndefined();
      out.push(...r!.records);
      pos = r!.nextOffset;
    }
    return out;
  } finally {
    await c.close();
  }
}

/** The codec bits of every batch in partition 0, straight from a Fetch answer. */
async function codecsOnDisk(t: string): Promise<Set<number>> {
  const conn = new BrokerConnection({ host, port, clientId: 'dpx-it', tls: null, sasl: null, connectTimeoutMs: 5000, requestTimeoutMs: 10_000, maxVersions: { [ApiKey.Fetch]: 12 } });
  await conn.connect();
  try {
    const v = conn.version(ApiKey.Fetch);
    const r = await conn.send(ApiKey.Fetch, v, (w) =>
      encodeFetch(w, v, { maxWaitMs: 0, minBytes: 1, maxBytes: 10 << 20, isolation: 'read_uncommitted', topic: t, topicId: null, partitions: [{ partition: 0, offset: 0, maxBytes: 10 << 20, leaderEpoch: -1 }] }),
    );
    const p = decodeFetch(r, v).topics[0]!.partitions[0]!;
    const codecs = new Set<number>();
    for (let pos = p.recordsStart; pos + 61 <= p.recordsEnd; ) {
      const len = r.buf.readInt32BE(pos + 8);
      if (pos + 12 + len > p.recordsEnd) break;
      codecs.add(r.buf.readInt16BE(pos + 21) & 7);
      pos += 12 + len;
    }
    return codecs;
  } finally {
    conn.close();
  }
}

function expectSame(records: KafkaRecord[]): void {
  expect(records.length).toBe(N);
  records.forEach((r, i) => {
    expect(r.offset).toBe(i);
    expect(r.key?.toString()).toBe(lines[i]!.key);
    expect(r.value?.toString()).toBe(lines[i]!.value);
  });
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  if (topics.length) await admin?.deleteTopics({ topics }).catch(() => undefined);
  await producer?.disconnect();
  await admin?.disconnect();
});

describe('compressed batches', { timeout: 60_000 }, () => {
  for (const codec of CODECS) {
    it.skipIf(!hasKcat)(`${codec}, written by librdkafka (kcat -z ${codec})`, async () => {
      const t = `dpx-it-kcat-${codec}-${suffix}`;
      topics.push(t);
      await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
      const input = lines.map((l) => `${l.key}\t${l.value}`).join('\n') + '\n';
      const res = spawnSync('kcat', ['-P', '-b', bootstrap, '-t', t, '-p', '0', '-z', codec, '-K', '\t', '-X', 'linger.ms=50'], { input, encoding: 'utf8', timeout: 30_000 });
      expect(res.status, res.stderr).toBe(0);
      expect([...(await codecsOnDisk(t))]).toEqual([CODEC_ID[codec]]);
      expectSame(await readAll(t));
    });

    it(`${codec}, recompressed by the broker (Java codecs, topic compression.type=${codec})`, async () => {
      const t = `dpx-it-broker-${codec}-${suffix}`;
      topics.push(t);
      await admin.createTopics({ topics: [{ topic: t, numPartitions: 1, configEntries: [{ name: 'compression.type', value: codec }] }], waitForLeaders: true });
      for (let i = 0; i < N; i += 500) {
        await producer.send({ topic: t, messages: lines.slice(i, i + 500).map((l) => ({ key: l.key, value: l.value, partition: 0 })) });
      }
      expect([...(await codecsOnDisk(t))]).toEqual([CODEC_ID[codec]]);
      expectSame(await readAll(t));
    });
  }
});
