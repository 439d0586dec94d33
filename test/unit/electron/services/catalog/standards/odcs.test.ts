import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  ODCS_API_VERSIONS,
  ODCS_QUALITY_DIMENSIONS,
  ODCS_QUALITY_METRICS,
  ODCS_SERVER_TYPES,
  odcsDocumentSchema,
  odcsServerSchema,
  odcsTeamMembers,
  type OdcsDocument,
  type OdcsServer,
} from '../../../../../../electron/services/catalog/standards/odcs';

function fixture(name: string): unknown {
  return parse(readFileSync(new URL(`./fixtures/odcs/${name}`, import.meta.url), 'utf8'));
}

function parseValid(name: string): OdcsDocument {
  const result = odcsDocumentSchema.safeParse(fixture(name));
  if (!result.success) throw new Error(`${name} should be valid:\n${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}

type Found = { path: PropertyKey[]; code: string };
const byPath = (a: Found, b: Found): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function issuesOf(name: string): Found[] {
  const result = odcsDocumentSchema.safeParse(fixture(name));
  if (result.success) throw new Error(`${name} should be invalid`);
  return result.error.issues.map((i: z.core.$ZodIssue) => ({ path: i.path, code: i.code })).sort(byPath);
}

/** Connection summary, as the explorer would show it; exercises narrowing on `type`. */
function endpoint(server: OdcsServer): string {
  switch (server.type) {
    case 'kafka':
      return `kafka://${server.host}`;
    case 's3':
      return server.location;
    case 'local':
      return `file:${server.path}`;
    case 'api':
      return server.location;
    case 'postgres':
    case 'postgresql':
      return `postgres://${server.host}:${server.port ?? 5432}/${server.database}`;
    default:
      return server.type;
  }
}

