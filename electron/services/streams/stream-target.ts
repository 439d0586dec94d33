// Resolves what a tail asks for (a product, a capture file, a raw topic) into a record source,
// a decoder and, when a contract applies, a validator with the tier's promise.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { StreamTarget } from '../../../shared/model/stream';
import { appDataDir } from '../app-data';
import type { CatalogService } from '../catalog/catalog-service';
import { modeOfServer, topicOf, type ProductRecord } from '../catalog/model';
import type { LoadedContract } from '../catalog/descriptors';
import type { OdcsServer } from '../catalog/standards/odcs';
import type { Connection } from '../catalog/workspace';
import { compileRecordValidator, type RecordValidator } from '../quality/record-validator';
import { captureFileName } from './capture/capture-format';
import { CaptureSource } from './capture/capture-source';
import { makeValueDecoder, valueFormatOf, type ValueDecoder } from './decode';
import { openKafkaSource } from './sources/kafka-source';
import type { SchemaRegistry } from './avro';
import { resolveSecret } from '../secrets';
import type { RecordSource } from './sources/record-source';

export interface StreamEndpoint {
  topic: string;
  format: string;
  /** Opens the source (a broker connection or a capture file); the caller closes it. */
  open(): Promise<RecordSource>;
  decode: ValueDecoder;
  validate?: RecordValidator;
  promise: number | null;
}

interface StreamContract {
  record: ProductRecord;
  contract: LoadedContract;
  server: OdcsServer;
  topic: string;
}

function streamContract(record: ProductRecord): StreamContract | null {
  for (const o of record.outputs) {
    for (const server of o.contract?.doc.servers ?? []) {
      if (modeOfServer(server.type) !== 'stream') continue;
      const topic = topicOf(server, o.contract!);
      if (topic) return { record, contract: o.contract!, server, topic };
    }
  }
  return null;
}

function validatorFor(sc: StreamContract): RecordValidator {
  return compileRecordValidator(schemaObjectOf(sc)?.properties ?? []);
}

function schemaObjectOf(sc: StreamContract) {
  const objects = sc.contract.doc.schema ?? [];
  return objects.find((s) => s.physicalName === sc.topic) ?? objects.find((s) => s.physicalType === 'topic') ?? objects[0];
}

/** Where an Avro stream's registry is configured: its Kafka connection, and the workspace folder for secret files. */
type RegistryConfig = { connection: Extract<Connection, { type: 'kafka' }>; root: string } | null;

async function fromContract(sc: StreamContract, open: () => Promise<RecordSource>, registryConfig: RegistryConfig = null): Promise<StreamEndpoint> {
  const format = (sc.server as { format?: string }).format ?? 'json';
  const valueFormat = valueFormatOf(format);
  const base = { topic: sc.topic, format, validate: validatorFor(sc), promise: sc.record.product.tierPromise };
  if (valueFormat !== 'avro') return { ...base, open, decode: makeValueDecoder(valueFormat) };
  const object = schemaObjectOf(sc);
  if (!object) throw new ApiError('BAD_REQUEST', `Product ${sc.record.product.id}: an Avro stream needs a schema in its contract`);
  // The Avro library is loaded for Avro streams only: every other tail starts without it.
  const avro = await import('./avro');
  const registry = registryConfig ? registryOf(avro.SchemaRegistry, registryConfig) : null;
  const decode = makeValueDecoder('avro', avro.avroDecoder(avro.avroSchemaFromContract(object), registry));
  return { ...base, decode, open: registry ? async () => avro.withRegistryLookups(await open(), registry) : open };
}

function registryOf(Registry: typeof SchemaRegistry, { connection, root }: NonNullable<RegistryConfig>): SchemaRegistry | null {
  if (!connection.schemaRegistry) return null;
  const { url, username, passwordRef } = connection.schemaRegistry;
  return new Registry({ url, ...(username ? { username } : {}), ...(passwordRef ? { password: resolveSecret(passwordRef, 'schemaRegistry.passwordRef', root) } : {}) });
}

export class StreamTargets {
  constructor(private readonly catalog: CatalogService) {}

