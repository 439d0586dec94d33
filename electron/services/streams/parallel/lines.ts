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
// bytes: no JSON.parse, no validator, no strings, no header objects. Everything else takes the
// exact path: decode, the record validator, the filter, as the app does.
import type { OdcsSchemaElementProperty } from '../../catalog/standards/odcs';
import { compileRecordValidator, type RecordValidator } from '../../quality/record-validator';
import type { StreamMessage } from '../../../../shared/model/stream';
import { decodeHeaders, decodeKey, headerText, makeValueDecoder, type Decoded, type ValueDecoder, type ValueFormat } from '../decode';
import { messageFilter } from '../stream-service';
import { valueErrors, type MessageFilter } from '../tail';
import { compileAcceptor, isPlainJson, type RecordAcceptor } from './accept';
import { CHECKED, HDR, MATCHED, PASSED, REC, R_HEADERS, R_HEADER_COUNT, R_KEY, R_KEY_LEN, R_OFFSET, R_PARTITION, R_TIMESTAMP, R_VALUE, R_VALUE_LEN, type Chunk, type ChunkResult } from './chunk';

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

/** Compiles a spec (on the thread that will use it): decoder, validator, acceptor and filter. */
export function compileSpec(spec: LineSpec): LineParts {
  // The filter language and the row shape the app's tails use.
  const filter = messageFilter(spec.filter ?? undefined);
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
const OPEN = ascii('{"partition":');
const OFFSET = ascii(',"offset":');
const TIMESTAMP = ascii(',"timestamp":');
const KEY = ascii(',"key":');
const VALUE = ascii(',"value":');
const HEADERS = ascii(',"headers":');
const NO_HEADERS = ascii(',"headers":[]');
const HEADER_KEY = ascii('{"key":');
const HEADER_VALUE = ascii(',"value":');
const PASSED_END = ascii(',"valid":true,"errors":[]}\n');
const UNCHECKED_END = ascii(',"valid":null,"errors":[]}\n');
const NULL = ascii('null');
const TWO_53 = 2 ** 53;

class Out {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(size, 1024));
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** A short constant: a loop beats a native call at this size. */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < b.length; i++) buf[pos++] = b[i]!;
    this.pos = pos;
  }

  /** Bytes of another buffer, room ensured. */
  copy(from: Buffer, start: number, len: number): void {
    this.buf.set(new Uint8Array(from.buffer, from.byteOffset + start, len), this.pos);
    this.pos += len;
  }

  /** Room must have been ensured: `n` bytes at most. */
  text(s: string): void {
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A number as JSON.stringify writes it. */
  number(n: number): void {
    if (n >= 0 && n < TWO_53 && Number.isInteger(n)) {
      let len = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
      const buf = this.buf;
      let i = this.pos + len;
      this.pos = i;
      do {
        const q = Math.floor(n / 10);
        buf[--i] = 48 + (n - q * 10);
        n = q;
      } while (n > 0);
    } else this.text(JSON.stringify(n));
  }
}

