// A fast, conservative pre-check of JSON record bytes against a contract, so that the common case
// (a well-formed record that passes) costs one scan of the bytes instead of JSON.parse plus the
// record validator (together ~85% of a `dpx tail --json` profile).
//
// The rule that keeps it exact: an acceptor answers "definitely passes" or "don't know", never
// "fails". `true` means the bytes are one ASCII JSON object without CR/LF that JSON.parse accepts
// (so its text can be written out as is) and that the record validator would pass with no error.
// On `false` the caller takes the exact path (decode, then the record validator), which gives the
// errors. Everything unusual answers `false`: escapes in keys or in checked strings, non-ASCII
// bytes, duplicate or missing fields, nulls in checked fields, deep nesting.
//
// Value checks are the record validator's own: every check beyond the JSON type (patterns, enums,
// bounds, lengths, quality rules, date/time formats) runs the validator compiled for that one
// property, on the decoded value. Three shortcuts avoid decoding in the common cases, each
// enabled only after it agreed with the validator on probe values when compiled:
// - repeated strings (store codes, statuses) reuse the validator's verdict, looked up by bytes;
// - canonical UTC timestamps and dates (2026-10-01T12:00:00.000Z) pass a timestamp/date type;
// - numbers against plain numeric bounds (minimum, exclusiveMinimum, …) are compared directly.
// What the scanner decides alone is JSON syntax, structure (objects, arrays, which fields are
// present) and the plain logical types (string, integer, number, boolean, object, array).
import type { OdcsSchemaElementProperty } from '../../catalog/standards/odcs';
import { compileRecordValidator } from '../../quality/record-validator';
import { viewOf, wordsOf } from './byte-view';
import { fitsShape, fixedShapeOf, type FixedShape } from './fixed-shape';

/** True when the bytes in [start, end) definitely are a JSON object passing the contract. */
export type RecordAcceptor = (bytes: Buffer, start: number, end: number) => boolean;

// JSON types as the validator's typeCheck() names them (same strings, same meaning).
const STRING = 0;
const INTEGER = 1;
const NUMBER = 2;
const BOOLEAN = 3;
/** date, time, timestamp: format checks, decided by the validator on the decoded value. */
const TEMPORAL = 4;
const OBJECT = 5;
const ARRAY = 6;
/** No logicalType (or one the validator does not type-check): any JSON value. */
const ANY = 7;

// How a field's string values are checked.
const S_NONE = 0;
/** The validator's verdict, remembered by bytes while values repeat. */
const S_CACHE = 1;
/** Canonical UTC timestamps pass without decoding; others go to the validator. */
const S_TIMESTAMP = 2;
const S_DATE = 3;
/** A pattern (the property's only check): the same RegExp, tested directly. */
const S_PATTERN = 4;
/** A fixed-length pattern (the property's only check), tested on the bytes by its table. */
const S_SHAPE = 5;

interface Field {
  name: string;
  nameBytes: Uint8Array;
  type: number;
  required: boolean;
  /** Non-null values need the property's own checks (not only its type). */
  checkValues: boolean;
  /** The record validator for this one property, on a decoded value; null when it has no checks at all. */
  check: ((v: unknown) => boolean) | null;
  strings: number;
  cache: VerdictCache | null;
  pattern: RegExp | null;
  shape: FixedShape | null;
  /** Numbers against plain numeric bounds, decided without the validator. */
  numbers: ((x: number) => boolean) | null;
  nested: ObjectSpec | null;
  items: Field | null;
}

interface ObjectSpec {
  fields: Field[];
  /**
   * The compact layout most producers write: every field, in schema order, no spaces. Entry i
   * is what comes before field i's value: `{"first":`, then `,"second":` and so on.
   */
  layout: Uint8Array[];
  /** The whole 4-byte words of each layout entry, little-endian, compared a word at a time. */
  words: Int32Array[];
  /** seen[i] === gen when field i was met in the object being scanned. */
  seen: Uint32Array;
  gen: number;
}

const MAX_DEPTH = 64;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** The number scanned last, exactly as JSON.parse reads it. */
let NUM = 0;
/** Whether the string scanned last had escapes. */
let ESCAPED = false;

