// Streams as the explorer shows them: where a tail starts, what one message looks like once
// decoded and checked against the contract, and the events a tail pushes.
import { z } from 'zod';

/** Where a tail or search starts reading, per partition. */
export const startPositionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latest') }),
  z.object({ kind: z.literal('earliest') }),
  /** The same offset in every partition. */
  z.object({ kind: z.literal('offset'), offset: z.number().int().nonnegative() }),
  /** An offset per partition (partitions not listed start at latest). */
  z.object({ kind: z.literal('offsets'), offsets: z.record(z.string().regex(/^\d+$/), z.number().int().nonnegative()) }),
  /** The first message at or after this time (epoch ms), in every partition. */
  z.object({ kind: z.literal('timestamp'), at: z.number().int() }),
  /** The last N messages of every partition. */
  z.object({ kind: z.literal('last'), n: z.number().int().positive().max(10_000_000) }),
]);
export type StartPosition = z.infer<typeof startPositionSchema>;

const RELATIVE = /^-(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Reads the start position people type: `latest`, `earliest`, an offset (`1500`), offsets per
 * partition (`0:120,1:99`), `last:100` (the last 100 of each partition), an ISO time
 * (`2026-10-01T12:00:00Z`, `2026-10-01`) or a time relative to now (`-15m`, `-2h`, `-1d`).
 */
export function parseStartPosition(text: string, now: number = Date.now()): StartPosition {
  const t = text.trim();
  if (t === 'latest' || t === 'end') return { kind: 'latest' };
  if (t === 'earliest' || t === 'beginning') return { kind: 'earliest' };
  if (/^\d+$/.test(t)) return { kind: 'offset', offset: Number(t) };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(t)) {
    return { kind: 'offsets', offsets: Object.fromEntries(t.split(',').map((pair) => pair.split(':')).map(([p, o]) => [p!, Number(o)])) };
  }
  const last = /^last:(\d+)$/.exec(t);
  if (last) return { kind: 'last', n: Number(last[1]) };
  const rel = RELATIVE.exec(t);
  if (rel) return { kind: 'timestamp', at: Math.round(now - Number(rel[1]) * UNIT_MS[rel[2]!]!) };
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const iso = t.length === 10 ? `${t}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`;
    const at = Date.parse(iso.replace(' ', 'T'));
    if (!Number.isNaN(at)) return { kind: 'timestamp', at };
  }
  throw new Error(`Cannot read start position "${text}": use latest, earliest, an offset (1500), offsets per partition (0:120,1:99), last:N, an ISO time (2026-10-01T12:00:00Z) or a relative time (-15m, -2h, -1d)`);
}

/** How a message's bytes were shown. */
export const encodingSchema = z.enum(['json', 'string', 'avro', 'hex', 'base64', 'null']);

export const streamMessageSchema = z.object({
  partition: z.number().int(),
  offset: z.number().int(),
  /** Kafka record timestamp, epoch ms. */
  timestamp: z.number(),
  key: z.string().nullable(),
  keyEncoding: encodingSchema,
  /** The decoded value: parsed JSON or Avro as JSON, text, or the bytes as base64/hex text. */
  value: z.unknown(),
  valueEncoding: encodingSchema,
  headers: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
  /** Size of the value in bytes, as it was on the wire. */
  size: z.number().int(),
  /** Passed every check of the contract (decoding included). Absent when not validated. */
  valid: z.boolean().optional(),
  /** Why it failed: "amount: must be > 0", "value: not JSON: Unexpected token…" */
  errors: z.array(z.string()),
});
export type StreamMessage = z.infer<typeof streamMessageSchema>;

