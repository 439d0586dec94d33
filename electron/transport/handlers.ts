// The server side of the API contract: one function per method, typed from shared/api/contract.
import type { EventOf, OutputOf, ParsedInputOf, ProcedureName, SubscriptionName } from '../../shared/api/contract';

export interface CallContext {
  /** Aborted when the caller cancels or disconnects. */
  signal: AbortSignal;
}
export interface SubscriptionContext<E> extends CallContext {
  /** Push one event to the subscriber (validated against the contract before it leaves). */
  emit(event: E): void;
}

export type Handlers = {
  [P in ProcedureName]: (input: ParsedInputOf<P>, ctx: CallContext) => Promise<OutputOf<P>>;
} & {
  /** Resolves when the subscription ends by itself; cancel aborts ctx.signal. */
  [S in SubscriptionName]: (input: ParsedInputOf<S>, ctx: SubscriptionContext<EventOf<S>>) => Promise<void>;
};
