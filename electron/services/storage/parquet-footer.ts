// A Parquet file's footer, read with range requests only: the last 64 KiB first; when the footer
// (its length is in the last 8 bytes) is larger, exactly the missing part — so at most
// footer + 64 KiB per file, never the whole file. Parsed with hyparquet (`parquetMetadata`); the
// column statistics are decoded from their raw bytes (hyparquet's own conversion turns decimals and
// 64-bit values into lossy JS numbers), aggregated over the row groups, and returned as JSON-safe
// values:
//
//   BOOLEAN                      → boolean
//   INT32/INT64 (and INT/UINT_n) → number, or a decimal string beyond ±2^53
//   FLOAT/DOUBLE/FLOAT16         → number ('NaN', 'Infinity' as strings)
//   DECIMAL (any physical type)  → string with exactly `scale` decimals: '1250.00'
//   DATE                         → 'YYYY-MM-DD'
//   TIMESTAMP (ms/µs/ns), INT96  → ISO 8601 with the unit's digits, 'Z' when adjusted to UTC:
//                                  '2026-10-01T00:00:01.000001Z'; local timestamps have no 'Z'
//   TIME                         → 'HH:MM:SS.ffffff'
//   STRING/UTF8/ENUM/JSON        → string
//   UUID                         → canonical UUID string
//   other binary                 → '0x…' hex
import { parquetMetadata, type FileMetaData, type SchemaElement } from 'hyparquet';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import type { FileRef, ReadOptions } from './snapshot-store';
import { StorageError } from './storage-errors';

export const FOOTER_INITIAL_FETCH = 64 * 1024;

export interface RangeReader {
  readRange(file: FileRef, start: number, end: number, opts?: ReadOptions): Promise<Uint8Array>;
}

export type StatValue = number | string | boolean;
export type StatValueType = 'boolean' | 'integer' | 'float' | 'decimal' | 'date' | 'timestamp' | 'time' | 'string' | 'uuid' | 'binary';

export interface ParquetField {
  name: string;
  /** Field path: `amount`, `customer.email`, `items[].sku`, `tags[]`, `attrs.key`. */
  path: string;
  kind: 'primitive' | 'struct' | 'list' | 'map';
  /** The type as DuckDB reads it: VARCHAR, DECIMAL(10,2), TIMESTAMP WITH TIME ZONE, STRUCT(a BIGINT), BIGINT[], MAP(VARCHAR, BIGINT). */
  type: string;
  /** Parquet physical type of a primitive: INT32, INT64, BYTE_ARRAY, … */
  physicalType?: string;
  /** Parquet logical type: STRING, DECIMAL(10,2), TIMESTAMP(MICROS,UTC), DATE, LIST, MAP, … */
  logicalType?: string;
  convertedType?: string;
  repetition: 'REQUIRED' | 'OPTIONAL' | 'REPEATED';
  precision?: number;
  scale?: number;
  /** TIMESTAMP/TIME unit. */
  unit?: 'MILLIS' | 'MICROS' | 'NANOS';
  adjustedToUTC?: boolean;
  /** struct: its fields; list: [element]; map: [key, value]. */
  children: ParquetField[];
}

export interface ColumnStats {
  /** Field path of the leaf column: `items[].sku`. */
  path: string;
  /** Parquet's path_in_schema: `items.list.element.sku`. */
  parquetPath: string;
  physicalType: string;
  /** DuckDB type of the leaf. */
  type: string;
  valueType: StatValueType;
  min: StatValue | null;
  max: StatValue | null;
  nullCount: number | null;
  /** Values stored (including nulls and list elements). */
  values: number;
  compressedBytes: number;
  uncompressedBytes: number;
  /** Every row group had min/max (else min/max cover only those that had). */
  complete: boolean;
  /** The writer says min/max are exact (long strings may be truncated). */
  exact: boolean;
}

