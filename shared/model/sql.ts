// SQL over data products: results kept by the backend and paged by the grid, exports, and
// what the editor needs for completion.
import { z } from 'zod';

export const resultColumnSchema = z.object({ name: z.string(), type: z.string() });

export const resultSetSchema = z.object({
  id: z.string(),
  columns: z.array(resultColumnSchema),
  rowCount: z.number().int(),
  elapsedMs: z.number(),
});
export type ResultSetInfo = z.infer<typeof resultSetSchema>;

export const sqlRunEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), percent: z.number() }),
  z.object({ kind: z.literal('done'), result: resultSetSchema }),
]);
export type SqlRunEvent = z.infer<typeof sqlRunEventSchema>;

export const exportFormatSchema = z.enum(['csv', 'json', 'ndjson', 'parquet']);

export const exportEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), rows: z.number().int(), total: z.number().int() }),
  z.object({ kind: z.literal('done'), file: z.string(), rows: z.number().int() }),
]);

export const sqlTableSchema = z.object({
  name: z.string(),
  /** The product behind the table (absent for files the user opened). */
  product: z.string().optional(),
  columns: z.array(z.object({ name: z.string(), type: z.string(), description: z.string().optional() })),
  days: z.number().int(),
  files: z.number().int(),
});

export const sqlSchemaSchema = z.object({
  tables: z.array(sqlTableSchema),
  keywords: z.array(z.string()),
  functions: z.array(z.object({ name: z.string(), kind: z.string() })),
  /** Files left out of a table because they are not readable Parquet. */
  problems: z.array(z.object({ table: z.string(), file: z.string(), message: z.string() })),
});
export type SqlSchema = z.infer<typeof sqlSchemaSchema>;
