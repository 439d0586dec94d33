// One connected client (a window, a WebSocket, the CLI): receives wire messages, validates them
// against the contract, runs the handler and sends back results, events and errors.
import { api, isMethodName, type MethodName } from '../../shared/api/contract';
import { ApiError, toApiError } from '../../shared/api/errors';
import { clientMessageSchema, type ServerMessage } from '../../shared/api/wire';
import type { Handlers } from './handlers';

export interface SessionOptions {
  /** Called with unexpected (INTERNAL) errors, for the host's log. Never given secrets. */
  onInternalError?(method: string, error: ApiError): void;
}

type AnyHandler = (input: unknown, ctx: { signal: AbortSignal; emit(e: unknown): void }) => Promise<unknown>;

export class ApiSession {
  private readonly inFlight = new Map<number, AbortController>();
  private closed = false;

  constructor(
    private readonly handlers: Handlers,
    private readonly send: (message: ServerMessage) => void,
    private readonly options: SessionOptions = {},
  ) {}

  /** Feed one message as it arrived from the transport (not trusted: validated here). */
  receive(raw: unknown): void {
    if (this.closed) return;
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
      this.reply({ t: 'error', id, error: new ApiError('BAD_REQUEST', `Malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`).toJSON() });
      return;
    }
    const m = parsed.data;
    if (m.t === 'cancel') {
      this.inFlight.get(m.id)?.abort();
      return;
    }
    if (!isMethodName(m.method)) {
      this.reply({ t: 'error', id: m.id, error: new ApiError('UNKNOWN_METHOD', `Unknown method "${m.method}"`).toJSON() });
      return;
    }
    const def = api[m.method];
    const expected = def.kind === 'procedure' ? 'call' : 'sub';
    if (m.t !== expected) {
      this.reply({ t: 'error', id: m.id, error: new ApiError('BAD_REQUEST', `"${m.method}" is a ${def.kind}; send it as "${expected}"`).toJSON() });
      return;
    }
    if (this.inFlight.has(m.id)) {
      this.reply({ t: 'error', id: m.id, error: new ApiError('BAD_REQUEST', `Request id ${m.id} is already in use`).toJSON() });
      return;
    }
    void this.run(m.id, m.method, m.input);
  }

  /** The client went away: cancel everything it started. */
  close(): void {
    this.closed = true;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  private async run(id: number, method: MethodName, rawInput: unknown): Promise<void> {
    const def = api[method];
    const input = def.input.safeParse(rawInput);
    if (!input.success) {
      const detail = input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      this.reply({ t: 'error', id, error: new ApiError('BAD_REQUEST', `${method}: ${detail}`).toJSON() });
      return;
    }
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    const handler = this.handlers[method] as unknown as AnyHandler;
    const emit = (event: unknown) => {
      if (controller.signal.aborted || def.kind !== 'subscription') return;
      const checked = def.event.safeParse(event);
      if (!checked.success) throw new ApiError('INTERNAL', `${method} produced an event outside the API contract: ${checked.error.message}`);
      this.reply({ t: 'event', id, event: checked.data });
    };
    try {
      const output = await handler(input.data, { signal: controller.signal, emit });
      if (controller.signal.aborted) {
        this.reply({ t: 'error', id, error: new ApiError('CANCELLED', `${method} was cancelled`).toJSON() });
      } else if (def.kind === 'procedure') {
        const checked = def.output.safeParse(output);
        if (!checked.success) throw new ApiError('INTERNAL', `${method} answered outside the API contract: ${checked.error.message}`);
        this.reply({ t: 'result', id, output: checked.data });
      } else {
        this.reply({ t: 'end', id });
      }
    } catch (e) {
      const err = controller.signal.aborted ? new ApiError('CANCELLED', `${method} was cancelled`) : toApiError(e);
      if (err.code === 'INTERNAL') this.options.onInternalError?.(method, err);
      this.reply({ t: 'error', id, error: err.toJSON() });
    } finally {
      this.inFlight.delete(id);
    }
  }

  private reply(message: ServerMessage): void {
    if (!this.closed) this.send(message);
  }
}
