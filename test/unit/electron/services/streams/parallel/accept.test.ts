// The fast path of `dpx tail` may only ever say "definitely passes". Whenever compileAcceptor's
// acceptor answers true, the bytes are one ASCII JSON object without CR/LF that JSON.parse accepts,
// and the record validator finds nothing in what they decode to; whenever isPlainJson answers true,
// the bytes are one ASCII JSON object or array without CR/LF that JSON.parse accepts. Checked on
// generated records — valid ones and mutations of them at every level (fields, keys, values near each
// check's boundary, single bytes) — for the demo's sales.orders contract and small hand-written
// contracts, with bytes around the record that must not be read. The other direction (so the fast
// path really is taken): valid compact records that the scanner is documented to decide are accepted.
// Cases come from the fixed seed of test/unit/fast-check-seed.ts (the unit project's setup file);
// FC_SEED=random explores new ones.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OdcsSchemaElementProperty } from '../../../../../../electron/services/catalog/standards/odcs';
import { compileRecordValidator, type RecordValidator } from '../../../../../../electron/services/quality/record-validator';
import { compileAcceptor, isPlainJson, type RecordAcceptor } from '../../../../../../electron/services/streams/parallel/accept';
import { benchOrder, STORES } from '../../../../../helpers/orders';

/** Runs of the properties that mutate records (the ones most likely to find a wrong `true`); ACCEPT_RUNS=N for a longer hunt. */
const RUNS = Number(process.env['ACCEPT_RUNS'] ?? 2000);
/** Runs of the others (arbitrary JSON, which mostly fails early; valid records). */
const RUNS_SMALL = Math.ceil(RUNS / 2);

// ---------------------------------------------------------------------------------------------
// Records as trees of raw JSON texts, so that keys and values can be anything (escaped keys,
// duplicated keys, numbers JSON.stringify never writes, broken syntax).
// ---------------------------------------------------------------------------------------------

type Node = { k: 'raw'; raw: string } | { k: 'obj'; members: Member[] } | { k: 'arr'; items: Node[] };
/** A raw key text (quotes included) and its value. */
type Member = [key: string, value: Node];

const raw = (text: string): Node => ({ k: 'raw', raw: text });

function toNode(v: unknown): Node {
  if (Array.isArray(v)) return { k: 'arr', items: v.map(toNode) };
  if (typeof v === 'object' && v !== null) return { k: 'obj', members: Object.entries(v).map(([key, x]) => [JSON.stringify(key), toNode(x)]) };
  return raw(JSON.stringify(v));
}

/** A record of named fields, in this order (names are never assigned as JS keys: `__proto__` stays a field). */
const fieldsNode = (fields: Array<[string, unknown]>): Node => ({ k: 'obj', members: fields.map(([name, v]) => [JSON.stringify(name), toNode(v)]) });

/** JSON text of a tree; `ws` (cycled) is the whitespace written around each structural token. */
function serialize(node: Node, ws: readonly string[] = []): string {
  let i = 0;
  const w = () => (ws.length === 0 ? '' : ws[i++ % ws.length]!);
  const go = (n: Node): string => {
    if (n.k === 'raw') return n.raw;
    let out = n.k === 'obj' ? '{' : '[';
    const parts = n.k === 'obj' ? n.members.map(([key, v]) => `${w()}${key}${w()}:${w()}${go(v)}`) : n.items.map((v) => `${w()}${go(v)}`);
    for (let j = 0; j < parts.length; j++) out += (j > 0 ? `${w()},` : '') + parts[j];
    return `${out}${w()}${n.k === 'obj' ? '}' : ']'}`;
  };
  return w() + go(node) + w();
}

// ---------------------------------------------------------------------------------------------
// What `true` promises, checked on the bytes alone.
// ---------------------------------------------------------------------------------------------

function asciiOneLine(bytes: Uint8Array): string | null {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return `non-ASCII byte 0x${c.toString(16)}`;
    if (c === 0x0a || c === 0x0d) return 'CR or LF';
  }
  return null;
}

