// Turns filter text into tokens. Positions are 1-based line/column (UTF-16 units, like Monaco).
import type { SourcePos } from './ast';
import { FilterSyntaxError } from './errors';

export const MAX_FILTER_LENGTH = 10_000;

export type TokenKind = 'number' | 'string' | 'ident' | 'quoted' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Exactly as written. */
  text: string;
  /** Decoded: string contents without quotes, quoted identifier names, operators as written. */
  value: string;
  pos: SourcePos;
}

const OPERATORS = ['<=', '>=', '<>', '!=', '==', '||', '::', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', '[', ']'];
const IDENT = /[\p{L}_][\p{L}\p{N}_$]*/uy;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Quotes a token for a message: `')'`, `'amount'`, long tokens shortened. */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of filter';
  const text = t.text.length > 30 ? `${t.text.slice(0, 27)}...` : t.text;
  return `'${text}'`;
}

/** Position of `offset` in `text`. */
export function positionAt(text: string, offset: number): SourcePos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

export function tokenize(text: string): Token[] {
  if (typeof text !== 'string') throw new FilterSyntaxError('Filter must be text', positionAt('', 0));
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(
      `Filter is too long (${text.length} characters; the limit is ${MAX_FILTER_LENGTH})`,
      positionAt(text, MAX_FILTER_LENGTH),
    );
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone) throw new FilterSyntaxError('Invalid Unicode (unpaired surrogate)', positionAt(text, lone.index));

  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): SourcePos => ({ offset, line, column: offset - lineStart + 1 });
  // Advances over text[from, to), keeping line/column right across newlines inside strings and comments.
  const advance = (to: number): void => {
    for (; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (i < text.length) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      advance(i + 1);
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      advance(nl === -1 ? text.length : nl);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = pos(i);
      const close = text.indexOf('*/', i + 2);
      if (close === -1) throw new FilterSyntaxError('Unterminated comment starting', start, '/*');
      advance(close + 2);
      continue;
    }
    const start = pos(i);
    if (c === "'" || c === '"') {
      // '…' is a string, "…" an identifier; a doubled quote stands for one.
      let j = i + 1;
      let value = '';
      for (;;) {
        const k = text.indexOf(c, j);
        if (k === -1) {
          throw new FilterSyntaxError(c === "'" ? 'Unterminated string starting' : 'Unterminated quoted identifier starting', start, c);
        }
        value += text.slice(j, k);
        if (text[k + 1] === c) {
          value += c;
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      if (value.includes('\0')) throw new FilterSyntaxError('NUL characters are not allowed', start, text.slice(i, j));
      if (c === '"' && value === '') throw new FilterSyntaxError('Empty quoted identifier', start, '""');
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: text.slice(i, j), value, pos: start });
      advance(j);
      continue;
    }
    if ((code >= 48 && code <= 57) || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      let end = i + m[0].length;
      IDENT.lastIndex = end;
      const tail = IDENT.exec(text);
      if (tail) {
        end += tail[0].length;
        throw new FilterSyntaxError('Invalid number', start, text.slice(i, end));
      }
      tokens.push({ kind: 'number', text: m[0], value: m[0], pos: start });
      advance(end);
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(text);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], value: id[0], pos: start });
      advance(i + id[0].length);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, pos: start });
      advance(i + op.length);
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const shown = code < 32 || code === 127 ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : ch;
    throw new FilterSyntaxError(`Unexpected character '${shown}'`, start, ch);
  }
  tokens.push({ kind: 'eof', text: '', value: '', pos: pos(i) });
  return tokens;
}
