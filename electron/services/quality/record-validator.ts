// Checks one record against its contract: the schema's types, required fields, logical-type
// options, enums, and the property-level quality rules that a single record can fail
// (nullValues, missingValues, invalidValues). Dataset-level rules (duplicateValues, rowCount,
// sql) need many records at once and are measured on snapshots instead.
import type { OdcsDataQuality, OdcsSchemaElementProperty } from '../catalog/standards/odcs';

/** Returns the reasons a value fails its contract; an empty list means it passes. */
export type RecordValidator = (value: unknown) => string[];

type Check = (v: unknown, path: string, errors: string[]) => void;

const show = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/**
 * The YYYY-MM-DD at the start of `s` is a day of the calendar. Date.parse alone is not enough:
 * it rolls 2026-02-31 over to March 3 instead of refusing it.
 */
function calendarDay(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
}

/** The HH:MM[:SS] at `at` in `s` is a time of day (00:00 to 23:59:59). */
function clockTime(s: string, at: number): boolean {
  const h = Number(s.slice(at, at + 2));
  const mi = Number(s.slice(at + 3, at + 5));
  const se = s[at + 5] === ':' ? Number(s.slice(at + 6, at + 8)) : 0;
  return h <= 23 && mi <= 59 && se <= 59;
}

function typeCheck(logicalType: string | undefined): ((v: unknown) => boolean) | null {
  switch (logicalType) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'integer':
      return (v) => typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'date':
      return (v) => typeof v === 'string' && ISO_DATE.test(v) && calendarDay(v) && !Number.isNaN(Date.parse(v));
    case 'time':
      return (v) => typeof v === 'string' && ISO_TIME.test(v) && clockTime(v, 0);
    case 'timestamp':
      // ISO 8601 text, or epoch milliseconds as JSON encoders often write them.
      return (v) => (typeof v === 'string' && ISO_TIMESTAMP.test(v) && calendarDay(v) && clockTime(v, 11) && !Number.isNaN(Date.parse(v))) || (typeof v === 'number' && Number.isFinite(v));
    case 'object':
    case 'map':
      return (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return (v) => Array.isArray(v);
    default:
      return null;
  }
}

function comparable(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function boundChecks(o: Record<string, unknown>): Check[] {
  const checks: Check[] = [];
  const bound = (key: string, holds: (x: number, b: number) => boolean, words: string) => {
    const raw = o[key];
    if (raw === undefined || typeof raw === 'boolean') return;
    const b = comparable(raw);
    if (b === null) return;
    checks.push((v, path, errors) => {
      const x = comparable(v);
      if (x !== null && !holds(x, b)) errors.push(`${path}: ${show(v)} must be ${words} ${show(raw)}`);
    });
  };
  bound('minimum', (x, b) => x >= b, '≥');
  bound('maximum', (x, b) => x <= b, '≤');
  bound('exclusiveMinimum', (x, b) => x > b, '>');
  bound('exclusiveMaximum', (x, b) => x < b, '<');
  return checks;
}

function optionChecks(p: OdcsSchemaElementProperty): Check[] {
  const o = (p.logicalTypeOptions ?? {}) as Record<string, unknown>;
  const checks: Check[] = boundChecks(o);
  if (typeof o.pattern === 'string') {
    const re = safeRegExp(o.pattern);
    if (re) checks.push((v, path, errors) => typeof v === 'string' && !re.test(v) && errors.push(`${path}: ${show(v)} does not match ${o.pattern}`));
  }
  if (typeof o.minLength === 'number') checks.push((v, path, errors) => typeof v === 'string' && v.length < (o.minLength as number) && errors.push(`${path}: shorter than ${o.minLength}`));
  if (typeof o.maxLength === 'number') checks.push((v, path, errors) => typeof v === 'string' && v.length > (o.maxLength as number) && errors.push(`${path}: longer than ${o.maxLength}`));
  if (typeof o.minItems === 'number') checks.push((v, path, errors) => Array.isArray(v) && v.length < (o.minItems as number) && errors.push(`${path}: fewer than ${o.minItems} items`));
  if (typeof o.maxItems === 'number') checks.push((v, path, errors) => Array.isArray(v) && v.length > (o.maxItems as number) && errors.push(`${path}: more than ${o.maxItems} items`));
  return checks;
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null; // lint reports unusable patterns; a tail must not stop over one
  }
}

