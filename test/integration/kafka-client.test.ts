/**
 * kafkajs 2.2.4 against the real Kafka 4.x broker of test/infra (KIP-896 removed old protocol
 * versions in Kafka 4.0, kafkajs is unmaintained since 2023: this is the proof it still works).
 *
 * Needs the services: `npx tsx test/infra/infra.ts up` (add --secure for the SCRAM/TLS part).
 * Run: npx vitest run test/integration/kafka-client.test.ts
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Kafka, CompressionTypes, Partitioners, logLevel } from 'kafkajs';
import type { Admin, IHeaders, KafkaConfig, LogEntry, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInfraEnv } from '../infra/env';
import type { KafkaEnv } from '../infra/env';

const infra = readInfraEnv();
if (!infra.kafka) throw new Error('.infra/env.json has no kafka section: run `npx tsx test/infra/infra.ts up`');
const kenv: KafkaEnv = infra.kafka;

const PARTITIONS = 3;
const COUNT = 30;
const KEYS = 6;
// All timestamps in the past: Kafka 4 rejects records more than 1 h in the future
// (log.message.timestamp.after.max.ms); second-aligned so the arithmetic below is exact.
const T0 = Math.floor((Date.now() - 60 * 60_000) / 1000) * 1000;
const STEP = 1_000;

/** kafkajs' own log lines, kept for the evidence printout instead of going to the console. */
const kafkajsLog: { level: string; message: string; error?: string }[] = [];
const logCreator = () => (entry: LogEntry) => {
  const { message, error } = entry.log as { message: string; error?: string };
  const level = ({ 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' } as Record<number, string>)[entry.level] ?? String(entry.level);
  kafkajsLog.push({ level, message, ...(error ? { error } : {}) });
};

function client(cfg: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    brokers: [kenv.bootstrap],
    clientId: 'dpx-integration',
    logLevel: logLevel.WARN,
    logCreator,
    ...cfg,
  });
}

interface Sent {
  i: number;
  key: string;
  value: string;
  timestamp: number;
  headers: Record<string, string | string[]>;
}
interface Got {
  partition: number;
  offset: number;
  key: string;
  value: string;
  timestamp: number;
  headers: Record<string, string | string[]>;
}

function headersToStrings(h: IHeaders | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
  }
  return out;
}

const topic = `dpx-it-kafkajs-${randomUUID().slice(0, 8)}`;
const sent: Sent[] = Array.from({ length: COUNT }, (_, i) => ({
  i,
  key: `key-${i % KEYS}`,
  value: JSON.stringify({ i, note: 'ünïcødé ✓' }),
  timestamp: T0 + i * STEP,
  headers: { 'x-seq': String(i), 'x-source': 'dpx-test', 'x-multi': ['first', 'second'] },
}));

// ------------------------------------------------------------------ kafkajs internals
// kafkajs has no public group-less consumer; its Broker class (what the consumer uses inside) can
// fetch any partition at any offset. Reached through the client's private cluster factory.
interface InternalBroker {
  versions: Record<string, { minVersion: number; maxVersion: number }>;
  fetch(req: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{
    responses: {
      topicName: string;
      partitions: {
        partition: number;
        errorCode: number;
        highWatermark: string;
        messages: { offset: string; key: Buffer | null; value: Buffer | null; timestamp: string; headers?: IHeaders }[];
      }[];
    }[];
  }>;
}
interface InternalCluster {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<InternalBroker>;
}

function internalCluster(kafka: Kafka): InternalCluster {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!sym) throw new Error('kafkajs internals changed: no private:Kafka:createCluster');
  const create = (kafka as unknown as Record<symbol, (o: object) => InternalCluster>)[sym]!;
  return create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, isolationLevel: 1 });
}

