// YAML files read with their line numbers, so every problem can name the file and line.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import type { ZodError } from 'zod';

export interface YamlSource {
  file: string;
  value: unknown;
  /** The 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<PropertyKey>): number | null;
}

/** A source read from YAML text, which can also list the line of every node (see lines()). */
export type ParsedYamlSource = YamlSource & {
  /** The line of every node by its path (JSON of the keys), as lineOf finds them: for the descriptor cache. */
  lines(): Record<string, number>;
};

export type YamlReadResult = { ok: true; source: ParsedYamlSource } | { ok: false; file: string; line: number | null; message: string };

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
  return { ok: true, source: { file, value, lineOf: (path) => lineOfPath(doc, lineCounter, path), lines: () => lineTable(doc, lineCounter) } };
}

/** A source from a value and its line table (see lines()), without the text: lineOf answers as the parsed one did. */
export function linesSource(file: string, value: unknown, lines: Record<string, number>): YamlSource {
  return {
    file,
    value,
    lineOf: (path) => {
      for (let n = path.length; n >= 0; n--) {
        const line = lines[pathKey(path.slice(0, n))];
        if (line !== undefined) return line;
      }
      return null;
    },
  };
}

const pathKey = (path: ReadonlyArray<PropertyKey>) => JSON.stringify(path.map((k) => (typeof k === 'symbol' ? String(k) : k)));

/**
 * What lineOfPath gives for every path that exists: a map entry's key line (its value's when the
 * key has none), a sequence item's own line, the document's first line for the empty path.
 */
function lineTable(doc: Document, lc: LineCounter): Record<string, number> {
  const out: Record<string, number> = {};
  const lineOfNode = (n: unknown) => (isNode(n) && n.range ? lc.linePos(n.range[0]).line : undefined);
  const walk = (node: unknown, path: Array<string | number>) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const at = [...path, key];
        const line = lineOfNode(pair.key) ?? lineOfNode(pair.value);
        if (line !== undefined) out[pathKey(at)] = line;
        walk(pair.value, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const at = [...path, i];
        const line = lineOfNode(item);
        if (line !== undefined) out[pathKey(at)] = line;
        walk(item, at);
      });
    }
  };
  const root = lineOfNode(doc.contents);
  if (root !== undefined) out[pathKey([])] = root;
  walk(doc.contents, []);
  return out;
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
