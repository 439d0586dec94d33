/**
 * Zod schema for data contracts (`*.odcs.yaml`) following the
 * Open Data Contract Standard (ODCS) by Bitol (LF AI & Data Foundation).
 *
 *   Versions: v3.2.0 (current, "Peter Flook"), v3.1.0, and v3.0.0 / v3.0.1 / v3.0.2.
 *   Spec:     https://bitol-io.github.io/open-data-contract-standard/
 *   Source:   https://github.com/bitol-io/open-data-contract-standard
 *
 * Written by hand from the standard's published field definitions (its JSON Schemas
 * `schema/odcs-json-schema-v3.0.x.json`, `-v3.1.0.json`, `-v3.2.0.json`, the per-section
 * documentation tables, the changelog and the approved RFCs); no schema file or text of
 * the standard is copied here, and nothing is fetched at run time.
 *
 * Versions. Like the standard's own JSON Schema (against which the standard validates all its
 * examples, whatever `apiVersion` they declare), the v3.2.0 rules accept every v3 `apiVersion`.
 * A document declaring v3.0.x is also accepted when it follows the v3.0.x rules instead:
 *   - v3.2.0 rules: `status` optional; objects closed (unknown keys rejected); `library` rules
 *     need a `metric` and exactly one operator, `sql` rules a `query` and exactly one operator;
 *     `team` is an object with `members` (the v3.0 list layout is still accepted, deprecated).
 *   - v3.0.x rules: `status` required; `team` is a list of members; library rules are named by
 *     `rule` (operators optional, several allowed); support channels need a `url`; the objects
 *     the 3.0 JSON Schemas left open (servers, quality rules, team members, support, roles,
 *     SLA, price, custom properties, authoritative definitions) accept unknown keys and keep
 *     them in the output.
 * Additions of v3.1.0/v3.2.0 (fields, server types, logical types) are accepted under both rule
 * sets. v2.x documents (a different layout) are not supported, although the v3 JSON Schemas
 * still list v2.2.x in their `apiVersion` enum.
 *
 * The v3.2.0 JSON Schema in the standard's repository predates the final v3.2.0 release; the
 * final additions (server types hana, iceberg, exasol, teradata, ingres, vectorwise, versant,
 * poet/fastobjects, btrieve; `encoding` on file/stream servers; `deprecated` on schema objects
 * and properties; the `vector` logical type; `vendor` on custom properties; custom properties
 * and authoritative definitions on SLA entries; `id` on relationships; string ports; the wider
 * stable-id character set) are modelled from the v3.2.0 documentation and changelog.
 *
 * Where the JSON Schema and the documentation tables disagree on a server type's required
 * fields, only fields required by both are required here (e.g. postgres requires host and
 * database; port and schema are optional). String formats (`uri`, `date`, `date-time`) are not
 * enforced, so `${VAR}` references (variables, v3.2.0) stay valid; server ports accept an
 * integer or a string for the same reason.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

/** `apiVersion` values supported here (the v3 lines of the standard's enumeration). */
export const ODCS_API_VERSIONS = ['v3.2.0', 'v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0'] as const;
export type OdcsApiVersion = (typeof ODCS_API_VERSIONS)[number];
export const ODCS_LATEST_API_VERSION: OdcsApiVersion = 'v3.2.0';
export const ODCS_KIND = 'DataContract' as const;

const V30_API_VERSIONS = ['v3.0.2', 'v3.0.1', 'v3.0.0'] as const;

/** Server `type` values (v3.2.0). `postgres`/`postgresql`, `zen`/`btrieve` and `poet`/`fastobjects` are synonyms. */
export const ODCS_SERVER_TYPES = [
  'api', 'athena', 'azure', 'bigquery', 'btrieve', 'clickhouse', 'cloudsql', 'custom', 'databricks', 'db2',
  'denodo', 'dremio', 'duckdb', 'exasol', 'fastobjects', 'glue', 'hana', 'hive', 'iceberg', 'impala',
  'informix', 'ingres', 'kafka', 'kinesis', 'local', 'mysql', 'oracle', 'poet', 'postgres', 'postgresql',
  'presto', 'pubsub', 'redshift', 's3', 'sftp', 'snowflake', 'sqlserver', 'synapse', 'teradata', 'trino',
  'vectorwise', 'versant', 'vertica', 'zen',
] as const;
export type OdcsServerType = (typeof ODCS_SERVER_TYPES)[number];

/** Property `logicalType` values (v3.2.0; `timestamp`/`time` since v3.1.0, `map`/`vector` since v3.2.0). */
export const ODCS_LOGICAL_TYPES = [
  'string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean', 'map', 'vector',
] as const;
export type OdcsLogicalType = (typeof ODCS_LOGICAL_TYPES)[number];

/** Property `semanticType` values (v3.2.0, RFC 0034); `column` is the default. */
export const ODCS_SEMANTIC_TYPES = ['column', 'measure', 'dimension'] as const;

/** Data quality rule `type` values; `library` is the default. */
export const ODCS_QUALITY_TYPES = ['text', 'library', 'sql', 'custom'] as const;
export type OdcsQualityType = (typeof ODCS_QUALITY_TYPES)[number];

