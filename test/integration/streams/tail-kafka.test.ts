// The stream service over the real Kafka 4 broker: a product's stream port mapped to the broker
// by the workspace, tailed from every kind of start position, decoded, checked against the
// contract, filtered, captured and replayed; a raw topic; a broker restart mid-tail; bad
// connections. Reads never create a consumer group.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage, TailEvent, TailRequest } from '../../../shared/model/stream';
import { openServices, type Services } from '../../../electron/services/services';
import { demoFixture, type Fixture } from '../../helpers/workspace-fixture';
import { readInfraEnv } from '../../infra/env';
import { infra, produce } from '../../helpers/kafka';
import { orderMessages as messages, T0 } from '../../helpers/orders';

const env = readInfraEnv().kafka!;
const BIN = join(import.meta.dirname, '../../../bin/dpx.js');
const restartAllowed = process.env['DPX_INFRA'] !== 'external' || process.env['DPX_ALLOW_BROKER_RESTART'] === '1';
const PER_PARTITION = 100;

const produceTo = (topic: string, msgs: Message[], create: boolean) => produce(env.bootstrap, topic, msgs, { create, clientId: 'dpx-it-tail' });

async function groups(): Promise<string[]> {
  const admin = new Kafka({ brokers: [env.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((g) => g.groupId);
  } finally {
    await admin.disconnect();
  }
}

describe('tail over the real broker', () => {
  const topic = `dpx-it-orders-${randomUUID().slice(0, 8)}`;
  let fixture: Fixture;
  let services: Services;
  let data: string;

  async function tail(req: Partial<TailRequest>, signal = new AbortController().signal, capture?: string) {
    const events: TailEvent[] = [];
    const result = await services.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'earliest' }, toEnd: true, ...req } as TailRequest, (e) => events.push(e), signal, capture);
    return { result, events, messages: events.flatMap((e) => (e.kind === 'messages' ? e.messages : [])) };
  }

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'dpx-it-tail-'));
    fixture = await demoFixture();
    // The demo's sales.orders contract, its stream server mapped to the real broker and topic.
    await fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap: env.bootstrap })));
    await fixture.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'customProperties'], d.createNode([{ property: 'topic', value: topic }])));
    await produceTo(topic, messages(0, 3 * PER_PARTITION), true);
    services = await openServices({ workspace: fixture.dir, cacheDir: join(data, 'cache') });
  });
  afterAll(async () => {
    await services?.close();
    await fixture?.dispose();
    await rm(data, { recursive: true, force: true });
  });

  it('reads everything from earliest in per-partition offset order, checked against the contract, without a consumer group', async () => {
    const before = await groups();
    const { result, messages: got, events } = await tail({});
    expect(result.stats).toMatchObject({ scanned: 300, matched: 300, checked: 300, passed: 297 });
    for (const p of [0, 1, 2]) expect(got.filter((m) => m.partition === p).map((m) => m.offset)).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => i));
    expect(events[0]).toMatchObject({ kind: 'started', source: `kafka://${env.bootstrap}/${topic}`, validating: true, promise: 0.9999 });
    const bad = got.filter((m) => m.valid === false).map((m) => [m.key, m.errors[0]]);
    expect(bad).toEqual(
      expect.arrayContaining([
        ['O-00000007', 'amount: -1 must be > 0'],
        ['O-00000042', 'store_id: "S99" is not one of S01, S02, S03, S04, S05, S06, S07, S08, WEB (invalidValues)'],
        ['O-00000100', 'value: not JSON: the bytes are not valid UTF-8'],
      ]),
    );
    expect(got.find((m) => m.key === 'O-00000005')!.headers).toEqual([{ key: 'source', value: 'web' }]);
    expect(got.find((m) => m.key === 'O-00000005')!.timestamp).toBe(T0 + 5 * 60_000);
    expect(await groups()).toEqual(before);
  });

  it('starts at an offset, offsets per partition, the last N, a time; on chosen partitions', async () => {
    expect((await tail({ from: { kind: 'offset', offset: 95 } })).messages).toHaveLength(15);
    const per = await tail({ from: { kind: 'offsets', offsets: { '0': 98, '2': 99 } } });
    expect(per.messages.map((m) => `${m.partition}@${m.offset}`).sort()).toEqual(['0@98', '0@99', '2@99']);
    expect((await tail({ from: { kind: 'last', n: 4 }, partitions: [1] })).messages.map((m) => m.offset)).toEqual([96, 97, 98, 99]);
    const at = T0 + 250 * 60_000;
    const recent = await tail({ from: { kind: 'timestamp', at } });
    expect(recent.messages.map((m) => m.key).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `O-${String(250 + i).padStart(8, '0')}`));
    const limited = await tail({ limit: 10 });
    expect(limited.messages).toHaveLength(10);
  });

  it('filters with the same SQL WHERE language as snapshots', async () => {
    const r = await tail({ filter: "value.store_id = 'WEB' AND value.amount >= 90 AND headers.source = 'web'" });
    expect(r.messages.length).toBeGreaterThan(0);
    expect(r.messages.every((m: StreamMessage) => (m.value as { store_id: string }).store_id === 'WEB' && (m.value as { amount: number }).amount >= 90)).toBe(true);
    expect((await tail({ filter: "key = 'O-00000042'" })).messages.map((m) => m.offset)).toEqual([14]);
  });

  it('follows the live stream: a tail from latest sees exactly what is produced after it started', async () => {
    const controller = new AbortController();
    const events: TailEvent[] = [];
    const running = services.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'latest' }, toEnd: false }, (e) => events.push(e), controller.signal);
    await expect.poll(() => events.some((e) => e.kind === 'started'), { timeout: 10_000 }).toBe(true);
    await produceTo(topic, messages(300, 306), false);
    const got = () => events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
    await expect.poll(() => got().length, { timeout: 15_000 }).toBe(6);
    controller.abort();
    await running;
    expect(got().map((m) => m.key).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `O-${String(300 + i).padStart(8, '0')}`));
  });

  it('records a capture while tailing and replays it with no broker, identically', async () => {
    const file = join(await services.streams.captureTarget('it-orders.parquet'));
    const live = await tail({}, undefined, file);
    const replay = await services.streams.tail({ target: { capture: 'it-orders.parquet' }, from: { kind: 'earliest' }, toEnd: true }, () => undefined, new AbortController().signal);
    expect(replay.stats).toEqual({ ...live.result.stats, rate: replay.stats.rate });
    const events: TailEvent[] = [];
    await services.streams.tail({ target: { capture: 'it-orders.parquet' }, from: { kind: 'earliest' }, toEnd: true }, (e) => events.push(e), new AbortController().signal);
    const replayed = events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
    const key = (m: StreamMessage) => `${m.partition}@${m.offset}`;
    expect(replayed.map((m) => ({ ...m })).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(live.messages.map((m) => ({ ...m })).sort((a, b) => key(a).localeCompare(key(b))));
    expect((await services.streams.listCaptures()).find((c) => c.file === 'it-orders.parquet')).toMatchObject({ topic, messages: live.result.stats.scanned });
  });

  it('reads a raw topic outside any product: JSON when it parses, else text, else hex', async () => {
    const raw = `dpx-it-raw-${randomUUID().slice(0, 8)}`;
    await produceTo(raw, [{ partition: 0, value: '{"a":1}' }, { partition: 0, value: 'plain text' }, { partition: 0, value: Buffer.from([0, 1, 2, 255]) }, { partition: 0, value: null }], true);
    const events: TailEvent[] = [];
    await services.streams.tail({ target: { topic: raw, bootstrap: env.bootstrap }, from: { kind: 'earliest' }, toEnd: true }, (e) => events.push(e), new AbortController().signal);
    const got = events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
    expect(got.map((m) => [m.valueEncoding, m.value])).toEqual([
      ['json', { a: 1 }],
      ['string', 'plain text'],
      ['hex', '000102ff'],
      ['null', null],
    ]);
    expect(got.every((m) => m.valid === undefined)).toBe(true);
  });

  it('ends a tail to the end of a transactional topic, whose last offsets are markers and aborted records', async () => {
    const tx = `dpx-it-tx-${randomUUID().slice(0, 8)}`;
    const kafka = new Kafka({ brokers: [env.bootstrap], clientId: 'dpx-it-tail-tx', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ transactionalId: `dpx-it-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: tx, numPartitions: 2 }], waitForLeaders: true });
      // Partition 0 ends in a commit marker, partition 1 in an aborted transaction and its marker.
      const committed = await producer.transaction();
      await committed.send({ topic: tx, messages: [{ partition: 0, value: '{"n":1}' }, { partition: 1, value: '{"n":2}' }] });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic: tx, messages: [{ partition: 1, value: '{"n":3}' }] });
      await aborted.abort();
      const events: TailEvent[] = [];
      const r = await services.streams.tail({ target: { topic: tx, bootstrap: env.bootstrap }, from: { kind: 'earliest' }, toEnd: true }, (e) => events.push(e), new AbortController().signal);
      expect(r.stats.scanned).toBe(2);
      expect(events.flatMap((e) => (e.kind === 'messages' ? e.messages : [])).map((m) => m.value)).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
      // The CLI's own engine (chunks, processed off the read loop) ends the same way.
      const cli = spawnSync(process.execPath, [BIN, 'tail', '--topic', tx, '--bootstrap', env.bootstrap, '--from', 'earliest', '--to-end', '--json'], { encoding: 'utf8', timeout: 30_000 });
      expect(cli.status, cli.stderr).toBe(0);
      const values = cli.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { value: { n: number } }).value.n);
      expect(values.sort()).toEqual([1, 2]);
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [tx] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('names the broker when it cannot be reached, within seconds', async () => {
    const started = Date.now();
    await expect(services.streams.tail({ target: { topic: 'x', bootstrap: '127.0.0.1:1' }, from: { kind: 'earliest' }, toEnd: true }, () => undefined, new AbortController().signal)).rejects.toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    expect(Date.now() - started).toBeLessThan(15_000); // a bound against hanging, not a speed figure
  });

  it('names a missing topic', async () => {
    await expect(services.streams.info({ topic: 'dpx-it-no-such-topic', bootstrap: env.bootstrap })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('dpx-it-no-such-topic') });
  });

  it.skipIf(!restartAllowed)('resumes by itself after a broker restart, with no gap and no duplicate', { timeout: 240_000 }, async () => {
    const controller = new AbortController();
    const events: TailEvent[] = [];
    const running = services.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'latest' }, toEnd: false }, (e) => events.push(e), controller.signal);
    const got = () => events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
    await expect.poll(() => events.some((e) => e.kind === 'started'), { timeout: 10_000 }).toBe(true);
    await produceTo(topic, messages(1000, 1030), false);
    await expect.poll(() => got().length, { timeout: 15_000 }).toBe(30);
    infra('down', '--only', 'kafka');
    await expect.poll(() => events.some((e) => e.kind === 'status' && e.state === 'reconnecting'), { timeout: 30_000 }).toBe(true);
    infra('up', '--only', 'kafka', ...(env.secure ? ['--secure'] : []));
    await produceTo(topic, messages(1030, 1060), false);
    await expect.poll(() => got().length, { timeout: 60_000 }).toBe(60);
    controller.abort();
    await running;
    const keys = got().map((m) => m.key);
    expect(new Set(keys).size).toBe(60);
    expect(keys.sort()).toEqual(Array.from({ length: 60 }, (_, i) => `O-${String(1000 + i).padStart(8, '0')}`));
  });
});

describe('secure connections (SASL SCRAM over TLS, mutual TLS)', () => {
  const secure = env.secure;
  it.skipIf(!secure)('tails through the SASL_SSL listener with the password named in the workspace, and names the broker when it is wrong', async () => {
    const fixture = await demoFixture();
    const topic = `dpx-it-secure-${randomUUID().slice(0, 8)}`;
    await produceTo(topic, messages(0, 6), true);
    try {
      for (const mechanism of secure!.mechanisms) {
        await fixture.edit('dpx.workspace.yaml', (d) =>
          d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap: secure!.bootstrap, tls: { ca: secure!.caFile }, sasl: { mechanism, username: secure!.username, passwordRef: 'env:DPX_IT_KAFKA_PASSWORD' } })),
        );
        await fixture.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'customProperties'], d.createNode([{ property: 'topic', value: topic }])));
        process.env.DPX_IT_KAFKA_PASSWORD = secure!.password;
        const s = await openServices({ workspace: fixture.dir });
        try {
          const r = await s.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'earliest' }, toEnd: true }, () => undefined, new AbortController().signal);
          expect(r.stats.scanned, mechanism).toBe(6);
          process.env.DPX_IT_KAFKA_PASSWORD = 'wrong-password';
          const failure = s.streams.info({ product: 'sales.orders' });
          await expect(failure).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining(secure!.bootstrap) });
          await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('wrong-password') });
        } finally {
          await s.close();
        }
      }
    } finally {
      delete process.env.DPX_IT_KAFKA_PASSWORD;
      await fixture.dispose();
    }
  });

  it.skipIf(!secure)('tails through the mutual-TLS listener with a client certificate, and names the broker and the setting without one', async () => {
    const fixture = await demoFixture();
    const topic = `dpx-it-mtls-${randomUUID().slice(0, 8)}`;
    await produceTo(topic, messages(0, 6), true);
    const { mtls, caFile } = secure!;
    const connect = (tls: Record<string, string>) =>
      fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap: mtls.bootstrap, tls })));
    try {
      await fixture.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'customProperties'], d.createNode([{ property: 'topic', value: topic }])));
      await connect({ ca: caFile, cert: mtls.certFile, key: mtls.keyFile });
      let s = await openServices({ workspace: fixture.dir });
      try {
        const r = await s.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'earliest' }, toEnd: true }, () => undefined, new AbortController().signal);
        expect(r.stats.scanned).toBe(6);
      } finally {
        await s.close();
      }
      await connect({ ca: caFile });
      s = await openServices({ workspace: fixture.dir });
      try {
        await expect(s.streams.info({ product: 'sales.orders' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(new RegExp(`${mtls.bootstrap.replace(/\./g, '\\.')}.*client certificate`)) });
      } finally {
        await s.close();
      }
    } finally {
      await fixture.dispose();
    }
  });
});
