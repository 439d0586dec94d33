// The tail engine: reads a record source from start positions, decodes each record, checks it
// against the contract, applies the filter, and hands batches to a sink at a bounded rate.
// Live tails follow the stream; `toEnd` stops at the end as it was when the tail started.
// Faults the source marks retriable (broker restart, leader change) are retried from the kept
// positions, so a tail resumes with no gap and no duplicate.
//
// Two ways to process what is read, with the same stop rules, positions and stats:
// - inline (the app): each record becomes a StreamMessage, batched to `sink.messages`;
// - a TailProcessor (the CLI): records go in chunks to a processor (on this thread or on worker
//   threads, see parallel/) that returns output bytes and per-record flags; chunks are applied in
//   the order they were read, so per-partition order, `limit` and the stats stay exact.
import type { PartitionPosition, StreamMessage, StreamStats } from '../../../shared/model/stream';
import type { RecordValidator } from '../quality/record-validator';
import type { CaptureWriter } from './capture/capture-writer';
import type { ValueDecoder } from './decode';
import { toMessage, type MessageFilter } from './message';
import type { FrameRoom } from './kafka/frame-pool';
import { CHECKED, MATCHED, PASSED, REC, R_OFFSET, R_PARTITION, R_VALUE_LEN, type Chunk, type ChunkResult } from './parallel/chunk';
import { runEnd, runLength, runsOf, splitRun, type RecordRun } from './runs';
import type { PartitionBatch, RecordSource, Watermarks } from './sources/record-source';

export interface TailSink {
  messages(batch: StreamMessage[]): void;
  progress(stats: StreamStats, positions: PartitionPosition[]): void;
  status(state: 'live' | 'caught-up' | 'reconnecting' | 'ended', message?: string): void;
  /**
   * With a processor: its output, in order. A returned promise holds the tail (backpressure).
   * `written` is called once the bytes are written (or dropped): their memory is then reused.
   */
  output?(bytes: Uint8Array, written: () => void): void | Promise<void>;
}

/** Processes chunks of records off the read loop: what `sink.messages` and decode/validate/filter do inline. */
export interface TailProcessor {
  /** Chunks that may be in flight at once (read ahead of the output). */
  readonly depth: number;
  /** Records per chunk at most. */
  readonly chunkRecords: number;
  /**
   * Takes records as soon as they are read, copying what it needs (a chunk), so the records and
   * the fetch response they are views of die young: garbage collection stays cheap. Runs may be
   * undecoded record batches (see runs.ts). With `room` (free memory after the fetch answer the
   * runs are in) the chunk is built there instead, nothing copied: the answer's memory is then
   * in use until the chunk is released.
   */
  prepare(runs: RecordRun[], count: number, room?: FrameRoom): Chunk;
  /**
   * Results come back per record, in the order of the runs, with the chunk's table (partition,
   * offset, size of each record): the engine keeps no record while it is processed.
   */
  process(chunk: Chunk): Promise<ChunkResult>;
  /** The output of the oldest chunk applied and not yet released is written: its memory may be reused. */
  release(): void;
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
  /** Processes records in chunks instead (decode, validate and filter are then its business). */
  processor?: TailProcessor;
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

/** Smallest chunk a processed tail sends while a limit is near (bounds re-reading when a filter rejects most). */
const MIN_CHUNK = 256;

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

/** State both ways of processing share: positions, marks, stats, the rate, the connection state. */
class TailState {
  /** Next offset per partition, of what was processed (what progress and the result report). */
  readonly positions: Map<number, number>;
  readonly marks: Map<number, Watermarks>;
  /** Where a `toEnd` tail stops, per partition. */
  readonly end: Map<number, number>;
  /** Partitions past the time range of a search: done even when the tail follows the stream. */
  readonly done = new Set<number>();
  readonly stats: StreamStats = { scanned: 0, matched: 0, checked: 0, passed: 0, rate: 0, bytes: 0 };
  private rateWindow: Array<[number, number]> = [];
  private lastProgress = 0;
  private state: 'live' | 'caught-up' | 'reconnecting' | null = null;
  private failures = 0;
  /**
   * Ask the source for undecoded record batches: a processor copies them whole. Not with a
   * capture (it keeps records) or a time range (its stop rule reads each record's time). Then
   * nothing of a read is kept but the processor's chunks.
   */
  readonly batches: boolean;