export interface ParquetFooter {
  key: string;
  size: number;
  rows: number;
  rowGroups: number;
  createdBy: string | null;
  formatVersion: number;
  /** The Thrift FileMetaData length (from the last 8 bytes); the footer is this + 8 bytes. */
  metadataLength: number;
  /** Bytes fetched to read this footer, and in how many range requests. */
  bytesFetched: number;
  requests: number;
  /** Top-level columns, nested ones with their children. */
  schema: ParquetField[];
  /** Leaf columns with statistics aggregated over all row groups. */
  columns: ColumnStats[];
  keyValueMetadata: Record<string, string>;
}

function corrupt(key: string, message: string): StorageError {
  return new StorageError('corrupt', `${key}: ${message}`, { key });
}

const MAGIC = 0x31524150; // "PAR1" little-endian

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Reads and parses the footer of one file through `reader.readRange`. `file.size` must be the object's
 * size (from a listing or HEAD); `file.etag`, when given, makes every range request conditional on it.
 */
export async function readParquetFooter(
  reader: RangeReader,
  file: { key: string; size: number; etag?: string | null },
  opts: { initialFetch?: number; signal?: AbortSignal } = {},
): Promise<ParquetFooter> {
  const { key, size } = file;
  let bytesFetched = 0;
  let requests = 0;
  const read = async (start: number, end: number) => {
    const bytes = await reader.readRange(key, start, end, { ...(opts.signal ? { signal: opts.signal } : {}), ...(file.etag ? { ifMatch: file.etag } : {}) });
    bytesFetched += bytes.byteLength;
    requests++;
    if (bytes.byteLength !== end - start) throw corrupt(key, `the file is shorter than its listed size ${size} (got ${bytes.byteLength} of ${end - start} bytes at ${start})`);
    return bytes;
  };
  if (size < 12) throw corrupt(key, `not a Parquet file: only ${size} bytes (a Parquet file has at least 12)`);
  const first = Math.min(size, opts.initialFetch ?? FOOTER_INITIAL_FETCH);
  let tail = await read(size - first, size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (view.getUint32(tail.byteLength - 4, true) !== MAGIC) {
    throw corrupt(key, `not a Parquet file: magic bytes missing (it ends with ${hex(tail.subarray(-4))}, not "PAR1"; truncated or not Parquet)`);
  }
  const metadataLength = view.getUint32(tail.byteLength - 8, true);
  if (metadataLength + 12 > size) throw corrupt(key, `footer length ${metadataLength} exceeds file size ${size}`);
  if (metadataLength + 8 > tail.byteLength) {
    const more = await read(size - metadataLength - 8, size - first);
    const all = new Uint8Array(metadataLength + 8);
    all.set(more, 0);
    all.set(tail, more.byteLength);
    tail = all;
  }
  if (first === size && new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true) !== MAGIC) {
    throw corrupt(key, `not a Parquet file: magic bytes missing at the start (it begins with ${hex(tail.subarray(0, 4))})`);
  }
  const footer = parseParquetFooter(tail.subarray(tail.byteLength - metadataLength - 8), { key, size });
  return { ...footer, bytesFetched, requests };
}

/** Parses a footer: `bytes` = FileMetaData + 4-byte length + "PAR1" (or the whole file). */
export function parseParquetFooter(bytes: Uint8Array, file: { key: string; size: number }): Omit<ParquetFooter, 'bytesFetched' | 'requests'> {
  let meta: FileMetaData;
  let raw: RawFileMetaData;
  try {
    meta = parquetMetadata(bytes, { geoparquet: false });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    raw = deserializeTCompactProtocol({ view, offset: bytes.byteLength - 8 - meta.metadata_length }) as RawFileMetaData;
  } catch (e) {
    throw corrupt(file.key, `corrupt Parquet footer: ${(e as Error).message}`);
  }
  const { fields, leaves } = buildSchema(meta.schema, file.key);
  const columns = leaves.map((leaf, i) => columnStats(leaf, i, meta, raw, file.key));
  const keyValueMetadata: Record<string, string> = {};
  for (const kv of meta.key_value_metadata ?? []) keyValueMetadata[kv.key] = kv.value ?? '';
  return {
    key: file.key,
    size: file.size,
    rows: Number(meta.num_rows),
    rowGroups: meta.row_groups.length,
    createdBy: meta.created_by ?? null,
    formatVersion: meta.version,
    metadataLength: meta.metadata_length,
    schema: fields,
    columns,
    keyValueMetadata,
  };
}