const fcc = String.fromCharCode;

/** ASCII bytes as a string: short ones with one fixed-arity call (4x cheaper than a Buffer decode). */
function latin1(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return fcc(b[s]!);
    case 2:
      return fcc(b[s]!, b[s + 1]!);
    case 3:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12:
      return fcc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    default:
      return b.toString('latin1', s, e);
  }
}

/**
 * The validator's verdicts on string values, by their bytes: values that repeat (codes, statuses,
 * currencies) are decided once. Turns itself off when values rarely repeat (ids, free text).
 */
class VerdictCache {
  // Values of up to 8 bytes (most codes and statuses), by the two 32-bit words that cover them
  // and their length; longer ones by a hash of their bytes.
  private readonly shortFirst = new Int32Array(256);
  private readonly shortLast = new Int32Array(256);
  private readonly shortLength = new Int32Array(256).fill(-1);
  private readonly shortVerdicts = new Uint8Array(256);
  private readonly keys: Array<Uint8Array | null> = new Array<Uint8Array | null>(256).fill(null);
  private readonly verdicts = new Uint8Array(256);
  private lookups = 0;
  private hits = 0;
  private decided = false;
  private on = true;

  /** The validator's verdict on the string in [s, e): remembered, or asked (`check`) and remembered. */
  verdict(b: Buffer, s: number, e: number, check: (text: string) => boolean): boolean {
    if (!this.on) return check(latin1(b, s, e));
    this.lookups++;
    const n = e - s;
    if (n <= 8 && e >= 4 && s + 4 <= b.length) {
      // [s, s+4) and [e-4, e) cover every byte of the value (with some around it when shorter
      // than 4): equal words and length, equal value.
      const view = viewOf(b);
      const first = view.getInt32(s, true);
      const last = view.getInt32(e - 4, true);
      const slot = Math.imul(first ^ Math.imul(last, 0x9e3779b1) ^ n, 0x85ebca6b) >>> 24;
      if (this.shortLength[slot] === n && this.shortFirst[slot] === first && this.shortLast[slot] === last) {
        this.hits++;
        return this.shortVerdicts[slot] === 1;
      }
      this.decide();
      const verdict = check(latin1(b, s, e));
      this.shortFirst[slot] = first;
      this.shortLast[slot] = last;
      this.shortLength[slot] = n;
      this.shortVerdicts[slot] = verdict ? 1 : 0;
      return verdict;
    }
    const slot = hashOf(b, s, e) & 255;
    const key = this.keys[slot];
    if (key && key.length === n) {
      let i = 0;
      while (i < n && key[i] === b[s + i]) i++;
      if (i === n) {
        this.hits++;
        return this.verdicts[slot] === 1;
      }
    }
    this.decide();
    const verdict = check(latin1(b, s, e));
    this.keys[slot] = b.subarray(s, e).slice();
    this.verdicts[slot] = verdict ? 1 : 0;
    return verdict;
  }

  /** After a few thousand values: keep remembering only if at least half of them were seen before. */
  private decide(): void {
    if (this.lookups >= 4096 && !this.decided) {
      this.decided = true;
      this.on = this.hits * 2 >= this.lookups;
    }
  }
}

function hashOf(b: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 16777619);
  return (h ^ (h >>> 15)) >>> 0;
}

function typeOf(logicalType: string | undefined): number {
  switch (logicalType) {
    case 'string':
      return STRING;
    case 'integer':
      return INTEGER;
    case 'number':
      return NUMBER;
    case 'boolean':
      return BOOLEAN;
    case 'date':
    case 'time':
    case 'timestamp':
      return TEMPORAL;
    case 'object':
    case 'map':
      return OBJECT;
    case 'array':
      return ARRAY;
    default:
      return ANY;
  }
}

/** Quality metrics the validator ignores for non-null values (null-only or dataset-level ones, or none). */
const NON_NULL_SAFE_METRICS = new Set<string | undefined>([undefined, 'nullValues', 'duplicateValues', 'rowCount']);
const BOUND_KEYS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/** Values the timestamp/date shortcut passes, to check the validator agrees. */
const TIMESTAMP_PROBES = ['2026-10-01T01:33:09.151Z', '0000-01-01T00:00:00Z', '9999-12-28T23:59:59.999999999Z', '2024-02-28T12:00:00.1Z', '1970-01-01T00:00:00.00Z'];
const DATE_PROBES = ['2026-10-01', '0000-01-01', '9999-12-28', '2024-02-28'];

