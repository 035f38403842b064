import { describe, expect, it } from 'vitest';
import { readerDecision } from '../../src/providers/kubeconfig/reader-plan.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';

/** The lab's kubeconfig as lab-kubeconfig.ts writes it: one context, one cluster, one user. */
function config(cluster: Record<string, unknown>, user: Record<string, unknown> | undefined, ctx: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64(CA), ...cluster } }],
    users: user === undefined ? [] : [{ name: 'u', user }],
    contexts: [{ name: 'hoplab-lab', context: { cluster: 'c', ...(user === undefined ? {} : { user: 'u' }), namespace: 'hoplab-ada', ...ctx } }],
    'current-context': 'hoplab-lab',
  };
}
const why = (c: unknown, env: Record<string, string> = {}) => {
  const d = readerDecision(c, env);
  return 'kubectl' in d ? d.kubectl : undefined;
};

describe('reading the cluster without kubectl: when the lab kubeconfig allows it', () => {
  it('a static token with the CA inline (the embedded lab, many kubeadm admin tokens)', () => {
    expect(readerDecision(config({}, { token: 'abc' }), {})).toEqual({ plan: { server: 'https://10.0.0.1:6443', insecure: false, ca: CA, token: 'abc' } });
  });

  it('client certificate and key inline (kind, minikube, kubeadm admin.conf)', () => {
    const d = readerDecision(config({}, { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') }), {});
    expect(d).toEqual({ plan: { server: 'https://10.0.0.1:6443', insecure: false, ca: CA, cert: 'CERT', key: 'KEY' } });
  });

  it('insecure-skip-tls-verify instead of a CA; a path prefix on the server stays, its trailing slash goes', () => {
    const c = config({ server: 'https://rancher.example/k8s/clusters/c-1/', 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }, { token: 't' });
    delete (c.clusters[0]!.cluster as any)['certificate-authority-data'];
    expect(readerDecision(c, {})).toEqual({ plan: { server: 'https://rancher.example/k8s/clusters/c-1', insecure: true, token: 't' } });
  });

  it('a context without a user is anonymous, as with kubectl', () => {
    expect(readerDecision(config({}, undefined), {})).toEqual({ plan: { server: 'https://10.0.0.1:6443', insecure: false, ca: CA } });
  });

  it('an exec plugin (GKE, EKS), an auth provider, basic auth, token and certificate files: kubectl', () => {
    const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin' };
    expect(why(config({}, { exec }))).toBe('the user entry has exec');
    expect(why(config({}, { 'auth-provider': { name: 'oidc' } }))).toBe('the user entry has auth-provider');
    expect(why(config({}, { username: 'a', password: 'b' }))).toBe('the user entry has username, password');
    expect(why(config({}, { tokenFile: '/var/run/token' }))).toBe('the user entry has tokenFile');
    expect(why(config({}, { 'client-certificate': '/c.pem', 'client-key': '/k.pem' }))).toBe('the user entry has client-certificate, client-key');
    expect(why(config({}, { token: 't', as: 'admin' }))).toBe('the user entry has as');
  });

  it('a proxy, a TLS server name, a CA file on the cluster: kubectl', () => {
    expect(why(config({ 'proxy-url': 'socks5://localhost:1080' }, { token: 't' }))).toBe('the cluster entry has proxy-url');
    expect(why(config({ 'tls-server-name': 'kubernetes' }, { token: 't' }))).toBe('the cluster entry has tls-server-name');
    expect(why(config({ 'certificate-authority': '/ca.pem' }, { token: 't' }))).toBe('the cluster entry has certificate-authority');
  });

  it('HTTPS_PROXY in the environment: kubectl honours it, node:https would not', () => {
    expect(why(config({}, { token: 't' }), { HTTPS_PROXY: 'http://proxy:3128' })).toMatch(/^HTTPS_PROXY is set/);
    expect(why(config({}, { token: 't' }), { https_proxy: 'http://proxy:3128' })).toMatch(/^HTTPS_PROXY is set/);
    expect(why(config({}, { token: 't' }), { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('no CA and no insecure flag (the system roots), or both: kubectl', () => {
    const c = config({}, { token: 't' });
    delete (c.clusters[0]!.cluster as any)['certificate-authority-data'];
    expect(why(c)).toBe('the cluster entry has no certificate-authority-data');
    expect(why(config({ 'insecure-skip-tls-verify': true }, { token: 't' }))).toBe('the cluster entry has both certificate-authority-data and insecure-skip-tls-verify');
  });

  it('a plain http server or no URL: kubectl', () => {
    expect(why(config({ server: 'http://10.0.0.1:8080' }, { token: 't' }))).toBe("the server 'http://10.0.0.1:8080' is not https");
    expect(why(config({ server: '' }, { token: 't' }))).toBe("the server '' is not a URL");
  });

  it('a certificate without its key: kubectl (it says what is wrong)', () => {
    expect(why(config({}, { 'client-certificate-data': b64('CERT') }))).toMatch(/without its key/);
  });

  it('a broken kubeconfig: kubectl, which says what is wrong', () => {
    expect(why(undefined)).toBe('the kubeconfig is not a mapping');
    expect(why({ ...config({}, { token: 't' }), 'current-context': 'other' })).toBe("no context 'other'");
    expect(why(config({}, { token: 't' }, { cluster: 'gone' }))).toBe("no cluster 'gone'");
    expect(why(config({}, { token: 't' }, { user: 'gone' }))).toBe("no user 'gone'");
  });
});
