/**
 * Test services for integration tests, the local demo and CI: a real Apache Kafka 4.x broker and
 * an S3-compatible server (S3Proxy), both on 127.0.0.1, both detached JVMs.
 *
 *   npx tsx test/infra/infra.ts up [--secure] [--fresh] [--only kafka|s3]
 *   npx tsx test/infra/infra.ts down [--clean] [--only kafka|s3]
 *   npx tsx test/infra/infra.ts status
 *
 * up      idempotent: reuses what already runs and answers, starts the rest, waits until both
 *         really answer, writes .infra/env.json (addresses, test credentials, pids).
 *         First run also fetches the jars with Maven (needs java 17+ and mvn).
 *         --secure  adds Kafka's SASL_SSL listener (TLS + SCRAM-SHA-256/512); DPX_KAFKA_SECURE=1 too
 *         --fresh   wipes Kafka's and S3's data before starting
 * down    stops both (SIGTERM, then SIGKILL after a grace period); --clean also deletes their data
 * status  exit 0 when everything in env.json runs and answers
 * setup   only fetch what `up` needs (the jars, with Maven), start nothing: for CI images
 *
 * Ports are picked free once and kept; fix them with DPX_KAFKA_PORT, DPX_KAFKA_CONTROLLER_PORT,
 * DPX_KAFKA_SECURE_PORT, DPX_S3_PORT. Logs: .infra/kafka.log, .infra/s3.log.
 */
import { rmSync } from 'node:fs';
import { InfraError, log, rel, withLock, writeJson } from './common';
import { ENV_FILE, readInfraEnvIfAny } from './env';
import type { InfraEnv } from './env';
import { downKafka, setupKafka, statusKafka, upKafka } from './kafka';
import { downS3, setupS3, statusS3, upS3 } from './s3';

type Service = 'kafka' | 's3';

interface Args {
  cmd: string;
  secure: boolean;
  fresh: boolean;
  clean: boolean;
  only: Service[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    cmd: '',
    secure: /^(1|true|yes)$/i.test(process.env['DPX_KAFKA_SECURE'] ?? ''),
    fresh: false,
    clean: false,
    only: ['kafka', 's3'],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--secure') args.secure = true;
    else if (a === '--fresh') args.fresh = true;
    else if (a === '--clean') args.clean = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'kafka' && v !== 's3') throw new InfraError(`--only takes kafka or s3, not ${v ?? 'nothing'}`);
      args.only = [v];
    } else if (a === '-h' || a === '--help') args.cmd = 'help';
    else if (!args.cmd && !a.startsWith('-')) args.cmd = a;
    else throw new InfraError(`unknown argument: ${a}`);
  }
  return args;
}

function saveEnv(env: InfraEnv): void {
  env.updatedAt = new Date().toISOString();
  if (!env.kafka && !env.s3) rmSync(ENV_FILE, { force: true });
  else writeJson(ENV_FILE, env);
}

async function up(a: Args): Promise<void> {
  const t0 = Date.now();
  const prev = readInfraEnvIfAny();
  const next: InfraEnv = {
    kafka: prev?.kafka ?? null,
    s3: prev?.s3 ?? null,
    pids: { ...prev?.pids },
    updatedAt: '',
  };
  // One-time downloads first, one Maven at a time (they share ~/.m2), then both JVMs in parallel.
  if (a.only.includes('kafka')) await setupKafka();
  if (a.only.includes('s3')) await setupS3();
  const results = await Promise.allSettled([
    a.only.includes('kafka') ? upKafka(prev, { secure: a.secure, fresh: a.fresh }) : Promise.resolve(null),
    a.only.includes('s3') ? upS3(prev, { fresh: a.fresh }) : Promise.resolve(null),
  ]);
  const [k, s] = results;
  const errors: string[] = [];
  if (k?.status === 'fulfilled' && k.value) {
    next.kafka = k.value.env;
    next.pids.kafka = k.value.pid;
  } else if (k?.status === 'rejected') {
    next.kafka = null;
    delete next.pids.kafka;
    errors.push((k.reason as Error).message);
  }
  if (s?.status === 'fulfilled' && s.value) {
    next.s3 = s.value.env;
    next.pids.s3 = s.value.pid;
  } else if (s?.status === 'rejected') {
    next.s3 = null;
    delete next.pids.s3;
    errors.push((s.reason as Error).message);
  }
  saveEnv(next);
  if (errors.length) throw new InfraError(errors.join('\n\n'));
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; see ${rel(ENV_FILE)}`);
}

async function down(a: Args): Promise<void> {
  const prev = readInfraEnvIfAny();
  await Promise.all([
    a.only.includes('kafka') ? downKafka(a.clean) : undefined,
    a.only.includes('s3') ? downS3(a.clean) : undefined,
  ]);
  if (!prev) return;
  if (a.only.includes('kafka')) {
    prev.kafka = null;
    delete prev.pids.kafka;
  }
  if (a.only.includes('s3')) {
    prev.s3 = null;
    delete prev.pids.s3;
  }
  saveEnv(prev);
}

async function status(): Promise<boolean> {
  const prev = readInfraEnvIfAny();
  const [k, s] = await Promise.all([statusKafka(prev), statusS3(prev)]);
  return k && s;
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  switch (a.cmd) {
    case 'up':
      await withLock(() => up(a));
      return 0;
    case 'down':
      await withLock(() => down(a));
      return 0;
    case 'status':
      return (await status()) ? 0 : 1;
    case 'setup':
      await withLock(() => Promise.all([a.only.includes('kafka') ? setupKafka() : undefined, a.only.includes('s3') ? setupS3() : undefined]));
      return 0;
    default: {
      const doc = (await import('node:fs')).readFileSync(new URL(import.meta.url), 'utf8');
      const usage = /\/\*\*([\s\S]*?)\*\//.exec(doc)?.[1]?.replace(/^ \* ?/gm, '') ?? '';
      process.stdout.write(usage.trim() + '\n');
      return a.cmd === 'help' ? 0 : 2;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof InfraError) log(`FAILED: ${e.message}`);
    else log(`FAILED: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