/** Why an acceptor must not vouch for these bytes, or null when it may. */
function whyNotRecord(validate: RecordValidator, bytes: Buffer): string | null {
  const bad = asciiOneLine(bytes);
  if (bad) return bad;
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('latin1'));
  } catch (e) {
    return `JSON.parse fails (${(e as Error).message})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const errors = validate(v);
  return errors.length ? `the validator reports ${JSON.stringify(errors)}` : null;
}

/** Why isPlainJson must not vouch for these bytes, or null when it may. */
function whyNotPlain(bytes: Buffer): string | null {
  const bad = asciiOneLine(bytes);
  if (bad) return bad;
  const text = bytes.toString('latin1');
  try {
    JSON.parse(text);
  } catch (e) {
    return `JSON.parse fails (${(e as Error).message})`;
  }
  const first = text.replace(/^[ \t]+/, '')[0];
  return first === '{' || first === '[' ? null : `starts with ${JSON.stringify(first)}`;
}

/** Bytes around the record: the acceptor must read only [start, end). */
const SURROUNDINGS = ['}', ']', '"', '0', '1', 'e', 'Z', ' ', ',', ',"x":1}', '"}', '00"}', '.5', 'e5}', '\n', '\u00e9'];
const aroundArb = fc.oneof(
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 3 },
  fc.constantFrom(...SURROUNDINGS).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)),
);

/** [prefix, bytes, suffix] in one buffer, and where the bytes are. */
function placed(bytes: Buffer, prefix: Buffer, suffix: Buffer): [Buffer, number, number] {
  return [Buffer.concat([prefix, bytes, suffix]), prefix.length, prefix.length + bytes.length];
}

/** Counts of the answers, to show the properties were not vacuous. */
interface Tally {
  yes: number;
  no: number;
}

function vouchesOnlyForPasses(accept: RecordAcceptor, validate: RecordValidator, bytes: Buffer, prefix: Buffer, suffix: Buffer, tally: Tally): void {
  const [buf, start, end] = placed(bytes, prefix, suffix);
  if (!accept(buf, start, end)) {
    tally.no++;
    return;
  }
  tally.yes++;
  const why = whyNotRecord(validate, bytes);
  if (why !== null) throw new Error(`accepted ${JSON.stringify(bytes.toString('latin1'))} (bytes ${bytes.toString('hex')}), but ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Values near every check's boundary, and broken ones.
// ---------------------------------------------------------------------------------------------

/** Number texts around bounds (0, 1, -1.5, 0.1, 150, 2^53, the double range), and texts that are not JSON numbers. */
const NUMBER_TEXTS = [
  '0', '-0', '0.0', '-0.0', '0e0', '0E+5', '-0e-0', '1', '-1', '2', '3', '4', '1.5', '-1.5', '0.1', '0.09999999999999999', '0.10000000000000001',
  '0.1000000000000001', '1.0', '1.00', '1e0', '10e-1', '0.1e1', '1E2', '1e+2', '1e-2', '0.9999999999999999', '0.99999999999999999',
  '1.0000000000000001', '1.000000000000001', '5e-324', '4.9e-324', '3e-324', '2e-324', '1e-400', '-1e-400', '-5e-324', '1e308',
  '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '1e400', '-1e400', '1E400', '9007199254740991',
  '9007199254740992', '9007199254740993', '-9007199254740993', '9007199254740992.5', '1e21', '123456789012345678901234567890',
  '0.000000000000000000001', '0.0000000000000001', '150', '151', '150.00000000000003', '1000', '1001', '999.9999999999999', '-1.4999999999999998',
  '-1.5000000000000002', '1577836800000', '1577836799999', '1577836800000.5', '100000000000000000000000', '1.5e0', '1e-7', '123456789012345.6',
  '1234567890123456', '12345678901234567', '0.123456789012345', '-0.000', '1.7e-308', '2.2250738585072014e-308', '0.3', '0.30', '3e-1',
  '0.30000000000000004', '0.2999999999999999', '0.7', '0.70', '7e-1', '0.7000000000000001', '0.6999999999999999', '0.69999999999999996',
  '0.29999999999999998', '0.299999999999999', '0.700000000000001',
  '00', '01', '-01', '1.', '.5', '+1', '-', '1e', '1e+', '1e-', '0x10', 'NaN', 'Infinity', '-Infinity', '1_000', '1.2.3', '1e2e3', '--1',
  '- 1', '1 2', '0.e1', '1.e1', '\u0661', '\uff11',
];
const LITERAL_TEXTS = [
  'null', 'true', 'false', 'nul', 'tru', 'fals', 'True', 'NULL', 'nulll', 'truee', 'falsey', '"null"', '"true"', '""', '" "', '"x"', '"1"', '[]',
  '[1]', '[null]', '[[]]', '{}', '{"a":1}', '{"":null}', '[{}]', '[1,]', '[,1]', '{,}', '{"a"}', '{"a":}', '{"a":1,}', '{"a" 1}', '{a:1}',
  '[', ']', '{', '}', '"', '"\\"', ',', ':', '', ' ', '\t', "'x'", '[1 2]', '{"a":1 "b":2}',
];
/** JSON string texts with escapes (valid and not), control characters and non-ASCII. */
const STRING_TEXTS = [
  '"\\u0041"', '"\\""', '"\\\\"', '"\\/"', '"\\b\\f\\n\\r\\t"', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\x41"', '"\\u12"', '"\\u12G4"',
  '"\\U0041"', '"\\a"', "\"\\'\"", '"\t"', '"a\u0001b"', '"\u007f"', '"\u00e9"', '"\u2028"', '"\ud83d\ude00"', '"O-1234567\\u0038"',
  '"O-12345678\\n"', '"S0\\u0031"', '"pla\\u0063ed"', '"placed\\u0000"', '"2026-10-01T12:00:00\\u005a"', '"\\u0030\\u0030:00"', '"a\\"b"',
  '"2026-10-01T12:00:00.000Z\\n"', '"u00\\u0066f"', '"ok\\/"', '"\\n"', '"\\t1"', '"t1\\n"', '"\\u0074\\u0031"', '"ab\\u0063d"', '"\\u00411234"',
  '"\\u0041\\u0042\\u0043\\u0044\\u0045"', '"\\u0061"', '"\\u0078"', '"x\\u007a"', '"\\u007a"',
];
/** Timestamps, dates and times that almost are canonical or valid. */
const TEMPORAL_STRINGS = [
  '2026-10-01T12:00:00.000Z', '2026-10-01T12:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-02-28T00:00:00Z',
  '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2026-02-30T00:00:00Z', '2026-02-31T00:00:00Z', '2026-04-30T00:00:00Z',
  '2026-04-31T00:00:00Z', '2026-01-31T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-00T00:00:00Z', '2026-10-01T24:00:00Z',
  '2026-10-01T23:60:00Z', '2026-10-01T24:30:00Z', '2026-10-01T24:00:01Z', '2026-10-01T24:00:00.5Z', '2026-10-01T23:59:60Z',
  '2026-10-01T12:00:00', '2026-10-01t12:00:00Z', '2026-10-01T12:00:00z',
  '2026-10-01 12:00:00Z', '2026-10-01 12:00:00', '2026-10-01T12:00:00.Z', '2026-10-01T12:00:00.1Z', '2026-10-01T12:00:00.123456789Z',
  '2026-10-01T12:00:00.1234567890Z', '2026-10-01T12:00:00.123456789012Z', '2026-10-01T12:00Z', '2026-10-01T12:00:00+00:00',
  '2026-10-01T12:00:00+0000', '2026-10-01T12:00:00-01', '2026-10-01T12:00:00+24:00', '+02026-10-01T12:00:00Z', '202-10-01T12:00:00Z',
  '2026-1-01T12:00:00Z', '2026-10-01T12:00:00.000ZZ', ' 2026-10-01T12:00:00Z', '2026-10-01T12:00:00Z ', '2026/10/01T12:00:00Z',
  '2026-10-01T12:00:0aZ', '2026-10-01T1:00:00Z', '0000-00-00T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z',
  '9999-12-28T23:59:59.999999999Z', '2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', '2029-12-31T23:59:59Z',
  '2030-01-01T00:00:00Z', '2024-02-28T23:59:59.999Z', '2026-10-01T12:00:00.000\u00a0Z', '2026-10-01T12:00:00.00\uff10Z', '2026-10-01',
  '2024-02-29', '2026-02-29', '2026-02-30', '2026-13-01', '2026-00-01', '2026-01-32', '2026-1-01', '20261001', '2026-10-1', '0000-01-01',
  '9999-12-31', '12:00', '12:00:00', '12:00:00.5', '24:00', '99:99', '1:00', '12:0', '12:00:00.', '12:00Z', '12:00:00+01:00', 'T12:00',
];
/** Strings that almost match the patterns, enums and rules of the contracts below. */
const NEAR_STRINGS = [
  'O-12345678', 'O-1234567', 'O-123456789', 'o-12345678', 'O-1234567a', 'O_12345678', 'O-12345678 ', ' O-12345678', 'O-12345678\n',
  'O-00000000', 'O--1234567', 'O-\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18', 'O-1234567\u0000', 'O-1234567\u0661',
  'S01', 'S00', 'S09', 'S1', 'S010', 's01', 'S01 ', 'WEB', 'web', 'WEBB', 'WE', '', ' ', 'placed', 'Placed', 'PLACED', 'cancelled', 'canceled',
  'placed ', 'place', 'EUR', 'a', 'b', 'c', 'A', 'd', 'ab', 'x', 'X', 'z', 'Z', 'ok', 'warn', 'OK', 'n/a', 'N/A', 't1', 't', 'T1', 't1a', 't\u0661',
  'ABC-12', 'ABC-1', 'abc-12', 'ABC-123', 'AB-12', 'u00ff', 'u00fg', 'U00ff', 'u00ff ', '12345', '1234', '123456', '1', 'true', 'null',
  'abcdefgh', 'abcdefghi', '\u00e9\u00e9', 'a\u00e9',
];

const NON_NUMBER = /[^0-9eE+.-]/;

/** Every raw value a mutation can write in place of another one. */
function rawValueArb(extraNames: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...NUMBER_TEXTS),
    fc.constantFrom(...LITERAL_TEXTS),
    fc.constantFrom(...STRING_TEXTS),
    fc.constantFrom(...TEMPORAL_STRINGS, ...NEAR_STRINGS, ...extraNames).map((s) => JSON.stringify(s)),
    fc.double().map((x) => (Number.isFinite(x) ? JSON.stringify(x) : String(x))),
    fc.integer().map(String),
    smallJson.map((v) => JSON.stringify(v)),
  );
}