// ---------------------------------------------------------------------------------------------
// Schema

interface Leaf {
  el: SchemaElement;
  path: string;
  parquetPath: string;
  type: string;
}

function logicalOf(el: SchemaElement): string | undefined {
  const lt = el.logical_type;
  if (lt) {
    switch (lt.type) {
      case 'DECIMAL':
        return `DECIMAL(${lt.precision},${lt.scale})`;
      case 'TIMESTAMP':
      case 'TIME':
        return `${lt.type}(${lt.unit},${lt.isAdjustedToUTC ? 'UTC' : 'local'})`;
      case 'INTEGER':
        return `INTEGER(${lt.bitWidth},${lt.isSigned ? 'signed' : 'unsigned'})`;
      default:
        return lt.type;
    }
  }
  switch (el.converted_type) {
    case undefined:
      return undefined;
    case 'UTF8':
      return 'STRING';
    case 'DECIMAL':
      return `DECIMAL(${el.precision},${el.scale ?? 0})`;
    case 'TIMESTAMP_MILLIS':
      return 'TIMESTAMP(MILLIS,UTC)';
    case 'TIMESTAMP_MICROS':
      return 'TIMESTAMP(MICROS,UTC)';
    case 'TIME_MILLIS':
      return 'TIME(MILLIS,UTC)';
    case 'TIME_MICROS':
      return 'TIME(MICROS,UTC)';
    default:
      return el.converted_type;
  }
}

interface Prim {
  type: string;
  valueType: StatValueType;
  unit?: 'MILLIS' | 'MICROS' | 'NANOS';
  utc?: boolean;
  scale?: number;
  precision?: number;
  unsigned?: boolean;
}

/** How DuckDB reads a primitive column, and how its statistics decode. */
function primitiveOf(el: SchemaElement): Prim {
  const lt = el.logical_type;
  const ct = el.converted_type;
  const decimal = lt?.type === 'DECIMAL' ? { precision: lt.precision, scale: lt.scale } : ct === 'DECIMAL' ? { precision: el.precision ?? 0, scale: el.scale ?? 0 } : null;
  if (decimal) return { type: `DECIMAL(${decimal.precision},${decimal.scale})`, valueType: 'decimal', ...decimal };
  const ts =
    lt?.type === 'TIMESTAMP'
      ? { unit: lt.unit, utc: lt.isAdjustedToUTC }
      : ct === 'TIMESTAMP_MILLIS'
        ? { unit: 'MILLIS' as const, utc: true }
        : ct === 'TIMESTAMP_MICROS'
          ? { unit: 'MICROS' as const, utc: true }
          : null;
  if (ts) return { type: ts.utc ? 'TIMESTAMP WITH TIME ZONE' : ts.unit === 'NANOS' ? 'TIMESTAMP_NS' : 'TIMESTAMP', valueType: 'timestamp', ...ts };
  const time = lt?.type === 'TIME' ? { unit: lt.unit, utc: lt.isAdjustedToUTC } : ct === 'TIME_MILLIS' ? { unit: 'MILLIS' as const, utc: true } : ct === 'TIME_MICROS' ? { unit: 'MICROS' as const, utc: true } : null;
  if (time) return { type: 'TIME', valueType: 'time', ...time };
  if (lt?.type === 'DATE' || ct === 'DATE') return { type: 'DATE', valueType: 'date' };
  switch (el.type) {
    case 'BOOLEAN':
      return { type: 'BOOLEAN', valueType: 'boolean' };
    case 'INT32':
    case 'INT64': {
      const bits = lt?.type === 'INTEGER' ? lt.bitWidth : ct?.match(/^U?INT_(\d+)$/) ? Number(ct.replace(/^U?INT_/, '')) : el.type === 'INT32' ? 32 : 64;
      const unsigned = (lt?.type === 'INTEGER' && !lt.isSigned) || !!ct?.startsWith('UINT_');
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[bits as 8 | 16 | 32 | 64] ?? 'BIGINT';
      return { type: unsigned ? `U${name}` : name, valueType: 'integer', unsigned };
    }
    case 'INT96':
      return { type: 'TIMESTAMP', valueType: 'timestamp', unit: 'NANOS', utc: false };
    case 'FLOAT':
      return { type: 'FLOAT', valueType: 'float' };
    case 'DOUBLE':
      return { type: 'DOUBLE', valueType: 'float' };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
    default: {
      if (lt?.type === 'FLOAT16') return { type: 'FLOAT', valueType: 'float' };
      if (lt?.type === 'UUID') return { type: 'UUID', valueType: 'uuid' };
      if (lt?.type === 'STRING' || lt?.type === 'ENUM' || ct === 'UTF8' || ct === 'ENUM') return { type: 'VARCHAR', valueType: 'string' };
      if (lt?.type === 'JSON' || ct === 'JSON') return { type: 'JSON', valueType: 'string' };
      return { type: 'BLOB', valueType: 'binary' };
    }
  }
}

