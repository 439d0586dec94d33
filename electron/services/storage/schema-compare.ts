// A snapshot's Parquet schema against its contract's schema (ODCS `schema[].properties[]`).
//
// Each contract property is looked up in the file (case-insensitively, as DuckDB does) and
// reported `missing` when absent; file columns the contract does not declare are `extra`; a column
// whose type does not fit is `mistyped`. Nested properties are compared inside their STRUCT
// (`customer.email`) and LIST element (`items[].sku`).
//
// The `logicalType` (ODCS) decides what fits:
//   string    → BYTE_ARRAY annotated STRING/UTF8/ENUM/JSON (DuckDB VARCHAR), or UUID
//   integer   → INT32/INT64 without a date/time/decimal annotation (TINYINT … BIGINT, unsigned too)
//   number    → DOUBLE, FLOAT, DECIMAL (and integers: every integer is a number)
//   boolean   → BOOLEAN
//   date      → INT32 DATE
//   timestamp → INT64 TIMESTAMP in any unit, adjusted to UTC or not; INT96
//   time      → TIME
//   array     → LIST (or a repeated field)
//   object    → STRUCT (a MAP when the contract declares no properties)
// A declared `physicalType` in DuckDB's type syntax (VARCHAR, INTEGER, BIGINT, DECIMAL(10,2),
// TIMESTAMP WITH TIME ZONE, STRUCT(a INTEGER)[] …) or a Parquet physical type (INT32, BYTE_ARRAY …)
// is checked too, exactly: integer width, decimal precision and scale, time zone (not the unit);
// types it does not recognise (e.g. a warehouse's NUMBER(38,0)) are not judged.
import type { SchemaField, SchemaObject } from '../../../shared/model/product';
import type { ParquetField } from './parquet-footer';

export interface SchemaIssue {
  /** Field path: `amount`, `customer.email`, `items[].sku`. */
  path: string;
  expected?: string;
  actual?: string;
  message: string;
}

export interface SchemaCheck {
  /** The contract's schema object the file was compared with. */
  object: string | null;
  ok: boolean;
  missing: SchemaIssue[];
  extra: SchemaIssue[];
  mistyped: SchemaIssue[];
}

// ---------------------------------------------------------------------------------------------
// Declared physical types (DuckDB syntax)

export type TypeNode =
  | { kind: 'struct'; fields: Array<{ name: string; type: TypeNode }> }
  | { kind: 'list'; element: TypeNode }
  | { kind: 'map'; key: TypeNode; value: TypeNode }
  | { kind: 'decimal'; precision?: number; scale?: number }
  | { kind: 'timestamp'; tz: boolean }
  | { kind: 'scalar'; name: string }
  | { kind: 'parquet'; physical: string };

const SCALAR_ALIASES: Record<string, string> = {
  VARCHAR: 'VARCHAR', STRING: 'VARCHAR', TEXT: 'VARCHAR', CHAR: 'VARCHAR', BPCHAR: 'VARCHAR', 'CHARACTER VARYING': 'VARCHAR', CHARACTER: 'VARCHAR', NVARCHAR: 'VARCHAR',
  INTEGER: 'INTEGER', INT: 'INTEGER', INT4: 'INTEGER', SIGNED: 'INTEGER',
  BIGINT: 'BIGINT', INT8: 'BIGINT', LONG: 'BIGINT',
  SMALLINT: 'SMALLINT', INT2: 'SMALLINT', SHORT: 'SMALLINT',
  TINYINT: 'TINYINT', INT1: 'TINYINT',
  HUGEINT: 'HUGEINT', INT128: 'HUGEINT',
  UTINYINT: 'UTINYINT', USMALLINT: 'USMALLINT', UINTEGER: 'UINTEGER', UBIGINT: 'UBIGINT', UHUGEINT: 'UHUGEINT',
  DOUBLE: 'DOUBLE', FLOAT8: 'DOUBLE', 'DOUBLE PRECISION': 'DOUBLE',
  FLOAT: 'FLOAT', FLOAT4: 'FLOAT', REAL: 'FLOAT',
  BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', LOGICAL: 'BOOLEAN',
  DATE: 'DATE', TIME: 'TIME', 'TIME WITHOUT TIME ZONE': 'TIME',
  BLOB: 'BLOB', BYTEA: 'BLOB', BINARY: 'BLOB', VARBINARY: 'BLOB',
  UUID: 'UUID', JSON: 'JSON',
};
const TIMESTAMP_NAMES: Record<string, boolean> = {
  TIMESTAMP: false, DATETIME: false, TIMESTAMP_S: false, TIMESTAMP_MS: false, TIMESTAMP_US: false, TIMESTAMP_NS: false, 'TIMESTAMP WITHOUT TIME ZONE': false,
  TIMESTAMPTZ: true, 'TIMESTAMP WITH TIME ZONE': true,
};
const PARQUET_PHYSICAL: Record<string, string> = { INT32: 'INT32', INT64: 'INT64', INT96: 'INT96', BYTE_ARRAY: 'BYTE_ARRAY', FIXED_LEN_BYTE_ARRAY: 'FIXED_LEN_BYTE_ARRAY' };