const nextDouble = (x: number, up: boolean): number => {
  if (Number.isNaN(x) || !Number.isFinite(x)) return x;
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, (x > 0) === up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
};

/** Numbers next to a number text: neighbours, other spellings of it, and broken spellings. */
function numberVariants(text: string): string[] {
  const x = Number(text);
  return [
    String(x + 1), String(x - 1), String(-x), `-${text}`, `${text}0`, `${text}.0`, `${text}e0`, `${text}E-0`, `${text}e400`, `${text}e-400`,
    x.toExponential(), String(nextDouble(x, true)), String(nextDouble(x, false)), `0${text}`, `${text}.`, text.replace(/e/i, 'E+'),
    x.toPrecision(17), x.toPrecision(21), String(x * 1e300), String(x / 1e300), `${text}1`,
  ];
}

const EDIT_CHARS = ['0', '1', '9', '-', ':', '.', '+', 'T', 't', 'Z', 'z', ' ', '/', '_', 'e', 'E', 'O', 'o', 'S', 'a', '"', '\\', '\u0000', '\n', '\u00e9', '\ud83d\ude00'];

/** A one-character edit of a string value (decoded, edited, re-encoded by JSON.stringify). */
function editString(s: string, at: number, pick: number, char: string): string {
  const i = s.length === 0 ? 0 : at % (s.length + 1);
  switch (pick % 3) {
    case 0:
      return s.slice(0, i) + char + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + char + s.slice(i);
    default:
      return s.slice(0, i) + s.slice(i + 1);
  }
}

/** Keys next to a key: escaped spellings of the same name, other cases, spaces, non-ASCII. */
function keyVariants(key: string): string[] {
  let name: string;
  try {
    name = JSON.parse(key) as string;
  } catch {
    return [key];
  }
  if (typeof name !== 'string' || name.length === 0) return ['"x"', '""'];
  const esc = (i: number) => `"${name.slice(0, i)}\\u${name.charCodeAt(i).toString(16).padStart(4, '0')}${name.slice(i + 1)}"`;
  return [
    esc(0), esc(name.length - 1), `"\\/${name}"`, JSON.stringify(name.toUpperCase()), JSON.stringify(`${name} `), JSON.stringify(` ${name}`),
    JSON.stringify(`${name}\u00e9`), JSON.stringify(name.slice(1)), JSON.stringify(name.slice(0, -1)), JSON.stringify(`${name}x`), `"${name}`, `${name}`,
  ];
}

const MUTATIONS = ['replace', 'remove', 'null', 'duplicate', 'duplicate-other', 'rename', 'add', 'reorder', 'edit-string', 'tweak-number', 'wrap', 'swap-values'] as const;

interface Mutation {
  kind: (typeof MUTATIONS)[number];
  at: number;
  pick: number;
  value: string;
  key: string;
  char: string;
}

function mutationArb(extraNames: string[], keys: string[]): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom(...MUTATIONS),
    at: fc.nat(),
    pick: fc.nat(),
    value: rawValueArb(extraNames),
    key: fc.oneof(
      fc.constantFrom(...keys).map((k) => JSON.stringify(k)),
      fc.constantFrom('"x"', '""', '"__proto__"', '"\\u0061"', '"a\\u0020b"', '"order\\u005fid"', '"user\\u0000"'),
      fc.string({ maxLength: 4 }).map((k) => JSON.stringify(k)),
    ),
    char: fc.constantFrom(...EDIT_CHARS),
  });
}

/** Every place a value sits: a member of an object or an element of an array. */
type Container = Exclude<Node, { k: 'raw' }>;
interface Slot {
  parent: Container;
  index: number;
}

function slots(node: Node, out: Slot[] = [], paths: string[] = [], path = ''): Slot[] {
  if (node.k === 'raw') return out;
  const at = (v: Node, index: number, p: string) => {
    out.push({ parent: node, index });
    paths.push(p);
    slots(v, out, paths, p);
  };
  if (node.k === 'obj') node.members.forEach(([key, v], index) => at(v, index, `${path}.${key}`));
  else node.items.forEach((v, index) => at(v, index, `${path}[]`));
  return out;
}

/** The positions (in slots() order) of the first value at each path, array elements counted once. */
function firstOfEachPath(node: Node): number[] {
  const paths: string[] = [];
  slots(node, [], paths);
  return paths.flatMap((path, i) => (paths.indexOf(path) === i ? [i] : []));
}

function containers(node: Node, out: Array<Container> = []): Array<Container> {
  if (node.k === 'obj') {
    out.push(node);
    for (const [, v] of node.members) containers(v, out);
  } else if (node.k === 'arr') {
    out.push(node);
    for (const v of node.items) containers(v, out);
  }
  return out;
}

function getAt(parent: Container, index: number): Node {
  return parent.k === 'obj' ? parent.members[index]![1] : parent.items[index]!;
}

function setAt(parent: Container, index: number, v: Node): void {
  if (parent.k === 'obj') parent.members[index] = [parent.members[index]![0], v];
  else parent.items[index] = v;
}

function clone(n: Node): Node {
  if (n.k === 'raw') return n;
  if (n.k === 'obj') return { k: 'obj', members: n.members.map(([key, v]) => [key, clone(v)]) };
  return { k: 'arr', items: n.items.map(clone) };
}

/** Applies one mutation somewhere in the tree (in place). */
function mutate(root: Node, m: Mutation): void {
  const all = slots(root);
  if (m.kind === 'add' || m.kind === 'reorder' || all.length === 0) {
    const boxes = containers(root);
    if (boxes.length === 0) return;
    const box = boxes[m.at % boxes.length]!;
    if (m.kind === 'reorder') {
      if (box.k === 'obj' && box.members.length > 1) {
        const [moved] = box.members.splice(m.pick % box.members.length, 1);
        box.members.splice(m.at % box.members.length, 0, moved!);
      } else if (box.k === 'arr') box.items.reverse();
      return;
    }
    if (box.k === 'obj') box.members.splice(m.pick % (box.members.length + 1), 0, [m.key, raw(m.value)]);
    else box.items.splice(m.pick % (box.items.length + 1), 0, raw(m.value));
    return;
  }
  const { parent, index } = all[m.at % all.length]!;
  const current = getAt(parent, index);
  switch (m.kind) {
    case 'replace':
      setAt(parent, index, raw(m.value));
      return;
    case 'remove':
      if (parent.k === 'obj') parent.members.splice(index, 1);
      else parent.items.splice(index, 1);
      return;
    case 'null':
      setAt(parent, index, raw('null'));
      return;
    case 'duplicate':
    case 'duplicate-other':
      if (parent.k === 'obj') {
        const key = parent.members[index]![0];
        const copy: Member = [key, m.kind === 'duplicate' ? clone(current) : raw(m.value)];
        parent.members.splice(m.pick % (parent.members.length + 1), 0, copy);
      } else parent.items.splice(m.pick % (parent.items.length + 1), 0, m.kind === 'duplicate' ? clone(current) : raw(m.value));
      return;
    case 'rename':
      if (parent.k === 'obj') {
        const variants = keyVariants(parent.members[index]![0]);
        parent.members[index] = [variants[m.pick % variants.length]!, current];
      }
      return;
    case 'edit-string':
      if (current.k === 'raw' && current.raw.startsWith('"')) {
        let s: unknown;
        try {
          s = JSON.parse(current.raw);
        } catch {
          return;
        }
        if (typeof s === 'string') setAt(parent, index, raw(JSON.stringify(editString(s, m.at, m.pick, m.char))));
      }
      return;
    case 'tweak-number':
      if (current.k === 'raw' && current.raw !== '' && !NON_NUMBER.test(current.raw)) {
        const variants = numberVariants(current.raw);
        setAt(parent, index, raw(variants[m.pick % variants.length]!));
      }
      return;
    case 'wrap':
      setAt(parent, index, m.pick % 2 ? { k: 'arr', items: [current] } : { k: 'obj', members: [[m.key, current]] });
      return;
    case 'swap-values': {
      const other = all[m.pick % all.length]!;
      const theirs = getAt(other.parent, other.index);
      setAt(parent, index, clone(theirs));
      return;
    }
  }
}

