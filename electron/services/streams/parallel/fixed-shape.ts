// Fixed-length patterns as byte tables, for the acceptor: ids and codes in contracts are mostly
// patterns like ^O-[0-9]{8}$ or ^[A-Z]{3}$, and testing the record's bytes against a table
// costs a fraction of decoding them to a string for the RegExp (a million times a tail).

/** Entry i * 128 + c is 1 when ASCII byte c may stand at position i; its length is 128 × the pattern's. */
export type FixedShape = Uint8Array;

const PRINTABLE = /^[\x20-\x7e]$/;
/** Characters that are syntax in a pattern, taken literally only after a backslash. */
const SYNTAX = '\\^$.|?*+()[]{}';
/** What may follow a backslash to stand for itself. */
const ESCAPABLE = `${SYNTAX}/-`;

function setOf(chars: Iterable<string>): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}

function rangeOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.push(String.fromCharCode(c));
  return out;
}

const DIGITS = rangeOf('0', '9');

/** The characters of a class body (between [ and ]): ranges, single characters, \d; null if anything else. */
function classChars(body: string): string[] | null {
  if (body === '' || body.startsWith('^')) return null;
  const out: string[] = [];
  for (let i = 0; i < body.length; ) {
    let c = body[i]!;
    if (c === '\\') {
      const d = body[i + 1];
      if (d === 'd') {
        out.push(...DIGITS);
        i += 2;
        continue;
      }
      if (d === undefined || !ESCAPABLE.includes(d)) return null;
      c = d;
      i += 2;
    } else if (c === '[' || !PRINTABLE.test(c)) return null;
    else i++;
    // c-x is a range unless the - is the class's last character.
    if (body[i] === '-' && i + 1 < body.length) {
      const to = body[i + 1]!;
      if (to === '\\' || to === '[' || !PRINTABLE.test(to) || to < c) return null;
      out.push(...rangeOf(c, to));
      i += 2;
    } else out.push(c);
  }
  return out;
}

/**
 * The table of a pattern anchored at both ends whose items (a literal character, \d, \-, or a
 * class like [0-9A-Z_]) each stand once or {n} times, with no flags; null for any other pattern.
 * The table is returned only if it agrees with the RegExp on every single-character change of a
 * matching string and on strings one shorter and longer.
 */
export function fixedShapeOf(re: RegExp): FixedShape | null {
  const src = re.source;
  if (re.flags !== '' || !src.startsWith('^') || !src.endsWith('$') || src.endsWith('\\$')) return null;
  const positions: Uint8Array[] = [];
  for (let i = 1; i < src.length - 1; ) {
    let chars: string[] | null;
    const c = src[i]!;
    if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) return null;
      chars = classChars(src.slice(i + 1, close));
      i = close + 1;
    } else if (c === '\\') {
      const d = src[i + 1];
      chars = d === 'd' ? DIGITS : d !== undefined && ESCAPABLE.includes(d) ? [d] : null;
      i += 2;
    } else {
      chars = SYNTAX.includes(c) || !PRINTABLE.test(c) ? null : [c];
      i++;
    }
    if (!chars) return null;
    let times = 1;
    const count = /^\{(\d{1,2})\}/.exec(src.slice(i));
    if (count) {
      times = Number(count[1]);
      i += count[0].length;
    } else if ('*+?{'.includes(src[i]!) && i < src.length - 1) return null;
    const set = setOf(chars);
    for (let k = 0; k < times; k++) positions.push(set);
  }
  if (positions.length === 0 || positions.some((s) => !s.includes(1))) return null;
  const table = new Uint8Array(positions.length * 128);
  positions.forEach((s, i) => table.set(s, i * 128));
  return agrees(table, re) ? table : null;
}

/** The table's verdict on a string (ASCII bytes only, as the acceptor gives it). */
export function fitsShape(table: FixedShape, b: Uint8Array, s: number, e: number): boolean {
  const n = table.length >> 7;
  if (e - s !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = b[s + i]!;
    if (c > 127 || table[(i << 7) | c] === 0) return false;
  }
  return true;
}

function agrees(table: FixedShape, re: RegExp): boolean {
  const n = table.length >> 7;
  const sample = Array.from({ length: n }, (_, i) => String.fromCharCode(table.indexOf(1, i * 128) - i * 128));
  const same = (text: string) => re.test(text) === fitsShape(table, Buffer.from(text, 'latin1'), 0, text.length);
  if (!re.test(sample.join('')) || !same(sample.join('')) || !same(sample.join('').slice(1)) || !same(`${sample.join('')}${sample[n - 1]}`)) return false;
  for (let i = 0; i < n; i++) {
    for (let c = 0x20; c <= 0x7e; c++) {
      const variant = [...sample];
      variant[i] = String.fromCharCode(c);
      if (!same(variant.join(''))) return false;
    }
  }
  return true;
}
