// The one API contract between the UI/CLI and the services. Every transport (Electron IPC,
// loopback HTTP + WebSocket, in-process) carries exactly these methods, validated on both sides.
// Add a capability here first; the transports need no change.
import { z } from 'zod';
import { findingSchema } from '../model/lint';
import { captureInfoSchema, rawMessageSchema, streamInfoSchema, streamTargetSchema, tailEventSchema, tailRequestSchema } from '../model/stream';
import { attachedFilesSchema, cacheStatusSchema, daySelectionSchema, offlineEventSchema, productSnapshotsSchema, snapshotDayDetailSchema } from '../model/snapshot';
import { exportEventSchema, exportFormatSchema, sqlRunEventSchema, sqlSchemaSchema } from '../model/sql';
import { productSchema, productSummarySchema, modeSchema, tierSchema, alignmentSchema } from '../model/product';

/** A request/response method. */
export interface ProcedureDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'procedure';
  input: I;
  output: O;
}
/** A long-running method that pushes events until it ends or is cancelled. */
export interface SubscriptionDef<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  kind: 'subscription';
  input: I;
  event: E;
}

const procedure = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ProcedureDef<I, O> => ({
  kind: 'procedure',
  input,
  output,
});
const subscription = <I extends z.ZodType, E extends z.ZodType>(input: I, event: E): SubscriptionDef<I, E> => ({
  kind: 'subscription',
  input,
  event,
});

const empty = z.object({}).strict();
const productId = z.object({ id: z.string().min(1).max(300) }).strict();

export const connectionInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  /** Where it points, with no secret in it. */
  address: z.string(),
});

export const workspaceInfoSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  root: z.string(),
  file: z.string(),
  isDemo: z.boolean(),
  connections: z.array(connectionInfoSchema),
  descriptorFiles: z.number().int(),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfoSchema>;

export const catalogListSchema = z.object({
  products: z.array(productSummarySchema),
  /** Problems met while loading (broken YAML, invalid descriptors...); the rest still loads. */
  problems: z.array(findingSchema),
});
export type CatalogList = z.infer<typeof catalogListSchema>;

export const lineageSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tier: tierSchema.optional(),
      alignment: alignmentSchema.optional(),
      modes: z.array(modeSchema),
      /** Named as an input but not in the workspace. */
      missing: z.boolean(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type Lineage = z.infer<typeof lineageSchema>;

export const catalogChangeSchema = z.object({
  reason: z.enum(['initial', 'changed']),
  products: z.number().int(),
  problems: z.number().int(),
  /** Files whose change caused this reload. */
  files: z.array(z.string()),
});

export const api = {
  'workspace.info': procedure(empty, workspaceInfoSchema),
  'catalog.list': procedure(empty, catalogListSchema),
  'catalog.get': procedure(productId, productSchema),
  'catalog.lineage': procedure(productId, lineageSchema),
  'lint.run': procedure(empty, z.object({ findings: z.array(findingSchema) })),
  /** Every snapshot day of a product (footers read with range requests), from its store or the offline cache. */
  'snapshots.list': procedure(
    z.object({ id: z.string().min(1).max(300), from: z.string().optional(), to: z.string().optional(), footers: z.boolean().default(true) }).strict(),
    productSnapshotsSchema,
  ),
  /** One day: its files, the Parquet schema against the contract, per-column statistics. */
  'snapshots.day': procedure(z.object({ id: z.string().min(1).max(300), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(), snapshotDayDetailSchema),
  /** Downloads a day, a range or a whole product into the offline cache, with progress; resumable. */
  'snapshots.offline': subscription(z.object({ id: z.string().min(1).max(300), select: daySelectionSchema, pin: z.boolean().default(false) }).strict(), offlineEventSchema),
  /** Pins (never evicted) or unpins a day, or the whole product when no day is given. */
  'snapshots.pin': procedure(z.object({ id: z.string().min(1).max(300), day: z.string().optional(), pinned: z.boolean() }).strict(), cacheStatusSchema),
  /** The offline cache's size and cap; `maxBytes` sets a new cap (least recently used days are evicted). */
  'snapshots.cache': procedure(z.object({ maxBytes: z.number().int().positive().optional() }).strict(), cacheStatusSchema),
  /** Pushes an event whenever a descriptor or the workspace file changes (and once at start). */
  'catalog.watch': subscription(empty, catalogChangeSchema),
  /** Partitions and their offsets, the format and the contract of a stream, without reading it. */
  'stream.info': procedure(z.object({ target: streamTargetSchema }).strict(), streamInfoSchema),
  /** Reads a stream (live or to its end), decoded, checked against the contract and filtered. */
  'stream.tail': subscription(tailRequestSchema, tailEventSchema),
  /** One message's stored bytes (key and value as base64), for the raw view. */
  'stream.message': procedure(z.object({ target: streamTargetSchema, partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }).strict(), rawMessageSchema),
  /** Runs SQL (DuckDB) over the products' snapshots; the result stays in the backend for paging. */
  'sql.run': subscription(z.object({ sql: z.string().min(1).max(1_000_000) }).strict(), sqlRunEventSchema),
  /** A window of a kept result, optionally sorted by one column. */
  'sql.rows': procedure(
    z.object({ id: z.string(), offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(10_000), sort: z.object({ column: z.string(), desc: z.boolean() }).optional() }).strict(),
    z.object({ rows: z.array(z.array(z.unknown())) }),
  ),
  /** Frees a kept result. */
  'sql.close': procedure(z.object({ id: z.string() }).strict(), z.object({})),
  /** Writes a kept result to a file in the export folder, with progress. */
  'sql.export': subscription(z.object({ id: z.string(), format: exportFormatSchema, name: z.string().min(1).max(200).regex(/^[^/\\]+$/, 'a file name, not a path') }).strict(), exportEventSchema),
  /** Tables (products and opened files) with their columns, DuckDB's keywords and functions: for completion. */
  'sql.schema': procedure(empty, sqlSchemaSchema),
  /** Opens a local Parquet file or folder as a table (the user's explicit choice). */
  'sql.attach': procedure(z.object({ name: z.string().min(1).max(100), path: z.string().min(1).max(4096) }).strict(), z.object({})),
  /** An opened table's files described like a snapshot day (files, rows, row groups, column statistics), from their footers. */
  'sql.attachedFiles': procedure(z.object({ name: z.string().min(1).max(100) }).strict(), attachedFilesSchema),
  /** The capture files of the workspace. */
  'captures.list': procedure(empty, z.object({ captures: z.array(captureInfoSchema) })),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ProcedureName = { [K in MethodName]: Api[K] extends ProcedureDef ? K : never }[MethodName];
export type SubscriptionName = { [K in MethodName]: Api[K] extends SubscriptionDef ? K : never }[MethodName];

export type InputOf<M extends MethodName> = z.input<Api[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Api[M]['input']>;
export type OutputOf<P extends ProcedureName> = Api[P] extends ProcedureDef<z.ZodType, infer O> ? z.output<O> : never;
export type EventOf<S extends SubscriptionName> = Api[S] extends SubscriptionDef<z.ZodType, infer E> ? z.output<E> : never;

export const METHOD_NAMES = Object.keys(api) as MethodName[];
export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
