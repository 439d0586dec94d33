/**
 * Throughput of our read client against kcat on the same topic (1,000,000 x ~254-byte JSON
 * messages, 6 partitions, uncompressed). Opt-in: DPX_KAFKA_BENCH=1 (needs kcat; the topic
 * `bench-1m-raw` is created and filled with kcat on first use, ~1 min). Prints msg/s of
 *   - kcat -C -e -o beginning -q > /dev/null   (whole process, as people run it)
 *   - our fetch + decode loop, values as Buffers   (in process, from new KafkaClient() to the last record)
 *   - the same + JSON.parse of every value
 * interleaved, several rounds, medians; RSS of our process.
 *
 *   DPX_KAFKA_BENCH=1 npx vitest run --project integration test/integration/streams/kafka-client/bench.test.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaClient } from '../../../../electron/services/streams/kafka/index';
import { readInfraEnv } from '../../../infra/env';

const enabled = process.env['DPX_KAFKA_BENCH'] === '1';
const TOPIC = process.env['DPX_KAFKA_BENCH_TOPIC'] ?? 'bench-1m-raw';
const MESSAGES = 1_000_000;
const ROUNDS = Number(process.env['DPX_KAFKA_BENCH_ROUNDS'] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function ensureTopic(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'dpx-bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(TOPIC)) {
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      if (offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0) >= MESSAGES) return;
      throw new Error(`${TOPIC} exists but holds fewer than ${MESSAGES} messages; delete it to regenerate`);
    }
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const file = '/tmp/dpx-bench-msgs.txt';
  if (!existsSync(file)) {
    const lines: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const id = `O-${String(i).padStart(8, '0')}`;
      lines.push(
        `${id}:{"order_id": "${id}", "customer_id": "C-${String((i * 7919) % 100000).padStart(6, '0')}", "store_id": "S0${i % 10}", "ordered_at": "2026-10-01T12:34:56.789Z", "amount": ${((i * 37) % 50000) / 100}, "currency": "EUR", "status": "placed", "channel": "store", "note": "${'x'.repeat(40)}"}`,
      );
    }
    writeFileSync(file, lines.join('\n') + '\n');
  }
  const r = spawnSync('kcat', ['-P', '-b', bootstrap, '-t', TOPIC, '-K:', '-l', file], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`kcat -P failed: ${r.stderr}`);
}

const hasTime = existsSync('/usr/bin/time');

/** Wall ms and CPU ms (user + system) of one kcat run. */
function kcat(bootstrap: string): { ms: number; cpuMs: number } {
  const t0 = process.hrtime.bigint();
  const cmd = `kcat -C -b ${bootstrap} -t ${TOPIC} -e -o beginning -q > /dev/null`;
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', 'sh', '-c', cmd], { timeout: 120_000, encoding: 'utf8' })
    : spawnSync('sh', ['-c', cmd], { timeout: 120_000, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kcat -C failed: ${r.stderr}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const [u, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { ms, cpuMs: hasTime ? ((u ?? NaN) + (sys ?? NaN)) * 1000 : NaN };
}

async function ours(bootstrap: string, json: boolean): Promise<{ ms: number; cpuMs: number; n: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const c = new KafkaClient({ brokers: [bootstrap] });
  const parts = (await c.topic(TOPIC)).partitions.map((p) => p.partition);
  const pos = await c.offsets(TOPIC, parts, 'earliest');
  const end = await c.offsets(TOPIC, parts, 'latest');
  let n = 0;
  let sink = 0;
  for (;;) {
    const active = new Map([...pos].filter(([p, o]) => o < end.get(p)!));
    if (active.size === 0) break;
    for (const r of await c.fetch(TOPIC, active, { maxWaitMs: 100 })) {
      if (r.error) throw r.error;
      for (const rec of r.records) {
        n++;
        if (json) sink += (JSON.parse(rec.value!.toString('utf8')) as { amount: number }).amount;
        else sink += rec.value!.length;
      }
      pos.set(r.partition, r.nextOffset);
    }
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await c.close();
  if (sink < 0) throw new Error('unreachable');
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, n };
}

describe.skipIf(!enabled)('throughput vs kcat', () => {
  it(`reads ${MESSAGES} messages`, { timeout: 900_000 }, async () => {
    const bootstrap = readInfraEnv().kafka!.bootstrap;
    await ensureTopic(bootstrap);
    const k: Array<{ ms: number; cpuMs: number }> = [];
    const raw: Array<{ ms: number; cpuMs: number }> = [];
    const parsed: Array<{ ms: number; cpuMs: number }> = [];
    let rss = 0;
    await ours(bootstrap, false); // warm-up (JIT)
    for (let i = 0; i < ROUNDS; i++) {
      k.push(kcat(bootstrap));
      const a = await ours(bootstrap, false);
      expect(a.n).toBe(MESSAGES);
      raw.push(a);
      rss = Math.max(rss, process.memoryUsage().rss);
      const b = await ours(bootstrap, true);
      expect(b.n).toBe(MESSAGES);
      parsed.push(b);
    }
    const rate = (ms: number): number => Math.round((MESSAGES / ms) * 1000);
    const kcatRate = rate(median(k.map((x) => x.ms)));
    const kcatCpu = median(k.map((x) => x.cpuMs));
    const line = (name: string, runs: Array<{ ms: number; cpuMs: number }>): string => {
      const r = rate(median(runs.map((x) => x.ms)));
      const cpu = median(runs.map((x) => x.cpuMs));
      return (
        `${name.padEnd(32)} median ${r.toLocaleString('en').padStart(9)} msg/s = ${(r / kcatRate).toFixed(2)}x kcat; ` +
        `CPU ${Math.round(cpu)} ms (${(kcatCpu / cpu).toFixed(2)}x kcat's msg per CPU-s); wall ms ${runs.map((x) => Math.round(x.ms)).join(', ')}`
      );
    };
    console.info(
      [
        `[bench] ${TOPIC}: ${MESSAGES} messages, ${ROUNDS} rounds, Node ${process.version}`,
        line('kcat -C (whole process)', k),
        line('ours: fetch + decode (Buffers)', raw),
        line('ours: + JSON.parse(value)', parsed),
        `peak RSS of the test process: ${Math.round(rss / 1e6)} MB`,
      ].join('\n'),
    );
  });
});