/** Group-less read: Fetch requests straight to the partition leader, from `fromOffset`. */
async function lowLevelRead(cluster: InternalCluster, partition: number, fromOffset: number): Promise<Got[]> {
  const leaders = cluster.findLeaderForPartitions(topic, [partition]);
  const nodeId = Object.keys(leaders)[0];
  if (nodeId === undefined) throw new Error(`no leader for ${topic}/${partition}`);
  const broker = await cluster.findBroker({ nodeId });
  const out: Got[] = [];
  let next = fromOffset;
  for (let round = 0; round < 50; round++) {
    const res = await broker.fetch({
      replicaId: -1,
      isolationLevel: 1,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(next), maxBytes: 1 << 20 }] }],
    });
    const p = res.responses[0]?.partitions[0];
    if (!p) throw new Error('empty fetch response');
    if (p.errorCode !== 0) throw new Error(`fetch error code ${p.errorCode}`);
    // A fetch returns whole record batches: drop records before the asked offset.
    for (const m of p.messages) {
      const offset = Number(m.offset);
      if (offset < next) continue;
      out.push({
        partition,
        offset,
        key: m.key?.toString() ?? '',
        value: m.value?.toString() ?? '',
        timestamp: Number(m.timestamp),
        headers: headersToStrings(m.headers),
      });
    }
    const last = out[out.length - 1];
    if (last) next = last.offset + 1;
    if (next >= Number(p.highWatermark)) break;
  }
  return out;
}

// ------------------------------------------------------------------ the test

