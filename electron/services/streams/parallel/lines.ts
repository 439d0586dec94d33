// Chunks of records to output lines for `dpx tail`: NDJSON (--json) or the readable text form,
// with the contract's checks and the filter. The same code runs on the main thread (small tails)
// and on worker threads (large ones), so both give the same bytes.
//
// NDJSON: one object per message, fields in a stable order: partition, offset, timestamp, key,
// value, headers, valid, errors. A JSON value is written as the text it arrived as (it parsed, so
// it is valid JSON; only a value spanning several lines is re-serialized to keep one line per
// message), which also keeps numbers JSON.parse would round.
//
// Fast path (most records): when the acceptor vouches for a value (one ASCII JSON object that
// passes the contract) and no filter needs the decoded value, the line is assembled from the
// bytes: no JSON.parse, no validator, no strings, no header objects. Output goes into the chunk's
// own buffer after its input, so a value is copied with one copyWithin. Everything else takes
// the exact path: decode, the record validator, the filter, as the app does.
import type { OdcsSchemaElementProperty } from '../../catalog/standards/odcs';
import { compileRecordValidator, type RecordValidator } from '../../quality/record-validator';
import type { StreamMessage } from '../../../../shared/model/stream';
import { decodeKey, headerText, makeValueDecoder, type ValueDecoder, type ValueFormat } from '../decode';
import { compileMessageFilter, toMessage, type MessageFilter } from '../message';
import { compileAcceptor, isPlainJson, type RecordAcceptor } from './accept';
import { viewOf, wordsOf } from './byte-view';
import { CHECKED, HDR, MATCHED, PASSED, REC, R_HEADERS, R_HEADER_COUNT, R_KEY, R_KEY_LEN, R_OFFSET, R_PARTITION, R_TIMESTAMP, R_VALUE, R_VALUE_LEN, type Chunk, type ChunkResult } from './chunk';
import { unpackBatches } from './unpack';

/** What a worker needs to process chunks: plain data only (the contract's properties, the filter's text). */
export interface LineSpec {
  output: 'json' | 'text';
  /** Not avro: Avro tails stay on the main thread with the endpoint's own decoder. */
  format: ValueFormat;
  /** The contract's schema properties when messages are checked against it. */
  properties: OdcsSchemaElementProperty[] | null;
  filter: string | null;
}

/** What processes a chunk, compiled once per thread. */
export interface LineParts {
  output: 'json' | 'text';
  format: ValueFormat;
  decode: ValueDecoder;
  validate?: RecordValidator;
  accept?: RecordAcceptor | null;
  filter?: MessageFilter;
}

export type ChunkProcessor = (chunk: Chunk) => ChunkResult;

/** Compiles a spec on the thread that will use it: decoder, validator, acceptor and filter. */
export function compileSpec(spec: LineSpec): LineParts {
  // The filter language and the row shape the app's tails use.
  // The text was checked where the tail started (bad text is refused there with its position).
  const filter = spec.filter?.trim() ? compileMessageFilter(spec.filter) : undefined;
  return {
    output: spec.output,
    format: spec.format,
    decode: makeValueDecoder(spec.format),
    ...(spec.properties ? { validate: compileRecordValidator(spec.properties), accept: compileAcceptor(spec.properties) } : {}),
    ...(filter ? { filter } : {}),
  };
}

// ——— output bytes ———

const ascii = (s: string) => Buffer.from(s, 'latin1');
/** A constant of every line: its bytes and their whole 4-byte words, written a word at a time. */
interface Piece {
  bytes: Buffer;
  words: Int32Array;
}
const piece = (s: string): Piece => {
  const bytes = ascii(s);
  return { bytes, words: wordsOf(bytes) };
};
const TIMESTAMP = piece(',"timestamp":');
const KEY = piece(',"key":');
const VALUE = piece(',"value":');
const NO_HEADERS = ascii(',"headers":[]');
const HEADERS_OPEN = ascii(',"headers":[{"key":');
const HEADER_NEXT = ascii('},{"key":');
const HEADER_VALUE = ascii(',"value":');
const HEADERS_CLOSE = ascii('}]');
const PASSED_END = ascii(',"valid":true,"errors":[]}\n');
const UNCHECKED_END = ascii(',"valid":null,"errors":[]}\n');
const NULL = ascii('null');
const TWO_53 = 2 ** 53;
const POW10 = Array.from({ length: 10 }, (_, i) => 10 ** i);

/** `{"partition":P,"offset":`, by partition. */
const PREFIXES: Piece[] = [];

/**
 * The line prefixes of a chunk's partitions, made before its loop: that loop then only loads
 * one per record. A prefix made inside it, when the partition changed, was a call the optimizing
 * compiler had seen no run of (a deopt and a recompile of the loop, per thread).
 */
