// `npm run demo:publish`: puts the demo products on the local infrastructure (`npm run infra:up`):
// creates their topics (3 partitions each) and publishes the recorded stream captures with their
// original keys, headers and timestamps (back-filling the demo days), uploads the daily
// snapshots to the S3 bucket, then, with --live, keeps producing new orders at --rate per second.
//
//   npm run demo:publish                 # back-fill topics and bucket, then exit
//   npm run demo:publish -- --live --rate 50 [--duration 60]
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import { CaptureSource } from '../../electron/services/streams/capture/capture-source';
import { readInfraEnv } from '../../test/infra/env';
import { DEMO_DEFAULTS } from './generate';

const DEMO = DEMO_DEFAULTS.out;
const BUCKET = 'acme-lake';
const PARTITIONS = 3;
const STORES = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'WEB'];

/** Every file below a folder. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function publishCapture(kafka: Kafka, file: string): Promise<{ topic: string; count: number }> {
  const source = await CaptureSource.open(file);
  const topic = source.topic;
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  if (existing.includes(topic)) {
    await admin.disconnect();
    await source.close();
    console.error(`  ${topic}: exists already, not published again (delete it to re-publish)`);
    return { topic, count: 0 };
  }
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: false });
  await producer.connect();
  let count = 0;
  for (const partition of await source.partitions()) {
    const positions = new Map([[partition, 0]]);
    for (;;) {
      const [batch] = await source.read(positions);
      if (!batch?.records.length) break;
      const messages: Message[] = batch.records.map((r) => ({
        partition: partition % PARTITIONS,
        key: r.key,
        value: r.value,
        timestamp: String(r.timestamp),
        headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value ?? ''])),
      }));
      // A produce request is one record batch per partition: keep it under the broker's 1 MB limit.
      for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500), acks: -1 });
      count += messages.length;
      positions.set(partition, batch.records.at(-1)!.offset + 1);
    }
  }
  await producer.disconnect();
  await source.close();
  return { topic, count };
}

async function uploadSnapshots(s3: S3Client): Promise<number> {
  const exists = await s3.send(new HeadBucketCommand({ Bucket: BUCKET })).then(() => true, () => false);
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const root = join(DEMO, 'snapshots');
  const files = await filesUnder(root);
  for (const file of files) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: relative(root, file).split('\\').join('/'), Body: await readFile(file) }));
  }
  return files.length;
}

/** New orders as the demo's orders look, stamped now; ids continue after the recorded ones. */
async function produceLive(kafka: Kafka, rate: number, durationS: number | null): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let next = DEMO_DEFAULTS.days * DEMO_DEFAULTS.ordersPerDay + 1;
  const started = Date.now();
  const tickMs = 100;
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  process.once('SIGTERM', () => (stop = true));
  console.error(`Producing ${rate} orders/s to sales.orders.v1 (Ctrl-C to stop)`);
  let carry = 0;
  while (!stop && (durationS === null || Date.now() - started < durationS * 1000)) {
    carry += (rate * tickMs) / 1000;
    const n = Math.floor(carry);
    carry -= n;
    const messages: Message[] = [];
    for (let i = 0; i < n; i++, next++) {
      const store = STORES[next % STORES.length]!;
      const qty = 1 + (next % 3);
      const price = Math.round((5 + ((next * 37) % 9500) / 100) * 100) / 100;
      const order = {
        order_id: `O-${String(next).padStart(8, '0')}`,
        customer_id: `C-${String(1 + ((next * 7919) % DEMO_DEFAULTS.customers)).padStart(6, '0')}`,
        store_id: store,
        ordered_at: new Date().toISOString(),
        amount: Math.round(qty * price * 100) / 100,
        currency: 'EUR',
        status: 'placed',
        channel: store === 'WEB' ? 'web' : 'store',
        items: [{ sku: `SKU-${String(1 + (next % 5000)).padStart(5, '0')}`, qty, unit_price: price }],
      };
      messages.push({ key: order.order_id, value: JSON.stringify(order), headers: { source: order.channel, 'schema-version': '1.4.0' } });
    }
    if (messages.length) await producer.send({ topic: 'sales.orders.v1', messages });
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await producer.disconnect();
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({ options: { live: { type: 'boolean' }, rate: { type: 'string', default: '20' }, duration: { type: 'string' } } });
  const env = readInfraEnv();
  if (!env.kafka || !env.s3) throw new Error('Start the local infrastructure first: npm run infra:up');
  const kafka = new Kafka({ brokers: [env.kafka.bootstrap], clientId: 'dpx-demo-publish', logLevel: logLevel.ERROR });
  for (const name of (await readdir(join(DEMO, 'captures'))).filter((n) => n.endsWith('.parquet')).sort()) {
    const { topic, count } = await publishCapture(kafka, join(DEMO, 'captures', name));
    if (count) console.error(`  ${topic}: ${count} messages published`);
  }
  const s3 = new S3Client({ endpoint: env.s3.endpoint, region: env.s3.region, forcePathStyle: true, credentials: { accessKeyId: env.s3.accessKeyId, secretAccessKey: env.s3.secretAccessKey } });
  console.error(`  s3://${BUCKET}: ${await uploadSnapshots(s3)} snapshot files uploaded`);
  if (values.live) await produceLive(kafka, Number(values.rate), values.duration ? Number(values.duration) : null);
}

await main();
