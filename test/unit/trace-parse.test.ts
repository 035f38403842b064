import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedTrace } from '../../src/path/types.js';
import { parseTrace } from '../../src/trace/parse.js';

const DIR = join(import.meta.dirname, '../fixtures/traces');
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');

/** `1:a,a,* 2:b` — every probe of every hop, `*` for no answer, `@name` for a name without address, annotations appended. */
function probes(t: ParsedTrace): string {
  return t.hops
    .map((h) => `${h.ttl}:${h.probes.map((p) => `${p.address ?? (p.hostname ? `@${p.hostname}` : '*')}${p.annotation ?? ''}`).join(',')}`)
    .join(' ');
}

const CROSS = '1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.11 3:10.244.1.3,10.244.1.3,10.244.1.3';
const stars = (from: number, to: number, n = 3) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${from + i}:${Array(n).fill('*').join(',')}`).join(' ');

// Every fixture with what it must parse to. Outputs under real/ were printed by
// the tools themselves (capture.sh); seed/ are the article's outputs verbatim.
const TABLE: [file: string, format: ParsedTrace['format'], destination: string | undefined, probes: string][] = [
  ['seed/000-controlplane-to-node-1.txt', 'gnu', '192.168.56.11', '1:192.168.56.11,192.168.56.11,192.168.56.11'],
  ['seed/000-controlplane-to-node-2.txt', 'gnu', '192.168.56.12', '1:192.168.56.12,192.168.56.12,192.168.56.12'],
  // busybox in the article, but an 80-byte header and one hop line print the same in GNU's grammar
  ['seed/000-same-node.txt', 'gnu', '10.244.1.3', '1:10.244.1.3,10.244.1.3,10.244.1.3'],
  ['seed/000-cross-node.txt', 'busybox', '10.244.1.3', CROSS],
  ['seed/000-cross-node-pasted.txt', 'busybox', '10.244.1.3', CROSS],
  ['real/gnu-cold-cache.txt', 'gnu', '10.244.1.3', CROSS],
  ['real/gnu-cross-node.txt', 'gnu', '10.244.1.3', CROSS],
  ['real/gnu-cross-node-names.txt', 'gnu', '10.244.1.3', CROSS],
  ['real/gnu-ratelimited.txt', 'gnu', '10.244.1.3', `1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.11 ${stars(3, 7)} 8:*,10.244.1.3,10.244.1.3`],
  ['real/gnu-node-to-node.txt', 'gnu', '192.168.56.11', '1:192.168.56.11,192.168.56.11,192.168.56.11'],
  ['real/gnu-same-subnet-pod.txt', 'gnu', '10.244.1.1', '1:10.244.1.1,10.244.1.1,10.244.1.1'],
  ['real/gnu-internet.txt', 'gnu', '198.51.100.7', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:10.0.2.2,10.0.2.2,10.0.2.2 3:198.51.100.7,198.51.100.7,198.51.100.7'],
  ['real/gnu-ecmp.txt', 'gnu', '198.18.0.1', '1:10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.13,192.168.56.11,192.168.56.11,192.168.56.13,192.168.56.11 3:198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1'],
  ['real/gnu-ecmp-names.txt', 'gnu', '198.18.0.1', '1:10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.13,192.168.56.13,192.168.56.13,192.168.56.13 3:198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1'],
  ['real/gnu-ecmp-names-ratelimited.txt', 'gnu', '198.18.0.1', `${stars(1, 1, 6)} 2:192.168.56.13,192.168.56.13,*,192.168.56.11,*,* ${stars(3, 4, 6)} 5:*,*,*,*,198.18.0.1,198.18.0.1`],
  ['real/gnu-unreachable-H.txt', 'gnu', '10.244.7.1', '1:10.244.2.1!H,10.244.2.1!H,*'],
  ['real/gnu-prohibited-X.txt', 'gnu', '10.244.8.1', '1:10.244.2.1!X,10.244.2.1!X,*'],
  ['real/gnu-net-unreachable-N.txt', 'gnu', '10.244.6.1', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:10.244.2.1!N,10.244.2.1!N,10.244.2.1!N'],
  ['real/gnu-proto-unreachable-P.txt', 'gnu', '10.244.5.1', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:10.244.2.1!P,10.244.2.1!P,10.244.2.1!P'],
  ['real/gnu-frag-needed-F.txt', 'gnu', '10.244.1.3', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.11 3:192.168.56.11!F-1400,192.168.56.11!F-1400,192.168.56.11!F-1400'],
  ['real/gnu-arp-fail-H.txt', 'gnu', '10.244.4.1', `1:10.244.2.1,10.244.2.1,10.244.2.1 ${stars(2, 30)}`],
  ['real/gnu-dies-after-gateway.txt', 'gnu', '10.244.3.7', `1:10.244.2.1,10.244.2.1,10.244.2.1 ${stars(2, 6)}`],
  ['real/gnu-partial-stars.txt', 'gnu', '10.244.1.3', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:*,192.168.56.11,* 3:10.244.1.3,10.244.1.3,10.244.1.3'],
  ['real/busybox-partial-stars.txt', 'busybox', '10.244.1.3', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,*,192.168.56.11 3:10.244.1.3,10.244.1.3,10.244.1.3'],
  ['real/busybox-cross-node.txt', 'busybox', '10.244.1.3', CROSS],
  ['real/busybox-cross-node-n.txt', 'busybox', '10.244.1.3', CROSS],
  ['real/busybox-same-node.txt', 'busybox', '10.244.1.1', '1:10.244.1.1,10.244.1.1,*'],
  ['real/busybox-ecmp.txt', 'busybox', '198.18.0.1', '1:10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.13,192.168.56.13,192.168.56.13,192.168.56.13,192.168.56.13,192.168.56.13 3:198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1,198.18.0.1'],
  ['real/busybox-unreachable-H.txt', 'busybox', '10.244.7.1', '1:10.244.2.1!H,10.244.2.1!H,*'],
  ['real/busybox-dies-after-gateway.txt', 'busybox', '10.244.3.7', `1:10.244.2.1,10.244.2.1,10.244.2.1 ${stars(2, 6)}`],
  ['real/tracepath-cross-node.txt', 'tracepath', '10.244.1.3', '1:10.244.2.1,10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['real/tracepath-cross-node-names.txt', 'tracepath', undefined, '1:@cni0.node-2,@cni0.node-2 2:@node-1 3:@httpd'],
  ['real/tracepath-both.txt', 'tracepath', '10.244.1.3', '1:10.244.2.1,10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['real/tracepath-node-to-node.txt', 'tracepath', '192.168.56.11', '1:192.168.56.11,192.168.56.11'],
  ['real/tracepath-internet.txt', 'tracepath', '198.51.100.7', '1:10.244.2.1,10.244.2.1 2:10.0.2.2 3:198.51.100.7'],
  ['real/tracepath-unreachable-H.txt', 'tracepath', undefined, '1:10.244.2.1!H,10.244.2.1!H'],
  ['real/tracepath-dies-after-gateway.txt', 'tracepath', undefined, `1:10.244.2.1,10.244.2.1 ${stars(2, 6, 1)}`],
  ['real/mtr-report-n.txt', 'mtr', undefined, '1:10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['real/mtr-report-names.txt', 'mtr', undefined, '1:@cni0.node-2 2:@node-1 3:@httpd'],
  ['real/mtr-report-both.txt', 'mtr', undefined, '1:10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['real/mtr-report-wide.txt', 'mtr', undefined, '1:10.244.2.1 2:10.0.2.2 3:198.51.100.7'],
  ['real/mtr-ecmp.txt', 'mtr', undefined, '1:10.244.2.1 2:192.168.56.11,192.168.56.13 3:198.18.0.1'],
  ['real/mtr-dies-after-gateway.txt', 'mtr', undefined, '1:10.244.2.1 2:*'],
  ['real/mtr-node-to-node.txt', 'mtr', undefined, '1:192.168.56.11'],
  ['synthetic/mtr-prompt-as.txt', 'mtr', '10.244.1.3', '1:10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['synthetic/mtr-old-backtick.txt', 'mtr', undefined, '1:10.244.2.1 2:* 3:10.244.1.3'],
  ['synthetic/tracepath-asymm.txt', 'tracepath', '10.244.1.3', '1:10.244.2.1,10.244.2.1 2:192.168.56.11 3:10.244.1.3'],
  ['synthetic/noise-around.txt', 'busybox', '10.244.1.3', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.11 3:10.244.1.3,10.244.1.3,10.244.1.3'],
  ['synthetic/colour-tabs-nbsp.txt', 'busybox', '10.244.1.3', '1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11,192.168.56.11,192.168.56.11 3:10.244.1.3,10.244.1.3,10.244.1.3'],
  ['synthetic/gnu-annotations.txt', 'gnu', '198.51.100.9', '1:10.0.0.1,10.0.0.1,10.0.0.1 2:10.1.0.1!S,10.1.0.1!S,10.1.0.1!S 3:10.2.0.1!F-1500,10.2.0.1!F-1500,* 4:10.3.0.1!<10>,10.3.0.1!N,* 5:10.4.0.1!V,10.4.0.1!C,10.4.0.1!A'],
];

describe('parseTrace on every fixture', () => {
  it.each(TABLE)('%s', (file, format, destination, expected) => {
    const t = parseTrace(read(file));
    expect(t.format).toBe(format);
    expect(t.destination).toBe(destination);
    expect(probes(t)).toBe(expected);
  });

  it('covers every captured and seed fixture', () => {
    const listed = new Set(TABLE.map(([f]) => f));
    const onDisk = ['real', 'seed'].flatMap((d) =>
      readdirSync(join(DIR, d)).filter((f) => f.endsWith('.txt') && f !== 'COMMANDS.txt').map((f) => `${d}/${f}`),
    );
    expect(onDisk.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('reads clean tool output without warnings', () => {
    for (const [file] of TABLE.filter(([f]) => f.startsWith('real/') || f === 'seed/000-cross-node.txt')) {
      expect(parseTrace(read(file)).warnings, file).toEqual([]);
    }
  });

  it.each(TABLE.filter(([f]) => f.startsWith('real/')).map(([f]) => f))('reads %s the same with Windows line endings', (file) => {
    const lf = parseTrace(read(file));
    expect(parseTrace(read(file).replace(/\n/g, '\r\n'))).toEqual(lf);
  });
});

describe('hostnames, times, rtts', () => {
  it('keeps the name with the address and the times', () => {
    const t = parseTrace(read('real/gnu-cross-node-names.txt'));
    expect(t.hops[0]!.probes[0]).toEqual({ address: '10.244.2.1', hostname: 'cni0.node-2', rttMs: 0.042 });
    expect(t.hops[2]!.probes.map((p) => p.hostname)).toEqual(['httpd', 'httpd', 'httpd']);
  });

  it('does not take busybox\'s address-as-name for a hostname', () => {
    const t = parseTrace(read('seed/000-cross-node.txt'));
    expect(t.hops[1]!.probes[0]).toEqual({ address: '192.168.56.11', rttMs: 0.575 });
  });

  it('gives names to the right router on an ECMP line', () => {
    const t = parseTrace(read('real/gnu-ecmp-names-ratelimited.txt'));
    expect(t.hops[1]!.probes.map((p) => p.hostname ?? '*')).toEqual(['node-3', 'node-3', '*', 'node-1', '*', '*']);
  });

  it('reads tracepath -b names with addresses', () => {
    expect(parseTrace(read('real/tracepath-both.txt')).hops[2]!.probes).toEqual([{ address: '10.244.1.3', hostname: 'httpd', rttMs: 0.028 }]);
  });
});

describe('pasted text around a trace', () => {
  it('takes the destination from a `kubectl run ... -- traceroute` command continued over lines', () => {
    const text = read('seed/000-cross-node-pasted.txt').replace(/^traceroute to .*\n/m, '');
    const t = parseTrace(text);
    expect(t.destination).toBe('10.244.1.3');
    expect(probes(t)).toBe(CROSS);
  });

  it('stops at the next prompt and says which lines it left', () => {
    const t = parseTrace(read('synthetic/noise-around.txt'));
    expect(t.hops).toHaveLength(3);
    expect(t.warnings.some((w) => w.startsWith('line 10: another command or trace starts here; lines 10-12'))).toBe(true);
  });

  it('reads only the first of two traces', () => {
    const t = parseTrace(read('synthetic/two-traces.txt'));
    expect(t.destination).toBe('192.168.56.11');
    expect(probes(t)).toBe('1:192.168.56.11,192.168.56.11,192.168.56.11');
    expect(t.warnings).toEqual(['line 3: another command or trace starts here; lines 3-4 were not read']);
  });

  it('flags lines before the trace that are not trace output, by line number', () => {
    const t = parseTrace(read('synthetic/noise-around.txt'));
    expect(t.warnings.filter((w) => w.includes('not trace output')).map((w) => w.split(':')[0])).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('warns about the line after the article text in the seed paste', () => {
    const t = parseTrace(read('seed/000-cross-node-pasted.txt'));
    expect(t.warnings).toEqual([expect.stringMatching(/^line 11: not a hop line: "На этот раз/)]);
  });

  it('reads a trace whose prompt names the destination but whose tool prints none', () => {
    expect(parseTrace('user@node-2:~$ tracepath -n 10.244.1.3\n 1:  10.244.2.1   0.05ms\n').destination).toBe('10.244.1.3');
  });
});

describe('traces cut short and garbage', () => {
  it('keeps the probes of a line cut in the middle of a time', () => {
    const t = parseTrace(read('synthetic/cut-short.txt'));
    expect(probes(t)).toBe('1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11');
    expect(t.warnings).toEqual([expect.stringMatching(/^line 3: hop 2 looks cut short/)]);
  });

  it('keeps a router named at the very end of a cut line', () => {
    const t = parseTrace(read('synthetic/cut-after-name.txt'));
    expect(probes(t)).toBe('1:10.244.2.1,10.244.2.1,10.244.2.1 2:192.168.56.11');
    expect(t.warnings).toEqual([expect.stringMatching(/^line 3: hop 2 looks cut short/)]);
  });

  it('reads a header with no hops as a trace with no hops, and says so', () => {
    const t = parseTrace(read('synthetic/header-only.txt'));
    expect(t).toMatchObject({ format: 'gnu', destination: '10.244.1.3', hops: [] });
    expect(t.warnings).toEqual(['no hop lines found in what looks like traceroute output']);
  });

  it('calls garbage unknown and lists what it could not read', () => {
    const t = parseTrace(read('synthetic/garbage.txt'));
    expect(t.format).toBe('unknown');
    expect(t.hops).toEqual([]);
    expect(t.warnings[0]).toMatch(/no line looks like traceroute, tracepath or mtr --report output/);
    expect(t.warnings.slice(1).map((w) => w.split(':')[0])).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('reads an empty paste as unknown', () => {
    expect(parseTrace('')).toEqual({ format: 'unknown', hops: [], warnings: ['the text is empty'] });
    expect(parseTrace('\r\n\r\n  \n').format).toBe('unknown');
  });

  it('warns about tokens it cannot place on a hop line, and keeps the rest', () => {
    const t = parseTrace('traceroute to 10.0.0.9 (10.0.0.9), 30 hops max, 60 byte packets\n 1  10.0.0.1  0.5 ms  ?? 0.4 ms\n');
    expect(probes(t)).toBe('1:10.0.0.1,10.0.0.1');
    expect(t.warnings).toEqual(['line 2: hop 1: could not read "??": "1  10.0.0.1  0.5 ms  ?? 0.4 ms"']);
  });

  it('never throws, whatever it is given', () => {
    const seeds = [...TABLE.map(([f]) => read(f)), '\u0000\u0001\u0002', '(((', '1 (', ' 1  (10.0.0.1', '1?: ', '  1.|-- ', '!H !H', '* * *'];
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let i = 0; i < 3000; i++) {
      const base = seeds[rand(seeds.length)]!;
      const chars = [...base];
      for (let k = rand(8); k > 0; k--) {
        const at = rand(chars.length + 1);
        const op = rand(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, String.fromCharCode(rand(0x3000)));
        else chars.splice(at, rand(20));
      }
      const text = chars.join('');
      expect(() => parseTrace(text), JSON.stringify(text)).not.toThrow();
    }
    expect(() => parseTrace(undefined as unknown as string)).not.toThrow();
  });
});
