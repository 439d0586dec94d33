// The explorer's view of a data product: what the catalog shows and every other capability reads.
// Built from ODPS (the product) + ODCS (its contracts) + the workspace (how to reach each port).
import { z } from 'zod';

export const alignmentSchema = z.enum(['source', 'aggregate', 'consumer']);
export type Alignment = z.infer<typeof alignmentSchema>;

export const tierSchema = z.enum(['bronze', 'silver', 'gold']);
export type Tier = z.infer<typeof tierSchema>;

/** Share of records that must pass the contract's checks; bronze promises nothing. */
export const TIER_PROMISE: Record<Tier, number | null> = {
  bronze: null,
  silver: 0.9999,
  gold: 0.999999,
};
export const TIER_RANK: Record<Tier, number> = { bronze: 0, silver: 1, gold: 2 };

export const modeSchema = z.enum(['stream', 'batch', 'rest']);
export type Mode = z.infer<typeof modeSchema>;

/** How the stream mode relates to the batch mode (declared in the contract). */
export const streamRelationSchema = z.object({
  kind: z.enum(['fact', 'state', 'aggregate']),
  keyField: z.string().optional(),
  eventTimeField: z.string().optional(),
  /** aggregate: the product whose events are aggregated, and the declared SQL. */
  aggregateOf: z.string().optional(),
  aggregateSql: z.string().optional(),
});
export type StreamRelation = z.infer<typeof streamRelationSchema>;

/** Where something came from, for messages a person can act on. */
export const sourceRefSchema = z.object({ file: z.string(), line: z.number().int().optional() });
export type SourceRef = z.infer<typeof sourceRefSchema>;

export const qualityRuleSchema = z.object({
  /** Field path the rule applies to; absent for object- or contract-level rules. */
  field: z.string().optional(),
  type: z.string(),
  /** One line a person can read, e.g. "nullValues mustBe 0" or "amount > 0". */
  summary: z.string(),
  description: z.string().optional(),
  dimension: z.string().optional(),
  severity: z.string().optional(),
});
export type QualityRule = z.infer<typeof qualityRuleSchema>;

export interface SchemaField {
  name: string;
  path: string;
  logicalType?: string;
  physicalType?: string;
  description?: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  classification?: string;
  examples?: unknown[];
  quality: QualityRule[];
  children: SchemaField[];
}
export const schemaFieldSchema: z.ZodType<SchemaField> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string(),
    logicalType: z.string().optional(),
    physicalType: z.string().optional(),
    description: z.string().optional(),
    required: z.boolean(),
    unique: z.boolean(),
    primaryKey: z.boolean(),
    classification: z.string().optional(),
    examples: z.array(z.unknown()).optional(),
    quality: z.array(qualityRuleSchema),
    children: z.array(schemaFieldSchema),
  }),
);

export const schemaObjectSchema = z.object({
  name: z.string(),
  physicalName: z.string().optional(),
  description: z.string().optional(),
  fields: z.array(schemaFieldSchema),
  quality: z.array(qualityRuleSchema),
});
export type SchemaObject = z.infer<typeof schemaObjectSchema>;

export const portSchema = z.object({
  name: z.string(),
  mode: modeSchema,
  contractId: z.string().optional(),
  /** The contract's server name, resolved through the workspace's connections. */
  server: z.string().optional(),
  /** The server type as the contract declares it (kafka, s3, local, api, ...). */
  serverType: z.string().optional(),
  /** The address as the contract declares it, e.g. kafka://host:9092/topic or s3://bucket/path/. */
  address: z.string(),
  topic: z.string().optional(),
  format: z.string().optional(),
  location: z.string().optional(),
  /** Snapshot layout under the location, e.g. "date=YYYY-MM-DD/*.parquet". */
  layout: z.string().optional(),
  url: z.string().optional(),
  /** How this workspace reaches the port (a capture file, a local folder, a broker...). */
  via: z.string().optional(),
  owner: z.string().optional(),
  source: sourceRefSchema,
});
export type Port = z.infer<typeof portSchema>;

export const slaEntrySchema = z.object({
  property: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]),
  unit: z.string().optional(),
  element: z.string().optional(),
});
export type SlaEntry = z.infer<typeof slaEntrySchema>;

export const ownerSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  members: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  support: z.array(z.object({ channel: z.string(), url: z.string().optional() })),
});
export type Owner = z.infer<typeof ownerSchema>;

export const productRefSchema = z.object({
  /** The product providing the input, when the workspace has it. */
  productId: z.string().optional(),
  contractId: z.string().optional(),
  name: z.string(),
});

export const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string(),
  description: z.string(),
  purpose: z.string().optional(),
  usage: z.string().optional(),
  limitations: z.string().optional(),
  tags: z.array(z.string()),
  owner: ownerSchema,
  sla: z.array(slaEntrySchema),
  alignment: alignmentSchema.optional(),
  tier: tierSchema.optional(),
  /** The tier's pass-rate promise (e.g. 0.9999); null for bronze or no tier. */
  tierPromise: z.number().nullable(),
  version: z.string().optional(),
  status: z.string(),
  modes: z.array(modeSchema),
  ports: z.array(portSchema),
  schema: z.array(schemaObjectSchema),
  relation: streamRelationSchema.optional(),
  inputs: z.array(productRefSchema),
  /** Products in the workspace that name this one as an input. */
  consumers: z.array(z.string()),
  source: sourceRefSchema,
  contractSources: z.array(sourceRefSchema),
});
export type Product = z.infer<typeof productSchema>;

/** What the catalog list needs, small enough to send for thousands of products. */
export const productSummarySchema = productSchema.pick({
  id: true,
  name: true,
  domain: true,
  description: true,
  alignment: true,
  tier: true,
  status: true,
  modes: true,
  tags: true,
}).extend({ owner: z.string() });
export type ProductSummary = z.infer<typeof productSummarySchema>;

export function summarize(p: Product): ProductSummary {
  return {
    id: p.id,
    name: p.name,
    domain: p.domain,
    description: p.description,
    alignment: p.alignment,
    tier: p.tier,
    status: p.status,
    modes: p.modes,
    tags: p.tags,
    owner: p.owner.name,
  };
}
