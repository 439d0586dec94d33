/**
 * An S3-compatible server on 127.0.0.1: S3Proxy (org.gaul:s3proxy, Apache-2.0) with its on-disk
 * "filesystem-nio2" backend, so objects survive restarts (.infra/s3/data, one folder per bucket).
 * It checks AWS signatures (V2 and V4) against one access key/secret: a wrong secret gets
 * 403 SignatureDoesNotMatch, an unknown key 403 InvalidAccessKeyId.
 *
 * Jars come from Maven Central (test/infra/s3/pom.xml -> .infra/s3/libs); the server runs
 * detached, its log in .infra/s3.log. Path-style addressing only.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  InfraError,
  ensureDir,
  envPort,
  freePort,
  isOurProcess,
  isPortFree,
  javaBin,
  log,
  logHint,
  pomProperty,
  readJson,
  rel,
  resolveJars,
  spawnDetached,
  stopPid,
  waitUntil,
  writeJson,
} from './common';
import { INFRA_DIR, ROOT } from './env';
import type { InfraEnv, S3Env } from './env';

const POM = path.join(ROOT, 'test', 'infra', 's3', 'pom.xml');
const SDIR = path.join(INFRA_DIR, 's3');
const LIBS = path.join(SDIR, 'libs');
const DATA = path.join(SDIR, 'data');
const META_FILE = path.join(SDIR, 'meta.json');
const PID_FILE = path.join(SDIR, 'pid');
const CONF = path.join(SDIR, 's3proxy.conf');
const LOGBACK = path.join(SDIR, 'logback.xml');
export const S3_LOG = path.join(INFRA_DIR, 's3.log');

// Test-only credentials (local server on 127.0.0.1).
const ACCESS_KEY_ID = 'DPXTESTACCESSKEY0001';
const SECRET_ACCESS_KEY = 'dpx-test-secret-access-key-not-for-production';
const REGION = 'us-east-1';

export function s3proxyVersion(): string {
  return pomProperty(POM, 's3proxy.version');
}

function readPid(): number | undefined {
  const n = Number(existsSync(PID_FILE) ? readFileSync(PID_FILE, 'utf8').trim() : '');
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function runningS3Pid(): number | undefined {
  const pid = readPid();
  return isOurProcess(pid, CONF) ? pid : undefined;
}

/**
 * An unsigned request must come back as S3's own 403 AccessDenied error document: the server is
 * up and enforcing authentication. (Signed requests are exercised by the integration tests.)
 */
export async function probeS3(env: S3Env): Promise<boolean> {
  const res = await fetch(`${env.endpoint}/`, { signal: AbortSignal.timeout(3_000) });
  const body = await res.text();
  return res.status === 403 && body.includes('<Code>AccessDenied</Code>');
}

async function choosePort(): Promise<number> {
  const fixed = envPort('DPX_S3_PORT');
  if (fixed !== undefined) {
    if (!(await isPortFree(fixed))) throw new InfraError(`S3 port ${fixed} (DPX_S3_PORT) is in use`);
    return fixed;
  }
  // The earlier port, else 19000 when free, so the examples/local workspace finds the server.
  const old = readJson<{ port: number }>(META_FILE)?.port ?? 19000;
  if (await isPortFree(old)) return old;
  return freePort();
}

function buildEnv(port: number): S3Env {
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    forcePathStyle: true,
    server: 's3proxy',
    version: s3proxyVersion(),
    dataDir: DATA,
    logFile: S3_LOG,
  };
}

const LOGBACK_CONFIG = `<!-- Written by test/infra/s3.ts: to stdout, which goes to .infra/s3.log -->
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.gaul.shaded" level="WARN"/>
  <logger name="org.eclipse.jetty" level="WARN"/>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
`;

/**
 * The test credentials as files too, so workspaces can name them (`file:` secret references)
 * instead of holding them: examples/local reads these.
 */
function writeCredentialFiles(): void {
  ensureDir(INFRA_DIR);
  writeFileSync(path.join(INFRA_DIR, 's3-access-key-id'), ACCESS_KEY_ID + '\n', { mode: 0o600 });
  writeFileSync(path.join(INFRA_DIR, 's3-secret-access-key'), SECRET_ACCESS_KEY + '\n', { mode: 0o600 });
}

