// Where tail chunks are processed: on this thread (LocalProcessor) or on worker threads
// (WorkerPool). Both take the records of a read, cut into chunks by the engine, and give back
// output bytes and per-record flags; the engine applies them in read order.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RecordRun } from '../runs';
import type { TailProcessor } from '../tail';
import type { FrameRoom } from '../kafka/frame-pool';
import { ChunkBuilder, chunkTables, type Chunk, type ChunkResult } from './chunk';
import type { ChunkProcessor, LineSpec } from './lines';
import { ChunkRing } from './ring';
import { WORKER_FLAG, type FromWorker, type ToWorker } from './worker';

/** Chunk buffers of a tail: enough for the chunks in flight and output waiting to be written. */
const RING_BYTES = 64 << 20;

/** Chunks prepared in a ring of buffers, released in turn once their output is written. */
abstract class RingProcessor {
  private readonly ring = new ChunkRing(RING_BYTES);
  private readonly tables = chunkTables();

  prepare(runs: RecordRun[], count: number, room?: FrameRoom): Chunk {
    const b = new ChunkBuilder(count, this.tables, room ? frameOf(runs) : null);
    for (const run of runs) {
      if ('records' in run) for (const r of run.records) b.add(run.partition, r);
      else b.addBatch(run.partition, run.batch, run.first, run.count);
    }
    let ringed = false;
    const chunk = b.build((bytes) => {
      ringed = true;
      return this.ring.take(bytes);
    }, room);
    // Built in its frame: it still takes its turn in release().
    if (!ringed) this.ring.pass();
    return chunk;
  }

  release(): void {
    this.ring.release();
  }
}

/** The shared memory all of the runs' bytes are in (one fetch answer), if they are all in one. */
function frameOf(runs: RecordRun[]): SharedArrayBuffer | null {
  const first = runs[0];
  if (!first) return null;
  const memory = 'records' in first ? (first.records[0]?.value ?? first.records[0]?.key)?.buffer : first.batch.buf.buffer;
  if (!(memory instanceof SharedArrayBuffer)) return null;
  const inIt = (b: Buffer | null) => b === null || b.buffer === memory;
  for (const run of runs) {
    if (!('records' in run)) {
      if (!inIt(run.batch.buf)) return null;
      continue;
    }
    for (const r of run.records) if (!inIt(r.key) || !inIt(r.value) || !r.headers.every((h) => inIt(h.value))) return null;
  }
  return memory;
}

/** Chunks processed on the calling thread, one at a time. */
export class LocalProcessor extends RingProcessor implements TailProcessor {
  readonly depth = 1;
  readonly chunkRecords = 8192;
  constructor(private readonly run: ChunkProcessor) {
    super();
  }

  process(chunk: Chunk): Promise<ChunkResult> {
    return Promise.resolve(this.run(chunk));
  }
}

/**
 * Worker threads for a large tail: all but one core (the main thread reads, writes and helps),
 * at least one, at most four. DPX_TAIL_THREADS overrides it; 0 keeps every tail on the main thread.
 */
export function defaultThreads(): number {
  const asked = process.env['DPX_TAIL_THREADS'];
  if (asked !== undefined && /^\d+$/.test(asked)) return Math.min(Number(asked), 16);
  return Math.max(1, Math.min(availableParallelism() - 1, 4));
}

/**
 * How a worker is started: in the CLI bundle, from the worker's own entry file beside it
 * (tail-worker.mjs, built by bin/dpx.js: the line processing without the rest of the CLI, so a
 * worker starts in a fraction of the time); from the TypeScript sources (tests), worker.ts through tsx.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  const workerData = { [WORKER_FLAG]: true };
  if (!here.endsWith('.ts')) {
    // Beside this module, or one folder up when this module is in one of the bundle's chunks.
    const entry = ['./tail-worker.mjs', '../tail-worker.mjs'].map((p) => fileURLToPath(new URL(p, here))).find((f) => existsSync(f));
    return new Worker(entry ?? fileURLToPath(here), { workerData });
  }
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href;
  const entry = new URL('./worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}

interface Pending {
  resolve(r: ChunkResult): void;
  reject(e: Error): void;
  worker: Slot;
}

interface Slot {
  worker: Worker;
  outstanding: number;
}

/**
 * Worker threads processing chunks. Started before the spec is known (so their start overlaps the
 * main thread opening the workspace and the broker connection); `configure` sends the spec.
 */
export class WorkerPool extends RingProcessor implements TailProcessor {
  readonly depth: number;
  readonly chunkRecords = 4096;
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;

  constructor(readonly threads: number = defaultThreads()) {
    super();
    // Enough chunks in flight to keep every worker busy while the main thread reads, writes and
    // processes chunks of its own.
    this.depth = threads * 4 + 4;
    this.slots = Array.from({ length: threads }, () => this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), outstanding: 0 };
    slot.worker.on('message', (msg: FromWorker) => {
      if (msg.id === null) return this.fail(new Error(msg.kind === 'error' ? msg.message : 'tail worker failed'));
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      slot.outstanding--;
      if (msg.kind === 'result') p.resolve(msg.result);
      else p.reject(new Error(msg.message));
    });
    slot.worker.on('error', (e) => this.fail(e));
    slot.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a tail worker thread stopped (exit code ${code})`));
    });
    return slot;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  /**
   * Sends the spec to the workers. With `local` (the same spec compiled on this thread), this
   * thread also takes a chunk, one at a time, whenever every worker already has `busy` chunks
   * waiting: on two cores, one worker and the main thread share the work, each as it has time.
   */
  configure(spec: LineSpec, local?: ChunkProcessor): this {
    for (const s of this.slots) s.worker.postMessage({ kind: 'init', spec } satisfies ToWorker);
    this.local = local ?? null;
    return this;
  }

  private local: ChunkProcessor | null = null;
  private readonly busy = 2;
  /** A chunk is waiting to be processed on this thread. */
  private localWaiting = false;

  process(chunk: Chunk): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.outstanding < slot.outstanding) slot = s;
    if (this.local && !this.localWaiting && slot.outstanding >= this.busy) return this.runLocal(this.local, chunk);
    const id = this.nextId++;
    slot.outstanding++;
    return new Promise<ChunkResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: slot });
      slot.worker.postMessage({ kind: 'chunk', id, chunk } satisfies ToWorker);
    });
  }

  /**
   * One chunk at a time, on a later turn of the event loop: between two, the worker's results
   * are taken and it is sent more. Chunks processed in one go would leave it idle meanwhile.
   */
  private runLocal(run: ChunkProcessor, chunk: Chunk): Promise<ChunkResult> {
    this.localWaiting = true;
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        this.localWaiting = false;
        try {
          resolve(run(chunk));
        } catch (e) {
          reject(e as Error);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('the tail ended'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
