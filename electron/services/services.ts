// The services behind the API, wired to the contract's methods. Hosts (Electron, browser mode,
// CLI, tests) open this once per workspace and hand the handlers to their transport.
import type { Handlers } from '../transport/handlers';
import { CatalogService } from './catalog/catalog-service';
import { listSnapshotDays } from './storage/snapshot-days';

export interface Services {
  catalog: CatalogService;
  handlers: Handlers;
  close(): Promise<void>;
}

export async function openServices(opts: { workspace: string }): Promise<Services> {
  const catalog = await CatalogService.open(opts.workspace);
  const handlers: Handlers = {
    'workspace.info': async () => catalog.workspaceInfo(),
    'catalog.list': async () => catalog.list(),
    'catalog.get': async ({ id }) => catalog.get(id),
    'catalog.lineage': async ({ id }) => catalog.lineage(id),
    'lint.run': async () => ({ findings: await catalog.lint() }),
    'snapshots.list': async ({ id }) => ({ snapshots: await listSnapshotDays(catalog.batchLocation(id)) }),
    'catalog.watch': (_input, ctx) => catalog.watch(ctx.signal, (change) => ctx.emit(change)),
  };
  return { catalog, handlers, close: async () => catalog.close() };
}