/** Bytes that JSON.stringify would write unchanged between quotes: printable ASCII without `"` and `\`. */
function plainString(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** A string of bytes as JSON: copied when plain, else decoded (UTF-8 text, or 0x-hex / hex) and escaped. */
function bytesAsJson(out: Out, data: Buffer, start: number, len: number, asHeader: boolean): void {
  if (plainString(data, start, start + len)) {
    out.ensure(len + 2);
    const buf = out.buf;
    buf[out.pos++] = 0x22;
    if (len > 32) out.copy(data, start, len);
    else {
      let pos = out.pos;
      for (let i = start; i < start + len; i++) buf[pos++] = data[i]!;
      out.pos = pos;
    }
    buf[out.pos++] = 0x22;
    return;
  }
  const view = data.subarray(start, start + len);
  const text = asHeader ? headerText(view)! : decodeKey(view).key!;
  const json = JSON.stringify(text);
  out.ensure(json.length * 3);
  out.text(json);
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

/** NDJSON line of a message (without the value's own text when `value` is null: the caller copies it). */
function jsonHead(m: StreamMessage): string {
  return `{"partition":${JSON.stringify(m.partition)},"offset":${JSON.stringify(m.offset)},"timestamp":${JSON.stringify(m.timestamp)},"key":${JSON.stringify(m.key)},"value":`;
}

function jsonTail(m: StreamMessage): string {
  return `,"headers":${JSON.stringify(m.headers)},"valid":${JSON.stringify(m.valid ?? null)},"errors":${JSON.stringify(m.errors)}}\n`;
}

/** NDJSON for one message (no newline), JSON values serialized: what `dpx tail --json` prints for it. */
export function messageJson(m: StreamMessage): string {
  return `${jsonHead(m)}${JSON.stringify(m.value)}${jsonTail(m)}`.slice(0, -1);
}

const asBuffer = (u: Uint8Array) => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

/** A chunk processor for compiled parts. */
export function lineProcessor(parts: LineParts): ChunkProcessor {
  const { output, decode, validate, filter } = parts;
  const accept = parts.accept ?? null;
  // Without a contract, plain JSON is recognised by syntax alone (what the decoder would call JSON).
  const plainJson = !validate && (parts.format === 'json' || parts.format === 'auto');
  const fastPath = output === 'json' && !filter && (accept !== null || plainJson);
  const fastEnd = validate ? PASSED_END : UNCHECKED_END;
  const fastFlags = validate ? CHECKED | PASSED | MATCHED : MATCHED;

  return (chunk) => {
    const n = chunk.count;
    const data = asBuffer(chunk.data);
    const recs = chunk.recs;
    const hdrs = chunk.hdrs;
    const headerKeys = chunk.keys.map((k) => Buffer.from(JSON.stringify(k)));
    const flags = new Uint8Array(n);
    const ends = new Uint32Array(n);
    const out = new Out(data.length + n * 160);

    for (let i = 0; i < n; i++) {
      const at = i * REC;
      const vs = recs[at + R_VALUE]!;
      const vl = recs[at + R_VALUE_LEN]!;
      if (fastPath && vl >= 0 && (accept !== null ? accept(data, vs, vs + vl) : isPlainJson(data, vs, vs + vl))) {
        const ks = recs[at + R_KEY]!;
        const kl = recs[at + R_KEY_LEN]!;
        const h0 = recs[at + R_HEADERS]!;
        const hn = recs[at + R_HEADER_COUNT]!;
        out.ensure(160 + vl);
        out.bytes(OPEN);
        out.number(recs[at + R_PARTITION]!);
        out.bytes(OFFSET);
        out.number(recs[at + R_OFFSET]!);
        out.bytes(TIMESTAMP);
        out.number(recs[at + R_TIMESTAMP]!);
        out.bytes(KEY);
        if (kl < 0) out.bytes(NULL);
        else bytesAsJson(out, data, ks, kl, false);
        out.ensure(vl + 16);
        out.bytes(VALUE);
        out.copy(data, vs, vl);
        if (hn === 0) {
          out.ensure(NO_HEADERS.length);
          out.bytes(NO_HEADERS);
        } else {
          out.ensure(HEADERS.length + 1);
          out.bytes(HEADERS);
          out.buf[out.pos++] = 0x5b;
          for (let h = 0; h < hn; h++) {
            const j = (h0 + h) * HDR;
            const key = headerKeys[hdrs[j]!]!;
            out.ensure(key.length + 32);
            if (h > 0) out.buf[out.pos++] = 0x2c;
            out.bytes(HEADER_KEY);
            out.bytes(key);
            out.bytes(HEADER_VALUE);
            const hl = hdrs[j + 2]!;
            if (hl < 0) out.bytes(NULL);
            else bytesAsJson(out, data, hdrs[j + 1]!, hl, true);
            out.ensure(2);
            out.buf[out.pos++] = 0x7d;
          }
          out.ensure(1);
          out.buf[out.pos++] = 0x5d;
        }
        out.ensure(fastEnd.length);
        out.bytes(fastEnd);
        flags[i] = fastFlags;
        ends[i] = out.pos;
        continue;
      }

      // The exact path: the message as the app sees it.
      const raw = vl < 0 ? null : data.subarray(vs, vs + vl);
      const m = message(chunk, data, i, raw, decode, validate, accept);
      let f = 0;
      if (m.valid !== undefined) f |= m.valid ? CHECKED | PASSED : CHECKED;
      if (!filter || filter(m)) {
        f |= MATCHED;
        if (output === 'json') {
          const head = jsonHead(m);
          const tail = jsonTail(m);
          const value = copiesRaw(m, raw) ? null : JSON.stringify(m.value);
          out.ensure(3 * (head.length + tail.length + (value?.length ?? 0)) + (raw?.length ?? 0));
          out.text(head);
          if (value === null) {
            raw!.copy(out.buf, out.pos);
            out.pos += raw!.length;
          } else out.text(value);
          out.text(tail);
        } else {
          const line = `${messageText(m, textValue(m, raw))}\n`;
          out.ensure(3 * line.length);
          out.text(line);
        }
      }
      flags[i] = f;
      ends[i] = out.pos;
    }
    return { count: n, recs, flags, ends, out: out.buf.subarray(0, out.pos) };
  };
}

/** Record i of a chunk as the StreamMessage the app would show (see toMessage in tail.ts). */
function message(chunk: Chunk, data: Buffer, i: number, raw: Buffer | null, decode: ValueDecoder, validate: RecordValidator | undefined, accept: RecordAcceptor | null): StreamMessage {
  const recs = chunk.recs;
  const at = i * REC;
  const ks = recs[at + R_KEY]!;
  const kl = recs[at + R_KEY_LEN]!;
  const key = decodeKey(kl < 0 ? null : data.subarray(ks, ks + kl));
  const decoded: Decoded = decode(raw);
  const vs = recs[at + R_VALUE]!;
  // The acceptor vouching for the bytes means the validator finds nothing in what they decode to.
  const errors = valueErrors(decoded, validate, accept && decoded.encoding === 'json' ? () => accept(data, vs, vs + raw!.length) : undefined);
  const h0 = recs[at + R_HEADERS]!;
  const hn = recs[at + R_HEADER_COUNT]!;
  const headers = new Array<{ key: string; value: Buffer | null }>(hn);
  for (let h = 0; h < hn; h++) {
    const j = (h0 + h) * HDR;
    const hl = chunk.hdrs[j + 2]!;
    headers[h] = { key: chunk.keys[chunk.hdrs[j]!]!, value: hl < 0 ? null : data.subarray(chunk.hdrs[j + 1]!, chunk.hdrs[j + 1]! + hl) };
  }
  const m: StreamMessage = {
    partition: recs[at + R_PARTITION]!,
    offset: recs[at + R_OFFSET]!,
    timestamp: recs[at + R_TIMESTAMP]!,
    key: key.key,
    keyEncoding: key.encoding,
    value: decoded.value,
    valueEncoding: decoded.encoding,
    headers: decodeHeaders(headers),
    size: raw?.length ?? 0,
    errors,
  };
  if (validate || decoded.error) m.valid = errors.length === 0;
  return m;
}