const SPECIAL_BYTES = [
  '"', '\\', ',', ':', '{', '}', '[', ']', '0', '1', '5', '9', '-', '+', '.', 'e', 'E', ' ', '\t', '\r', '\n', 'n', 't', 'u', 'Z', 'T', '/',
].map((c) => c.charCodeAt(0)).concat([0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0xff]);

interface ByteEdit {
  op: 'replace' | 'insert' | 'delete';
  at: number;
  byte: number;
}

const byteEditArb: fc.Arbitrary<ByteEdit> = fc.record({
  op: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  byte: fc.oneof({ arbitrary: fc.constantFrom(...SPECIAL_BYTES), weight: 4 }, fc.integer({ min: 0, max: 255 })),
});

function editBytes(bytes: Buffer, edits: readonly ByteEdit[]): Buffer {
  let b = bytes;
  for (const { op, at, byte } of edits) {
    const i = at % (b.length + (op === 'insert' ? 1 : 0) || 1);
    if (op === 'insert') b = Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
    else if (b.length === 0) continue;
    else if (op === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    else b = Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i + 1)]);
  }
  return b;
}

/** Whitespace between tokens: mostly none; spaces and tabs (allowed on one line), sometimes CR/LF. */
const wsArb = fc.oneof(
  { arbitrary: fc.constant<string[]>([]), weight: 4 },
  fc.array(fc.constantFrom('', '', '', ' ', '\t', '  ', ' \t', '\n', '\r\n', '\r', '\u00a0', '\f'), { minLength: 1, maxLength: 6 }),
);

/** Text before or after the record, inside the range the acceptor reads. */
const OUTSIDE = [' ', '\t', '  \t', '\n', '\r\n', 'x', '}', ']', ',', ':', '"', '{}', '[]', '0', 'null', ',{}', '\u00a0', '\ufeff', '//', '\u0000'];
const outsideArb = fc.oneof({ arbitrary: fc.constant(''), weight: 8 }, fc.constantFrom(...OUTSIDE));

/** A valid record, then mutations of its tree, its whitespace and its bytes; sometimes two records, or text around it. */
function mutatedArb(valid: fc.Arbitrary<Node>, extraNames: string[], keys: string[]): fc.Arbitrary<Buffer> {
  return fc
    .record({
      record: valid,
      mutations: fc.array(mutationArb(extraNames, keys), { minLength: 0, maxLength: 3 }),
      ws: wsArb,
      edits: fc.oneof({ arbitrary: fc.constant<ByteEdit[]>([]), weight: 2 }, fc.array(byteEditArb, { minLength: 1, maxLength: 3 })),
      before: outsideArb,
      after: fc.oneof({ arbitrary: outsideArb, weight: 9 }, fc.constant('twice')),
    })
    .map(({ record, mutations, ws, edits, before, after }) => {
      const tree = clone(record);
      for (const m of mutations) mutate(tree, m);
      const text = serialize(tree, ws);
      return editBytes(Buffer.from(`${before}${text}${after === 'twice' ? text : after}`, 'utf8'), edits);
    });
}

// ---------------------------------------------------------------------------------------------
// Strings the scanner reads without escapes (checked fields), and ones it may skip (any ASCII).
// ---------------------------------------------------------------------------------------------

const PLAIN_CHARS = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== '"' && c !== '\\');
/** Printable ASCII without `"` and `\`: JSON.stringify writes it as is. */
const plainString = (constraints: { minLength?: number; maxLength?: number } = {}) => fc.string({ unit: fc.constantFrom(...PLAIN_CHARS), maxLength: 12, ...constraints });
/** Any ASCII, control characters included: JSON.stringify writes escapes. */
const asciiString = (maxLength = 12) => fc.string({ unit: 'binary-ascii', maxLength });
/** Any JSON value with ASCII strings. */
const asciiJson = (maxDepth = 2) => fc.jsonValue({ maxDepth, stringUnit: 'binary-ascii' });
const scalarArb = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), asciiString());
/** Small JSON values with ASCII strings (cheaper to draw than asciiJson). */
const smallJson = fc.oneof(
  { arbitrary: scalarArb, weight: 4 },
  fc.array(scalarArb, { maxLength: 3 }),
  fc.dictionary(plainString({ maxLength: 4 }), scalarArb, { maxKeys: 3 }),
);
/** Strings of `min`–`max` characters of an alphabet. */
const charsOf = (alphabet: string, minLength: number, maxLength = minLength) => fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
const DIGITS = '0123456789';

const YEAR_0 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_9999 = Date.parse('9999-12-31T23:59:59.999Z');
const YEAR_1000 = Date.parse('1000-01-01T00:00:00.000Z');
const instantArb = (min = YEAR_0, max = YEAR_9999) => fc.integer({ min, max });
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Timestamp texts the validator passes: canonical ones and other ISO spellings. */
function timestampArb(min = YEAR_0, max = YEAR_9999): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: instantArb(min, max).map((t) => new Date(t).toISOString()), weight: 4 },
    // (V8 reads a space-separated date-time with a year below 1000 as no date, or as another year.)
    fc.tuple(instantArb(Math.max(min, YEAR_1000), max), fc.constantFrom('', '.1', '.12', '.123456', '.123456789'), fc.constantFrom('T', ' '), fc.constantFrom('Z', '', 'Z')).map(
      ([t, fraction, sep, zone]) => `${new Date(t).toISOString().slice(0, 10)}${sep}${new Date(t).toISOString().slice(11, 19)}${fraction}${zone}`,
    ),
    fc.tuple(
      instantArb(Math.max(min, YEAR_0 + 2 * 86_400_000), Math.min(max, YEAR_9999 - 2 * 86_400_000)),
      fc.integer({ min: -14, max: 14 }),
      fc.constantFrom(':', ''),
    ).map(([t, h, colon]) => {
      // The same instant written in another zone: local time, then the offset.
      const local = new Date(t + h * 3_600_000).toISOString().slice(0, 19);
      return `${local}${h < 0 ? '-' : '+'}${pad(Math.abs(h))}${colon}00`;
    }),
  );
}

/** A timestamp field's value: ISO text, or epoch milliseconds. */
const timestampValueArb = fc.oneof({ arbitrary: timestampArb(), weight: 4 }, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

const dateArb = instantArb().map((t) => new Date(t).toISOString().slice(0, 10));
/** HH:MM[:SS[.fraction]], a time of day (the validator refuses 24:00 and 12:60). */
const timeArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }), fc.option(charsOf(DIGITS, 1, 6), { nil: undefined }))
  .map(([h, m, sec, fraction]) => `${pad(h, 2)}:${pad(m, 2)}${sec === undefined ? '' : `:${pad(sec, 2)}${fraction === undefined ? '' : `.${fraction}`}`}`);

