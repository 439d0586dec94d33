// Turns ODPS products + ODCS contracts + the workspace into the explorer's Product model.
// Nothing here judges the descriptors (lint.ts does); it reads what they say as faithfully as it can.
import {
  TIER_PROMISE,
  alignmentSchema,
  tierSchema,
  type Alignment,
  type Mode,
  type Port,
  type Product,
  type QualityRule,
  type SchemaField,
  type SchemaObject,
  type SlaEntry,
  type StreamRelation,
  type Tier,
} from '../../../shared/model/product';
import { CUSTOM, DEFAULT_SNAPSHOT_LAYOUT, customValue } from './custom-properties';
import type { LoadedContract, LoadedDescriptors, LoadedProduct } from './descriptors';
import { odcsTeamMembers, type OdcsDataQuality, type OdcsSchemaElementProperty, type OdcsServer } from './standards/odcs';
import { odpsTeamMembers, type OdpsOutputPort } from './standards/odps';
import type { Workspace } from './workspace';
import { describeConnection } from './workspace';

export interface OutputPortRecord {
  port: OdpsOutputPort;
  index: number;
  contract: LoadedContract | null;
}

export interface ProductRecord {
  product: Product;
  loaded: LoadedProduct;
  outputs: OutputPortRecord[];
}

export interface CatalogModel {
  products: Map<string, ProductRecord>;
  contracts: Map<string, LoadedContract>;
  /** contract id -> id of the product whose output port provides it */
  providers: Map<string, string>;
}

const MODE_ORDER: Mode[] = ['stream', 'batch', 'rest'];
const STREAM_SERVERS = new Set(['kafka', 'kinesis', 'pubsub']);

export function modeOfServer(type: string): Mode {
  if (STREAM_SERVERS.has(type)) return 'stream';
  if (type === 'api') return 'rest';
  return 'batch';
}

/** ODPS v1.1 `type` values (architectural alignment) mapped onto ours. */
const ODPS_TYPE_ALIGNMENT: Record<string, Alignment> = {
  sourceAligned: 'source',
  source: 'source',
  aggregate: 'aggregate',
  aggregateAligned: 'aggregate',
  consumerAligned: 'consumer',
  consumer: 'consumer',
};

export function alignmentOf(p: LoadedProduct): Alignment | undefined {
  const fromType = p.doc.type ? ODPS_TYPE_ALIGNMENT[p.doc.type] : undefined;
  if (fromType) return fromType;
  const parsed = alignmentSchema.safeParse(customValue(p.doc.customProperties, CUSTOM.alignment));
  return parsed.success ? parsed.data : undefined;
}

export function tierOf(p: LoadedProduct): Tier | undefined {
  const parsed = tierSchema.safeParse(customValue(p.doc.customProperties, CUSTOM.qualityTier));
  return parsed.success ? parsed.data : undefined;
}

/** The owner as the product names it: the team's name, else its member with the owner role. */
export function productOwner(p: LoadedProduct): string | null {
  const team = p.doc.team;
  if (team && !Array.isArray(team) && team.name) return team.name;
  const owner = odpsTeamMembers(p.doc).find((m) => /owner/i.test(m.role ?? ''));
  return owner?.username ?? owner?.name ?? null;
}

export function contractOwner(c: LoadedContract): string | null {
  const team = c.doc.team;
  if (team && !Array.isArray(team) && team.name) return team.name;
  const owner = odcsTeamMembers(c.doc).find((m) => /owner/i.test(m.role ?? ''));
  return owner?.username ?? owner?.name ?? null;
}

export function qualitySummary(q: OdcsDataQuality): string {
  const ops: Array<[keyof OdcsDataQuality, string]> = [
    ['mustBe', '='],
    ['mustNotBe', '≠'],
    ['mustBeGreaterThan', '>'],
    ['mustBeGreaterOrEqualTo', '≥'],
    ['mustBeLessThan', '<'],
    ['mustBeLessOrEqualTo', '≤'],
    ['mustBeBetween', 'between'],
    ['mustNotBeBetween', 'not between'],
  ];
  const op = ops.find(([k]) => q[k] !== undefined);
  const bound = op ? ` ${op[1]} ${JSON.stringify(q[op[0]])}` : '';
  const type = q.type ?? 'library';
  if (type === 'text') return q.description ?? q.name ?? 'text rule';
  if (type === 'sql') return `sql: ${(q.query ?? '').replace(/\s+/g, ' ').trim()}${bound}`;
  if (type === 'custom') return `${q.engine ?? 'custom'}: ${q.name ?? q.description ?? 'custom rule'}`;
  const metric = q.metric ?? q.rule ?? 'rule';
  const args = q.arguments ? ` ${JSON.stringify(q.arguments)}` : '';
  return `${metric}${args}${bound}${q.unit ? ` (${q.unit})` : ''}`;
}

