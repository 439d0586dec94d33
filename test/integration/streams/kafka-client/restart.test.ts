/**
 * A broker restart in the middle of a read: the client surfaces retriable errors while the broker
 * is gone, reconnects on a later call once it is back, and — as the caller keeps its positions —
 * the read resumes with no gap and no duplicate. Stops and starts the real broker through the
 * infra script (`down --only kafka`, `up --only kafka [--secure]`), so it runs only when the
 * integration setup manages the services (not with DPX_INFRA=external, unless
 * DPX_ALLOW_BROKER_RESTART=1).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaClient, KafkaError } from '../../../../electron/services/streams/kafka/index';
import type { KafkaRecord } from '../../../../electron/services/streams/kafka/index';
import { readInfraEnv } from '../../../infra/env';
import { infra } from '../../../helpers/kafka';

const allowed = process.env['DPX_INFRA'] !== 'external' || process.env['DPX_ALLOW_BROKER_RESTART'] === '1';
const PER_PARTITION = 1000;
const MORE = 100;

async function produce(bootstrap: string, topic: string, from: number, to: number, create: boolean): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'dpx-it-restart', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  try {
    if (create) await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    for (let p = 0; p < 3; p++) {
      for (let i = from; i < to; i += 250) {
        const n = Math.min(250, to - i);
        await producer.send({ topic, messages: Array.from({ length: n }, (_, k) => ({ partition: p, key: `p${p}`, value: `p${p}-${i + k}` })) });
      }
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

describe.skipIf(!allowed)('broker restart mid-read', () => {
  it('retriable errors while down, then resumes from the kept positions: no gap, no duplicate', { timeout: 240_000 }, async () => {
    const env = readInfraEnv().kafka!;
    const secure = env.secure !== null;
    const topic = `dpx-it-restart-${randomUUID().slice(0, 8)}`;
    await produce(env.bootstrap, topic, 0, PER_PARTITION, true);

    const c = new KafkaClient({ brokers: [env.bootstrap], connectTimeoutMs: 2000, requestTimeoutMs: 5000 });
    const got = new Map<number, KafkaRecord[]>([[0, []], [1, []], [2, []]]);
    const pos = new Map([[0, 0], [1, 0], [2, 0]]);
    const opts = { maxWaitMs: 200, partitionMaxBytes: 4 * 1024 };
    const take = (res: Awaited<ReturnType<KafkaClient['fetch']>>): void => {
      for (const r of res) {
        if (r.errorCode !== 0) continue; // partial failure: keep the position
        got.get(r.partition)!.push(...r.records);
        pos.set(r.partition, r.nextOffset);
      }
    };
    const total = (): number => [...got.values()].reduce((n, rs) => n + rs.length, 0);
    try {
      while (total() < 1500) take(await c.fetch(topic, pos, opts));

      infra('down', '--only', 'kafka');
      // A read-ahead answered before the stop may still deliver; then the errors come.
      const errors: KafkaError[] = [];
      for (let i = 0; i < 10 && errors.length < 2; i++) {
        try {
          take(await c.fetch(topic, pos, opts));
        } catch (e) {
          expect(e).toBeInstanceOf(KafkaError);
          errors.push(e as KafkaError);
        }
      }
      expect(errors.length).toBe(2);
      for (const e of errors) {
        expect(e.retriable, e.message).toBe(true);
        expect(['UNREACHABLE', 'NOT_LEADER', 'TIMEOUT']).toContain(e.code);
      }
      expect(errors.map((e) => e.message).join('\n')).toContain(env.bootstrap);

      infra('up', '--only', 'kafka', ...(secure ? ['--secure'] : []));
      expect(readInfraEnv().kafka!.bootstrap).toBe(env.bootstrap); // ports are kept across restarts
      await produce(env.bootstrap, topic, PER_PARTITION, PER_PARTITION + MORE, false);

      const end = PER_PARTITION + MORE;
      let retries = 0;
      while ([...pos.values()].some((o) => o < end)) {
        try {
          take(await c.fetch(topic, pos, opts));
        } catch (e) {
          if (!(e instanceof KafkaError) || !e.retriable || ++retries > 60) throw e;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      console.info(
        `[restart] while down: ${errors.map((e) => `${e.code}${e.retriable ? ' (retriable)' : ''}: ${e.message}`).join(' | ')}; ` +
          `${retries} retriable failure(s) after the restart before reads resumed`,
      );
      for (const [p, records] of got) {
        expect(records.map((r) => r.offset), `partition ${p} offsets`).toEqual(Array.from({ length: end }, (_, i) => i));
        expect(records.map((r) => r.value!.toString())).toEqual(Array.from({ length: end }, (_, i) => `p${p}-${i}`));
      }
    } finally {
      await c.close();
      const kafka = new Kafka({ brokers: [env.bootstrap], clientId: 'dpx-it-restart', logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect().then(() => admin.deleteTopics({ topics: [topic] })).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
