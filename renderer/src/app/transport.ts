// Picks the transport the renderer runs on: the Electron preload's bridge when present, else the
// browser-mode WebSocket on the same origin (authenticated by the cookie set at first load).
import { ApiClient } from '../../../shared/api/client';
import type { DpxBridge } from '../../../shared/api/bridge';
import { serverMessageSchema, type ClientMessage, type ServerMessage, type WirePort } from '../../../shared/api/wire';

declare global {
  interface Window {
    dpx?: DpxBridge;
  }
}

function webSocketPort(url: string): WirePort {
  const ws = new WebSocket(url);
  const queue: string[] = [];
  const listeners = new Set<(m: ServerMessage) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  ws.addEventListener('open', () => queue.splice(0).forEach((m) => ws.send(m)));
  ws.addEventListener('message', (e) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(e.data));
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(raw);
    if (parsed.success) listeners.forEach((l) => l(parsed.data));
  });
  ws.addEventListener('close', (e) => {
    const reason = e.reason || (e.code === 1006 ? 'the explorer backend stopped or refused the connection' : `closed (${e.code})`);
    closeListeners.forEach((l) => l(reason));
  });
  return {
    post(m: ClientMessage) {
      const text = JSON.stringify(m);
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else queue.push(text);
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
  };
}

/** `onClose` hears when the backend goes away (browser mode only: Electron's IPC cannot break). */
export function connect(onClose?: (reason: string) => void): ApiClient {
  if (window.dpx) return new ApiClient(window.dpx);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const port = webSocketPort(`${proto}//${location.host}/api`);
  if (onClose) port.onClose?.(onClose);
  return new ApiClient(port);
}
