// Orders for stream tests over the real broker: JSON per the demo's sales.orders contract, three
// of them planted to fail it (#7 a negative amount, #42 an unknown store, #100 bytes that are not
// JSON), spread over three partitions (i % 3), time-stamped one minute apart from T0.
import type { Message } from 'kafkajs';

export const T0 = Date.parse('2026-10-01T00:00:00Z');

export function testOrder(i: number): Record<string, unknown> {
  return {
    order_id: `O-${String(i).padStart(8, '0')}`,
    customer_id: `C-${String(1 + (i % 50)).padStart(6, '0')}`,
    store_id: i === 42 ? 'S99' : ['S01', 'S02', 'WEB'][i % 3],
    ordered_at: new Date(T0 + i * 60_000).toISOString(),
    amount: i === 7 ? -1 : 10 + (i % 90),
    currency: 'EUR',
    status: 'placed',
    channel: i % 3 === 2 ? 'web' : 'store',
    items: [{ sku: 'SKU-00001', qty: 1, unit_price: 10 }],
  };
}

/** Orders #from…#to-1 as messages, keyed by order id, with a `source` header. */
export function orderMessages(from: number, to: number): Array<Message & { partition: number }> {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      partition: i % 3,
      key: `O-${String(i).padStart(8, '0')}`,
      value: i === 100 ? Buffer.from([0xff, 0xfe, 0x7b]) : JSON.stringify(testOrder(i)),
      timestamp: String(T0 + i * 60_000),
      headers: { source: i % 3 === 2 ? 'web' : 'store' },
    };
  });
}

/** The stores of benchmark orders (all the contract allows). */
export const STORES = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'WEB'];

/** Order #i of the tail benchmark: ~230 bytes of JSON that pass the sales.orders contract. */
export function benchOrder(i: number): Record<string, unknown> {
  const store = STORES[i % STORES.length]!;
  const qty = 1 + (i % 3);
  const price = 5 + ((i * 7919) % 9000) / 100;
  return {
    order_id: `O-${String(i % 100_000_000).padStart(8, '0')}`,
    customer_id: `C-${String(1 + ((i * 31) % 200_000)).padStart(6, '0')}`,
    store_id: store,
    ordered_at: new Date(T0 + i * 250).toISOString(),
    amount: Math.round(qty * price * 100) / 100,
    currency: 'EUR',
    status: i % 50 === 0 ? 'cancelled' : 'placed',
    channel: store === 'WEB' ? 'web' : 'store',
    items: [{ sku: `SKU-${String(i % 5000).padStart(5, '0')}`, qty, unit_price: price }],
  };
}
