// Turns record bytes into what people read: JSON, text, Avro (as JSON) or the bytes themselves.
// A message that does not decode (a poison message) is shown raw with the reason; it never stops a tail.
//
// Hot path (a million records a second): text is decoded once, through the one-byte (latin1)
// string path when the bytes are ASCII (a native SIMD scan), which is the usual case for JSON;
// records without headers get no header work.
import { isAscii, isUtf8 } from 'node:buffer';
import type { StreamMessage } from '../../../shared/model/stream';

export type Encoding = StreamMessage['valueEncoding'];
export interface Decoded {
  value: unknown;
  encoding: Encoding;
  /** Why the bytes are not what the contract says they are. */
  error?: string;
}

/** How a stream's values are encoded: from the contract's server `format`, or `auto` for raw topics. */
export type ValueFormat = 'json' | 'string' | 'bytes' | 'avro' | 'auto';

export function valueFormatOf(declared: string | undefined): ValueFormat {
  switch ((declared ?? '').toLowerCase()) {
    case 'json':
    case 'jsonl':
      return 'json';
    case 'avro':
      return 'avro';
    case 'string':
    case 'text':
    case 'utf8':
    case 'utf-8':
    case 'csv':
      return 'string';
    case 'bytes':
    case 'binary':
    case 'protobuf':
      return 'bytes';
    default:
      return 'auto';
  }
}

export type ValueDecoder = (bytes: Buffer | null) => Decoded;

const NULL: Decoded = { value: null, encoding: 'null' };

/**
 * The bytes as text when they are valid UTF-8, else null. ASCII (checked natively, far cheaper
 * than validating UTF-8) becomes a one-byte string without a UTF-8 decode.
 */
export function utf8Text(bytes: Buffer): string | null {
  if (isAscii(bytes)) return bytes.toString('latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

/** Bytes shown as text when they are printable UTF-8, else as hex. */
export function decodeKey(bytes: Buffer | null): { key: string | null; encoding: Encoding } {
  if (bytes === null) return { key: null, encoding: 'null' };
  const text = utf8Text(bytes);
  return text === null ? { key: bytes.toString('hex'), encoding: 'hex' } : { key: text, encoding: 'string' };
}

function raw(bytes: Buffer, error?: string): Decoded {
  return error ? { value: bytes.toString('base64'), encoding: 'base64', error } : { value: bytes.toString('base64'), encoding: 'base64' };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

function decodeJson(bytes: Buffer): Decoded {
  const text = utf8Text(bytes);
  if (text === null) return raw(bytes, 'not JSON: the bytes are not valid UTF-8');
  try {
    return { value: JSON.parse(text), encoding: 'json' };
  } catch (e) {
    return raw(bytes, `not JSON: ${firstLine(e)}`);
  }
}

export function makeValueDecoder(format: ValueFormat, avro?: (bytes: Buffer) => unknown): ValueDecoder {
  switch (format) {
    case 'json':
      return (b) => (b === null ? NULL : decodeJson(b));
    case 'string':
      return (b) => {
        if (b === null) return NULL;
        const text = utf8Text(b);
        return text === null ? raw(b, 'not text: the bytes are not valid UTF-8') : { value: text, encoding: 'string' };
      };
    case 'bytes':
      return (b) => (b === null ? NULL : raw(b));
    case 'avro':
      if (!avro) throw new Error('Avro decoding needs a schema');
      return (b) => {
        if (b === null) return NULL;
        try {
          return { value: avro(b), encoding: 'avro' };
        } catch (e) {
          return raw(b, `not Avro for the contract's schema: ${firstLine(e)}`);
        }
      };
    case 'auto':
      // "What is in this topic?": JSON when it parses, else text, else bytes (hex).
      return (b) => {
        if (b === null) return NULL;
        const text = utf8Text(b);
        if (text === null) return { value: b.toString('hex'), encoding: 'hex' };
        const c = text.trimStart()[0];
        if (c === '{' || c === '[' || c === '"') {
          try {
            return { value: JSON.parse(text), encoding: 'json' };
          } catch {
            // not JSON after all: shown as text
          }
        }
        return { value: text, encoding: 'string' };
      };
  }
}

/** A header value as people read it: UTF-8 text, else 0x-prefixed hex. */
export function headerText(value: Buffer | null): string | null {
  if (value === null) return null;
  return utf8Text(value) ?? `0x${value.toString('hex')}`;
}

export function decodeHeaders(headers: ReadonlyArray<{ key: string; value: Buffer | null }>): StreamMessage['headers'] {
  const n = headers.length;
  const out: StreamMessage['headers'] = new Array(n);
  for (let i = 0; i < n; i++) {
    const h = headers[i]!;
    out[i] = { key: h.key, value: headerText(h.value) };
  }
  return out;
}
