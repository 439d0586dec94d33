// Checks a filter as the user types, with the same parser the backend runs, so a syntax error
// shows at once with its line and column instead of after Start.
import { validateFilter } from '../../../../shared/filter';

export interface FilterProblem {
  /** Without the position, which is shown apart. */
  message: string;
  line: number;
  column: number;
  /** 0-based offset and length of the offending text, for underlining. */
  offset: number;
  length: number;
}

export function checkFilter(text: string): FilterProblem | null {
  try {
    const v = validateFilter(text);
    if (v.ok) return null;
    const { reason, line, column, offset, length } = v.error;
    return { message: reason, line, column, offset, length };
  } catch (e) {
    // Not a syntax error: a bug in the checker should not block typing; the backend still checks.
    console.warn('Filter check failed', e);
    return null;
  }
}

/** Examples for the placeholder and tooltip. */
export const FILTER_EXAMPLES = [
  "value.amount > 100 AND value.store_id = 'S03'",
  "key = 'O-00012345'",
  "value.status IN ('placed', 'cancelled')",
  "headers.source = 'pos' OR partition = 2",
  "timestamp >= TIMESTAMP '2026-10-01 12:00:00'",
  "value.customer_id LIKE 'C-0001%'",
  'value.items[0].qty >= 3',
];
