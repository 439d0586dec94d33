// Seeded, deterministic maker of the demo data: daily Parquet snapshots of the four demo products
// and a recorded capture of each stream. Same seed and sizes → same rows, every time.
//
//   npx tsx examples/generator/generate.ts                      # the shipped demo (examples/demo)
//   npx tsx examples/generator/generate.ts --out /tmp/big --orders-per-day 333334 --threads 2
//
// Everything is computed inside DuckDB from hash(row, salt, seed), so ten million rows take
// seconds, and no random state lives in JavaScript.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface GeneratorOptions {
  out: string;
  start: string; // first day, YYYY-MM-DD
  days: number;
  ordersPerDay: number;
  customers: number;
  seed: number;
  threads: number;
  /** Also write the stream captures (the benchmarks only need snapshots). */
  captures: boolean;
}

export const DEMO_DEFAULTS: GeneratorOptions = {
  out: resolve(import.meta.dirname ?? '.', '../demo'),
  start: '2026-10-01',
  days: 30,
  ordersPerDay: 500,
  customers: 2000,
  seed: 42,
  threads: 1,
  captures: true,
};

/** Row numbers (0-based) of the orders that deliberately break the contract, so quality is visible. */
export const BROKEN_ORDERS = { negativeAmount: [1234, 8765], nullCustomer: [4321], unknownStore: [11111] };
/** Offset of the one capture message whose value is not JSON (a poison message). */
export const POISON_ORDER_ROW = 7000;

const STORES = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'WEB'];
const SEGMENTS = ['new', 'regular', 'loyal', 'vip', 'dormant'];
const COUNTRIES = ['DE', 'FR', 'NL', 'BE', 'ES', 'IT', 'AT', 'PL'];

const sqlList = (xs: readonly (string | number)[]) => `[${xs.map((x) => (typeof x === 'number' ? x : `'${x}'`)).join(', ')}]`;

