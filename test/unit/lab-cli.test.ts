import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { hoplabInProcess } from '../helpers/in-process.js';
import { describe, expect, it } from 'vitest';
import { crashHandler } from '../../src/cli/main.js';

const FIXTURES = new URL('../fixtures/labs/', import.meta.url).pathname;

const hoplab = hoplabInProcess;

describe('hoplab labs', () => {
  it('--check passes on every lab shipped in labs/', async () => {
    const r = await hoplab('labs', '--check');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {4}\/.*\/labs\/pod-to-pod\.yaml$/m);
  });

  it('--check prints every error of a broken file with its position, exit 2', async () => {
    const r = await hoplab('labs', '--check', `${FIXTURES}broken.yaml`, `${FIXTURES}tiny.yaml`);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`FAIL  ${FIXTURES}broken.yaml`);
    expect(r.out).toContain(`ok    ${FIXTURES}tiny.yaml`);
    expect(r.err.trim().split('\n')).toEqual([
      `${FIXTURES}broken.yaml:4:24: cni[1]: expected a CNI mode: one of flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp, got "flannel-vxlam"`,
      `${FIXTURES}broken.yaml:13:13: steps[0].checks[0].to: expected a pod, node or host like pod/httpd, node/node-1, host/registry, or an IPv4 address, got 42`,
    ]);
  });

  it('lists labs with their CNI modes and minutes; --labs adds a directory', async () => {
    const r = await hoplab('labs', '--labs', FIXTURES);
    expect(r.out).toMatch(/pod-to-pod +Pod-to-pod traffic, hop by hop/);
    expect(r.out).toMatch(/calico +Calico, the cali veths, tunl0 and BIRD\n +30 min · calico-ipip, calico-bgp · 6 steps\n/);
    expect(r.out).toMatch(/25 min · any CNI mode · 4 steps/);
    expect(r.out).toMatch(/tiny +A tiny lab\n +2 min · flannel-host-gw · 1 step\n/);
    // The broken fixture is reported, not listed, and makes the exit status 2.
    expect(r.err).toContain('broken.yaml:4:24: cni[1]');
    expect(r.code).toBe(2);
  });

  it('--json lists the same labs as data', async () => {
    const r = await hoplab('labs', '--json');
    const data = JSON.parse(r.out) as { labs: { id: string; cni: unknown; minutes: number }[] };
    expect(data.labs.find((l) => l.id === 'pod-to-pod')).toMatchObject({ cni: 'any', minutes: 25 });
    expect(r.code).toBe(0);
  });
});

describe('an error nothing caught', () => {
  it('exits 70 naming it, never 1 (which means a check failed)', () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    let code: number | undefined;
    crashHandler(stderr, (c) => (code = c))(new Error('socket hang up'));
    expect(code).toBe(70);
    expect(err).toContain('hoplab: internal error: socket hang up');
  });
});