describe('kafkajs 2.2.4 against a real Kafka 4.x broker', { timeout: 60_000 }, () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let cluster: InternalCluster;
  const groupsToDelete: string[] = [];
  /** Every record, read back group-less, by its sequence number. */
  const bySeq = new Map<number, Got>();

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner, // Java-compatible murmur2
    });
    await producer.connect();
    cluster = internalCluster(kafka);
    await cluster.connect();
  }, 60_000);

  afterAll(async () => {
    if (groupsToDelete.length) await admin?.deleteGroups(groupsToDelete).catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect(), cluster?.disconnect()]);
    console.info(
      `[evidence] kafkajs logged ${kafkajsLog.length} warnings/errors` +
        (kafkajsLog.length ? `:\n${kafkajsLog.map((e) => `  ${e.level} ${e.message} ${e.error ?? ''}`).join('\n')}` : ''),
    );
  }, 60_000);

  it('negotiates a protocol version inside the broker range for every API it implements', async () => {
    const c = internalCluster(kafka);
    await c.connect();
    await c.refreshMetadata();
    const broker = await c.findBroker({ nodeId: '1' });
    const require = createRequire(import.meta.url);
    const { requests } = require('kafkajs/src/protocol/requests') as {
      requests: Record<string, { versions: string[] }>;
    };
    const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
    const rows: string[] = [];
    const outOfRange: string[] = [];
    for (const [name, def] of Object.entries(requests)) {
      const key = apiKeys[name];
      if (key === undefined || def.versions.length === 0) continue;
      const best = Math.max(...def.versions.map(Number));
      const range = broker.versions[key];
      if (!range) {
        rows.push(`${name}(${key}): kafkajs ≤v${best}, broker: not offered`);
        continue;
      }
      const chosen = Math.min(best, range.maxVersion);
      const ok = chosen >= range.minVersion;
      rows.push(`${name}(${key}): kafkajs ≤v${best}, broker v${range.minVersion}-v${range.maxVersion} → v${chosen}${ok ? '' : '  ✗'}`);
      if (!ok) outOfRange.push(name);
    }
    await c.disconnect();
    console.info(`[evidence] Kafka ${kenv.version} API versions as kafkajs picks them:\n  ${rows.join('\n  ')}`);
    // Controller/inter-broker APIs kafkajs lists but never sends are not offered on a client listener.
    expect(outOfRange).toEqual([]);
  });

  it('creates a topic with 3 partitions', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })).toBe(true);
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(md.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    await cluster.addTargetTopic(topic); // metadata for the low-level reads below
  });

  it('produces records with keys, headers and explicit timestamps (plain and gzip batches)', async () => {
    const toMsg = (s: Sent) => ({ key: s.key, value: s.value, headers: s.headers, timestamp: String(s.timestamp) });
    const first = await producer.send({ topic, acks: -1, messages: sent.slice(0, 20).map(toMsg) });
    const second = await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: sent.slice(20).map(toMsg),
    });
    for (const r of [...first, ...second]) expect(r.errorCode).toBe(0);
  });

  it('lists earliest/latest offsets with admin.fetchTopicOffsets', async () => {
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets).toHaveLength(PARTITIONS);
    let total = 0;
    for (const o of offsets) {
      expect(o.low).toBe('0');
      expect(o.offset).toBe(o.high);
      total += Number(o.high) - Number(o.low);
    }
    expect(total).toBe(COUNT);
  });

  it('reads every partition WITHOUT a consumer group (low-level Fetch) and gets keys, headers, timestamps back', async () => {
    const groupsBefore = (await admin.listGroups()).groups.map((g) => g.groupId);
    const offsets = await admin.fetchTopicOffsets(topic);
    const partitionOfKey = new Map<string, number>();
    for (const o of offsets) {
      const got = await lowLevelRead(cluster, o.partition, 0);
      expect(got).toHaveLength(Number(o.high));
      got.forEach((g, idx) => expect(g.offset).toBe(idx));
      for (const g of got) {
        const seq = Number(g.headers['x-seq']);
        bySeq.set(seq, g);
        // the default partitioner keeps a key on one partition
        expect(partitionOfKey.get(g.key) ?? g.partition).toBe(g.partition);
        partitionOfKey.set(g.key, g.partition);
      }
    }
    expect(bySeq.size).toBe(COUNT);
    for (const s of sent) {
      const g = bySeq.get(s.i)!;
      expect(g.key).toBe(s.key);
      expect(g.value).toBe(s.value);
      expect(g.timestamp).toBe(s.timestamp);
      expect(g.headers).toEqual(s.headers); // incl. the repeated header key, as an array
    }
    // Seek: read one partition from the middle.
    const p = offsets.find((o) => Number(o.high) >= 3)!;
    const mid = Math.floor(Number(p.high) / 2);
    const tail = await lowLevelRead(cluster, p.partition, mid);
    expect(tail.map((g) => g.offset)).toEqual(
      Array.from({ length: Number(p.high) - mid }, (_, k) => mid + k),
    );
    // …and no consumer group was created by any of this.
    const groupsAfter = (await admin.listGroups()).groups.map((g) => g.groupId);
    expect(groupsAfter.filter((g) => !groupsBefore.includes(g))).toEqual([]);
  });

  it('finds offsets by timestamp with admin.fetchTopicOffsetsByTimestamp', async () => {
    const at = T0 + 15 * STEP + 500; // between records 15 and 16
    const byTs = await admin.fetchTopicOffsetsByTimestamp(topic, at);
    const high = await admin.fetchTopicOffsets(topic);
    expect(byTs).toHaveLength(PARTITIONS);
    for (const o of byTs) {
      const inPartition = [...bySeq.values()].filter((g) => g.partition === o.partition).sort((a, b) => a.offset - b.offset);
      const firstAtOrAfter = inPartition.find((g) => g.timestamp >= at);
      const expected = firstAtOrAfter ? firstAtOrAfter.offset : Number(high.find((h) => h.partition === o.partition)!.high);
      expect(Number(o.offset)).toBe(expected);
    }
    // Exact hit, before everything, after everything.
    const exact = await admin.fetchTopicOffsetsByTimestamp(topic, T0 + 7 * STEP);
    const r7 = bySeq.get(7)!;
    expect(Number(exact.find((o) => o.partition === r7.partition)!.offset)).toBe(r7.offset);
    const before = await admin.fetchTopicOffsetsByTimestamp(topic, T0 - 60_000);
    for (const o of before) expect(o.offset).toBe('0');
    const after = await admin.fetchTopicOffsetsByTimestamp(topic, T0 + COUNT * STEP + 60_000);
    for (const o of after) expect(o.offset).toBe(high.find((h) => h.partition === o.partition)!.high);

    // Group-less read from the timestamp's offsets gives exactly the records at/after it.
    const fromTs: Got[] = [];
    for (const o of byTs) fromTs.push(...(await lowLevelRead(cluster, o.partition, Number(o.offset))));
    expect(fromTs.map((g) => Number(g.headers['x-seq'])).sort((a, b) => a - b)).toEqual(
      sent.filter((s) => s.timestamp >= at).map((s) => s.i),
    );
  });

  it('the public consumer API always joins a group: subscribe + seek to timestamp offsets works, and a group appears', async () => {
    const groupId = `dpx-it-group-${randomUUID().slice(0, 8)}`;
    groupsToDelete.push(groupId);
    const at = T0 + 20 * STEP;
    const byTs = await admin.fetchTopicOffsetsByTimestamp(topic, at);
    const want = sent.filter((s) => s.timestamp >= at).map((s) => s.i);
    // On a fresh broker the group coordinator may still be loading: let kafkajs restart the
    // consumer instead of failing the test on that transient state.
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200, retry: { retries: 10, restartOnFailure: async () => true } });
    const got: number[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const done = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, (e) => {
          if (!e.payload.restart) reject(e.payload.error);
        });
        // Seek once the group is joined (again, after a restart): kafkajs forgets seeks on restart.
        consumer.on(consumer.events.GROUP_JOIN, () => {
          got.length = 0;
          for (const o of byTs) consumer.seek({ topic, partition: o.partition, offset: o.offset });
        });
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const seq = Number(message.headers?.['x-seq']?.toString());
            expect(message.timestamp).toBe(String(T0 + seq * STEP));
            expect(partition).toBe(bySeq.get(seq)?.partition);
            got.push(seq);
            if (got.length >= want.length) resolve();
          },
        });
      });
      await done;
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups).toContain(groupId);
    } finally {
      await consumer.disconnect();
    }
    expect(got.sort((a, b) => a - b)).toEqual(want);
  });
});

