// The only bridge between the sandboxed renderer and the main process: one object, one channel
// pair, and every outgoing message checked against the API contract before it leaves.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL_TO_MAIN, IPC_CHANNEL_TO_RENDERER, type DpxBridge } from '../shared/api/bridge';
import { isMethodName } from '../shared/api/contract';
import { clientMessageSchema, serverMessageSchema } from '../shared/api/wire';

const bridge: DpxBridge = {
  post(message) {
    const parsed = clientMessageSchema.safeParse(message);
    if (!parsed.success) throw new Error(`dpx: malformed API message: ${parsed.error.issues[0]?.message}`);
    if (parsed.data.t !== 'cancel' && !isMethodName(parsed.data.method)) throw new Error(`dpx: unknown API method "${parsed.data.method}"`);
    ipcRenderer.send(IPC_CHANNEL_TO_MAIN, parsed.data);
  },
  onMessage(listener) {
    const handler = (_event: IpcRendererEvent, message: unknown) => {
      const parsed = serverMessageSchema.safeParse(message);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(IPC_CHANNEL_TO_RENDERER, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNEL_TO_RENDERER, handler);
  },
  // Only what the user dropped: the path goes to `sql.attach`, which opens exactly that file.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('dpx', bridge);
