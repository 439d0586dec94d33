// What the Electron preload exposes to the renderer as `window.dpx`: one object, one channel pair.
import type { ClientMessage, ServerMessage } from './wire';

export const IPC_CHANNEL_TO_MAIN = 'dpx:client-message';
export const IPC_CHANNEL_TO_RENDERER = 'dpx:server-message';

export interface DpxBridge {
  post(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** The local path of a file dropped on the window (desktop app only; browsers never reveal it). */
  pathForFile?(file: File): string;
}
