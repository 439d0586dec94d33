// KafkaClient: a lean, read-only Kafka client for tailing topics. It never joins a consumer group
// and never commits offsets: the caller owns the positions (partition -> next offset) and passes
// them to every fetch(). Everything else is the minimum a fast, correct reader needs: metadata
// (who leads which partition), ListOffsets (earliest/latest/by time) and Fetch, over one pipelined
// connection per broker, with TLS and SASL (PLAIN, SCRAM-SHA-256/512).
//
// Offsets are JS numbers, not bigints: exact up to 2^53 (9e15), which no real partition reaches
// (1 M msg/s for 285 years), and an order of magnitude cheaper to decode and compare.
//
// Failure model: fetch() never retries on its own. A dropped connection, a leader move or a timeout
// surfaces as a KafkaError with retriable = true (code UNREACHABLE, NOT_LEADER or TIMEOUT); the
// client has already dropped the connection and marked its metadata stale, so the next call
// reconnects and finds the new leader. As the caller keeps its positions, nothing is lost or read
// twice. With several leaders, partitions whose leader failed come back with errorCode/error set
// and no records while the others carry data; fetch() throws only when no partition could be read.
import { isIP } from 'node:net';
import { BrokerConnection } from './connection';
import type { TlsOptions } from './connection';
import { ErrorCodes, KafkaError, errorFromCode, needsMetadataRefresh } from './errors';
import { FramePool, type FrameRoom } from './frame-pool';
import { ProtocolDecodeError } from './protocol/decoder';
import type { Reader } from './protocol/decoder';
import {
  ApiKey,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  decodeFetch,
  decodeListOffsets,
  decodeMetadata,
  encodeFetch,
  encodeListOffsets,
  encodeMetadata,
} from './protocol/requests';
import type { ApiKeyValue, FetchResponse, FetchResponsePartition, IsolationLevel, MetadataResponse } from './protocol/requests';
import { RecordDecodeError, decodeRecordBatches, scanNextOffset } from './records';
import type { KafkaRecord, RecordBatch } from './records';
import type { SaslOptions } from './sasl';
import { VarintError } from './protocol/varint';
import { CodecError } from './codecs';

export type { KafkaRecord, RecordBatch, RecordHeader } from './records';
export { KafkaError } from './errors';
export type { KafkaErrorCode } from './errors';

export interface KafkaClientOptions {
  /** Bootstrap brokers, host:port (IPv6 as [::1]:9092). */
  brokers: string[];
  /** Sent with every request (broker logs, quotas). Default 'dpx'. */
  clientId?: string;
  /** true for TLS with the system CAs, or the options for node:tls. */
  tls?: TlsOptions | boolean;
  sasl?: SaslOptions;
  /** TCP + TLS + ApiVersions per connection; connect() retries refused connections until then. Default 5000. */
  connectTimeoutMs?: number;
  /** Per request (plus maxWaitMs for fetches). Default 30000. */
  requestTimeoutMs?: number;
  /** read_committed (default, like librdkafka): aborted transactions are skipped, 'latest' is the last stable offset. */
  isolationLevel?: IsolationLevel;
  /**
   * Keep the next fetch in flight while the caller works through the current one (default true).
   * Only when the last answer showed more data waiting, and only used if the next fetch() asks
   * for exactly the positions this one returned; otherwise it is dropped.
   */
  readAhead?: boolean;
  /** Caps on negotiated protocol versions (tests, broker quirks). */
  maxVersions?: { fetch?: number; metadata?: number; listOffsets?: number };
}

export interface PartitionInfo {
  partition: number;
  /** Node id of the leader; -1 while there is none. */
  leader: number;
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
}

export interface FetchOptions {
  /** How long the broker may wait for minBytes (default 500). */
  maxWaitMs?: number;
  /** Default 1: answer as soon as anything is there. */
  minBytes?: number;
  /** Per broker response (default 50 MiB, Kafka's fetch.max.bytes). */
  maxBytes?: number;
  /** Per partition (default 1 MiB, as Kafka's max.partition.fetch.bytes). A larger first batch still comes (KIP-74). */
  partitionMaxBytes?: number;
  /** Aborting rejects with signal.reason; the connection stays usable. */
  signal?: AbortSignal;
  /** Record batches undecoded in `batches` (see RecordBatch) instead of `records`, where the format allows. */
  raw?: boolean;
}

