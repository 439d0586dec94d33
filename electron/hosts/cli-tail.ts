// `dpx tail`: a product's stream (live Kafka or its capture), or a raw topic, to the terminal.
// It uses the stream service's pieces directly (target resolution, start positions, the tail
// engine) rather than the in-process transport, and prints through a line processor instead of
// StreamMessage objects: the contract's per-event validation would otherwise cost more than
// decoding at a million messages a second. Large tails (see parallel/plan.ts) decode, check and
// format on worker threads while the main thread reads and writes; output is the same either way.
import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { parseStartPosition, type StreamTarget, type TailRequest } from '../../shared/model/stream';
import { openServices } from '../services/services';
import { CaptureWriter } from '../services/streams/capture/capture-writer';
import { valueFormatOf } from '../services/streams/decode';
import { compileSpec, lineProcessor } from '../services/streams/parallel/lines';
import { knownWork, lineSpec, mayUseWorkers, WORKER_THRESHOLD } from '../services/streams/parallel/plan';
import { defaultThreads, LocalProcessor, WorkerPool } from '../services/streams/parallel/pool';
import { resolveStart } from '../services/streams/start-position';
import { messageFilter } from '../services/streams/stream-service';
import { runTail, type TailProcessor, type TailResult } from '../services/streams/tail';

export { messageJson } from '../services/streams/parallel/lines';

export interface TailCliOptions {
  workspace: string;
  json: boolean;
  product?: string;
  topic?: string;
  bootstrap?: string;
  from?: string;
  partitions?: string;
  limit?: number;
  filter?: string;
  capture?: string;
  toEnd?: boolean;
}

function target(o: TailCliOptions): StreamTarget {
  if (o.topic) return { topic: o.topic, ...(o.bootstrap ? { bootstrap: o.bootstrap } : {}) };
  if (!o.product) throw new ApiError('BAD_REQUEST', 'Name a product (dpx tail sales.orders) or a raw topic (dpx tail --topic NAME --bootstrap HOST:PORT)');
  return { product: o.product };
}

function partitions(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(,\d+)*$/.test(text)) throw new ApiError('BAD_REQUEST', `--partitions takes a comma-separated list like 0,1,2, not "${text}"`);
  return text.split(',').map(Number);
}

function endMessage(r: TailResult): string {
  const why = { limit: 'reached the limit', end: 'reached the end of the stream', cancelled: 'stopped', 'max-scanned': 'scanned as many messages as asked', until: 'passed the end of the time range' }[r.reason];
  return `${why}: ${r.stats.scanned} read, ${r.stats.matched} matched`;
}

export async function runTailCli(o: TailCliOptions): Promise<void> {
  let from;
  try {
    from = parseStartPosition(o.from ?? 'latest');
  } catch (e) {
    throw new ApiError('BAD_REQUEST', (e as Error).message);
  }
  const req: TailRequest = {
    target: target(o),
    from,
    toEnd: o.toEnd ?? false,
    ...(partitions(o.partitions) ? { partitions: partitions(o.partitions)! } : {}),
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
    ...(o.filter ? { filter: o.filter } : {}),
  };
  const filter = messageFilter(req.filter); // a broken filter fails before anything is opened
  // Worker threads start loading now, while the workspace and the broker connection open; they
  // are let go if the tail turns out small.
  const threads = defaultThreads();
  let pool: WorkerPool | null = threads > 0 && mayUseWorkers({ from, ...(o.limit !== undefined ? { limit: o.limit } : {}), ...(o.capture ? { capture: o.capture } : {}) }) ? new WorkerPool(threads) : null;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A closed pipe (`dpx tail … | head`) ends the tail quietly.
  const onError = (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? stop() : undefined);
  process.stdout.on('error', onError);
  const services = await openServices({ workspace: o.workspace }).catch(async (e: unknown) => {
    await pool?.close();
    throw e;
  });
  let capture: CaptureWriter | undefined;
  try {
    const output: 'json' | 'text' = o.json ? 'json' : 'text';
    const endpoint = await services.streams.targets.resolve(req.target);
    const source = await endpoint.open();
    try {
      const all = await source.partitions();
      const unknown = req.partitions?.filter((p) => !all.includes(p)) ?? [];
      if (unknown.length) throw new ApiError('BAD_REQUEST', `Topic ${endpoint.topic} has no partition ${unknown.join(', ')} (it has ${all.join(', ')})`);
      const chosen = req.partitions ?? all;
      const { positions, marks } = await resolveStart(source, chosen, req.from);
      if (!o.json) process.stderr.write(`Tailing ${source.address} (${chosen.length} partitions, ${endpoint.format}${endpoint.validate ? ', checked against the contract' : ''})\n`);
      if (o.capture) capture = await CaptureWriter.create(resolve(o.capture), endpoint.topic);

      const spec = lineSpec(services.catalog, req.target, endpoint, output, req.filter);
      let processor: TailProcessor;
      if (pool && spec && knownWork(positions, marks, req.limit) >= WORKER_THRESHOLD) processor = pool.configure(spec, lineProcessor(compileSpec(spec)));
      else {
        await pool?.close();
        pool = null;
        const parts = spec
          ? compileSpec(spec)
          : { output, format: valueFormatOf(endpoint.format), decode: endpoint.decode, ...(endpoint.validate ? { validate: endpoint.validate } : {}), ...(filter ? { filter } : {}) };
        processor = new LocalProcessor(lineProcessor(parts));
      }

      let writing: Promise<unknown> = Promise.resolve();
      const drained = () =>
        new Promise<void>((done) => {
          const finish = () => {
            process.stdout.off('drain', finish);
            controller.signal.removeEventListener('abort', finish);
            done();
          };
          process.stdout.once('drain', finish);
          controller.signal.addEventListener('abort', finish, { once: true });
        });
      const result = await runTail({
        source,
        positions,
        marks,
        decode: endpoint.decode,
        ...(req.limit !== undefined ? { limit: req.limit } : {}),
        ...(capture ? { capture } : {}),
        toEnd: req.toEnd || !source.live,
        signal: controller.signal,
        processor,
        sink: {
          messages: () => undefined,
          progress: () => undefined,
          status: (state, message) => {
            if (message && (!o.json || state === 'reconnecting')) process.stderr.write(`[${state}] ${message}\n`);
          },
          output: (bytes, written) => {
            if (controller.signal.aborted) return written();
            if (!process.stdout.write(bytes, () => written())) return (writing = drained());
          },
        },
      });
      await writing;
      if (!o.json) process.stderr.write(`[ended] ${endMessage(result)}\n`);
      if (!o.json && result.stats.checked) {
        const rate = (100 * result.stats.passed) / result.stats.checked;
        process.stderr.write(`${result.stats.passed}/${result.stats.checked} passed the contract (${rate.toFixed(4)} %)\n`);
      }
      if (o.capture) process.stderr.write(`Captured to ${resolve(o.capture)}\n`);
    } finally {
      // A capture keeps what was read even when the tail was cancelled or failed.
      await capture?.close();
      await source.close();
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', onError);
    await pool?.close();
    await services.close();
  }
}
