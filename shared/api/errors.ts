// Errors that cross the API carry a stable code and a message a person can act on.
import { z } from 'zod';

export const errorCodeSchema = z.enum([
  'BAD_REQUEST', // input failed the contract's validation
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NOT_FOUND', // e.g. no product with that id
  'WORKSPACE_UNREADABLE',
  'DESCRIPTOR_INVALID',
  'KAFKA_UNREACHABLE',
  'SNAPSHOT_CORRUPT',
  'CANCELLED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Where the problem is: a file and line, a broker, an offset... */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type ApiErrorShape = z.infer<typeof apiErrorSchema>;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiErrorShape['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }

  static from(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details);
  }
}

/** Any thrown value as an ApiError; unexpected ones keep their message but become INTERNAL. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Error) return new ApiError('INTERNAL', e.message);
  return new ApiError('INTERNAL', String(e));
}
