// Browser mode's loopback server: token, Host and Origin checks, and the API over WebSocket
// with pushed events, against the real services on a copy of the demo workspace.
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../../../../shared/api/client';
import { serverMessageSchema, type ServerMessage, type WirePort } from '../../../../shared/api/wire';
import { openServices, type Services } from '../../../../electron/services/services';
import { startBrowserServer, type BrowserServer } from '../../../../electron/transport/http-ws';
import { demoFixture, type Fixture } from '../../../helpers/workspace-fixture';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(server: BrowserServer, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function portOf(ws: WebSocket): WirePort {
  return {
    post: (m) => ws.send(JSON.stringify(m)),
    onMessage: (l) => {
      const h = (data: WebSocket.RawData) => l(serverMessageSchema.parse(JSON.parse(String(data))) as ServerMessage);
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
}

describe('browser-mode server', () => {
  let fixture: Fixture;
  let services: Services;
  let server: BrowserServer;
  let staticDir: string;
  let good: Record<string, string>;

  beforeAll(async () => {
    fixture = await demoFixture();
    services = await openServices({ workspace: fixture.dir });
    staticDir = await mkdtemp(join(tmpdir(), 'dpx-static-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>dpx</title>');
    server = await startBrowserServer({ handlers: services.handlers, staticDir });
    good = { Origin: server.origin, Cookie: `dpx_token=${server.token}` };
  });
  afterAll(async () => {
    await server.close();
    await services.close();
    await fixture.dispose();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, with a long random token in the URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('swaps the URL token for an HttpOnly cookie and serves the UI with a CSP', async () => {
    const first = await get(server.url);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(/dpx_token=.+; HttpOnly; SameSite=Strict/);
    const page = await get(`${server.origin}/`, { Cookie: `dpx_token=${server.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>dpx</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses requests without the token, with a wrong token, or for another Host', async () => {
    expect((await get(`${server.origin}/`)).status).toBe(401);
    expect((await get(`${server.origin}/?token=wrong`)).status).toBe(401);
    expect((await get(`${server.origin}/`, { Cookie: `dpx_token=${server.token}`, Host: 'evil.example' })).status).toBe(403);
  });

  it('does not serve files outside the UI folder', async () => {
    const res = await get(`${server.origin}/..%2f..%2fetc%2fpasswd`, { Cookie: `dpx_token=${server.token}` });
    expect(res.status).toBe(404);
  });

  it('refuses WebSocket upgrades from another Origin or without the token', async () => {
    await expect(openSocket(server, { Origin: 'http://evil.example', Cookie: `dpx_token=${server.token}` })).rejects.toThrow(/403/);
    await expect(openSocket(server, { Origin: server.origin })).rejects.toThrow(/403/);
  });

  it('carries calls and contract errors over the WebSocket', async () => {
    const ws = await openSocket(server, good);
    const client = new ApiClient(portOf(ws));
    const list = await client.call('catalog.list', {});
    expect(list.products.map((p) => p.id)).toContain('sales.orders');
    await expect(client.call('catalog.get', { id: 'no.such' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    ws.close();
  });

  it('answers malformed and unknown messages with BAD_REQUEST / UNKNOWN_METHOD', async () => {
    const ws = await openSocket(server, good);
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d))));
    ws.send('not json');
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 'fs.readFile', input: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 8, method: 'catalog.get', input: { id: 42 } }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ t: 'error', error: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
        expect.objectContaining({ t: 'error', id: 7, error: expect.objectContaining({ code: 'UNKNOWN_METHOD' }) }),
        expect.objectContaining({ t: 'error', id: 8, error: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
      ]),
    );
    ws.close();
  });

  it('pushes catalog.watch events when a descriptor changes, until cancelled', async () => {
    const ws = await openSocket(server, good);
    const client = new ApiClient(portOf(ws));
    const events: Array<{ reason: string; products: number; files: string[] }> = [];
    const sub = client.subscribe('catalog.watch', {}, { onEvent: (e) => events.push(e) });
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ reason: 'initial', products: 4 });
    await fixture.remove('products/marketing.ad-targeting.odps.yaml');
    await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ reason: 'changed', products: 3 });
    expect(events.at(-1)!.files.some((f) => f.endsWith('marketing.ad-targeting.odps.yaml'))).toBe(true);
    sub.cancel();
    ws.close();
  });
});
