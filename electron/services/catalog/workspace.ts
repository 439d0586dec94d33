// The workspace file (dpx.workspace.yaml): which descriptors make up the catalog, and how this
// machine reaches each server the contracts name. Secrets are references, never values.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, basename } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import { SECRET_REF } from '../secrets';
import type { DescriptorCache } from './descriptor-cache';
import { describeIssues, readYaml, type YamlSource } from './yaml-source';
import { codeUnitOrder } from '../code-unit-order';

export const WORKSPACE_FILE = 'dpx.workspace.yaml';

/** A secret is named, not written: `env:VAR`, `file:PATH` or `keychain:NAME`. */
const secretRef = z.string().regex(SECRET_REF, 'must be a reference like env:VAR_NAME, file:path/to/secret or keychain:NAME, never the secret itself');

const kafkaConnection = z.object({
  type: z.literal('kafka'),
  bootstrap: z.union([z.string(), z.array(z.string()).min(1)]),
  clientId: z.string().optional(),
  tls: z
    .object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional(), passphraseRef: secretRef.optional(), rejectUnauthorized: z.boolean().optional() })
    .strict()
    .optional(),
  sasl: z
    .object({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: z.string(), passwordRef: secretRef })
    .strict()
    .optional(),
  schemaRegistry: z.object({ url: z.string(), username: z.string().optional(), passwordRef: secretRef.optional() }).strict().optional(),
}).strict();

/** Recorded stream captures standing in for a broker (offline use, the demo). */
const captureConnection = z.object({ type: z.literal('capture'), path: z.string() }).strict();

const s3Connection = z.object({
  type: z.literal('s3'),
  endpoint: z.string().optional(),
  region: z.string().optional(),
  profile: z.string().optional(),
  forcePathStyle: z.boolean().optional(),
  accessKeyIdRef: secretRef.optional(),
  secretAccessKeyRef: secretRef.optional(),
}).strict();

/** A local folder mirroring a bucket (or holding snapshots directly). */
const localConnection = z.object({ type: z.literal('local'), path: z.string() }).strict();

const httpConnection = z.object({ type: z.literal('http'), baseUrl: z.string().optional(), tokenRef: secretRef.optional() }).strict();

export const connectionSchema = z.discriminatedUnion('type', [kafkaConnection, captureConnection, s3Connection, localConnection, httpConnection]);
export type Connection = z.infer<typeof connectionSchema>;

export const workspaceFileSchema = z.object({
  apiVersion: z.literal('dpx/v1'),
  kind: z.literal('Workspace'),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Files or folders (searched for *.odps.yaml and *.odcs.yaml), relative to the workspace file. */
  descriptors: z.array(z.string().min(1)).min(1),
  /** Keyed by the server name the contracts use (ODCS servers[].server). */
  connections: z.record(z.string(), connectionSchema).default({}),
  /** Where captures recorded in this workspace are written (default: ./captures). */
  captures: z.string().optional(),
}).strict();
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;

export interface DescriptorRef {
  file: string;
  /** The line of the workspace entry that brought this file in. */
  entryLine: number | null;
}

export interface Workspace {
  root: string;
  file: string;
  config: WorkspaceFile;
  descriptorFiles: DescriptorRef[];
  /** Entries naming something that does not exist. */
  missing: Array<{ entry: string; line: number | null }>;
  source: YamlSource;
}

const DESCRIPTOR_SUFFIXES = ['.odps.yaml', '.odps.yml', '.odcs.yaml', '.odcs.yml'];
export const isDescriptorFile = (name: string) => DESCRIPTOR_SUFFIXES.some((s) => name.endsWith(s));

/**
 * Accepts the workspace folder or the file itself. Throws WORKSPACE_UNREADABLE with file and line.
 * With a cache, an unchanged workspace file is not parsed again (see readWorkspaceYaml).
 */
