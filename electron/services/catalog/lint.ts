// Lint: the promises a product makes that its descriptors (or the workspace) cannot keep.
// Each rule has a stable id (documented in the README) and points at a file and line.
import { TIER_RANK, tierSchema, alignmentSchema, type Tier } from '../../../shared/model/product';
import type { Finding, Severity } from '../../../shared/model/lint';
import { CUSTOM, customIndex, customValue } from './custom-properties';
import type { LoadedContract } from './descriptors';
import { allQualityRules, contractOwner, productOwner, relationOf, tierOf, type CatalogModel, type ProductRecord } from './model';
import type { Workspace } from './workspace';

export const LINT_RULES = {
  'yaml-syntax': 'A descriptor is not valid YAML.',
  'descriptor-invalid': 'A descriptor breaks the ODPS or ODCS standard (wrong or missing field).',
  'descriptor-missing': 'The workspace lists a descriptor path that does not exist.',
  'duplicate-id': 'Two descriptors declare the same product or contract id.',
  'contract-missing': 'An output port names a contract the workspace does not have.',
  'owner-mismatch': 'A port\'s contract names a different owner than its product (one owner across modes).',
  'tier-without-checks': 'A silver or gold product declares no quality rules.',
  'tier-above-input': 'A product claims a higher tier than one of its inputs without executable checks of its own.',
  'unknown-server': 'A contract server is not defined in the workspace\'s connections.',
  'relation-incomplete': 'A fact or state product declares no key field or no event-time field.',
  'aggregate-source-missing': 'An aggregate product names no source product, or one that does not exist.',
  'input-missing': 'An input port names a contract that no product in the workspace provides.',
  'invalid-custom-property': 'A custom property the explorer reads has a value it does not know.',
} as const;
export type LintRule = keyof typeof LINT_RULES;

type Emit = (rule: LintRule, severity: Severity, message: string, file: string, line: number | null) => void;

export function lintModel(model: CatalogModel, ws: Workspace): Finding[] {
  const findings: Finding[] = [];
  for (const record of model.products.values()) {
    const emit: Emit = (rule, severity, message, file, line) => findings.push({ product: record.product.id, rule, severity, message, file, line });
    checkCustomProperties(record, emit);
    checkContracts(record, emit);
    checkOwners(record, emit);
    checkServers(record, ws, emit);
    checkTier(record, model, emit);
    checkRelation(record, model, emit);
    checkInputs(record, emit);
  }
  return findings;
}

function contractsOf(r: ProductRecord): LoadedContract[] {
  return [...new Set(r.outputs.map((o) => o.contract).filter((c): c is LoadedContract => c !== null))];
}

function checkCustomProperties(r: ProductRecord, emit: Emit) {
  const { doc, source } = r.loaded;
  const checks: Array<[string, { safeParse(v: unknown): { success: boolean } }, string]> = [
    [CUSTOM.qualityTier, tierSchema, 'bronze, silver or gold'],
    [CUSTOM.alignment, alignmentSchema, 'source, aggregate or consumer'],
  ];
  for (const [name, schema, expected] of checks) {
    const value = customValue(doc.customProperties, name);
    if (value !== null && !schema.safeParse(value).success) {
      emit('invalid-custom-property', 'error', `customProperties ${name} is "${value}"; expected ${expected}`, source.file, source.lineOf(['customProperties', customIndex(doc.customProperties, name), 'value']));
    }
  }
}

function checkContracts(r: ProductRecord, emit: Emit) {
  const { source } = r.loaded;
  for (const o of r.outputs) {
    if (o.port.contractId && !o.contract) {
      emit('contract-missing', 'error', `Output port "${o.port.name}" names contract "${o.port.contractId}", which is not in the workspace`, source.file, source.lineOf(['outputPorts', o.index, 'contractId']));
    }
  }
}

const norm = (s: string) => s.trim().toLowerCase();

function checkOwners(r: ProductRecord, emit: Emit) {
  const owner = productOwner(r.loaded);
  for (const c of contractsOf(r)) {
    const cOwner = contractOwner(c);
    if (owner && cOwner && norm(owner) !== norm(cOwner)) {
      const ports = (c.doc.servers ?? []).map((s) => s.server).join(', ') || c.doc.id;
      emit('owner-mismatch', 'error', `Product is owned by "${owner}" but its contract "${c.doc.id}" (ports ${ports}) names "${cOwner}": one owner must answer for every mode`, c.source.file, c.source.lineOf(['team']));
    }
  }
}

