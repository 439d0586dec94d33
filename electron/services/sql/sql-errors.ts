// DuckDB's error text as an API error with the line and column it points at, so the editor can
// put a marker there and the CLI can print it.
import { ApiError } from '../../../shared/api/errors';
import { goneFileMessage } from './exact-glob';

/** DuckDB marks the spot with "LINE n: <text>" and a caret line under it. */
export function sqlPosition(message: string, sql: string): { line: number; column: number } | null {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (m) {
    const prefix = `LINE ${m[1]}: `.length;
    return { line: Number(m[1]), column: m[3]!.length - prefix + 1 };
  }
  if (/at end of input/.test(message)) {
    const lines = sql.split('\n');
    return { line: lines.length, column: lines.at(-1)!.length + 1 };
  }
  return null;
}

/**
 * `wrapped`: DuckDB ran the query after that many characters of our own on its first line
 * (`COPY (`), so its positions there are moved back to the user's.
 */
export function sqlError(e: unknown, sql: string, wrapped = 0): ApiError {
  if (e instanceof ApiError) return e;
  const message = (e instanceof Error ? e.message : String(e)).trim().replace(/^Failed to extract statements: /, '');
  if (/INTERRUPT Error|Interrupted/.test(message)) return new ApiError('CANCELLED', 'Query cancelled');
  const gone = goneFileMessage(message);
  if (gone) return new ApiError('NOT_FOUND', gone);
  const at = sqlPosition(message, sql);
  const pos = at && at.line === 1 && wrapped ? { line: 1, column: Math.max(1, at.column - wrapped) } : at;
  // The first line is DuckDB's sentence; the caret drawing is replaced by line and column.
  const head = message.split('\n\nLINE')[0]!.replace(/\n/g, ' ');
  return new ApiError('BAD_REQUEST', pos ? `${head} (line ${pos.line}, column ${pos.column})` : head, pos ? { line: pos.line, column: pos.column } : undefined);
}