/** Extra members no contract below declares: ASCII keys without escapes, any ASCII JSON values. */
function extrasArb(declared: string[]): fc.Arbitrary<Member[]> {
  return fc.array(
    fc.tuple(plainString({ maxLength: 8 }).filter((k) => !declared.includes(k)), smallJson).map(([k, v]): Member => [JSON.stringify(k), toNode(v)]),
    { maxLength: 3 },
  );
}

/** Names of every property, nested ones and items included. */
function allNames(properties: OdcsSchemaElementProperty[]): string[] {
  const out: string[] = [];
  const walk = (p: OdcsSchemaElementProperty) => {
    if (p.name) out.push(p.name);
    p.properties?.forEach(walk);
    if (p.items) walk(p.items);
  };
  properties.forEach(walk);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The contracts.
// ---------------------------------------------------------------------------------------------

interface Contract {
  name: string;
  properties: OdcsSchemaElementProperty[];
  /**
   * Valid records the scanner is documented to decide: every declared field present, compact,
   * ASCII, no escapes in keys or in strings that have checks, no nulls in fields that have checks.
   */
  valid: fc.Arbitrary<Node>;
}

const SALES_ORDERS = (
  parse(readFileSync(new URL('../../../../../../examples/demo/contracts/sales.orders.odcs.yaml', import.meta.url), 'utf8')) as {
    schema: Array<{ properties: OdcsSchemaElementProperty[] }>;
  }
).schema[0]!.properties;

const benchOrderArb = fc.nat().map(benchOrder);

/** Orders beyond the bench's: any valid value of every field. */
const anyOrderArb = fc.record({
  order_id: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `O-${pad(n, 8)}`),
  customer_id: asciiString(),
  store_id: fc.constantFrom(...STORES),
  ordered_at: timestampValueArb,
  amount: fc.oneof(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100)),
  currency: asciiString(4),
  status: fc.constantFrom('placed', 'cancelled'),
  channel: asciiString(),
  items: fc.array(
    fc.record({
      sku: asciiString(),
      qty: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.maxSafeInteger().filter((n) => n >= 1), fc.constant(1e21)),
      unit_price: fc.double({ noNaN: true, noDefaultInfinity: true }),
    }),
    { maxLength: 4 },
  ),
});

const ORDER_FIELDS = SALES_ORDERS.map((p) => p.name!);
const ordersContract: Contract = {
  name: 'sales.orders (demo)',
  properties: SALES_ORDERS,
  valid: fc.oneof(benchOrderArb, anyOrderArb).map((o: Record<string, unknown>) => fieldsNode(ORDER_FIELDS.map((f) => [f, o[f]]))),
};

/** Flat fields: every logical type, option, enum and single-record quality rule the validator knows. */
const FLAT: OdcsSchemaElementProperty[] = [
  { name: 'id', logicalType: 'integer', required: true, logicalTypeOptions: { minimum: 1, maximum: 1000 } },
  { name: 'code', logicalType: 'string', required: true, logicalTypeOptions: { pattern: '^[A-Z]{3}-\\d{2}$' }, examples: ['ABC-12'] },
  { name: 'label', logicalType: 'string', logicalTypeOptions: { minLength: 2, maxLength: 8 } },
  { name: 'score', logicalType: 'number', logicalTypeOptions: { exclusiveMinimum: -1.5, exclusiveMaximum: 0.1 } },
  { name: 'ratio', logicalType: 'number', required: true, logicalTypeOptions: { minimum: 0, maximum: 1 } },
  { name: 'active', logicalType: 'boolean' },
  { name: 'kind', logicalType: 'string', enum: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] },
  { name: 'level', logicalType: 'integer', enum: [{ value: 1 }, { value: 2 }, { value: 3 }] },
  { name: 'yes', logicalType: 'boolean', enum: [{ value: true }] },
  { name: 'day', logicalType: 'date' },
  { name: 'at', logicalType: 'timestamp', required: true, quality: [{ metric: 'nullValues', mustBe: 0 }] },
  { name: 'since', logicalType: 'timestamp', logicalTypeOptions: { minimum: '2020-01-01T00:00:00Z' } },
  { name: 'clock', logicalType: 'time' },
  { name: 'note', logicalType: 'string', quality: [{ metric: 'missingValues', mustBe: 0 }] },
  { name: 'status', logicalType: 'string', quality: [{ metric: 'invalidValues', arguments: { validValues: ['ok', 'warn'] }, mustBe: 0 }] },
  { name: 'tag', logicalType: 'string', quality: [{ rule: 'invalidValues', arguments: { pattern: '^t[0-9]+$' } }] },
  { name: 'nick', logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0 }, { metric: 'duplicateValues', mustBe: 0 }] },
  { name: 'free' },
  { name: 'positive', logicalTypeOptions: { exclusiveMinimum: 0 } },
  { name: 'opt', logicalType: 'string', quality: [{ metric: 'missingValues', arguments: { missingValues: ['n/a', 0, null] } }] },
  { name: 'big', logicalType: 'integer', logicalTypeOptions: { exclusiveMaximum: 9007199254740992 } },
  { name: 'bounded', logicalType: 'number', required: true, logicalTypeOptions: { minimum: -1e-300, maximum: 1e300 } },
  // Bounds no short decimal reaches exactly by multiplying (3 × 0.1 is 0.30000000000000004): numbers must be read as JSON.parse reads them.
  { name: 'tenths', logicalType: 'number', required: true, logicalTypeOptions: { exclusiveMinimum: 0.3, exclusiveMaximum: 0.7 } },
];