export async function setupS3(): Promise<void> {
  writeCredentialFiles();
  javaBin();
  await resolveJars(POM, LIBS, `S3Proxy ${s3proxyVersion()}`);
}

export async function upS3(prev: InfraEnv | null, opts: { fresh: boolean }): Promise<{ env: S3Env; pid: number; reused: boolean }> {
  const version = s3proxyVersion();
  const running = runningS3Pid();
  if (running !== undefined) {
    const known = prev?.s3 && prev.pids.s3 === running ? prev.s3 : null;
    const reason = opts.fresh
      ? '--fresh'
      : !known
        ? 'not described in env.json'
        : known.version !== version
          ? `version ${known.version} -> ${version}`
          : null;
    if (known && reason === null) {
      try {
        await waitUntil(`S3Proxy (pid ${running})`, () => probeS3(known), { timeoutMs: 30_000, pid: running, logFile: S3_LOG });
        log(`S3Proxy ${version} already running at ${known.endpoint} (pid ${running}), reused`);
        return { env: known, pid: running, reused: true };
      } catch (e) {
        log(`S3Proxy (pid ${running}) runs but does not answer: ${(e as Error).message.split('\n')[0]}; restarting`);
      }
    } else log(`restarting S3Proxy (pid ${running}): ${reason}`);
    await stopPid(running);
  }

  await setupS3();
  if (opts.fresh) rmSync(DATA, { recursive: true, force: true });
  ensureDir(DATA);
  const port = await choosePort();
  writeJson(META_FILE, { port });
  const env = buildEnv(port);
  writeFileSync(
    CONF,
    [
      '# Written by test/infra/s3.ts on every start; edits are overwritten.',
      `s3proxy.endpoint=${env.endpoint}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${ACCESS_KEY_ID}`,
      `s3proxy.credential=${SECRET_ACCESS_KEY}`,
      // lets a browser page (the demo's renderer) call it directly
      's3proxy.cors-allow-all=true',
      'jclouds.provider=filesystem-nio2',
      'jclouds.identity=local',
      'jclouds.credential=local',
      `jclouds.filesystem.basedir=${DATA}`,
      '',
    ].join('\n'),
  );
  writeFileSync(LOGBACK, LOGBACK_CONFIG);

  const t0 = Date.now();
  const pid = spawnDetached(
    javaBin(),
    [
      '-Xms64m',
      '-Xmx256m',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlogback.configurationFile=${LOGBACK}`,
      '-cp',
      path.join(LIBS, '*'),
      'org.gaul.s3proxy.Main',
      '--properties',
      CONF,
    ],
    S3_LOG,
  );
  writeFileSync(PID_FILE, `${pid}\n`);
  try {
    await waitUntil(`S3Proxy ${version}`, () => probeS3(env), { timeoutMs: 60_000, pid, logFile: S3_LOG });
  } catch (e) {
    await stopPid(pid, 10_000);
    rmSync(PID_FILE, { force: true });
    throw e;
  }
  log(`S3Proxy ${version} up at ${env.endpoint} (pid ${pid}, ${((Date.now() - t0) / 1000).toFixed(1)} s, log ${rel(S3_LOG)})`);
  return { env, pid, reused: false };
}

export async function downS3(clean: boolean): Promise<void> {
  const pid = runningS3Pid();
  if (pid !== undefined) {
    const t0 = Date.now();
    const how = await stopPid(pid, 15_000);
    log(`S3Proxy (pid ${pid}) ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else log('S3Proxy not running');
  rmSync(PID_FILE, { force: true });
  if (clean) {
    rmSync(DATA, { recursive: true, force: true });
    log(`S3 data removed (${rel(DATA)})`);
  }
}

export async function statusS3(prev: InfraEnv | null): Promise<boolean> {
  const pid = runningS3Pid();
  if (pid === undefined || !prev?.s3) {
    log(`S3Proxy: not running${pid !== undefined ? ` (pid ${pid} alive but not in env.json)` : ''}`);
    return false;
  }
  const ok = await probeS3(prev.s3).catch(() => false);
  log(`S3Proxy ${prev.s3.version}: ${ok ? 'answering' : 'NOT answering'} at ${prev.s3.endpoint} (pid ${pid})` + (ok ? '' : logHint(S3_LOG, 20)));
  return ok;
}
