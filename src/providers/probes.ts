// Read-only network questions a lab check asks a machine of the lab: how does
// it route an address, and does an HTTP server answer it from there. A
// provider answers them where the machine is (a namespace, a VM, the
// learner's own computer); these defaults ask any Linux machine through
// Provider.run. None of them changes anything on the machine.
import type { NetworkProbes, Provider } from './provider.js';
import { parseIpRouteGet } from './route-parse.js';

export type { HttpProbe, NetworkProbes } from './provider.js';

// curl where there is one (it reports the status); otherwise busybox, which
// every hoplab machine has: its wget has no working -T in Debian's 1.35
// (it crashes), so busybox timeout bounds it instead.
const HTTP_SCRIPT = [
  'if command -v curl >/dev/null 2>&1; then exec curl -sS -o /dev/null -w "HTTP %{http_code}\\n" -m "$2" "$1"; fi',
  'busybox timeout "$2" busybox wget -q -O /dev/null "$1" && echo "HTTP answered"',
].join('\n');

export function linuxProbes(provider: Pick<Provider, 'run'>): NetworkProbes {
  return {
    async route(target, ip) {
      const r = await provider.run(target, ['ip', '-j', 'route', 'get', ip], { timeoutMs: 15_000 });
      return parseIpRouteGet(ip, r.exitCode, r.stdout, r.stderr);
    },
    async http(target, url, timeoutMs) {
      const secs = String(Math.max(1, Math.round(timeoutMs / 1000)));
      const r = await provider.run(target, ['sh', '-c', HTTP_SCRIPT, 'hoplab-http', url, secs], { timeoutMs: timeoutMs + 5000 });
      const out = `${r.stdout}${r.stderr}`.trim();
      const status = /HTTP (\d{3})/.exec(r.stdout);
      const code = status ? Number(status[1]) : undefined;
      // curl prints 000 when nothing answered; busybox wget exits non-zero on a 4xx/5xx, which still is an answer.
      const answered = code !== undefined ? code > 0 : r.exitCode === 0 || /server returned error/.test(out);
      const detail = answered
        ? `${url} answered${code ? ` HTTP ${code}` : ''}`
        : `${url} did not answer${r.exitCode === 143 || /timed out|Terminated/i.test(out) ? ` within ${secs} s` : ''}${out ? `: ${out.split('\n').at(-1)}` : ''}`;
      return { ok: answered, ...(code ? { status: code } : {}), detail };
    },
  };
}

/** The provider's own probes where it has them, else the Linux defaults. */
export function probesOf(provider: Provider): NetworkProbes {
  return provider.probes ?? linuxProbes(provider);
}