export interface FetchedPartition {
  partition: number;
  /** Kafka error code, 0 when fine. Non-zero: no records, nextOffset = the asked offset, see error. */
  errorCode: number;
  /** -1 when errorCode is set. */
  highWatermark: number;
  /** Under read_committed, records stop here (the last stable offset); -1 if unknown. */
  lastStableOffset: number;
  logStartOffset: number;
  records: KafkaRecord[];
  /** With `raw`: the batches, when they hold the records (then `records` is empty). */
  batches?: RecordBatch[];
  /** The fetch answer that records and batches are views of: see recycle(). */
  frame?: Buffer;
  /**
   * Where to fetch next: the offset after the last record, or after the last batch when the
   * batch ends in records that were dropped (transaction markers, aborted records, compaction);
   * the asked offset when nothing came.
   */
  nextOffset: number;
  error?: KafkaError;
}

const DEFAULTS = {
  clientId: 'dpx',
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 50 * 1024 * 1024,
  partitionMaxBytes: 1024 * 1024,
  metadataMaxAgeMs: 5 * 60_000,
};

const NOOP = (): void => undefined;

interface TopicMeta {
  info: TopicInfo;
  topicId: Buffer | null;
  leaders: Map<number, number>;
  fetchedAt: number;
  stale: boolean;
}

interface ReadAhead {
  /** topic, maxBytes, partitionMaxBytes */
  key: string;
  conn: BrokerConnection;
  version: number;
  promise: Promise<Reader>;
  partitions: Map<number, number>;
}

function parseAddress(s: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s.trim()) ?? /^([^:]+):(\d+)$/.exec(s.trim());
  if (!m) throw new KafkaError('UNREACHABLE', `invalid broker address '${s}': expected host:port`, { retriable: false });
  return { host: m[1]!, port: Number(m[2]) };
}

function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Errors a caller cannot fix by retrying outrank the retriable ones when one must be thrown. */
function mostRelevant(errors: KafkaError[]): KafkaError {
  return errors.find((e) => !e.retriable) ?? errors[0]!;
}

export class KafkaClient {
  private readonly bootstrap: Array<{ host: string; port: number }>;
  private readonly clientId: string;
  private readonly tls: TlsOptions | null;
  private readonly sasl: SaslOptions | null;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly isolation: IsolationLevel;
  private readonly readAheadEnabled: boolean;
  private readonly maxVersions: Partial<Record<ApiKeyValue, number>>;

  private readonly conns = new Map<string, BrokerConnection>();
  private readonly connecting = new Map<string, Promise<BrokerConnection>>();
  private readonly nodes = new Map<number, { host: string; port: number }>();
  private readonly topics = new Map<string, TopicMeta>();
  private readonly readAheads = new Map<number, ReadAhead>();
  /** Fetch answers' memory, reused once a caller recycles it. */
  private readonly frames = new FramePool();
  private readonly rotation = new Map<number, number>();
  private closed = false;

  constructor(opts: KafkaClientOptions) {
    if (!opts.brokers?.length) throw new KafkaError('UNREACHABLE', 'no Kafka brokers given (brokers: ["host:port"])', { retriable: false });
    this.bootstrap = opts.brokers.map(parseAddress);
    this.clientId = opts.clientId ?? DEFAULTS.clientId;
    this.tls = opts.tls === true ? {} : opts.tls ? opts.tls : null;
    this.sasl = opts.sasl ?? null;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.isolation = opts.isolationLevel ?? 'read_committed';
    this.readAheadEnabled = opts.readAhead ?? true;
    this.maxVersions = {};
    if (opts.maxVersions?.fetch !== undefined) this.maxVersions[ApiKey.Fetch] = opts.maxVersions.fetch;
    if (opts.maxVersions?.metadata !== undefined) this.maxVersions[ApiKey.Metadata] = opts.maxVersions.metadata;
    if (opts.maxVersions?.listOffsets !== undefined) this.maxVersions[ApiKey.ListOffsets] = opts.maxVersions.listOffsets;
  }

  // ---------------------------------------------------------------- connections