const since2020 = Date.parse('2020-01-01T00:00:00Z');
const flatContract: Contract = {
  name: 'flat (types, options, enums, rules)',
  properties: FLAT,
  valid: fc
    .tuple(
      fc.integer({ min: 1, max: 1000 }),
      fc.tuple(charsOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3), charsOf(DIGITS, 2)).map(([l, d]) => `${l}-${d}`),
      plainString({ minLength: 2, maxLength: 8 }),
      fc.double({ min: -1.5, max: 0.1, minExcluded: true, maxExcluded: true, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.option(fc.boolean()),
      fc.constantFrom('a', 'b', 'c'),
      fc.constantFrom(1, 2, 3),
      fc.constant(true),
      dateArb,
      timestampValueArb,
      fc.oneof(timestampArb(since2020 + 15 * 3_600_000), fc.integer({ min: since2020, max: 8.64e15 })),
      timeArb,
      plainString({ minLength: 1 }),
      fc.constantFrom('ok', 'warn'),
      charsOf(DIGITS, 1, 6).map((d) => `t${d}`),
      asciiString(),
      fc.option(smallJson),
      fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
      plainString().filter((s) => s !== 'n/a'),
      fc.maxSafeInteger(),
      fc.double({ min: -1e-300, max: 1e300, noNaN: true }),
      fc.oneof(fc.double({ min: 0.3, max: 0.7, minExcluded: true, maxExcluded: true, noNaN: true }), fc.integer({ min: 31, max: 69 }).map((n) => n / 100)),
    )
    .map((values) => fieldsNode(FLAT.map((p, i) => [p.name!, values[i]]))),
};

/** Nested objects, arrays of scalars, of objects and of arrays, items with checks. */
const NESTED: OdcsSchemaElementProperty[] = [
  {
    name: 'user',
    logicalType: 'object',
    required: true,
    properties: [
      { name: 'id', logicalType: 'string', required: true, logicalTypeOptions: { pattern: '^u[0-9a-f]{4}$' } },
      { name: 'age', logicalType: 'integer', logicalTypeOptions: { minimum: 0, maximum: 150 } },
      {
        name: 'address',
        logicalType: 'object',
        properties: [
          { name: 'city', logicalType: 'string', required: true },
          { name: 'zip', logicalType: 'string', logicalTypeOptions: { pattern: '^\\d{5}$' } },
        ],
      },
    ],
  },
  { name: 'tags', logicalType: 'array', logicalTypeOptions: { minItems: 1, maxItems: 3 }, items: { logicalType: 'string', logicalTypeOptions: { minLength: 1 } } },
  {
    name: 'lines',
    logicalType: 'array',
    required: true,
    items: {
      name: 'line',
      logicalType: 'object',
      properties: [
        { name: 'sku', logicalType: 'string', required: true },
        { name: 'qty', logicalType: 'integer', required: true, logicalTypeOptions: { minimum: 1 } },
        { name: 'price', logicalType: 'number', logicalTypeOptions: { exclusiveMinimum: 0 } },
      ],
    },
  },
  { name: 'matrix', logicalType: 'array', items: { logicalType: 'array', items: { logicalType: 'number' } } },
  { name: 'meta', logicalType: 'map' },
  { name: 'levels', logicalType: 'array', items: { logicalType: 'integer', required: true, enum: [{ value: 1 }, { value: 2 }] } },
  { name: 'maybe', logicalType: 'array', items: { logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0 }] } },
  { name: 'loose', properties: [{ name: 'x', logicalType: 'integer', required: true }], items: { logicalType: 'boolean' } },
];

const nestedContract: Contract = {
  name: 'nested (objects, arrays, items)',
  properties: NESTED,
  valid: fc
    .tuple(
      fc.record({
        id: charsOf('0123456789abcdef', 4).map((h) => `u${h}`),
        age: fc.integer({ min: 0, max: 150 }),
        address: fc.record({ city: asciiString(), zip: charsOf(DIGITS, 5) }),
      }),
      fc.array(plainString({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
      fc.array(
        fc.record({ sku: asciiString(), qty: fc.integer({ min: 1 }), price: fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }) }),
        { maxLength: 3 },
      ),
      fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 3 }), { maxLength: 3 }),
      fc.dictionary(plainString({ maxLength: 4 }), smallJson, { maxKeys: 3 }),
      fc.array(fc.constantFrom(1, 2), { maxLength: 4 }),
      fc.array(asciiString(), { maxLength: 3 }),
      fc.oneof(fc.record({ x: fc.integer() }), fc.array(fc.boolean(), { maxLength: 3 }), fc.integer(), asciiString()),
    )
    .map((values) => fieldsNode(NESTED.map((p, i) => [p.name!, values[i]]))),
};

/** Names that are also Object.prototype members, prefixes of each other, or contain spaces, dots, quotes. */
const NAMES: OdcsSchemaElementProperty[] = [
  { name: '__proto__', logicalType: 'integer', required: true },
  { name: 'constructor', logicalType: 'string', logicalTypeOptions: { maxLength: 3 } },
  { name: 'toString', logicalType: 'boolean', required: true },
  { name: 'a', logicalType: 'integer', required: true, logicalTypeOptions: { exclusiveMinimum: 0 } },
  { name: 'ab', logicalType: 'string', required: true, enum: [{ value: 'x' }] },
  { name: 'a b', logicalType: 'number' },
  { name: 'x.y', logicalType: 'string', logicalTypeOptions: { pattern: 'z' } },
  { name: "it's", logicalType: 'date', required: true },
  { name: 'hasOwnProperty', logicalType: 'integer', quality: [{ metric: 'nullValues' }] },
];

const namesContract: Contract = {
  name: 'names (__proto__, prefixes, spaces)',
  properties: NAMES,
  valid: fc
    .tuple(
      fc.integer(),
      plainString({ maxLength: 3 }),
      fc.boolean(),
      fc.integer({ min: 1 }),
      fc.constant('x'),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.tuple(plainString({ maxLength: 4 }), plainString({ maxLength: 4 })).map(([l, r]) => `${l}z${r}`),
      dateArb,
      fc.integer(),
    )
    .map((values) => fieldsNode(NAMES.map((p, i) => [p.name!, values[i]]))),
};

/** Timestamps, dates and times with and without other checks (the shortcuts, and the validator's bounds on dates). */
const TIMES: OdcsSchemaElementProperty[] = [
  { name: 'ts', logicalType: 'timestamp', required: true },
  { name: 'd', logicalType: 'date', required: true, quality: [{ metric: 'nullValues', mustBe: 0 }] },
  { name: 'window', logicalType: 'timestamp', logicalTypeOptions: { minimum: '2024-02-29T00:00:00Z', exclusiveMaximum: '2030-01-01' } },
  { name: 'leap', logicalType: 'date', enum: [{ value: '2024-02-29' }] },
  { name: 't', logicalType: 'time', required: true },
  { name: 'history', logicalType: 'array', items: { logicalType: 'timestamp', required: true } },
  { name: 'days', logicalType: 'array', items: { logicalType: 'date' } },
];

const W_MIN = Date.parse('2024-02-29T00:00:00Z');
const W_MAX = Date.parse('2030-01-01') - 1;
const timesContract: Contract = {
  name: 'times (timestamp, date, time)',
  properties: TIMES,
  valid: fc
    .tuple(
      timestampValueArb,
      dateArb,
      fc.oneof(timestampArb(W_MIN + 15 * 3_600_000, W_MAX - 15 * 3_600_000), fc.integer({ min: W_MIN, max: W_MAX })),
      fc.constant('2024-02-29'),
      timeArb,
      fc.array(timestampValueArb, { maxLength: 3 }),
      fc.array(fc.option(dateArb), { maxLength: 3 }),
    )
    .map((values) => fieldsNode(TIMES.map((p, i) => [p.name!, values[i]]))),
};

const CONTRACTS: Contract[] = [ordersContract, flatContract, nestedContract, namesContract, timesContract];

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

