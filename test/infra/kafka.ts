/**
 * A real single-node Apache Kafka 4.x broker (KRaft, broker+controller in one JVM) on 127.0.0.1.
 *
 * Jars come from Maven Central (test/infra/kafka/pom.xml -> .infra/kafka/libs); the storage is
 * formatted with kafka.tools.StorageTool (random cluster id, --standalone dynamic quorum, SCRAM
 * users written with --add-scram), then `java -cp 'libs/*' kafka.Kafka server.properties` runs
 * detached, its log in .infra/kafka.log.
 *
 * Listeners: PLAINTEXT (no auth) always; SASL_SSL (TLS + SCRAM-SHA-256/512) when asked for with
 * `up --secure` (or DPX_KAFKA_SECURE=1). The TLS material (test CA + broker certificate for
 * 127.0.0.1/localhost) is made with the JDK's keytool into .infra/tls.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import {
  InfraError,
  ensureDir,
  envPort,
  freePorts,
  isOurProcess,
  isPortFree,
  javaBin,
  log,
  logHint,
  pomProperty,
  readJson,
  rel,
  resolveJars,
  runQuiet,
  spawnDetached,
  stopPid,
  waitUntil,
  writeJson,
} from './common';
import { INFRA_DIR, ROOT } from './env';
import type { InfraEnv, KafkaEnv, KafkaSecureEnv } from './env';

const POM = path.join(ROOT, 'test', 'infra', 'kafka', 'pom.xml');
const KDIR = path.join(INFRA_DIR, 'kafka');
const LIBS = path.join(KDIR, 'libs');
const DATA = path.join(KDIR, 'data');
const META_FILE = path.join(KDIR, 'meta.json');
const PID_FILE = path.join(KDIR, 'pid');
const PROPS = path.join(KDIR, 'server.properties');
const LOG4J = path.join(KDIR, 'log4j2.properties');
const TLS = path.join(INFRA_DIR, 'tls');
export const KAFKA_LOG = path.join(INFRA_DIR, 'kafka.log');

// Test-only credentials (local broker on 127.0.0.1, data thrown away).
const SCRAM_USER = 'dpx-test';
const SCRAM_PASSWORD = 'dpx-test-scram-password';
const STORE_PASSWORD = 'dpx-test-store-password';

interface KafkaMeta {
  version: string;
  clusterId: string;
  /** `mtls` was added later: older storage metadata lacks it. */
  ports: { plain: number; controller: number; secure: number; mtls?: number };
  scramUser: string;
  formattedAt: string;
}

export interface KafkaOptions {
  secure: boolean;
  fresh: boolean;
}

export function kafkaVersion(): string {
  return pomProperty(POM, 'kafka.version');
}