function toRule(q: OdcsDataQuality, field?: string): QualityRule {
  return {
    ...(field ? { field } : {}),
    type: q.type ?? 'library',
    summary: qualitySummary(q),
    ...(q.description ? { description: q.description } : {}),
    ...(q.dimension ? { dimension: q.dimension } : {}),
    ...(q.severity ? { severity: q.severity } : {}),
  };
}

function toField(p: OdcsSchemaElementProperty, name: string, parent: string): SchemaField {
  const path = parent ? `${parent}.${name}` : name;
  const children: SchemaField[] = [];
  for (const child of p.properties ?? []) children.push(toField(child, child.name, path));
  if (p.items) children.push(toField(p.items, p.items.name ?? '[]', path));
  return {
    name,
    path,
    ...(p.logicalType ? { logicalType: p.logicalType } : {}),
    ...(p.physicalType ? { physicalType: p.physicalType } : {}),
    ...(p.description ? { description: p.description } : {}),
    required: p.required ?? false,
    unique: p.unique ?? false,
    primaryKey: p.primaryKey ?? false,
    ...(p.classification ? { classification: p.classification } : {}),
    ...(p.examples ? { examples: p.examples } : {}),
    quality: (p.quality ?? []).map((q) => toRule(q, path)),
    children,
  };
}

export function schemaOf(c: LoadedContract): SchemaObject[] {
  return (c.doc.schema ?? []).map((o) => ({
    name: o.name,
    ...(o.physicalName ? { physicalName: o.physicalName } : {}),
    ...(o.description ? { description: o.description } : {}),
    fields: (o.properties ?? []).map((p) => toField(p, p.name, '')),
    quality: (o.quality ?? []).map((q) => toRule(q)),
  }));
}

/** Every quality rule of a contract, at object and field level. */
export function allQualityRules(c: LoadedContract): OdcsDataQuality[] {
  const rules: OdcsDataQuality[] = [];
  const walk = (p: OdcsSchemaElementProperty) => {
    rules.push(...(p.quality ?? []));
    p.properties?.forEach(walk);
    if (p.items) walk(p.items);
  };
  for (const o of c.doc.schema ?? []) {
    rules.push(...(o.quality ?? []));
    o.properties?.forEach(walk);
  }
  return rules;
}

export function relationOf(c: LoadedContract): StreamRelation | undefined {
  const props = c.doc.customProperties;
  const kind = customValue(props, CUSTOM.streamRelation);
  if (kind !== 'fact' && kind !== 'state' && kind !== 'aggregate') return undefined;
  const keyField = customValue(props, CUSTOM.keyField) ?? primaryKeyOf(c) ?? undefined;
  const eventTimeField = customValue(props, CUSTOM.eventTimeField) ?? undefined;
  const aggregateOf = customValue(props, CUSTOM.aggregateOf) ?? undefined;
  const aggregateSql = customValue(props, CUSTOM.aggregateSql) ?? undefined;
  return { kind, ...(keyField ? { keyField } : {}), ...(eventTimeField ? { eventTimeField } : {}), ...(aggregateOf ? { aggregateOf } : {}), ...(aggregateSql ? { aggregateSql } : {}) };
}

function primaryKeyOf(c: LoadedContract): string | null {
  for (const o of c.doc.schema ?? []) {
    const pk = o.properties?.find((p) => p.primaryKey);
    if (pk) return pk.name;
  }
  return null;
}

/** The topic a kafka server carries for this contract. */
export function topicOf(server: OdcsServer, c: LoadedContract): string | undefined {
  const explicit = customValue(server.customProperties, CUSTOM.topic);
  if (explicit) return explicit;
  const objects = c.doc.schema ?? [];
  const topicObject = objects.find((o) => o.physicalType === 'topic') ?? objects[0];
  return topicObject?.physicalName ?? topicObject?.name;
}

