// The typed client every caller uses (renderer, CLI, tests), whatever the transport underneath.
// It validates inputs before sending and outputs/events on arrival, so a transport can never
// hand the UI something the contract does not allow.
import { api, type EventOf, type InputOf, type OutputOf, type ProcedureName, type SubscriptionName } from './contract';
import { ApiError } from './errors';
import type { ServerMessage, WirePort } from './wire';

export interface SubscriptionHandlers<E> {
  onEvent(event: E): void;
  onError?(error: ApiError): void;
  onEnd?(): void;
}

export interface Subscription {
  cancel(): void;
}

interface Pending {
  method: string;
  resolve?(output: unknown): void;
  reject?(error: ApiError): void;
  handlers?: SubscriptionHandlers<unknown>;
}

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedReason: string | null = null;

  constructor(private readonly port: WirePort) {
    port.onMessage((m) => this.receive(m));
    port.onClose?.((reason) => this.closeAll(reason));
  }

  call<P extends ProcedureName>(method: P, input: InputOf<P>, signal?: AbortSignal): Promise<OutputOf<P>> {
    return new Promise((resolve, reject) => {
      if (this.closedReason) return reject(new ApiError('INTERNAL', `Connection to the explorer backend closed: ${this.closedReason}`));
      const parsed = api[method].input.safeParse(input);
      if (!parsed.success) return reject(new ApiError('BAD_REQUEST', `${method}: ${parsed.error.issues.map((i) => i.message).join('; ')}`));
      const id = this.nextId++;
      this.pending.set(id, {
        method,
        resolve: (o) => resolve(o as OutputOf<P>),
        reject,
      });
      signal?.addEventListener('abort', () => this.port.post({ t: 'cancel', id }), { once: true });
      this.port.post({ t: 'call', id, method, input: parsed.data });
    });
  }

  subscribe<S extends SubscriptionName>(method: S, input: InputOf<S>, handlers: SubscriptionHandlers<EventOf<S>>): Subscription {
    const id = this.nextId++;
    const parsed = api[method].input.safeParse(input);
    if (!parsed.success) {
      queueMicrotask(() => handlers.onError?.(new ApiError('BAD_REQUEST', `${method}: ${parsed.error.message}`)));
      return { cancel() {} };
    }
    this.pending.set(id, { method, handlers: handlers as SubscriptionHandlers<unknown> });
    this.port.post({ t: 'sub', id, method, input: parsed.data });
    return {
      cancel: () => {
        if (this.pending.delete(id)) this.port.post({ t: 'cancel', id });
      },
    };
  }

  private receive(m: ServerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return; // cancelled already; late messages are expected and dropped
    const def = api[p.method as keyof typeof api];
    switch (m.t) {
      case 'result': {
        this.pending.delete(m.id);
        const out = def.kind === 'procedure' ? def.output.safeParse(m.output) : null;
        if (out?.success) p.resolve?.(out.data);
        else p.reject?.(new ApiError('INTERNAL', `${p.method}: the backend answered outside the API contract: ${out?.error.message ?? 'not a procedure'}`));
        return;
      }
      case 'event': {
        const ev = def.kind === 'subscription' ? def.event.safeParse(m.event) : null;
        if (ev?.success) p.handlers?.onEvent(ev.data);
        else p.handlers?.onError?.(new ApiError('INTERNAL', `${p.method}: event outside the API contract: ${ev?.error.message ?? 'not a subscription'}`));
        return;
      }
      case 'end':
        this.pending.delete(m.id);
        p.handlers?.onEnd?.();
        return;
      case 'error': {
        this.pending.delete(m.id);
        const err = ApiError.from(m.error);
        if (p.reject) p.reject(err);
        else p.handlers?.onError?.(err);
      }
    }
  }

  private closeAll(reason: string): void {
    this.closedReason = reason;
    const err = new ApiError('INTERNAL', `Connection to the explorer backend closed: ${reason}`);
    for (const p of this.pending.values()) {
      if (p.reject) p.reject(err);
      else p.handlers?.onError?.(err);
    }
    this.pending.clear();
  }
}
