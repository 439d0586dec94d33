// KafkaClient and BrokerConnection against small fake brokers (node:net servers speaking just
// enough of the protocol): frame reassembly across odd TCP chunks, pipelining, timeouts, an
// unreachable or silent broker, errors naming the broker, several leaders with one down, and the
// metadata refresh after NOT_LEADER_OR_FOLLOWER.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaClient, KafkaError } from '../../../../../../electron/services/streams/kafka/index';
import { Reader } from '../../../../../../electron/services/streams/kafka/protocol/decoder';
import { Writer } from '../../../../../../electron/services/streams/kafka/protocol/encoder';

interface FetchAnswer {
  partition: number;
  errorCode?: number;
  records?: Buffer;
  highWatermark?: number;
}

interface FakeOptions {
  nodeId: number;
  /** Filled in once every fake listens: node id -> port. */
  cluster: Map<number, number>;
  leaders: () => Map<number, number>;
  topic?: string;
  /** Split every answer into pieces written a few ms apart. */
  fragment?: boolean;
  /** Hold answers and write them together, several frames in one chunk. */
  coalesce?: boolean;
  silent?: boolean;
  delayApi?: { apiKey: number; ms: number };
  onFetch?: (parts: Array<{ partition: number; offset: number }>) => FetchAnswer[];
}

interface Fake {
  port: number;
  requests: Array<{ apiKey: number; version: number }>;
  sockets: Set<net.Socket>;
  close: () => Promise<void>;
}