const identifier = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

function buildSchema(schema: SchemaElement[], key: string): { fields: ParquetField[]; leaves: Leaf[] } {
  const leaves: Leaf[] = [];
  let i = 1; // schema[0] is the root
  const next = (): SchemaElement => {
    const el = schema[i++];
    if (!el) throw corrupt(key, 'corrupt Parquet footer: the schema ends before all its columns are described');
    return el;
  };
  const readNode = (el: SchemaElement, fieldPath: string, parquetPath: string[]): ParquetField => {
    const repetition = (el.repetition_type ?? 'REQUIRED') as ParquetField['repetition'];
    const base = {
      name: el.name,
      path: fieldPath,
      repetition,
      ...(logicalOf(el) ? { logicalType: logicalOf(el)! } : {}),
      ...(el.converted_type ? { convertedType: el.converted_type } : {}),
    };
    const pq = [...parquetPath, el.name];
    if (!el.num_children) {
      const p = primitiveOf(el);
      leaves.push({ el, path: fieldPath, parquetPath: pq.join('.'), type: p.type });
      const prim: ParquetField = {
        ...base,
        kind: 'primitive',
        type: p.type,
        physicalType: el.type ?? 'BYTE_ARRAY',
        ...(p.precision !== undefined ? { precision: p.precision, scale: p.scale ?? 0 } : {}),
        ...(p.unit ? { unit: p.unit, adjustedToUTC: !!p.utc } : {}),
        children: [],
      };
      // A repeated primitive outside a LIST group is a list of it.
      return repetition === 'REPEATED' ? { ...base, kind: 'list', type: `${p.type}[]`, children: [{ ...prim, path: `${fieldPath}[]`, repetition: 'REQUIRED' }] } : prim;
    }
    const annotation = el.logical_type?.type ?? el.converted_type;
    if (annotation === 'LIST') {
      const rep = next();
      // 3-level list: <list> repeated group list { element }; 2-level (legacy): the repeated node is the element.
      const threeLevel = !!rep.num_children && rep.num_children === 1 && rep.name !== 'array' && rep.name !== `${el.name}_tuple`;
      const element = threeLevel ? readNode(next(), `${fieldPath}[]`, [...pq, rep.name]) : readNode({ ...rep, repetition_type: 'REQUIRED' }, `${fieldPath}[]`, pq);
      return { ...base, kind: 'list', type: `${element.type}[]`, children: [element] };
    }
    if (annotation === 'MAP' || annotation === 'MAP_KEY_VALUE') {
      const kv = next();
      const children: ParquetField[] = [];
      for (let k = 0; k < (kv.num_children ?? 0); k++) {
        const child = next();
        children.push(readNode(child, `${fieldPath}.${child.name}`, [...pq, kv.name]));
      }
      const [k, v] = children;
      return { ...base, kind: 'map', type: `MAP(${k?.type ?? 'VARCHAR'}, ${v?.type ?? 'VARCHAR'})`, children };
    }
    const children: ParquetField[] = [];
    for (let k = 0; k < el.num_children; k++) {
      const child = next();
      children.push(readNode(child, fieldPath ? `${fieldPath}.${child.name}` : child.name, pq));
    }
    const struct: ParquetField = { ...base, kind: 'struct', type: `STRUCT(${children.map((c) => `${identifier(c.name)} ${c.type}`).join(', ')})`, children };
    return repetition === 'REPEATED' ? { ...base, kind: 'list', type: `${struct.type}[]`, children: [{ ...struct, path: `${fieldPath}[]`, repetition: 'REQUIRED' }] } : struct;
  };
  const root = schema[0];
  if (!root) throw corrupt(key, 'corrupt Parquet footer: no schema');
  const fields: ParquetField[] = [];
  for (let k = 0; k < (root.num_children ?? 0); k++) {
    const el = next();
    fields.push(readNode(el, el.name, []));
  }
  return { fields, leaves };
}

