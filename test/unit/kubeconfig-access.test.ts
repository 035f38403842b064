import { describe, expect, it } from 'vitest';
import type { Lab, LabCommand } from '../../src/labs/model.js';
import { labStepAccess } from '../../src/labs/step-access.js';
import {
  accessReviews,
  askAccess,
  kubectlRefusal,
  refusalsOf,
  nodeRefusal,
  PERMISSIONS,
  readReviews,
  type AccessReport,
} from '../../src/providers/kubeconfig/access.js';
import type { Kubectl } from '../../src/providers/kubeconfig/kubectl.js';
import { splitJsonDocuments } from '../../src/providers/kubeconfig/kubectl.js';
import { debugPodRefusal, isRefusal } from '../../src/providers/kubeconfig/node-exec.js';

const allAllowed = (): AccessReport => ({ allowed: Object.fromEntries(PERMISSIONS.map((p) => [p.id, true])), reviewed: true });

/** A SelfSubjectAccessReview answer as the apiserver returns it (authorization.k8s.io/v1). */
const answer = (allowed: boolean) => ({
  kind: 'SelfSubjectAccessReview',
  apiVersion: 'authorization.k8s.io/v1',
  metadata: { creationTimestamp: null },
  spec: {},
  status: allowed ? { allowed: true, reason: 'RBAC: allowed by RoleBinding "hoplab/hoplab-ada"' } : { allowed: false },
});