// ------------------------------------------------------------------ SASL_SSL (only with `up --secure`)

describe.skipIf(!kenv.secure)('kafkajs over SASL_SSL (TLS + SCRAM) on the real broker', { timeout: 60_000 }, () => {
  const s = kenv.secure!;
  const ca = s ? readFileSync(s.caFile, 'utf8') : '';

  for (const mechanism of ['scram-sha-256', 'scram-sha-512'] as const) {
    it(`${mechanism}: authenticates, produces and reads back`, async () => {
      const sasl =
        mechanism === 'scram-sha-256'
          ? { mechanism, username: s.username, password: s.password }
          : { mechanism, username: s.username, password: s.password };
      const kafka = client({ brokers: [s.bootstrap], ssl: { ca: [ca] }, sasl });
      const admin = kafka.admin();
      const producer = kafka.producer();
      const t = `dpx-it-secure-${mechanism}-${randomUUID().slice(0, 6)}`;
      await admin.connect();
      try {
        const cl = await admin.describeCluster();
        expect(cl.brokers[0]?.port).toBe(Number(s.bootstrap.split(':')[1]));
        await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
        await producer.connect();
        await producer.send({ topic: t, messages: [{ key: 'k', value: 'over tls', headers: { h: 'v' } }] });
        const offsets = await admin.fetchTopicOffsets(t);
        expect(offsets[0]?.high).toBe('1');
        const cluster = internalCluster(kafka);
        await cluster.connect();
        await cluster.addTargetTopic(t);
        const broker = await cluster.findBroker({ nodeId: '1' });
        const res = await broker.fetch({
          replicaId: -1,
          isolationLevel: 1,
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: 1 << 20,
          topics: [{ topic: t, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }],
        });
        const m = res.responses[0]?.partitions[0]?.messages[0];
        expect(m?.value?.toString()).toBe('over tls');
        expect(m?.headers?.['h']?.toString()).toBe('v');
        await cluster.disconnect();
        await admin.deleteTopics({ topics: [t] });
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    });
  }

  it('rejects a wrong SCRAM password', async () => {
    const kafka = client({
      brokers: [s.bootstrap],
      ssl: { ca: [ca] },
      sasl: { mechanism: 'scram-sha-512', username: s.username, password: 'wrong-password' },
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow(/invalid credentials/i);
    await admin.disconnect();
  });

  it('rejects TLS when the test CA is not trusted', async () => {
    const kafka = client({
      brokers: [s.bootstrap],
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: s.username, password: s.password },
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow(/certificate/i);
    await admin.disconnect();
  });
});