// ---------------------------------------------------------------------------------------------
// Statistics

interface RawStats {
  field_1?: Uint8Array; // max (deprecated, signed order)
  field_2?: Uint8Array; // min (deprecated, signed order)
  field_3?: bigint; // null_count
  field_5?: Uint8Array; // max_value
  field_6?: Uint8Array; // min_value
  field_7?: boolean; // is_max_value_exact
  field_8?: boolean; // is_min_value_exact
}
interface RawFileMetaData {
  field_4?: Array<{ field_1?: Array<{ field_3?: { field_12?: RawStats } }> }>;
}

type Sortable = bigint | number | boolean | Uint8Array;

function readSortable(bytes: Uint8Array, el: SchemaElement, p: Prim): Sortable | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (el.type) {
    case 'BOOLEAN':
      return bytes.byteLength >= 1 ? bytes[0] === 1 : null;
    case 'INT32':
      if (bytes.byteLength !== 4) return null;
      return p.unsigned ? BigInt(view.getUint32(0, true)) : BigInt(view.getInt32(0, true));
    case 'INT64':
      if (bytes.byteLength !== 8) return null;
      return p.unsigned ? view.getBigUint64(0, true) : view.getBigInt64(0, true);
    case 'INT96': {
      if (bytes.byteLength !== 12) return null;
      const nanosOfDay = view.getBigInt64(0, true);
      const julian = BigInt(view.getInt32(8, true));
      return (julian - 2440588n) * 86_400_000_000_000n + nanosOfDay;
    }
    case 'FLOAT':
      return bytes.byteLength === 4 ? view.getFloat32(0, true) : null;
    case 'DOUBLE':
      return bytes.byteLength === 8 ? view.getFloat64(0, true) : null;
    default:
      if (p.valueType === 'decimal') return bigEndianSigned(bytes);
      if (el.logical_type?.type === 'FLOAT16') return bytes.byteLength === 2 ? float16(view.getUint16(0, true)) : null;
      return bytes;
  }
}

function bigEndianSigned(bytes: Uint8Array): bigint {
  if (bytes.byteLength === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes[0]! & 0x80) v -= 1n << BigInt(bytes.byteLength * 8);
  return v;
}

function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function compareSortable(a: Sortable, b: Sortable): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.byteLength, b.byteLength);
    for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
    return a.byteLength - b.byteLength;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

