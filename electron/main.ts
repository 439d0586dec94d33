// The Electron main process: one window on the sandboxed renderer, the services behind IPC.
// Follows Electron's security checklist: context isolation, sandbox, no Node in the renderer,
// a custom protocol instead of file://, CSP, no remote content, no navigation or new windows,
// denied permissions, and every IPC message's sender checked.
import { app, BrowserWindow, ipcMain, net, protocol, session, shell, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IPC_CHANNEL_TO_MAIN, IPC_CHANNEL_TO_RENDERER } from '../shared/api/bridge';
import { openServices, type Services } from './services/services';
import { ApiSession } from './transport/session';
import { contentSecurityPolicy } from './transport/http-ws';
import { DEMO_WORKSPACE, RENDERER_DIST } from './hosts/paths';

const APP_ORIGIN = 'app://dpx';
const here = fileURLToPath(new URL('.', import.meta.url));

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

const { values: args } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { workspace: { type: 'string', short: 'w' } }, strict: false });
const sessions = new Map<number, ApiSession>();
let services: Services | null = null;

/** Serves the built renderer under app://dpx/ with the CSP; nothing outside it is reachable. */
function serveRenderer() {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(RENDERER_DIST, rel));
    if (url.host !== 'dpx' || !file.startsWith(normalize(RENDERER_DIST) + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy("'self'"));
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Only our own top frame, loaded from app://dpx, may talk to the services. */
function trustedSender(contents: WebContents, frameUrl: string | undefined): boolean {
  return sessions.has(contents.id) && typeof frameUrl === 'string' && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

function hardenContents(contents: WebContents) {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation or support channels open in the user's browser, https only.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

async function createWindow() {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    title: 'Data Product Explorer',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  const apiSession = new ApiSession(services!.handlers, (m) => {
    if (!contents.isDestroyed()) contents.send(IPC_CHANNEL_TO_RENDERER, m);
  });
  sessions.set(contents.id, apiSession);
  const id = contents.id;
  win.on('closed', () => {
    sessions.get(id)?.close();
    sessions.delete(id);
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_e, contents) => hardenContents(contents));

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer();
  services = await openServices({ workspace: typeof args.workspace === 'string' ? args.workspace : DEMO_WORKSPACE });
  ipcMain.on(IPC_CHANNEL_TO_MAIN, (event, message: unknown) => {
    if (!trustedSender(event.sender, event.senderFrame?.url)) return; // not our window: ignore silently
    sessions.get(event.sender.id)?.receive(message);
  });
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  void services?.close();
  if (process.platform !== 'darwin') app.quit();
});