  constructor(
    private readonly o: TailOptions,
    private readonly progressMs: number,
  ) {
    this.positions = new Map(o.positions);
    this.marks = new Map(o.marks);
    this.end = new Map([...this.positions.keys()].map((p) => [p, this.marks.get(p)!.high]));
    this.batches = o.processor !== undefined && o.capture === undefined && o.until === undefined;
  }

  positionList(): PartitionPosition[] {
    return [...this.positions].map(([partition, next]) => ({ partition, next, high: this.marks.get(partition)!.high, low: this.marks.get(partition)!.low }));
  }

  setState(s: 'live' | 'caught-up' | 'reconnecting', message?: string): void {
    if (this.state === s && s !== 'reconnecting') return;
    this.state = s;
    this.o.sink.status(s, message);
  }

  /** After a read: live or caught up (by the given read positions), or back from reconnecting. */
  afterRead(reading: Map<number, number>): void {
    this.failures = 0;
    const caughtUp = [...reading].every(([p, next]) => next >= this.marks.get(p)!.high);
    if (!this.o.toEnd && this.o.source.live) this.setState(caughtUp ? 'caught-up' : 'live');
    else if (this.state === 'reconnecting') this.setState('live');
  }

  counted(n: number): void {
    if (n) this.rateWindow.push([Date.now(), n]);
  }

  progress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < this.progressMs) return;
    this.rateWindow = this.rateWindow.filter(([t]) => now - t <= 1000);
    this.stats.rate = this.rateWindow.reduce((a, [, n]) => a + n, 0);
    this.o.sink.progress({ ...this.stats }, this.positionList());
    this.lastProgress = now;
  }

  /**
   * After a partition's read was taken whole: move its position past what the source says is not
   * a message (a transaction's commit marker, aborted records). Otherwise a tail to the end of a
   * transactional topic would fetch its last marker again and again and never end.
   */
  skipPast(positions: Map<number, number>, batch: PartitionBatch, stopAt: number): void {
    if (batch.next === undefined) return;
    const at = positions.get(batch.partition);
    if (at !== undefined && batch.next > at) positions.set(batch.partition, Math.min(batch.next, stopAt));
  }

  /** Partitions still to read from the given read positions. */
  active(reading: Map<number, number>): Map<number, number> {
    return new Map([...reading].filter(([p, next]) => !this.done.has(p) && (!this.o.toEnd || next < this.end.get(p)!)));
  }

  /** One read, with the retriable-fault backoff; null when the fault was retriable (read again). */
  async read(active: Map<number, number>, signal: AbortSignal) {
    try {
      return await this.o.source.read(active, { maxWaitMs: this.o.source.live && !this.o.toEnd ? 500 : 100, signal, batches: this.batches });
    } catch (e) {
      if (signal.aborted) return null;
      if (!(e instanceof SourceError) || !e.retriable) throw e;
      this.setState('reconnecting', e.message);
      await sleep(BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)]!, signal);
      return null;
    }
  }
}

export async function runTail(o: TailOptions): Promise<TailResult> {
  return o.processor ? runProcessed(o, o.processor) : runInline(o);
}

async function runInline(o: TailOptions): Promise<TailResult> {
  const flushMs = o.flushMs ?? 50;
  const maxBatch = o.maxBatch ?? 2000;
  const t = new TailState(o, o.progressMs ?? 250);
  const { positions, marks, end, done, stats } = t;
  let pending: StreamMessage[] = [];
  let lastFlush = Date.now();

  const flush = (force: boolean) => {
    const now = Date.now();
    if (pending.length && (force || pending.length >= maxBatch || now - lastFlush >= flushMs)) {
      o.sink.messages(pending);
      pending = [];
      lastFlush = now;
    }
    t.progress(force);
  };
  const finish = (reason: TailResult['reason']): TailResult => {
    flush(true);
    return { stats: { ...stats }, positions: t.positionList(), reason };
  };

  while (!o.signal.aborted) {
    const active = t.active(positions);
    if (active.size === 0) return finish(done.size ? 'until' : 'end');
    const batches = await t.read(active, o.signal);
    if (batches === null) continue;
    let read = 0;
    for (const batch of batches) {
      marks.set(batch.partition, { low: batch.low, high: batch.high });
      const stopAt = o.toEnd ? end.get(batch.partition)! : Infinity;
      if (batch.records.length) o.capture?.append(batch.partition, batch.records.filter((r) => r.offset < stopAt));
      let cut = false;
      for (const r of batch.records) {
        if (r.offset >= stopAt) {
          cut = true;
          break;
        }
        if (o.until !== undefined && r.timestamp > o.until) {
          done.add(batch.partition);
          cut = true;
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
      if (!cut) t.skipPast(positions, batch, stopAt);
    }
    t.counted(read);
    t.afterRead(positions);
    flush(false);
  }
  return finish('cancelled');
}

interface Job {
  result: Promise<ChunkResult>;
}

/** Wakes one waiter; a wake with nobody waiting is kept for the next wait. */
class Wakeup {
  private waiting: (() => void) | null = null;
  private pending = false;
  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }
  wake(): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w();
    else this.pending = true;
  }
}

