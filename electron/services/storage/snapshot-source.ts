// Where a product's daily snapshots live, and the store that reads them.
//
// The contract's batch server says where they are published: an `s3` server's `location`
// (s3://bucket/prefix/, optionally with an `endpointUrl`), or a `local` server's `path` (relative to
// the contract file). The workspace connection of the same server name says how this machine
// reaches them:
//   - `local` connection: a folder mirroring the bucket — s3://bucket/prefix/ is read from <path>/prefix/
//   - `s3` connection: endpoint (else the server's endpointUrl, else AWS), region, profile, path
//     style, and keys from secret references
//   - no connection: the server's endpointUrl (or AWS) with the default AWS credential chain
import { dirname, isAbsolute, resolve } from 'node:path';
import { schemaOf, modeOfServer, type ProductRecord } from '../catalog/model';
import { CUSTOM, customValue } from '../catalog/custom-properties';
import type { Workspace } from '../catalog/workspace';
import type { SchemaObject } from '../../../shared/model/product';
import { LocalSnapshotStore, S3SnapshotStore, s3ConfigFromConnection, type SnapshotStore } from './snapshot-store';
import { StorageError } from './storage-errors';

export interface SnapshotSource {
  product: string;
  contractId: string;
  /** The ODCS server name (and workspace connection name). */
  server: string;
  serverType: string;
  /** As the contract declares it: s3://bucket/prefix/ or a folder path. */
  location: string;
  /** The contract's `snapshotLayout`, if any. */
  layout: string | null;
  access:
    | { type: 'local'; root: string; folder: string }
    | { type: 's3'; connection: string | null; endpoint: string | null };
  /** The contract's schema (what the snapshots promise). */
  schema: SchemaObject[];
  /** Where the server is declared, for findings. */
  file: string;
  line: number | null;
}

/** Every batch server of the product's contracts that holds files (s3 locations, local paths). */
export function snapshotSources(record: ProductRecord, ws: Workspace): SnapshotSource[] {
  const out: SnapshotSource[] = [];
  for (const o of record.outputs) {
    const contract = o.contract;
    if (!contract) continue;
    (contract.doc.servers ?? []).forEach((server, index) => {
      if (modeOfServer(server.type) !== 'batch') return;
      const s = server as Record<string, unknown>;
      const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
      const base = {
        product: record.product.id,
        contractId: contract.doc.id,
        server: server.server,
        serverType: server.type,
        layout: customValue(server.customProperties, CUSTOM.snapshotLayout),
        schema: schemaOf(contract),
        file: contract.source.file,
        line: contract.source.lineOf(['servers', index]),
      };
      const connection = ws.config.connections[server.server];
      if (server.type === 'local' && str('path')) {
        const p = str('path')!;
        const folder = isAbsolute(p) ? p : resolve(dirname(contract.source.file), p);
        out.push({ ...base, location: p, access: { type: 'local', root: folder, folder } });
        return;
      }
      const location = str('location');
      if (!location || !/^s3[an]?:\/\//i.test(location)) return;
      if (connection?.type === 'local') {
        const root = resolve(ws.root, connection.path);
        const key = location.replace(/^[a-z0-9]+:\/\/[^/]+\/?/i, '');
        out.push({ ...base, location, access: { type: 'local', root, folder: resolve(root, key) } });
      } else if (!connection || connection.type === 's3') {
        out.push({ ...base, location, access: { type: 's3', connection: connection ? server.server : null, endpoint: connection?.endpoint ?? str('endpointUrl') ?? null } });
      } else {
        // A capture/kafka/http connection cannot serve files: reported when the store is opened.
        out.push({ ...base, location, access: { type: 's3', connection: server.server, endpoint: null } });
      }
    });
  }
  return out;
}

/** The product's snapshot source (its first batch server with files), or null. */
export function snapshotSource(record: ProductRecord, ws: Workspace): SnapshotSource | null {
  return snapshotSources(record, ws)[0] ?? null;
}

/** Opens stores for sources, one per distinct folder or S3 configuration (clients are reused). */
export class SnapshotStores {
  private readonly stores = new Map<string, SnapshotStore>();

  constructor(private readonly options: { connectTimeoutMs?: number; maxAttempts?: number } = {}) {}

  open(source: SnapshotSource, ws: Workspace): SnapshotStore {
    if (source.access.type === 'local') {
      const id = `local:${source.access.root}`;
      let store = this.stores.get(id);
      if (!store) this.stores.set(id, (store = new LocalSnapshotStore(source.access.root)));
      return store;
    }
    const connection = source.access.connection ? ws.config.connections[source.access.connection] : undefined;
    if (connection && connection.type !== 's3') {
      throw new StorageError('config', `Snapshots of ${source.product} are at ${source.location}, but the workspace connection '${source.server}' is of type ${connection.type}; use an s3 connection (or a local folder mirroring the bucket)`, { product: source.product });
    }
    const config = {
      ...s3ConfigFromConnection(connection ?? {}, { name: source.server, file: ws.file }, source.access.endpoint ?? undefined),
      ...(this.options.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.options.connectTimeoutMs } : {}),
      ...(this.options.maxAttempts !== undefined ? { maxAttempts: this.options.maxAttempts } : {}),
    };
    // Keyed by the configuration with the secret hashed out of the key (the map lives in memory only).
    const id = `s3:${JSON.stringify({ ...config, credentials: config.credentials ? { id: config.credentials.accessKeyId, s: fingerprint(config.credentials.secretAccessKey) } : null })}`;
    let store = this.stores.get(id);
    if (!store) this.stores.set(id, (store = new S3SnapshotStore(config)));
    return store;
  }

  close(): void {
    for (const s of this.stores.values()) if (s instanceof S3SnapshotStore) s.close();
    this.stores.clear();
  }
}

function fingerprint(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
