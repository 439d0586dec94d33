/**
 * Vitest global setup of the `integration` project: makes sure the real Kafka broker (with its
 * SASL_SSL listener) and the S3 server run, through the same script as `npm run infra:up`.
 *
 * - Already running and answering (e.g. `.ci/run` or a developer ran `infra up`): reused, left running.
 * - Otherwise started here and stopped again after the run, unless DPX_KEEP_INFRA=1.
 * - DPX_INFRA=external: do nothing, the tests read whatever .infra/env.json says.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../infra/env';

const INFRA = path.join(ROOT, 'test', 'infra', 'infra.ts');

function infra(...args: string[]): number {
  // Same Node, tsx as a loader: no shell, no npx lookup.
  const r = spawnSync(process.execPath, ['--import', 'tsx', INFRA, ...args], { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export default function setup(): (() => void) | undefined {
  if (process.env['DPX_INFRA'] === 'external') return undefined;
  const wasRunning = infra('status') === 0;
  if (infra('up', '--secure') !== 0) throw new Error('test services did not start (see the [infra] lines above)');
  if (wasRunning || process.env['DPX_KEEP_INFRA'] === '1') return undefined;
  return () => {
    infra('down');
  };
}
