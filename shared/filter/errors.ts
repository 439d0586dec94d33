import type { SourcePos } from './ast';

/**
 * Everything wrong with a filter — syntax, unknown functions or columns, type mismatches, limits —
 * is a FilterSyntaxError pointing at the offending text: `Unexpected ')' at line 1, column 14`.
 */
export class FilterSyntaxError extends Error {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 units. */
  readonly column: number;
  /** 0-based offset into the filter text. */
  readonly offset: number;
  /** How many characters to underline (at least 1). */
  readonly length: number;
  /** The offending token's text, or null at the end of the filter / for whole-filter problems. */
  readonly token: string | null;
  /** The message without the position. */
  readonly reason: string;

  constructor(reason: string, pos: SourcePos, token: string | null = null, length = token?.length ?? 1) {
    super(`${reason} at line ${pos.line}, column ${pos.column}`);
    this.name = 'FilterSyntaxError';
    this.reason = reason;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
    this.token = token;
    this.length = Math.max(1, length);
  }
}

/** A position for errors about trees not made by the parser. */
export const NO_POS: SourcePos = { offset: 0, line: 1, column: 1 };
