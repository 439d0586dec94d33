// The one API contract between the UI/CLI and the services. Every transport (Electron IPC,
// loopback HTTP + WebSocket, in-process) carries exactly these methods, validated on both sides.
// Add a capability here first; the transports need no change.
import { z } from 'zod';
import { findingSchema } from '../model/lint';
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

export const snapshotDaySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  files: z.number().int(),
  bytes: z.number().int(),
});
export type SnapshotDay = z.infer<typeof snapshotDaySchema>;

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
  'snapshots.list': procedure(productId, z.object({ snapshots: z.array(snapshotDaySchema) })),
  /** Pushes an event whenever a descriptor or the workspace file changes (and once at start). */
  'catalog.watch': subscription(empty, catalogChangeSchema),
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
