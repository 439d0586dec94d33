// Errors of the storage layer: one class with a `kind` a caller can branch on (offline fallback,
// resume, immutability) and a message a person can act on. Messages name the endpoint, the bucket,
// the key and — for access problems — the access key id; never a secret.
import { ApiError, type ErrorCode } from '../../../shared/api/errors';

export type StorageErrorKind =
  /** Credentials refused (wrong secret, unknown key, no permission). */
  | 'access-denied'
  /** The bucket named by the location does not exist. */
  | 'no-such-bucket'
  /** The object, file or folder does not exist. */
  | 'not-found'
  /** The server cannot be reached (refused, DNS, timeout, connection dropped before a response). */
  | 'unreachable'
  /** A download stopped part-way (connection lost, server stopped); the `.partial` file is kept for resuming. */
  | 'interrupted'
  /** The object is not the one expected (ETag or size differ): it changed after it was listed. */
  | 'changed'
  /** Downloaded bytes fail verification, or a file is not a readable Parquet file. */
  | 'corrupt'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** The location or configuration cannot be used (bad URL, unsupported server type, missing secret). */
  | 'config'
  /** Anything else the server or the file system said. */
  | 'io';

const CODE: Record<StorageErrorKind, ErrorCode> = {
  'access-denied': 'UNAUTHORIZED',
  'no-such-bucket': 'NOT_FOUND',
  'not-found': 'NOT_FOUND',
  unreachable: 'INTERNAL',
  interrupted: 'INTERNAL',
  changed: 'SNAPSHOT_CORRUPT',
  corrupt: 'SNAPSHOT_CORRUPT',
  cancelled: 'CANCELLED',
  config: 'BAD_REQUEST',
  io: 'INTERNAL',
};

export class StorageError extends ApiError {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    details: Record<string, string | number | boolean | null> = {},
  ) {
    super(CODE[kind], message, { kind, ...details });
    this.name = 'StorageError';
  }
}

export function isStorageError(e: unknown, ...kinds: StorageErrorKind[]): e is StorageError {
  return e instanceof StorageError && (kinds.length === 0 || kinds.includes(e.kind));
}

/** Network-level failures of Node sockets and the AWS SDK's HTTP handler. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The errno-like code of a network failure, or null when `e` is not one. */
export function networkCode(e: unknown): string | null {
  const err = e as { code?: unknown; name?: unknown; cause?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return null;
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  if (err.name === 'TimeoutError' || err.name === 'RequestTimeout') return 'ETIMEDOUT';
  if (typeof err.message === 'string' && /socket hang up|aborted|premature close/i.test(err.message) && err.name !== 'AbortError') return 'ECONNRESET';
  if (err.cause) return networkCode(err.cause);
  const agg = (e as { errors?: unknown[] }).errors;
  if (Array.isArray(agg)) for (const inner of agg) if (networkCode(inner)) return networkCode(inner);
  return null;
}

export function cancelled(what: string): StorageError {
  return new StorageError('cancelled', `${what} was cancelled`);
}
