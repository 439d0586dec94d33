// The stream service: stream info, tails (live or to the end, filtered, optionally captured),
// single raw messages and the list of captures, on top of the record sources.
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { FilterSyntaxError } from '../../../shared/filter';
import type { CaptureInfo, StreamInfo, StreamTarget, TailEvent, TailRequest } from '../../../shared/model/stream';
import type { CatalogService } from '../catalog/catalog-service';
import { CaptureSource } from './capture/capture-source';
import { CaptureWriter } from './capture/capture-writer';
import { resolveStart } from './start-position';
import { StreamTargets } from './stream-target';
import { compileMessageFilter, type MessageFilter } from './message';
import { runTail, type TailResult } from './tail';

/** A filter over decoded messages; bad filter text is a BAD_REQUEST naming line and column. */
export function messageFilter(text: string | undefined): MessageFilter | undefined {
  if (!text?.trim()) return undefined;
  try {
    return compileMessageFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new ApiError('BAD_REQUEST', `Filter: ${e.message}`, { line: e.line, column: e.column });
    throw e;
  }
}

export class StreamService {
  readonly targets: StreamTargets;

  constructor(catalog: CatalogService) {
    this.targets = new StreamTargets(catalog);
  }

  async info(target: StreamTarget): Promise<StreamInfo> {
    const endpoint = await this.targets.resolve(target);
    const source = await endpoint.open();
    try {
      const partitions = await source.partitions();
      const marks = await source.watermarks(partitions);
      return {
        topic: endpoint.topic,
        source: source.address,
        live: source.live,
        format: endpoint.format,
        validating: endpoint.validate !== undefined,
        promise: endpoint.promise,
        partitions: partitions.map((p) => ({ partition: p, ...marks.get(p)! })),
      };
    } finally {
      await source.close();
    }
  }

  /**
   * Runs a tail until it ends, hits its limit or the signal aborts; events go to `emit`.
   * `captureFile` (a full path) records every message read; the API passes only names it resolved.
   */
  async tail(req: TailRequest, emit: (e: TailEvent) => void, signal: AbortSignal, captureFile?: string): Promise<TailResult> {
    const filter = messageFilter(req.filter);
    const endpoint = await this.targets.resolve(req.target);
    const source = await endpoint.open();
    let capture: CaptureWriter | undefined;
    try {
      const all = await source.partitions();
      const unknown = req.partitions?.filter((p) => !all.includes(p)) ?? [];
      if (unknown.length) throw new ApiError('BAD_REQUEST', `Topic ${endpoint.topic} has no partition ${unknown.join(', ')} (it has ${all.join(', ')})`);
      const partitions = req.partitions ?? all;
      const { positions, marks } = await resolveStart(source, partitions, req.from);
      emit({
        kind: 'started',
        source: source.address,
        topic: endpoint.topic,
        live: source.live && !req.toEnd,
        format: endpoint.format,
        validating: endpoint.validate !== undefined,
        promise: endpoint.promise,
        positions: partitions.map((p) => ({ partition: p, next: positions.get(p)!, ...marks.get(p)! })),
      });
      if (captureFile) capture = await CaptureWriter.create(captureFile, endpoint.topic);
      const result = await runTail({
        source,
        positions,
        marks,
        decode: endpoint.decode,
        ...(endpoint.validate ? { validate: endpoint.validate } : {}),
        ...(filter ? { filter } : {}),
        ...(req.limit !== undefined ? { limit: req.limit } : {}),
        ...(req.maxScanned !== undefined ? { maxScanned: req.maxScanned } : {}),
        ...(req.until !== undefined ? { until: req.until } : {}),
        ...(capture ? { capture } : {}),
        toEnd: req.toEnd || !source.live,
        signal,
        sink: {
          messages: (messages) => emit({ kind: 'messages', messages }),
          progress: (stats, positions) => emit({ kind: 'progress', stats, positions }),
          status: (state, message) => emit(message ? { kind: 'status', state, message } : { kind: 'status', state }),
        },
      });
      emit({ kind: 'status', state: 'ended', message: endMessage(result) });
      return result;
    } finally {
      // A capture keeps what was read even when the tail was cancelled or failed.
      await capture?.close();
      await source.close();
    }
  }

  /** Resolves a capture name from the API into the workspace's captures folder. */
  async captureTarget(name: string): Promise<string> {
    const dir = this.targets.writableCaptureDir();
    await mkdir(dir, { recursive: true });
    return join(dir, name);
  }

  async message(target: StreamTarget, partition: number, offset: number) {
    const endpoint = await this.targets.resolve(target);
    const source = await endpoint.open();
    try {
      const marks = (await source.watermarks([partition])).get(partition);
      if (!marks || offset < marks.low || offset >= marks.high) throw new ApiError('NOT_FOUND', `${endpoint.topic} partition ${partition} has no offset ${offset} (it holds ${marks?.low ?? 0}…${(marks?.high ?? 1) - 1})`);
      const [batch] = await source.read(new Map([[partition, offset]]), { maxWaitMs: 1000, signal: AbortSignal.timeout(10_000) });
      const r = batch?.records.find((x) => x.offset === offset);
      if (!r) throw new ApiError('NOT_FOUND', `${endpoint.topic} partition ${partition} offset ${offset} could not be read`);
      return { partition, offset, key: r.key?.toString('base64') ?? null, value: r.value?.toString('base64') ?? null, headers: r.headers.map((h) => ({ key: h.key, value: h.value?.toString('base64') ?? null })) };
    } finally {
      await source.close();
    }
  }

  async listCaptures(): Promise<CaptureInfo[]> {
    const out: CaptureInfo[] = [];
    for (const dir of this.targets.captureDirs()) {
      for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.parquet')).sort()) {
        const file = join(dir, name);
        try {
          const source = await CaptureSource.open(file);
          const marks = await source.watermarks(await source.partitions());
          const span = await source.timeSpan();
          await source.close();
          out.push({ file: name, topic: source.topic, messages: [...marks.values()].reduce((a, m) => a + (m.high - m.low), 0), bytes: (await stat(file)).size, first: span.first, last: span.last });
        } catch {
          // An unreadable capture is reported when someone opens it; the list shows the rest.
        }
      }
    }
    return out;
  }
}

function endMessage(r: TailResult): string {
  const why = { limit: 'reached the limit', end: 'reached the end of the stream', cancelled: 'stopped', 'max-scanned': 'scanned as many messages as asked', until: 'passed the end of the time range' }[r.reason];
  return `${why}: ${r.stats.scanned} read, ${r.stats.matched} matched`;
}
