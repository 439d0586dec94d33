// How a stream message reads on screen: times, a one-line value, poison marks, pass rates, bytes.
import type { StreamMessage } from '../../../../shared/model/stream';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time with milliseconds: "2026-10-01 14:03:27.118". */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "2026-10-01T12:03:27.118Z (UTC)". */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : `${d.toISOString()} (UTC)`;
}

/** A time span a person reads: "3 h 12 min", "41 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.round(h / 24)} d`;
}

/** A value that did not decode as the contract says (not JSON, not UTF-8…): shown raw, marked. */
export function isPoison(m: StreamMessage): boolean {
  return (m.valueEncoding === 'base64' || m.valueEncoding === 'hex') && m.errors.some((e) => e.startsWith('value:'));
}

/** Why a poison message is poison: "not JSON: Unexpected token…". */
export function poisonReason(m: StreamMessage): string {
  const e = m.errors.find((x) => x.startsWith('value:')) ?? m.errors[0] ?? '';
  return e.replace(/^value:\s*/, '');
}

/** Enough for one line on a wide screen; shaping more text would only cost time. */
const PREVIEW_CHARS = 200;
const previews = new WeakMap<StreamMessage, string>();

/** The value on one line (compact JSON, text, or the raw bytes as sent), cached per message. */
export function valuePreview(m: StreamMessage): string {
  let p = previews.get(m);
  if (p === undefined) {
    if (m.valueEncoding === 'null') p = 'null';
    else if (typeof m.value === 'string' && m.valueEncoding !== 'json') p = m.value.slice(0, PREVIEW_CHARS);
    else {
      let text: string;
      try {
        text = JSON.stringify(m.value) ?? String(m.value);
      } catch {
        text = String(m.value);
      }
      p = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
    }
    previews.set(m, p);
  }
  return p;
}

/** The value as a person copies it: pretty JSON, or the text/bytes as they are. */
export function valueText(m: StreamMessage): string {
  if (m.valueEncoding === 'json' || m.valueEncoding === 'avro') return JSON.stringify(m.value, null, 2);
  if (m.valueEncoding === 'null') return 'null';
  return String(m.value);
}

/** The whole message as JSON, for "copy as JSON" and exports. */
export function messageJson(m: StreamMessage): Record<string, unknown> {
  return {
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp,
    time: new Date(m.timestamp).toISOString(),
    key: m.key,
    ...(m.keyEncoding !== 'string' && m.keyEncoding !== 'null' ? { keyEncoding: m.keyEncoding } : {}),
    value: m.value,
    valueEncoding: m.valueEncoding,
    headers: m.headers,
    size: m.size,
    ...(m.valid !== undefined ? { valid: m.valid } : {}),
    ...(m.errors.length ? { errors: m.errors } : {}),
  };
}

/**
 * A pass rate against a promise, to 4 decimals but never rounded across the promise:
 * 14,995 of 15,000 → "99.9667 %", and 99.98996 % is "99.9899 %", not "99.99 %", when 99.99 % is promised.
 */
export function formatPassRate(share: number, promise: number | null): string {
  let text = (share * 100).toFixed(4);
  if (promise !== null && share < promise && Number(text) >= promise * 100) text = (Math.floor(share * 1e6) / 1e4).toFixed(4);
  if (share < 1 && text === '100.0000') text = '99.9999';
  return `${text.replace(/\.?0+$/, '') || '0'} %`;
}

/** A promise as the tier states it: 0.9999 → "99.99 %". */
export function formatPromise(promise: number): string {
  return `${Number((promise * 100).toPrecision(10))} %`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(1)}k`;
  return Math.round(perSecond).toLocaleString();
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Classic 16-bytes-a-line dump: offset, hex, printable ASCII. Stops at `maxBytes`. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const lines: string[] = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      if (i < row.length) {
        const b = row[i]!;
        hex += `${HEX[b]} `;
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += '   ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  if (bytes.length > n) lines.push(`… ${(bytes.length - n).toLocaleString()} more bytes`);
  return lines.join('\n');
}

/** Bytes as UTF-8 text, with U+FFFD where they are not UTF-8; and whether they all were. */
export function utf8Preview(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), valid: false };
  }
}
