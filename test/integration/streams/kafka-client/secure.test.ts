/**
 * Connecting: SCRAM-SHA-256/512 over TLS on the broker's SASL_SSL listener, and the errors people
 * meet — wrong password, missing CA, a mechanism the broker does not offer (PLAIN is not enabled
 * on the test broker, see test/infra/kafka.ts; the PLAIN frame itself is unit-tested), TLS or SASL
 * on the wrong listener, an unreachable port. Every message names the broker and says what to do.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClient, KafkaError } from '../../../../electron/services/streams/kafka/index';
import type { KafkaClientOptions } from '../../../../electron/services/streams/kafka/index';
import { readInfraEnv } from '../../../infra/env';

const infra = readInfraEnv();
if (!infra.kafka?.secure) throw new Error('.infra/env.json has no SASL_SSL listener: run `npx tsx test/infra/infra.ts up --secure`');
const plain = infra.kafka.bootstrap;
const s = infra.kafka.secure;
const ca = readFileSync(s.caFile);
const topic = `dpx-it-secure-${randomUUID().slice(0, 8)}`;
const kafka = new Kafka({ brokers: [plain], clientId: 'dpx-it-secure', logLevel: logLevel.NOTHING });

async function failure(opts: Partial<KafkaClientOptions> & Pick<KafkaClientOptions, 'brokers'>): Promise<{ err: KafkaError; ms: number }> {
  const c = new KafkaClient(opts);
  const t0 = Date.now();
  try {
    await c.connect();
    await c.listTopics();
  } catch (e) {
    expect(e).toBeInstanceOf(KafkaError);
    return { err: e as KafkaError, ms: Date.now() - t0 };
  } finally {
    await c.close();
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const p = kafka.producer();
  await p.connect();
  await p.send({ topic, messages: [{ partition: 0, key: 'a', value: 'over-tls-0' }, { partition: 1, key: 'b', value: 'over-tls-1' }] });
  await p.disconnect();
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('TLS + SASL', () => {
  for (const mechanism of s.mechanisms) {
    it(`${mechanism} over TLS: authenticates, reads metadata, offsets and records`, async () => {
      const c = new KafkaClient({ brokers: [s.bootstrap], tls: { ca }, sasl: { mechanism, username: s.username, password: s.password } });
      try {
        await c.connect();
        const info = await c.topic(topic);
        expect(info.partitions.map((p) => p.partition)).toEqual([0, 1]);
        expect([...(await c.offsets(topic, [0, 1], 'latest'))]).toEqual([[0, 1], [1, 1]]);
        const res = await c.fetch(topic, new Map([[0, 0], [1, 0]]), { maxWaitMs: 100 });
        expect(res.map((r) => r.records.map((x) => `${x.key}:${x.value}`))).toEqual([['a:over-tls-0'], ['b:over-tls-1']]);
      } finally {
        await c.close();
      }
    });
  }

  it('TLS with the host name (localhost) checked against the certificate', async () => {
    const c = new KafkaClient({ brokers: [s.bootstrap.replace('127.0.0.1', 'localhost')], tls: { ca }, sasl: { mechanism: 'scram-sha-256', username: s.username, password: s.password } });
    await c.connect();
    expect(await c.listTopics()).toContain(topic);
    await c.close();
  });

  it('wrong password: AUTH_FAILED naming user, broker and mechanism, at once (not retried)', async () => {
    for (const mechanism of s.mechanisms) {
      const { err, ms } = await failure({ brokers: [s.bootstrap], tls: { ca }, sasl: { mechanism, username: s.username, password: 'wrong' } });
      expect(err).toMatchObject({ code: 'AUTH_FAILED', retriable: false, broker: s.bootstrap, kafkaCode: 58 });
      expect(err.message).toContain(
        `SASL authentication failed for user '${s.username}' at Kafka broker ${s.bootstrap} (${mechanism.toUpperCase()}): wrong username or password`,
      );
      expect(ms).toBeLessThan(3000);
    }
  });

  it('PLAIN is not enabled on this listener: AUTH_FAILED listing what the broker offers', async () => {
    const { err } = await failure({ brokers: [s.bootstrap], tls: { ca }, sasl: { mechanism: 'plain', username: s.username, password: s.password } });
    expect(err).toMatchObject({ code: 'AUTH_FAILED', kafkaCode: 33 });
    expect(err.message).toMatch(/the broker does not offer PLAIN; it offers (SCRAM-SHA-(256|512)(, )?){2}$/);
  });

  it("no CA for the broker's self-signed chain: TLS error that says to set tls.ca", async () => {
    const { err } = await failure({ brokers: [s.bootstrap], tls: true, sasl: { mechanism: 'scram-sha-256', username: s.username, password: s.password } });
    expect(err).toMatchObject({ code: 'TLS', retriable: false, broker: s.bootstrap });
    expect(err.message).toBe(`TLS handshake with Kafka broker ${s.bootstrap} failed: self-signed certificate in certificate chain; set tls.ca to the broker's CA certificate (PEM)`);
  });

  it('wrong listener: plaintext to the TLS port, TLS to the plaintext port, SASL on the plaintext listener, no SASL on the SASL port', async () => {
    const a = await failure({ brokers: [s.bootstrap] });
    expect(a.err).toMatchObject({ code: 'UNREACHABLE', retriable: false });
    expect(a.err.message).toContain('the listener probably requires TLS (set tls)');
    const b = await failure({ brokers: [plain], tls: { ca } });
    expect(b.err).toMatchObject({ code: 'TLS' });
    expect(b.err.message).toContain('this port probably does not speak TLS');
    const c = await failure({ brokers: [plain], sasl: { mechanism: 'scram-sha-256', username: s.username, password: s.password } });
    expect(c.err).toMatchObject({ code: 'AUTH_FAILED' });
    expect(c.err.message).toContain("this listener does not use SASL (ILLEGAL_SASL_STATE (34)); drop the sasl option or use the SASL listener's port");
    const d = await failure({ brokers: [s.bootstrap], tls: { ca } });
    expect(d.err.message).toContain('the listener probably requires SASL authentication (set sasl)');
    for (const x of [a, b, c, d]) expect(x.ms).toBeLessThan(3000);
  });
});

describe('unreachable', () => {
  it('a port nobody listens on: UNREACHABLE naming the broker within the 5 s connect timeout', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const { err, ms } = await failure({ brokers: [`127.0.0.1:${port}`] });
    expect(err).toMatchObject({ code: 'UNREACHABLE', retriable: true, broker: `127.0.0.1:${port}` });
    expect(err.message).toMatch(new RegExp(`^Kafka broker 127\\.0\\.0\\.1:${port} unreachable: connect ECONNREFUSED \\(after 5(\\.[01])? s\\)$`));
    expect(ms).toBeGreaterThan(4800);
    expect(ms).toBeLessThan(6000);
  });
});
