// Stops and starts the test S3 server (S3Proxy) from inside a test, through the same functions as
// `npx tsx test/infra/infra.ts down|up --only s3`, keeping .infra/env.json in step (same port, new pid).
import { stopPid, withLock, writeJson } from '../../infra/common';
import { ENV_FILE, readInfraEnvIfAny, type InfraEnv } from '../../infra/env';
import { downS3, runningS3Pid, upS3 } from '../../infra/s3';

export function s3Running(): boolean {
  return runningS3Pid() !== undefined;
}

/**
 * Stops the server. `graceMs` bounds the SIGTERM grace before SIGKILL: S3Proxy (Jetty) otherwise
 * waits for in-flight responses to finish, so a download would never see the server go away.
 */
export async function stopS3(opts: { graceMs?: number } = {}): Promise<void> {
  await withLock(async () => {
    const pid = runningS3Pid();
    if (pid !== undefined && opts.graceMs !== undefined) await stopPid(pid, opts.graceMs);
    await downS3(false);
  });
}

export async function startS3(): Promise<void> {
  await withLock(async () => {
    const prev = readInfraEnvIfAny();
    const { env, pid } = await upS3(prev, { fresh: false });
    const next: InfraEnv = prev ?? { kafka: null, s3: null, pids: {}, updatedAt: '' };
    next.s3 = env;
    next.pids.s3 = pid;
    next.updatedAt = new Date().toISOString();
    writeJson(ENV_FILE, next);
  });
}