function readPid(): number | undefined {
  const n = Number(existsSync(PID_FILE) ? readFileSync(PID_FILE, 'utf8').trim() : '');
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The broker we started, if it is still running. */
export function runningKafkaPid(): number | undefined {
  const pid = readPid();
  return isOurProcess(pid, PROPS) ? pid : undefined;
}

// ---------------------------------------------------------------- client configs / probes

export function plainClientConfig(env: KafkaEnv): KafkaConfig {
  return { brokers: [env.bootstrap] };
}

export function secureClientConfig(s: KafkaSecureEnv, mechanism: 'scram-sha-256' | 'scram-sha-512'): KafkaConfig {
  return {
    brokers: [s.bootstrap],
    ssl: { ca: [readFileSync(s.caFile, 'utf8')] },
    sasl:
      mechanism === 'scram-sha-256'
        ? { mechanism, username: s.username, password: s.password }
        : { mechanism, username: s.username, password: s.password },
  };
}

/** A metadata round trip through kafkajs' admin client: true when the broker answers. */
async function probe(cfg: KafkaConfig): Promise<boolean> {
  const kafka = new Kafka({
    ...cfg,
    clientId: 'dpx-infra-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function probeKafka(env: KafkaEnv): Promise<boolean> {
  if (!(await probe(plainClientConfig(env)))) return false;
  if (env.secure) {
    for (const m of env.secure.mechanisms) if (!(await probe(secureClientConfig(env.secure, m)))) return false;
    const { mtls, caFile } = env.secure;
    const ssl = { ca: [readFileSync(caFile, 'utf8')], cert: readFileSync(mtls.certFile, 'utf8'), key: readFileSync(mtls.keyFile, 'utf8') };
    if (!(await probe({ brokers: [mtls.bootstrap], ssl }))) return false;
  }
  return true;
}

// ---------------------------------------------------------------- setup steps

/** Keeps earlier ports (formatted storage refers to the controller's address) unless taken. */
async function choosePorts(meta: KafkaMeta | null): Promise<KafkaMeta['ports']> {
  // 19092-19094 when free, so the examples/local workspace finds the broker without settings.
  const want = {
    plain: envPort('DPX_KAFKA_PORT') ?? meta?.ports.plain ?? 19092,
    controller: envPort('DPX_KAFKA_CONTROLLER_PORT') ?? meta?.ports.controller ?? 19093,
    secure: envPort('DPX_KAFKA_SECURE_PORT') ?? meta?.ports.secure ?? 19094,
    mtls: envPort('DPX_KAFKA_MTLS_PORT') ?? meta?.ports.mtls ?? 19095,
  };
  const fixed = new Set(
    [envPort('DPX_KAFKA_PORT'), envPort('DPX_KAFKA_CONTROLLER_PORT'), envPort('DPX_KAFKA_SECURE_PORT'), envPort('DPX_KAFKA_MTLS_PORT')].filter(
      (p): p is number => p !== undefined,
    ),
  );
  const out: Partial<KafkaMeta['ports']> = {};
  for (const key of ['plain', 'controller', 'secure', 'mtls'] as const) {
    const p = want[key];
    if (p !== undefined && (await isPortFree(p))) out[key] = p;
    else if (p !== undefined && fixed.has(p)) throw new InfraError(`Kafka ${key} port ${p} (from the environment) is in use`);
  }
  const taken = Object.values(out);
  const fresh = await freePorts(4, taken);
  return {
    plain: out.plain ?? fresh[0]!,
    controller: out.controller ?? fresh[1]!,
    secure: out.secure ?? fresh[2]!,
    mtls: out.mtls ?? fresh[3]!,
  };
}

function serverProperties(meta: KafkaMeta, secure: boolean): string {
  const { plain, controller, secure: sport, mtls } = meta.ports;
  const listeners = [`PLAINTEXT://127.0.0.1:${plain}`, `CONTROLLER://127.0.0.1:${controller}`];
  const advertised = [`PLAINTEXT://127.0.0.1:${plain}`];
  if (secure) {
    listeners.push(`SASL_SSL://127.0.0.1:${sport}`, `SSL://127.0.0.1:${mtls}`);
    advertised.push(`SASL_SSL://127.0.0.1:${sport}`, `SSL://127.0.0.1:${mtls}`);
  }
  const lines = [
    '# Written by test/infra/kafka.ts on every start; edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
    'controller.listener.names=CONTROLLER',
    `listeners=${listeners.join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
    `log.dirs=${DATA}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    // single node: internal topics with RF 1 and few partitions (fast start on 2 cores)
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // test data may carry old timestamps: never delete it by age
    'log.retention.ms=-1',
  ];
  if (secure) {
    const p = 'listener.name.sasl_ssl.';
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
    lines.push(
      `${p}sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512`,
      `${p}scram-sha-256.sasl.jaas.config=${jaas}`,
      `${p}scram-sha-512.sasl.jaas.config=${jaas}`,
      `${p}ssl.keystore.type=PKCS12`,
      `${p}ssl.keystore.location=${path.join(TLS, 'broker.p12')}`,
      `${p}ssl.keystore.password=${STORE_PASSWORD}`,
      `${p}ssl.key.password=${STORE_PASSWORD}`,
      `${p}ssl.client.auth=none`,
    );
    // Mutual TLS: the client proves itself with a certificate signed by the test CA.
    const m = 'listener.name.ssl.';
    lines.push(
      `${m}ssl.keystore.type=PKCS12`,
      `${m}ssl.keystore.location=${path.join(TLS, 'broker.p12')}`,
      `${m}ssl.keystore.password=${STORE_PASSWORD}`,
      `${m}ssl.key.password=${STORE_PASSWORD}`,
      `${m}ssl.truststore.type=PKCS12`,
      `${m}ssl.truststore.location=${path.join(TLS, 'truststore.p12')}`,
      `${m}ssl.truststore.password=${STORE_PASSWORD}`,
      `${m}ssl.client.auth=required`,
    );
  }
  return lines.join('\n') + '\n';
}

const LOG4J_CONFIG = `# Written by test/infra/kafka.ts: everything to stdout, which goes to .infra/kafka.log
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
`;

function jvmArgs(): string[] {
  const extra = (process.env['DPX_KAFKA_JAVA_OPTS'] ?? '').split(/\s+/).filter(Boolean);
  return [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    // C1 only: ~1.5 s faster start on 2 cores; peak speed does not matter for a test broker
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J}`,
    // keep logging through Kafka's own shutdown hook (the end of a `down` lands in the log)
    '-Dlog4j2.shutdownHookEnabled=false',
    ...extra,
  ];
}

/** Formats the storage when there is none, or when ports/version changed or --fresh was given. */
async function prepareStorage(version: string, fresh: boolean): Promise<KafkaMeta> {
  const old = readJson<KafkaMeta>(META_FILE);
  const ports = await choosePorts(old);
  const formatted = existsSync(path.join(DATA, 'meta.properties'));
  const reasons: string[] = [];
  if (fresh) reasons.push('--fresh');
  else if (!old || !formatted) reasons.push('no storage yet');
  else {
    if (old.version !== version) reasons.push(`Kafka ${old.version} -> ${version}`);
    if (old.ports.controller !== ports.controller || old.ports.plain !== ports.plain)
      reasons.push(`ports changed (${old.ports.plain}/${old.ports.controller} in use)`);
  }
  if (old && reasons.length === 0) {
    const meta = { ...old, ports };
    writeJson(META_FILE, meta);
    return meta;
  }
  // Kafka's Uuid text form: 16 random bytes, base64url without padding.
  const meta: KafkaMeta = {
    version,
    clusterId: randomBytes(16).toString('base64url'),
    ports,
    scramUser: SCRAM_USER,
    formattedAt: new Date().toISOString(),
  };
  rmSync(DATA, { recursive: true, force: true });
  ensureDir(DATA);
  writeFileSync(PROPS, serverProperties(meta, false));
  writeFileSync(LOG4J, LOG4J_CONFIG);
  log(`formatting Kafka storage in ${rel(DATA)} (${reasons.join(', ')})`);
  await runQuiet(
    javaBin(),
    [
      ...jvmArgs(),
      '-cp',
      path.join(LIBS, '*'),
      'kafka.tools.StorageTool',
      'format',
      '--config',
      PROPS,
      '--cluster-id',
      meta.clusterId,
      '--standalone',
      '--add-scram',
      `SCRAM-SHA-256=[name=${SCRAM_USER},password=${SCRAM_PASSWORD}]`,
      '--add-scram',
      `SCRAM-SHA-512=[name=${SCRAM_USER},password=${SCRAM_PASSWORD}]`,
    ],
    'Kafka storage format',
    { timeoutMs: 120_000 },
  );
  writeJson(META_FILE, meta);
  return meta;
}

function keytoolBin(): string {
  const java = javaBin();
  return java === 'java' ? 'keytool' : path.join(path.dirname(java), 'keytool');
}

/**
 * Test CA + broker key/cert (SAN 127.0.0.1, localhost) + truststore, made once with keytool; and a
 * client key (PEM, made with openssl: keytool cannot export a private key) with a certificate
 * the same CA signs, for the mutual-TLS listener.
 */
async function ensureTls(): Promise<void> {
  const files = ['ca.pem', 'broker.p12', 'truststore.p12', 'client.pem', 'client.key'].map((f) => path.join(TLS, f));
  if (files.every((f) => existsSync(f))) return;
  log(`first-time setup: making a test CA and broker certificate with keytool in ${rel(TLS)}`);
  rmSync(TLS, { recursive: true, force: true });
  ensureDir(TLS);
  const kt = keytoolBin();
  const pw = STORE_PASSWORD;
  const f = (n: string) => path.join(TLS, n);
  const steps: string[][] = [
    ['-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '3650',
      '-dname', 'CN=DPX Test CA,O=Data Product Explorer tests', '-ext', 'bc:c', '-ext', 'ku:c=keyCertSign,cRLSign',
      '-keystore', f('ca.p12'), '-storetype', 'PKCS12', '-storepass', pw, '-keypass', pw],
    ['-exportcert', '-rfc', '-alias', 'ca', '-keystore', f('ca.p12'), '-storepass', pw, '-file', f('ca.pem')],
    ['-genkeypair', '-alias', 'broker', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '3650',
      '-dname', 'CN=localhost,O=Data Product Explorer tests',
      '-keystore', f('broker.p12'), '-storetype', 'PKCS12', '-storepass', pw, '-keypass', pw],
    ['-certreq', '-alias', 'broker', '-keystore', f('broker.p12'), '-storepass', pw, '-file', f('broker.csr')],
    ['-gencert', '-rfc', '-alias', 'ca', '-keystore', f('ca.p12'), '-storepass', pw, '-validity', '3650',
      '-infile', f('broker.csr'), '-outfile', f('broker.pem'),
      '-ext', 'SAN=dns:localhost,ip:127.0.0.1', '-ext', 'KU=digitalSignature,keyEncipherment', '-ext', 'EKU=serverAuth'],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', f('ca.pem'), '-keystore', f('broker.p12'), '-storepass', pw],
    ['-importcert', '-alias', 'broker', '-file', f('broker.pem'), '-keystore', f('broker.p12'), '-storepass', pw],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', f('ca.pem'),
      '-keystore', f('truststore.p12'), '-storetype', 'PKCS12', '-storepass', pw],
  ];
  for (const args of steps) await runQuiet(kt, args, `keytool ${args[0]}`, { timeoutMs: 60_000 });
  await runQuiet('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=dpx-test-client/O=Data Product Explorer tests', '-keyout', f('client.key'), '-out', f('client.csr')], 'openssl req', { timeoutMs: 60_000 });
  await runQuiet(
    kt,
    ['-gencert', '-rfc', '-alias', 'ca', '-keystore', f('ca.p12'), '-storepass', pw, '-validity', '3650', '-infile', f('client.csr'), '-outfile', f('client.pem'), '-ext', 'KU=digitalSignature,keyEncipherment', '-ext', 'EKU=clientAuth'],
    'keytool -gencert (client)',
    { timeoutMs: 60_000 },
  );
}

function buildEnv(meta: KafkaMeta, secure: boolean): KafkaEnv {
  return {
    bootstrap: `127.0.0.1:${meta.ports.plain}`,
    version: meta.version,
    clusterId: meta.clusterId,
    secure: secure
      ? {
          bootstrap: `127.0.0.1:${meta.ports.secure}`,
          securityProtocol: 'SASL_SSL',
          caFile: path.join(TLS, 'ca.pem'),
          truststoreFile: path.join(TLS, 'truststore.p12'),
          truststorePassword: STORE_PASSWORD,
          mechanisms: ['scram-sha-256', 'scram-sha-512'],
          username: SCRAM_USER,
          password: SCRAM_PASSWORD,
          mtls: { bootstrap: `127.0.0.1:${meta.ports.mtls}`, certFile: path.join(TLS, 'client.pem'), keyFile: path.join(TLS, 'client.key') },
        }
      : null,
    logFile: KAFKA_LOG,
  };
}

// ---------------------------------------------------------------- up / down / status

/** One-time work (Maven) — run before starting anything, never in parallel with other Maven runs. */
export async function setupKafka(): Promise<void> {
  javaBin();
  await resolveJars(POM, LIBS, `Kafka ${kafkaVersion()}`);
}

export async function upKafka(
  prev: InfraEnv | null,
  opts: KafkaOptions,
): Promise<{ env: KafkaEnv; pid: number; reused: boolean }> {
  const version = kafkaVersion();
  const running = runningKafkaPid();
  if (running !== undefined) {
    const known = prev?.kafka && prev.pids.kafka === running ? prev.kafka : null;
    const reason = opts.fresh
      ? '--fresh'
      : !known
        ? 'not described in env.json'
        : known.version !== version
          ? `version ${known.version} -> ${version}`
          : opts.secure && !known.secure?.mtls
            ? 'adding the SASL_SSL and mutual-TLS listeners'
            : null;
    if (known && reason === null) {
      try {
        await waitUntil(`Kafka (pid ${running})`, () => probeKafka(known), {
          timeoutMs: 60_000,
          pid: running,
          logFile: KAFKA_LOG,
        });
        log(`Kafka ${version} already running at ${known.bootstrap} (pid ${running}), reused`);
        return { env: known, pid: running, reused: true };
      } catch (e) {
        log(`Kafka (pid ${running}) runs but does not answer: ${(e as Error).message.split('\n')[0]}; restarting`);
      }
    } else log(`restarting Kafka (pid ${running}): ${reason}`);
    await stopPid(running);
  }

  await setupKafka();
  const meta = await prepareStorage(version, opts.fresh);
  if (opts.secure) await ensureTls();
  writeFileSync(PROPS, serverProperties(meta, opts.secure));
  writeFileSync(LOG4J, LOG4J_CONFIG);

  const t0 = Date.now();
  const pid = spawnDetached(javaBin(), [...jvmArgs(), '-cp', path.join(LIBS, '*'), 'kafka.Kafka', PROPS], KAFKA_LOG);
  writeFileSync(PID_FILE, `${pid}\n`);
  const env = buildEnv(meta, opts.secure);
  try {
    await waitUntil(`Kafka ${version}`, () => probeKafka(env), { timeoutMs: 120_000, pid, logFile: KAFKA_LOG });
  } catch (e) {
    await stopPid(pid, 10_000);
    rmSync(PID_FILE, { force: true });
    throw e;
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  log(
    `Kafka ${version} up at ${env.bootstrap}` +
      (env.secure ? `, SASL_SSL (SCRAM-SHA-256/512) at ${env.secure.bootstrap}, mutual TLS at ${env.secure.mtls.bootstrap}` : '') +
      ` (pid ${pid}, ${secs} s, log ${rel(KAFKA_LOG)})`,
  );
  return { env, pid, reused: false };
}

export async function downKafka(clean: boolean): Promise<void> {
  const pid = runningKafkaPid();
  if (pid !== undefined) {
    const t0 = Date.now();
    const how = await stopPid(pid, 30_000);
    log(`Kafka (pid ${pid}) ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else log('Kafka not running');
  rmSync(PID_FILE, { force: true });
  if (clean) {
    rmSync(DATA, { recursive: true, force: true });
    rmSync(META_FILE, { force: true });
    log(`Kafka data removed (${rel(DATA)})`);
  }
}

export async function statusKafka(prev: InfraEnv | null): Promise<boolean> {
  const pid = runningKafkaPid();
  if (pid === undefined || !prev?.kafka) {
    log(`Kafka: not running${pid !== undefined ? ` (pid ${pid} alive but not in env.json)` : ''}`);
    return false;
  }
  const ok = await probeKafka(prev.kafka).catch(() => false);
  log(
    `Kafka ${prev.kafka.version}: ${ok ? 'answering' : 'NOT answering'} at ${prev.kafka.bootstrap}` +
      (prev.kafka.secure ? ` + SASL_SSL ${prev.kafka.secure.bootstrap}` : '') +
      ` (pid ${pid})` +
      (ok ? '' : logHint(KAFKA_LOG, 20)),
  );
  return ok;
}
