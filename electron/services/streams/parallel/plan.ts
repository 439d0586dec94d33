// Which way a CLI tail processes records: on worker threads or on the main thread, and the plain
// data (the line spec) workers compile their decoder, validator and filter from.
import type { StreamTarget } from '../../../../shared/model/stream';
import type { CatalogService } from '../../catalog/catalog-service';
import { modeOfServer, topicOf, type ProductRecord } from '../../catalog/model';
import type { OdcsSchemaElementProperty } from '../../catalog/standards/odcs';
import { valueFormatOf } from '../decode';
import type { StreamEndpoint } from '../stream-target';
import type { Watermarks } from '../sources/record-source';
import type { LineSpec } from './lines';

/**
 * Worker threads only pay off for large tails: starting one costs ~0.1–0.3 s of CPU and ~30 MB,
 * which the main thread alone recovers only after some 50k messages. So workers are used when
 * at least this many messages are known to be waiting (between the start positions and the end
 * of the stream, capped by --limit); small tails, live tails from `latest`, the demo's captures
 * and the app itself (which tails for people, at most thousands a second) stay on the main thread.
 */
export const WORKER_THRESHOLD = 50_000;

/** Messages known to be waiting: from the start positions to the high watermarks, capped by the limit. */
export function knownWork(positions: Map<number, number>, marks: Map<number, Watermarks>, limit: number | undefined): number {
  let backlog = 0;
  for (const [p, next] of positions) backlog += Math.max(0, (marks.get(p)?.high ?? next) - next);
  return Math.min(backlog, limit ?? Infinity);
}

/** Before anything is opened: could this tail be large enough for workers (so they may start early)? */
export function mayUseWorkers(o: { from: { kind: string }; limit?: number; capture?: string }): boolean {
  return !o.capture && o.from.kind !== 'latest' && (o.limit === undefined || o.limit >= WORKER_THRESHOLD);
}

// The stream contract of a product, as StreamTargets resolves it (stream-target.ts): the first
// kafka-like server of an output port's contract, and the schema object of its topic.
function streamContract(record: ProductRecord) {
  for (const o of record.outputs) {
    for (const server of o.contract?.doc.servers ?? []) {
      if (modeOfServer(server.type) !== 'stream') continue;
      const topic = topicOf(server, o.contract!);
      if (topic) return { contract: o.contract!, topic };
    }
  }
  return null;
}

function schemaProperties(sc: NonNullable<ReturnType<typeof streamContract>>): OdcsSchemaElementProperty[] {
  const objects = sc.contract.doc.schema ?? [];
  const object = objects.find((s) => s.physicalName === sc.topic) ?? objects.find((s) => s.physicalType === 'topic') ?? objects[0];
  return object?.properties ?? [];
}

/**
 * The line spec of a resolved endpoint, or null when it cannot be expressed as plain data (Avro
 * needs the endpoint's own decoder): then the tail stays on the main thread.
 */
export function lineSpec(catalog: CatalogService, target: StreamTarget, endpoint: StreamEndpoint, output: 'json' | 'text', filter: string | undefined): LineSpec | null {
  const format = valueFormatOf(endpoint.format);
  if (format === 'avro') return null;
  let properties: OdcsSchemaElementProperty[] | null = null;
  if (endpoint.validate) {
    const sc = 'product' in target ? streamContract(catalog.record(target.product)) : catalog.records().map(streamContract).find((c) => c?.topic === endpoint.topic);
    if (!sc || sc.topic !== endpoint.topic) return null;
    properties = schemaProperties(sc);
  }
  return { output, format, properties, filter: filter?.trim() ? filter : null };
}
