// A message value as pretty JSON, each field annotated from the contract: its logical type in a
// gutter, its description on hover, fields the contract does not declare marked, and lines the
// validation complained about in red.
import { useMemo } from 'react';
import type { SchemaField, SchemaObject } from '../../../../shared/model/product';

const MAX_LINES = 5000;

interface Line {
  depth: number;
  key: string | null;
  /** Rendered value text, or an opening bracket. */
  text: string;
  kind: 'string' | 'number' | 'boolean' | 'null' | 'open' | 'close' | 'other';
  comma: boolean;
  /** The contract's field for this key: a field, 'undeclared' (the contract has fields but not this one), or none. */
  field: SchemaField | 'undeclared' | null;
  /** Path as the validator writes it: items[0].qty */
  path: string;
}

function childField(parent: SchemaField[] | null, name: string): SchemaField | 'undeclared' | null {
  if (!parent?.length) return null;
  return parent.find((f) => f.name === name) ?? 'undeclared';
}

/** The field describing each element of an array field (ODCS `items`). */
function elementField(field: SchemaField | 'undeclared' | null): SchemaField | null {
  if (!field || field === 'undeclared') return null;
  return field.children.length === 1 && field.logicalType === 'array' ? field.children[0]! : null;
}

function toLines(value: unknown, fields: SchemaField[] | null): { lines: Line[]; truncated: boolean } {
  const lines: Line[] = [];
  let truncated = false;
  const walk = (v: unknown, key: string | null, field: SchemaField | 'undeclared' | null, depth: number, comma: boolean, path: string) => {
    if (lines.length >= MAX_LINES) {
      truncated = true;
      return;
    }
    const f = field && field !== 'undeclared' ? field : null;
    if (Array.isArray(v)) {
      if (!v.length) return void lines.push({ depth, key, text: '[]', kind: 'open', comma, field, path });
      lines.push({ depth, key, text: '[', kind: 'open', comma: false, field, path });
      const el = elementField(field);
      v.forEach((item, i) => walk(item, null, el, depth + 1, i < v.length - 1, `${path}[${i}]`));
      lines.push({ depth, key: null, text: ']', kind: 'close', comma, field: null, path });
      return;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (!entries.length) return void lines.push({ depth, key, text: '{}', kind: 'open', comma, field, path });
      lines.push({ depth, key, text: '{', kind: 'open', comma: false, field, path });
      // The root's fields come from the schema object; nested ones from the field's children.
      const children = depth === 0 && key === null ? fields : f ? f.children : null;
      entries.forEach(([k, x], i) => walk(x, k, childField(children, k), depth + 1, i < entries.length - 1, path ? `${path}.${k}` : k));
      lines.push({ depth, key: null, text: '}', kind: 'close', comma, field: null, path });
      return;
    }
    const kind = v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'other';
    lines.push({ depth, key, text: JSON.stringify(v) ?? String(v), kind, comma, field, path });
  };
  walk(value, null, null, 0, false, '');
  return { lines, truncated };
}

function fieldTitle(field: SchemaField): string {
  return [
    `${field.path}${field.logicalType ? `: ${field.logicalType}` : ''}${field.physicalType ? ` (${field.physicalType})` : ''}`,
    field.description,
    [field.required && 'required', field.primaryKey && 'primary key', field.unique && 'unique', field.classification && `classification: ${field.classification}`].filter(Boolean).join(', '),
    ...field.quality.map((q) => `check: ${q.summary}`),
  ]
    .filter(Boolean)
    .join('\n');
}

export function JsonView({ value, schema, errors }: { value: unknown; schema: SchemaObject | null; errors: readonly string[] }) {
  const { lines, truncated } = useMemo(() => toLines(value, schema?.fields ?? null), [value, schema]);
  const errorPaths = useMemo(() => new Set(errors.map((e) => e.split(': ')[0]!)), [errors]);
  return (
    <div className="json-view" role="table" aria-label="Value">
      {lines.map((l, i) => {
        const field = l.field && l.field !== 'undeclared' ? l.field : null;
        const failed = l.kind !== 'close' && l.path !== '' && errorPaths.has(l.path);
        return (
          <div key={i} className={`json-line ${failed ? 'json-failed' : ''}`} role="row">
            <span className="json-code" role="cell" style={{ paddingLeft: `${l.depth * 2}ch` }}>
              {l.key !== null && (
                <>
                  <span className="json-key" title={field ? fieldTitle(field) : undefined}>
                    &quot;{l.key}&quot;
                  </span>
                  <span className="json-punct">: </span>
                </>
              )}
              <span className={`json-${l.kind}`}>{l.text}</span>
              {l.comma && <span className="json-punct">,</span>}
            </span>
            <span className="json-doc" role="cell" title={field ? fieldTitle(field) : l.field === 'undeclared' ? 'Not declared in the contract' : undefined}>
              {field ? (
                <>
                  {field.logicalType ?? 'field'}
                  {field.required && <span className="json-required">*</span>}
                  {field.description && <span className="json-desc"> · {field.description}</span>}
                </>
              ) : l.field === 'undeclared' ? (
                <span className="json-undeclared">not in contract</span>
              ) : null}
            </span>
          </div>
        );
      })}
      {truncated && <div className="json-line faint">… cut at {MAX_LINES.toLocaleString()} lines; copy the value or open Raw for all of it</div>}
    </div>
  );
}
