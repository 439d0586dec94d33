// Record-level checks compiled from the demo's real contracts.
import { beforeAll, describe, expect, it } from 'vitest';
import { CatalogService } from '../../../../../electron/services/catalog/catalog-service';
import { compileRecordValidator, type RecordValidator } from '../../../../../electron/services/quality/record-validator';
import { DEMO } from '../../../../helpers/workspace-fixture';

const order = () => ({
  order_id: 'O-00000042',
  customer_id: 'C-000001',
  store_id: 'S03',
  ordered_at: '2026-10-01T12:00:00.000Z',
  amount: 12.5,
  currency: 'EUR',
  status: 'placed',
  channel: 'store',
  items: [{ sku: 'SKU-00001', qty: 1, unit_price: 12.5 }],
});

describe('record validator (sales.orders contract)', () => {
  let validate: RecordValidator;
  let profile: RecordValidator;
  beforeAll(async () => {
    const catalog = await CatalogService.open(DEMO);
    const contractOf = (id: string) => catalog.record(id).outputs[0]!.contract!.doc.schema![0]!.properties!;
    validate = compileRecordValidator(contractOf('sales.orders'));
    profile = compileRecordValidator(contractOf('customers.profile'));
  });

  it('passes a record that keeps the contract', () => {
    expect(validate(order())).toEqual([]);
  });

  it('names each broken rule with the field and the value', () => {
    expect(validate({ ...order(), amount: -3 })).toEqual(['amount: -3 must be > 0']);
    expect(validate({ ...order(), customer_id: null })).toEqual(['customer_id: required']);
    expect(validate({ ...order(), store_id: 'S99' })).toEqual(['store_id: "S99" is not one of S01, S02, S03, S04, S05, S06, S07, S08, WEB (invalidValues)']);
    expect(validate({ ...order(), order_id: 'X1' })).toEqual(['order_id: "X1" does not match ^O-[0-9]{8}$']);
    expect(validate({ ...order(), ordered_at: 'yesterday' })).toEqual(['ordered_at: "yesterday" is not a timestamp']);
    expect(validate({ ...order(), amount: '12.5' })).toEqual(['amount: "12.5" is not a number']);
  });

  it('checks nested array items and reports every failure of a record', () => {
    const bad = { ...order(), status: 'lost', items: [{ sku: 'A', qty: 0, unit_price: 1 }, { qty: 2, unit_price: 1 }] };
    expect(validate(bad)).toEqual([
      'status: "lost" is not one of placed, cancelled (invalidValues)',
      'items[0].qty: 0 must be ≥ 1',
      'items[1].sku: required',
    ]);
  });

  it('refuses values that are not records', () => {
    expect(validate('hello')).toEqual(['value: "hello" is not an object']);
    expect(validate([order()])[0]).toMatch(/is not an object/);
  });

  it('applies optional-field rules only when there is a value (customers.profile)', () => {
    const p = { customer_id: 'C-1', country: 'DE', marketing_opt_in: true, updated_at: '2026-10-01T00:00:00Z' };
    expect(profile(p)).toEqual([]);
    expect(profile({ ...p, email: 'not-an-address' })).toEqual(['email: "not-an-address" does not match ^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$']);
    expect(profile({ ...p, segment: 'whale' })[0]).toMatch(/segment: "whale" is not one of new, regular, loyal, vip, dormant/);
  });

  it('refuses days and times the calendar does not have, which Date.parse would roll over', () => {
    for (const at of ['2026-02-29T00:00:00Z', '2026-04-31T12:00:00Z', '2026-13-01T00:00:00Z', '2026-10-00T00:00:00Z', '2026-10-01T24:00:00Z', '2026-10-01T12:60:00Z', '2026-10-01T12:00:60Z']) {
      expect(validate({ ...order(), ordered_at: at }), at).toEqual([`ordered_at: "${at}" is not a timestamp`]);
    }
    for (const at of ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00Z', '2026-12-31T23:59:59+01:00']) expect(validate({ ...order(), ordered_at: at }), at).toEqual([]);
    const days = compileRecordValidator([{ name: 'd', logicalType: 'date' }, { name: 't', logicalType: 'time' }]);
    expect(days({ d: '2026-02-31', t: '12:00' })).toEqual(['d: "2026-02-31" is not a date']);
    expect(days({ d: '1900-02-29', t: '25:00' })).toEqual(['d: "1900-02-29" is not a date', 't: "25:00" is not a time']);
    expect(days({ d: '2024-02-29', t: '23:59:59.5' })).toEqual([]);
  });

  it('never throws on hostile values', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}');
    expect(() => validate(hostile)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