  /** Folders holding capture files: those of capture connections, then where new captures go. */
  captureDirs(): string[] {
    const ws = this.catalog.workspace;
    const dirs = Object.values(ws.config.connections)
      .filter((c): c is Extract<Connection, { type: 'capture' }> => c.type === 'capture')
      .map((c) => resolve(ws.root, c.path));
    return [...new Set([...dirs, this.writableCaptureDir()])];
  }

  /** New captures: the workspace's `captures` folder; the embedded demo stays untouched. */
  writableCaptureDir(): string {
    const ws = this.catalog.workspace;
    if (ws.config.captures) return resolve(ws.root, ws.config.captures);
    return this.catalog.workspaceInfo().isDemo ? join(appDataDir(), 'captures') : join(ws.root, 'captures');
  }

  async findCapture(name: string): Promise<string> {
    for (const dir of this.captureDirs()) {
      const names = await readdir(dir).catch(() => [] as string[]);
      if (names.includes(name)) return join(dir, name);
    }
    throw new ApiError('NOT_FOUND', `No capture "${name}" in ${this.captureDirs().join(' or ')}`, { capture: name });
  }

  async resolve(target: StreamTarget): Promise<StreamEndpoint> {
    if ('product' in target) return this.forProduct(target.product);
    if ('capture' in target) return this.forCapture(await this.findCapture(target.capture));
    return this.forTopic(target.topic, target.bootstrap, target.connection);
  }

  private async forProduct(id: string): Promise<StreamEndpoint> {
    const record = this.catalog.record(id);
    const sc = streamContract(record);
    if (!sc) throw new ApiError('BAD_REQUEST', `Product ${id} has no stream port (its contracts declare no kafka server)`, { product: id });
    const connection = this.catalog.workspace.config.connections[sc.server.server];
    if (!connection) throw new ApiError('BAD_REQUEST', `Product ${id}: the workspace defines no connection for server "${sc.server.server}" (add it under connections in ${this.catalog.workspace.file})`, { product: id });
    if (connection.type === 'capture') {
      const file = resolve(this.catalog.workspace.root, connection.path, captureFileName(sc.topic));
      return fromContract(sc, () => CaptureSource.open(file));
    }
    if (connection.type === 'kafka') return fromContract(sc, () => openKafkaSource(connection, sc.topic, this.catalog.workspace.root), { connection, root: this.catalog.workspace.root });
    throw new ApiError('BAD_REQUEST', `Product ${id}: server "${sc.server.server}" is mapped to a ${connection.type} connection; a stream needs kafka or capture`, { product: id });
  }

  /** A capture replays with its product's contract when the workspace has a product on its topic. */
  private async forCapture(file: string): Promise<StreamEndpoint> {
    const probe = await CaptureSource.open(file);
    const topic = probe.topic;
    await probe.close();
    const sc = this.catalog.records().map(streamContract).find((c) => c?.topic === topic);
    if (sc) return fromContract(sc, () => CaptureSource.open(file));
    return { topic, format: 'auto', open: () => CaptureSource.open(file), decode: makeValueDecoder('auto'), promise: null };
  }

  private forTopic(topic: string, bootstrap?: string, connectionName?: string): StreamEndpoint {
    const connections = this.catalog.workspace.config.connections;
    let connection: Connection | undefined;
    if (connectionName) {
      connection = connections[connectionName];
      if (connection?.type !== 'kafka') throw new ApiError('BAD_REQUEST', `No kafka connection "${connectionName}" in ${this.catalog.workspace.file}`);
    } else if (bootstrap) {
      connection = { type: 'kafka', bootstrap };
    } else {
      connection = Object.values(connections).find((c) => c.type === 'kafka');
      if (!connection) throw new ApiError('BAD_REQUEST', 'Which broker? Give --bootstrap HOST:PORT, or define a kafka connection in the workspace');
    }
    const kafka = connection as Extract<Connection, { type: 'kafka' }>;
    return { topic, format: 'auto', open: () => openKafkaSource(kafka, topic, this.catalog.workspace.root), decode: makeValueDecoder('auto'), promise: null };
  }
}
