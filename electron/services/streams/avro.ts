// Avro values: the schema comes from the contract (the schema object's `avroSchema` custom
// property, else derived from its properties), and messages in Confluent's wire format
// (magic byte 0, a 4-byte schema id, then Avro) are decoded with the writer's schema from the
// schema registry when the workspace names one, else with the contract's.
import avro from 'avsc';
import { ApiError } from '../../../shared/api/errors';
import type { OdcsSchemaElementProperty } from '../catalog/standards/odcs';
import type { PartitionBatch, RecordSource, Watermarks } from './sources/record-source';

type AvroSchema = avro.Schema;

function avroTypeOf(p: OdcsSchemaElementProperty, name: string): unknown {
  let t: unknown;
  switch (p.logicalType) {
    case 'integer':
      t = 'long';
      break;
    case 'number':
      t = 'double';
      break;
    case 'boolean':
      t = 'boolean';
      break;
    case 'timestamp':
      t = { type: 'long', logicalType: 'timestamp-millis' };
      break;
    case 'date':
      t = { type: 'int', logicalType: 'date' };
      break;
    case 'array':
      t = { type: 'array', items: p.items ? avroTypeOf({ ...p.items, required: true }, `${name}_item`) : 'string' };
      break;
    case 'object':
      t = { type: 'record', name: `${name}_record`, fields: (p.properties ?? []).map((c) => avroField(c)) };
      break;
    default:
      t = 'string';
  }
  return p.required ? t : ['null', t];
}

function avroField(p: OdcsSchemaElementProperty & { name?: string }): Record<string, unknown> {
  const name = p.name ?? 'value';
  const type = avroTypeOf(p, name);
  return Array.isArray(type) ? { name, type, default: null } : { name, type };
}

/** The Avro schema a contract's schema object describes (field order = property order). */
export function avroSchemaFromContract(object: { name: string; properties?: OdcsSchemaElementProperty[]; customProperties?: Array<{ property: string; value?: unknown }> }): AvroSchema {
  const declared = object.customProperties?.find((c) => c.property === 'avroSchema')?.value;
  if (declared !== undefined) {
    try {
      return (typeof declared === 'string' ? JSON.parse(declared) : declared) as AvroSchema;
    } catch (e) {
      throw new ApiError('BAD_REQUEST', `The contract's avroSchema for ${object.name} is not JSON: ${(e as Error).message}`);
    }
  }
  return { type: 'record', name: object.name.replace(/[^A-Za-z0-9_]/g, '_'), fields: (object.properties ?? []).map((p) => avroField(p)) } as AvroSchema;
}

/** JSON-safe: Avro bytes become base64, longs beyond 2^53 text (avsc's default longs are numbers). */
function toJson(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJson(x);
    return o;
  }
  return v;
}

export interface RegistryOptions {
  url: string;
  username?: string;
  password?: string;
}

/** Confluent-compatible schema registry: schemas by id, cached (ids are immutable). */
export class SchemaRegistry {
  private readonly schemas = new Map<number, Promise<avro.Type>>();
  constructor(private readonly opts: RegistryOptions) {}

  get(id: number): Promise<avro.Type> {
    let hit = this.schemas.get(id);
    if (!hit) {
      hit = this.fetchSchema(id);
      hit.catch(() => this.schemas.delete(id)); // a failed lookup is retried next time
      this.schemas.set(id, hit);
    }
    return hit;
  }

  /** Schemas already fetched, for the synchronous decoder. */
  cached(id: number): avro.Type | undefined {
    return this.ready.get(id);
  }

  private readonly ready = new Map<number, avro.Type>();