/** Parses a type in DuckDB's syntax; null when it is not one we know (then it is not judged). */
export function parseDeclaredType(text: string): TypeNode | null {
  const tokens = text.match(/"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|\d+|[()[\],<>]/g);
  if (!tokens) return null;
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++];
  const expect = (t: string) => {
    if (tokens[i] !== t) throw new Error(`expected ${t}`);
    i++;
  };
  const isWord = (t: string | undefined) => !!t && /^[A-Za-z_]/.test(t);
  const parseType = (): TypeNode => {
    const first = take();
    if (!first || !isWord(first)) throw new Error('type expected');
    const upper = first.toUpperCase();
    let node: TypeNode;
    if (upper === 'STRUCT' || upper === 'ROW') {
      expect('(');
      const fields: Array<{ name: string; type: TypeNode }> = [];
      while (peek() !== ')') {
        const raw = take()!;
        const name = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw;
        fields.push({ name, type: parseType() });
        if (peek() === ',') take();
      }
      expect(')');
      node = { kind: 'struct', fields };
    } else if (upper === 'MAP') {
      expect('(');
      const key = parseType();
      expect(',');
      const value = parseType();
      expect(')');
      node = { kind: 'map', key, value };
    } else if (upper === 'LIST' && peek() === '(') {
      take();
      const element = parseType();
      expect(')');
      node = { kind: 'list', element };
    } else if (upper === 'DECIMAL' || upper === 'NUMERIC') {
      if (peek() === '(') {
        take();
        const precision = Number(take());
        let scale = 0;
        if (peek() === ',') {
          take();
          scale = Number(take());
        }
        expect(')');
        node = { kind: 'decimal', precision, scale };
      } else node = { kind: 'decimal' };
    } else {
      const words = [upper];
      while (isWord(peek())) words.push(take()!.toUpperCase());
      const name = words.join(' ');
      if (name in TIMESTAMP_NAMES) node = { kind: 'timestamp', tz: TIMESTAMP_NAMES[name]! };
      else if (name in SCALAR_ALIASES) node = { kind: 'scalar', name: SCALAR_ALIASES[name]! };
      else if (name in PARQUET_PHYSICAL) node = { kind: 'parquet', physical: PARQUET_PHYSICAL[name]! };
      else throw new Error(`unknown type ${name}`);
      // VARCHAR(255) and the like: the length does not matter here.
      if (peek() === '(' && node.kind === 'scalar') {
        while (take() !== ')' && i < tokens.length);
      }
    }
    while (peek() === '[') {
      take();
      if (peek() !== ']') take();
      expect(']');
      node = { kind: 'list', element: node };
    }
    return node;
  };
  try {
    const t = parseType();
    return i === tokens.length ? t : null;
  } catch {
    return null;
  }
}

function describeNode(t: TypeNode): string {
  switch (t.kind) {
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${f.name} ${describeNode(f.type)}`).join(', ')})`;
    case 'list':
      return `${describeNode(t.element)}[]`;
    case 'map':
      return `MAP(${describeNode(t.key)}, ${describeNode(t.value)})`;
    case 'decimal':
      return t.precision !== undefined ? `DECIMAL(${t.precision},${t.scale ?? 0})` : 'DECIMAL';
    case 'timestamp':
      return t.tz ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
    case 'scalar':
      return t.name;
    case 'parquet':
      return t.physical;
  }
}

const findChild = (children: ParquetField[], name: string) => children.find((c) => c.name === name) ?? children.find((c) => c.name.toLowerCase() === name.toLowerCase());