describe('hoplab run: bad input', () => {
  it('suggests the option and the step meant, and says hoplab once', async () => {
    const r = await hoplab('run', 'pod-to-pod', '--nme', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toContain("hoplab: run: Unknown option '--nme' (did you mean --name?)");
    expect(r.err).not.toContain('hoplab: hoplab');
    const s = await hoplab('run', 'pod-to-pod', '--step', 'same-nod');
    expect(s.code).toBe(2);
    expect(s.err).toContain("--step same-nod: lab 'pod-to-pod' has no such step (did you mean same-node?)");
  });

  it('names the labs there are when the lab is unknown, exit 2', async () => {
    const r = await hoplab('run', 'pod-to-pood');
    expect(r.code).toBe(2);
    expect(r.err).toBe("hoplab: no lab 'pod-to-pood' (did you mean pod-to-pod?)\n  labs: calico, flannel-vxlan, office-lan, pod-to-pod, pod-to-service, troubleshoot-calico, troubleshoot-pods, troubleshoot-services\n");
    const far = await hoplab('run', 'bgp-peering');
    expect(far.err).toBe("hoplab: no lab 'bgp-peering'\n  labs: calico, flannel-vxlan, office-lan, pod-to-pod, pod-to-service, troubleshoot-calico, troubleshoot-pods, troubleshoot-services\n");
  });

  it('prints the errors of a broken lab file, exit 2', async () => {
    const r = await hoplab('run', `${FIXTURES}broken.yaml`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${FIXTURES}broken.yaml:13:13: steps[0].checks[0].to: expected a pod, node or host`);
  });

  it('asks which lab, and rejects an unknown step', async () => {
    expect((await hoplab('run')).err).toBe("hoplab: run: which lab? give a lab id or file\n  the labs: 'hoplab labs'\n");
    const r = await hoplab('run', 'pod-to-pod', '--step', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toBe("hoplab: --step nope: lab 'pod-to-pod' has no such step\n  steps: 1 node-to-internet, 2 node-to-node, 3 same-node, 4 across-nodes\n");
  });

  it('suggests the lab and the --from step meant (run pod-topod, --from acros-nodes)', async () => {
    const r = await hoplab('run', 'pod-topod');
    expect(r.code).toBe(2);
    expect(r.err).toContain("hoplab: no lab 'pod-topod' (did you mean pod-to-pod?)");
    const f = await hoplab('run', 'pod-to-pod', '--from', 'acros-nodes');
    expect(f.code).toBe(2);
    expect(f.err).toContain("hoplab: --from acros-nodes: lab 'pod-to-pod' has no such step (did you mean across-nodes?)");
    const n = await hoplab('run', 'pod-to-pod', '--from', '9');
    expect(n.err).toContain("hoplab: --from 9: lab 'pod-to-pod' has no such step\n  steps: 1 node-to-internet");
  });
});

describe('help and messages say hoplab once', () => {
  it('up --help: the option lines under the synopsis are not commands', async () => {
    const r = await hoplab('up', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\nUsage:\n  hoplab up [--cni MODE]');
    expect(r.out).toMatch(/^ {4}--lan adds the office LAN/m);
    expect(r.out).not.toMatch(/hoplab +--/);
  });

  it.each([
    [['check-trace', '--to', 'web'], 'hoplab: check-trace: --from and --to are required'],
    [['ssh'], 'hoplab: ssh: expected one node or host name'],
    [['vagrant', 'unpack'], "hoplab: vagrant: expected 'prepare'"],
  ])('%j', async (argv, message) => {
    const r = await hoplab(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('hoplab: hoplab');
  });
});

describe('suggested commands name the lab (--name)', () => {
  it('ssh without a target: the example and the hint reach the same lab', async () => {
    const r = await hoplab('ssh', '--name', 'm18z');
    expect(r.code).toBe(2);
    expect(r.err).toBe('hoplab: ssh: expected one node or host name, e.g. hoplab --name m18z ssh node-1\n  hoplab --name m18z status lists them\n');
    const d = await hoplab('ssh');
    expect(d.err).toContain('e.g. hoplab ssh node-1\n  hoplab status lists them');
  });
});

describe('hoplab check-trace: input that is no trace is bad input', () => {
  const facts = new URL('../fixtures/traces/seed-cluster-facts.json', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'hoplab-ct-'));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const words = join(dir, 'words.txt');
  writeFileSync(words, 'I ran it and it printed nothing useful\n');

  it.each([
    [empty, 'the text is empty'],
    [words, 'no line looks like traceroute'],
    [join(dir, 'missing.txt'), 'no such file'],
    [dir, 'EISDIR'],
  ])('%s: exit 2, naming the file', async (file, why) => {
    const r = await hoplab('check-trace', '--facts', facts, '--from', 'traceroute', '--to', 'httpd', '--file', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--file ${file}: `);
    expect(r.err).toContain(why);
    expect(r.out).toBe('');
  });

  it('a real trace that took the wrong path still exits 1', async () => {
    const trace = new URL('../fixtures/traces/held-back/via-nat-router.txt', import.meta.url).pathname;
    const r = await hoplab('check-trace', '--facts', facts, '--from', 'traceroute', '--to', 'httpd', '--file', trace);
    expect(r.code).toBe(1);
  });
});

describe('lab file errors come in one round', () => {
  it('the schema, the templates and the id together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplab-lab-'));
    const file = join(dir, 'rounds.yaml');
    writeFileSync(
      file,
      [
        'id: round',
        'title: Two rounds',
        'summary: x',
        'cni: [flannel-host-gw, flannel-vxlam]',
        'minutes: 5',
        'steps:',
        '  - id: one',
        '    title: One',
        '    text: "Ping {{ pods.httpd.ipp }}"',
        '',
      ].join('\n'),
    );
    const r = await hoplab('labs', '--check', file);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      `${file}:1:5: id: the id 'round' must match the file name 'rounds.yaml'`,
      `${file}:4:24: cni[1]: expected a CNI mode: one of flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp, got "flannel-vxlam"`,
      `${file}:9:11: steps[0].text: {{ pods.httpd.ipp }}: unknown pod field 'ipp', expected one of ip, node, namespace, hostVeth`,
    ]);
  });
});
