// Reads every descriptor a workspace lists: ODPS products and ODCS contracts. A file that is
// broken (YAML, schema) becomes findings with file and line; the others still load.
import { basename } from 'node:path';
import type { z } from 'zod';
import type { Finding } from '../../../shared/model/lint';
import { odcsDocumentSchema, type OdcsDocument } from './standards/odcs';
import { odpsDocumentSchema, type OdpsDocument } from './standards/odps';
import type { Workspace } from './workspace';
import type { DescriptorCache } from './descriptor-cache';
import { describeIssues, readYaml, type YamlSource } from './yaml-source';

export interface LoadedProduct {
  doc: OdpsDocument;
  source: YamlSource;
}
export interface LoadedContract {
  doc: OdcsDocument;
  source: YamlSource;
}
export interface LoadedDescriptors {
  products: LoadedProduct[];
  contracts: LoadedContract[];
  findings: Finding[];
}

/** Issues listed per invalid file; the rest are counted, so one bad file cannot flood the panel. */
const MAX_ISSUES_PER_FILE = 10;

const DESCRIPTOR_KINDS = ['product', 'contract'] as const;
export type DescriptorKind = (typeof DESCRIPTOR_KINDS)[number];

function kindOf(value: unknown, file: string): DescriptorKind | null {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'DataProduct') return 'product';
  if (kind === 'DataContract') return 'contract';
  if (/\.odps\.ya?ml$/.test(file)) return 'product';
  if (/\.odcs\.ya?ml$/.test(file)) return 'contract';
  return null;
}

function schemaFindings(source: YamlSource, error: z.ZodError, standard: string): Finding[] {
  const product = idOf(source.value) ?? basename(source.file);
  const issues = describeIssues(source, error);
  const findings: Finding[] = issues.slice(0, MAX_ISSUES_PER_FILE).map((i) => ({
    product,
    rule: 'descriptor-invalid',
    severity: 'error',
    message: `${i.path}: ${i.message} (${standard})`,
    file: source.file,
    line: i.line,
  }));
  if (issues.length > MAX_ISSUES_PER_FILE) {
    findings.push({ product, rule: 'descriptor-invalid', severity: 'error', message: `${issues.length - MAX_ISSUES_PER_FILE} more schema problem(s) in this file`, file: source.file, line: null });
  }
  return findings;
}

function idOf(value: unknown): string | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Reads and checks every descriptor of the workspace. With a cache, files that have not changed
 * since a run of this build read them are taken from it, and valid ones read now are kept there.
 */
export async function loadDescriptors(ws: Workspace, cache: DescriptorCache | null = null): Promise<LoadedDescriptors> {
  const out: LoadedDescriptors = { products: [], contracts: [], findings: [] };
  for (const m of ws.missing) {
    out.findings.push({ product: basename(ws.file), rule: 'descriptor-missing', severity: 'error', message: `Descriptor path "${m.entry}" does not exist`, file: ws.file, line: m.line });
  }
  const reads = await Promise.all(
    ws.descriptorFiles.map(async (d) => {
      const kept = cache ? await cache.get(d.file, DESCRIPTOR_KINDS) : { hit: null, stamp: null };
      return { kept, read: kept.hit ? null : await readYaml(d.file) };
    }),
  );
  const keeping: Array<Promise<void>> = [];
  // Both kinds are checked and filed the same way, whether just read or taken from the cache.
  const add = (kind: DescriptorKind, doc: unknown, source: YamlSource) => {
    if (kind === 'product') out.products.push({ doc: doc as OdpsDocument, source });
    else out.contracts.push({ doc: doc as OdcsDocument, source });
  };
  for (const { kept, read } of reads) {
    if (kept.hit) {
      add(kept.hit.kind, kept.hit.doc, kept.hit.source);
      continue;
    }
    if (!read!.ok) {
      out.findings.push({ product: basename(read!.file), rule: 'yaml-syntax', severity: 'error', message: read!.message, file: read!.file, line: read!.line });
      continue;
    }
    const { source } = read!;
    const kind = kindOf(source.value, source.file);
    if (kind === null) {
      out.findings.push({ product: basename(source.file), rule: 'descriptor-invalid', severity: 'error', message: 'Not a descriptor: expected kind DataProduct (ODPS) or DataContract (ODCS)', file: source.file, line: source.lineOf(['kind']) });
      continue;
    }
    const parsed = kind === 'product' ? odpsDocumentSchema.safeParse(source.value) : odcsDocumentSchema.safeParse(source.value);
    if (!parsed.success) {
      out.findings.push(...schemaFindings(source, parsed.error, kind === 'product' ? 'ODPS' : 'ODCS'));
      continue;
    }
    add(kind, parsed.data, source);
    if (cache && kept.stamp) keeping.push(cache.put(source.file, kept.stamp, kind, parsed.data, source));
  }
  await Promise.all(keeping);
  dropDuplicates(out.products, 'product', out.findings);
  dropDuplicates(out.contracts, 'contract', out.findings);
  return out;
}

/** Keeps the first of each id (files are read in workspace order) and reports the others. */
function dropDuplicates<T extends { doc: { id: string }; source: YamlSource }>(items: T[], what: string, findings: Finding[]): void {
  const first = new Map<string, T>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const earlier = first.get(item.doc.id);
    if (!earlier) {
      first.set(item.doc.id, item);
      continue;
    }
    findings.push({
      product: item.doc.id,
      rule: 'duplicate-id',
      severity: 'error',
      message: `Duplicate ${what} id "${item.doc.id}": already defined in ${earlier.source.file}:${earlier.source.lineOf(['id']) ?? 1}; this one is ignored`,
      file: item.source.file,
      line: item.source.lineOf(['id']),
    });
    items.splice(i--, 1);
  }
}
