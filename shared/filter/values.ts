// The value semantics of the filter language, shared by the JavaScript evaluator and (for constant
// folding) the SQL generator. The SQL generator emits SQL that implements exactly these rules, so the
// same filter selects the same rows on a stream (evaluate.ts) and on a snapshot (to-sql.ts).
//
// Value categories: n = number (finite double), s = string, b = boolean, t = timestamp (epoch ms,
// may carry microseconds as a fraction), i = interval (ms). Anything else (objects, arrays, NaN) is
// 'o' and behaves like NULL in comparisons and conversions.
import type { CastType } from './ast';

export type Cat = 'n' | 's' | 'b' | 't' | 'i';

/** The category of a decoded message value; null for NULL/missing, 'o' for objects and arrays. */
export function runtimeCat(v: unknown): Cat | 'o' | null {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? 'n' : 'o';
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'undefined':
      return null;
    default:
      return v === null ? null : 'o';
  }
}

/**
 * Which category two values are compared in: the same category as is; timestamp wins (the other side is
 * read as epoch ms or an ISO string); number beats string (the string must be numeric) and boolean
 * (false = 0, true = 1); boolean beats string ('true'/'false'/'t'/'f'/'yes'/'no'/'y'/'n'/'1'/'0').
 * Intervals only compare with intervals. null: not comparable (the comparison is NULL).
 */
export function comparisonDomain(a: Cat, b: Cat): Cat | null {
  if (a === b) return a === 'i' ? 'n' : a;
  if (a === 'i' || b === 'i') return null;
  if (a === 't' || b === 't') return 't';
  if (a === 'n' || b === 'n') return 'n';
  return 'b';
}

// ---- strings → other categories -------------------------------------------------------------

/** Surrounding [ \t\n\r] allowed; decimal digits, optional fraction and exponent. No hex, no 'inf'. */
export const NUMERIC_TEXT = /^[ \t\n\r]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[ \t\n\r]*$/;