function ruleChecks(rules: OdcsDataQuality[] | undefined): Check[] {
  const checks: Check[] = [];
  for (const q of rules ?? []) {
    const metric = q.metric ?? q.rule;
    const args = (q.arguments ?? {}) as Record<string, unknown>;
    if (metric === 'nullValues') {
      checks.push((v, path, errors) => v === null && errors.push(`${path}: is null (nullValues)`));
    } else if (metric === 'missingValues') {
      const missing = Array.isArray(args.missingValues) ? args.missingValues : [null, ''];
      checks.push((v, path, errors) => missing.some((m) => m === v) && errors.push(`${path}: ${show(v)} counts as missing (missingValues)`));
    } else if (metric === 'invalidValues') {
      if (Array.isArray(args.validValues)) {
        const valid = new Set(args.validValues as unknown[]);
        checks.push((v, path, errors) => v !== null && v !== undefined && !valid.has(v) && errors.push(`${path}: ${show(v)} is not one of ${[...valid].map((x) => String(x)).join(', ')} (invalidValues)`));
      }
      const re = typeof args.pattern === 'string' ? safeRegExp(args.pattern) : null;
      if (re) checks.push((v, path, errors) => typeof v === 'string' && !re.test(v) && errors.push(`${path}: ${show(v)} does not match ${String(args.pattern)} (invalidValues)`));
    }
  }
  return checks;
}

function compileProperty(p: OdcsSchemaElementProperty): Check {
  const isType = typeCheck(p.logicalType);
  const required = p.required === true;
  const checks = [...optionChecks(p), ...ruleChecks(p.quality)];
  const enumValues = p.enum ? new Set(p.enum.map((e) => e.value)) : null;
  const nested = p.properties?.length ? compileObject(p.properties) : null;
  const items = p.items ? compileProperty(p.items) : null;
  return (v, path, errors) => {
    if (v === undefined || v === null) {
      if (required) errors.push(`${path}: required`);
      else for (const c of checks) c(v, path, errors); // nullValues / missingValues rules see nulls
      return;
    }
    if (isType && !isType(v)) {
      errors.push(`${path}: ${show(v)} is not ${p.logicalType === 'integer' ? 'an integer' : `a ${p.logicalType}`}`);
      return;
    }
    if (enumValues && !enumValues.has(v as string)) errors.push(`${path}: ${show(v)} is not one of ${[...enumValues].join(', ')}`);
    for (const c of checks) c(v, path, errors);
    if (nested && typeof v === 'object' && !Array.isArray(v)) nested(v, path, errors);
    if (items && Array.isArray(v)) v.forEach((item, i) => items(item, `${path}[${i}]`, errors));
  };
}

function compileObject(properties: OdcsSchemaElementProperty[]): Check {
  const fields = properties.map((p) => [p.name ?? '', compileProperty(p)] as const);
  return (v, path, errors) => {
    const o = v as Record<string, unknown>;
    for (const [name, check] of fields) check(Object.hasOwn(o, name) ? o[name] : undefined, path ? `${path}.${name}` : name, errors);
  };
}

/** A validator for records of one schema object (its `properties`). */
export function compileRecordValidator(properties: OdcsSchemaElementProperty[]): RecordValidator {
  const check = compileObject(properties);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`value: ${show(value)} is not an object`];
    const errors: string[] = [];
    check(value, '', errors);
    return errors;
  };
}