  /**
   * Connects to the first bootstrap broker that answers (TCP/TLS, ApiVersions, SASL). Refused or
   * silent brokers are retried until connectTimeoutMs; TLS and authentication failures are not.
   * Other methods connect on their own, so calling this first is optional (but gives early errors).
   */
  async connect(): Promise<void> {
    await this.anyConnection(true);
  }

  private checkOpen(): void {
    if (this.closed) throw new KafkaError('CLOSED', 'the Kafka client is closed', { retriable: false });
  }

  private connection(host: string, port: number, nodeId?: number): Promise<BrokerConnection> {
    this.checkOpen();
    const address = formatAddress(host, port);
    const existing = this.conns.get(address);
    if (existing?.isOpen) {
      if (Date.now() < existing.sessionExpiresAt - 10_000) return Promise.resolve(existing);
      // SASL session about to end (KIP-368): a fresh connection re-authenticates.
      this.conns.delete(address);
      existing.closeWhenIdle();
    }
    const inFlight = this.connecting.get(address);
    if (inFlight) return inFlight;
    const conn = new BrokerConnection({
      host,
      port,
      clientId: this.clientId,
      tls: this.tls,
      sasl: this.sasl,
      connectTimeoutMs: this.connectTimeoutMs,
      requestTimeoutMs: this.requestTimeoutMs,
      maxVersions: this.maxVersions,
      frames: this.frames,
      ...(nodeId !== undefined ? { nodeId } : {}),
    });
    const p = conn
      .connect()
      .then(() => {
        if (this.closed) {
          conn.close();
          throw new KafkaError('CLOSED', 'the Kafka client is closed', { retriable: false });
        }
        this.conns.set(address, conn);
        conn.onClose = () => this.onConnectionClosed(address, conn);
        return conn;
      })
      .finally(() => this.connecting.delete(address));
    this.connecting.set(address, p);
    return p;
  }

  private onConnectionClosed(address: string, conn: BrokerConnection): void {
    if (this.conns.get(address) === conn) this.conns.delete(address);
    // A broker went away: leadership may move; find out on the next call.
    for (const t of this.topics.values()) t.stale = true;
    for (const [leader, ra] of this.readAheads) if (ra.conn === conn) this.readAheads.delete(leader);
  }

  /** Any live connection (for metadata); else bootstrap through the known and configured brokers. */
  private async anyConnection(retryUntilTimeout = false): Promise<BrokerConnection> {
    this.checkOpen();
    for (const c of this.conns.values()) if (c.isOpen && Date.now() < c.sessionExpiresAt - 10_000) return c;
    const candidates = new Map<string, { host: string; port: number; nodeId?: number }>();
    for (const b of this.bootstrap) candidates.set(formatAddress(b.host, b.port), b);
    for (const [nodeId, n] of this.nodes) {
      const a = formatAddress(n.host, n.port);
      if (!candidates.has(a)) candidates.set(a, { ...n, nodeId });
    }
    const started = Date.now();
    const lastError = new Map<string, KafkaError>();
    let backoff = 200;
    for (;;) {
      for (const [address, c] of candidates) {
        try {
          return await this.connection(c.host, c.port, c.nodeId);
        } catch (e) {
          if (!(e instanceof KafkaError)) throw e;
          if (e.code === 'CLOSED') throw e;
          lastError.set(address, e);
          // Wrong credentials, TLS setup or protocol: the same everywhere and not worth waiting for.
          if (!e.retriable && candidates.size === 1) throw e;
        }
      }
      const errors = [...lastError.values()];
      const elapsed = Date.now() - started;
      const remaining = this.connectTimeoutMs - elapsed;
      if (!retryUntilTimeout || errors.some((e) => !e.retriable) || remaining <= 50) {
        throw this.bootstrapError(lastError, elapsed);
      }
      await sleep(Math.min(backoff, remaining));
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  private bootstrapError(errors: Map<string, KafkaError>, elapsedMs: number): KafkaError {
    const list = [...errors.values()];
    const after = elapsedMs >= 1000 ? ` (after ${Math.round(elapsedMs / 100) / 10} s)` : '';
    if (list.length === 1) {
      const e = list[0]!;
      const message = e.message.includes('connect timeout') ? e.message : `${e.message}${after}`;
      return new KafkaError(e.code, message, { ...(e.broker ? { broker: e.broker } : {}), retriable: e.retriable, cause: e.cause ?? e });
    }
    const primary = mostRelevant(list);
    const detail = list.map((e) => e.message).join('; ');
    return new KafkaError(primary.code, `no Kafka broker answered${after}: ${detail}`, { retriable: primary.retriable, cause: primary });
  }

  private async leaderConnection(nodeId: number): Promise<BrokerConnection> {
    const node = this.nodes.get(nodeId);
    if (!node) {
      throw new KafkaError('NOT_LEADER', `the cluster named broker ${nodeId} as a leader but did not say where it is`, { retriable: true });
    }
    return this.connection(node.host, node.port, nodeId);
  }

  // ---------------------------------------------------------------- metadata

  private async metadataRequest(topics: string[] | null): Promise<{ res: MetadataResponse; broker: string }> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.anyConnection();
      const v = conn.version(ApiKey.Metadata);
      try {
        const r = await conn.send(ApiKey.Metadata, v, (w) => encodeMetadata(w, v, topics));
        const res = this.decode(conn, 'Metadata', () => decodeMetadata(r, v));
        for (const b of res.brokers) this.nodes.set(b.nodeId, { host: b.host, port: b.port });
        return { res, broker: conn.address };
      } catch (e) {
        // The connection we picked may have just died: one more try on a fresh one.
        if (attempt === 0 && e instanceof KafkaError && e.retriable && !this.closed) continue;
        throw e;
      }
    }
  }