const servers: Fake[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** One RecordBatch v2 with string values at consecutive offsets. */
function batch(baseOffset: number, values: string[]): Buffer {
  const recs = values.map((v, i) => {
    const body = new Writer().int8(0).varint(i).varint(i).varint(-1).varint(Buffer.byteLength(v)).raw(Buffer.from(v)).varint(0).finish();
    return Buffer.concat([new Writer().varint(body.length).finish(), body]);
  });
  const records = Buffer.concat(recs);
  return new Writer()
    .int64(baseOffset).int32(49 + records.length).int32(0).int8(2).uint32(0).int16(0).int32(values.length - 1)
    .int64(1_700_000_000_000).int64(1_700_000_000_000).int64(-1).int16(0).int32(0).int32(values.length).raw(records)
    .finish();
}

function answer(apiKey: number, version: number, corr: number, o: FakeOptions, body: Reader): Buffer | null {
  const flexible = (apiKey === 18 && version >= 3) || (apiKey === 3 && version >= 9) || (apiKey === 1 && version >= 12) || (apiKey === 2 && version >= 6);
  const w = new Writer(false);
  w.int32(0).int32(corr);
  if (flexible && apiKey !== 18) w.uvarint(0);
  w.flexible = flexible;
  const topic = o.topic ?? 't';
  switch (apiKey) {
    case 18: // ApiVersions: Fetch 4-12, ListOffsets 4-7, Metadata 4-12, handshake, authenticate, ApiVersions
      w.int16(0).arrayLength(6);
      for (const [k, min, max] of [[1, 4, 12], [2, 4, 7], [3, 4, 12], [17, 0, 1], [18, 0, 3], [36, 0, 2]] as const) w.int16(k).int16(min).int16(max).tags();
      w.int32(0).tags();
      break;
    case 3: {
      // Metadata: request topics (compact array of [uuid, name, tags])
      const n = body.arrayLength();
      const asked: string[] = [];
      for (let i = 0; i < n; i++) {
        body.uuid();
        asked.push(body.string());
        body.tags();
      }
      expect(body.bool()).toBe(false); // allow_auto_topic_creation: never
      w.int32(0);
      w.arrayLength(o.cluster.size);
      for (const [id, port] of o.cluster) w.int32(id).string('127.0.0.1').int32(port).string(null).tags();
      w.string('fake-cluster').int32(1);
      const names = n < 0 ? [topic] : asked;
      w.arrayLength(names.length);
      for (const name of names) {
        const known = name === topic;
        w.int16(known ? 0 : 3).string(name).uuid(known ? Buffer.alloc(16, 1) : null).bool(false);
        const leaders = known ? [...o.leaders()] : [];
        w.arrayLength(leaders.length);
        for (const [p, leader] of leaders) w.int16(0).int32(p).int32(leader).int32(0).array([leader], (w, x) => w.int32(x)).array([leader], (w, x) => w.int32(x)).array([], (w, x: number) => w.int32(x)).tags();
        w.int32(0).tags();
      }
      w.tags();
      break;
    }
    case 1: {
      // Fetch v12 request
      body.int32(); body.int32(); body.int32(); body.int32(); body.int8(); body.int32(); body.int32();
      const parts: Array<{ partition: number; offset: number }> = [];
      const nt = body.arrayLength();
      for (let t = 0; t < nt; t++) {
        body.string();
        const np = body.arrayLength();
        for (let i = 0; i < np; i++) {
          const partition = body.int32();
          body.int32();
          const offset = body.int64();
          body.int32(); body.int64(); body.int32(); body.tags();
          parts.push({ partition, offset });
        }
        body.tags();
      }
      const answers: FetchAnswer[] = o.onFetch ? o.onFetch(parts) : parts.map((p) => ({ partition: p.partition }));
      w.int32(0).int16(0).int32(0).arrayLength(1).string(topic).arrayLength(answers.length);
      for (const a of answers) {
        w.int32(a.partition).int16(a.errorCode ?? 0).int64(a.highWatermark ?? 100).int64(a.highWatermark ?? 100).int64(0);
        w.arrayLength(null).int32(-1).bytes(a.records ?? Buffer.alloc(0)).tags();
      }
      w.tags().tags();
      break;
    }
    default:
      return null;
  }
  w.patchInt32(0, w.length - 4);
  return Buffer.from(w.finish());
}

async function fake(o: FakeOptions): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let queue = Promise.resolve();
    const held: Buffer[] = [];
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const frame = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + frame.length);
        const r = new Reader(Buffer.from(frame));
        const apiKey = r.int16();
        const version = r.int16();
        const corr = r.int32();
        r.nullableString();
        const flexible = (apiKey === 18 && version >= 3) || (apiKey === 3 && version >= 9) || (apiKey === 1 && version >= 12);
        if (flexible) {
          r.flexible = true;
          r.tags();
        }
        requests.push({ apiKey, version });
        if (o.silent) continue;
        const out = answer(apiKey, version, corr, o, r);
        if (!out) continue;
        const send = (): void => {
          if (o.coalesce) {
            held.push(out);
            if (held.length === 1) setTimeout(() => socket.write(Buffer.concat(held.splice(0))), 20);
            return;
          }
          if (!o.fragment) {
            socket.write(out);
            return;
          }
          // in the size prefix, in the header, in the body, then the rest; answers stay in order
          const cuts = [2, 5, Math.floor(out.length / 2), out.length];
          queue = queue.then(async () => {
            let from = 0;
            for (const to of cuts) {
              socket.write(out.subarray(from, to));
              from = to;
              await new Promise((r) => setTimeout(r, 3));
            }
          });
        };
        if (o.delayApi?.apiKey === apiKey) setTimeout(send, o.delayApi.ms);
        else send();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const f: Fake = {
    port,
    requests,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  servers.push(f);
  o.cluster.set(o.nodeId, port);
  return f;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('KafkaClient against fake brokers', () => {
  it('reassembles answers split inside the size prefix and the body; pipelines requests', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1], [1, 1]]), fragment: true });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    await c.connect();
    const [t, names, again] = await Promise.all([c.topic('t'), c.listTopics(), c.topic('t')]);
    expect(t).toEqual({ name: 't', partitions: [{ partition: 0, leader: 1 }, { partition: 1, leader: 1 }] });
    expect(again).toEqual(t);
    expect(names).toEqual(['t']);
    // ApiVersions v3 first, then the three Metadata requests at the highest common version (12)
    expect(b.requests.map((r) => `${r.apiKey}v${r.version}`)).toEqual(['18v3', '3v12', '3v12', '3v12']);
    await c.close();
  });

  it('takes apart several answers that arrive in one chunk', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1]]), coalesce: true });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    await c.connect();
    const all = await Promise.all(Array.from({ length: 20 }, () => c.topic('t')));
    expect(new Set(all.map((t) => JSON.stringify(t))).size).toBe(1);
    expect(b.requests.filter((r) => r.apiKey === 3).length).toBe(20);
    await c.close();
  });

  it('unknown topic: UNKNOWN_TOPIC naming the topic and the broker; auto-creation is never asked for', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1]]) });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    const err = await c.topic('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaError);
    expect(err).toMatchObject({ code: 'UNKNOWN_TOPIC', retriable: false, broker: `127.0.0.1:${b.port}` });
    expect((err as Error).message).toBe(`topic 'nope' does not exist on the Kafka cluster at 127.0.0.1:${b.port}`);
    await c.close();
  });

  it('an unreachable broker fails fast with UNREACHABLE naming it; connect() retries it until the connect timeout', async () => {
    const port = await closedPort();
    const c = new KafkaClient({ brokers: [`127.0.0.1:${port}`], connectTimeoutMs: 1500 });
    const t0 = Date.now();
    const err = (await c.connect().catch((e: unknown) => e)) as KafkaError;
    const ms = Date.now() - t0;
    expect(err).toMatchObject({ code: 'UNREACHABLE', retriable: true, broker: `127.0.0.1:${port}` });
    expect(err.message).toMatch(new RegExp(`^Kafka broker 127\\.0\\.0\\.1:${port} unreachable: connect ECONNREFUSED \\(after 1\\.[5-7] s\\)$`));
    expect(ms).toBeGreaterThan(1400);
    expect(ms).toBeLessThan(2500);
    // other calls make one pass only
    const t1 = Date.now();
    await expect(c.topic('t')).rejects.toMatchObject({ code: 'UNREACHABLE' });
    expect(Date.now() - t1).toBeLessThan(500);
    await c.close();
  });

  it('a broker that accepts but never answers: UNREACHABLE after the connect timeout, not a hang', async () => {
    const b = await fake({ nodeId: 1, cluster: new Map(), leaders: () => new Map(), silent: true });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`], connectTimeoutMs: 800 });
    const t0 = Date.now();
    const err = (await c.topic('t').catch((e: unknown) => e)) as KafkaError;
    expect(err.code).toBe('UNREACHABLE');
    expect(err.message).toContain(`Kafka broker 127.0.0.1:${b.port} unreachable: no answer to ApiVersions after 0.8 s (connect timeout)`);
    expect(Date.now() - t0).toBeLessThan(1500);
    await c.close();
  });

  it('a request that gets no answer: TIMEOUT (retriable), the connection is dropped and the next call reconnects', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1]]), delayApi: { apiKey: 3, ms: 400 } });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`], requestTimeoutMs: 150 });
    const err = (await c.topic('t').catch((e: unknown) => e)) as KafkaError;
    expect(err).toMatchObject({ code: 'TIMEOUT', retriable: true });
    expect(err.message).toContain('did not answer Metadata within 0.2 s (request timeout)');
    expect(b.requests.filter((r) => r.apiKey === 18).length).toBe(2); // reconnected once for the internal retry
    await c.close();
  });

  it('several leaders, one down: the others still deliver; failed partitions carry errorCode and a retriable error', async () => {
    const cluster = new Map<number, number>();
    const onFetch = (parts: Array<{ partition: number; offset: number }>): FetchAnswer[] =>
      parts.map((p) => ({ partition: p.partition, records: batch(p.offset, [`p${p.partition}@${p.offset}`, 'second']), highWatermark: p.offset + 2 }));
    const leaders = (): Map<number, number> => new Map([[0, 1], [1, 2], [2, 1]]);
    const b1 = await fake({ nodeId: 1, cluster, leaders, onFetch });
    const b2 = await fake({ nodeId: 2, cluster, leaders, onFetch });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b1.port}`] });
    const positions = new Map([[0, 5], [1, 7], [2, 9]]);
    const ok = await c.fetch('t', positions, { maxWaitMs: 10 });
    expect(ok.map((f) => [f.partition, f.errorCode, f.records.map((r) => `${r.offset}:${r.value}`), f.nextOffset])).toEqual([
      [0, 0, ['5:p0@5', '6:second'], 7],
      [1, 0, ['7:p1@7', '8:second'], 9],
      [2, 0, ['9:p2@9', '10:second'], 11],
    ]);
    expect(b1.requests.filter((r) => r.apiKey === 1).length).toBe(1); // partitions 0 and 2 in one request
    expect(b2.requests.filter((r) => r.apiKey === 1).length).toBe(1);

    await b2.close();
    const partial = await c.fetch('t', positions, { maxWaitMs: 10 });
    expect(partial[0]!.records.length).toBe(2);
    expect(partial[2]!.records.length).toBe(2);
    expect(partial[1]).toMatchObject({ partition: 1, errorCode: 13, records: [], nextOffset: 7 });
    expect(partial[1]!.error).toMatchObject({ code: 'UNREACHABLE', retriable: true });
    expect(partial[1]!.error!.message).toContain(`127.0.0.1:${b2.port} (node 2)`);

    // every partition failing: fetch throws the retriable error
    await expect(c.fetch('t', new Map([[1, 7]]))).rejects.toMatchObject({ code: 'UNREACHABLE', retriable: true });
    await c.close();
  });

  it('NOT_LEADER_OR_FOLLOWER: reported per partition, metadata refreshed, the next fetch goes to the new leader', async () => {
    const cluster = new Map<number, number>();
    let leader = 1;
    const leaders = (): Map<number, number> => new Map([[0, leader]]);
    const b1 = await fake({ nodeId: 1, cluster, leaders, onFetch: (ps) => ps.map((p) => ({ partition: p.partition, errorCode: 6 })) });
    const b2 = await fake({ nodeId: 2, cluster, leaders, onFetch: (ps) => ps.map((p) => ({ partition: p.partition, records: batch(p.offset, ['moved']) })) });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b1.port}`] });
    await c.topic('t');
    leader = 2;
    const err = (await c.fetch('t', new Map([[0, 3]])).catch((e: unknown) => e)) as KafkaError;
    expect(err).toMatchObject({ code: 'NOT_LEADER', retriable: true, kafkaCode: 6, partition: 0 });
    expect(err.message).toContain('NOT_LEADER_OR_FOLLOWER (6)');
    const metadataBefore = b1.requests.filter((r) => r.apiKey === 3).length;
    const res = await c.fetch('t', new Map([[0, 3]]));
    expect(res[0]!.records.map((r) => `${r.offset}:${r.value}`)).toEqual(['3:moved']);
    expect(b1.requests.filter((r) => r.apiKey === 3).length).toBe(metadataBefore + 1);
    expect(b2.requests.filter((r) => r.apiKey === 1).length).toBe(1);
    await c.close();
  });

  it('reads ahead only when more data waits, and uses the answer for the matching next call', async () => {
    const cluster = new Map<number, number>();
    const hw = 6;
    const b = await fake({
      nodeId: 1,
      cluster,
      leaders: () => new Map([[0, 1]]),
      onFetch: (ps) => ps.map((p) => ({ partition: p.partition, records: p.offset < hw ? batch(p.offset, [`v${p.offset}`, `v${p.offset + 1}`]) : Buffer.alloc(0), highWatermark: hw })),
    });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    const seen: number[] = [];
    let pos = 0;
    for (let i = 0; i < 3; i++) {
      const [f] = await c.fetch('t', new Map([[0, pos]]), { maxWaitMs: 0 });
      seen.push(...f!.records.map((r) => r.offset));
      pos = f!.nextOffset;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    // 3 answers used, and no read-ahead after the last one (nextOffset reached the high watermark)
    await new Promise((r) => setTimeout(r, 50));
    expect(b.requests.filter((r) => r.apiKey === 1).length).toBe(3);
    await c.close();
  });

  it('close(): later calls fail with CLOSED', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1]]) });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    await c.connect();
    await c.close();
    await expect(c.topic('t')).rejects.toMatchObject({ code: 'CLOSED', retriable: false });
  });

  it('an aborted fetch rejects with the signal reason; the connection stays usable', async () => {
    const cluster = new Map<number, number>();
    const b = await fake({ nodeId: 1, cluster, leaders: () => new Map([[0, 1]]), delayApi: { apiKey: 1, ms: 100 } });
    const c = new KafkaClient({ brokers: [`127.0.0.1:${b.port}`] });
    await c.topic('t');
    const ac = new AbortController();
    const p = c.fetch('t', new Map([[0, 0]]), { signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const res = await c.fetch('t', new Map([[0, 0]]), { maxWaitMs: 0 });
    expect(res[0]!.errorCode).toBe(0);
    expect(b.requests.filter((r) => r.apiKey === 18).length).toBe(1);
    await c.close();
  });
});