  private async fetchSchema(id: number): Promise<avro.Type> {
    const url = `${this.opts.url.replace(/\/+$/, '')}/schemas/ids/${id}`;
    const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (this.opts.username) headers.Authorization = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password ?? ''}`).toString('base64')}`;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new ApiError('KAFKA_UNREACHABLE', `Schema registry ${this.opts.url} unreachable: ${(e as Error).message}`, { registry: this.opts.url });
    }
    if (res.status === 401 || res.status === 403) throw new ApiError('UNAUTHORIZED', `Schema registry ${this.opts.url} refused the credentials (HTTP ${res.status})`, { registry: this.opts.url });
    if (!res.ok) throw new ApiError('NOT_FOUND', `Schema registry ${this.opts.url} has no schema ${id} (HTTP ${res.status})`, { registry: this.opts.url, schemaId: id });
    const body = (await res.json()) as { schema?: string; schemaType?: string };
    if (body.schemaType && body.schemaType !== 'AVRO') throw new ApiError('BAD_REQUEST', `Schema ${id} in ${this.opts.url} is ${body.schemaType}, not Avro`);
    const type = avroType(JSON.parse(body.schema ?? 'null') as AvroSchema);
    this.ready.set(id, type);
    return type;
  }
}

/** Avro time types shown as people read them (and as the contract's checks expect): ISO text. */
class TimestampMillis extends avro.types.LogicalType {
  override _fromValue(v: number): string {
    return new Date(v).toISOString();
  }
  override _toValue(v: string | Date): number {
    return new Date(v).getTime();
  }
}
class TimestampMicros extends avro.types.LogicalType {
  override _fromValue(v: number): string {
    return new Date(Math.floor(v / 1000)).toISOString();
  }
  override _toValue(v: string | Date): number {
    return new Date(v).getTime() * 1000;
  }
}
class DateDays extends avro.types.LogicalType {
  override _fromValue(v: number): string {
    return new Date(v * 86_400_000).toISOString().slice(0, 10);
  }
  override _toValue(v: string | Date): number {
    return Math.round(new Date(v).getTime() / 86_400_000);
  }
}
const LOGICAL_TYPES = { 'timestamp-millis': TimestampMillis, 'timestamp-micros': TimestampMicros, date: DateDays };
export const avroType = (schema: AvroSchema) => avro.Type.forSchema(schema, { logicalTypes: LOGICAL_TYPES });

const WIRE_MAGIC = 0;
const wireId = (b: Buffer): number | null => (b.length > 5 && b[0] === WIRE_MAGIC ? b.readInt32BE(1) : null);

/**
 * A decoder for Avro values: Confluent wire format (writer schema from the registry, or the
 * contract's schema when there is no registry) or plain Avro binary with the contract's schema.
 */
export function avroDecoder(contractSchema: AvroSchema, registry: SchemaRegistry | null): (bytes: Buffer) => unknown {
  const reader = avroType(contractSchema);
  return (bytes) => {
    const id = wireId(bytes);
    if (id === null) return toJson(reader.fromBuffer(bytes));
    const writer = registry?.cached(id);
    if (registry && !writer) throw new Error(`schema ${id} is not in the schema registry`);
    return toJson((writer ?? reader).fromBuffer(bytes.subarray(5)));
  };
}

/**
 * Wraps a record source so every schema id a batch uses is fetched from the registry before the
 * batch reaches the (synchronous) decoder.
 */
export function withRegistryLookups(source: RecordSource, registry: SchemaRegistry): RecordSource {
  return {
    get address() {
      return source.address;
    },
    get topic() {
      return source.topic;
    },
    get live() {
      return source.live;
    },
    partitions: () => source.partitions(),
    watermarks: (p: number[]): Promise<Map<number, Watermarks>> => source.watermarks(p),
    offsetsForTime: (p: number[], at: number) => source.offsetsForTime(p, at),
    async read(positions, opts): Promise<PartitionBatch[]> {
      // Records, not undecoded batches: their schema ids are looked up here.
      const batches = await source.read(positions, { ...opts, batches: false });
      const ids = new Set<number>();
      for (const b of batches) for (const r of b.records) if (r.value) ids.add(wireId(r.value) ?? -1);
      ids.delete(-1);
      // An id the registry does not know leaves those messages undecodable, shown raw with why.
      await Promise.all([...ids].map((id) => registry.get(id).catch(() => undefined)));
      return batches;
    },
    close: () => source.close(),
  };
}
