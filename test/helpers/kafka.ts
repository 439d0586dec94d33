// Test-side Kafka helpers: produce with kafkajs (the public producer), and stop/start the real
// broker through the infra script.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { ROOT } from '../infra/env';

export async function produce(bootstrap: string, topic: string, messages: Message[], opts: { create?: boolean; partitions?: number; clientId?: string } = {}): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: opts.clientId ?? 'dpx-it', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  try {
    if (opts.create) await admin.createTopics({ topics: [{ topic, numPartitions: opts.partitions ?? 3 }], waitForLeaders: true });
    // Batches of 500 stay under the broker's 1 MB request limit.
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500), acks: -1 });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

/** Runs the infra script (`down --only kafka`, `up --only kafka --secure`, …); throws with its output. */
export function infra(...args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'infra', 'infra.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`infra ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}
