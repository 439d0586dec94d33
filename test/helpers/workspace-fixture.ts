// Builds throwaway workspaces for tests: a copy of the demo's descriptors with edits applied
// through the YAML document model (so line numbers stay real), in a temp folder.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';

export const DEMO = resolve(import.meta.dirname, '../../examples/demo');

export interface Fixture {
  dir: string;
  /** Edit a descriptor (path relative to the workspace) through its YAML document. */
  edit(file: string, change: (doc: Document) => void): Promise<void>;
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function demoFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'dpx-ws-'));
  for (const part of ['dpx.workspace.yaml', 'products', 'contracts']) await cp(join(DEMO, part), join(dir, part), { recursive: true });
  return {
    dir,
    async edit(file, change) {
      const path = join(dir, file);
      const doc = parseDocument(await readFile(path, 'utf8'));
      change(doc);
      await writeFile(path, doc.toString());
    },
    write: (file, text) => writeFile(join(dir, file), text),
    remove: (file) => rm(join(dir, file), { force: true }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