/** Data quality `dimension` values. */
export const ODCS_QUALITY_DIMENSIONS = [
  'accuracy', 'completeness', 'conformity', 'consistency', 'coverage', 'timeliness', 'uniqueness',
] as const;
export type OdcsQualityDimension = (typeof ODCS_QUALITY_DIMENSIONS)[number];

/** Library metrics (v3.1.0+); v3.0.x named library rules with a free `rule` string instead. */
export const ODCS_QUALITY_METRICS = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;
export type OdcsQualityMetric = (typeof ODCS_QUALITY_METRICS)[number];

/** Comparison operators of `library` and `sql` rules (v3.1.0+: exactly one per rule). */
export const ODCS_QUALITY_OPERATORS = [
  'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan',
  'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween',
] as const;
export type OdcsQualityOperator = (typeof ODCS_QUALITY_OPERATORS)[number];

/** Options of `logicalType: vector` (v3.2.0, RFC 0042). */
export const ODCS_VECTOR_ELEMENT_TYPES = ['bfloat16', 'binary', 'float16', 'float32', 'float64', 'int8', 'uint8'] as const;
export const ODCS_VECTOR_DISTANCE_METRICS = ['cosine', 'dotProduct', 'euclidean', 'hamming', 'manhattan'] as const;

/** Example values only (free strings in the standard). */
export const ODCS_STATUS_EXAMPLES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;
export const ODCS_SLA_DRIVER_EXAMPLES = ['regulatory', 'analytics', 'operational'] as const;
export const ODCS_QUALITY_SEVERITY_EXAMPLES = ['info', 'warning', 'error'] as const;

// ---------------------------------------------------------------------------------------------
// Types of the recursive / shared parts (declared so all version families share one shape)
// ---------------------------------------------------------------------------------------------

export interface OdcsCustomProperty {
  id?: string;
  property: string;
  value: unknown;
  description?: string;
  /** v3.2.0 (RFC 0035): vendor or system the property belongs to. */
  vendor?: string;
}

export interface OdcsAuthoritativeDefinition {
  id?: string;
  url: string;
  /** Examples: businessDefinition, canonicalUrl, glossary, implementation, ontology, taxonomy, transformationImplementation, tutorial, videoTutorial. */
  type: string;
  description?: string;
}

export interface OdcsSynonym {
  id?: string;
  synonym: string;
  description?: string;
  locale?: string;
  source?: string;
  status?: string;
  customProperties?: OdcsCustomProperty[];
}

export interface OdcsEnumValue {
  id?: string;
  value: string | number | boolean | null;
  label?: string;
  description?: string;
  tags?: string[];
  customProperties?: OdcsCustomProperty[];
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
}

export type OdcsReference = string | string[];

/** A relationship declared on a property: `from` is implicit (the property itself). */
export interface OdcsPropertyRelationship {
  id?: string;
  type?: 'foreignKey';
  to: OdcsReference;
  customProperties?: OdcsCustomProperty[];
}

/** A relationship declared on a schema object: both ends explicit, single or composite. */
export interface OdcsSchemaRelationship extends OdcsPropertyRelationship {
  from: OdcsReference;
}

export interface OdcsDataQuality {
  id?: string;
  name?: string;
  description?: string;
  /** Default `library`. */
  type?: OdcsQualityType;
  dimension?: OdcsQualityDimension;
  method?: string;
  severity?: string;
  businessImpact?: string;
  unit?: string;
  schedule?: string;
  scheduler?: string;
  tags?: string[];
  customProperties?: OdcsCustomProperty[];
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
  /** library (v3.1.0+): one of ODCS_QUALITY_METRICS. */
  metric?: string;
  /** library: the v3.0.x rule name; deprecated since v3.1.0 in favour of `metric`. */
  rule?: string;
  arguments?: Record<string, unknown>;
  /** sql: the query whose result is compared with the operator. */
  query?: string;
  /** custom: third-party engine (soda, great-expectations, monte-carlo, dbt, ...) and its code. */
  engine?: string;
  implementation?: string | Record<string, unknown>;
  mustBe?: unknown;
  mustNotBe?: unknown;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
}

/** Fields shared by properties and array items / map keys and values. */
export interface OdcsSchemaElementProperty {
  id?: string;
  name?: string;
  physicalName?: string;
  physicalType?: string;
  businessName?: string;
  description?: string;
  logicalType?: OdcsLogicalType;
  /** Validated per `logicalType` (see the standard's "Logical Type Options"). */
  logicalTypeOptions?: Record<string, unknown>;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  partitioned?: boolean;
  partitionKeyPosition?: number;
  classification?: string;
  encryptedName?: string;
  criticalDataElement?: boolean;
  semanticType?: (typeof ODCS_SEMANTIC_TYPES)[number];
  transformSourceObjects?: string[];
  transformLogic?: string;
  transformDescription?: string;
  examples?: unknown[];
  enum?: OdcsEnumValue[];
  deprecated?: boolean;
  synonyms?: OdcsSynonym[];
  tags?: string[];
  customProperties?: OdcsCustomProperty[];
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
  relationships?: OdcsPropertyRelationship[];
  quality?: OdcsDataQuality[];
  /** Nested fields of an `object`. */
  properties?: OdcsSchemaProperty[];
  /** Element definition of an `array`. */
  items?: OdcsSchemaItemProperty;
  /** Key and value definitions of a `map` (required when `logicalType: map`). */
  map?: { key: OdcsSchemaItemProperty; value: OdcsSchemaItemProperty };
}

