// How numbers, sizes and paths read on screen.
import type { Tier } from '../../../shared/model/product';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** 0.999999 → "99.9999 %" (toPrecision strips the float noise of ×100). */
export function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(10))} %`;
}

/** What a tier promises about the product's records. */
export function tierPromiseText(tier: Tier | undefined, promise: number | null): string {
  if (!tier) return 'no tier declared';
  if (promise === null) return 'raw, no promise';
  return `≥ ${formatShare(promise)} of records pass`;
}

/** Paths inside the workspace read better relative to it; others stay absolute. */
export function workspacePath(file: string, root: string | undefined): string {
  if (!root) return file;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

export function fileLine(file: string, line: number | null | undefined): string {
  return line ? `${file}:${line}` : file;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