function prefixesOf(recs: Float64Array, n: number): Piece[] {
  for (let i = 0; i < n; i++) {
    const p = recs[i * REC + R_PARTITION]! | 0;
    PREFIXES[p] ??= piece(`{"partition":${JSON.stringify(p)},"offset":`);
  }
  return PREFIXES;
}

/** A short constant at pos: a loop beats a native call at this size. */
function put(buf: Buffer, pos: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[pos++] = b[i]!;
  return pos;
}

/** A line's constant at pos, four bytes at a time (`view` is of `buf`). */
function putPiece(view: DataView, buf: Buffer, pos: number, c: Piece): number {
  const w = c.words;
  const n = w.length;
  for (let j = 0; j < n; j++) view.setInt32(pos + 4 * j, w[j]!, true);
  const b = c.bytes;
  for (let j = n * 4; j < b.length; j++) buf[pos + j] = b[j]!;
  return pos + b.length;
}

/** 0 ≤ n < 10^9, an integer: its digits at pos. */
function digits(buf: Buffer, pos: number, n: number): number {
  let len = 1;
  while (len < 9 && n >= POW10[len]!) len++;
  let i = pos + len;
  do {
    const q = (n / 10) | 0;
    buf[--i] = 48 + n - q * 10;
    n = q;
  } while (n > 0);
  return pos + len;
}

/** A number as JSON.stringify writes it (integers below 2^53 digit by digit). */
function number(buf: Buffer, pos: number, n: number): number {
  if (n >= 0 && n < TWO_53 && Number.isInteger(n)) {
    if (n < 1e9) return digits(buf, pos, n);
    const hi = Math.floor(n / 1e9);
    let lo = n - hi * 1e9;
    pos = digits(buf, pos, hi);
    for (let i = pos + 8; i >= pos; i--) {
      const q = (lo / 10) | 0;
      buf[i] = 48 + lo - q * 10;
      lo = q;
    }
    return pos + 9;
  }
  return pos + buf.write(JSON.stringify(n), pos, 'latin1');
}

