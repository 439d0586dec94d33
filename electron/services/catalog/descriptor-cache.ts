// Descriptors (and the workspace file) as they were read last time, kept between runs. Every `dpx` command starts afresh,
// and reading the YAML and checking it against ODPS/ODCS is cold code each time: ~200 ms for the
// demo's eight files, before anything else can start. A cached entry is used only for the same
// file (path, size, inode, modification and change times) read by the same build of the app;
// anything else is read again and the entry replaced. Only valid descriptors are kept: the
// findings of a broken one need the parser and the schema check anyway.
//
// The entry holds the checked document, the raw value and the line of every node, so findings
// and port sources still name file and line. Nothing secret is in it: workspace files name
// secrets (env:, file:) and descriptors hold none.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDataDir } from '../app-data';
import type { DescriptorKind } from './descriptors';
import { linesSource, type ParsedYamlSource, type YamlSource } from './yaml-source';

/** Bump when what an entry holds changes shape. */
const FORMAT = 1;

/** A descriptor, or the workspace file itself (its value only: it is checked on every run, see loadWorkspace). */
export type CachedKind = DescriptorKind | 'workspace';

export interface CachedDescriptor<K extends CachedKind = CachedKind> {
  kind: K;
  /** The document as the schema check gave it. */
  doc: unknown;
  source: YamlSource;
}

interface Entry {
  format: number;
  build: string;
  file: string;
  stamp: string;
  kind: CachedKind;
  doc: unknown;
  value: unknown;
  lines: Record<string, number>;
}

export class DescriptorCache {
  constructor(
    private readonly dir: string,
    /** What identifies the code that checked the documents: a new build reads every file again. */
    private readonly build: string,
  ) {}

  /**
   * The cache of this build of the app, or null when running from the TypeScript sources
   * (tests, development): a change to the schemas there would not change any build stamp.
   */
  static async forThisBuild(): Promise<DescriptorCache | null> {
    const code = fileURLToPath(import.meta.url);
    if (code.endsWith('.ts')) return null;
    const st = await stat(code).catch(() => null);
    return st ? new DescriptorCache(join(appDataDir(), 'descriptor-cache'), `${code}:${st.size}:${st.mtimeMs}`) : null;
  }

  /** What was kept for this file as it is now, if it is of one of these kinds, or null. */
  async get<K extends CachedKind>(file: string, kinds: readonly K[]): Promise<{ hit: CachedDescriptor<K> | null; stamp: string | null }> {
    const stamp = await stampOf(file);
    if (!stamp) return { hit: null, stamp };
    const text = await readFile(this.pathOf(file), 'utf8').catch(() => null);
    if (text === null) return { hit: null, stamp };
    let e: Entry;
    try {
      e = JSON.parse(text) as Entry;
    } catch {
      return { hit: null, stamp };
    }
    if (e.format !== FORMAT || e.build !== this.build || e.file !== file || e.stamp !== stamp) return { hit: null, stamp };
    if (!(kinds as readonly CachedKind[]).includes(e.kind)) return { hit: null, stamp };
    return { hit: { kind: e.kind as K, doc: e.doc, source: linesSource(file, e.value, e.lines) }, stamp };
  }

  /** Keeps a valid descriptor read from the file as it was at `stamp`. Best effort: a cache that cannot be written is skipped. */
  async put(file: string, stamp: string, kind: CachedKind, doc: unknown, source: ParsedYamlSource): Promise<void> {
    const entry: Entry = { format: FORMAT, build: this.build, file, stamp, kind, doc, value: source.value, lines: source.lines() };
    const target = this.pathOf(file);
    const temp = `${target}.${process.pid}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
      await rename(temp, target);
    } catch {
      // e.g. a read-only home: the next run reads the file again
    }
  }

  private pathOf(file: string): string {
    return join(this.dir, `${createHash('sha256').update(file).digest('hex').slice(0, 32)}.json`);
  }
}

/** Changes whenever the file's content may have: size, inode, modification and change times. */
async function stampOf(file: string): Promise<string | null> {
  const st = await stat(file).catch(() => null);
  return st ? `${st.size}:${st.ino}:${st.mtimeMs}:${st.ctimeMs}` : null;
}
