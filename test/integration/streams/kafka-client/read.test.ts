/**
 * Our own Kafka read client (electron/services/streams/kafka) against the real Kafka 4.x broker of
 * test/infra: metadata, offsets (earliest, latest, by timestamp), fetch from arbitrary positions
 * with keys/headers/timestamps, every negotiable protocol version, transactions, oversized
 * batches, and proof that no consumer group is ever created. Data is produced with kafkajs.
 *
 * Run: npx vitest run --project integration test/integration/streams/kafka-client
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClient, KafkaError } from '../../../../electron/services/streams/kafka/index';
import type { FetchedPartition, KafkaClientOptions, KafkaRecord } from '../../../../electron/services/streams/kafka/index';
import { readInfraEnv } from '../../../infra/env';

const infra = readInfraEnv();
if (!infra.kafka) throw new Error('.infra/env.json has no kafka section: run `npx tsx test/infra/infra.ts up`');
const bootstrap = infra.kafka.bootstrap;

const PARTITIONS = 3;
const PER_PARTITION = 30;
const COUNT = PARTITIONS * PER_PARTITION;
// In the past (Kafka 4 rejects timestamps > 1 h ahead), second-aligned: record i has T0 + i s.
const T0 = Math.floor((Date.now() - 2 * 60 * 60_000) / 1000) * 1000;
const topic = `dpx-it-read-${randomUUID().slice(0, 8)}`;

interface Sent {
  i: number;
  partition: number;
  offset: number;
  key: string;
  value: string;
  timestamp: number;
  headers: Array<[string, string]>;
}
// record i goes to partition i % 3 at offset floor(i / 3)
const sent: Sent[] = Array.from({ length: COUNT }, (_, i) => ({
  i,
  partition: i % PARTITIONS,
  offset: Math.floor(i / PARTITIONS),
  key: `key-${i % 6}`,
  value: JSON.stringify({ i, note: 'ünïcødé ✓', pad: 'x'.repeat(i) }),
  timestamp: T0 + i * 1000,
  headers: [
    ['x-seq', String(i)],
    ['x-multi', 'first'],
    ['x-multi', 'second'],
  ],
}));

const kafka = new Kafka({ brokers: [bootstrap], clientId: 'dpx-it-read', logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
let groupsBefore: string[];
const clients: KafkaClient[] = [];

function client(opts: Partial<KafkaClientOptions> = {}): KafkaClient {
  const c = new KafkaClient({ brokers: [bootstrap], clientId: 'dpx-it', ...opts });
  clients.push(c);
  return c;
}

function view(r: KafkaRecord) {
  return {
    offset: r.offset,
    key: r.key?.toString('utf8') ?? null,
    value: r.value?.toString('utf8') ?? null,
    timestamp: r.timestamp,
    headers: r.headers.map((h) => [h.key, h.value?.toString('utf8') ?? null]),
  };
}

function expected(partition: number, fromOffset = 0) {
  return sent
    .filter((s) => s.partition === partition && s.offset >= fromOffset)
    .map((s) => ({ offset: s.offset, key: s.key, value: s.value, timestamp: s.timestamp, headers: s.headers }));
}

/** Reads from `start` until `end` (exclusive) per partition, checking every step. */
async function readAll(
  c: KafkaClient,
  t: string,
  start: Map<number, number>,
  end: Map<number, number>,
  opts: { partitionMaxBytes?: number; maxBytes?: number } = {},
): Promise<{ records: Map<number, KafkaRecord[]>; fetches: number }> {
  const pos = new Map(start);
  const records = new Map<number, KafkaRecord[]>([...start.keys()].map((p) => [p, []]));
  let fetches = 0;
  for (;;) {
    const active = new Map([...pos].filter(([p, o]) => o < end.get(p)!));
    if (active.size === 0) return { records, fetches };
    if (++fetches > 10_000) throw new Error('no progress');
    const res: FetchedPartition[] = await c.fetch(t, active, { maxWaitMs: 200, ...opts });
    expect(res.map((r) => r.partition)).toEqual([...active.keys()]);
    for (const r of res) {
      expect(r.error).toBeUndefined();
      expect(r.errorCode).toBe(0);
      expect(r.records.every((x) => x.offset >= active.get(r.partition)!)).toBe(true);
      records.get(r.partition)!.push(...r.records);
      pos.set(r.partition, r.nextOffset);
    }
  }
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  groupsBefore = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // three sends: several batches per partition, so reads start in the middle of batches
  for (let b = 0; b < 3; b++) {
    await producer.send({
      topic,
      messages: sent.slice(b * 30, b * 30 + 30).map((s) => ({
        partition: s.partition,
        key: s.key,
        value: s.value,
        timestamp: String(s.timestamp),
        headers: { 'x-seq': String(s.i), 'x-multi': ['first', 'second'] },
      })),
    });
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await producer?.disconnect();
  await admin?.disconnect();
});

