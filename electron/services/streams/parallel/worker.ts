// A tail worker thread: compiles the line spec (decoder, contract validator, acceptor, filter)
// once, then turns chunks of records into output lines and flags, in the order they arrive.
//
// It is started from its own entry file in the CLI bundle (tail-worker.mjs) or, from the
// TypeScript sources (tests), from this file through tsx. The flag in workerData tells this module
// it is the worker (the main thread imports it too, for the message types and the flag).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Chunk } from './chunk';
import { compileSpec, lineProcessor, type ChunkProcessor, type LineSpec } from './lines';

export const WORKER_FLAG = 'dpxTailWorker';

export type ToWorker = { kind: 'init'; spec: LineSpec } | { kind: 'chunk'; id: number; chunk: Chunk };
export type FromWorker = { kind: 'result'; id: number; result: import('./chunk').ChunkResult } | { kind: 'error'; id: number | null; message: string };

function serve(): void {
  const port = parentPort!;
  let processor: Promise<ChunkProcessor> | null = null;
  port.on('message', (msg: ToWorker) => {
    if (msg.kind === 'init') {
      processor = Promise.resolve(msg.spec).then((spec) => lineProcessor(compileSpec(spec)));
      processor.catch((e: unknown) => port.postMessage({ kind: 'error', id: null, message: (e as Error).message ?? String(e) } satisfies FromWorker));
      return;
    }
    if (!processor) {
      port.postMessage({ kind: 'error', id: msg.id, message: 'tail worker: a chunk came before its spec' } satisfies FromWorker);
      return;
    }
    void processor.then((run) => {
      try {
        const result = run(msg.chunk);
        port.postMessage({ kind: 'result', id: msg.id, result } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ kind: 'error', id: msg.id, message: (e as Error).message ?? String(e) } satisfies FromWorker);
      }
    }, () => undefined);
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) serve();
