// The UI's one door to the services: the typed ApiClient from the transport, the shared call
// cache, and two live facts every page cares about (is the backend still there, did the catalog
// change). Pages read them through the hooks below, never through the transport.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/client';
import type { EventOf, InputOf, OutputOf, ProcedureName } from '../../../shared/api/contract';
import { CallCache, type CallState } from './call-cache';
import { createStore, useStore, type Store } from './store';
import { connect } from './transport';

export type CatalogChange = EventOf<'catalog.watch'>;

export interface CatalogWatch {
  live: boolean;
  /** The last reload the watcher reported (not the initial event), and when it arrived. */
  lastReload: { change: CatalogChange; at: Date } | null;
}

export interface Backend {
  client: ApiClient;
  cache: CallCache;
  /** Why the transport closed, or null while connected. */
  disconnected: Store<string | null>;
  watch: Store<CatalogWatch>;
}

export function createBackend(): Backend {
  const disconnected = createStore<string | null>(null);
  const client = connect((reason) => disconnected.set(reason));
  const cache = new CallCache(client);
  const watch = createStore<CatalogWatch>({ live: false, lastReload: null });
  client.subscribe('catalog.watch', {}, {
    onEvent(change) {
      // The initial event only confirms the watcher runs; what is on screen is already current.
      if (change.reason === 'initial') return watch.set({ ...watch.get(), live: true });
      cache.invalidateAll();
      watch.set({ live: true, lastReload: { change, at: new Date() } });
    },
    onError: () => watch.set({ ...watch.get(), live: false }),
    onEnd: () => watch.set({ ...watch.get(), live: false }),
  });
  return { client, cache, disconnected, watch };
}

const BackendContext = createContext<Backend | null>(null);

export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext value={backend}>{children}</BackendContext>;
}

function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend outside <BackendProvider>');
  return backend;
}

export interface CallResult<T> extends CallState<T> {
  /** Ask again (e.g. a Retry button). */
  reload(): void;
}

/** The answer to a procedure call, loaded on mount and refreshed when the catalog changes. */
export function useCall<P extends ProcedureName>(method: P, input: InputOf<P>): CallResult<OutputOf<P>> {
  const entry = useBackend().cache.entry(method, input);
  const state = useSyncExternalStore(entry.subscribe, entry.getSnapshot);
  return { ...state, reload: entry.load };
}

/** The typed client, for what the call cache does not fit: subscriptions (a tail) and one-off calls. */
export const useClient = (): ApiClient => useBackend().client;

export const useDisconnected = (): string | null => useStore(useBackend().disconnected);
export const useCatalogWatch = (): CatalogWatch => useStore(useBackend().watch);