/** A direct test for plain numeric bounds, if the property has nothing else to check and it agrees with the validator. */
function boundsTest(p: OdcsSchemaElementProperty, check: (v: unknown) => boolean): ((x: number) => boolean) | null {
  if (p.enum !== undefined || (p.quality ?? []).some((q) => !NON_NULL_SAFE_METRICS.has(q.metric ?? q.rule))) return null;
  const o = (p.logicalTypeOptions ?? {}) as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 0 || keys.some((k) => !BOUND_KEYS.has(k) || typeof o[k] !== 'number' || !Number.isFinite(o[k]))) return null;
  const min = typeof o.minimum === 'number' ? o.minimum : -Infinity;
  const max = typeof o.maximum === 'number' ? o.maximum : Infinity;
  const xmin = typeof o.exclusiveMinimum === 'number' ? o.exclusiveMinimum : -Infinity;
  const xmax = typeof o.exclusiveMaximum === 'number' ? o.exclusiveMaximum : Infinity;
  const test = (x: number) => x >= min && x <= max && x > xmin && x < xmax;
  const probes = [0, 1, -1, 0.5, 1e9, -1e9];
  for (const b of keys.map((k) => o[k] as number)) probes.push(b, b - 1, b + 1, b - 0.5, b + 0.5, b - 1e-9, b + 1e-9);
  const integer = p.logicalType === 'integer';
  for (const x of probes) if ((!integer || Number.isInteger(x)) && test(x) !== check(x)) return null;
  return test;
}

/** The pattern of a string property whose only check it is, if testing it directly agrees with the validator. */
function patternTest(p: OdcsSchemaElementProperty, check: (v: unknown) => boolean): RegExp | null {
  const o = (p.logicalTypeOptions ?? {}) as Record<string, unknown>;
  if (p.logicalType !== 'string' || p.enum !== undefined || (p.quality ?? []).some((q) => !NON_NULL_SAFE_METRICS.has(q.metric ?? q.rule))) return null;
  if (Object.keys(o).length !== 1 || typeof o.pattern !== 'string') return null;
  let re: RegExp;
  try {
    re = new RegExp(o.pattern);
  } catch {
    return null;
  }
  const probes = ['', 'a', '0', ...(p.examples ?? []).filter((x): x is string => typeof x === 'string')];
  return probes.every((x) => re.test(x) === check(x)) ? re : null;
}

function compileField(p: OdcsSchemaElementProperty, name: string): Field | null {
  const options = p.logicalTypeOptions ?? {};
  const rules = p.quality ?? [];
  const type = typeOf(p.logicalType);
  // Conservative: any option, any enum, any rule that may look at a non-null value → the validator decides.
  const checkValues = type === TEMPORAL || p.enum !== undefined || Object.keys(options).length > 0 || rules.some((q) => !NON_NULL_SAFE_METRICS.has(q.metric ?? q.rule));
  let check: Field['check'] = null;
  if (checkValues || rules.length > 0) {
    const validate = compileRecordValidator([{ ...p, name }]);
    const holder: Record<string, unknown> = { [name]: undefined };
    check = (v) => {
      holder[name] = v;
      return validate(holder).length === 0;
    };
  }
  let strings = S_NONE;
  let numbers: Field['numbers'] = null;
  let pattern: RegExp | null = null;
  let shape: FixedShape | null = null;
  if (checkValues && check) {
    strings = S_CACHE;
    const onlyType = p.enum === undefined && Object.keys(options).length === 0 && rules.every((q) => NON_NULL_SAFE_METRICS.has(q.metric ?? q.rule));
    if (onlyType && p.logicalType === 'timestamp' && TIMESTAMP_PROBES.every((s) => check!(s))) strings = S_TIMESTAMP;
    if (onlyType && p.logicalType === 'date' && DATE_PROBES.every((s) => check!(s))) strings = S_DATE;
    pattern = patternTest(p, check);
    shape = pattern && fixedShapeOf(pattern);
    if (pattern) strings = shape ? S_SHAPE : S_PATTERN;
    if (type === INTEGER || type === NUMBER) numbers = boundsTest(p, check);
  }
  let nested: ObjectSpec | null = null;
  if (p.properties?.length) {
    nested = compileObject(p.properties);
    if (!nested) return null;
  }
  let items: Field | null = null;
  if (p.items) {
    items = compileField(p.items, p.items.name ?? '');
    if (!items) return null;
  }
  const nameBytes = Buffer.from(name, 'latin1');
  return { name, nameBytes, type, required: p.required === true, checkValues, check, strings, cache: strings === S_CACHE ? new VerdictCache() : null, pattern, shape, numbers, nested, items };
}

