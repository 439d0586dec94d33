// The contract's schema: every object, its fields (nested ones indented under their parent), the
// markers a consumer joins and filters on, and the quality rules the tier's promise is checked by.
import type { QualityRule, SchemaField, SchemaObject } from '../../../../shared/model/product';
import { Section } from '../../components/Section';

const SENSITIVE = /restricted|confidential|secret|sensitive|pii|personal/i;

interface Row {
  field: SchemaField;
  depth: number;
}

function flatten(fields: readonly SchemaField[], depth = 0): Row[] {
  return fields.flatMap((field) => [{ field, depth }, ...flatten(field.children, depth + 1)]);
}

const countFields = (fields: readonly SchemaField[]): number => fields.reduce((n, f) => n + 1 + countFields(f.children), 0);

function QualityRules({ rules }: { rules: readonly QualityRule[] }) {
  return (
    <ul className="rules">
      {rules.map((r, i) => (
        <li key={i} className="rule" title={[r.description, r.severity && `severity: ${r.severity}`, `type: ${r.type}`].filter(Boolean).join('\n')}>
          {r.dimension && <span className="rule-dimension">{r.dimension}</span>}
          <code>{r.summary}</code>
        </li>
      ))}
    </ul>
  );
}

function FieldRow({ field, depth }: Row) {
  const markers: Array<[boolean, string, string]> = [
    [field.primaryKey, 'PK', 'Primary key'],
    [field.required, 'required', 'Never null'],
    [field.unique, 'unique', 'No two records share a value'],
  ];
  return (
    <tr>
      <td className="field-cell">
        <div className="field-name" style={{ paddingLeft: depth * 18 }}>
          {depth > 0 && (
            <span className="tree-guide" aria-hidden="true">
              └
            </span>
          )}
          <code className={field.primaryKey ? 'pk' : undefined}>{field.name}</code>
        </div>
        {(field.description || field.examples?.length) && (
          <div className="field-description" style={{ paddingLeft: depth * 18 + (depth > 0 ? 16 : 0) }}>
            {field.description}
            {field.examples?.length ? <span className="faint"> e.g. {field.examples.map((e) => JSON.stringify(e)).join(', ')}</span> : null}
          </div>
        )}
      </td>
      <td>
        <div>{field.logicalType ?? <span className="faint">—</span>}</div>
        {field.physicalType && (
          <div className="physical-type" title={field.physicalType}>
            {field.physicalType}
          </div>
        )}
      </td>
      <td>
        <span className="markers">
          {markers.map(([on, label, hint]) =>
            on ? (
              <span key={label} className={`marker marker-${label.toLowerCase()}`} title={hint}>
                {label}
              </span>
            ) : null,
          )}
        </span>
      </td>
      <td>{field.classification && <span className={`badge ${SENSITIVE.test(field.classification) ? 'badge-warn' : ''}`}>{field.classification}</span>}</td>
      <td>{field.quality.length > 0 && <QualityRules rules={field.quality} />}</td>
    </tr>
  );
}

function ObjectRows({ object }: { object: SchemaObject }) {
  return (
    <tbody>
      <tr className="object-row">
        <th colSpan={5} scope="rowgroup">
          <span className="object-name">{object.name}</span>
          {object.physicalName && object.physicalName !== object.name && <code className="muted">{object.physicalName}</code>}
          <span className="faint">{countFields(object.fields)} fields</span>
          {object.description && <span className="object-description">{object.description}</span>}
        </th>
      </tr>
      {flatten(object.fields).map((row) => (
        <FieldRow key={row.field.path} {...row} />
      ))}
      {object.quality.length > 0 && (
        <tr className="object-rules">
          <td colSpan={4}>
            <span className="muted">Rules on {object.name}</span>
          </td>
          <td>
            <QualityRules rules={object.quality} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

export function SchemaTable({ schema }: { schema: readonly SchemaObject[] }) {
  const fields = schema.reduce((n, o) => n + countFields(o.fields), 0);
  return (
    <Section title="Schema" count={fields}>
      {schema.length === 0 ? (
        <p className="muted">The contract declares no schema.</p>
      ) : (
        <div className="table-scroll">
          <table className="table schema" data-testid="schema-table">
            <colgroup>
              <col className="col-field" />
              <col className="col-type" />
              <col className="col-markers" />
              <col className="col-class" />
              <col className="col-quality" />
            </colgroup>
            <thead>
              <tr>
                <th>Field</th>
                <th>Type</th>
                <th>Constraints</th>
                <th>Classification</th>
                <th>Quality rules</th>
              </tr>
            </thead>
            {schema.map((o) => (
              <ObjectRows key={o.name} object={o} />
            ))}
          </table>
        </div>
      )}
    </Section>
  );
}