/** Which stream to read: a product's stream port, or a raw topic outside any product. */
export const streamTargetSchema = z.union([
  z.object({ product: z.string().min(1).max(300) }).strict(),
  /** A capture file (by name) in the workspace's captures folder: replayed with no broker. */
  z.object({ capture: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name, not a path') }).strict(),
  z.object({ topic: z.string().min(1).max(249), bootstrap: z.string().min(1).max(1000).optional(), connection: z.string().max(200).optional() }).strict(),
]);
export type StreamTarget = z.infer<typeof streamTargetSchema>;

export const partitionPositionSchema = z.object({
  partition: z.number().int(),
  /** Next offset the tail will read. */
  next: z.number().int(),
  /** High watermark (offset after the last message) when last seen. */
  high: z.number().int(),
  /** Earliest offset still in the log. */
  low: z.number().int(),
});
export type PartitionPosition = z.infer<typeof partitionPositionSchema>;

export const streamStatsSchema = z.object({
  /** Messages read from the stream. */
  scanned: z.number().int(),
  /** Messages that matched the filter (all of them when there is none). */
  matched: z.number().int(),
  /** Of the checked messages, how many passed the contract's checks. */
  checked: z.number().int(),
  passed: z.number().int(),
  /** Messages per second over the last second. */
  rate: z.number(),
  bytes: z.number().int(),
});
export type StreamStats = z.infer<typeof streamStatsSchema>;

export const tailEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('started'),
    /** Where it reads from, for the header: kafka://host/topic or a capture file. */
    source: z.string(),
    topic: z.string(),
    live: z.boolean(),
    format: z.string(),
    /** Whether messages are checked against a contract, and its pass-rate promise. */
    validating: z.boolean(),
    promise: z.number().nullable(),
    positions: z.array(partitionPositionSchema),
  }),
  z.object({ kind: z.literal('messages'), messages: z.array(streamMessageSchema) }),
  z.object({ kind: z.literal('progress'), stats: streamStatsSchema, positions: z.array(partitionPositionSchema) }),
  /** The connection state changed: reading live, caught up with the end, or reconnecting after a fault. */
  z.object({ kind: z.literal('status'), state: z.enum(['live', 'caught-up', 'reconnecting', 'ended']), message: z.string().optional() }),
]);
export type TailEvent = z.infer<typeof tailEventSchema>;

export const tailRequestSchema = z
  .object({
    target: streamTargetSchema,
    from: startPositionSchema.default({ kind: 'latest' }),
    /** Only these partitions (default: all). */
    partitions: z.array(z.number().int().nonnegative()).max(10_000).optional(),
    /** A SQL WHERE clause over key, value.*, headers.*, timestamp, partition, offset. */
    filter: z.string().max(10_000).optional(),
    /** Stop after this many matching messages. */
    limit: z.number().int().positive().optional(),
    /** Stop at the end of the stream as it was when the tail started, instead of following it. */
    toEnd: z.boolean().default(false),
    /** Stop at messages after this time (epoch ms), e.g. for a search over a time range. */
    until: z.number().int().optional(),
    /** Stop after reading this many messages (matching or not): bounds a search to the oldest/newest N. */
    maxScanned: z.number().int().positive().optional(),
    /** Also record every message read to this capture file (a name in the workspace's captures folder). */
    capture: z.string().min(1).max(255).regex(/^[^/\\]+\.parquet$/, 'a file name ending in .parquet').optional(),
  })
  .strict();
export type TailRequest = z.infer<typeof tailRequestSchema>;

export const streamInfoSchema = z.object({
  topic: z.string(),
  source: z.string(),
  /** Read from a live broker (true) or replayed from a capture file (false). */
  live: z.boolean(),
  format: z.string(),
  validating: z.boolean(),
  promise: z.number().nullable(),
  partitions: z.array(z.object({ partition: z.number().int(), low: z.number().int(), high: z.number().int() })),
});
export type StreamInfo = z.infer<typeof streamInfoSchema>;

export const captureInfoSchema = z.object({
  file: z.string(),
  topic: z.string(),
  messages: z.number().int(),
  bytes: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});
export type CaptureInfo = z.infer<typeof captureInfoSchema>;

/** One message's bytes exactly as stored, for the message drawer's raw view. */
export const rawMessageSchema = z.object({
  partition: z.number().int(),
  offset: z.number().int(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  headers: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
});