describe('ODCS document schema', () => {
  it('enumerates the v3 apiVersion values and the standard enums', () => {
    expect([...ODCS_API_VERSIONS]).toEqual(['v3.2.0', 'v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0']);
    expect(ODCS_SERVER_TYPES).toEqual(expect.arrayContaining(['api', 'kafka', 'local', 'postgres', 'postgresql', 's3', 'custom']));
    expect(ODCS_QUALITY_METRICS).toEqual(['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount']);
    expect(ODCS_QUALITY_DIMENSIONS).toContain('completeness');
  });

  describe('valid documents', () => {
    it('accepts a complete v3.2.0 contract', () => {
      const doc = parseValid('valid-full-v3.2.0.odcs.yaml');
      expect(doc.apiVersion).toBe('v3.2.0');
      expect(doc.servers?.map(endpoint)).toEqual([
        'kafka://broker-1.northwind.example:9092',
        's3://northwind-lake/parcels/scans/*.parquet',
        's3://northwind-lake/parcels/raw/',
        'file:./data/scans.csv',
        'https://api.northwind.example/v2/scans',
        'postgres://${PG_HOST}:${PG_PORT:-5432}/reporting',
        'snowflake',
        'iceberg',
        'custom',
      ]);
      const scans = doc.schema?.[0];
      expect(scans?.physicalType).toBe('topic');
      expect(scans?.quality?.map((q) => q.type)).toEqual(['library', 'sql', 'custom', 'text']);
      expect(scans?.relationships?.[1]?.from).toEqual(['scans.parcel_id', 'scans.depot_code']);
      const props = scans?.properties ?? [];
      expect(props.map((p) => p.logicalType)).toEqual([
        'string', 'string', 'string', 'timestamp', 'integer', 'number', 'boolean', 'date',
        'object', 'array', 'map', 'vector', 'integer', 'string',
      ]);
      expect(props[0]?.primaryKey).toBe(true);
      expect(props[2]?.enum?.map((e) => e.value)).toEqual(['OSL', 'GOT']);
      expect(props[8]?.properties?.map((p) => p.name)).toEqual(['length_cm', 'width_cm']);
      expect(props[9]?.items?.properties?.map((p) => p.name)).toEqual(['badge', 'shift']);
      expect(props[10]?.map?.value.logicalType).toBe('string');
      expect(props[11]?.logicalTypeOptions).toMatchObject({ dimensions: 384, distanceMetric: 'cosine' });
      expect(props[4]?.quality?.[0]?.mustBeBetween).toEqual([0, 10]);
      expect(doc.slaProperties?.map((s) => [s.property, s.value, s.unit])).toEqual([
        ['latency', 5, 'm'],
        ['retention', 2, 'y'],
        ['frequency', 1, 'm'],
        ['generalAvailability', '2023-05-15T00:00:00Z', undefined],
      ]);
      expect(doc.price).toEqual({ priceAmount: 0.5, priceCurrency: 'EUR', priceUnit: 'gigabyte' });
      expect(odcsTeamMembers(doc).find((m) => m.role === 'owner')?.username).toBe('mira.holm@northwind.example');
      expect(doc.roles?.map((r) => r.role)).toEqual(['parcel_reader', 'parcel_admin']);
    });

    it('accepts the minimal v3.2.0 contract (apiVersion, kind, id, version)', () => {
      expect(parseValid('valid-minimal-v3.2.0.odcs.yaml')).toEqual({
        apiVersion: 'v3.2.0',
        kind: 'DataContract',
        id: 'minimal-contract-0001',
        version: '1.0.0',
      });
    });

    it('accepts a v3.1.0 contract with the deprecated team list', () => {
      const doc = parseValid('valid-v3.1.0.odcs.yaml');
      expect(Array.isArray(doc.team)).toBe(true);
      expect(odcsTeamMembers(doc).map((m) => m.username)).toEqual(['ana@example.org']);
    });

    it('accepts a v3.0.2 contract in the v3.0 layouts and keeps the keys v3.0 left open', () => {
      const doc = parseValid('valid-v3.0.2-legacy.odcs.yaml');
      expect(doc.apiVersion).toBe('v3.0.2');
      expect(doc.servers?.[0]).toMatchObject({ type: 'kafka', host: 'broker.example.org:9092', topic: 'returns' });
      const rule = doc.schema?.[0]?.properties?.[0]?.quality?.[0];
      expect(rule).toMatchObject({ rule: 'range', mustBeGreaterThan: 0, mustBeLessThan: 10000, validationEngine: 'internal' });
      expect(odcsTeamMembers(doc)).toEqual([{ name: 'Kim', role: 'owner' }]);
    });

    it('validates a server on its own, discriminated by type', () => {
      expect(odcsServerSchema.safeParse({ server: 'x', type: 'kafka', host: 'h:9092', format: 'json' }).success).toBe(true);
      expect(odcsServerSchema.safeParse({ server: 'x', type: 'local', path: './a.csv', format: 'csv' }).success).toBe(true);
      const bad = odcsServerSchema.safeParse({ server: 'x', type: 'kafka', location: 's3://nope' });
      expect(bad.error?.issues.map((i) => [i.path, i.code])).toEqual(
        expect.arrayContaining([
          [['host'], 'invalid_type'],
          [[], 'unrecognized_keys'],
        ]),
      );
    });
  });

  describe('invalid documents', () => {
    const quality = (i: number): PropertyKey[] => ['schema', 0, 'properties', 0, 'quality', i];
    const property = (i: number): PropertyKey[] => ['schema', 0, 'properties', i];
    const cases: Array<[string, Found[]]> = [
      [
        'invalid-fundamentals.odcs.yaml',
        [
          { path: ['version'], code: 'invalid_type' },
          { path: ['status'], code: 'invalid_type' },
          { path: [], code: 'unrecognized_keys' },
        ],
      ],
      ['invalid-api-version.odcs.yaml', [{ path: ['apiVersion'], code: 'invalid_value' }]],
      ['invalid-kind.odcs.yaml', [{ path: ['kind'], code: 'invalid_value' }]],
      [
        'invalid-servers.odcs.yaml',
        [
          { path: ['servers', 0, 'type'], code: 'invalid_union' }, // mongodb is not a server type
          { path: ['servers', 1, 'location'], code: 'invalid_type' }, // s3 needs location
          { path: ['servers', 2], code: 'unrecognized_keys' }, // kafka has no topic field
          { path: ['servers', 3, 'port'], code: 'invalid_union' }, // port: integer or string
          { path: ['servers', 4, 'server'], code: 'invalid_type' },
          { path: ['servers', 5, 'format'], code: 'invalid_type' }, // local needs format
        ],
      ],
      [
        'invalid-schema.odcs.yaml',
        [
          { path: ['schema', 0, 'id'], code: 'invalid_format' },
          { path: [...property(0), 'name'], code: 'invalid_type' },
          { path: [...property(1), 'logicalType'], code: 'invalid_value' },
          { path: [...property(2), 'enum'], code: 'too_small' },
          { path: [...property(3), 'enum', 1], code: 'custom' },
          { path: [...property(4), 'map'], code: 'custom' },
          { path: [...property(5), 'logicalTypeOptions', 'dimensions'], code: 'invalid_type' },
          { path: [...property(6), 'logicalTypeOptions'], code: 'unrecognized_keys' },
          { path: property(6), code: 'unrecognized_keys' },
          { path: [...property(7), 'relationships', 0], code: 'unrecognized_keys' },
          { path: ['schema', 0, 'relationships', 0, 'from'], code: 'invalid_type' },
          { path: ['schema', 1, 'name'], code: 'invalid_type' },
        ],
      ],
      [
        'invalid-quality.odcs.yaml',
        [
          { path: ['schema', 0, 'quality', 0, 'mustBeBetween'], code: 'too_small' },
          { path: ['schema', 0, 'quality', 1, 'query'], code: 'custom' },
          { path: ['schema', 0, 'quality', 2, 'implementation'], code: 'custom' },
          { path: [...quality(0), 'dimension'], code: 'invalid_value' },
          { path: [...quality(1), 'metric'], code: 'invalid_value' },
          { path: [...quality(2), 'metric'], code: 'custom' },
          { path: quality(3), code: 'custom' }, // two operators
          { path: [...quality(4), 'type'], code: 'invalid_value' },
          { path: quality(5), code: 'unrecognized_keys' }, // `rule` without type or metric
        ],
      ],
      [
        'invalid-sla-team-support.odcs.yaml',
        [
          { path: ['slaProperties', 0, 'value'], code: 'invalid_union' },
          { path: ['slaProperties', 1, 'value'], code: 'invalid_union' },
          { path: ['slaProperties', 2, 'property'], code: 'invalid_type' },
          { path: ['support', 0, 'channel'], code: 'invalid_type' },
          { path: ['team', 'members', 0, 'username'], code: 'invalid_type' },
          { path: ['roles', 0, 'role'], code: 'invalid_type' },
          { path: ['price', 'priceAmount'], code: 'invalid_type' },
          { path: ['customProperties', 0, 'property'], code: 'invalid_type' },
        ],
      ],
      [
        'invalid-v3.1.0-legacy-layout.odcs.yaml',
        [
          { path: ['team', 0, 'username'], code: 'invalid_type' },
          { path: [...quality(0), 'metric'], code: 'custom' },
        ],
      ],
      ['invalid-v3.0.2-missing-status.odcs.yaml', [{ path: ['status'], code: 'invalid_type' }]],
    ];

    it.each(cases)('%s is rejected at the expected paths', (name, expected) => {
      expect(issuesOf(name)).toEqual([...expected].sort(byPath));
    });

    it('explains quality rule problems', () => {
      const result = odcsDocumentSchema.safeParse(fixture('invalid-quality.odcs.yaml'));
      const messages = result.error?.issues.map((i) => i.message).join('\n');
      expect(messages).toContain('exactly one operator, found mustBe, mustNotBe');
      expect(messages).toContain('sql rules require `query`');
    });

    it('rejects a document that is not an object', () => {
      const result = odcsDocumentSchema.safeParse(['apiVersion', 'v3.2.0']);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: [], code: 'invalid_type' });
    });
  });
});
