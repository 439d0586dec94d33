// The server session every transport shares: validation both ways, cancel, and errors.
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/api/wire';
import { ApiError } from '../../../../shared/api/errors';
import { METHOD_NAMES } from '../../../../shared/api/contract';
import { createInProcessClient } from '../../../../electron/transport/in-process';
import type { Handlers } from '../../../../electron/transport/handlers';
import { ApiSession } from '../../../../electron/transport/session';

const notUsed = async (): Promise<never> => {
  throw new Error('not used in this test');
};

/** Every method of the contract, failing unless the test overrides it. */
function handlers(overrides: Partial<Handlers>): Handlers {
  return { ...Object.fromEntries(METHOD_NAMES.map((m) => [m, notUsed])), ...overrides } as Handlers;
}

describe('ApiSession', () => {
  it('rejects output that breaks the contract instead of passing it on', async () => {
    const bad = handlers({ 'lint.run': async () => ({ findings: [{ product: 'x' }] }) as never });
    const { client } = createInProcessClient(bad);
    await expect(client.call('lint.run', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('outside the API contract') });
  });

  it('passes ApiErrors through with code and details, and reports the rest as INTERNAL', async () => {
    const h = handlers({
      'catalog.get': async () => {
        throw new ApiError('NOT_FOUND', 'No product "x"', { product: 'x' });
      },
      'catalog.list': async () => {
        throw new TypeError('boom');
      },
    });
    const seen: string[] = [];
    const messages: ServerMessage[] = [];
    const session = new ApiSession(h, (m) => messages.push(m), { onInternalError: (method) => seen.push(method) });
    session.receive({ t: 'call', id: 1, method: 'catalog.get', input: { id: 'x' } });
    session.receive({ t: 'call', id: 2, method: 'catalog.list', input: {} });
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toContainEqual({ t: 'error', id: 1, error: { code: 'NOT_FOUND', message: 'No product "x"', details: { product: 'x' } } });
    expect(messages).toContainEqual({ t: 'error', id: 2, error: { code: 'INTERNAL', message: 'boom' } });
    expect(seen).toEqual(['catalog.list']);
  });

  it('refuses a procedure sent as a subscription and unknown extra input keys', async () => {
    const messages: ServerMessage[] = [];
    const session = new ApiSession(handlers({}), (m) => messages.push(m));
    session.receive({ t: 'sub', id: 1, method: 'catalog.list', input: {} });
    session.receive({ t: 'call', id: 2, method: 'catalog.list', input: { path: '/etc/passwd' } });
    await expect.poll(() => messages.length).toBe(2);
    expect(messages.every((m) => m.t === 'error' && m.error.code === 'BAD_REQUEST')).toBe(true);
  });

  it('cancel aborts the handler, and closing the session aborts everything', async () => {
    const aborted: string[] = [];
    const h = handlers({
      'catalog.watch': (_i, ctx) =>
        new Promise<void>((done) => {
          ctx.emit({ reason: 'initial', products: 1, problems: 0, files: [] });
          ctx.signal.addEventListener('abort', () => {
            aborted.push('watch');
            done();
          });
        }),
    });
    const messages: ServerMessage[] = [];
    const session = new ApiSession(h, (m) => messages.push(m));
    session.receive({ t: 'sub', id: 1, method: 'catalog.watch', input: {} });
    session.receive({ t: 'sub', id: 2, method: 'catalog.watch', input: {} });
    await expect.poll(() => messages.filter((m) => m.t === 'event').length).toBe(2);
    session.receive({ t: 'cancel', id: 1 });
    await expect.poll(() => aborted.length).toBe(1);
    expect(messages).toContainEqual({ t: 'error', id: 1, error: { code: 'CANCELLED', message: 'catalog.watch was cancelled' } });
    session.close();
    await expect.poll(() => aborted.length).toBe(2);
  });
});