/** A named property (column / field) of a schema object or of a nested object. */
export interface OdcsSchemaProperty extends OdcsSchemaElementProperty {
  name: string;
}

/** An array's `items`, or a map's `key`/`value`: same shape, `name` optional. */
export type OdcsSchemaItemProperty = OdcsSchemaElementProperty;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** `v3.0`: the v3.0.x JSON Schema rules; `latest`: the v3.2.0 rules. */
type Family = 'v3.0' | 'latest';

/** Stable identifier of list items (v3.1.0 RFC-0026a): no `. # / \ @ ! % & ^` and no whitespace. */
const STABLE_ID = /^[^.#/\\@!%&^\s]+$/;
const stableId = z.string().regex(STABLE_ID, { message: 'id cannot contain . # / \\ @ ! % & ^ or whitespace' });

const ID_SEGMENT = '[^.#/\\\\@!%&^\\s]+';
/** `table.column` (at least one dot). */
const SHORTHAND_REFERENCE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** `[<file>.yaml#]/schema/<id>/properties/<id>[/...]`. */
const QUALIFIED_REFERENCE = new RegExp(
  `^(?:(?:https?://)?[A-Za-z0-9._\\-/]+\\.yaml#)?/?[A-Za-z_][A-Za-z0-9_]*/${ID_SEGMENT}(?:/[A-Za-z_][A-Za-z0-9_]*/${ID_SEGMENT})*$`,
);
const reference = z
  .string()
  .refine((s) => SHORTHAND_REFERENCE.test(s) || QUALIFIED_REFERENCE.test(s), {
    message: 'expected a `table.column` shorthand or a fully qualified reference such as /schema/<id>/properties/<id>',
  });

/** Checks a value with the schema `pick` chooses from its shape, keeping the issues' exact paths (unlike `z.union`). */
function byShape<S extends z.ZodType>(pick: (input: unknown) => S) {
  return z.unknown().transform((input, ctx): z.output<S> => {
    const result = pick(input).safeParse(input);
    if (result.success) return result.data as z.output<S>;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}
/** A list (checked by `whenList`) or anything else (checked by `whenOther`). */
const listOr = <O extends z.ZodType, L extends z.ZodType>(whenOther: O, whenList: L) =>
  byShape<O | L>((input) => (Array.isArray(input) ? whenList : whenOther));
/** A string, or an object checked by `whenOther`. */
const stringOr = <O extends z.ZodType>(whenOther: O) =>
  byShape<O | z.ZodString>((input) => (typeof input === 'string' ? z.string() : whenOther));

const referenceOrList = listOr(reference, z.array(reference).min(1));

/** A key that must be present; any value, including null, is allowed. */
const anyPresentValue = z.unknown().refine((v) => v !== undefined, { message: 'Required' });
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const nonNegativeInt = z.number().int().min(0);
/** Ports: integer, or a string since v3.2.0 so that `${DB_PORT}` variables fit. */
const port = z.union([z.number().int(), z.string()]);

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** JSON Schema `uniqueItems`: report every item deep-equal to an earlier one. */
function uniqueItems<T>(items: readonly T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = stableStringify(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ${what}` });
    seen.add(key);
  });
}

function requiredIssue(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Re-reports the issues of a sub-schema under `prefix`. */
function forwardIssues(ctx: z.RefinementCtx, prefix: PropertyKey[], error: z.ZodError): void {
  for (const issue of error.issues) {
    ctx.addIssue({ ...issue, path: [...prefix, ...issue.path] } as Parameters<z.RefinementCtx['addIssue']>[0]);
  }
}

const present = (o: object, key: string): boolean => (o as Record<string, unknown>)[key] !== undefined;

// ---------------------------------------------------------------------------------------------
// The schemas, built once per version family
// ---------------------------------------------------------------------------------------------

function buildOdcs(family: Family) {
  const v30 = family === 'v3.0';
  /** Objects the v3.0.x JSON Schemas left open; closed (additionalProperties: false) since v3.1.0. */
  const sectionObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
    (v30 ? z.looseObject(shape) : z.strictObject(shape)) as unknown as ReturnType<typeof z.strictObject<T>>;

  const tags = z.array(z.string());

  const customProperty: z.ZodType<OdcsCustomProperty> = sectionObject({
    id: stableId.optional(),
    property: z.string(),
    value: anyPresentValue,
    description: z.string().optional(),
    vendor: z.string().optional(),
  });
  const customProperties = z.array(customProperty);

  const authoritativeDefinition: z.ZodType<OdcsAuthoritativeDefinition> = sectionObject({
    id: stableId.optional(),
    url: z.string(),
    type: z.string(),
    description: z.string().optional(),
  });
  const authoritativeDefinitions = z.array(authoritativeDefinition);

  const synonym: z.ZodType<OdcsSynonym> = z.strictObject({
    id: stableId.optional(),
    synonym: z.string(),
    description: z.string().optional(),
    locale: z.string().optional(),
    source: z.string().optional(),
    status: z.string().optional(),
    customProperties: customProperties.optional(),
  });

  /** v3.2.0 (RFC 0038): free text or structured guidance for AI agents. */
  const context = stringOr(
    z.strictObject({
      instructions: z.string().optional(),
      verifiedStatements: z
        .array(
          z.strictObject({
            id: z.string().optional(),
            question: z.string(),
            answer: z.string().optional(),
            authoritativeDefinitions: authoritativeDefinitions.optional(),
            tags: tags.optional(),
            customProperties: customProperties.optional(),
          }),
        )
        .optional(),
      constraints: z
        .array(
          z.strictObject({
            id: z.string().optional(),
            constraint: z.string(),
            authoritativeDefinitions: authoritativeDefinitions.optional(),
            tags: tags.optional(),
            customProperties: customProperties.optional(),
          }),
        )
        .optional(),
    }),
  );

  const enumValue: z.ZodType<OdcsEnumValue> = z.strictObject({
    id: stableId.optional(),
    value: scalar,
    label: z.string().optional(),
    description: z.string().optional(),
    tags: tags.optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
  });
  const enumValues = z
    .array(enumValue)
    .min(1)
    .superRefine((values, ctx) => uniqueItems(values, ctx, 'enum entry'));

  const relationshipBase = {
    id: stableId.optional(),
    type: z.literal('foreignKey').optional(),
    to: referenceOrList,
    customProperties: customProperties.optional(),
  };
  const propertyRelationship: z.ZodType<OdcsPropertyRelationship> = z.strictObject(relationshipBase);
  const schemaRelationship: z.ZodType<OdcsSchemaRelationship> = z
    .strictObject({ ...relationshipBase, from: referenceOrList })
    .superRefine((r, ctx) => {
      if (Array.isArray(r.from) !== Array.isArray(r.to)) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: '`from` and `to` must both be single references or both be lists' });
      }
    });

  // --- data quality --------------------------------------------------------------------------

  const between = z
    .tuple([z.number(), z.number()])
    .refine(([a, b]) => a !== b, { message: 'the two bounds must differ' });
  const qualityConditionalKeys = ['metric', 'rule', 'arguments', 'query', 'engine', 'implementation', ...ODCS_QUALITY_OPERATORS] as const;

  const quality: z.ZodType<OdcsDataQuality> = sectionObject({
    id: stableId.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    type: z.enum(ODCS_QUALITY_TYPES).optional(),
    dimension: z.enum(ODCS_QUALITY_DIMENSIONS).optional(),
    method: z.string().optional(),
    severity: z.string().optional(),
    businessImpact: z.string().optional(),
    unit: z.string().optional(),
    schedule: z.string().optional(),
    scheduler: z.string().optional(),
    tags: tags.optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
    metric: (v30 ? z.string() : z.enum(ODCS_QUALITY_METRICS)).optional(),
    rule: z.string().optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
    query: z.string().optional(),
    engine: z.string().optional(),
    implementation: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    mustBe: z.unknown().optional(),
    mustNotBe: z.unknown().optional(),
    mustBeGreaterThan: z.number().optional(),
    mustBeGreaterOrEqualTo: z.number().optional(),
    mustBeLessThan: z.number().optional(),
    mustBeLessOrEqualTo: z.number().optional(),
    mustBeBetween: between.optional(),
    mustNotBeBetween: between.optional(),
  }).superRefine((q, ctx) => {
    if (v30) {
      // v3.0.x: a rule without `type` is a library rule; library rules are named by `rule`.
      if ((q.type === undefined || q.type === 'library') && q.rule === undefined) requiredIssue(ctx, ['rule'], 'library rules require `rule` in ODCS v3.0.x');
      if (q.type === 'sql' && q.query === undefined) requiredIssue(ctx, ['query'], 'sql rules require `query`');
      if (q.type === 'custom') {
        if (q.engine === undefined) requiredIssue(ctx, ['engine'], 'custom rules require `engine`');
        if (q.implementation === undefined) requiredIssue(ctx, ['implementation'], 'custom rules require `implementation`');
      }
      return;
    }
    // v3.1.0+: `library` applies when declared or when a `metric` is given.
    const isLibrary = q.type === 'library' || q.metric !== undefined;
    const isSql = q.type === 'sql';
    const isCustom = q.type === 'custom';
    const allowed = new Set<string>();
    if (isLibrary) ['metric', 'rule', 'arguments', ...ODCS_QUALITY_OPERATORS].forEach((k) => allowed.add(k));
    if (isSql) ['query', ...ODCS_QUALITY_OPERATORS].forEach((k) => allowed.add(k));
    if (isCustom) ['engine', 'implementation'].forEach((k) => allowed.add(k));
    const misplaced = qualityConditionalKeys.filter((k) => present(q, k) && !allowed.has(k));
    if (misplaced.length > 0) {
      ctx.addIssue({
        code: 'unrecognized_keys',
        keys: misplaced,
        path: [],
        message: `not allowed in ${q.type ? `a ${q.type} rule` : 'a rule without type or metric'}: ${misplaced.join(', ')}`,
      } as Parameters<z.RefinementCtx['addIssue']>[0]);
    }
    if (isLibrary && q.metric === undefined) requiredIssue(ctx, ['metric'], 'library rules require `metric`');
    if (isSql && q.query === undefined) requiredIssue(ctx, ['query'], 'sql rules require `query`');
    if (isCustom) {
      if (q.engine === undefined) requiredIssue(ctx, ['engine'], 'custom rules require `engine`');
      if (q.implementation === undefined) requiredIssue(ctx, ['implementation'], 'custom rules require `implementation`');
    }
    if (isLibrary || isSql) {
      const operators = ODCS_QUALITY_OPERATORS.filter((k) => present(q, k));
      if (operators.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            operators.length === 0
              ? `a ${isSql ? 'sql' : 'library'} rule needs exactly one operator (${ODCS_QUALITY_OPERATORS.join(', ')})`
              : `a rule takes exactly one operator, found ${operators.join(', ')}`,
        });
      }
    }
  });
  const qualityChecks = z.array(quality);

  // --- schema objects and properties ----------------------------------------------------------

  const dateOptions = {
    format: z.string().optional(),
    // v3.0.x: booleans; since v3.1.0: the bound itself.
    exclusiveMaximum: (v30 ? z.union([z.boolean(), z.string()]) : z.string()).optional(),
    maximum: z.string().optional(),
    exclusiveMinimum: (v30 ? z.union([z.boolean(), z.string()]) : z.string()).optional(),
    minimum: z.string().optional(),
  };
  const numericOptions = {
    multipleOf: z.number().gt(0).optional(),
    maximum: z.number().optional(),
    exclusiveMaximum: (v30 ? z.union([z.boolean(), z.number()]) : z.number()).optional(),
    minimum: z.number().optional(),
    exclusiveMinimum: (v30 ? z.union([z.boolean(), z.number()]) : z.number()).optional(),
  };
  const timeOptions = z.strictObject({ ...dateOptions, timezone: z.boolean().optional(), defaultTimezone: z.string().optional() });
  /** Closed option sets per logical type; `boolean` and `map` define none (any object). */
  const logicalTypeOptions: Partial<Record<OdcsLogicalType, z.ZodType>> = {
    string: z.strictObject({
      minLength: nonNegativeInt.optional(),
      maxLength: nonNegativeInt.optional(),
      pattern: z.string().optional(),
      format: z.string().optional(),
    }),
    date: z.strictObject(dateOptions),
    timestamp: timeOptions,
    time: timeOptions,
    integer: z.strictObject({
      ...numericOptions,
      format: z.enum(['i8', 'i16', 'i32', 'i64', 'i128', 'u8', 'u16', 'u32', 'u64', 'u128']).optional(),
    }),
    number: z.strictObject({ ...numericOptions, format: z.enum(['f32', 'f64']).optional() }),
    object: z.strictObject({
      maxProperties: nonNegativeInt.optional(),
      minProperties: nonNegativeInt.optional(),
      required: z
        .array(z.string())
        .min(1)
        .superRefine((names, ctx) => uniqueItems(names, ctx, 'property name'))
        .optional(),
    }),
    array: z.strictObject({
      maxItems: nonNegativeInt.optional(),
      minItems: nonNegativeInt.optional(),
      uniqueItems: z.boolean().optional(),
    }),
    vector: z.strictObject({
      dimensions: z.number().int().positive(),
      elementType: z.enum(ODCS_VECTOR_ELEMENT_TYPES).optional(),
      distanceMetric: z.enum(ODCS_VECTOR_DISTANCE_METRICS).optional(),
      normalized: z.boolean().optional(),
      embeddingModel: z.string().optional(),
      embeddingModelVersion: z.string().optional(),
    }),
  };

  /** Checks that depend on `logicalType`: its options, and where `properties`/`items`/`map` may appear. */
  function checkLogicalType(p: OdcsSchemaElementProperty, ctx: z.RefinementCtx, isItem: boolean): void {
    const t = p.logicalType;
    if (t === undefined) return; // untyped: no type-specific rule applies
    const options = logicalTypeOptions[t];
    if (options) {
      if (p.logicalTypeOptions !== undefined) {
        const r = options.safeParse(p.logicalTypeOptions);
        if (!r.success) forwardIssues(ctx, ['logicalTypeOptions'], r.error);
      } else if (t === 'vector') {
        requiredIssue(ctx, ['logicalTypeOptions'], 'logicalType vector requires logicalTypeOptions.dimensions');
      }
    }
    const misplaced: string[] = [];
    if (p.properties !== undefined && t !== 'object' && !isItem) misplaced.push('properties');
    if (p.items !== undefined && t !== 'array') misplaced.push('items');
    if (p.map !== undefined && t !== 'map') misplaced.push('map');
    if (misplaced.length > 0) {
      ctx.addIssue({
        code: 'unrecognized_keys',
        keys: misplaced,
        path: [],
        message: `not allowed with logicalType ${t}: ${misplaced.join(', ')}`,
      } as Parameters<z.RefinementCtx['addIssue']>[0]);
    }
    if (t === 'map' && p.map === undefined) requiredIssue(ctx, ['map'], 'logicalType map requires `map` with `key` and `value`');
  }

  // Shapes are functions so that each schema gets its own getters (recursion is resolved lazily).
  function elementShape<N extends z.ZodType>(name: N) {
    return {
      id: stableId.optional(),
      name,
      physicalName: z.string().optional(),
      physicalType: z.string().optional(),
      businessName: z.string().optional(),
      description: z.string().optional(),
      logicalType: z.enum(ODCS_LOGICAL_TYPES).optional(),
      logicalTypeOptions: z.record(z.string(), z.unknown()).optional(),
      required: z.boolean().optional(),
      unique: z.boolean().optional(),
      primaryKey: z.boolean().optional(),
      primaryKeyPosition: z.number().int().optional(),
      partitioned: z.boolean().optional(),
      partitionKeyPosition: z.number().int().optional(),
      classification: z.string().optional(),
      encryptedName: z.string().optional(),
      criticalDataElement: z.boolean().optional(),
      semanticType: z.enum(ODCS_SEMANTIC_TYPES).optional(),
      transformSourceObjects: z.array(z.string()).optional(),
      transformLogic: z.string().optional(),
      transformDescription: z.string().optional(),
      examples: z.array(z.unknown()).optional(),
      enum: enumValues.optional(),
      deprecated: z.boolean().optional(),
      synonyms: z.array(synonym).optional(),
      tags: tags.optional(),
      customProperties: customProperties.optional(),
      authoritativeDefinitions: authoritativeDefinitions.optional(),
      relationships: z.array(propertyRelationship).optional(),
      quality: qualityChecks.optional(),
      get properties() {
        return z.array(schemaProperty).optional();
      },
      get items() {
        return itemProperty.optional();
      },
      get map() {
        return z.strictObject({ key: itemProperty, value: itemProperty }).optional();
      },
    };
  }

  const schemaProperty: z.ZodType<OdcsSchemaProperty> = z
    .strictObject(elementShape(z.string()))
    .superRefine((p, ctx) => checkLogicalType(p, ctx, false));
  const itemProperty: z.ZodType<OdcsSchemaItemProperty> = z
    .strictObject(elementShape(z.string().optional()))
    .superRefine((p, ctx) => checkLogicalType(p, ctx, true));

  /** A table, view, topic, file, ... */
  const schemaObject = z.strictObject({
    id: stableId.optional(),
    name: z.string(),
    physicalName: z.string().optional(),
    /** Examples: table, view, topic, file. */
    physicalType: z.string().optional(),
    logicalType: z.literal('object').optional(),
    businessName: z.string().optional(),
    description: z.string().optional(),
    dataGranularityDescription: z.string().optional(),
    properties: z.array(schemaProperty).optional(),
    relationships: z.array(schemaRelationship).optional(),
    quality: qualityChecks.optional(),
    context: context.optional(),
    deprecated: z.boolean().optional(),
    synonyms: z.array(synonym).optional(),
    tags: tags.optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
  });

  // --- servers --------------------------------------------------------------------------------

  const role = sectionObject({
    id: stableId.optional(),
    role: z.string(),
    description: z.string().optional(),
    access: z.string().optional(),
    firstLevelApprovers: z.string().optional(),
    secondLevelApprovers: z.string().optional(),
    customProperties: customProperties.optional(),
  });

  const serverCommon = {
    id: stableId.optional(),
    server: z.string(),
    description: z.string().optional(),
    /** Examples: prod, preprod, dev, uat. */
    environment: z.string().optional(),
    roles: z.array(role).optional(),
    customProperties: customProperties.optional(),
  };
  const opt = z.string().optional();
  const str = z.string();
  /** Character encoding of served payloads (v3.2.0, RFC 0043), e.g. UTF-8 (default), ISO-8859-1. */
  const encoding = z.string().optional();

  const server = z.discriminatedUnion('type', [
    sectionObject({ ...serverCommon, type: z.literal('api'), location: str }),
    sectionObject({ ...serverCommon, type: z.literal('athena'), schema: str, stagingDir: opt, catalog: opt, regionName: opt, workgroup: opt }),
    sectionObject({ ...serverCommon, type: z.literal('azure'), location: str, format: str, delimiter: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('bigquery'), project: str, dataset: str }),
    sectionObject({ ...serverCommon, type: z.literal('clickhouse'), host: str, port, database: str }),
    sectionObject({ ...serverCommon, type: z.literal('cloudsql'), host: str, port, database: str, schema: str }),
    sectionObject({
      ...serverCommon,
      type: z.literal('custom'),
      account: opt, catalog: opt, database: opt, dataset: opt, delimiter: opt, encoding, endpointUrl: opt,
      format: opt, host: opt, location: opt, path: opt, port: port.optional(), project: opt, region: opt,
      regionName: opt, schema: opt, serviceName: opt, stagingDir: opt, stream: opt, warehouse: opt,
    }),
    sectionObject({ ...serverCommon, type: z.literal('databricks'), catalog: str, schema: str, host: opt }),
    sectionObject({ ...serverCommon, type: z.literal('db2'), host: str, port, database: str, schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('denodo'), host: str, port, database: opt }),
    sectionObject({ ...serverCommon, type: z.literal('dremio'), host: str, port, schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('duckdb'), database: str, schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('exasol'), host: str, port: port.optional(), schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('glue'), account: str, database: str, location: opt, format: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('hana'), host: str, port: port.optional(), database: opt, schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('hive'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('iceberg'), catalog: str, catalogUrl: str, namespace: opt, warehouse: opt }),
    sectionObject({ ...serverCommon, type: z.literal('impala'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('informix'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('ingres'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('kafka'), host: str, format: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('kinesis'), stream: opt, region: opt, format: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('local'), path: str, format: str, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('mysql'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('oracle'), host: str, port, serviceName: str }),
    sectionObject({ ...serverCommon, type: z.enum(['poet', 'fastobjects']), database: str, host: opt, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.enum(['postgres', 'postgresql']), host: str, database: str, port: port.optional(), schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('presto'), host: str, catalog: opt, schema: opt }),
    sectionObject({ ...serverCommon, type: z.literal('pubsub'), project: str }),
    sectionObject({ ...serverCommon, type: z.literal('redshift'), database: str, schema: str, host: opt, region: opt, account: opt }),
    sectionObject({ ...serverCommon, type: z.literal('s3'), location: str, endpointUrl: opt, format: opt, delimiter: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('sftp'), location: str, format: opt, delimiter: opt, encoding }),
    sectionObject({ ...serverCommon, type: z.literal('snowflake'), account: str, database: str, schema: str, host: opt, port: port.optional(), warehouse: opt }),
    sectionObject({ ...serverCommon, type: z.literal('sqlserver'), host: str, database: str, schema: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('synapse'), host: str, port, database: str }),
    sectionObject({ ...serverCommon, type: z.literal('teradata'), host: str, port: port.optional(), database: opt }),
    sectionObject({ ...serverCommon, type: z.literal('trino'), host: str, port, catalog: str, schema: str }),
    sectionObject({ ...serverCommon, type: z.literal('vectorwise'), host: str, database: str, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('versant'), database: str, host: opt, port: port.optional() }),
    sectionObject({ ...serverCommon, type: z.literal('vertica'), host: str, port, database: str, schema: str }),
    sectionObject({ ...serverCommon, type: z.enum(['zen', 'btrieve']), host: str, database: str, port: port.optional() }),
  ]);

  // --- the other sections ---------------------------------------------------------------------

  const support = sectionObject({
    id: stableId.optional(),
    channel: z.string(),
    /** Required in v3.0.x, optional since v3.1.0. */
    url: z.string().optional(),
    description: z.string().optional(),
    /** Examples: email, slack, teams, discord, ticket, googlechat, other. */
    tool: z.string().optional(),
    /** Examples: interactive, announcements, issues, notifications. */
    scope: z.string().optional(),
    invitationUrl: z.string().optional(),
    customProperties: customProperties.optional(),
  }).superRefine((s, ctx) => {
    if (v30 && s.url === undefined) requiredIssue(ctx, ['url'], 'support channels require `url` in ODCS v3.0.x');
  });

  const price = sectionObject({
    id: stableId.optional(),
    priceAmount: z.number().optional(),
    priceCurrency: z.string().optional(),
    /** e.g. megabyte, gigabyte. */
    priceUnit: z.string().optional(),
  });

  const slaProperty = sectionObject({
    id: stableId.optional(),
    /** e.g. latency, retention, frequency, availability, generalAvailability, endOfSupport, timeOfAvailability. */
    property: z.string(),
    value: scalar,
    valueExt: scalar.optional(),
    /** d, day, days, y, yr, years, ... */
    unit: z.string().optional(),
    element: z.string().optional(),
    driver: z.string().optional(),
    description: z.string().optional(),
    scheduler: z.string().optional(),
    schedule: z.string().optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
  });

  const memberFields = {
    id: stableId.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    /** Free text, e.g. owner, data steward. */
    role: z.string().optional(),
    dateIn: z.string().optional(),
    dateOut: z.string().optional(),
    replacedByUsername: z.string().optional(),
    tags: tags.optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
  };
  const teamMember = sectionObject({ username: z.string(), ...memberFields });
  const teamObject = sectionObject({
    id: stableId.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    members: z.array(teamMember).optional(),
    tags: tags.optional(),
    customProperties: customProperties.optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
  });
  /** v3.0.x: `team` is a list of members, none of whose fields is required. */
  const legacyTeamMember = sectionObject({ username: z.string().optional(), ...memberFields });
  const team = v30
    ? z.array(legacyTeamMember)
    : listOr(teamObject, z.array(teamMember)); // the list is deprecated since v3.1.0, removed in v4

  const description = z.looseObject({
    usage: z.string().optional(),
    purpose: z.string().optional(),
    limitations: z.string().optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
    customProperties: customProperties.optional(),
  });

  const documentFields = {
    kind: z.literal(ODCS_KIND),
    id: z.string(),
    /** Version of the contract itself (not of the standard). */
    version: z.string(),
    name: z.string().optional(),
    tenant: z.string().optional(),
    domain: z.string().optional(),
    /** Deprecated since v3.1.0. */
    dataProduct: z.string().optional(),
    description: description.optional(),
    tags: tags.optional(),
    context: context.optional(),
    servers: z.array(server).optional(),
    schema: z.array(schemaObject).optional(),
    support: z.array(support).optional(),
    price: price.optional(),
    team: team.optional(),
    roles: z.array(role).optional(),
    /** Deprecated since v3.1.0, removed in v4. */
    slaDefaultElement: z.string().optional(),
    slaProperties: z.array(slaProperty).optional(),
    authoritativeDefinitions: authoritativeDefinitions.optional(),
    customProperties: customProperties.optional(),
    contractCreatedTs: z.string().optional(),
  };

  return {
    server,
    schemaObject,
    schemaProperty,
    quality,
    slaProperty,
    support,
    teamObject,
    teamMember,
    role,
    price,
    documentFields,
  };
}

// Built on first use, not when the module loads: some 550 schema objects that cost ~40 ms of every
// start, while descriptors mostly come from the descriptor cache already checked.
let families: { latest: ReturnType<typeof buildOdcs>; legacy: ReturnType<typeof buildOdcs> } | null = null;
const built = () => (families ??= { latest: buildOdcs('latest'), legacy: buildOdcs('v3.0') });

/**
 * The v3.2.0 rules, which (like the standard's own JSON Schema) accept every v3 `apiVersion`:
 * the standard validates its examples, whatever version they declare, against the latest schema.
 */
export const odcsLatestDocumentSchema = z.lazy(() =>
  z.strictObject({
    apiVersion: z.enum(ODCS_API_VERSIONS),
    /** Examples: proposed, draft, active, deprecated, retired. Required by the v3.0.x and v3.1.0 schemas, optional since v3.2.0. */
    status: z.string().optional(),
    ...built().latest.documentFields,
  }),
);

/** The v3.0.x rules, for documents that declare v3.0.0, v3.0.1 or v3.0.2 and use the v3.0 layouts. */
export const odcsV30DocumentSchema = z.lazy(() =>
  z.strictObject({
    apiVersion: z.enum(V30_API_VERSIONS),
    status: z.string(),
    ...built().legacy.documentFields,
  }),
);

type OdcsLatestDocument = z.infer<typeof odcsLatestDocumentSchema>;
type OdcsV30Document = z.infer<typeof odcsV30DocumentSchema>;

function isV30(input: unknown): boolean {
  const v = (input as { apiVersion?: unknown } | null)?.apiVersion;
  return typeof v === 'string' && (V30_API_VERSIONS as readonly string[]).includes(v);
}

/**
 * A whole ODCS document (`*.odcs.yaml`). Valid when it follows the v3.2.0 rules, or, for a
 * document declaring v3.0.x, the v3.0.x rules. When a v3.0.x document fails both, the issues
 * of whichever rule set it is closer to (fewer issues; the v3.0.x set on a tie) are reported.
 */
export const odcsDocumentSchema = z.unknown().transform((input, ctx): OdcsLatestDocument | OdcsV30Document => {
  const modern = odcsLatestDocumentSchema.safeParse(input);
  if (modern.success) return modern.data;
  let issues = modern.error.issues;
  if (isV30(input)) {
    const old = odcsV30DocumentSchema.safeParse(input);
    if (old.success) return old.data;
    if (old.error.issues.length <= issues.length) issues = old.error.issues;
  }
  for (const issue of issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export type OdcsDocument = z.infer<typeof odcsDocumentSchema>;

// Section schemas (v3.2.0 rules) for callers that validate fragments.
export const odcsServerSchema = z.lazy(() => built().latest.server);
export const odcsSchemaObjectSchema = z.lazy(() => built().latest.schemaObject);
export const odcsSchemaPropertySchema = z.lazy(() => built().latest.schemaProperty);
export const odcsDataQualitySchema = z.lazy(() => built().latest.quality);
export const odcsSlaPropertySchema = z.lazy(() => built().latest.slaProperty);
export const odcsSupportChannelSchema = z.lazy(() => built().latest.support);
export const odcsTeamSchema = z.lazy(() => built().latest.teamObject);
export const odcsTeamMemberSchema = z.lazy(() => built().latest.teamMember);
export const odcsRoleSchema = z.lazy(() => built().latest.role);
export const odcsPriceSchema = z.lazy(() => built().latest.price);

export type OdcsServer = z.infer<typeof odcsServerSchema>;
export type OdcsSchemaObject = z.infer<typeof odcsSchemaObjectSchema>;
export type OdcsSlaProperty = z.infer<typeof odcsSlaPropertySchema>;
export type OdcsSupportChannel = z.infer<typeof odcsSupportChannelSchema>;
export type OdcsTeam = z.infer<typeof odcsTeamSchema>;
export type OdcsTeamMember = z.infer<typeof odcsTeamMemberSchema>;
export type OdcsRole = z.infer<typeof odcsRoleSchema>;
export type OdcsPrice = z.infer<typeof odcsPriceSchema>;

/** Team members whatever the layout (v3.1.0+ `team.members`, or the v3.0.x list). */
export function odcsTeamMembers(doc: Pick<OdcsDocument, 'team'>): Array<Partial<OdcsTeamMember>> {
  const team = doc.team;
  if (!team) return [];
  return Array.isArray(team) ? team : (team.members ?? []);
}