const utf8 = new TextDecoder();

function pad(n: bigint | number, width: number): string {
  return String(n).padStart(width, '0');
}

function floorDiv(a: bigint, b: bigint): [bigint, bigint] {
  const q = a / b;
  const r = a % b;
  return r < 0n ? [q - 1n, r + b] : [q, r];
}

const UNIT_PER_SECOND = { MILLIS: 1_000n, MICROS: 1_000_000n, NANOS: 1_000_000_000n } as const;
const UNIT_DIGITS = { MILLIS: 3, MICROS: 6, NANOS: 9 } as const;

function isoTimestamp(v: bigint, unit: 'MILLIS' | 'MICROS' | 'NANOS', utc: boolean): string {
  const [secs, frac] = floorDiv(v, UNIT_PER_SECOND[unit]);
  const d = new Date(Number(secs) * 1000);
  const base = d.toISOString().slice(0, 19);
  return `${base}.${pad(frac, UNIT_DIGITS[unit])}${utc ? 'Z' : ''}`;
}

function timeOfDay(v: bigint, unit: 'MILLIS' | 'MICROS' | 'NANOS'): string {
  const [secs, frac] = floorDiv(v, UNIT_PER_SECOND[unit]);
  const s = Number(secs);
  return `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.${pad(frac, UNIT_DIGITS[unit])}`;
}

export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const int = scale ? digits.slice(0, digits.length - scale) : digits;
  const frac = scale ? `.${digits.slice(digits.length - scale)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

function formatSortable(v: Sortable, p: Prim): StatValue {
  switch (p.valueType) {
    case 'boolean':
      return Boolean(v);
    case 'integer': {
      const b = v as bigint;
      return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(b) : b.toString();
    }
    case 'float': {
      const n = Number(v);
      return Number.isFinite(n) ? n : String(n);
    }
    case 'decimal':
      return formatDecimal(v as bigint, p.scale ?? 0);
    case 'date':
      return new Date(Number(v as bigint) * 86_400_000).toISOString().slice(0, 10);
    case 'timestamp':
      return isoTimestamp(v as bigint, p.unit ?? 'MICROS', !!p.utc);
    case 'time':
      return timeOfDay(v as bigint, p.unit ?? 'MICROS');
    case 'string':
      return utf8.decode(v as Uint8Array);
    case 'uuid': {
      const h = [...(v as Uint8Array)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case 'binary':
      return `0x${[...(v as Uint8Array)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
}

/** Types whose deprecated min/max fields used the same (signed) order as min_value/max_value. */
const LEGACY_OK = new Set<StatValueType>(['boolean', 'integer', 'float', 'date', 'timestamp', 'time']);

function columnStats(leaf: Leaf, index: number, meta: FileMetaData, raw: RawFileMetaData, key: string): ColumnStats {
  const p = primitiveOf(leaf.el);
  let min: Sortable | null = null;
  let max: Sortable | null = null;
  let nullCount: number | null = 0;
  let values = 0;
  let compressed = 0;
  let uncompressed = 0;
  let complete = true;
  let exact = true;
  meta.row_groups.forEach((rg, r) => {
    const chunk = rg.columns[index];
    if (!chunk?.meta_data) throw corrupt(key, `corrupt Parquet footer: row group ${r} has no metadata for column ${leaf.parquetPath}`);
    values += Number(chunk.meta_data.num_values);
    compressed += Number(chunk.meta_data.total_compressed_size);
    uncompressed += Number(chunk.meta_data.total_uncompressed_size);
    const s = raw.field_4?.[r]?.field_1?.[index]?.field_3?.field_12;
    if (s?.field_3 !== undefined && nullCount !== null) nullCount += Number(s.field_3);
    else nullCount = null;
    const legacy = LEGACY_OK.has(p.valueType) && !p.unsigned && p.valueType !== 'decimal';
    const lo = s?.field_6 ?? (legacy ? s?.field_2 : undefined);
    const hi = s?.field_5 ?? (legacy ? s?.field_1 : undefined);
    const loV = lo ? readSortable(lo, leaf.el, p) : null;
    const hiV = hi ? readSortable(hi, leaf.el, p) : null;
    // Row groups of only nulls legitimately have no min/max.
    const allNull = s?.field_3 !== undefined && Number(s.field_3) === Number(chunk.meta_data.num_values);
    if ((loV === null || hiV === null) && !allNull) complete = false;
    if (s?.field_7 === false || s?.field_8 === false) exact = false;
    if (loV !== null && !(typeof loV === 'number' && Number.isNaN(loV)) && (min === null || compareSortable(loV, min) < 0)) min = loV;
    if (hiV !== null && !(typeof hiV === 'number' && Number.isNaN(hiV)) && (max === null || compareSortable(hiV, max) > 0)) max = hiV;
  });
  return {
    path: leaf.path,
    parquetPath: leaf.parquetPath,
    physicalType: leaf.el.type ?? 'BYTE_ARRAY',
    type: leaf.type,
    valueType: p.valueType,
    min: min === null ? null : formatSortable(min, p),
    max: max === null ? null : formatSortable(max, p),
    nullCount,
    values,
    compressedBytes: compressed,
    uncompressedBytes: uncompressed,
    complete: complete && meta.row_groups.length > 0,
    exact,
  };
}

// ---------------------------------------------------------------------------------------------
// Merging statistics across files (a day of several files)

function codePointCompare(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d) return d;
  }
}

