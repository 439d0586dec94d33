// What the SQL editor completes, from `sql.schema`, as plain data (the Monaco provider only maps
// it): table names (products as "sales.orders" and sales.orders, opened files), their columns with
// type and the contract's description, DuckDB's keywords and functions, and dpx_snapshot(...).
// Columns complete after a table or an alias and a dot; otherwise the columns of every table the
// query mentions are offered first.
import type { SqlSchema } from '../../../../shared/model/sql';

export type SqlTable = SqlSchema['tables'][number];

export type CompletionKind = 'table' | 'column' | 'keyword' | 'function' | 'snippet' | 'schema';

export interface Completion {
  kind: CompletionKind;
  label: string;
  /** Text to insert; `snippet` marks Monaco snippet syntax (${1:…}). */
  insert: string;
  snippet?: boolean;
  detail?: string;
  documentation?: string;
  /** Lower sorts first. */
  rank: number;
  /** What the typed prefix is matched against (defaults to the label). */
  filter?: string;
}

export interface CompletionResult {
  items: Completion[];
  /** How many characters before the cursor the inserted text replaces. */
  replace: number;
}

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words that cannot be bare identifiers (quoted if a column or table is named like one). */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default deferrable desc describe distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit not null offset on only or order pivot placing primary qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot using variadic when where window with'.split(' '),
);

export function quoteIdent(name: string): string {
  return PLAIN_IDENT.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The ways a table can be named in a query: "sales.orders" always, sales.orders when the id has a domain part. */
export function tableForms(name: string): { quoted: string; dotted: string | null } {
  const quoted = `"${name.replaceAll('"', '""')}"`;
  const dot = name.indexOf('.');
  const dotted = dot > 0 ? `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}` : PLAIN_IDENT.test(name) ? quoteIdent(name) : null;
  return { quoted, dotted: dotted === quoted ? null : dotted };
}

/** What a SQL identifier chain (a."b c".d) names, unquoted. */
export function identParts(text: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([A-Za-z_][\w$-]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) parts.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!);
  return parts;
}

const IDENT_SRC = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const TABLE_REF_SRC = String.raw`${IDENT_SRC}(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$-]*))*`;

/** Words that follow a table but are not its alias. */
const NOT_ALIAS = new Set(
  'where join on left right inner outer full cross natural asof positional semi anti lateral group order limit offset using union except intersect qualify having window select as sample tablesample returning set values fetch pivot unpivot by and or from with'.split(' '),
);

/** Resolves a table reference text (sales.orders, "sales.orders", sales."daily-totals") to a schema table. */
export function resolveTable(ref: string, tables: readonly SqlTable[]): SqlTable | undefined {
  const name = identParts(ref).join('.');
  return tables.find((t) => t.name === name) ?? tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

export interface Mentions {
  tables: SqlTable[];
  /** alias (lower case) → table */
  aliases: Map<string, SqlTable>;
}

/** The tables a query names (FROM/JOIN, anywhere really) and the aliases given to them. */
export function findMentions(sql: string, tables: readonly SqlTable[]): Mentions {
  const found = new Set<SqlTable>();
  const aliases = new Map<string, SqlTable>();
  const text = stripComments(sql);
  const refRe = new RegExp(String.raw`(?:\b(?:from|join)\s+|,\s*)(${TABLE_REF_SRC})(?:\s+(?:as\s+)?([A-Za-z_][\w$]*))?`, 'gi');
  let m: RegExpExecArray | null;
  while ((m = refRe.exec(text))) {
    const table = resolveTable(m[1]!, tables);
    if (!table) continue;
    found.add(table);
    const alias = m[2];
    if (alias && !NOT_ALIAS.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), table);
  }
  const snapRe = /dpx_snapshot\(\s*'((?:[^']|'')+)'[^)]*\)(?:\s+(?:as\s+)?([A-Za-z_][\w$]*))?/gi;
  while ((m = snapRe.exec(text))) {
    const table = tables.find((t) => t.name === m![1]!.replaceAll("''", "'"));
    if (!table) continue;
    found.add(table);
    const alias = m[2];
    if (alias && !NOT_ALIAS.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), table);
  }
  // A table named anywhere else (a subquery, a CTE body the patterns above missed) still counts.
  for (const t of tables) {
    if (found.has(t)) continue;
    const { quoted, dotted } = tableForms(t.name);
    if (text.includes(quoted) || (dotted && new RegExp(String.raw`(^|[^\w."])${escapeRe(dotted)}($|[^\w"])`, 'i').test(text))) found.add(t);
  }
  return { tables: [...found], aliases };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** Inside a '…' string literal at the end of `before`? */
