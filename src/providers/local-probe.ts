// Network questions about the machine hoplab runs on, for providers whose lab
// includes it (the vagrant lab's "host" on the host-only network is the
// learner's own computer): its route lookup for an address, in each
// platform's own tool, and an HTTP GET from this very process. Read-only:
// hoplab prints the command that adds a route and never runs it.
import { request } from 'node:http';
import { run } from '../core/exec.js';
import type { HttpProbe, NetworkProbes } from './probes.js';
import type { Target } from './provider.js';
import { parseIpRouteGet, parseMacRouteGet, parseWindowsRoute, windowsRouteCommand, type RouteLookup } from './route-parse.js';

export async function localRoute(ip: string, platform: NodeJS.Platform = process.platform): Promise<RouteLookup> {
  switch (platform) {
    case 'darwin': {
      const r = await run(['route', '-n', 'get', ip], { timeoutMs: 15_000 });
      return parseMacRouteGet(ip, r.exitCode, r.stdout, r.stderr);
    }
    case 'win32': {
      const r = await run(windowsRouteCommand(ip), { timeoutMs: 30_000 });
      return parseWindowsRoute(ip, r.exitCode, r.stdout, r.stderr);
    }
    default: {
      const r = await run(['ip', '-j', 'route', 'get', ip], { timeoutMs: 15_000 });
      return parseIpRouteGet(ip, r.exitCode, r.stdout, r.stderr);
    }
  }
}

/** An HTTP GET from this process: any HTTP answer counts. */
export function localHttp(url: string, timeoutMs: number): Promise<HttpProbe> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ ok: true, status: res.statusCode ?? 0, detail: `${url} answered HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', (err) => resolve({ ok: false, detail: `${url} did not answer: ${err.message}` }));
    req.end();
  });
}

/**
 * Probes where `isLocal(target)` machines are this computer and every other
 * target goes to `others` (the provider's own way to its VMs).
 */
export function withLocalHost(isLocal: (t: Target) => boolean, others: NetworkProbes): NetworkProbes {
  return {
    route: (target, ip) => (isLocal(target) ? localRoute(ip) : others.route(target, ip)),
    http: (target, url, timeoutMs) => (isLocal(target) ? localHttp(url, timeoutMs) : others.http(target, url, timeoutMs)),
  };
}