describe('KafkaClient (own read client) against a real Kafka 4.x broker', () => {
  it('connects and describes the topic: 3 partitions with their leader', async () => {
    const c = client();
    await c.connect();
    const info = await c.topic(topic);
    const cluster = await admin.describeCluster();
    expect(info).toEqual({
      name: topic,
      partitions: [0, 1, 2].map((partition) => ({ partition, leader: cluster.brokers[0]!.nodeId })),
    });
    const names = await c.listTopics();
    expect(names).toContain(topic);
    expect(names).not.toContain('__consumer_offsets');
  });

  it('unknown topic: UNKNOWN_TOPIC naming topic and broker, and the topic is not auto-created', async () => {
    const c = client();
    const ghost = `dpx-it-ghost-${randomUUID().slice(0, 8)}`;
    const err = (await c.topic(ghost).catch((e: unknown) => e)) as KafkaError;
    expect(err).toBeInstanceOf(KafkaError);
    expect(err).toMatchObject({ code: 'UNKNOWN_TOPIC', retriable: false, broker: bootstrap, topic: ghost });
    expect(err.message).toBe(`topic '${ghost}' does not exist on the Kafka cluster at ${bootstrap}`);
    await expect(c.fetch(ghost, new Map([[0, 0]]))).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    await expect(c.offsets(ghost, [0], 'latest')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    expect(await admin.listTopics()).not.toContain(ghost);
  });

  it('offsets: earliest, latest, and by timestamp (exact, between, before all, after all)', async () => {
    const c = client();
    const all = [0, 1, 2];
    expect([...(await c.offsets(topic, all, 'earliest'))]).toEqual([[0, 0], [1, 0], [2, 0]]);
    expect([...(await c.offsets(topic, all, 'latest'))]).toEqual([[0, 30], [1, 30], [2, 30]]);
    // partition p holds record i = p + 3k at offset k, timestamp T0 + i s
    const firstAtOrAfter = (p: number, t: number): number => {
      const hit = sent.find((s) => s.partition === p && s.timestamp >= t);
      return hit ? hit.offset : PER_PARTITION;
    };
    for (const [what, t] of [
      ['exact (record 16)', T0 + 16_000],
      ['between records 16 and 17', T0 + 16_500],
      ['before all', T0 - 3_600_000],
      ['after all', T0 + COUNT * 1000 + 60_000],
      ['the last record', T0 + (COUNT - 1) * 1000],
    ] as const) {
      const got = await c.offsets(topic, all, t);
      expect([...got], what).toEqual(all.map((p) => [p, firstAtOrAfter(p, t)]));
    }
    // spot checks of the arithmetic above
    expect([...(await c.offsets(topic, all, T0 + 16_000))]).toEqual([[0, 6], [1, 5], [2, 5]]);
    expect([...(await c.offsets(topic, all, T0 + 16_500))]).toEqual([[0, 6], [1, 6], [2, 5]]);
    await expect(c.offsets(topic, [7], 'latest')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC', partition: 7 });
  });

  it('fetches from arbitrary offsets across 3 partitions: keys, values, headers (repeated keys), timestamps, no gap, no duplicate', async () => {
    const c = client();
    const start = new Map([[0, 7], [1, 0], [2, 29]]);
    const end = await c.offsets(topic, [0, 1, 2], 'latest');
    const { records } = await readAll(c, topic, start, end);
    for (const [p, from] of start) expect(records.get(p)!.map(view), `partition ${p}`).toEqual(expected(p, from));
    // the first fetch from the middle of a batch drops the records before the asked offset
    const [r] = await c.fetch(topic, new Map([[0, 13]]), { maxWaitMs: 0 });
    expect(r!.records[0]!.offset).toBe(13);
    expect(r!.highWatermark).toBe(30);
    expect(r!.logStartOffset).toBe(0);
    // at the end: nothing, nextOffset stays, after maxWaitMs
    const t0 = Date.now();
    const [idle] = await c.fetch(topic, new Map([[1, 30]]), { maxWaitMs: 300 });
    expect(idle).toMatchObject({ partition: 1, errorCode: 0, records: [], nextOffset: 30, highWatermark: 30 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('small fetches (partitionMaxBytes 1 KiB): many round trips, same records', async () => {
    const c = client();
    const end = await c.offsets(topic, [0, 1, 2], 'latest');
    const { records, fetches } = await readAll(c, topic, new Map([[0, 0], [1, 0], [2, 0]]), end, { partitionMaxBytes: 1024 });
    expect(fetches).toBeGreaterThan(3);
    for (const p of [0, 1, 2]) expect(records.get(p)!.map(view)).toEqual(expected(p));
  });

  const versionCaps: Array<[string, KafkaClientOptions['maxVersions']]> = [
    ['oldest: Fetch v4, Metadata v4, ListOffsets v4', { fetch: 4, metadata: 4, listOffsets: 4 }],
    ['last non-flexible: Fetch v11, Metadata v8, ListOffsets v5', { fetch: 11, metadata: 8, listOffsets: 5 }],
    ['first flexible: Fetch v12, Metadata v9, ListOffsets v6', { fetch: 12, metadata: 9, listOffsets: 6 }],
    ['topic ids: Fetch v13, Metadata v10', { fetch: 13, metadata: 10 }],
    ['newest this client knows (Fetch v17, Metadata v12, ListOffsets v10)', undefined],
  ];
  for (const [name, maxVersions] of versionCaps) {
    it(`protocol versions ${name}: same offsets and records`, async () => {
      const c = client(maxVersions ? { maxVersions } : {});
      const end = await c.offsets(topic, [0, 1, 2], 'latest');
      expect([...end]).toEqual([[0, 30], [1, 30], [2, 30]]);
      expect([...(await c.offsets(topic, [0, 1, 2], T0 + 16_500))]).toEqual([[0, 6], [1, 6], [2, 5]]);
      const { records } = await readAll(c, topic, new Map([[0, 3], [1, 0], [2, 0]]), end);
      expect(records.get(0)!.map(view)).toEqual(expected(0, 3));
      expect(records.get(2)!.map(view)).toEqual(expected(2));
    });
  }

  it('a batch larger than partitionMaxBytes still comes through (KIP-74), then reading goes on', async () => {
    const t = `dpx-it-big-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
    const big = 'B'.repeat(600_000);
    await producer.send({ topic: t, messages: [{ value: 'small-0' }] });
    await producer.send({ topic: t, messages: [{ value: big }] });
    await producer.send({ topic: t, messages: [{ value: 'small-2' }] });
    const c = client();
    const { records } = await readAll(c, t, new Map([[0, 0]]), new Map([[0, 3]]), { partitionMaxBytes: 10_000, maxBytes: 10_000 });
    expect(records.get(0)!.map((r) => [r.offset, r.value!.length])).toEqual([
      [0, 7],
      [1, 600_000],
      [2, 7],
    ]);
    await admin.deleteTopics({ topics: [t] });
  });

  it('transactions: read_committed (default) skips aborted records and markers; read_uncommitted shows them', async () => {
    const t = `dpx-it-tx-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
    const tx = kafka.producer({ transactionalId: `dpx-it-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    try {
      await tx.send({ topic: t, messages: [{ value: 'plain-0' }] });
      const a = await tx.transaction();
      await a.send({ topic: t, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await a.abort();
      const b = await tx.transaction();
      await b.send({ topic: t, messages: [{ value: 'committed' }] });
      await b.commit();
    } finally {
      await tx.disconnect();
    }
    const committed = client();
    const end = await committed.offsets(t, [0], 'latest');
    const read = await readAll(committed, t, new Map([[0, 0]]), end);
    expect(read.records.get(0)!.map((r) => `${r.offset}:${r.value}`)).toEqual(['0:plain-0', '4:committed']);
    const uncommitted = client({ isolationLevel: 'read_uncommitted' });
    const all = await readAll(uncommitted, t, new Map([[0, 0]]), end);
    expect(all.records.get(0)!.map((r) => `${r.offset}:${r.value}`)).toEqual(['0:plain-0', '1:aborted-1', '2:aborted-2', '4:committed']);
    // the commit marker is the last offset: a fetch from it returns nothing but moves past it
    const [m] = await committed.fetch(t, new Map([[0, end.get(0)! - 1]]), { maxWaitMs: 0 });
    expect(m).toMatchObject({ records: [], nextOffset: end.get(0) });
    await admin.deleteTopics({ topics: [t] });
  });

  it('never creates a consumer group', async () => {
    // every client above read, looked up offsets and metadata; none of that touches groups
    const groupsAfter = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    expect(groupsAfter).toEqual(groupsBefore);
    expect(groupsAfter.some((g) => g.startsWith('dpx-it'))).toBe(false);
  });
});