function inString(before: string): boolean {
  const text = stripComments(before);
  let open = false;
  for (const ch of text) if (ch === "'") open = !open;
  return open;
}

function columnItems(table: SqlTable, rank: number, withTable: boolean): Completion[] {
  return table.columns.map((c) => ({
    kind: 'column' as const,
    label: c.name,
    insert: quoteIdent(c.name),
    detail: withTable ? `${c.type} · ${table.name}` : c.type,
    ...(c.description ? { documentation: c.description } : {}),
    rank,
  }));
}

function tableDetail(t: SqlTable): string {
  return t.product ? `product · ${t.days} day${t.days === 1 ? '' : 's'} · ${t.files} file${t.files === 1 ? '' : 's'}` : `opened file${t.files === 1 ? '' : 's'} · ${t.files} file${t.files === 1 ? '' : 's'}`;
}

function tableDoc(t: SqlTable): string {
  const cols = t.columns.slice(0, 40).map((c) => `- \`${c.name}\` ${c.type}${c.description ? ` — ${c.description}` : ''}`);
  if (t.columns.length > 40) cols.push(`- … ${t.columns.length - 40} more`);
  return `**${t.name}**\n\n${cols.join('\n')}`;
}

function tableItems(tables: readonly SqlTable[], rank: number): Completion[] {
  const out: Completion[] = [];
  for (const t of tables) {
    const { quoted, dotted } = tableForms(t.name);
    out.push({ kind: 'table', label: quoted, insert: quoted, detail: tableDetail(t), documentation: tableDoc(t), rank, filter: t.name });
    if (dotted) out.push({ kind: 'table', label: dotted, insert: dotted, detail: tableDetail(t), documentation: tableDoc(t), rank: rank + 1, filter: t.name });
  }
  return out;
}

function snapshotItems(tables: readonly SqlTable[], rank: number): Completion[] {
  const items: Completion[] = [
    {
      kind: 'snippet',
      label: "dpx_snapshot('<id>', DATE 'YYYY-MM-DD')",
      insert: "dpx_snapshot('${1:product}', DATE '${2:YYYY-MM-DD}')",
      snippet: true,
      detail: 'one day of a product',
      documentation: "A table function: the rows of one snapshot day of a product, e.g. `SELECT * FROM dpx_snapshot('sales.orders', DATE '2026-10-01')`.",
      rank,
      filter: 'dpx_snapshot',
    },
  ];
  for (const t of tables) {
    if (!t.product) continue;
    items.push({
      kind: 'snippet',
      label: `dpx_snapshot('${t.name}', DATE …)`,
      insert: `dpx_snapshot('${t.name.replaceAll("'", "''")}', DATE '\${1:YYYY-MM-DD}')`,
      snippet: true,
      detail: `one day of ${t.name} (${t.days} day${t.days === 1 ? '' : 's'})`,
      rank: rank + 1,
      filter: `dpx_snapshot ${t.name}`,
    });
  }
  return items;
}

