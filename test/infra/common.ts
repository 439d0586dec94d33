/** Process, port, file and Maven helpers shared by the infra scripts. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { INFRA_DIR, ROOT } from './env';

export { sleep };

export function log(msg: string): void {
  process.stderr.write(`[infra] ${msg}\n`);
}

export class InfraError extends Error {}

export function rel(p: string): string {
  return path.relative(ROOT, p) || '.';
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Last `lines` lines of a file ('' if it does not exist). */
export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines - 1).join('\n');
}

function tailText(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------- processes

export function isAlive(pid: number | undefined): pid is number {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when `pid` is alive and (where /proc exists) its command line contains `marker`, so a pid
 * recycled by an unrelated process is never taken for ours.
 */
export function isOurProcess(pid: number | undefined, marker: string): pid is number {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(cmdline, 'utf8');
    if (args === '') return false; // zombie
    return args.split('\0').join(' ').includes(marker);
  } catch {
    return false;
  }
}

/** Starts a process in its own session, output appended to `logFile`; `up` can return at once. */
export function spawnDetached(
  cmd: string,
  args: string[],
  logFile: string,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): number {
  ensureDir(path.dirname(logFile));
  const fd = openSync(logFile, 'w');
  try {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new InfraError(`could not start ${cmd}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Returns once the process is gone. */
export async function stopPid(pid: number, graceMs = 30_000): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || isZombie(pid)) return 'stopped';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  for (let i = 0; i < 50 && isAlive(pid) && !isZombie(pid); i++) await sleep(100);
  return 'killed';
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return / Z /.test(stat.slice(stat.lastIndexOf(')') + 1, stat.lastIndexOf(')') + 4));
  } catch {
    return false;
  }
}

/** Runs a command to completion, output captured; throws with the output's tail on failure. */
export function runQuiet(
  cmd: string,
  args: string[],
  what: string,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          out += `\n(timed out after ${opts.timeoutMs} ms)`;
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new InfraError(`${what}: cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      // strip ANSI colour codes (Maven prints some even with -q)
      const clean = out.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
      if (code === 0) resolve(clean);
      else
        reject(
          new InfraError(
            `${what} failed (exit ${code ?? signal}): ${cmd} ${args.join(' ')}\n--- output (tail) ---\n${tailText(clean)}`,
          ),
        );
    });
  });
}

// ---------------------------------------------------------------- ports

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Free ports, distinct from each other and from `avoid`. */
export async function freePorts(n: number, avoid: number[] = []): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p) && !avoid.includes(p)) out.push(p);
  }
  return out;
}

export function envPort(name: string): number | undefined {
  const v = process.env[name];
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new InfraError(`${name}=${v} is not a port`);
  return n;
}

// ---------------------------------------------------------------- polling

/**
 * Polls `probe` until it returns true. Stops early with the process log's tail when `pid` dies.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; pid?: number; logFile?: string; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new InfraError(
        `${what}: the process (pid ${opts.pid}) exited during start-up` + logHint(opts.logFile),
      );
    }
    if (Date.now() > deadline) {
      throw new InfraError(
        `${what}: not answering after ${Math.round(opts.timeoutMs / 1000)} s` +
          (lastError ? ` (last error: ${lastError})` : '') +
          logHint(opts.logFile),
      );
    }
    await sleep(opts.intervalMs ?? 300);
  }
}

export function logHint(logFile: string | undefined, lines = 40): string {
  if (!logFile) return '';
  const t = tailFile(logFile, lines);
  return `\n--- ${rel(logFile)} (last ${lines} lines) ---\n${t}`;
}

// ---------------------------------------------------------------- lock

/** Serialises concurrent `up`/`down` runs (e.g. two test runners starting at once). */
export async function withLock<T>(fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  ensureDir(INFRA_DIR);
  const lock = path.join(INFRA_DIR, '.lock');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSafe(lock));
      if (!isAlive(holder)) {
        rmSync(lock, { force: true }); // stale lock of a dead run
        continue;
      }
      if (Date.now() > deadline) throw new InfraError(`another infra run (pid ${holder}) holds ${rel(lock)}`);
      if (!announced) log(`waiting for another infra run (pid ${holder}) to finish`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- java / maven

let javaChecked: string | undefined;

/** The java binary (JAVA_HOME first), checked to be Java 17 or newer. */
export function javaBin(): string {
  if (javaChecked) return javaChecked;
  const home = process.env['JAVA_HOME'];
  const bin = home && existsSync(path.join(home, 'bin', 'java')) ? path.join(home, 'bin', 'java') : 'java';
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new InfraError(
      `Java 17+ is needed (Kafka 4 and S3Proxy run on the JVM) but '${bin} -version' failed` +
        ' — on Debian: apt-get install -y openjdk-17-jdk-headless',
    );
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr);
  const major = m ? Number(m[1] === '1' ? m[2] : m[1]) : 0;
  if (major < 17) throw new InfraError(`Java 17+ is needed, '${bin}' is Java ${major}`);
  javaChecked = bin;
  return bin;
}

function mvnBin(): string {
  const r = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new InfraError('Maven is needed to fetch the server jars — on Debian: apt-get install -y maven');
  }
  return 'mvn';
}

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies';

/**
 * Copies the runtime classpath of `pom` into `libsDir` with Maven, once: a stamp holding the pom's
 * hash skips the step while the pom is unchanged.
 */
export async function resolveJars(pom: string, libsDir: string, label: string): Promise<void> {
  const stamp = path.join(libsDir, '.resolved');
  const hash = sha256File(pom);
  if (existsSync(stamp) && readFileSafe(stamp) === hash && jarCount(libsDir) > 0) return;
  log(`first-time setup: fetching ${label} jars with Maven into ${rel(libsDir)} (cached in ~/.m2 afterwards)`);
  const t0 = Date.now();
  javaBin();
  rmSync(libsDir, { recursive: true, force: true });
  ensureDir(libsDir);
  await runQuiet(
    mvnBin(),
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      pom,
      DEPENDENCY_PLUGIN,
      `-DoutputDirectory=${libsDir}`,
      '-DincludeScope=runtime',
    ],
    `Maven (${label} jars)`,
    { timeoutMs: 20 * 60_000 },
  );
  writeFileSync(stamp, hash + '\n');
  log(`  ${label}: ${jarCount(libsDir)} jars in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function jarCount(dir: string): number {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.jar')).length;
  } catch {
    return 0;
  }
}

/** Reads `<name>VALUE</name>` from a pom's properties. */
export function pomProperty(pom: string, name: string): string {
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`).exec(readFileSync(pom, 'utf8'));
  if (!m?.[1]) throw new InfraError(`${rel(pom)} has no <${name}>`);
  return m[1].trim();
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function writeJson(file: string, value: unknown): void {
  ensureDir(path.dirname(file));
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

export function fileAgeMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}
