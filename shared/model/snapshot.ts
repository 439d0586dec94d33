// Daily snapshots (the batch mode) as the explorer shows them: days, files read from the Parquet
// footers, the schema compared with the contract, the offline cache and immutability violations.
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const snapshotDaySummarySchema = z.object({
  date,
  files: z.number().int(),
  /** From the Parquet footers; null when they were not read. */
  rows: z.number().int().nullable(),
  bytes: z.number().int(),
  rowGroups: z.number().int().nullable(),
  createdAt: z.string().nullable(),
  /** The Parquet schema matches the contract's (null when not checked). */
  schemaOk: z.boolean().nullable(),
  problems: z.number().int(),
  cached: z.enum(['none', 'partial', 'full']),
  pinned: z.boolean(),
});
export type SnapshotDaySummary = z.infer<typeof snapshotDaySummarySchema>;

export const violationSchema = z.object({
  id: z.string(),
  product: z.string(),
  day: date,
  file: z.string(),
  cached: z.object({ etag: z.string().nullable(), size: z.number(), fetchedAt: z.string() }),
  remote: z.object({ etag: z.string().nullable(), size: z.number(), lastModified: z.string() }),
  detectedAt: z.string(),
});
export type Violation = z.infer<typeof violationSchema>;

export const productSnapshotsSchema = z.object({
  product: z.string(),
  /** The contract's location, e.g. s3://acme-lake/sales.orders/. */
  location: z.string(),
  /** How this machine reaches it: "folder …", "S3 at http://…". */
  store: z.string(),
  source: z.enum(['local', 's3', 'cache', 'none']),
  /** Listed from the offline cache because the store could not be reached. */
  offline: z.boolean(),
  offlineReason: z.string().nullable(),
  days: z.array(snapshotDaySummarySchema),
  violations: z.array(violationSchema),
});
export type ProductSnapshots = z.infer<typeof productSnapshotsSchema>;

const statValue = z.union([z.number(), z.string(), z.boolean()]).nullable();

export const schemaIssueSchema = z.object({ path: z.string(), expected: z.string().optional(), actual: z.string().optional(), message: z.string() });

export const snapshotDayDetailSchema = z.object({
  date,
  files: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      size: z.number(),
      etag: z.string().nullable(),
      lastModified: z.string(),
      rows: z.number().nullable(),
      rowGroups: z.number().nullable(),
      createdBy: z.string().nullable(),
      bytesFetched: z.number(),
      error: z.string().nullable(),
      cached: z.boolean(),
    }),
  ),
  schema: z
    .object({ object: z.string().nullable(), ok: z.boolean(), missing: z.array(schemaIssueSchema), extra: z.array(schemaIssueSchema), mistyped: z.array(schemaIssueSchema) })
    .nullable(),
  columns: z.array(
    z.object({
      path: z.string(),
      type: z.string(),
      min: statValue,
      max: statValue,
      nullCount: z.number().nullable(),
      values: z.number(),
      compressedBytes: z.number(),
      uncompressedBytes: z.number(),
      exact: z.boolean(),
    }),
  ),
  problems: z.array(z.string()),
});
export type SnapshotDayDetail = z.infer<typeof snapshotDayDetailSchema>;

/** A table opened from local Parquet files (`sql.attach`), described like a snapshot day; no contract, so no schema check. */
export const attachedFilesSchema = snapshotDayDetailSchema.omit({ date: true }).extend({ name: z.string(), path: z.string() });
export type AttachedFiles = z.infer<typeof attachedFilesSchema>;

export const daySelectionSchema = z.union([
  z.object({ day: date }).strict(),
  z.object({ from: date, to: date }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export const offlineEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('progress'),
    phase: z.enum(['listing', 'downloading', 'done']),
    day: z.string().optional(),
    file: z.string().optional(),
    filesDone: z.number(),
    filesTotal: z.number(),
    bytesDone: z.number(),
    bytesTotal: z.number(),
  }),
  z.object({
    kind: z.literal('done'),
    days: z.array(z.string()),
    files: z.number(),
    downloaded: z.number(),
    alreadyCached: z.number(),
    resumed: z.number(),
    bytesFetched: z.number(),
    violations: z.number(),
    evicted: z.array(z.object({ product: z.string(), day: z.string(), bytes: z.number() })),
  }),
]);
export type OfflineEvent = z.infer<typeof offlineEventSchema>;

export const cacheStatusSchema = z.object({
  dir: z.string(),
  bytes: z.number(),
  maxBytes: z.number(),
  pinnedBytes: z.number(),
  snapshots: z.number(),
  files: z.number(),
});
