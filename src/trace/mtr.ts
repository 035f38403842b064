// mtr --report (-r, -w, -b, -z): `HOST: me  Loss% Snt ...`, then
// `  2.|-- 192.168.56.11   0.0%  3 ...`, `???` for a hop that never answered,
// and for ECMP further addresses of the same hop on indented lines of their own.
import type { LineReader } from './builder.js';
import { addProbes, warn } from './builder.js';
import type { Probe } from '../path/types.js';
import { isHostname, isIPv4, parenAddress } from './text.js';

export const HOP = /^\s*(\d{1,3})\.\s*(?:\|--|`--|\|-|`-)?\s+(\S.*)$/;
const MORE = /^\s{4,}(\S+)(?:\s+(\([^)]*\)))?$/;

export const readMtrLine: LineReader = (line, b) => {
  const text = line.text;
  if (/^\s*Start:/.test(text) || /^\s*HOST:.*Loss%/.test(text)) return 'header';
  if (/^\s*mtr:/.test(text)) {
    warn(b, line, 'message from mtr');
    return 'skip';
  }
  const hop = HOP.exec(text);
  if (hop) {
    const tokens = hop[2]!.split(/\s+/).filter((t) => !/^AS(?:\d+|\?+)$/.test(t));
    const [host, next] = tokens;
    if (host === undefined) return 'unread';
    const probe = host === '???' ? {} : hostProbe(host, next);
    if (!probe) {
      warn(b, line, `hop ${hop[1]}: could not read the host ${JSON.stringify(host)}`);
      return 'unread';
    }
    addProbes(b, Number(hop[1]), [probe]);
    return 'hop';
  }
  const more = MORE.exec(text);
  const last = b.hops.at(-1);
  if (more && last) {
    const probe = hostProbe(more[1]!, more[2]);
    if (probe) {
      last.probes.push(probe);
      return 'hop';
    }
  }
  return 'unread';
};

function hostProbe(host: string, next: string | undefined): Probe | undefined {
  const inParens = next === undefined ? undefined : parenAddress(next);
  if (isIPv4(host)) return { address: host };
  if (!isHostname(host)) return undefined;
  return inParens ? { address: inParens, hostname: host } : { hostname: host };
}
