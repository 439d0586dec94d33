// Secrets are named in workspace files, never written there: `env:VAR` reads an environment
// variable, `file:PATH` a file (relative to the workspace, like container secrets), and
// `keychain:NAME` the OS keychain of the desktop app. Values never reach a log or a message.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';

export const SECRET_REF = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:[^\0]+|keychain:[A-Za-z0-9_.-]+)$/;

export function resolveSecret(ref: string, where: string, root: string = process.cwd()): string {
  const colon = ref.indexOf(':');
  const scheme = ref.slice(0, colon);
  const name = ref.slice(colon + 1);
  if (scheme === 'env') {
    const value = process.env[name];
    if (value === undefined || value === '') throw new ApiError('BAD_REQUEST', `${where} names the environment variable ${name}, which is not set`);
    return value;
  }
  if (scheme === 'file') {
    const file = resolve(root, name);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new ApiError('BAD_REQUEST', `${where} names the file ${file}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  throw new ApiError('BAD_REQUEST', `${where} names the keychain entry "${name}"; the keychain is only reachable from the desktop app. Use env:VARIABLE or file:PATH here.`);
}