export function parseNumber(s: string): number | null {
  const m = NUMERIC_TEXT.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

export const TRUE_TEXTS = ['true', 't', 'yes', 'y', '1'] as const;
export const FALSE_TEXTS = ['false', 'f', 'no', 'n', '0'] as const;

export function parseBool(s: string): boolean | null {
  if (s.length > 5) return null;
  const l = s.toLowerCase();
  if ((TRUE_TEXTS as readonly string[]).includes(l)) return true;
  if ((FALSE_TEXTS as readonly string[]).includes(l)) return false;
  return null;
}

/**
 * `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]` and a zone `Z`, `±HH`,
 * `±HHMM` or `±HH:MM`. No zone means UTC. Fractions beyond microseconds are ignored.
 */
export const TIMESTAMP_TEXT =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]((?:[01][0-9]|2[0-3]):[0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?(?:Z|([+-])([01][0-9]|2[0-3])(?::?([0-5][0-9]))?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Epoch ms of a UTC calendar date and time (any year 0–9999). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

export function parseTimestamp(s: string): number | null {
  if (s.length > 40) return null;
  const m = TIMESTAMP_TEXT.exec(s);
  if (!m) return null;
  const [y, mo, d] = m[1]!.split('-').map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1) return null;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return null;
  const [h, mi] = m[2] ? (m[2].split(':').map(Number) as [number, number]) : [0, 0];
  const base = utc(y, mo, d, h, mi, Number(m[3] ?? 0));
  const micros = m[4] ? Number(m[4].slice(0, 6).padEnd(6, '0')) : 0;
  let offsetMs = 0;
  if (m[5]) offsetMs = (m[5] === '-' ? -1 : 1) * (Number(m[6]) * 60 + Number(m[7] ?? 0)) * 60_000;
  return micros === 0 ? base - offsetMs : ((base - offsetMs) * 1000 + micros) / 1000;
}

// ---- other categories → strings ---------------------------------------------------------------

/**
 * Numbers as text, the way DuckDB prints a DOUBLE except that integral values are printed without
 * `.0`: `100`, `1.5`, `0.0001`, `1e-05`, `1e+21`.
 */
export function numberToString(n: number): string {
  if (n === 0) return '0';
  if (Number.isInteger(n) || Math.abs(n) >= 1e-4) return String(n);
  const e = n.toExponential();
  return e.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Earliest and latest epoch ms printable as a four-digit year. */
export const MIN_PRINTABLE_MS = -62167219200000;
export const MAX_PRINTABLE_MS = 253402300800000;

/** `2026-10-01T12:00:00.000Z`; null outside years 0000–9999. */
export function timestampToString(ms: number): string | null {
  const f = Math.floor(ms);
  if (!(f >= MIN_PRINTABLE_MS && f < MAX_PRINTABLE_MS)) return null;
  const d = new Date(f);
  const y = d.getUTCFullYear();
  const p2 = (x: number): string => String(x).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}Z`;
}

// ---- conversions between categories -------------------------------------------------------------

export function toNumber(v: unknown, c: Cat): number | null {
  switch (c) {
    case 'n':
    case 't':
    case 'i':
      return v as number;
    case 's':
      return parseNumber(v as string);
    case 'b':
      return v ? 1 : 0;
  }
}

export function toText(v: unknown, c: Cat): string | null {
  switch (c) {
    case 's':
      return v as string;
    case 'n':
      return numberToString(v as number);
    case 'b':
      return v ? 'true' : 'false';
    case 't':
      return timestampToString(v as number);
    case 'i':
      return null;
  }
}

/** Boolean as a comparison side: only strings and booleans convert. */
export function toBoolean(v: unknown, c: Cat): boolean | null {
  if (c === 'b') return v as boolean;
  if (c === 's') return parseBool(v as string);
  return null;
}

/** Boolean as a condition (WHERE x, NOT x, CAST(x AS BOOLEAN)): numbers are true when non-zero. */
export function toCondition(v: unknown, c: Cat): boolean | null {
  if (c === 'n') return (v as number) !== 0;
  return toBoolean(v, c);
}

export function toTimestamp(v: unknown, c: Cat): number | null {
  switch (c) {
    case 't':
    case 'n':
      return v as number;
    case 's':
      return parseTimestamp(v as string);
    default:
      return null;
  }
}

/** Converts a non-null value of category `c` to category `to`; null when it does not convert. */
export function convert(v: unknown, c: Cat, to: Cat): unknown {
  switch (to) {
    case 'n':
    case 'i':
      return toNumber(v, c);
    case 's':
      return toText(v, c);
    case 'b':
      return toBoolean(v, c);
    case 't':
      return toTimestamp(v, c);
  }
}

/** Three-way comparison of two non-null values already in category `d`. */
export function compareIn(d: Cat, a: unknown, b: unknown): number {
  if (d === 's') return compareStrings(a as string, b as string);
  if (d === 'b') return a === b ? 0 : a ? 1 : -1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Code point order (what DuckDB's byte-wise UTF-8 comparison gives), not UTF-16 unit order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : 1;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800) {
    // Surrogates (astral code points) sort after U+E000–U+FFFF.
    x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
  }
  return x < y ? -1 : 1;
}

// ---- numeric helpers ----------------------------------------------------------------------------

export function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** DuckDB round(DOUBLE, digits): half away from zero. */
export function roundTo(x: number, digits: number): number | null {
  const half = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));
  let r: number;
  if (digits >= 0) {
    const m = 10 ** digits;
    r = half(x * m) / m;
    if (!Number.isFinite(r)) r = x;
  } else {
    const m = 10 ** -digits;
    r = half(x / m) * m;
  }
  return finiteOrNull(r);
}

/** DOUBLE → integer casts round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

const INT_RANGE: Record<'INTEGER' | 'BIGINT', [number, number]> = {
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [-(2 ** 63), 2 ** 63],
};

export const DAY_MS = 86_400_000;

/** CAST(v AS type) for a non-null value of category `c` (TRY_CAST semantics: failure → null). */
export function castValue(v: unknown, c: Cat, type: CastType): unknown {
  switch (type) {
    case 'VARCHAR':
      return toText(v, c);
    case 'DOUBLE':
      return toNumber(v, c);
    case 'INTEGER':
    case 'BIGINT': {
      const n = toNumber(v, c);
      if (n === null) return null;
      const r = roundHalfEven(n);
      const [lo, hi] = INT_RANGE[type];
      if (type === 'BIGINT' ? !(r >= lo && r < hi) : !(r >= lo && r <= hi)) return null;
      return r === 0 ? 0 : r;
    }
    case 'BOOLEAN':
      return toCondition(v, c);
    case 'TIMESTAMP':
      return toTimestamp(v, c);
    case 'DATE': {
      const t = toTimestamp(v, c);
      return t === null ? null : Math.floor(t / DAY_MS) * DAY_MS;
    }
  }
}

// ---- time helpers -------------------------------------------------------------------------------

export const TRUNC_UNITS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type TruncUnit = (typeof TRUNC_UNITS)[number];

/** The largest |epoch ms| a JavaScript Date (and date_trunc) handles. */
export const MAX_DATE_MS = 8.64e15;

export function truncTimestamp(ms: number, unit: TruncUnit): number | null {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return null;
  const floorTo = (step: number): number => Math.floor(ms / step) * step;
  switch (unit) {
    case 'second':
      return floorTo(1000);
    case 'minute':
      return floorTo(60_000);
    case 'hour':
      return floorTo(3_600_000);
    case 'day':
      return floorTo(DAY_MS);
    case 'week': {
      const day = Math.floor(ms / DAY_MS);
      return (day - (((day + 3) % 7) + 7) % 7) * DAY_MS;
    }
    default: {
      const d = new Date(Math.floor(ms));
      const y = d.getUTCFullYear();
      const mo = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor(d.getUTCMonth() / 3) * 3 + 1 : d.getUTCMonth() + 1;
      return utc(y, mo, 1);
    }
  }
}

const INTERVAL_UNITS: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: DAY_MS, day: DAY_MS, days: DAY_MS,
  w: 7 * DAY_MS, week: 7 * DAY_MS, weeks: 7 * DAY_MS,
};

/** `'15 minutes'`, `'1 hour 30 minutes'`, `'-2 days'`, `'1.5h'` → ms; a string is an error message. */
export function parseInterval(text: string): number | string {
  const parts = /^\s*((?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*[A-Za-z]+\s*)+)$/.exec(text);
  if (!parts) return `Invalid INTERVAL '${text}' (expected e.g. '15 minutes' or '1 hour 30 minutes')`;
  let total = 0;
  for (const m of parts[1]!.matchAll(/([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z]+)/g)) {
    const unit = m[2]!.toLowerCase();
    const size = INTERVAL_UNITS[unit];
    if (size === undefined) {
      if (/^(mons?|months?|years?|y|yrs?|decades?|centur(y|ies))$/.test(unit)) {
        return `INTERVAL unit '${m[2]}' has no fixed length; use days or weeks`;
      }
      return `Unknown INTERVAL unit '${m[2]}'`;
    }
    total += Number(m[1]) * size;
  }
  return Number.isFinite(total) ? total : `INTERVAL '${text}' is out of range`;
}

// ---- case mapping -------------------------------------------------------------------------------
// DuckDB maps case one code point at a time (simple case mapping); JavaScript's toLowerCase/toUpperCase
// use full mappings ('ß' → 'SS', 'İ' → 'i̇', final sigma). These follow DuckDB.

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
const LOWER_SPECIAL: Record<string, string> = { '\u0130': 'i', '\ufeff': '' };
const UPPER_SPECIAL: Record<string, string> = { '\u00df': '\u1e9e', '\ufeff': '', '\u1fb3': '\u1fbc', '\u1fc3': '\u1fcc', '\u1ff3': '\u1ffc' };
// Greek letters with ypogegrammeni: the simple uppercase is the titlecase letter (JS gives two letters).
for (const start of [0x1f80, 0x1f90, 0x1fa0]) {
  for (let k = 0; k < 8; k++) UPPER_SPECIAL[String.fromCharCode(start + k)] = String.fromCharCode(start + k + 8);
}
/** Case pairs added in Unicode 16, which DuckDB's tables do not have yet: left unchanged. */
function unmappedInDuckDb(cp: number): boolean {
  return (
    cp === 0x19b || cp === 0x264 || cp === 0x1c89 || cp === 0x1c8a || (cp >= 0xa7cb && cp <= 0xa7cf) || (cp >= 0xa7d2 && cp <= 0xa7d5) || (cp >= 0xa7da && cp <= 0xa7dc) ||
    (cp >= 0x10d50 && cp <= 0x10d85) || (cp >= 0x16ea0 && cp <= 0x16edf)
  );
}

function mapCase(s: string, upper: boolean): string {
  if (isAscii(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const special = upper ? UPPER_SPECIAL[ch] : LOWER_SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    if (unmappedInDuckDb(ch.codePointAt(0)!)) {
      out += ch;
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    const single = m.length === 1 || (m.length === 2 && m.codePointAt(0)! > 0xffff);
    out += single ? m : ch;
  }
  return out;
}

export function lowerText(s: string): string {
  return mapCase(s, false);
}

export function upperText(s: string): string {
  return mapCase(s, true);
}

/** Length in code points (DuckDB's length()). */
export function textLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** DuckDB's trim(): spaces only. */
export function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return s.slice(a, b);
}