  private decode<T>(conn: BrokerConnection, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ProtocolDecodeError || e instanceof VarintError || e instanceof RangeError) {
        throw new KafkaError('PROTOCOL', `malformed ${what} response from Kafka broker ${conn.label}: ${e.message}`, { broker: conn.address });
      }
      throw e;
    }
  }

  /** Partitions and their leaders (one Metadata request; also refreshes the client's cache). */
  async topic(name: string): Promise<TopicInfo> {
    for (let attempt = 0; ; attempt++) {
      const { res, broker } = await this.metadataRequest([name]);
      const t = res.topics.find((x) => x.name === name) ?? res.topics[0];
      const code = t ? t.errorCode : ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;
      if (code === ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION || code === ErrorCodes.UNKNOWN_TOPIC_ID || !t) {
        this.topics.delete(name);
        throw new KafkaError('UNKNOWN_TOPIC', `topic '${name}' does not exist on the Kafka cluster at ${broker}`, {
          broker,
          topic: name,
          kafkaCode: code,
        });
      }
      if (code === ErrorCodes.LEADER_NOT_AVAILABLE && attempt < 5) {
        await sleep(100 * (attempt + 1)); // just created: leaders being elected
        continue;
      }
      if (code !== 0) throw errorFromCode(code, { broker, topic: name, what: 'metadata request' });
      const partitions = t.partitions.map((p) => ({ partition: p.partition, leader: p.leader })).sort((a, b) => a.partition - b.partition);
      const info: TopicInfo = { name, partitions };
      const zeroId = !t.topicId || t.topicId.every((b) => b === 0);
      this.topics.set(name, {
        info,
        topicId: zeroId ? null : t.topicId,
        leaders: new Map(partitions.map((p) => [p.partition, p.leader])),
        fetchedAt: Date.now(),
        stale: false,
      });
      return { name, partitions: partitions.map((p) => ({ ...p })) };
    }
  }

  private async topicMeta(name: string): Promise<TopicMeta> {
    const m = this.topics.get(name);
    if (m && !m.stale && Date.now() - m.fetchedAt < DEFAULTS.metadataMaxAgeMs) return m;
    await this.topic(name);
    return this.topics.get(name)!;
  }

  /** Names of all topics the user may see, internal ones (__consumer_offsets, ...) left out. */
  async listTopics(): Promise<string[]> {
    const { res } = await this.metadataRequest(null);
    return res.topics
      .filter((t) => t.errorCode === 0 && !t.isInternal)
      .map((t) => t.name)
      .sort();
  }

  private markStale(topic: string): void {
    const m = this.topics.get(topic);
    if (m) m.stale = true;
  }

  /** Groups partitions by leader; unknown partitions and leaderless ones are reported apart. */
  private byLeader(meta: TopicMeta, topic: string, partitions: Iterable<number>): { groups: Map<number, number[]>; missing: number[]; leaderless: number[] } {
    const groups = new Map<number, number[]>();
    const missing: number[] = [];
    const leaderless: number[] = [];
    for (const p of partitions) {
      const leader = meta.leaders.get(p);
      if (leader === undefined) missing.push(p);
      else if (leader < 0 || !this.nodes.has(leader)) leaderless.push(p);
      else {
        const g = groups.get(leader);
        if (g) g.push(p);
        else groups.set(leader, [p]);
      }
    }
    if (missing.length || leaderless.length) this.markStale(topic);
    return { groups, missing, leaderless };
  }

  private missingPartitionError(topic: string, meta: TopicMeta, partitions: number[]): KafkaError {
    const n = meta.info.partitions.length;
    return new KafkaError(
      'UNKNOWN_TOPIC',
      `topic '${topic}' has no partition ${partitions.join(', ')} (it has ${n}: 0-${n - 1})`,
      { topic, ...(partitions.length === 1 ? { partition: partitions[0]! } : {}) },
    );
  }

  // ---------------------------------------------------------------- offsets

  /**
   * Per partition: the earliest offset still kept, the latest (the offset the next record will
   * get; the last stable offset under read_committed), or for a timestamp (epoch ms) the first
   * offset whose record timestamp is >= it, or the latest offset when there is none.
   * Retries once after a metadata refresh when a leader moved.
   */
  async offsets(topic: string, partitions: number[], at: 'earliest' | 'latest' | number): Promise<Map<number, number>> {
    if (typeof at === 'number' && (!Number.isFinite(at) || at < 0)) {
      throw new RangeError(`offsets(): a timestamp must be epoch milliseconds >= 0, got ${at}`);
    }
    const ts = at === 'earliest' ? EARLIEST_TIMESTAMP : at === 'latest' ? LATEST_TIMESTAMP : Math.floor(at);
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await this.listOffsets(topic, partitions, ts);
        if (ts >= 0) {
          const none = partitions.filter((p) => out.get(p) === -1);
          if (none.length) {
            const latest = await this.listOffsets(topic, none, LATEST_TIMESTAMP);
            for (const p of none) out.set(p, latest.get(p)!);
          }
        }
        return out;
      } catch (e) {
        if (attempt === 0 && e instanceof KafkaError && e.retriable && !this.closed) continue;
        throw e;
      }
    }
  }

  private async listOffsets(topic: string, partitions: number[], timestamp: number): Promise<Map<number, number>> {
    const meta = await this.topicMeta(topic);
    const { groups, missing, leaderless } = this.byLeader(meta, topic, partitions);
    if (missing.length) throw this.missingPartitionError(topic, meta, missing);
    if (leaderless.length) {
      throw new KafkaError('NOT_LEADER', `${topic}[${leaderless.join(', ')}] has no leader right now`, { topic, retriable: true });
    }
    const out = new Map<number, number>();
    await Promise.all(
      [...groups].map(async ([leader, parts]) => {
        let conn: BrokerConnection;
        try {
          conn = await this.leaderConnection(leader);
        } catch (e) {
          this.markStale(topic);
          throw e;
        }
        const v = conn.version(ApiKey.ListOffsets);
        const r = await conn.send(ApiKey.ListOffsets, v, (w) =>
          encodeListOffsets(w, v, this.isolation, topic, parts.map((p) => ({ partition: p, timestamp, leaderEpoch: -1 })), this.requestTimeoutMs),
        );
        const res = this.decode(conn, 'ListOffsets', () => decodeListOffsets(r));
        for (const p of res) {
          if (p.errorCode !== 0) {
            if (needsMetadataRefresh(p.errorCode)) this.markStale(topic);
            throw errorFromCode(p.errorCode, { broker: conn.address, topic, partition: p.partition, what: 'offset lookup' });
          }
          out.set(p.partition, p.offset);
        }
      }),
    );
    const ordered = new Map<number, number>();
    for (const p of partitions) {
      const o = out.get(p);
      if (o === undefined) throw new KafkaError('PROTOCOL', `the broker did not answer the offset lookup for ${topic}[${p}]`, { topic, partition: p });
      ordered.set(p, o);
    }
    return ordered;
  }

  // ---------------------------------------------------------------- fetch

  /**
   * Reads from the given positions (partition -> next offset): one Fetch per leader, in parallel.
   * Returns one entry per asked partition, in the order asked. Records below the asked offset
   * (the broker answers from the start of the batch holding it) are dropped.
   */
  async fetch(topic: string, positions: Map<number, number>, opts: FetchOptions = {}): Promise<FetchedPartition[]> {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (positions.size === 0) return [];
    for (const [p, o] of positions) {
      if (!Number.isSafeInteger(o) || o < 0) throw new RangeError(`fetch(): the position of ${topic}[${p}] must be an offset >= 0, got ${o}`);
    }
    const meta = await this.topicMeta(topic);
    const { groups, missing, leaderless } = this.byLeader(meta, topic, positions.keys());
    const results = new Map<number, FetchedPartition>();
    const failed = (partition: number, error: KafkaError, errorCode: number): void => {
      results.set(partition, {
        partition,
        errorCode,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        records: [],
        nextOffset: positions.get(partition)!,
        error,
      });
    };
    for (const p of missing) failed(p, this.missingPartitionError(topic, meta, [p]), ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
    for (const p of leaderless) {
      failed(p, new KafkaError('NOT_LEADER', `${topic}[${p}] has no leader right now`, { topic, partition: p, retriable: true }), ErrorCodes.LEADER_NOT_AVAILABLE);
    }

    await Promise.all(
      [...groups].map(async ([leader, parts]) => {
        try {
          for (const fp of await this.fetchFromLeader(topic, meta, leader, parts, positions, opts)) results.set(fp.partition, fp);
        } catch (e) {
          if (opts.signal?.aborted) throw opts.signal.reason;
          if (e instanceof KafkaError && e.code === 'CLOSED' && this.closed) throw e;
          const err =
            e instanceof KafkaError
              ? e
              : new KafkaError('PROTOCOL', `fetch from Kafka broker ${leader} failed: ${(e as Error).message}`, { cause: e });
          this.markStale(topic);
          const code = err.code === 'TIMEOUT' ? ErrorCodes.REQUEST_TIMED_OUT : err.code === 'UNREACHABLE' ? ErrorCodes.NETWORK_EXCEPTION : err.kafkaCode ?? -1;
          for (const p of parts) failed(p, err, code);
        }
      }),
    );
    if (opts.signal?.aborted) throw opts.signal.reason;

    const out: FetchedPartition[] = [];
    const errors: KafkaError[] = [];
    for (const p of positions.keys()) {
      const r = results.get(p)!;
      out.push(r);
      if (r.error) errors.push(r.error);
    }
    if (errors.length === out.length) throw mostRelevant(errors);
    return out;
  }

  private async fetchFromLeader(
    topic: string,
    meta: TopicMeta,
    leader: number,
    parts: number[],
    positions: Map<number, number>,
    opts: FetchOptions,
  ): Promise<FetchedPartition[]> {
    const maxWaitMs = opts.maxWaitMs ?? DEFAULTS.maxWaitMs;
    const minBytes = opts.minBytes ?? DEFAULTS.minBytes;
    const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
    const partitionMaxBytes = opts.partitionMaxBytes ?? DEFAULTS.partitionMaxBytes;
    const key = `${topic}\u0000${maxBytes}\u0000${partitionMaxBytes}`;

    let conn: BrokerConnection;
    let version: number;
    let asked: Map<number, number>;
    let r: Reader;
    let readAhead = false;
    const ra = this.readAheads.get(leader);
    this.readAheads.delete(leader);
    // Usable when it was asked with the same sizes for these exact positions (it may hold more
    // partitions: a caller that stops reading a caught-up partition; those are left out).
    if (ra && ra.key === key && ra.conn.isOpen && parts.every((p) => ra.partitions.get(p) === positions.get(p))) {
      ({ conn, version } = ra);
      asked = new Map(parts.map((p) => [p, positions.get(p)!]));
      r = await this.awaitWithSignal(ra.promise, opts.signal);
      readAhead = true;
    } else {
      conn = await this.leaderConnection(leader);
      version = this.fetchVersion(conn, meta);
      asked = new Map(parts.map((p) => [p, positions.get(p)!]));
      const req = this.fetchRequest(topic, meta, leader, asked, maxWaitMs, minBytes, maxBytes, partitionMaxBytes);
      r = await conn.send(ApiKey.Fetch, version, (w) => encodeFetch(w, version, req), {
        timeoutMs: this.requestTimeoutMs + maxWaitMs,
        room: opts.raw === true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
    const res = this.decode(conn, 'Fetch', () => decodeFetch(r, version));
    if (res.errorCode !== 0) throw errorFromCode(res.errorCode, { broker: conn.address, topic, what: 'fetch' });
    const parsed = this.ourPartitions(res, topic, meta, asked);
    // Ask for what comes next before decoding this lot: the broker sends while we decode.
    const more = !opts.signal?.aborted && this.maybeReadAhead(topic, meta, leader, conn, version, parsed, r.buf, maxBytes, partitionMaxBytes, asked, opts.raw === true);
    const fetched = this.decodeFetched(conn, r.buf, parsed, topic, asked, opts.raw === true);
    // A read-ahead goes with maxWaitMs 0; if it found nothing new, do the real (long-poll) fetch.
    if (readAhead && !more && maxWaitMs > 0 && fetched.every((f) => f.records.length === 0 && !f.batches?.length && f.errorCode === 0)) {
      return this.fetchFromLeader(topic, meta, leader, parts, positions, opts);
    }
    return fetched;
  }

  private fetchVersion(conn: BrokerConnection, meta: TopicMeta): number {
    const v = conn.version(ApiKey.Fetch);
    // Topic ids (v13+) need the id from Metadata v10+.
    return v >= 13 && !meta.topicId ? 12 : v;
  }

  private fetchRequest(
    topic: string,
    meta: TopicMeta,
    leader: number,
    asked: Map<number, number>,
    maxWaitMs: number,
    minBytes: number,
    maxBytes: number,
    partitionMaxBytes: number,
  ) {
    // Rotate the partition order so a partition behind a big first batch is not always last
    // (the broker fills partitions in request order up to maxBytes).
    const list = [...asked.keys()];
    const start = (this.rotation.get(leader) ?? 0) % list.length;
    this.rotation.set(leader, start + 1);
    const ordered = list.slice(start).concat(list.slice(0, start));
    return {
      maxWaitMs,
      minBytes,
      maxBytes: Math.min(maxBytes, 0x7fffffff),
      isolation: this.isolation,
      topic,
      topicId: meta.topicId,
      partitions: ordered.map((p) => ({ partition: p, offset: asked.get(p)!, maxBytes: Math.min(partitionMaxBytes, 0x7fffffff), leaderEpoch: -1 })),
    };
  }

  /**
   * When the answer shows more data waiting (a partition's batches end before its high
   * watermark), asks for it right away (maxWaitMs 0). Returns whether it did.
   */
  private maybeReadAhead(
    topic: string,
    meta: TopicMeta,
    leader: number,
    conn: BrokerConnection,
    version: number,
    parsed: Map<number, FetchResponsePartition>,
    frame: Buffer,
    maxBytes: number,
    partitionMaxBytes: number,
    asked: Map<number, number>,
    raw: boolean,
  ): boolean {
    if (!this.readAheadEnabled || this.closed || !conn.isOpen) return false;
    let more = false;
    const next = new Map<number, number>();
    for (const [partition, from] of asked) {
      const p = parsed.get(partition);
      if (!p || p.errorCode !== 0) return false;
      const n = scanNextOffset(frame, p.recordsStart, p.recordsEnd, from);
      const end = this.isolation === 'read_committed' && p.lastStableOffset >= 0 ? p.lastStableOffset : p.highWatermark;
      if (n < end) more = true;
      next.set(partition, n);
    }
    if (!more) return false;
    const req = this.fetchRequest(topic, meta, leader, next, 0, 1, maxBytes, partitionMaxBytes);
    const promise = conn.send(ApiKey.Fetch, version, (w) => encodeFetch(w, version, req), { timeoutMs: this.requestTimeoutMs, room: raw });
    promise.catch(NOOP); // consumed (and its error seen) only if the caller asks for these positions
    this.readAheads.set(leader, { key: `${topic}\u0000${maxBytes}\u0000${partitionMaxBytes}`, conn, version, promise, partitions: next });
    return true;
  }

  private awaitWithSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return p;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** The asked partitions of our topic in a Fetch answer. */
  private ourPartitions(res: FetchResponse, topic: string, meta: TopicMeta, asked: Map<number, number>): Map<number, FetchResponsePartition> {
    const out = new Map<number, FetchResponsePartition>();
    for (const t of res.topics) {
      if (t.topic !== null ? t.topic !== topic : !meta.topicId || !t.topicId || !meta.topicId.equals(t.topicId)) continue;
      for (const p of t.partitions) if (asked.has(p.partition)) out.set(p.partition, p);
    }
    return out;
  }

  private decodeFetched(
    conn: BrokerConnection,
    frame: Buffer,
    parsed: Map<number, FetchResponsePartition>,
    topic: string,
    asked: Map<number, number>,
    raw: boolean,
  ): FetchedPartition[] {
    const out: FetchedPartition[] = [];
    for (const [partition, from] of asked) {
      const p = parsed.get(partition);
      if (!p) {
        out.push({
          partition,
          errorCode: ErrorCodes.UNKNOWN_SERVER_ERROR,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          records: [],
          nextOffset: from,
          error: new KafkaError('PROTOCOL', `Kafka broker ${conn.label} left ${topic}[${partition}] out of its fetch answer`, {
            broker: conn.address,
            topic,
            partition,
            retriable: true,
          }),
        });
        continue;
      }
      if (p.errorCode !== 0) {
        if (needsMetadataRefresh(p.errorCode)) this.markStale(topic);
        out.push({
          partition,
          errorCode: p.errorCode,
          highWatermark: p.highWatermark,
          lastStableOffset: p.lastStableOffset,
          logStartOffset: p.logStartOffset,
          records: [],
          nextOffset: from,
          error: errorFromCode(p.errorCode, { broker: conn.address, topic, partition, what: 'fetch' }),
        });
        continue;
      }
      const records: KafkaRecord[] = [];
      const batches: RecordBatch[] | null = raw ? [] : null;
      let nextOffset: number;
      let errorCode = 0;
      let error: KafkaError | undefined;
      try {
        nextOffset = decodeRecordBatches(frame, p.recordsStart, p.recordsEnd, from, this.isolation === 'read_committed' ? p.aborted : null, records, batches).nextOffset;
      } catch (e) {
        if (!(e instanceof RecordDecodeError || e instanceof CodecError || e instanceof VarintError || e instanceof RangeError)) throw e;
        // Keep what decoded cleanly before the bad batch; the caller sees the error and where.
        const last = records.length ? records[records.length - 1]!.offset : batches?.length ? batches[batches.length - 1]!.lastOffset : null;
        const after = last ?? from;
        errorCode = ErrorCodes.CORRUPT_MESSAGE;
        error = new KafkaError('PROTOCOL', `cannot decode records of ${topic}[${partition}] from Kafka broker ${conn.label} after offset ${after}: ${e.message}`, {
          broker: conn.address,
          topic,
          partition,
          kafkaCode: ErrorCodes.CORRUPT_MESSAGE,
        });
        nextOffset = last === null ? from : last + 1;
      }
      const fp: FetchedPartition = {
        partition,
        errorCode,
        highWatermark: p.highWatermark,
        lastStableOffset: p.lastStableOffset,
        logStartOffset: p.logStartOffset,
        records,
        nextOffset,
      };
      if (batches?.length) fp.batches = batches;
      if (records.length || batches?.length) fp.frame = frame;
      if (error) fp.error = error;
      out.push(fp);
    }
    return out;
  }

  /** Free memory after fetch answers read with `raw` (see FramePool.carve), until they are recycled. */
  get room(): FrameRoom {
    return this.frames;
  }

  /**
   * The caller has copied what it keeps of these fetch answers (FetchedPartition.frame) and holds
   * no view of them (or of what it carved from their room) any more: their memory takes the next answers.
   */
  recycle(frames: Iterable<Buffer>): void {
    for (const f of frames) this.frames.giveBack(f);
  }

  // ---------------------------------------------------------------- close

  /** Closes every connection; calls in flight fail with CLOSED, later calls too. */
  async close(): Promise<void> {
    this.closed = true;
    this.readAheads.clear();
    const pending = [...this.connecting.values()];
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
    await Promise.allSettled(pending);
  }
}