describe('access reviews', () => {
  it('asks per permission, namespaced ones in the lab namespace, the delete on the namespace itself', () => {
    const list = accessReviews(PERMISSIONS, 'hoplab-ada') as { kind: string; items: any[] };
    expect(list.kind).toBe('List');
    const byId = Object.fromEntries(PERMISSIONS.map((p, i) => [p.id, list.items[i].spec.resourceAttributes]));
    expect(byId['exec-pods']).toEqual({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'hoplab-ada' });
    expect(byId['list-nodes']).toEqual({ verb: 'list', resource: 'nodes' });
    expect(byId['delete-namespace']).toEqual({ verb: 'delete', resource: 'namespaces', name: 'hoplab-ada' });
    expect(list.items.every((i) => i.kind === 'SelfSubjectAccessReview' && i.apiVersion === 'authorization.k8s.io/v1')).toBe(true);
  });

  it('reads the answers in order; a count that does not match is an error, not a guess', () => {
    const answers = PERMISSIONS.map((p) => answer(p.id !== 'exec-pods'));
    expect(readReviews(PERMISSIONS, answers)['exec-pods']).toBe(false);
    expect(readReviews(PERMISSIONS, answers)['create-pods']).toBe(true);
    expect(() => readReviews(PERMISSIONS, answers.slice(1))).toThrow(/expected 9 access review answers, got 8/);
  });

  it('kubectl create -o json prints the answers back to back; braces inside strings do not split them', () => {
    const text = `${JSON.stringify(answer(true), null, 4)}${JSON.stringify({ ...answer(false), status: { allowed: false, reason: 'no {rule} matched' } }, null, 4)}`;
    const docs = splitJsonDocuments(text) as any[];
    expect(docs).toHaveLength(2);
    expect(docs[1].status.reason).toBe('no {rule} matched');
  });

  it('askAccess on a cluster that cannot answer reviews assumes allowed and says it did not check', async () => {
    const k: Kubectl = {
      run: async () => ({ exitCode: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "selfsubjectaccessreviews"\n' }),
      json: async () => ({}),
    };
    const r = await askAccess(k, 'ns');
    expect(r.reviewed).toBe(false);
    expect(Object.values(r.allowed).every(Boolean)).toBe(true);
  });
});

describe('what can run', () => {
  it('nothing refused when everything is allowed', () => {
    expect(nodeRefusal(allAllowed())).toBeUndefined();
    expect(kubectlRefusal(allAllowed())).toBeUndefined();
  });

  it('without pods/exec, node commands are refused and the message names the permission', () => {
    const r = allAllowed();
    r.allowed['exec-pods'] = false;
    expect(kubectlRefusal(r)).toBeUndefined();
    expect(nodeRefusal(r)).toBe("your credentials may not create pods/exec in the lab's namespace, which the node debug pods need");
  });

  it('a Pod Security refusal (the real apiserver wording) explains the level and the admin fix', () => {
    const msg =
      'Error from server (Forbidden): error when creating "STDIN": pods "pwru" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "sys-kernel-debug"), privileged (container "pwru" must not set securityContext.privileged=true)';
    const why = debugPodRefusal('hoplab-ada', msg);
    expect(why).toMatch(/^Pod Security admission \(level baseline:latest\) refuses privileged host-network pods in namespace hoplab-ada: host namespaces \(hostNetwork=true, hostPID=true\)/);
    expect(why).toMatch(/kubectl label namespace hoplab-ada pod-security.kubernetes.io\/enforce=privileged --overwrite/);
    expect(nodeRefusal({ ...allAllowed(), nodePodRefusal: why })).toBe(why);
    expect(isRefusal(msg)).toBe(true);
  });

  it('a kubectl that cannot dry-run, or a lost connection, is not a refusal', () => {
    // kubectl 1.20 looks for dry-run support in the OpenAPI document before asking.
    expect(isRefusal('error: error when creating "STDIN": /v1, Kind=Pod doesn\'t support dry-run')).toBe(false);
    expect(isRefusal('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?')).toBe(false);
    expect(isRefusal('Error from server (Forbidden): pods "x" is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "hoplab-alice"')).toBe(true);
    expect(isRefusal('admission webhook "validation.gatekeeper.sh" denied the request: [psp-host-namespace] Sharing the host namespace is not allowed: x')).toBe(true);
  });
});

describe('lab steps by access', () => {
  const cmd = (where: LabCommand['where'], text = 'true'): LabCommand => ({ where, text, display: text, wait: [], timeoutSec: 10, mayFail: false, at: 'x.yaml:1:1' });
  const step = (id: string, run: LabCommand[], extra: Partial<Lab['steps'][number]> = {}): Lab['steps'][number] => ({
    id,
    title: id,
    text: '',
    reset: [],
    run,
    checks: [],
    hints: [],
    ...extra,
  });
  const lab: Lab = {
    id: 'mixed',
    title: 'mixed',
    summary: '',
    cni: 'any',
    minutes: 5,
    cluster: {},
    file: 'mixed.yaml',
    steps: [
      step('kubectl-only', [cmd({ kind: 'kubectl' }, 'get pods')]),
      step('in-a-pod', [cmd({ kind: 'pod', name: 'httpd' })]),
      step('on-a-node', [cmd({ kind: 'node', name: 'node-1' })]),
      step('answer-on-a-node', [cmd({ kind: 'kubectl' })], {
        solution: { text: '', answers: { a: { kind: 'command', command: cmd({ kind: 'node', name: 'node-1' }) } } },
      }),
      step('on-a-host', [cmd({ kind: 'host', name: 'registry' })]),
    ],
  };

  it('with node commands refused, the kubectl and pod steps still run; a solution answered on a node counts as a node step', () => {
    const r = { ...allAllowed(), nodePodRefusal: 'Pod Security says no' };
    const steps = labStepAccess(lab, refusalsOf(r));
    expect(steps.filter((s) => !s.blocked).map((s) => s.id)).toEqual(['kubectl-only', 'in-a-pod']);
    expect(steps.find((s) => s.id === 'on-a-node')!.blocked).toBe('it runs commands on nodes: Pod Security says no');
    expect(steps.find((s) => s.id === 'on-a-host')!.blocked).toMatch(/lab host .* only the embedded lab has/);
  });

  it('without exec, pod steps stop too; without create pods, everything that needs kubectl does', () => {
    const noExec = allAllowed();
    noExec.allowed['exec-pods'] = false;
    expect(labStepAccess(lab, refusalsOf(noExec)).filter((s) => !s.blocked).map((s) => s.id)).toEqual(['kubectl-only']);
    const noPods = allAllowed();
    noPods.allowed['create-pods'] = false;
    expect(labStepAccess(lab, refusalsOf(noPods)).filter((s) => !s.blocked).map((s) => s.id)).toEqual([]);
  });
});
