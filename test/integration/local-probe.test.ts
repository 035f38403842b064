// The vagrant lab's "host" is the learner's own machine: route and HTTP checks
// ask it directly. Read-only on this machine: a route lookup and a GET to a
// server this test starts on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { localHttp, localRoute, withLocalHost } from '../../src/providers/local-probe.js';
import type { NetworkProbes } from '../../src/providers/probes.js';

function hasIpJson(): boolean {
  try {
    execFileSync('ip', ['-j', 'route', 'get', '127.0.0.1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = process.platform !== 'linux' ? 'the Linux route lookup runs on Linux' : hasIpJson() ? undefined : 'needs iproute2 with -j';

describe.skipIf(skip)('probes of this machine', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(404).end('no'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads this machine's route lookup", async () => {
    expect(await localRoute('127.0.0.1')).toMatchObject({ to: '127.0.0.1', dev: 'lo' });
  });

  it('counts any HTTP answer, and says when nothing answers', async () => {
    expect(await localHttp(`http://127.0.0.1:${port}/`, 2000)).toEqual({ ok: true, status: 404, detail: `http://127.0.0.1:${port}/ answered HTTP 404` });
    const closed = await new Promise<number>((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const r = await localHttp(`http://127.0.0.1:${closed}/`, 2000);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/did not answer: connect ECONNREFUSED/);
  });

  it('sends only the local host to this machine, everything else to the provider', async () => {
    const asked: string[] = [];
    const others: NetworkProbes = {
      route: async (t, ip) => (asked.push(`route ${t.name} ${ip}`), { to: ip, via: '192.168.56.1' }),
      http: async (t, url) => (asked.push(`http ${t.name} ${url}`), { ok: false, detail: 'vm' }),
    };
    const p = withLocalHost((t) => t.kind === 'host' && t.name === 'host', others);
    expect(await p.route({ kind: 'node', name: 'node-1' }, '10.244.1.2')).toEqual({ to: '10.244.1.2', via: '192.168.56.1' });
    expect((await p.route({ kind: 'host', name: 'host' }, '127.0.0.1')).dev).toBe('lo');
    expect((await p.http({ kind: 'host', name: 'host' }, `http://127.0.0.1:${port}/`, 2000)).ok).toBe(true);
    expect(asked).toEqual(['route node-1 10.244.1.2']);
  });
});
