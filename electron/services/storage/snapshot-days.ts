// Daily snapshots in a local folder, laid out as <root>/date=YYYY-MM-DD/*.parquet.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotDay } from '../../../shared/api/contract';

const DAY_DIR = /^(?:date|dt|day)=(\d{4}-\d{2}-\d{2})$|^(\d{4}-\d{2}-\d{2})$/;

export async function listSnapshotDays(root: string | null): Promise<SnapshotDay[]> {
  if (!root) return [];
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const days: SnapshotDay[] = [];
  for (const e of entries) {
    const m = e.isDirectory() ? DAY_DIR.exec(e.name) : null;
    if (!m) continue;
    const dir = join(root, e.name);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet'));
    const sizes = await Promise.all(files.map((f) => stat(join(dir, f)).then((s) => s.size)));
    days.push({ date: (m[1] ?? m[2])!, files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) });
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
