// Shared by the benchmarks: timing whole runs, medians, ratios, and the data folder.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BENCH_DIR = resolve(ROOT, '.bench');
export const DPX = resolve(ROOT, 'bin/dpx.js');

export async function benchDir(name: string): Promise<string> {
  const dir = resolve(BENCH_DIR, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

export interface RunResult {
  wallMs: number;
  stdout: string;
  stderr: string;
  code: number | null;
  /** Peak resident memory of the process (from GNU time), MB. */
  maxRssMb: number | null;
}

/** Runs a command to completion; stdout can go to /dev/null (not kept) for throughput runs. */
export function run(cmd: string, args: string[], opts: { discardStdout?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    const started = performance.now();
    // GNU time reports the peak RSS of the whole command.
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', opts.discardStdout ? 'ignore' : 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('exit', (code) => {
      const lines = stderr.trimEnd().split('\n');
      const kb = Number(lines.at(-1));
      done({ wallMs: performance.now() - started, stdout, stderr: lines.slice(0, -1).join('\n'), code, maxRssMb: Number.isFinite(kb) ? kb / 1024 : null });
    });
  });
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