/** Functions worth completing: named ones (no operators), one entry per name. */
export function functionItems(functions: SqlSchema['functions'], rank: number): Completion[] {
  const seen = new Map<string, Set<string>>();
  for (const f of functions) {
    if (!/^[A-Za-z_][\w]*$/.test(f.name) || f.name.startsWith('__')) continue;
    const kinds = seen.get(f.name) ?? new Set<string>();
    kinds.add(f.kind);
    seen.set(f.name, kinds);
  }
  return [...seen].map(([name, kinds]) => ({
    kind: 'function' as const,
    label: name,
    insert: `${name}($0)`,
    snippet: true,
    detail: `${[...kinds].join(', ')} function`,
    rank,
  }));
}

export function keywordItems(keywords: readonly string[], rank: number): Completion[] {
  return keywords.map((k) => ({ kind: 'keyword' as const, label: k.toUpperCase(), insert: k.toUpperCase(), rank }));
}

/**
 * The completions at the cursor. `before` is the text from the start of the document to the
 * cursor, `full` the whole document (tables named after the cursor count too).
 */
export function complete(schema: SqlSchema, beforeAll: string, full: string): CompletionResult {
  const tables = schema.tables;
  // The context is in the last few lines; patterns anchored at the end need no more.
  const before = beforeAll.slice(-2000);
  // dpx_snapshot('sal| → product ids.
  const snap = /dpx_snapshot\(\s*'([^']*)$/i.exec(before);
  if (snap) {
    return {
      replace: snap[1]!.length,
      items: tables.filter((t) => t.product).map((t) => ({ kind: 'table' as const, label: t.name, insert: t.name, detail: tableDetail(t), documentation: tableDoc(t), rank: 0 })),
    };
  }
  if (inString(beforeAll)) return { replace: 0, items: [] };

  // Something dotted: table./alias./schema. followed by what is typed so far.
  const dotted = new RegExp(String.raw`(${IDENT_SRC}(?:\.${IDENT_SRC})*)\.("?[\w$-]*)$`).exec(before);
  if (dotted) {
    const qualifier = dotted[1]!;
    const partial = dotted[2]!;
    const mentions = findMentions(full, tables);
    const items: Completion[] = [];
    const parts = identParts(qualifier);
    const aliased = parts.length === 1 ? mentions.aliases.get(parts[0]!.toLowerCase()) : undefined;
    const table = aliased ?? resolveTable(qualifier, tables);
    if (table) items.push(...columnItems(table, 0, false));
    // sales. → the products of the sales domain (orders, "daily-totals").
    if (parts.length === 1) {
      const prefix = `${parts[0]!.toLowerCase()}.`;
      for (const t of tables) {
        if (!t.name.toLowerCase().startsWith(prefix)) continue;
        const rest = t.name.slice(prefix.length);
        items.push({ kind: 'table', label: quoteIdent(rest), insert: quoteIdent(rest), detail: tableDetail(t), documentation: tableDoc(t), rank: table ? 1 : 0, filter: rest });
      }
    }
    // An alias or CTE this schema does not know: nothing to offer after its dot.
    return { replace: partial.length, items };
  }

  const word = /"?[\w$]*$/.exec(before)![0];
  const afterFrom = /\b(from|join)\s+"?[\w$.-]*$/i.test(before);
  const mentions = findMentions(full, tables);
  const items: Completion[] = [];
  if (afterFrom) {
    items.push(...tableItems(tables, 0), ...snapshotItems(tables, 2));
  } else {
    mentions.tables.forEach((t) => items.push(...columnItems(t, 0, mentions.tables.length > 1)));
    items.push(...tableItems(tables, 2), ...snapshotItems(tables, 3));
  }
  items.push(...keywordItems(schema.keywords, 4), ...functionItems(schema.functions, 5));
  // After an opening quote, what is typed starts with it: match against the quoted form.
  if (word.startsWith('"')) return { replace: word.length, items: items.map((i) => ({ ...i, filter: i.label.startsWith('"') ? i.label : `"${i.filter ?? i.label}` })) };
  return { replace: word.length, items };
}