describe('compileAcceptor', () => {
  it('compiles an acceptor for each contract (so the properties below are not vacuous)', () => {
    for (const c of CONTRACTS) expect(compileAcceptor(c.properties), c.name).not.toBeNull();
  });

  describe.each(CONTRACTS)('$name', (contract) => {
    const validate = compileRecordValidator(contract.properties);
    const names = allNames(contract.properties);
    const nearValues = [...names];

    it('answers true only for one ASCII JSON object on one line that passes the validator: mutated valid records', () => {
      const accept = compileAcceptor(contract.properties)!;
      const tally: Tally = { yes: 0, no: 0 };
      fc.assert(
        fc.property(mutatedArb(contract.valid, nearValues, names), aroundArb, aroundArb, (bytes, prefix, suffix) => {
          vouchesOnlyForPasses(accept, validate, bytes, prefix, suffix, tally);
        }),
        { numRuns: RUNS },
      );
      // Both answers occurred: the mutations keep some records valid and break others.
      expect(tally.yes).toBeGreaterThan(RUNS / 20);
      expect(tally.no).toBeGreaterThan(RUNS / 20);
    });

    it('answers true only for one ASCII JSON object on one line that passes the validator: arbitrary JSON objects', () => {
      const accept = compileAcceptor(contract.properties)!;
      const tally: Tally = { yes: 0, no: 0 };
      const keyArb = fc.oneof(fc.constantFrom(...names).map((n) => JSON.stringify(n)), fc.string({ unit: 'binary', maxLength: 6 }).map((k) => JSON.stringify(k)));
      const valueArb = fc.oneof(rawValueArb(nearValues), fc.json({ maxDepth: 3, stringUnit: 'binary-ascii' }));
      const objectArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 12 }).map((members): Node => ({ k: 'obj', members: members.map(([k, v]) => [k, raw(v)]) }));
      const textArb = fc.oneof(
        fc.tuple(objectArb, wsArb).map(([o, ws]) => Buffer.from(serialize(o, ws), 'utf8')),
        fc.json({ maxDepth: 3 }).map((t) => Buffer.from(t, 'utf8')),
      );
      fc.assert(
        fc.property(textArb, aroundArb, aroundArb, (bytes, prefix, suffix) => {
          vouchesOnlyForPasses(accept, validate, bytes, prefix, suffix, tally);
        }),
        { numRuns: RUNS_SMALL },
      );
      expect(tally.no).toBeGreaterThan(0);
    });

    it('takes the fast path for valid records: compact, every field present, no escapes in checked strings, any key order, extra unknown fields', () => {
      const accept = compileAcceptor(contract.properties)!;
      fc.assert(
        fc.property(contract.valid, fc.option(fc.tuple(extrasArb(names), fc.nat()), { freq: 2 }), (record, reorder) => {
          let members = record.k === 'obj' ? [...record.members] : [];
          if (reorder) {
            const [extras, seed] = reorder;
            for (const extra of extras) members.splice(seed % (members.length + 1), 0, extra);
            // A rotation and a swap: enough to leave schema order.
            const r = seed % (members.length || 1);
            members = [...members.slice(r), ...members.slice(0, r)];
            if (members.length > 1) [members[0], members[members.length - 1]] = [members[members.length - 1]!, members[0]!];
          }
          const bytes = Buffer.from(serialize({ k: 'obj', members }), 'utf8');
          const why = whyNotRecord(validate, bytes);
          if (why !== null) throw new Error(`the generator made an invalid record (${why}): ${bytes.toString()}`);
          if (!accept(bytes, 0, bytes.length)) throw new Error(`valid, but not accepted: ${bytes.toString()}`);
        }),
        { numRuns: RUNS_SMALL },
      );
    });
  });

  it('accepts every order of the tail benchmark, as JSON.stringify writes it', () => {
    const accept = compileAcceptor(SALES_ORDERS)!;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(JSON.stringify(benchOrder(i * 7_919)), 'utf8');
      if (!accept(bytes, 0, bytes.length)) expect.fail(`not accepted: ${bytes.toString()}`);
    }
  });

  it('decides a string by its whole value, not by a remembered value it starts with', () => {
    // The verdict cache holds 256 values by hash: values extending a cached one land on its slot now and then.
    const accept = compileAcceptor(SALES_ORDERS)!;
    const validate = compileRecordValidator(SALES_ORDERS);
    const tally: Tally = { yes: 0, no: 0 };
    const order = (store: string, status: string) => Buffer.from(JSON.stringify({ ...benchOrder(1), store_id: store, status }), 'utf8');
    const none = Buffer.alloc(0);
    for (let i = 0; i < 200; i++) {
      for (const store of STORES) {
        const status = i % 2 ? 'placed' : 'cancelled';
        if (!accept(order(store, status), 0, order(store, status).length)) expect.fail(`a valid order with ${store} was not accepted`);
        vouchesOnlyForPasses(accept, validate, order(`${store}${i.toString(36)}`, status), none, none, tally);
        vouchesOnlyForPasses(accept, validate, order(store, `${status}${i.toString(36)}`), none, none, tally);
      }
    }
    expect(tally.no).toBe(2 * 200 * STORES.length);
  });

  it('remembers verdicts on short strings by their bytes alone, whatever surrounds them', () => {
    // Values of up to 8 bytes are remembered by the words that cover them, which for values under
    // 4 bytes take in the bytes around them: neighbours must never change a verdict.
    const accept = compileAcceptor(SALES_ORDERS)!;
    const validate = compileRecordValidator(SALES_ORDERS);
    const tally: Tally = { yes: 0, no: 0 };
    const none = Buffer.alloc(0);
    // Same length, same first four bytes, one passing and one not: placed / placex.
    const values: Array<['store_id' | 'status', string]> = [
      ...['S', 'S0', 'S01', 'S04', 'S09', 'WEB', 'WEBX', 'S010', 'S0101', 'S01010', 'S010101', 'S0101010', 'S01010101', 'web', 'S4', 'S04 '].map((v): ['store_id', string] => ['store_id', v]),
      ...['placed', 'placex', 'place', 'plac', 'placedd', 'xlaced', 'cancelled', 'cancelleX'].map((v): ['status', string] => ['status', v]),
    ];
    for (let round = 0; round < 40; round++) {
      for (const [field, value] of values) {
        const record: Record<string, unknown> = { ...benchOrder(round), [field]: value };
        const compact = Buffer.from(JSON.stringify(record), 'utf8');
        // The same value at the end of the object, and with spaces around it.
        const { [field]: moved, ...rest } = record;
        const last = Buffer.from(JSON.stringify({ ...rest, [field]: moved }), 'utf8');
        const spaced = Buffer.from(JSON.stringify(record).replace(`"${field}":"${value}"`, `"${field}" : "${value}" `), 'utf8');
        for (const bytes of [compact, last, spaced]) {
          const valid = whyNotRecord(validate, bytes) === null;
          if (valid && !accept(bytes, 0, bytes.length)) expect.fail(`valid, but not accepted: ${bytes.toString()}`);
          vouchesOnlyForPasses(accept, validate, bytes, none, none, tally);
        }
      }
    }
    // Many values of the same length and first (or last) four bytes as a passing one, each after
    // it: those that land in its slot must still be told apart by their other bytes.
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789_';
    for (let i = 0; i < 1300; i++) {
      const placed = Buffer.from(JSON.stringify({ ...benchOrder(i), status: 'placed' }), 'utf8');
      if (!accept(placed, 0, placed.length)) expect.fail('a placed order was not accepted');
      const [x, y] = [chars[i % 37], chars[Math.floor(i / 37) % 37]];
      for (const near of [`plac${x}${y}`, `${x}${y}aced`]) {
        if (near !== 'placed') vouchesOnlyForPasses(accept, validate, Buffer.from(JSON.stringify({ ...benchOrder(i), status: near }), 'utf8'), none, none, tally);
      }
    }
    // Both kinds were met: valid codes taken on the fast path, the others left to the validator.
    expect(tally.yes).toBeGreaterThan(0);
    expect(tally.no).toBeGreaterThan(0);
  });

  it('still decides strings exactly once values rarely repeat (and it stops remembering verdicts)', () => {
    const accept = compileAcceptor(FLAT)!;
    const validate = compileRecordValidator(FLAT);
    const [base] = fc.sample(flatContract.valid, { numRuns: 1, seed: 7 });
    const parts = serialize(base!).split(/(?<="label":)"[^"]*"/);
    expect(parts).toHaveLength(2);
    const [before, after] = parts;
    const withLabel = (label: string) => Buffer.from(`${before}${label}${after}`, 'latin1');
    const tally: Tally = { yes: 0, no: 0 };
    const none = Buffer.alloc(0);
    // Labels of 2 to 8 characters, each new (the first 4096 decide that remembering does not pay),
    // each followed by near misses: 1 and 9 characters, an escape that makes it 1 character.
    for (let i = 0; i < 6000; i++) {
      const label = JSON.stringify(i.toString(36).padStart(2, '_'));
      const bytes = withLabel(label);
      if (!accept(bytes, 0, bytes.length)) expect.fail(`valid label ${label} not accepted: ${bytes.toString()}`);
      for (const near of [`"${i % 10}"`, `"${i.toString(36).padStart(9, '_')}"`, '"\\n"', `"\\u00${(0x41 + (i % 26)).toString(16)}"`, `"x\\"`]) {
        vouchesOnlyForPasses(accept, validate, withLabel(near), none, none, tally);
      }
    }
    expect(tally.yes).toBe(0);
  });
});