function compileObject(properties: OdcsSchemaElementProperty[]): ObjectSpec | null {
  const fields: Field[] = [];
  const names = new Set<string>();
  for (const p of properties) {
    const name = p.name ?? '';
    // Keys with escapes or non-ASCII bytes are never matched by the scanner; two properties of one
    // name are both checked by the validator. Neither has a fast path.
    if (!name || names.has(name) || !/^[\x20-\x7e]*$/.test(name) || name.includes('"') || name.includes('\\')) return null;
    names.add(name);
    const f = compileField(p, name);
    if (!f) return null;
    fields.push(f);
  }
  const layout = fields.map((f, i) => Buffer.from(`${i === 0 ? '{' : ','}"${f.name}":`, 'latin1'));
  const words = layout.map(wordsOf);
  return { fields, layout, words, seen: new Uint32Array(fields.length), gen: 0 };
}

/**
 * An acceptor for records of one schema object (its `properties`), or null when the schema uses
 * something the scanner cannot decide exactly (then every record takes the exact path).
 */
export function compileAcceptor(properties: OdcsSchemaElementProperty[]): RecordAcceptor | null {
  const spec = compileObject(properties);
  if (!spec) return null;
  return (b, start, end) => {
    let p = ws(b, start, end);
    if (p >= end || b[p] !== 0x7b) return false;
    p = object(spec, b, p, end, 0);
    return p >= 0 && ws(b, p, end) === end;
  };
}

/**
 * True when the bytes in [start, end) definitely are one JSON document that JSON.parse accepts,
 * ASCII and without CR/LF, whose first byte (after spaces) is `{` or `[`; false when unsure.
 */
export function isPlainJson(b: Buffer, start: number, end: number): boolean {
  let p = ws(b, start, end);
  if (p >= end || (b[p] !== 0x7b && b[p] !== 0x5b)) return false;
  p = skip(b, p, end, 0);
  return p >= 0 && ws(b, p, end) === end;
}

// The scanner: each function takes the position and returns the one after what it read, or -1.