/** Bytes that JSON.stringify would write unchanged between quotes: printable ASCII without `"` and `\`. */
function plainString(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** A key or header value as JSON: copied when plain, else decoded (UTF-8 text, or hex) and escaped. At most 6 bytes per byte. */
function bytesAsJson(buf: Buffer, pos: number, start: number, len: number, asHeader: boolean): number {
  if (plainString(buf, start, start + len)) {
    buf[pos++] = 0x22;
    if (len > 32) buf.copyWithin(pos, start, start + len);
    else for (let i = start; i < start + len; i++) buf[pos + i - start] = buf[i]!;
    pos += len;
    buf[pos++] = 0x22;
    return pos;
  }
  const view = buf.subarray(start, start + len);
  const text = asHeader ? headerText(view)! : decodeKey(view).key!;
  return pos + buf.write(JSON.stringify(text), pos, 'utf8');
}

function hasLineBreak(v: Buffer): boolean {
  return v.indexOf(0x0a) >= 0 || v.indexOf(0x0d) >= 0;
}

/** A JSON value is written as the bytes it arrived as, unless they span lines. */
function copiesRaw(m: StreamMessage, raw: Buffer | null): raw is Buffer {
  return m.valueEncoding === 'json' && raw !== null && !hasLineBreak(raw);
}

/** The value in the readable form: JSON (as it arrived) or the text, base64 or hex. */
function textValue(m: StreamMessage, raw: Buffer | null): string {
  if (copiesRaw(m, raw)) return raw.toString('utf8');
  return m.valueEncoding === 'json' || m.valueEncoding === 'avro' ? JSON.stringify(m.value) : String(m.value);
}

/** The readable one-line form of a message. `value` is its text (see textValue). */
export function messageText(m: StreamMessage, value: string): string {
  const mark = m.valid === undefined ? ' ' : m.valid ? '✓' : '✗';
  const errors = m.errors.length ? `  ← ${m.errors.join('; ')}` : '';
  return `${mark} p${m.partition}@${m.offset} ${new Date(m.timestamp).toISOString()} ${m.key ?? '∅'} ${value}${errors}`;
}

/** The NDJSON line up to the value. */
function jsonHead(m: StreamMessage): string {
  return `{"partition":${JSON.stringify(m.partition)},"offset":${JSON.stringify(m.offset)},"timestamp":${JSON.stringify(m.timestamp)},"key":${JSON.stringify(m.key)},"value":`;
}

/** The NDJSON line after the value. */
function jsonTail(m: StreamMessage): string {
  return `,"headers":${JSON.stringify(m.headers)},"valid":${JSON.stringify(m.valid ?? null)},"errors":${JSON.stringify(m.errors)}}\n`;
}

/** NDJSON for one message (no newline), JSON values serialized: what `dpx tail --json` prints for it. */
export function messageJson(m: StreamMessage): string {
  return `${jsonHead(m)}${JSON.stringify(m.value)}${jsonTail(m)}`.slice(0, -1);
}

/** The chunk's buffer, input then output; grows (with its input) when a line does not fit. */
class Arena {
  buf: Buffer;
  pos: number;
  constructor(chunk: Chunk) {
    const d = chunk.data;
    this.buf = Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    this.pos = chunk.size;
  }

  ensure(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    return this.buf;
  }
}

/** A chunk processor for compiled parts. */
export function lineProcessor(parts: LineParts): ChunkProcessor {
  const { output, validate, filter } = parts;
  const accept = parts.accept ?? null;
  // Without a contract, plain JSON is recognised by syntax alone (what the decoder would call JSON).
  const plainJson = !validate && (parts.format === 'json' || parts.format === 'auto');
  const fastPath = output === 'json' && !filter && (accept !== null || plainJson);
  const fastEnd = validate ? PASSED_END : UNCHECKED_END;
  const noHeadersEnd = Buffer.concat([NO_HEADERS, fastEnd]);
  const fastFlags = validate ? CHECKED | PASSED | MATCHED : MATCHED;

  return (chunk) => {
    unpackBatches(chunk);
    const n = chunk.count;
    const recs = chunk.recs;
    const flags = new Uint8Array(n);
    const ends = new Uint32Array(n);
    const out = new Arena(chunk);
    const start = out.pos;
    writeLines(chunk, out, flags, ends);
    return { count: n, recs, flags, ends, out: out.buf.subarray(start, out.pos) };
  };

  /**
   * The lines of a chunk's records into `out`, their flags and ends. The loop is a function of
   * its own that ends with a plain return: the optimizing compiler takes over a long loop while
   * it runs, and code after the loop that had never run (building the result) would throw that
   * code away at the loop's end, chunk after chunk.
   */
  function writeLines(chunk: Chunk, out: Arena, flags: Uint8Array, ends: Uint32Array): void {
    const n = chunk.count;
    const recs = chunk.recs;
    const hdrs = chunk.hdrs;
    const headerKeys = chunk.keys.map((k) => Buffer.from(JSON.stringify(k)));
    // Their lengths in a typed array: read per record, a length from the Buffers themselves
    // made the optimized loop deopt ("wrong map") now and then.
    const keyLengths = Int32Array.from(headerKeys, (k) => k.length);
    const start = out.pos;
    const prefixes = prefixesOf(recs, n);
    // Where the headers (and the fields after them) of the last fast-path line that wrote its
    // own are in the output, and which headers they were.
    let hdrFrom = -1;
    let hdrTo = -1;
    let hdrRec = -1;

    for (let i = 0; i < n; i++) {
      const at = i * REC;
      // Positions and lengths as int32 (| 0): read from a Float64Array they would reach the
      // scanner as heap numbers, and all its index arithmetic would run on doubles (2x slower).
      const vs = recs[at + R_VALUE]! | 0;
      const vl = recs[at + R_VALUE_LEN]! | 0;
      if (fastPath && vl >= 0 && (accept !== null ? accept(out.buf, vs, vs + vl) : isPlainJson(out.buf, vs, vs + vl))) {
        const ks = recs[at + R_KEY]! | 0;
        const kl = recs[at + R_KEY_LEN]! | 0;
        const h0 = recs[at + R_HEADERS]! | 0;
        const hn = recs[at + R_HEADER_COUNT]! | 0;
        let need = 256 + vl + (kl > 0 ? 6 * kl : 0);
        for (let h = 0; h < hn; h++) need += 32 + keyLengths[hdrs[(h0 + h) * HDR]!]! + 6 * Math.max(0, hdrs[(h0 + h) * HDR + 2]!);
        const b = out.ensure(need);
        let pos = out.pos;
        const view = viewOf(b);
        pos = putPiece(view, b, pos, prefixes[recs[at + R_PARTITION]! | 0]!);
        pos = number(b, pos, recs[at + R_OFFSET]!);
        pos = putPiece(view, b, pos, TIMESTAMP);
        pos = number(b, pos, recs[at + R_TIMESTAMP]!);
        pos = putPiece(view, b, pos, KEY);
        pos = kl < 0 ? put(b, pos, NULL) : bytesAsJson(b, pos, ks, kl, false);
        pos = putPiece(view, b, pos, VALUE);
        b.copyWithin(pos, vs, vs + vl);
        pos += vl;
        if (hn === 0) pos = put(b, pos, noHeadersEnd);
        else if (hdrRec >= 0 && sameHeaders(b, recs, hdrs, hdrRec, at)) {
          b.copyWithin(pos, hdrFrom, hdrTo);
          pos += hdrTo - hdrFrom;
        } else {
          const from = pos;
          for (let h = 0; h < hn; h++) {
            const j = (h0 + h) * HDR;
            pos = put(b, pos, h === 0 ? HEADERS_OPEN : HEADER_NEXT);
            pos = put(b, pos, headerKeys[hdrs[j]!]!);
            pos = put(b, pos, HEADER_VALUE);
            const hl = hdrs[j + 2]!;
            pos = hl < 0 ? put(b, pos, NULL) : bytesAsJson(b, pos, hdrs[j + 1]!, hl, true);
          }
          pos = put(b, pos, HEADERS_CLOSE);
          pos = put(b, pos, fastEnd);
          hdrFrom = from;
          hdrTo = pos;
          hdrRec = at;
        }
        out.pos = pos;
        flags[i] = fastFlags;
        ends[i] = pos - start;
        continue;
      }

      flags[i] = exactLine(parts, chunk, out, i, vs, vl);
      ends[i] = out.pos - start;
    }
  }
}

/**
 * The exact path for record i: the message as the app sees it (decoded, validated, filtered),
 * its line written to `out`; gives the record's flags. Kept out of the chunk loop so that loop
 * stays small for the optimizing compiler (compiled once per thread, and again after each deopt).
 */
function exactLine(parts: LineParts, chunk: Chunk, out: Arena, i: number, vs: number, vl: number): number {
  const { output, decode, validate, filter } = parts;
  // A view of this buffer stays valid when the output outgrows it (the new one is a copy).
  const raw = vl < 0 ? null : out.buf.subarray(vs, vs + vl);
  const m = message(chunk, out.buf, i, raw, decode, validate, parts.accept ?? null);
  let f = 0;
  if (m.valid !== undefined) f |= m.valid ? CHECKED | PASSED : CHECKED;
  if (filter && !filter(m)) return f;
  f |= MATCHED;
  if (output === 'json') {
    const head = jsonHead(m);
    const tail = jsonTail(m);
    const value = copiesRaw(m, raw) ? null : JSON.stringify(m.value);
    const b = out.ensure(3 * (head.length + tail.length + (value?.length ?? 0)) + (raw?.length ?? 0));
    let pos = out.pos;
    pos += b.write(head, pos, 'utf8');
    if (value === null) pos += raw!.copy(b, pos);
    else pos += b.write(value, pos, 'utf8');
    pos += b.write(tail, pos, 'utf8');
    out.pos = pos;
  } else {
    const line = `${messageText(m, textValue(m, raw))}\n`;
    const b = out.ensure(3 * line.length);
    out.pos += b.write(line, out.pos, 'utf8');
  }
  return f;
}

/** The record at `at` has the same headers, byte for byte, as the one at `prev`. */
function sameHeaders(b: Buffer, recs: Float64Array, hdrs: Int32Array, prev: number, at: number): boolean {
  const n = recs[at + R_HEADER_COUNT]! | 0;
  if (recs[prev + R_HEADER_COUNT] !== n) return false;
  const p0 = (recs[prev + R_HEADERS]! | 0) * HDR;
  const a0 = (recs[at + R_HEADERS]! | 0) * HDR;
  for (let h = 0; h < n * HDR; h += HDR) {
    const len = hdrs[a0 + h + 2]!;
    if (hdrs[p0 + h] !== hdrs[a0 + h] || hdrs[p0 + h + 2] !== len) return false;
    const x = hdrs[p0 + h + 1]!;
    const y = hdrs[a0 + h + 1]!;
    for (let i = 0; i < len; i++) if (b[x + i] !== b[y + i]) return false;
  }
  return true;
}

/** Record i of a chunk as the StreamMessage the app would show. */
function message(chunk: Chunk, data: Buffer, i: number, raw: Buffer | null, decode: ValueDecoder, validate: RecordValidator | undefined, accept: RecordAcceptor | null): StreamMessage {
  const recs = chunk.recs;
  const at = i * REC;
  const ks = recs[at + R_KEY]!;
  const kl = recs[at + R_KEY_LEN]!;
  const h0 = recs[at + R_HEADERS]!;
  const hn = recs[at + R_HEADER_COUNT]!;
  const headers = new Array<{ key: string; value: Buffer | null }>(hn);
  for (let h = 0; h < hn; h++) {
    const j = (h0 + h) * HDR;
    const hl = chunk.hdrs[j + 2]!;
    headers[h] = { key: chunk.keys[chunk.hdrs[j]!]!, value: hl < 0 ? null : data.subarray(chunk.hdrs[j + 1]!, chunk.hdrs[j + 1]! + hl) };
  }
  const record = { offset: recs[at + R_OFFSET]!, timestamp: recs[at + R_TIMESTAMP]!, key: kl < 0 ? null : data.subarray(ks, ks + kl), value: raw, headers };
  return toMessage(recs[at + R_PARTITION]!, record, decode, validate, accept ? (value) => accept(value, 0, value.length) : undefined);
}