/** Why `actual` does not have the declared type, or null when it does. */
export function physicalMismatch(declared: TypeNode, actual: ParquetField): string | null {
  const isTs = actual.kind === 'primitive' && actual.unit !== undefined && /^TIMESTAMP/.test(actual.type);
  switch (declared.kind) {
    case 'parquet':
      return actual.kind === 'primitive' && actual.physicalType === declared.physical ? null : `not ${declared.physical}`;
    case 'scalar': {
      if (actual.kind !== 'primitive') return `not ${declared.name}`;
      const a = actual.type === 'JSON' ? 'VARCHAR' : actual.type;
      const d = declared.name === 'JSON' ? 'VARCHAR' : declared.name;
      return a === d ? null : `not ${declared.name}`;
    }
    case 'decimal':
      if (actual.precision === undefined || actual.kind !== 'primitive') return 'not a DECIMAL';
      if (declared.precision !== undefined && (declared.precision !== actual.precision || (declared.scale ?? 0) !== actual.scale)) return `DECIMAL(${actual.precision},${actual.scale}), not DECIMAL(${declared.precision},${declared.scale ?? 0})`;
      return null;
    case 'timestamp':
      if (!isTs) return 'not a TIMESTAMP';
      return declared.tz === !!actual.adjustedToUTC ? null : declared.tz ? 'a TIMESTAMP without time zone' : 'a TIMESTAMP WITH TIME ZONE';
    case 'list': {
      if (actual.kind !== 'list' || !actual.children[0]) return 'not a LIST';
      const inner = physicalMismatch(declared.element, actual.children[0]);
      return inner ? `element: ${inner}` : null;
    }
    case 'map': {
      if (actual.kind !== 'map') return 'not a MAP';
      const [k, v] = actual.children;
      const km = k ? physicalMismatch(declared.key, k) : 'no key';
      const vm = v ? physicalMismatch(declared.value, v) : 'no value';
      return km ? `key: ${km}` : vm ? `value: ${vm}` : null;
    }
    case 'struct': {
      if (actual.kind !== 'struct') return 'not a STRUCT';
      for (const f of declared.fields) {
        const child = findChild(actual.children, f.name);
        if (!child) return `field ${f.name} missing`;
        const inner = physicalMismatch(f.type, child);
        if (inner) return `${f.name}: ${inner}`;
      }
      const extra = actual.children.find((c) => !declared.fields.some((f) => f.name.toLowerCase() === c.name.toLowerCase()));
      return extra ? `extra field ${extra.name}` : null;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Logical types (ODCS)

const LOGICAL_ALIASES: Record<string, string> = {
  string: 'string', text: 'string', varchar: 'string',
  integer: 'integer', int: 'integer', long: 'integer', bigint: 'integer',
  number: 'number', float: 'number', double: 'number', decimal: 'number', numeric: 'number',
  boolean: 'boolean', bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp', datetime: 'timestamp',
  time: 'time',
  array: 'array', list: 'array',
  object: 'object', record: 'object', struct: 'object', map: 'object',
};

const LOGICAL_EXPECTED: Record<string, string> = {
  string: 'VARCHAR (BYTE_ARRAY with STRING/UTF8)',
  integer: 'INT32/INT64 (INTEGER, BIGINT)',
  number: 'DOUBLE, FLOAT or DECIMAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP (any unit, with or without time zone)',
  time: 'TIME',
  array: 'LIST',
  object: 'STRUCT',
};

function logicalFits(logical: string, actual: ParquetField, hasProperties: boolean): boolean {
  const vt = actual.kind === 'primitive' ? primitiveValueType(actual) : null;
  switch (logical) {
    case 'string':
      return vt === 'string' || vt === 'uuid';
    case 'integer':
      return vt === 'integer';
    case 'number':
      return vt === 'integer' || vt === 'float' || vt === 'decimal';
    case 'boolean':
      return vt === 'boolean';
    case 'date':
      return vt === 'date';
    case 'timestamp':
      return vt === 'timestamp';
    case 'time':
      return vt === 'time';
    case 'array':
      return actual.kind === 'list';
    case 'object':
      return actual.kind === 'struct' || (!hasProperties && actual.kind === 'map');
    default:
      return true;
  }
}

function primitiveValueType(f: ParquetField): string {
  if (f.precision !== undefined) return 'decimal';
  if (f.type === 'DATE') return 'date';
  if (f.type === 'TIME') return 'time';
  if (/^TIMESTAMP/.test(f.type)) return 'timestamp';
  if (f.type === 'BOOLEAN') return 'boolean';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT)$/.test(f.type)) return 'integer';
  if (f.type === 'FLOAT' || f.type === 'DOUBLE') return 'float';
  if (f.type === 'VARCHAR' || f.type === 'JSON') return 'string';
  if (f.type === 'UUID') return 'uuid';
  return 'binary';
}

// ---------------------------------------------------------------------------------------------

function compareFields(declared: SchemaField[], actual: ParquetField[], prefix: string, out: SchemaCheck): void {
  const matched = new Set<ParquetField>();
  for (const field of declared) {
    const path = prefix ? `${prefix}.${field.name}` : field.name;
    const col = findChild(actual.filter((a) => !matched.has(a)), field.name);
    if (!col) {
      out.missing.push({ path, ...(field.logicalType ? { expected: field.logicalType } : {}), message: `${path} is in the contract but not in the file` });
      continue;
    }
    matched.add(col);
    compareField(field, col, path, out);
  }
  for (const col of actual) {
    if (matched.has(col)) continue;
    const path = prefix ? `${prefix}.${col.name}` : col.name;
    out.extra.push({ path, actual: col.type, message: `${path} (${col.type}) is in the file but not in the contract` });
  }
}

function compareField(field: SchemaField, col: ParquetField, path: string, out: SchemaCheck): void {
  const logical = field.logicalType ? LOGICAL_ALIASES[field.logicalType.toLowerCase()] : undefined;
  const isArray = logical === 'array';
  const properties = isArray ? [] : field.children;
  if (logical && !logicalFits(logical, col, properties.length > 0)) {
    out.mistyped.push({ path, expected: `${field.logicalType} → ${LOGICAL_EXPECTED[logical]}`, actual: col.type, message: `${path}: the contract says ${field.logicalType}, the file has ${col.type}` });
    return;
  }
  const declared = field.physicalType ? parseDeclaredType(field.physicalType) : null;
  if (declared) {
    const why = physicalMismatch(declared, col);
    if (why) {
      out.mistyped.push({ path, expected: field.physicalType!, actual: col.type, message: `${path}: the contract's physicalType is ${field.physicalType}, the file has ${col.type} (${why})` });
      return;
    }
  }
  if (isArray && col.kind === 'list') {
    const items = field.children[0];
    const element = col.children[0];
    if (items && element) {
      const itemPath = `${path}[]`;
      const itemLogical = items.logicalType ? LOGICAL_ALIASES[items.logicalType.toLowerCase()] : undefined;
      if (itemLogical && !logicalFits(itemLogical, element, items.children.length > 0)) {
        out.mistyped.push({ path: itemPath, expected: `${items.logicalType} → ${LOGICAL_EXPECTED[itemLogical]}`, actual: element.type, message: `${itemPath}: the contract says ${items.logicalType}, the file has ${element.type}` });
      } else if (items.children.length && element.kind === 'struct') compareFields(items.children, element.children, itemPath, out);
      else if (items.children.length && element.kind === 'map') {
        /* a map's keys are data, not fields */
      }
    }
  } else if (properties.length && col.kind === 'struct') compareFields(properties, col.children, path, out);
}

/** The contract object that best matches the file's columns (most top-level names in common). */
export function pickSchemaObject(objects: SchemaObject[], columns: ParquetField[]): SchemaObject | null {
  let best: SchemaObject | null = null;
  let bestScore = -1;
  for (const o of objects) {
    const score = o.fields.filter((f) => findChild(columns, f.name)).length;
    if (score > bestScore) [best, bestScore] = [o, score];
  }
  return best;
}

export function compareSchema(objects: SchemaObject[], columns: ParquetField[]): SchemaCheck {
  const object = pickSchemaObject(objects, columns);
  const out: SchemaCheck = { object: object?.name ?? null, ok: true, missing: [], extra: [], mistyped: [] };
  if (!object) return out;
  compareFields(object.fields, columns, '', out);
  out.ok = !out.missing.length && !out.extra.length && !out.mistyped.length;
  return out;
}

export { describeNode as describeDeclaredType };
