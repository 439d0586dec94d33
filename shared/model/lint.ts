import { z } from 'zod';

export const severitySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof severitySchema>;

/** One broken promise found by `dpx lint`: which product, which rule, where. */
export const findingSchema = z.object({
  /** The product id, or the file's name when no product could be read from it. */
  product: z.string(),
  rule: z.string(),
  severity: severitySchema,
  message: z.string(),
  file: z.string(),
  line: z.number().int().nullable(),
});
export type Finding = z.infer<typeof findingSchema>;
