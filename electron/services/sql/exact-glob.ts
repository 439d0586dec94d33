// Snapshot files are given to DuckDB as glob patterns that match exactly one file each.

/**
 * A glob pattern that matches this one file and nothing else (`part-0.parque[t]`). DuckDB uses
 * the footers it keeps (parquet_metadata_cache) for a scan of several files — to answer count(*)
 * and plan from row-group statistics without opening them — only when it knows each file's
 * modification time without asking the file system, which it does for files it listed from a
 * glob and not for plain paths. A path with glob characters of its own, or not ending in a
 * letter or digit, stays as it is.
 */
export function exactGlob(path: string): string {
  if (/[*?[\]{}]/.test(path) || !/[A-Za-z0-9]$/.test(path)) return path;
  return `${path.slice(0, -1)}[${path.slice(-1)}]`;
}

/**
 * DuckDB's "no files match" for such a pattern is a snapshot file that was removed after the
 * engine was built: said with the file's own path and what to do.
 */
export function goneFileMessage(message: string): string | null {
  const m = /No files found that match the pattern "(.*)\[([A-Za-z0-9])\]"/.exec(message);
  return m ? `Snapshot file ${m[1]}${m[2]} is gone (removed after the workspace was read); reload the workspace to query what is there now` : null;
}
