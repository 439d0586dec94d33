import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaField, SchemaObject } from '../../../../../shared/model/product';
import { readParquetFooter, type ParquetField } from '../../../../../electron/services/storage/parquet-footer';
import { compareSchema, describeDeclaredType, parseDeclaredType } from '../../../../../electron/services/storage/schema-compare';
import { LocalSnapshotStore } from '../../../../../electron/services/storage/snapshot-store';
import { writeParquet } from './fixtures';

const field = (name: string, logicalType?: string, physicalType?: string, children: SchemaField[] = []): SchemaField => ({
  name,
  path: name,
  ...(logicalType ? { logicalType } : {}),
  ...(physicalType ? { physicalType } : {}),
  required: false,
  unique: false,
  primaryKey: false,
  quality: [],
  children,
});
const object = (fields: SchemaField[], name = 'orders'): SchemaObject => ({ name, fields, quality: [] });

describe('declared physical types', () => {
  it.each([
    ['VARCHAR', 'VARCHAR'],
    ['varchar(255)', 'VARCHAR'],
    ['string', 'VARCHAR'],
    ['INT', 'INTEGER'],
    ['int8', 'BIGINT'],
    ['DECIMAL(10,2)', 'DECIMAL(10,2)'],
    ['numeric(12, 0)', 'DECIMAL(12,0)'],
    ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH TIME ZONE'],
    ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
    ['TIMESTAMP_MS', 'TIMESTAMP'],
    ['STRUCT(sku VARCHAR, qty INTEGER, unit_price DECIMAL(10,2))[]', 'STRUCT(sku VARCHAR, qty INTEGER, unit_price DECIMAL(10,2))[]'],
    ['MAP(VARCHAR, BIGINT)', 'MAP(VARCHAR, BIGINT)'],
    ['LIST(DOUBLE)', 'DOUBLE[]'],
    ['STRUCT("odd name" INT)', 'STRUCT(odd name INTEGER)'],
    ['BYTE_ARRAY', 'BYTE_ARRAY'],
  ])('%s', (text, described) => {
    expect(describeDeclaredType(parseDeclaredType(text)!)).toBe(described);
  });

  it.each(['NUMBER(38,0)', 'array<string>', 'table', '', 'VARCHAR VARCHAR('])('%s is not judged', (text) => {
    expect(parseDeclaredType(text)).toBeNull();
  });
});

describe('Parquet schema against the contract', () => {
  let dir: string;
  let columns: ParquetField[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpx-schema-'));
    const path = join(dir, 'f.parquet');
    await writeParquet(
      path,
      `SELECT 'O-1' AS order_id, 3::INTEGER AS qty, 1.5::DOUBLE AS ratio, 12.5::DECIMAL(10,2) AS amount, TIMESTAMPTZ '2026-10-01 00:00:00+00' AS ordered_at,
        TIMESTAMP '2026-10-01 00:00:00' AS local_ts, DATE '2026-10-01' AS day, true AS ok, ['a'] AS tags,
        [{'sku': 'X', 'qty': 1::INTEGER, 'unit_price': 1.00::DECIMAL(10,2)}] AS items, {'email': 'a@b', 'age': 3} AS customer, MAP {'k': 1} AS attrs,
        'surprise' AS extra_col`,
    );
    columns = (await readParquetFooter(new LocalSnapshotStore(dir), { key: path, size: (await stat(path)).size })).schema;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts what fits: logical types mapped to Parquet, exact physical types, nested fields', () => {
    const check = compareSchema(
      [
        object([
          field('order_id', 'string', 'VARCHAR'),
          field('qty', 'integer', 'INTEGER'),
          field('ratio', 'number', 'DOUBLE'),
          field('amount', 'number', 'DECIMAL(10,2)'),
          field('ordered_at', 'timestamp', 'TIMESTAMP WITH TIME ZONE'),
          field('local_ts', 'timestamp'),
          field('day', 'date', 'DATE'),
          field('ok', 'boolean'),
          field('tags', 'array', 'VARCHAR[]', [field('tag', 'string')]),
          field('items', 'array', 'STRUCT(sku VARCHAR, qty INTEGER, unit_price DECIMAL(10,2))[]', [field('item', 'object', undefined, [field('sku', 'string'), field('qty', 'integer'), field('unit_price', 'number')])]),
          field('customer', 'object', undefined, [field('email', 'string'), field('AGE', 'integer')]),
          field('attrs', 'object'),
          field('extra_col', 'string'),
        ]),
      ],
      columns,
    );
    expect(check).toEqual({ object: 'orders', ok: true, missing: [], extra: [], mistyped: [] });
  });

  it('flags missing, extra and mistyped columns, nested ones by path', () => {
    const check = compareSchema(
      [
        object([
          field('order_id', 'integer'),
          field('qty', 'integer', 'BIGINT'),
          field('ratio', 'integer'),
          field('amount', 'number', 'DECIMAL(12,2)'),
          field('ordered_at', 'date'),
          field('local_ts', 'timestamp', 'TIMESTAMPTZ'),
          field('day', 'timestamp'),
          field('ok', 'string'),
          field('tags', 'object'),
          field('items', 'array', undefined, [field('item', 'object', undefined, [field('sku', 'integer'), field('qty', 'integer'), field('discount', 'number')])]),
          field('customer', 'object', undefined, [field('email', 'string')]),
          field('attrs', 'object', undefined, [field('k', 'integer')]),
          field('channel', 'string'),
        ]),
      ],
      columns,
    );
    expect(check.ok).toBe(false);
    expect(check.missing.map((i) => i.path)).toEqual(['items[].discount', 'channel']);
    expect(check.extra.map((i) => [i.path, i.actual])).toEqual([
      ['items[].unit_price', 'DECIMAL(10,2)'],
      ['customer.age', 'INTEGER'],
      ['extra_col', 'VARCHAR'],
    ]);
    expect(Object.fromEntries(check.mistyped.map((i) => [i.path, i.actual]))).toEqual({
      order_id: 'VARCHAR',
      qty: 'INTEGER',
      ratio: 'DOUBLE',
      amount: 'DECIMAL(10,2)',
      ordered_at: 'TIMESTAMP WITH TIME ZONE',
      local_ts: 'TIMESTAMP',
      day: 'DATE',
      ok: 'BOOLEAN',
      tags: 'VARCHAR[]',
      'items[].sku': 'VARCHAR',
      attrs: 'MAP(VARCHAR, INTEGER)',
    });
    expect(check.mistyped.find((i) => i.path === 'amount')!.message).toBe('amount: the contract\'s physicalType is DECIMAL(12,2), the file has DECIMAL(10,2) (DECIMAL(10,2), not DECIMAL(12,2))');
    expect(check.mistyped.find((i) => i.path === 'order_id')!.message).toBe('order_id: the contract says integer, the file has VARCHAR');
  });

  it('compares with the contract object that matches best', () => {
    const check = compareSchema([object([field('x', 'string')], 'other'), object([field('order_id', 'string'), field('qty', 'integer')], 'orders')], columns);
    expect(check.object).toBe('orders');
    expect(check.missing).toEqual([]);
  });
});