function portOf(server: OdcsServer, index: number, c: LoadedContract, ws: Workspace): Port {
  const mode = modeOfServer(server.type);
  const s = server as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const connection = ws.config.connections[server.server];
  const base = {
    name: server.server,
    mode,
    contractId: c.doc.id,
    server: server.server,
    serverType: server.type,
    ...(str('format') ? { format: str('format') } : {}),
    ...(connection ? { via: describeConnection(ws.root, connection) } : {}),
    ...(contractOwner(c) ? { owner: contractOwner(c)! } : {}),
    source: { file: c.source.file, line: c.source.lineOf(['servers', index]) ?? undefined },
  };
  if (mode === 'stream') {
    const topic = topicOf(server, c);
    const host = str('host') ?? str('stream') ?? str('project') ?? server.type;
    return { ...base, address: `${server.type}://${host}${topic ? `/${topic}` : ''}`, ...(topic ? { topic } : {}) };
  }
  if (mode === 'rest') {
    const url = str('location') ?? '';
    return { ...base, address: url, url };
  }
  const location = str('location') ?? str('path') ?? str('database') ?? server.type;
  const layout = customValue(server.customProperties, CUSTOM.snapshotLayout) ?? (str('location') || str('path') ? DEFAULT_SNAPSHOT_LAYOUT : undefined);
  return { ...base, address: location, location, ...(layout ? { layout } : {}) };
}

function slaOf(c: LoadedContract): SlaEntry[] {
  return (c.doc.slaProperties ?? []).map((s) => ({
    property: s.property,
    value: s.value === null ? 'null' : s.value,
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.element ? { element: s.element } : {}),
  }));
}

export function buildModel(loaded: LoadedDescriptors, ws: Workspace): CatalogModel {
  const contracts = new Map(loaded.contracts.map((c) => [c.doc.id, c]));
  const providers = new Map<string, string>();
  for (const p of loaded.products) {
    for (const port of p.doc.outputPorts ?? []) if (port.contractId && !providers.has(port.contractId)) providers.set(port.contractId, p.doc.id);
  }
  const products = new Map<string, ProductRecord>();
  for (const lp of loaded.products) {
    const doc = lp.doc;
    const outputs: OutputPortRecord[] = (doc.outputPorts ?? []).map((port, index) => ({ port, index, contract: port.contractId ? (contracts.get(port.contractId) ?? null) : null }));
    const usedContracts = unique(outputs.map((o) => o.contract).filter((c): c is LoadedContract => c !== null));
    const ports = outputs.flatMap((o) => (o.contract?.doc.servers ?? []).map((s, i) => portOf(s, i, o.contract!, ws)));
    const members = odpsTeamMembers(doc);
    const ownerMember = members.find((m) => /owner/i.test(m.role ?? ''));
    const tier = tierOf(lp);
    const alignment = alignmentOf(lp);
    const relation = usedContracts.map(relationOf).find((r) => r !== undefined);
    const product: Product = {
      id: doc.id,
      name: doc.name ?? doc.id,
      domain: doc.domain ?? '',
      description: doc.description?.purpose ?? '',
      ...(doc.description?.purpose ? { purpose: doc.description.purpose } : {}),
      ...(doc.description?.usage ? { usage: doc.description.usage } : {}),
      ...(doc.description?.limitations ? { limitations: doc.description.limitations } : {}),
      tags: doc.tags ?? [],
      owner: {
        name: productOwner(lp) ?? 'unknown',
        ...(ownerMember?.username?.includes('@') ? { email: ownerMember.username } : {}),
        members: members.map((m) => ({ name: m.name ?? m.username ?? '?', ...(m.role ? { role: m.role } : {}) })),
        support: (doc.support ?? []).map((s) => ({ channel: s.channel, url: s.url })),
      },
      sla: usedContracts.flatMap(slaOf),
      ...(alignment ? { alignment } : {}),
      ...(tier ? { tier } : {}),
      tierPromise: tier ? TIER_PROMISE[tier] : null,
      ...(doc.version ? { version: doc.version } : {}),
      status: doc.status ?? 'unknown',
      modes: MODE_ORDER.filter((m) => ports.some((p) => p.mode === m)),
      ports,
      schema: usedContracts.flatMap(schemaOf),
      ...(relation ? { relation } : {}),
      inputs: (doc.inputPorts ?? []).map((ip) => {
        const productId = ip.contractId ? providers.get(ip.contractId) : undefined;
        return { name: ip.name, ...(ip.contractId ? { contractId: ip.contractId } : {}), ...(productId ? { productId } : {}) };
      }),
      consumers: [],
      source: { file: lp.source.file, line: lp.source.lineOf(['id']) ?? undefined },
      contractSources: usedContracts.map((c) => ({ file: c.source.file, line: 1 })),
    };
    products.set(doc.id, { product, loaded: lp, outputs });
  }
  for (const { product } of products.values()) {
    for (const input of product.inputs) {
      const provider = input.productId ? products.get(input.productId) : undefined;
      if (provider && !provider.product.consumers.includes(product.id)) provider.product.consumers.push(product.id);
    }
  }
  return { products, contracts, providers };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