/** JSON whitespace except CR and LF (a value written out as is must stay on one line). */
function ws(b: Buffer, p: number, e: number): number {
  while (p < e) {
    const c = b[p]!;
    if (c !== 0x20 && c !== 0x09) return p;
    p++;
  }
  return p;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** At an opening quote: past the closing one, ASCII only; ESCAPED tells whether it had escapes. */
function str(b: Buffer, p: number, e: number): number {
  p++;
  ESCAPED = false;
  // Four bytes at a time while none of them is a quote, a backslash, a control or non-ASCII byte
  // (see byte-view.ts); the byte loop below takes over at the first word that has one.
  const view = viewOf(b);
  while (p + 4 <= e) {
    const w = view.getInt32(p, true);
    const q = w ^ 0x22222222;
    const s = w ^ 0x5c5c5c5c;
    if ((w | ((w - 0x20202020) & ~w) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
    p += 4;
  }
  while (p < e) {
    const c = b[p++]!;
    if (c === 0x22) return p;
    if (c === 0x5c) {
      ESCAPED = true;
      if (p >= e) return -1;
      const d = b[p++]!;
      if (d === 0x75) {
        if (p + 4 > e || !isHex(b[p]!) || !isHex(b[p + 1]!) || !isHex(b[p + 2]!) || !isHex(b[p + 3]!)) return -1;
        p += 4;
      } else if (d !== 0x22 && d !== 0x5c && d !== 0x2f && d !== 0x62 && d !== 0x66 && d !== 0x6e && d !== 0x72 && d !== 0x74) return -1;
    } else if (c < 0x20 || c >= 0x80) return -1;
  }
  return -1;
}

/** A JSON number; NUM is its value as JSON.parse gives it (Clinger's fast path, else the engine's conversion). */
function num(b: Buffer, p: number, e: number): number {
  const start = p;
  let neg = false;
  if (b[p] === 0x2d) {
    neg = true;
    p++;
  }
  if (p >= e) return -1;
  let c = b[p]!;
  let sig = 0;
  let digits = 0;
  if (c === 0x30) {
    p++;
    digits = 1;
  } else if (c >= 0x31 && c <= 0x39) {
    while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39) {
      sig = sig * 10 + (c - 0x30);
      digits++;
      p++;
    }
  } else return -1;
  let fraction = 0;
  if (p < e && b[p] === 0x2e) {
    p++;
    const f0 = p;
    while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39) {
      sig = sig * 10 + (c - 0x30);
      p++;
    }
    fraction = p - f0;
    if (fraction === 0) return -1;
    digits += fraction;
  }
  let exponent = false;
  if (p < e && (b[p] === 0x65 || b[p] === 0x45)) {
    exponent = true;
    p++;
    if (p < e && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    const e0 = p;
    while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39) p++;
    if (p === e0) return -1;
  }
  if (!exponent && digits <= 15) {
    // significand < 2^53 and 10^fraction exact: one IEEE division rounds exactly as the parser does.
    const v = fraction ? sig / POW10[fraction]! : sig;
    NUM = neg ? -v : v;
  } else {
    NUM = Number(latin1(b, start, p));
  }
  return p;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function literal(b: Buffer, p: number, e: number, word: Uint8Array): number {
  const n = word.length;
  if (p + n > e) return -1;
  for (let i = 0; i < n; i++) if (b[p + i] !== word[i]) return -1;
  return p + n;
}

/** Any JSON value, syntax only. */
function skip(b: Buffer, p: number, e: number, depth: number): number {
  if (p >= e) return -1;
  const c = b[p]!;
  if (c === 0x22) return str(b, p, e);
  if (c === 0x7b || c === 0x5b) {
    if (depth >= MAX_DEPTH) return -1;
    const close = c === 0x7b ? 0x7d : 0x5d;
    p = ws(b, p + 1, e);
    if (p < e && b[p] === close) return p + 1;
    for (;;) {
      if (c === 0x7b) {
        if (p >= e || b[p] !== 0x22) return -1;
        p = str(b, p, e);
        if (p < 0) return -1;
        p = ws(b, p, e);
        if (p >= e || b[p] !== 0x3a) return -1;
        p = ws(b, p + 1, e);
      }
      p = skip(b, p, e, depth + 1);
      if (p < 0) return -1;
      p = ws(b, p, e);
      if (p >= e) return -1;
      const d = b[p++]!;
      if (d === close) return p;
      if (d !== 0x2c) return -1;
      p = ws(b, p, e);
    }
  }
  if (c === 0x74) return literal(b, p, e, TRUE);
  if (c === 0x66) return literal(b, p, e, FALSE);
  if (c === 0x6e) return literal(b, p, e, NULL);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return num(b, p, e);
  return -1;
}

/** Where the key at p (an opening quote) is this field's name, the position after its closing quote, else -1. */
function nameAt(f: Field, b: Buffer, p: number, e: number): number {
  const name = f.nameBytes;
  const n = name.length;
  if (p + n + 2 > e || b[p + n + 1] !== 0x22) return -1;
  for (let i = 0; i < n; i++) if (b[p + 1 + i] !== name[i]) return -1;
  return p + n + 2;
}

/** What compact() answers when the object is not in the compact layout. */
const NOT_COMPACT = -2;

/**
 * At `{`: the object in its spec's compact layout, matched key by key (no name search, no
 * spaces, nothing to track): the position after it, -1 when a value fails, NOT_COMPACT when the
 * bytes leave the layout. The layout is one case of the general grammar, and a value is checked
 * as the general scan checks it at the same position, so both give the same verdict.
 */
function compact(spec: ObjectSpec, b: Buffer, p: number, e: number, depth: number): number {
  const fields = spec.fields;
  const layout = spec.layout;
  const words = spec.words;
  const n = fields.length;
  if (n === 0) return NOT_COMPACT;
  const view = viewOf(b);
  for (let i = 0; i < n; i++) {
    const key = layout[i]!;
    const k = key.length;
    if (p + k > e) return NOT_COMPACT;
    // Keys are most of a record's bytes: four at a time, then the last few one by one.
    const w = words[i]!;
    const nw = w.length;
    for (let j = 0; j < nw; j++) if (view.getInt32(p + 4 * j, true) !== w[j]) return NOT_COMPACT;
    for (let j = nw * 4; j < k; j++) if (b[p + j] !== key[j]) return NOT_COMPACT;
    p = value(fields[i]!, b, p + k, e, depth + 1);
    if (p < 0) return -1;
  }
  return p < e && b[p] === 0x7d ? p + 1 : NOT_COMPACT;
}

/** At `{`: an object with the fields of `spec`, each present at most once and passing. */
function object(spec: ObjectSpec, b: Buffer, p: number, e: number, depth: number): number {
  if (depth >= MAX_DEPTH) return -1;
  const q = compact(spec, b, p, e, depth);
  if (q !== NOT_COMPACT) return q;
  const fields = spec.fields;
  const n = fields.length;
  const seen = spec.seen;
  let gen = (spec.gen + 1) >>> 0;
  if (gen === 0) {
    seen.fill(0);
    gen = 1;
  }
  spec.gen = gen;
  p = ws(b, p + 1, e);
  if (p < e && b[p] === 0x7d) p++;
  else {
    let next = 0;
    for (;;) {
      if (p >= e || b[p] !== 0x22) return -1;
      // Fields usually come in schema order: try the next one's name first.
      let f = -1;
      let after = next < n ? nameAt(fields[next]!, b, p, e) : -1;
      if (after >= 0) f = next;
      else {
        after = str(b, p, e);
        if (after < 0 || ESCAPED) return -1;
        for (let i = 0; i < n; i++) {
          if (nameAt(fields[i]!, b, p, after) === after) {
            f = i;
            break;
          }
        }
      }
      p = ws(b, after, e);
      if (p >= e || b[p] !== 0x3a) return -1;
      p = ws(b, p + 1, e);
      if (f >= 0) {
        if (seen[f] === gen) return -1; // JSON.parse keeps the last one; let the exact path decide
        seen[f] = gen;
        next = f + 1;
        p = value(fields[f]!, b, p, e, depth + 1);
      } else p = skip(b, p, e, depth + 1);
      if (p < 0) return -1;
      p = ws(b, p, e);
      if (p >= e) return -1;
      const d = b[p++]!;
      if (d === 0x7d) break;
      if (d !== 0x2c) return -1;
      p = ws(b, p, e);
    }
  }
  for (let i = 0; i < n; i++) {
    if (seen[i] === gen) continue;
    const f = fields[i]!;
    if (f.required || (f.check && !f.check(undefined))) return -1;
  }
  return p;
}

/** 2 digits at p as a number, or -1. */
function two(b: Buffer, p: number): number {
  const x = b[p]! - 0x30;
  const y = b[p + 1]! - 0x30;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/** YYYY-MM-DD with a day every month has (01–28), at [s, s+10). */
function canonicalDate(b: Buffer, s: number): boolean {
  const y = two(b, s);
  const y2 = two(b, s + 2);
  const m = two(b, s + 5);
  const d = two(b, s + 8);
  return y >= 0 && y2 >= 0 && b[s + 4] === 0x2d && b[s + 7] === 0x2d && m >= 1 && m <= 12 && d >= 1 && d <= 28;
}

/** The string in [s, e) (quotes excluded) is YYYY-MM-DDTHH:MM:SS[.fraction]Z with valid fields. */
function canonicalTimestamp(b: Buffer, s: number, e: number): boolean {
  const len = e - s;
  if (len < 20 || len > 30 || b[e - 1] !== 0x5a || !canonicalDate(b, s) || b[s + 10] !== 0x54) return false;
  const h = two(b, s + 11);
  const mi = two(b, s + 14);
  const se = two(b, s + 17);
  if (h < 0 || h > 23 || b[s + 13] !== 0x3a || mi < 0 || mi > 59 || b[s + 16] !== 0x3a || se < 0 || se > 59) return false;
  if (len === 20) return true;
  if (b[s + 19] !== 0x2e || len === 21) return false;
  for (let i = s + 20; i < e - 1; i++) if (b[i]! < 0x30 || b[i]! > 0x39) return false;
  return true;
}

function stringPasses(f: Field, b: Buffer, s: number, e: number): boolean {
  switch (f.strings) {
    case S_TIMESTAMP:
      if (canonicalTimestamp(b, s, e)) return true;
      break;
    case S_DATE:
      if (e - s === 10 && canonicalDate(b, s)) return true;
      break;
    case S_PATTERN:
      return f.pattern!.test(latin1(b, s, e));
    case S_SHAPE:
      return fitsShape(f.shape!, b, s, e);
    case S_CACHE:
      return f.cache!.verdict(b, s, e, f.check!);
  }
  return f.check!(latin1(b, s, e));
}

/** One field's value: JSON type, nested structure, then the property's own checks on the decoded value. */
function value(f: Field, b: Buffer, p: number, e: number, depth: number): number {
  if (p >= e) return -1;
  const c = b[p]!;
  const start = p;
  const type = f.type;
  if (c === 0x22) {
    if (type !== STRING && type !== TEMPORAL && type !== ANY) return -1;
    p = str(b, p, e);
    if (p < 0) return -1;
    if (!f.checkValues) return p;
    if (ESCAPED) return -1;
    return stringPasses(f, b, start + 1, p - 1) ? p : -1;
  }
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (type !== INTEGER && type !== NUMBER && type !== TEMPORAL && type !== ANY) return -1;
    p = num(b, p, e);
    if (p < 0) return -1;
    const x = NUM;
    if (type === INTEGER ? !Number.isInteger(x) : !Number.isFinite(x)) return -1;
    if (!f.checkValues) return p;
    return (f.numbers !== null ? f.numbers(x) : f.check!(x)) ? p : -1;
  }
  if (c === 0x74 || c === 0x66) {
    if (type !== BOOLEAN && type !== ANY) return -1;
    p = literal(b, p, e, c === 0x74 ? TRUE : FALSE);
    if (p < 0) return -1;
    return !f.checkValues || f.check!(c === 0x74) ? p : -1;
  }
  if (c === 0x6e) {
    p = literal(b, p, e, NULL);
    // The validator: a null is "required" when required, else only the property's rules see it.
    if (p < 0 || f.required) return -1;
    return f.check === null || f.check(null) ? p : -1;
  }
  if (c === 0x7b) {
    if (type !== OBJECT && type !== ANY) return -1;
    p = f.nested ? object(f.nested, b, p, e, depth) : skip(b, p, e, depth);
  } else if (c === 0x5b) {
    if (type !== ARRAY && type !== ANY) return -1;
    p = f.items ? array(f.items, b, p, e, depth) : skip(b, p, e, depth);
  } else return -1;
  if (p < 0) return -1;
  if (!f.checkValues) return p;
  return f.check!(JSON.parse(latin1(b, start, p))) ? p : -1;
}

/** At `[`: every element passing `items`. */
function array(items: Field, b: Buffer, p: number, e: number, depth: number): number {
  if (depth >= MAX_DEPTH) return -1;
  p = ws(b, p + 1, e);
  if (p < e && b[p] === 0x5d) return p + 1;
  for (;;) {
    p = value(items, b, p, e, depth + 1);
    if (p < 0) return -1;
    p = ws(b, p, e);
    if (p >= e) return -1;
    const d = b[p++]!;
    if (d === 0x5d) return p;
    if (d !== 0x2c) return -1;
    p = ws(b, p, e);
  }
}
