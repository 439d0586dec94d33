// The tail engine: reads a record source from start positions, decodes each record, checks it
// against the contract, applies the filter, and hands batches to a sink at a bounded rate.
// Live tails follow the stream; `toEnd` stops at the end as it was when the tail started.
// Faults the source marks retriable (broker restart, leader change) are retried from the kept
// positions, so a tail resumes with no gap and no duplicate.
import type { PartitionPosition, StreamMessage, StreamStats } from '../../../shared/model/stream';
import type { RecordValidator } from '../quality/record-validator';
import type { CaptureWriter } from './capture/capture-writer';
import { decodeHeaders, decodeKey, type ValueDecoder } from './decode';
import type { RecordSource, SourceRecord, Watermarks } from './sources/record-source';

export type MessageFilter = (m: StreamMessage) => boolean;

export interface TailSink {
  messages(batch: StreamMessage[]): void;
  progress(stats: StreamStats, positions: PartitionPosition[]): void;
  status(state: 'live' | 'caught-up' | 'reconnecting' | 'ended', message?: string): void;
}

export interface TailOptions {
  source: RecordSource;
  positions: Map<number, number>;
  marks: Map<number, Watermarks>;
  decode: ValueDecoder;
  validate?: RecordValidator;
  filter?: MessageFilter;
  limit?: number;
  maxScanned?: number;
  toEnd: boolean;
  until?: number;
  capture?: CaptureWriter;
  signal: AbortSignal;
  sink: TailSink;
  /** How often batches and progress reach the sink: the UI repaints at most this often. */
  flushMs?: number;
  progressMs?: number;
  /** Flush early when a batch gets this big. */
  maxBatch?: number;
}

export interface TailResult {
  stats: StreamStats;
  positions: PartitionPosition[];
  reason: 'limit' | 'end' | 'cancelled' | 'max-scanned' | 'until';
}

/** Retriable-error backoff: quick at first, then at most every few seconds. */
const BACKOFF_MS = [200, 500, 1000, 2000, 5000];

export class SourceError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export function toMessage(partition: number, r: SourceRecord, decode: ValueDecoder, validate?: RecordValidator): StreamMessage {
  const key = decodeKey(r.key);
  const decoded = decode(r.value);
  const errors = decoded.error ? [`value: ${decoded.error}`] : validate && decoded.encoding !== 'null' ? validate(decoded.value) : [];
  if (validate && decoded.encoding === 'null') errors.push('value: null (a tombstone), not a record');
  const m: StreamMessage = {
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: key.key,
    keyEncoding: key.encoding,
    value: decoded.value,
    valueEncoding: decoded.encoding,
    headers: decodeHeaders(r.headers),
    size: r.value?.length ?? 0,
    errors,
  };
  if (validate || decoded.error) m.valid = errors.length === 0;
  return m;
}

export async function runTail(o: TailOptions): Promise<TailResult> {
  const flushMs = o.flushMs ?? 50;
  const progressMs = o.progressMs ?? 250;
  const maxBatch = o.maxBatch ?? 2000;
  const positions = new Map(o.positions);
  const marks = new Map(o.marks);
  const end = new Map([...positions.keys()].map((p) => [p, marks.get(p)!.high]));
  const stats: StreamStats = { scanned: 0, matched: 0, checked: 0, passed: 0, rate: 0, bytes: 0 };
  let pending: StreamMessage[] = [];
  let lastFlush = Date.now();
  let lastProgress = 0;
  let rateWindow: Array<[number, number]> = [];
  let state: 'live' | 'caught-up' | 'reconnecting' | null = null;
  let failures = 0;

  const positionList = (): PartitionPosition[] =>
    [...positions].map(([partition, next]) => ({ partition, next, high: marks.get(partition)!.high, low: marks.get(partition)!.low }));
  const setState = (s: 'live' | 'caught-up' | 'reconnecting', message?: string) => {
    if (state === s && s !== 'reconnecting') return;
    state = s;
    o.sink.status(s, message);
  };
  const flush = (force: boolean) => {
    const now = Date.now();
    if (pending.length && (force || pending.length >= maxBatch || now - lastFlush >= flushMs)) {
      o.sink.messages(pending);
      pending = [];
      lastFlush = now;
    }
    if (force || now - lastProgress >= progressMs) {
      rateWindow = rateWindow.filter(([t]) => now - t <= 1000);
      stats.rate = rateWindow.reduce((a, [, n]) => a + n, 0);
      o.sink.progress({ ...stats }, positionList());
      lastProgress = now;
    }
  };
  const finish = (reason: TailResult['reason']): TailResult => {
    flush(true);
    return { stats: { ...stats }, positions: positionList(), reason };
  };

  // Partitions past the time range of a search are done even when the tail follows the stream.
  const done = new Set<number>();
  while (!o.signal.aborted) {
    const active = new Map([...positions].filter(([p, next]) => !done.has(p) && (!o.toEnd || next < end.get(p)!)));
    if (active.size === 0) return finish(done.size ? 'until' : 'end');
    let batches;
    try {
      batches = await o.source.read(active, { maxWaitMs: o.source.live && !o.toEnd ? 500 : 100, signal: o.signal });
      failures = 0;
    } catch (e) {
      if (o.signal.aborted) break;
      if (!(e instanceof SourceError) || !e.retriable) throw e;
      setState('reconnecting', e.message);
      await sleep(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]!, o.signal);
      continue;
    }
    let read = 0;
    for (const batch of batches) {
      marks.set(batch.partition, { low: batch.low, high: batch.high });
      const stopAt = o.toEnd ? end.get(batch.partition)! : Infinity;
      if (batch.records.length) o.capture?.append(batch.partition, batch.records.filter((r) => r.offset < stopAt));
      for (const r of batch.records) {
        if (r.offset >= stopAt) break;
        if (o.until !== undefined && r.timestamp > o.until) {
          done.add(batch.partition);
          break;
        }
        positions.set(batch.partition, r.offset + 1);
        read++;
        stats.scanned++;
        stats.bytes += r.value?.length ?? 0;
        const m = toMessage(batch.partition, r, o.decode, o.validate);
        if (m.valid !== undefined) {
          stats.checked++;
          if (m.valid) stats.passed++;
        }
        if (!o.filter || o.filter(m)) {
          stats.matched++;
          pending.push(m);
          if (o.limit !== undefined && stats.matched >= o.limit) return finish('limit');
          // Never hand the sink more than one batch at a time, even when a read brings thousands.
          if (pending.length >= maxBatch) flush(false);
        }
        if (o.maxScanned !== undefined && stats.scanned >= o.maxScanned) return finish('max-scanned');
      }
    }
    if (read) rateWindow.push([Date.now(), read]);
    const caughtUp = [...positions].every(([p, next]) => next >= marks.get(p)!.high);
    if (!o.toEnd && o.source.live) setState(caughtUp ? 'caught-up' : 'live');
    else if (state === 'reconnecting') setState('live');
    flush(false);
  }
  return finish('cancelled');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
