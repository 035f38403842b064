// hoplab's own `kubectl exec` (kube/exec-client.ts) against a real TLS
// WebSocket server on the loopback that speaks the exec protocols as API
// servers of different ages do: what it returns where kubectl would run the
// command, and when it leaves the command to kubectl instead.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { execOverApi, type ApiConnection } from '../../src/kube/exec-client.js';
import { createApiReader } from '../../src/providers/kubeconfig/api-reader.js';
import { createServingCerts } from '../../src/kube/x509.js';

const certs = createServingCerts(['127.0.0.1']);
const other = createServingCerts(['127.0.0.1']);
const TOKEN = 'sekret';
/** Upgrades the server saw: path, offered protocols, authorization. */
const seen: { pod: string; protocols: string; auth: string }[] = [];

const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

let server: Server;
let conn: ApiConnection;
beforeAll(async () => {
  // v4only plays an API server before 1.30: it selects v4.channel.k8s.io and refuses v5 alone.
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  const v4 = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  server = createServer({ cert: certs.serverCert, key: certs.serverKey });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const pod = /\/pods\/([^/]+)\/exec$/.exec(url.pathname)?.[1] ?? '?';
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '');
    seen.push({ pod, protocols, auth: String(req.headers.authorization ?? '-') });
    const refuse = (code: number, body: string, type = 'application/json') =>
      socket.end(`HTTP/1.1 ${code} X\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    if (pod === 'gone') return refuse(404, status(404, 'NotFound', 'pods "gone" not found'));
    if (pod === 'multi' && !url.searchParams.get('container')) return refuse(400, status(400, 'BadRequest', 'a container name must be specified for pod multi, choose one of: [a b]'));
    if (pod === 'proxied') return refuse(400, '<html>Bad Request</html>', 'text/html');
    if (pod === 'v4only' && !protocols.includes('v4.channel.k8s.io')) return refuse(400, status(400, 'BadRequest', 'unable to upgrade: none of the subprotocols is supported'));
    (pod === 'v4only' ? v4 : wss).handleUpgrade(req, socket, head, (ws) => {
      const frame = (ch: number, s: string) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(s)]));
      const command = url.searchParams.getAll('command');
      if (command[0] === 'cat') {
        // Echo stdin until the client half-closes it (v5's channel 255), then succeed.
        const input: Buffer[] = [];
        ws.on('message', (d: Buffer) => {
          if (d[0] === 0) input.push(d.subarray(1));
          if (d[0] === 255 && d[1] === 0) {
            frame(1, Buffer.concat(input).toString());
            frame(3, JSON.stringify({ status: 'Success' }));
            ws.close();
          }
        });
        return;
      }
      frame(1, `ran ${command.join(' ')} in ${url.searchParams.get('container') ?? 'the default container'} over ${ws.protocol}\n`);
      frame(2, 'a warning\n');
      frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }));
      ws.close();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  conn = { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: certs.caCert, token: TOKEN };
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('exec over the API, as kubectl exec', () => {
  it("gives stdout, stderr with kubectl's trailer, and the exit code from the error channel; the token goes along", async () => {
    seen.length = 0;
    const r = await execOverApi(conn, { namespace: 'lab', name: 'web', container: 'debugger' }, ['ip', 'route']);
    expect(r).toEqual({ exitCode: 3, stdout: 'ran ip route in debugger over v5.channel.k8s.io\n', stderr: 'a warning\ncommand terminated with exit code 3\n' });
    expect(seen).toEqual([{ pod: 'web', protocols: 'v5.channel.k8s.io,v4.channel.k8s.io', auth: `Bearer ${TOKEN}` }]);
  });

  it('an API server before 1.30 runs commands without input over v4; with input only v5 is offered, and the command is left to kubectl', async () => {
    expect(await execOverApi(conn, { namespace: 'lab', name: 'v4only' }, ['hostname'])).toMatchObject({ exitCode: 3, stdout: 'ran hostname in the default container over v4.channel.k8s.io\n' });
    // v4 cannot end stdin: a command reading it would wait forever.
    expect(await execOverApi(conn, { namespace: 'lab', name: 'v4only' }, ['cat'], { input: 'x' })).toEqual({ unsupported: expect.stringMatching(/answered the exec upgrade with 400/) });
    expect(await execOverApi(conn, { namespace: 'lab', name: 'cat' }, ['cat'], { input: 'hello\n' })).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: '' });
  });

  it("a Kubernetes refusal is kubectl's error and exit 1; a pod of several containers without one named, and an answer that is no Status, go to kubectl", async () => {
    expect(await execOverApi(conn, { namespace: 'lab', name: 'gone' }, ['true'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "gone" not found\n' });
    expect(await execOverApi(conn, { namespace: 'lab', name: 'multi' }, ['true'])).toEqual({ unsupported: expect.stringMatching(/container name must be specified/), thisCallOnly: true });
    expect(await execOverApi(conn, { namespace: 'lab', name: 'multi', container: 'b' }, ['true'])).toMatchObject({ exitCode: 3, stdout: 'ran true in b over v5.channel.k8s.io\n' });
    expect(await execOverApi(conn, { namespace: 'lab', name: 'proxied' }, ['true'])).toEqual({ unsupported: 'the API server answered the exec upgrade with 400 X' });
  });

  it('a certificate the CA did not sign goes to kubectl, which words the TLS failure; insecure skips the check as kubectl does', async () => {
    expect(await execOverApi({ ...conn, ca: other.caCert }, { namespace: 'lab', name: 'web' }, ['true'])).toEqual({ unsupported: expect.stringMatching(/certificate/) });
    expect(await execOverApi({ url: conn.url, insecure: true, token: TOKEN }, { namespace: 'lab', name: 'web' }, ['true'])).toMatchObject({ exitCode: 3 });
  });

  it("the kubeconfig provider's reader stops trying after a server that does not take it, but not after a pod's own answer", async () => {
    const api = createApiReader({ server: conn.url, insecure: false, ca: certs.caCert, token: TOKEN });
    seen.length = 0;
    expect(await api.exec({ namespace: 'lab', name: 'multi' }, ['true'])).toBeUndefined();
    expect(await api.exec({ namespace: 'lab', name: 'web' }, ['true'])).toMatchObject({ exitCode: 3 });
    expect(await api.exec({ namespace: 'lab', name: 'proxied' }, ['true'])).toBeUndefined();
    expect(await api.exec({ namespace: 'lab', name: 'web' }, ['true'])).toBeUndefined();
    expect(seen.map((s) => s.pod)).toEqual(['multi', 'web', 'proxied']);
    api.close();
  });
});