export async function loadWorkspace(pathArg: string, cache: DescriptorCache | null = null): Promise<Workspace> {
  const abs = resolve(pathArg);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new ApiError('WORKSPACE_UNREADABLE', `Workspace not found: ${abs}`, { file: abs });
  const file = info.isDirectory() ? join(abs, WORKSPACE_FILE) : abs;
  const source = await readWorkspaceYaml(file, cache);
  const secret = findLiteralSecret(source.value, []);
  if (secret) {
    const line = source.lineOf(secret);
    const key = String(secret.at(-1));
    throw new ApiError('WORKSPACE_UNREADABLE', `${file}${line ? `:${line}` : ''}: ${secret.join('.')}: secrets must not be written in workspace files; name it instead, e.g. ${key}Ref: env:MY_${key.toUpperCase()}`, { file, line });
  }
  const interpolated = interpolateConnections(source.value);
  const parsed = workspaceFileSchema.safeParse(interpolated);
  if (!parsed.success) {
    const first = describeIssues(source, parsed.error)[0]!;
    throw new ApiError('WORKSPACE_UNREADABLE', `${file}${first.line ? `:${first.line}` : ''}: ${first.path}: ${first.message}`, { file, line: first.line });
  }
  const root = dirname(file);
  const descriptorFiles: DescriptorRef[] = [];
  const missing: Workspace['missing'] = [];
  const seen = new Set<string>();
  for (const [i, entry] of parsed.data.descriptors.entries()) {
    const line = source.lineOf(['descriptors', i]);
    const target = resolve(root, entry);
    const st = await stat(target).catch(() => null);
    if (!st) {
      missing.push({ entry, line });
      continue;
    }
    const files = st.isDirectory() ? await findDescriptors(target) : [target];
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      descriptorFiles.push({ file: f, entryLine: line });
    }
  }
  return { root, file, config: parsed.data, descriptorFiles, missing, source };
}

/**
 * The workspace file's YAML, from the descriptor cache when it has not changed (parsing it is
 * ~20 ms of cold code at every start). Only a file without literal secrets is kept; the checks
 * and the environment's values apply on every run.
 */
async function readWorkspaceYaml(file: string, cache: DescriptorCache | null): Promise<YamlSource> {
  const kept = cache ? await cache.get(file, ['workspace']) : null;
  if (kept?.hit) return kept.hit.source;
  const read = await readYaml(file);
  if (!read.ok) throw new ApiError('WORKSPACE_UNREADABLE', `${file}${read.line ? `:${read.line}` : ''}: ${read.message}`, { file, line: read.line });
  if (cache && kept?.stamp && !findLiteralSecret(read.source.value, [])) await cache.put(file, kept.stamp, 'workspace', null, read.source);
  return read.source;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * `${VAR}` and `${VAR:-default}` in connection settings take the environment's value, so one
 * workspace file serves machines whose brokers differ (e.g. examples/local and CI).
 */
function interpolateConnections(value: unknown): unknown {
  if (!value || typeof value !== 'object' || !('connections' in value)) return value;
  const expand = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(VARIABLE, (_m, name: string, fallback?: string) => process.env[name] ?? fallback ?? '')
      : Array.isArray(v)
        ? v.map(expand)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]))
          : v;
  return { ...value, connections: expand((value as { connections: unknown }).connections) };
}

const SECRET_KEYS = /^(password|passphrase|secret|secretAccessKey|token|apiKey|privateKey)$/i;

/** The path of the first key that holds a secret value in plain text, if any. */
function findLiteralSecret(value: unknown, path: Array<string | number>): Array<string | number> | null {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findLiteralSecret(v, [...path, i]);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.test(k) && v !== null && v !== undefined) return [...path, k];
      const hit = findLiteralSecret(v, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}

async function findDescriptors(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => codeUnitOrder(a.name, b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) out.push(...(await findDescriptors(p)));
    else if (e.isFile() && isDescriptorFile(basename(p))) out.push(p);
  }
  return out;
}

/** Where a connection points, safe to show (no secret values exist in the config to leak). */
export function describeConnection(root: string, c: Connection): string {
  switch (c.type) {
    case 'kafka':
      return `kafka://${[c.bootstrap].flat().join(',')}${c.sasl ? ` (SASL ${c.sasl.mechanism.toUpperCase()} as ${c.sasl.username})` : ''}${c.tls ? ' TLS' : ''}`;
    case 'capture':
      return `captures in ${resolve(root, c.path)}`;
    case 's3':
      return `s3 ${c.endpoint ?? 'AWS'}${c.region ? ` (${c.region})` : ''}`;
    case 'local':
      return `folder ${resolve(root, c.path)}`;
    case 'http':
      return c.baseUrl ?? 'http (as declared)';
  }
}