/**
 * The processed way: a reader reads ahead (up to `processor.depth` chunks in flight) and decides
 * what is read (the end of a `toEnd` tail, `until`, `maxScanned`); the applier takes results in
 * read order, counts, writes output, and stops exactly at `limit`.
 */
async function runProcessed(o: TailOptions, processor: TailProcessor): Promise<TailResult> {
  const t = new TailState(o, o.progressMs ?? 250);
  const { positions, marks, end, done, stats } = t;
  const reading = new Map(o.positions);
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  const queue: Job[] = [];
  const toApplier = new Wakeup();
  const toReader = new Wakeup();
  let readerEnd: TailResult['reason'] | null = null;
  let readerError: { error: unknown } | null = null;

  // What was read waits here, prepared as chunks, until the processor has room for it. Under a
  // limit, only as many records are prepared as could still match (a `--limit 1` tail processes
  // a few records, not the whole read); the rest wait as runs.
  const ready: Chunk[] = [];
  const backlog: RecordRun[] = [];
  let backlogCount = 0;
  /** Records prepared or submitted and not yet applied. */
  let pending = 0;
  const prepare = () => {
    while (backlogCount > 0) {
      const room = o.limit === undefined ? Infinity : o.limit - stats.matched - pending;
      if (room <= 0) return;
      // Whole runs up to chunkRecords (a batch cut in two would have its bytes copied twice);
      // only the room under a limit cuts one.
      const most = Math.min(backlogCount, Math.max(room, MIN_CHUNK));
      const runs: RecordRun[] = [];
      let count = 0;
      while (count < Math.min(most, processor.chunkRecords)) {
        const run = backlog[0]!;
        const length = runLength(run);
        const take = Math.min(most - count, length);
        if (take === length) {
          runs.push(run);
          backlog.shift();
        } else {
          const [head, rest] = splitRun(run, take);
          runs.push(head);
          backlog[0] = rest;
        }
        count += take;
      }
      backlogCount -= count;
      pending += count;
      ready.push(processor.prepare(runs, count, answerRoom));
      prepared++;
    }
  };
  // Reads whose memory goes back to the source (recycle) once the chunks made of them are
  // written out: chunks built in a fetch answer's room use it until then.
  const answerRoom = t.batches ? o.source.room : undefined;
  let prepared = 0;
  let released = 0;
  const recycling: Array<{ read: PartitionBatch[]; after: number }> = [];
  const release = () => {
    processor.release();
    released++;
    while (recycling.length && recycling[0]!.after <= released) {
      const { read } = recycling.shift()!;
      o.source.recycle?.(read);
    }
  };
  const submit = () => {
    while (ready.length && queue.length < processor.depth) {
      const result = processor.process(ready.shift()!);
      // Results past a limit are never awaited: their failures must not go unhandled.
      result.catch(() => undefined);
      queue.push({ result });
      toApplier.wake();
    }
  };

  const reader = (async () => {
    let taken = 0;
    /** The last read, when nothing but the processor's chunks of it is kept (see TailState.batches). */
    let lastRead: PartitionBatch[] | null = null;
    try {
      while (!signal.aborted) {
        prepare();
        submit();
        if (ready.length || backlogCount) {
          await toReader.wait();
          continue;
        }
        const active = t.active(reading);
        if (active.size === 0) {
          readerEnd = done.size ? 'until' : 'end';
          return;
        }
        if (o.maxScanned !== undefined && taken >= o.maxScanned) {
          readerEnd = 'max-scanned';
          return;
        }
        // A read starts only once nothing of the last one waits to be prepared (above): all of it is
        // in chunks, and its memory may take later answers once they are written out.
        if (lastRead && o.source.recycle) recycling.push({ read: lastRead, after: prepared });
        lastRead = null;
        const batches = await t.read(active, signal);
        if (batches === null || signal.aborted) continue;
        if (t.batches) lastRead = batches;
        for (const batch of batches) {
          marks.set(batch.partition, { low: batch.low, high: batch.high });
          const stopAt = o.toEnd ? end.get(batch.partition)! : Infinity;
          if (batch.records.length) o.capture?.append(batch.partition, batch.records.filter((r) => r.offset < stopAt));
          let cut = false;
          for (const run of runsOf(batch, stopAt)) {
            const length = runLength(run);
            let n = 0;
            if ('records' in run) {
              for (; n < length; n++) {
                const r = run.records[n]!;
                if (r.offset >= stopAt) break;
                if (o.until !== undefined && r.timestamp > o.until) {
                  done.add(batch.partition);
                  break;
                }
                if (o.maxScanned !== undefined && taken + n >= o.maxScanned) break;
              }
            } else n = o.maxScanned === undefined ? length : Math.max(0, Math.min(length, o.maxScanned - taken));
            if (n > 0) {
              const head = n === length ? run : splitRun(run, n)[0];
              taken += n;
              reading.set(batch.partition, runEnd(head));
              backlog.push(head);
              backlogCount += n;
            }
            // A stop rule cut this run: the rest of the partition's read is not taken.
            if (n < length) {
              cut = true;
              break;
            }
          }
          if (!cut) t.skipPast(reading, batch, stopAt);
        }
        t.afterRead(reading);
        t.progress(false);
      }
    } catch (e) {
      readerError = { error: e };
    } finally {
      toApplier.wake();
    }
  })();

  const finish = (reason: TailResult['reason']): TailResult => {
    t.progress(true);
    return { stats: { ...stats }, positions: t.positionList(), reason };
  };

  try {
    for (;;) {
      if (o.signal.aborted) return finish('cancelled');
      const job = queue[0];
      if (!job) {
        if (readerError) throw (readerError as { error: unknown }).error;
        if (readerEnd) return finish(readerEnd);
        if (signal.aborted) return finish('cancelled');
        await toApplier.wait();
        continue;
      }
      const result = await job.result;
      queue.shift();
      pending -= result.count;
      toReader.wake();
      if (o.signal.aborted) return finish('cancelled');
      const { count, recs, flags, ends, out } = result;
      // Counted in locals and stored once per chunk: a million increments of the stats object's
      // fields cost the main thread ~0.1 s.
      const limit = o.limit ?? Infinity;
      const maxScanned = o.maxScanned ?? Infinity;
      let { scanned, bytes, checked, passed, matched } = stats;
      let i = 0;
      let stopped: TailResult['reason'] | null = null;
      for (; i < count; i++) {
        const at = i * REC;
        const size = recs[at + R_VALUE_LEN]!;
        scanned++;
        if (size > 0) bytes += size;
        const f = flags[i]!;
        if (f & CHECKED) {
          checked++;
          if (f & PASSED) passed++;
        }
        if (f & MATCHED && ++matched >= limit) stopped = 'limit';
        else if (scanned >= maxScanned) stopped = 'max-scanned';
        // Runs of one partition are in offset order: the last record of each sets its position.
        const p = recs[at + R_PARTITION]!;
        if (stopped || i + 1 === count || recs[at + REC + R_PARTITION] !== p) positions.set(p, recs[at + R_OFFSET]! + 1);
        if (stopped) break;
      }
      Object.assign(stats, { scanned, bytes, checked, passed, matched });
      const cut = stopped ? ends[i]! : out.length;
      t.counted(stopped ? i + 1 : i);
      if (cut > 0 && o.sink.output) {
        const wrote = o.sink.output(cut === out.length ? out : out.subarray(0, cut), release);
        if (wrote) await wrote;
      } else release();
      if (stopped) return finish(stopped);
      t.progress(false);
    }
  } finally {
    stop.abort();
    toReader.wake();
    await reader;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
