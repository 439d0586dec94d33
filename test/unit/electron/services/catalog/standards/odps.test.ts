import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  ODPS_API_VERSIONS,
  odpsDocumentSchema,
  odpsTeamMembers,
  type OdpsDocument,
} from '../../../../../../electron/services/catalog/standards/odps';

function fixture(name: string): unknown {
  return parse(readFileSync(new URL(`./fixtures/odps/${name}`, import.meta.url), 'utf8'));
}

function parseValid(name: string): OdpsDocument {
  const result = odpsDocumentSchema.safeParse(fixture(name));
  if (!result.success) throw new Error(`${name} should be valid:\n${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}

type Found = { path: PropertyKey[]; code: string };
const byPath = (a: Found, b: Found): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function issuesOf(name: string): Found[] {
  const result = odpsDocumentSchema.safeParse(fixture(name));
  if (result.success) throw new Error(`${name} should be invalid`);
  return result.error.issues.map((i: z.core.$ZodIssue) => ({ path: i.path, code: i.code })).sort(byPath);
}

describe('ODPS document schema', () => {
  it('enumerates the apiVersion values of the standard', () => {
    expect([...ODPS_API_VERSIONS]).toEqual(['v1.1.0', 'v1.0.0', 'v0.9.0']);
  });

  describe('valid documents', () => {
    it('accepts a complete v1.1.0 product', () => {
      const doc = parseValid('valid-full.odps.yaml');
      expect(doc.apiVersion).toBe('v1.1.0');
      expect(doc.kind).toBe('DataProduct');
      expect(doc.type).toBe('sourceAligned');
      expect(doc.description?.purpose).toMatch(/pickup to delivery/);
      expect(doc.customProperties?.map((p) => p.property)).toEqual(['costCentre', 'catalogVisibility', 'regions']);
      expect(doc.customProperties?.[1]?.vendor).toBe('acme-catalog');
      expect(doc.customProperties?.[2]?.value).toEqual(['eu-west', 'eu-central']);
      expect(doc.inputPorts?.map((p) => [p.name, p.version, p.contractId])).toEqual([
        ['depot-scans', 'v1.4.0', '0f3b9a8e-1111-4c2d-8e7f-aa0000000001'],
        ['orders', undefined, '0f3b9a8e-1111-4c2d-8e7f-aa0000000002'],
      ]);
      const events = doc.outputPorts?.[0];
      expect(events?.type).toBe('topic');
      expect(events?.sbom?.[0]?.tags).toEqual(['cyclonedx']);
      expect(events?.inputContracts).toEqual([{ id: '0f3b9a8e-1111-4c2d-8e7f-aa0000000001', version: 'v1.4.0' }]);
      expect(events?.context?.instructions).toMatch(/consumer lag/);
      expect(doc.outputPorts?.[2]).toEqual({ name: 'parcel-status', type: 'api' });
      expect(doc.managementPorts?.map((p) => p.content)).toEqual(['dictionary', 'observability']);
      expect(doc.support?.map((s) => s.tool)).toEqual(['slack', 'email']);
      expect(doc.context?.verifiedStatements).toHaveLength(2);
      expect(doc.synonyms?.[1]?.locale).toBe('fr-FR');
      expect(doc.productCreatedTs).toBe('2023-05-15T08:00:00Z');
    });

    it('finds the owner in team.members (v1.0.0+ layout)', () => {
      const doc = parseValid('valid-full.odps.yaml');
      expect(Array.isArray(doc.team)).toBe(false);
      const owner = odpsTeamMembers(doc).find((m) => m.role === 'owner');
      expect(owner?.username).toBe('mira.holm@northwind.example');
    });

    it('accepts the minimal v1.1.0 product (apiVersion, kind, id)', () => {
      expect(parseValid('valid-minimal.odps.yaml')).toEqual({
        apiVersion: 'v1.1.0',
        kind: 'DataProduct',
        id: 'minimal-product-0001',
      });
    });

    it('accepts a v1.0.0 product', () => {
      const doc = parseValid('valid-v1.0.0.odps.yaml');
      expect(doc.status).toBe('draft');
      expect(doc.outputPorts?.[0]?.sbom?.[0]?.url).toBe('https://sbom.example/stock-levels.json');
    });

    it('accepts the v0.9.0 team list in a v0.9.0 document', () => {
      const doc = parseValid('valid-v0.9.0-team-list.odps.yaml');
      expect(Array.isArray(doc.team)).toBe(true);
      expect(odpsTeamMembers(doc).map((m) => m.role)).toEqual(['owner', 'data steward']);
    });
  });

  describe('invalid documents', () => {
    const cases: Array<[string, Found[]]> = [
      ['invalid-missing-id.odps.yaml', [{ path: ['id'], code: 'invalid_type' }]],
      ['invalid-api-version.odps.yaml', [{ path: ['apiVersion'], code: 'invalid_value' }]],
      ['invalid-kind.odps.yaml', [{ path: ['kind'], code: 'invalid_value' }]],
      [
        'invalid-unknown-field.odps.yaml',
        [
          { path: [], code: 'unrecognized_keys' },
          { path: ['outputPorts', 0], code: 'unrecognized_keys' },
        ],
      ],
      [
        'invalid-wrong-types.odps.yaml',
        [
          { path: ['id'], code: 'invalid_type' },
          { path: ['tags'], code: 'invalid_type' },
          { path: ['deprecated'], code: 'invalid_type' },
          { path: ['inputPorts'], code: 'invalid_type' },
        ],
      ],
      [
        'invalid-ports.odps.yaml',
        [
          { path: ['inputPorts', 0, 'name'], code: 'invalid_type' },
          { path: ['outputPorts', 0, 'inputContracts', 0, 'version'], code: 'invalid_type' },
          { path: ['managementPorts', 0, 'content'], code: 'invalid_type' },
        ],
      ],
      [
        'invalid-sections.odps.yaml',
        [
          { path: ['customProperties', 0, 'value'], code: 'custom' },
          { path: ['authoritativeDefinitions', 0, 'type'], code: 'invalid_type' },
          { path: ['support', 0, 'url'], code: 'invalid_type' },
          { path: ['team', 'members', 0, 'username'], code: 'invalid_type' },
          { path: ['context', 'verifiedStatements', 0, 'question'], code: 'invalid_type' },
        ],
      ],
      ['invalid-team-list-v1.1.0.odps.yaml', [{ path: ['team'], code: 'custom' }]],
      [
        'invalid-v0.9.0-requirements.odps.yaml',
        [
          { path: ['status'], code: 'custom' },
          { path: ['inputPorts', 0, 'version'], code: 'custom' },
          { path: ['inputPorts', 0, 'contractId'], code: 'custom' },
          { path: ['outputPorts', 0, 'version'], code: 'custom' },
          { path: ['outputPorts', 0, 'sbom', 0, 'url'], code: 'custom' },
        ],
      ],
    ];

    it.each(cases)('%s is rejected at the expected paths', (name, expected) => {
      expect(issuesOf(name)).toEqual([...expected].sort(byPath));
    });

    it('names the unknown keys', () => {
      const result = odpsDocumentSchema.safeParse(fixture('invalid-unknown-field.odps.yaml'));
      const keys = result.error?.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
      expect(keys?.sort()).toEqual(['format', 'owner']);
    });

    it('rejects a document that is not an object', () => {
      const result = odpsDocumentSchema.safeParse('apiVersion: v1.1.0');
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: [], code: 'invalid_type' });
    });
  });
});
