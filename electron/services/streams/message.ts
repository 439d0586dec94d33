// A record as the message people see: key, value and headers decoded, checked against the
// contract, and the filter over it. Shared by the tail engine (the app) and the tail's line
// processor, which also runs on worker threads: this module stays free of the service layer
// (catalog, API schemas) so a worker loads only what it uses.
import { compileFilter, parseFilter } from '../../../shared/filter';
import type { StreamMessage } from '../../../shared/model/stream';
import type { RecordValidator } from '../quality/record-validator';
import { decodeHeaders, decodeKey, type Decoded, type ValueDecoder } from './decode';
import type { SourceRecord } from './sources/record-source';

export type MessageFilter = (m: StreamMessage) => boolean;

/** The filter text compiled over decoded messages; throws FilterSyntaxError on bad text. */
export function compileMessageFilter(text: string): MessageFilter {
  const test = compileFilter(parseFilter(text));
  const headerRecord = (m: StreamMessage) => {
    const h: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const x of m.headers) if (!(x.key in h) && x.value !== null) h[x.key] = x.value;
    return h;
  };
  return (m) => test({ key: m.key, value: m.value, headers: headerRecord(m), timestamp: m.timestamp, partition: m.partition, offset: m.offset });
}

const TOMBSTONE = 'value: null (a tombstone), not a record';

/**
 * Why a decoded value fails the contract: the decode error, the validator's findings, or a
 * tombstone. `passes` (optional) is a cheaper check that, when true, stands for the validator
 * finding nothing.
 */
export function valueErrors(decoded: Decoded, validate?: RecordValidator, passes?: () => boolean): string[] {
  if (decoded.error) return [`value: ${decoded.error}`];
  if (!validate) return [];
  if (decoded.encoding === 'null') return [TOMBSTONE];
  return passes?.() ? [] : validate(decoded.value);
}

/**
 * A record as the message the app shows. `vouches` (optional, the line processor's acceptor)
 * answering true for JSON value bytes stands for the validator finding nothing in them.
 */
export function toMessage(partition: number, r: SourceRecord, decode: ValueDecoder, validate?: RecordValidator, vouches?: (value: Buffer) => boolean): StreamMessage {
  const key = decodeKey(r.key);
  const decoded = decode(r.value);
  const raw = r.value;
  const errors = valueErrors(decoded, validate, vouches && raw && decoded.encoding === 'json' ? () => vouches(raw) : undefined);
  const m: StreamMessage = {
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: key.key,
    keyEncoding: key.encoding,
    value: decoded.value,
    valueEncoding: decoded.encoding,
    headers: r.headers.length ? decodeHeaders(r.headers) : [],
    size: r.value?.length ?? 0,
    errors,
  };
  if (validate || decoded.error) m.valid = errors.length === 0;
  return m;
}
