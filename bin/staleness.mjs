// Is a build output older than its sources? Used by `dpx` (its CLI bundle) and the hosts (the UI
// bundle) to rebuild in a clone only when something changed.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
