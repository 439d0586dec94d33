// The services behind the API, wired to the contract's methods. Hosts (Electron, browser mode,
// CLI, tests) open this once per workspace and hand the handlers to their transport.
import type { Handlers } from '../transport/handlers';
import { CatalogService } from './catalog/catalog-service';
import { SqlService } from './sql/sql-service';
import { SnapshotService } from './storage/snapshot-service';
import { StreamService } from './streams/stream-service';

export interface Services {
  catalog: CatalogService;
  streams: StreamService;
  snapshots: SnapshotService;
  sql: SqlService;
  handlers: Handlers;
  close(): Promise<void>;
}

export interface ServicesOptions {
  workspace: string;
  /** The offline snapshot cache (default: in the user's app data folder). */
  cacheDir?: string;
}

export async function openServices(opts: ServicesOptions): Promise<Services> {
  const catalog = await CatalogService.open(opts.workspace);
  const streams = new StreamService(catalog);
  const snapshots = new SnapshotService(catalog, opts.cacheDir);
  const sql = new SqlService(catalog, snapshots);
  const handlers: Handlers = {
    'workspace.info': async () => catalog.workspaceInfo(),
    'catalog.list': async () => catalog.list(),
    'catalog.get': async ({ id }) => catalog.get(id),
    'catalog.lineage': async ({ id }) => catalog.lineage(id),
    'lint.run': async () => ({ findings: [...(await catalog.lint()), ...(await snapshots.findings())] }),
    'catalog.watch': (_input, ctx) => catalog.watch(ctx.signal, (change) => ctx.emit(change)),
    'snapshots.list': async ({ id, from, to, footers }) => snapshots.list(id, { ...(from ? { from } : {}), ...(to ? { to } : {}), footers }),
    'snapshots.day': async ({ id, date }) => snapshots.day(id, date),
    'snapshots.offline': async (req, ctx) => {
      await snapshots.makeAvailableOffline(req.id, req.select, req.pin, ctx.emit, ctx.signal);
      sql.invalidate(); // newly cached days become queryable
    },
    'snapshots.pin': async ({ id, day, pinned }) => snapshots.pin(id, day, pinned),
    'snapshots.cache': async ({ maxBytes }) => snapshots.cacheStatus(maxBytes),
    'stream.info': async ({ target }) => streams.info(target),
    'stream.tail': async (req, ctx) => {
      await streams.tail(req, ctx.emit, ctx.signal, req.capture ? await streams.captureTarget(req.capture) : undefined);
    },
    'stream.message': async ({ target, partition, offset }) => streams.message(target, partition, offset),
    'captures.list': async () => ({ captures: await streams.listCaptures() }),
    'sql.run': async ({ sql: text }, ctx) => {
      const result = await sql.run(text, { signal: ctx.signal, onProgress: (percent) => ctx.emit({ kind: 'progress', percent }) });
      ctx.emit({ kind: 'done', result });
    },
    'sql.rows': async ({ id, offset, limit, sort }) => ({ rows: await sql.rows(id, offset, limit, sort) }),
    'sql.close': async ({ id }) => {
      await sql.close(id);
      return {};
    },
    'sql.export': async ({ id, format, name }, ctx) => {
      const total = (await sql.get()).result(id).rowCount;
      const file = await sql.export(id, format, name, (rows) => ctx.emit({ kind: 'progress', rows, total }), ctx.signal);
      ctx.emit({ kind: 'done', file, rows: total });
    },
    'sql.schema': async () => sql.schema(),
    'sql.attachedFiles': async ({ name }) => {
      const { path, files } = await sql.attachedFiles(name);
      return { name, path, ...(await snapshots.describeFiles(files)) };
    },
    'sql.attach': async ({ name, path }) => {
      await sql.attach(name, path);
      return {};
    },
  };
  return {
    catalog,
    streams,
    snapshots,
    sql,
    handlers,
    close: async () => {
      catalog.close();
      snapshots.close();
      sql.shutdown();
    },
  };
}