/** Every hand-picked raw value above, for the exhaustive checks. */
const PICKED = [...NUMBER_TEXTS, ...LITERAL_TEXTS, ...STRING_TEXTS, ...[...TEMPORAL_STRINGS, ...NEAR_STRINGS].map((x) => JSON.stringify(x))];

describe.each(CONTRACTS)('compileAcceptor, every field of $name', (contract) => {
  it('never vouches for a hand-picked value in any field (replaced, or as a duplicate key), nor for a renamed key', () => {
    const accept = compileAcceptor(contract.properties)!;
    const validate = compileRecordValidator(contract.properties);
    // The sample with the most places to put a value (non-empty arrays, present nested objects).
    const base = fc.sample(contract.valid, { numRuns: 20, seed: 7 }).reduce((a, b) => (slots(b).length > slots(a).length ? b : a));
    const tally: Tally = { yes: 0, no: 0 };
    const none = Buffer.alloc(0);
    const check = (m: Mutation) => {
      const tree = clone(base);
      mutate(tree, m);
      vouchesOnlyForPasses(accept, validate, Buffer.from(serialize(tree), 'utf8'), none, none, tally);
    };
    for (const at of firstOfEachPath(base)) {
      PICKED.forEach((value, i) => {
        check({ kind: 'replace', at, pick: 0, value, key: '""', char: '' });
        if (i % 3 === 0) check({ kind: 'duplicate-other', at, pick: i, value, key: '""', char: '' });
      });
      for (let pick = 0; pick < 12; pick++) check({ kind: 'rename', at, pick, value: '', key: '""', char: '' });
    }
    expect(tally.yes).toBeGreaterThan(0);
    expect(tally.no).toBeGreaterThan(0);
  });
});

describe('deep nesting', () => {
  it('answers without throwing (and only true for what passes) on values nested far deeper than the scanner goes', () => {
    const accept = compileAcceptor(NESTED)!;
    const validate = compileRecordValidator(NESTED);
    const tally: Tally = { yes: 0, no: 0 };
    const none = Buffer.alloc(0);
    for (const depth of [1_000, 100_000]) {
      const arrays = Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      const objects = Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      const inField = Buffer.from(`{"meta":${objects.toString()},"lines":[]}`);
      const inLoose = Buffer.from(`{"loose":${arrays.toString()},"lines":[],"user":{"id":"u0000"}}`);
      for (const bytes of [arrays, objects]) if (isPlainJson(bytes, 0, bytes.length)) expect(whyNotPlain(bytes)).toBeNull();
      for (const bytes of [objects, inField, inLoose]) vouchesOnlyForPasses(accept, validate, bytes, none, none, tally);
    }
  });
});

describe('isPlainJson', () => {
  const JSONISH = [
    '{', '}', '[', ']', '"', '\\', ':', ',', '0', '1', '9', '-', '+', '.', 'e', 'E', 't', 'r', 'u', 'f', 'a', 'l', 's', 'n', ' ', '\t', '\n', '\r',
    'x', '/', 'b', '\u0000', '\u007f', '\u00e9',
  ];

  function vouchesOnlyForPlainJson(bytes: Buffer, prefix: Buffer, suffix: Buffer, tally: Tally): void {
    const [buf, start, end] = placed(bytes, prefix, suffix);
    if (!isPlainJson(buf, start, end)) {
      tally.no++;
      return;
    }
    tally.yes++;
    const why = whyNotPlain(bytes);
    if (why !== null) throw new Error(`isPlainJson vouched for ${JSON.stringify(bytes.toString('latin1'))} (bytes ${bytes.toString('hex')}), but ${why}`);
  }

  it('answers true only for one ASCII JSON object or array on one line that JSON.parse accepts', () => {
    const tally: Tally = { yes: 0, no: 0 };
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const textArb = fc.oneof(
      fc.json({ maxDepth: 3, stringUnit: 'binary' }).map((t) => Buffer.from(t, 'utf8')),
      fc.tuple(asciiJson(3), wsArb, fc.array(byteEditArb, { maxLength: 2 })).map(([v, ws, edits]) => editBytes(Buffer.from(serialize(toNode(v), ws), 'utf8'), edits)),
      fc.tuple(fc.constantFrom(...NUMBER_TEXTS, ...LITERAL_TEXTS, ...STRING_TEXTS), fc.constantFrom(...NUMBER_TEXTS, ...LITERAL_TEXTS, ...STRING_TEXTS), wsArb).map(([a, b, ws]) =>
        Buffer.from(serialize({ k: 'arr', items: [raw(a), raw(b)] }, ws), 'utf8'),
      ),
      fc.tuple(fc.constantFrom(...NUMBER_TEXTS, ...LITERAL_TEXTS, ...STRING_TEXTS), fc.string({ unit: 'binary-ascii', maxLength: 3 })).map(([v, k]) =>
        Buffer.from(`{${JSON.stringify(k)}:${v}}`, 'utf8'),
      ),
      fc.string({ unit: fc.constantFrom(...JSONISH), maxLength: 16 }).map((s) => Buffer.from(s, 'utf8')),
      fc.string({ unit: fc.constantFrom(...JSONISH), maxLength: 12 }).map((s) => Buffer.from(`{"a":${s}}`, 'utf8')),
      fc.integer({ min: 55, max: 75 }).map((d) => Buffer.from(nested(d))),
    );
    fc.assert(
      fc.property(textArb, aroundArb, aroundArb, (bytes, prefix, suffix) => vouchesOnlyForPlainJson(bytes, prefix, suffix, tally)),
      { numRuns: 5000 },
    );
    expect(tally.yes).toBeGreaterThan(0);
    expect(tally.no).toBeGreaterThan(0);
  });

  it('takes the fast path for compact ASCII JSON objects and arrays, as JSON.stringify writes them', () => {
    const topArb = fc.oneof(fc.dictionary(asciiString(6), asciiJson(4), { maxKeys: 6 }), fc.array(asciiJson(4), { maxLength: 6 }));
    fc.assert(
      fc.property(topArb, (v) => {
        const bytes = Buffer.from(JSON.stringify(v), 'utf8');
        if (!isPlainJson(bytes, 0, bytes.length)) throw new Error(`not vouched for: ${bytes.toString()}`);
      }),
      { numRuns: RUNS_SMALL },
    );
  });
});
