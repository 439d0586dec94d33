// The in-process transport: the CLI and tests talk to the services through the same session and
// client as the UI does, so the contract's validation runs here too.
import { ApiClient } from '../../shared/api/client';
import type { ClientMessage, ServerMessage, WirePort } from '../../shared/api/wire';
import type { Handlers } from './handlers';
import { ApiSession } from './session';

export function createInProcessClient(handlers: Handlers): { client: ApiClient; close(): void } {
  const listeners = new Set<(m: ServerMessage) => void>();
  // Messages cross as structured clones, like they would across IPC: no shared mutable objects.
  const session = new ApiSession(handlers, (m) => {
    const copy = structuredClone(m);
    queueMicrotask(() => listeners.forEach((l) => l(copy)));
  });
  const port: WirePort = {
    post: (m: ClientMessage) => session.receive(structuredClone(m)),
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { client: new ApiClient(port), close: () => session.close() };
}