function checkServers(r: ProductRecord, ws: Workspace, emit: Emit) {
  for (const c of contractsOf(r)) {
    (c.doc.servers ?? []).forEach((s, i) => {
      if (!ws.config.connections[s.server]) {
        const known = Object.keys(ws.config.connections);
        emit('unknown-server', 'error', `Server "${s.server}" (${s.type}) is not defined in the workspace's connections${known.length ? ` (defined: ${known.join(', ')})` : ''}`, c.source.file, c.source.lineOf(['servers', i, 'server']));
      }
    });
  }
}

const EXECUTABLE = new Set(['library', 'sql', 'custom']);
function ruleCounts(r: ProductRecord): { all: number; executable: number } {
  const rules = contractsOf(r).flatMap(allQualityRules);
  return { all: rules.length, executable: rules.filter((q) => EXECUTABLE.has(q.type ?? 'library')).length };
}

function checkTier(r: ProductRecord, model: CatalogModel, emit: Emit) {
  const tier = tierOf(r.loaded);
  if (!tier) return;
  const { source, doc } = r.loaded;
  const tierLine = source.lineOf(['customProperties', customIndex(doc.customProperties, CUSTOM.qualityTier)]);
  const counts = ruleCounts(r);
  if (tier !== 'bronze' && counts.all === 0) {
    emit('tier-without-checks', 'error', `Product claims ${tier} (≥ ${tier === 'gold' ? '99.9999' : '99.99'} % of records pass) but its contracts declare no quality rules to measure it`, source.file, tierLine);
  }
  if (counts.executable > 0) return;
  for (const input of r.product.inputs) {
    const provider = input.productId ? model.products.get(input.productId) : undefined;
    const inputTier: Tier | undefined = provider ? tierOf(provider.loaded) : undefined;
    if (inputTier && TIER_RANK[tier] > TIER_RANK[inputTier]) {
      emit('tier-above-input', 'warning', `Product claims ${tier} but its input ${provider!.product.id} is ${inputTier}, and it declares no executable checks of its own (library, sql or custom rules)`, source.file, tierLine);
    }
  }
}

function checkRelation(r: ProductRecord, model: CatalogModel, emit: Emit) {
  for (const c of contractsOf(r)) {
    const relation = relationOf(c);
    if (!relation) continue;
    const line = c.source.lineOf(['customProperties', customIndex(c.doc.customProperties, CUSTOM.streamRelation)]);
    if (relation.kind === 'fact' || relation.kind === 'state') {
      const missing = [!relation.keyField && 'key field (customProperties keyField or a primaryKey property)', !relation.eventTimeField && 'event-time field (customProperties eventTimeField)'].filter(Boolean);
      if (missing.length) emit('relation-incomplete', 'error', `A ${relation.kind} stream needs a ${missing.join(' and a ')} to relate it to daily snapshots`, c.source.file, line);
      else {
        const fields = new Set((c.doc.schema ?? []).flatMap((o) => (o.properties ?? []).map((p) => p.name)));
        for (const f of [relation.keyField!, relation.eventTimeField!]) {
          if (fields.size && !fields.has(f)) emit('relation-incomplete', 'error', `Field "${f}" named by the stream relation is not in the contract's schema`, c.source.file, line);
        }
      }
    } else if (!relation.aggregateOf || !model.products.has(relation.aggregateOf)) {
      emit('aggregate-source-missing', 'error', relation.aggregateOf ? `Aggregate of "${relation.aggregateOf}", which is not a product in the workspace` : 'An aggregate product must name the product it aggregates (customProperties aggregateOf)', c.source.file, line);
    }
  }
}

function checkInputs(r: ProductRecord, emit: Emit) {
  const { source } = r.loaded;
  r.product.inputs.forEach((input, i) => {
    if (!input.productId) {
      emit('input-missing', 'error', input.contractId ? `Input "${input.name}" needs contract "${input.contractId}", which no product in the workspace provides` : `Input "${input.name}" names no contract, so its product cannot be found`, source.file, source.lineOf(['inputPorts', i, input.contractId ? 'contractId' : 'name']));
    }
  });
}