function decimalToScaled(s: string, scale: number): bigint {
  const neg = s.startsWith('-');
  const [int = '0', frac = ''] = s.replace(/^-/, '').split('.');
  const v = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

/** Orders two formatted statistics values of the same column type. */
export function compareStatValues(type: StatValueType, a: StatValue, b: StatValue): number {
  switch (type) {
    case 'boolean':
      return Number(a) - Number(b);
    case 'integer': {
      const x = BigInt(a as number | string);
      const y = BigInt(b as number | string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'float':
      return Number(a) - Number(b);
    case 'decimal': {
      const scale = Math.max(String(a).split('.')[1]?.length ?? 0, String(b).split('.')[1]?.length ?? 0);
      const x = decimalToScaled(String(a), scale);
      const y = decimalToScaled(String(b), scale);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'timestamp':
    case 'time': {
      // Same instant written with different units: compare the whole part, then the fraction padded.
      const [wa = '', fa = ''] = String(a).replace(/Z$/, '').split('.');
      const [wb = '', fb = ''] = String(b).replace(/Z$/, '').split('.');
      return wa !== wb ? (wa < wb ? -1 : 1) : fa.padEnd(9, '0') < fb.padEnd(9, '0') ? -1 : fa.padEnd(9, '0') > fb.padEnd(9, '0') ? 1 : 0;
    }
    default:
      return codePointCompare(String(a), String(b));
  }
}

/** Statistics of the same column in two files, combined. */
export function mergeColumnStats(a: ColumnStats, b: ColumnStats): ColumnStats {
  const pick = (x: StatValue | null, y: StatValue | null, sign: 1 | -1) => (x === null ? y : y === null ? x : compareStatValues(a.valueType, x, y) * sign <= 0 ? x : y);
  const sameType = a.valueType === b.valueType;
  return {
    ...a,
    min: sameType ? pick(a.min, b.min, 1) : null,
    max: sameType ? pick(a.max, b.max, -1) : null,
    nullCount: a.nullCount === null || b.nullCount === null ? null : a.nullCount + b.nullCount,
    values: a.values + b.values,
    compressedBytes: a.compressedBytes + b.compressedBytes,
    uncompressedBytes: a.uncompressedBytes + b.uncompressedBytes,
    complete: a.complete && b.complete && sameType,
    exact: a.exact && b.exact,
  };
}
