// A Kafka topic as a record source, read with our own group-less client: assignment and seek
// only, never a consumer group, never a commit, so looking never disturbs the product's consumers.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../../../shared/api/errors';
import type { Connection } from '../../catalog/workspace';
import { resolveSecret } from '../../secrets';
import { KafkaClient, KafkaError, type KafkaClientOptions } from '../kafka/client';
import { SourceError } from '../tail';
import type { FrameRoom } from '../kafka/frame-pool';
import type { PartitionBatch, ReadOptions, RecordSource, Watermarks } from './record-source';

type KafkaConnection = Extract<Connection, { type: 'kafka' }>;

/** Kafka client errors as API errors that name the broker and the setting to check. */
export function kafkaApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof KafkaError) {
    const details = { broker: e.broker ?? null, kafkaCode: e.code };
    switch (e.code) {
      case 'UNREACHABLE':
      case 'TIMEOUT':
      case 'CLOSED':
        return new ApiError('KAFKA_UNREACHABLE', e.message, details);
      case 'UNKNOWN_TOPIC':
        return new ApiError('NOT_FOUND', e.message, details);
      case 'AUTH_FAILED':
      case 'NOT_AUTHORIZED':
      case 'TLS':
        return new ApiError('UNAUTHORIZED', e.message, details);
      default:
        return new ApiError('INTERNAL', e.message, details);
    }
  }
  return new ApiError('INTERNAL', (e as Error).message ?? String(e));
}

export async function kafkaClientOptions(c: KafkaConnection, root: string): Promise<KafkaClientOptions> {
  const file = (p: string | undefined) => (p ? readFile(resolve(root, p)) : Promise.resolve(undefined));
  const opts: KafkaClientOptions = { brokers: [c.bootstrap].flat(), clientId: c.clientId ?? 'dpx' };
  if (c.tls) {
    const [ca, cert, key] = await Promise.all([file(c.tls.ca), file(c.tls.cert), file(c.tls.key)]);
    opts.tls = {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(c.tls.passphraseRef ? { passphrase: resolveSecret(c.tls.passphraseRef, 'tls.passphraseRef', root) } : {}),
      ...(c.tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    };
  }
  if (c.sasl) opts.sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: resolveSecret(c.sasl.passwordRef, 'sasl.passwordRef', root) };
  return opts;
}

export class KafkaSource implements RecordSource {
  readonly live = true;
  readonly address: string;
  /** The fetch answer each read partition's records are views of (see recycle). */
  private readonly frames = new WeakMap<PartitionBatch, Buffer>();

  constructor(
    private readonly client: KafkaClient,
    readonly topic: string,
    bootstrap: string[],
  ) {
    this.address = `kafka://${bootstrap.join(',')}/${topic}`;
  }

  async partitions(): Promise<number[]> {
    try {
      return (await this.client.topic(this.topic)).partitions.map((p) => p.partition).sort((a, b) => a - b);
    } catch (e) {
      throw kafkaApiError(e);
    }
  }

  async watermarks(partitions: number[]): Promise<Map<number, Watermarks>> {
    try {
      const [low, high] = await Promise.all([this.client.offsets(this.topic, partitions, 'earliest'), this.client.offsets(this.topic, partitions, 'latest')]);
      return new Map(partitions.map((p) => [p, { low: low.get(p) ?? 0, high: high.get(p) ?? 0 }]));
    } catch (e) {
      throw kafkaApiError(e);
    }
  }

  async offsetsForTime(partitions: number[], at: number): Promise<Map<number, number>> {
    try {
      return await this.client.offsets(this.topic, partitions, at);
    } catch (e) {
      throw kafkaApiError(e);
    }
  }

  async read(positions: Map<number, number>, opts: ReadOptions): Promise<PartitionBatch[]> {
    try {
      const fetched = await this.client.fetch(this.topic, positions, { maxWaitMs: opts.maxWaitMs, signal: opts.signal, raw: opts.batches === true });
      // Kafka records are source records as they are: no copy per record.
      return fetched.map((f) => {
        const batch: PartitionBatch = {
          partition: f.partition,
          high: f.highWatermark,
          low: f.logStartOffset,
          next: f.nextOffset,
          records: f.records,
          ...(f.batches ? { batches: f.batches } : {}),
        };
        if (f.frame) this.frames.set(batch, f.frame);
        return batch;
      });
    } catch (e) {
      if (e instanceof KafkaError && e.retriable) throw new SourceError(e.message, true);
      throw kafkaApiError(e);
    }
  }

  get room(): FrameRoom {
    return this.client.room;
  }

  recycle(read: PartitionBatch[]): void {
    const frames = new Set<Buffer>();
    for (const b of read) {
      const f = this.frames.get(b);
      if (f) frames.add(f);
      this.frames.delete(b);
    }
    this.client.recycle(frames);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export async function openKafkaSource(c: KafkaConnection, topic: string, root = process.cwd()): Promise<KafkaSource> {
  const client = new KafkaClient(await kafkaClientOptions(c, root));
  try {
    await client.connect();
    await client.topic(topic);
  } catch (e) {
    await client.close().catch(() => undefined);
    throw kafkaApiError(e);
  }
  return new KafkaSource(client, topic, [c.bootstrap].flat());
}
