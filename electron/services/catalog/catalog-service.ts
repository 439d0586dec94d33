// The catalog of one workspace: loads descriptors, answers the catalog API, lints, and reloads
// when a descriptor or the workspace file changes.
import { watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CatalogList, Lineage, WorkspaceInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Finding } from '../../../shared/model/lint';
import { summarize, type Product } from '../../../shared/model/product';
import { DescriptorCache } from './descriptor-cache';
import { loadDescriptors } from './descriptors';
import { lintModel } from './lint';
import { buildModel, type CatalogModel, type ProductRecord } from './model';
import { describeConnection, loadWorkspace, type Workspace } from './workspace';
import { DEMO_WORKSPACE } from '../../hosts/paths';

interface State {
  ws: Workspace;
  model: CatalogModel;
  problems: Finding[];
}

export interface CatalogChange {
  reason: 'initial' | 'changed';
  products: number;
  problems: number;
  files: string[];
}

const RELOAD_DEBOUNCE_MS = 150;

export class CatalogService {
  private state: State;
  private readonly listeners = new Set<(c: CatalogChange) => void>();
  private readonly changeListeners = new Set<(c: CatalogChange) => void>();
  private watchers: FSWatcher[] = [];
  private pendingFiles = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly path: string,
    state: State,
  ) {
    this.state = state;
  }

  static async open(path: string): Promise<CatalogService> {
    return new CatalogService(path, await CatalogService.read(path));
  }

  private static async read(path: string): Promise<State> {
    const cache = await DescriptorCache.forThisBuild();
    const ws = await loadWorkspace(path, cache);
    const loaded = await loadDescriptors(ws, cache);
    return { ws, model: buildModel(loaded, ws), problems: loaded.findings };
  }

  get workspace(): Workspace {
    return this.state.ws;
  }

  workspaceInfo(): WorkspaceInfo {
    const { ws } = this.state;
    return {
      name: ws.config.name,
      ...(ws.config.description ? { description: ws.config.description } : {}),
      root: ws.root,
      file: ws.file,
      isDemo: resolve(ws.root) === resolve(DEMO_WORKSPACE),
      connections: Object.entries(ws.config.connections).map(([name, c]) => ({ name, type: c.type, address: describeConnection(ws.root, c) })),
      descriptorFiles: ws.descriptorFiles.length,
    };
  }

  list(): CatalogList {
    const products = [...this.state.model.products.values()].map((r) => summarize(r.product)).sort((a, b) => a.id.localeCompare(b.id));
    return { products, problems: this.state.problems };
  }

  get(id: string): Product {
    const record = this.state.model.products.get(id);
    if (!record) throw new ApiError('NOT_FOUND', `No product "${id}" in workspace ${this.state.ws.file}`, { product: id });
    return record.product;
  }

  /** Every product upstream and downstream of `id`, transitively. */
  lineage(id: string): Lineage {
    const { products } = this.state.model;
    this.get(id);
    const nodes = new Map<string, Lineage['nodes'][number]>();
    const edges = new Map<string, { from: string; to: string }>();
    const addNode = (pid: string, fallbackName?: string) => {
      if (nodes.has(pid)) return;
      const p = products.get(pid)?.product;
      nodes.set(pid, p ? { id: p.id, name: p.name, ...(p.tier ? { tier: p.tier } : {}), ...(p.alignment ? { alignment: p.alignment } : {}), modes: p.modes, missing: false } : { id: pid, name: fallbackName ?? pid, modes: [], missing: true });
    };
    const addEdge = (from: string, to: string) => edges.set(`${from}→${to}`, { from, to });
    const up = (pid: string) => {
      const p = products.get(pid)?.product;
      for (const input of p?.inputs ?? []) {
        const inputId = input.productId ?? `missing:${input.contractId ?? input.name}`;
        const seen = nodes.has(inputId);
        addNode(inputId, input.name);
        addEdge(inputId, pid);
        if (!seen && input.productId) up(inputId);
      }
    };
    const down = (pid: string) => {
      for (const consumer of products.get(pid)?.product.consumers ?? []) {
        const seen = nodes.has(consumer);
        addNode(consumer);
        addEdge(pid, consumer);
        if (!seen) down(consumer);
      }
    };
    addNode(id);
    up(id);
    down(id);
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  async lint(): Promise<Finding[]> {
    return [...this.state.problems, ...lintModel(this.state.model, this.state.ws)];
  }

  /** The product with the descriptors it was read from (for services that need the contract itself). */
  record(id: string): ProductRecord {
    this.get(id);
    return this.state.model.products.get(id)!;
  }

  /** Every product record, for services that search across products (e.g. by topic). */
  records(): ProductRecord[] {
    return [...this.state.model.products.values()];
  }

  /** Reload now (also used by the watcher). A workspace that became unreadable keeps the last good catalog. */
  async reload(files: string[] = []): Promise<CatalogChange> {
    this.state = await CatalogService.read(this.path);
    const change: CatalogChange = { reason: 'changed', products: this.state.model.products.size, problems: this.state.problems.length, files };
    this.restartWatchers();
    this.listeners.forEach((l) => l(change));
    this.changeListeners.forEach((l) => l(change));
    return change;
  }

  /** Calls `listener` after every reload (for services that derive state from the catalog). */
  onChange(listener: (c: CatalogChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Calls onChange once now and after every reload, until the signal aborts. */
  watch(signal: AbortSignal, onChange: (c: CatalogChange) => void): Promise<void> {
    onChange({ reason: 'initial', products: this.state.model.products.size, problems: this.state.problems.length, files: [] });
    this.listeners.add(onChange);
    if (this.watchers.length === 0) this.restartWatchers();
    return new Promise((done) => {
      signal.addEventListener('abort', () => {
        this.listeners.delete(onChange);
        if (this.listeners.size === 0) this.stopWatchers();
        done();
      }, { once: true });
    });
  }

  close(): void {
    this.listeners.clear();
    this.stopWatchers();
  }

  private restartWatchers(): void {
    this.stopWatchers();
    if (this.listeners.size === 0) return;
    const { ws } = this.state;
    const dirs = new Set([ws.root, ...ws.descriptorFiles.map((d) => dirname(d.file))]);
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => name && this.schedule(resolve(dir, name.toString())));
        w.on('error', () => w.close()); // a folder removed under us: the next reload re-reads what exists
        this.watchers.push(w);
      } catch {
        // An unwatchable folder only loses live reload, never the catalog.
      }
    }
  }

  private stopWatchers(): void {
    this.watchers.forEach((w) => w.close());
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(file: string): void {
    if (!/\.(ya?ml)$/.test(file)) return;
    this.pendingFiles.add(file);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pendingFiles];
      this.pendingFiles.clear();
      this.reload(files).catch((e: unknown) => {
        // Keep serving the last good catalog; tell subscribers why the reload failed.
        const problem = e instanceof ApiError ? e.message : String(e);
        this.listeners.forEach((l) => l({ reason: 'changed', products: this.state.model.products.size, problems: this.state.problems.length + 1, files: [problem] }));
      });
    }, RELOAD_DEBOUNCE_MS);
  }
}