export async function generate(opts: GeneratorOptions, log: (s: string) => void = () => {}): Promise<void> {
  const db = await DuckDBInstance.create(':memory:', { threads: String(opts.threads) });
  const c = await db.connect();
  try {
    await c.run(`SET TimeZone = 'UTC'`);
    // u(i, salt) is a uniform number in [0, 1) determined by the row, the salt and the seed.
    await c.run(`CREATE MACRO u(i, salt) AS (hash(i, salt, ${opts.seed}::BIGINT) % 1000000007) / 1000000007.0`);
    // pick(i, salt, n) is a whole number in [0, n): floor, since CAST would round up to n.
    await c.run(`CREATE MACRO pick(i, salt, n) AS CAST(floor(u(i, salt) * n) AS INTEGER)`);
    await makeOrders(c, opts);
    await makeCustomers(c, opts);
    await makeDerived(c, opts);
    const snapshots = join(opts.out, 'snapshots');
    await rm(snapshots, { recursive: true, force: true });
    for (const [product, table] of [
      ['sales.orders', 'orders_snapshot'],
      ['sales.daily-totals', 'daily_totals'],
      ['customers.profile', 'profile_snapshot'],
      ['marketing.ad-targeting', 'predictions'],
    ] as const) {
      const dir = join(snapshots, product);
      await mkdir(dir, { recursive: true });
      await c.run(`COPY (SELECT * FROM ${table} ORDER BY ALL) TO '${dir}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (date), FILENAME_PATTERN 'part-{i}', OVERWRITE_OR_IGNORE)`);
      log(`snapshots ${product}`);
    }
    if (opts.captures) {
      const captures = join(opts.out, 'captures');
      await rm(captures, { recursive: true, force: true });
      await mkdir(captures, { recursive: true });
      await makeCaptures(c, opts, captures);
      log('captures');
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

async function makeOrders(c: DuckDBConnection, o: GeneratorOptions) {
  const n = o.days * o.ordersPerDay;
  const stores = sqlList(STORES);
  await c.run(`
    CREATE TABLE orders AS
    WITH base AS (
      SELECT i,
        TIMESTAMPTZ '${o.start} 00:00:00+00' + to_days(CAST(i // ${o.ordersPerDay} AS INTEGER))
          -- busier afternoons: the square root bends the uniform draw toward the end of the day
          + to_microseconds(CAST(sqrt(u(i, 'time')) * 86399999999 AS BIGINT)) AS ordered_at,
        ${stores}[1 + pick(i, 'store', ${STORES.length})] AS store_id,
        1 + CAST(floor(pow(u(i, 'customer'), 2) * ${o.customers}) AS INTEGER) AS customer_no,
        1 + pick(i, 'lines', 4) AS lines
      FROM range(${n}) t(i)
    ),
    lined AS (
      SELECT *, list_transform(range(lines), j -> {
          'sku': printf('SKU-%05d', 1 + pick(i * 8 + j, 'sku', 5000)),
          'qty': 1 + pick(i * 8 + j, 'qty', 3),
          'unit_price': CAST(round(1 + u(i * 8 + j, 'price') * 99, 2) AS DECIMAL(10,2))
        }) AS items
      FROM base
    )
    SELECT i,
      printf('O-%08d', i + 1) AS order_id,
      CASE WHEN i IN ${sqlList(BROKEN_ORDERS.nullCustomer)} THEN NULL ELSE printf('C-%06d', customer_no) END AS customer_id,
      CASE WHEN i IN ${sqlList(BROKEN_ORDERS.unknownStore)} THEN 'S99' ELSE store_id END AS store_id,
      ordered_at,
      CAST(CASE WHEN i IN ${sqlList(BROKEN_ORDERS.negativeAmount)} THEN -1 ELSE 1 END
        * list_sum(list_transform(items, x -> x.qty * x.unit_price)) AS DECIMAL(10,2)) AS amount,
      'EUR' AS currency,
      CASE WHEN u(i, 'cancel') < 0.03 THEN 'cancelled' ELSE 'placed' END AS status,
      CASE WHEN store_id = 'WEB' THEN 'web' ELSE 'store' END AS channel,
      CAST(items AS STRUCT(sku VARCHAR, qty INTEGER, unit_price DECIMAL(10,2))[]) AS items
    FROM lined`);
  await c.run(`CREATE VIEW orders_snapshot AS
    SELECT order_id, customer_id, store_id, ordered_at, amount, currency, status, channel, items,
      strftime(ordered_at, '%Y-%m-%d') AS date FROM orders`);
}

async function makeCustomers(c: DuckDBConnection, o: GeneratorOptions) {
  const span = o.days * 86400;
  await c.run(`
    CREATE TABLE customer_events AS
    WITH customers AS (
      SELECT n,
        -- 70 % existed before the first day (their first state is published at its start)
        CASE WHEN u(n, 'new') < 0.7 THEN 0 ELSE CAST(u(n, 'born') * ${span} AS BIGINT) END AS first_s,
        1 + pick(n, 'versions', 4) AS versions
      FROM range(1, ${o.customers + 1}) t(n)
    ),
    versions AS (
      SELECT n, v, first_s + CAST((${span} - first_s) * u(n * 16 + v, 'at') * v / versions AS BIGINT) AS at_s
      FROM customers, range(versions) r(v)
    )
    SELECT
      printf('C-%06d', n) AS customer_id,
      CASE WHEN u(n * 16 + v, 'badmail') < 0.004 THEN printf('customer%06d.example', n)
           ELSE printf('customer%06d@mail.example', n) END AS email,
      printf('Customer %d', n) AS full_name,
      ${sqlList(COUNTRIES)}[1 + pick(n, 'country', ${COUNTRIES.length})] AS country,
      ${sqlList(SEGMENTS)}[1 + pick(n * 16 + v, 'segment', ${SEGMENTS.length})] AS segment,
      u(n * 16 + v, 'optin') < 0.6 AS marketing_opt_in,
      TIMESTAMPTZ '${o.start} 00:00:00+00' + to_seconds(at_s) AS updated_at
    FROM versions`);
  // State snapshot for day D: the latest event per customer with updated_at before the end of D.
  await c.run(`CREATE VIEW profile_snapshot AS
    SELECT * EXCLUDE (rn, day), strftime(day, '%Y-%m-%d') AS date FROM (
      SELECT d.day, e.*, row_number() OVER (PARTITION BY d.day, e.customer_id ORDER BY e.updated_at DESC) AS rn
      FROM customer_events e
      JOIN (SELECT DATE '${o.start}' + CAST(k AS INTEGER) AS day FROM range(${o.days}) t(k)) d
        ON e.updated_at < d.day + INTERVAL 1 DAY
    ) WHERE rn = 1`);
}

async function makeDerived(c: DuckDBConnection, o: GeneratorOptions) {
  // Exactly the aggregation the contract declares (customProperties aggregateSql), per day.
  await c.run(`CREATE VIEW daily_totals AS
    SELECT CAST(ordered_at AS DATE) AS day, store_id, COUNT(*) AS orders, CAST(SUM(amount) AS DECIMAL(14,2)) AS revenue,
      strftime(CAST(ordered_at AS DATE), '%Y-%m-%d') AS date
    FROM orders WHERE status = 'placed' GROUP BY ALL`);
  await c.run(`CREATE VIEW predictions AS
    WITH days AS (SELECT DATE '${o.start}' + CAST(k AS INTEGER) AS day FROM range(${o.days}) t(k)),
    activity AS (
      SELECT d.day, customer_id, COUNT(*) AS orders_90d, CAST(SUM(amount) AS DECIMAL(12,2)) AS spend_90d, max(ordered_at) AS last_order
      FROM days d JOIN orders ON ordered_at < d.day + INTERVAL 1 DAY AND ordered_at >= d.day - INTERVAL 89 DAY
      WHERE customer_id IS NOT NULL AND status = 'placed'
      GROUP BY ALL
    )
    SELECT a.customer_id, coalesce(p.segment, 'new') AS segment, p.country, CAST(a.orders_90d AS INTEGER) AS orders_90d, a.spend_90d,
      round(1 - exp(-(a.orders_90d * 0.35 + u(hash(a.customer_id), a.day::VARCHAR) * 0.3)), 4) AS propensity,
      CAST(a.day + INTERVAL 1 DAY + INTERVAL 90 MINUTE AS TIMESTAMPTZ) AS predicted_at,
      strftime(a.day, '%Y-%m-%d') AS date
    FROM activity a LEFT JOIN profile_snapshot p ON p.customer_id = a.customer_id AND p.date = strftime(a.day, '%Y-%m-%d')`);
}

async function makeCaptures(c: DuckDBConnection, o: GeneratorOptions, dir: string) {
  const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  // Kafka stamps a record a little after the event happened; offsets follow that order per partition.
  await c.run(`CREATE TABLE order_records AS
    SELECT i AS row_no, order_id AS k,
      -- Kafka timestamps are whole milliseconds.
      date_trunc('millisecond', ordered_at + to_milliseconds(CAST(u(i, 'delay') * 1500 AS BIGINT))) AS ts,
      CAST(hash(order_id) % 3 AS INTEGER) AS partition,
      CASE WHEN i = ${POISON_ORDER_ROW} THEN '\\xFF\\xFE{"order_id": "O-'::BLOB
           ELSE encode(json_object('order_id', order_id, 'customer_id', customer_id, 'store_id', store_id,
             'ordered_at', ${iso('ordered_at')}, 'amount', amount, 'currency', currency, 'status', status,
             'channel', channel, 'items', items)::VARCHAR) END AS value,
      [{'key': 'source', 'value': encode(channel)}, {'key': 'schema-version', 'value': encode('1.4.0')}] AS headers
    FROM orders`);
  await writeCapture(c, 'order_records', 'sales.orders.v1', join(dir, 'sales.orders.v1.parquet'));
  await c.run(`CREATE TABLE customer_records AS
    SELECT row_number() OVER (ORDER BY updated_at, customer_id) AS row_no, customer_id AS k,
      date_trunc('millisecond', updated_at + to_milliseconds(CAST(u(hash(customer_id, updated_at), 'delay') * 1500 AS BIGINT))) AS ts,
      CAST(hash(customer_id) % 3 AS INTEGER) AS partition,
      encode(json_object('customer_id', customer_id, 'email', email, 'full_name', full_name, 'country', country,
        'segment', segment, 'marketing_opt_in', marketing_opt_in, 'updated_at', ${iso('updated_at')})::VARCHAR) AS value,
      [{'key': 'source', 'value': encode('crm')}] AS headers
    FROM customer_events`);
  await writeCapture(c, 'customer_records', 'customers.profile.v3', join(dir, 'customers.profile.v3.parquet'));
}

/** The capture file format: one row per Kafka record, as a tail would have recorded it. */
async function writeCapture(c: DuckDBConnection, table: string, topic: string, file: string) {
  await c.run(`COPY (
    SELECT '${topic}' AS topic, partition,
      CAST(row_number() OVER (PARTITION BY partition ORDER BY ts, row_no) - 1 AS BIGINT) AS "offset",
      ts AS "timestamp", encode(k) AS "key", value,
      CAST(headers AS STRUCT("key" VARCHAR, "value" BLOB)[]) AS headers
    FROM ${table} ORDER BY partition, "offset"
  ) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
}

async function cli() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      'orders-per-day': { type: 'string' },
      customers: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      'no-captures': { type: 'boolean' },
    },
  });
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const opts: GeneratorOptions = {
    out: values.out ? resolve(values.out) : DEMO_DEFAULTS.out,
    start: values.start ?? DEMO_DEFAULTS.start,
    days: num(values.days, DEMO_DEFAULTS.days),
    ordersPerDay: num(values['orders-per-day'], DEMO_DEFAULTS.ordersPerDay),
    customers: num(values.customers, DEMO_DEFAULTS.customers),
    seed: num(values.seed, DEMO_DEFAULTS.seed),
    threads: num(values.threads, DEMO_DEFAULTS.threads),
    captures: !values['no-captures'],
  };
  const t0 = Date.now();
  await generate(opts, (s) => process.stderr.write(`  ${s}\n`));
  process.stderr.write(`Generated ${opts.days} days × ${opts.ordersPerDay} orders into ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) await cli();
