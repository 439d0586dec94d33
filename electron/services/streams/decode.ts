// Turns record bytes into what people read: JSON, text, Avro (as JSON) or the bytes themselves.
// A message that does not decode (a poison message) is shown raw with the reason; it never stops a tail.
import { isUtf8 } from 'node:buffer';
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

/** Bytes shown as text when they are printable UTF-8, else as hex. */
export function decodeKey(bytes: Buffer | null): { key: string | null; encoding: Encoding } {
  if (bytes === null) return { key: null, encoding: 'null' };
  if (isUtf8(bytes)) return { key: bytes.toString('utf8'), encoding: 'string' };
  return { key: bytes.toString('hex'), encoding: 'hex' };
}

function raw(bytes: Buffer, error?: string): Decoded {
  return error ? { value: bytes.toString('base64'), encoding: 'base64', error } : { value: bytes.toString('base64'), encoding: 'base64' };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

function decodeJson(bytes: Buffer): Decoded {
  if (!isUtf8(bytes)) return raw(bytes, 'not JSON: the bytes are not valid UTF-8');
  try {
    return { value: JSON.parse(bytes.toString('utf8')), encoding: 'json' };
  } catch (e) {
    return raw(bytes, `not JSON: ${firstLine(e)}`);
  }
}

export function makeValueDecoder(format: ValueFormat, avro?: (bytes: Buffer) => unknown): ValueDecoder {
  switch (format) {
    case 'json':
      return (b) => (b === null ? NULL : decodeJson(b));
    case 'string':
      return (b) => (b === null ? NULL : isUtf8(b) ? { value: b.toString('utf8'), encoding: 'string' } : raw(b, 'not text: the bytes are not valid UTF-8'));
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
        if (!isUtf8(b)) return { value: b.toString('hex'), encoding: 'hex' };
        const text = b.toString('utf8');
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

export function decodeHeaders(headers: Array<{ key: string; value: Buffer | null }>): StreamMessage['headers'] {
  return headers.map((h) => ({ key: h.key, value: h.value === null ? null : isUtf8(h.value) ? h.value.toString('utf8') : `0x${h.value.toString('hex')}` }));
}
