// How the apiserver reads a proxy URL (pods/{name}/proxy, services/{name}/proxy):
// "scheme:name:port" in the object's name, the rest of the path kept as sent.
import { describe, expect, it } from 'vitest';
import { proxyPath, splitProxyName } from '../../src/kube/proxy.js';
import { reviewRules } from '../../src/kube/authorization.js';

describe('pods/proxy and services/proxy URLs', () => {
  it('splits name, port and scheme', () => {
    expect(splitProxyName('web')).toEqual({ scheme: '', name: 'web', port: '' });
    expect(splitProxyName('kube-dns:dns')).toEqual({ scheme: '', name: 'kube-dns', port: 'dns' });
    expect(splitProxyName('https:web:443')).toEqual({ scheme: 'https', name: 'web', port: '443' });
  });

  it('keeps the path after /proxy undecoded, with its trailing slash; / when there is none', () => {
    expect(proxyPath('/api/v1/namespaces/default/services/webd:8080/proxy/a%20b/')).toBe('/a%20b/');
    expect(proxyPath('/api/v1/namespaces/default/pods/web/proxy')).toBe('/');
  });
});

describe('SelfSubjectRulesReview', () => {
  it('answers with every verb on everything, complete, for the lab\'s one user', () => {
    const r = reviewRules({ spec: { namespace: 'default' } });
    expect(r.status).toEqual({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
    expect(r.spec).toEqual({ namespace: 'default' });
  });
});
