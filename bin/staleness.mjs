// Is a build output older than its sources? Used by `dpx` (its CLI bundle) and the hosts (the UI
// bundle) to rebuild in a clone only when something changed.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Newest modification time (ms) of a file or of anything below a folder; 0 when missing. */
export async function newestMtime(path) {
  const st = await stat(path).catch(() => null);
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newestMtime(join(path, e))));
  return Math.max(st.mtimeMs, ...times);
}

/** True when `output` is missing or older than any of `sources`. */
export async function isStale(output, sources) {
  const built = await stat(output).catch(() => null);
  if (!built) return true;
  const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
  return newest > built.mtimeMs;
}

/** A build lock older than this was left by a build that was killed. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Runs `build` when `output` is stale, one process at a time: the lock is a folder (made
 * atomically); the others wait until it is gone and then look again, so no process ever loads
 * a half-written build (two `dpx` started together after an edit used to).
 */
export async function buildIfStale(output, sources, lock, build) {
  if (!(await isStale(output, sources))) return false;
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const held = await stat(lock).catch(() => null);
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 100));
  }
  try {
    if (!(await isStale(output, sources))) return false;
    await build();
    return true;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
