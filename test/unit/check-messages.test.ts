// Issue 18 item 10: a failed check says in words what it expected (its
// title) and what it saw — never the regular expression it used — and a
// check that claims three pods does not pass on two.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solutionAnswer } from '../../src/labs/answers.js';
import { evaluateCheck } from '../../src/labs/checks.js';
import { makeContext } from '../../src/labs/context.js';
import { checkLines } from '../../src/labs/report.js';
import { parseLab } from '../../src/labs/load.js';
import type { Lab } from '../../src/labs/model.js';
import { fakeCluster } from '../fixtures/labs/fake-cluster.js';

function load(id: string): Lab {
  const r = parseLab(readFileSync(new URL(`../../labs/${id}.yaml`, import.meta.url), 'utf8'), `labs/${id}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}

const step = (lab: Lab, id: string) => lab.steps.findIndex((s) => s.id === id);

describe('failed output checks, in words', () => {
  it('"three pods" fails on two replicas, with what kubectl showed', async () => {
    const lab = load('pod-to-service');
    const i = step(lab, 'pods-behind-a-service');
    const provider = fakeCluster();
    const deployment = (ready: string) => ({ exitCode: 0, stdout: `NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    ${ready}     3            3           12s\n`, stderr: '' });
    let ready = '2/2';
    const p = { ...provider, kubectl: async (args: string[]) => (args.join(' ') === 'get deployment web' ? deployment(ready) : provider.kubectl(args)) };
    const check = lab.steps[i]!.checks[0]!;
    const r = await evaluateCheck(check, makeContext(p, i));
    expect(r).toMatchObject({ passed: false, outcome: 'failed' });
    // The title says what was expected; the summary beside it, what kubectl showed: the line about web.
    expect(checkLines(r)[0]).toBe('FAIL  the Deployment rolled out its three pods: kubectl get deployment web printed "web    2/2     3            3           12s"');
    expect(r.summary).not.toMatch(/\\s|\/\^/);
    ready = '3/3';
    expect(await evaluateCheck(check, makeContext(p, i))).toMatchObject({ passed: true });
  });

  it('a command in a pod that is not there says so, not "no line matches /^ 2  10\\.0\\.2\\.2/"', async () => {
    const lab = load('pod-to-service');
    const i = step(lab, 'across-the-cluster');
    const provider = fakeCluster();
    // The Service is there, the client pod is not (the step that starts it was skipped).
    const facts = async () => ({ ...(await provider.facts()), services: [{ name: 'web', namespace: 'default', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }], endpoints: [] }] });
    const p = { ...provider, facts, run: async () => ({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "client" not found' }) };
    const udp = lab.steps[i]!.checks.find((c) => c.title?.startsWith('UDP probes'))!;
    const r = await evaluateCheck(udp, makeContext(p, i));
    expect(r.passed).toBe(false);
    expect(r.summary).toBe('there is no pod client to run traceroute -n -w 1 -m 3 10.96.0.10 in (kubectl get pods lists the pods)');
  });

  it('a command that failed shows its error; one that printed nothing says so', async () => {
    const lab = load('calico');
    const i = step(lab, 'bird');
    const sessions = lab.steps[i]!.checks[0]!;
    const provider = fakeCluster({ cni: 'calico-bgp' });
    const down = { ...provider, run: async () => ({ exitCode: 1, stdout: '', stderr: 'Unable to connect to server control socket (/etc/bird/bird.ctl): Connection refused' }) };
    expect((await evaluateCheck(sessions, makeContext(down, i))).summary).toBe(
      'birdc -s /etc/bird/bird.ctl show protocols failed (exit 1): "Unable to connect to server control socket (/etc/bird/bird.ctl): Connection refused"',
    );
    const quiet = { ...provider, run: async () => ({ exitCode: 0, stdout: '\n', stderr: '' }) };
    expect((await evaluateCheck(sessions, makeContext(quiet, i))).summary).toBe(
      'birdc -s /etc/bird/bird.ctl show protocols printed nothing',
    );
  });

  it("a solution's answer that is not in its command's output says what the command printed, not the pattern", async () => {
    const lab = load('pod-to-pod');
    const src = lab.steps[0]!.solution!.answers['default-gateway']!;
    const provider = fakeCluster();
    const p = { ...provider, run: async () => ({ exitCode: 0, stdout: '10.0.2.0/24 dev eth0 scope link\n', stderr: '' }) };
    await expect(solutionAnswer(src, makeContext(p, 0))).rejects.toThrow('the answer could not be read: ip route show default printed "10.0.2.0/24 dev eth0 scope link"');
  });
});
