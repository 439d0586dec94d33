// YAML files read with their line numbers, so every problem can name the file and line.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { ZodError } from 'zod';

export interface YamlSource {
  file: string;
  value: unknown;
  /** The 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<PropertyKey>): number | null;
}

export type YamlReadResult = { ok: true; source: YamlSource } | { ok: false; file: string; line: number | null; message: string };

export async function readYaml(file: string): Promise<YamlReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return { ok: false, file, line: null, message: `Cannot read the file: ${why}` };
  }
  return parseYaml(file, text);
}

export function parseYaml(file: string, text: string): YamlReadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? (first.pos ? lineCounter.linePos(first.pos[0]).line : null);
    // The parser's messages start with a code; keep the human part and add our own pointer.
    const message = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    return { ok: false, file, line, message: `YAML syntax error: ${message}` };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return { ok: true, source: { file, value, lineOf: (path) => lineOfPath(doc, lineCounter, path) } };
}

function lineOfPath(doc: Document, lc: LineCounter, path: ReadonlyArray<PropertyKey>): number | null {
  // Walk up until a node exists (a missing key reports the line of the object that lacks it).
  for (let n = path.length; n >= 0; n--) {
    const keys = path.slice(0, n).map((k) => (typeof k === 'symbol' ? String(k) : k));
    // A map entry points at its key's line: `team:` rather than the first line of its value.
    const parent = n === 0 ? null : n === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === keys[n - 1]);
      if (isNode(pair?.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
    }
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return null;
}

/** Zod issues as "path: message (line N)" entries, one per issue. */
export function describeIssues(source: YamlSource, error: ZodError): Array<{ path: string; message: string; line: number | null }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(document)',
    message: issue.message,
    line: source.lineOf(issue.path),
  }));
}
