// The messages every transport carries: one client implementation (client.ts) and one server
// session (electron/transport/session.ts) speak them over IPC, WebSocket or a direct function call.
import { z } from 'zod';
import { apiErrorSchema } from './errors';

const id = z.number().int().nonnegative();
const method = z.string().min(1).max(100);

export const clientMessageSchema = z.discriminatedUnion('t', [
  /** Call a procedure; answered by one `result` or `error`. */
  z.object({ t: z.literal('call'), id, method, input: z.unknown() }),
  /** Start a subscription; answered by `event`s then one `end` or `error`. */
  z.object({ t: z.literal('sub'), id, method, input: z.unknown() }),
  /** Cancel a call or subscription in flight. */
  z.object({ t: z.literal('cancel'), id }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id, output: z.unknown() }),
  z.object({ t: z.literal('event'), id, event: z.unknown() }),
  z.object({ t: z.literal('end'), id }),
  z.object({ t: z.literal('error'), id, error: apiErrorSchema }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** A bidirectional message pipe: what each transport provides to the client. */
export interface WirePort {
  post(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** Called when the pipe breaks (e.g. WebSocket closed); pending work fails with this error. */
  onClose?(listener: (reason: string) => void): () => void;
}
