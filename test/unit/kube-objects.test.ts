import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { nodeObject } from '../../src/kube/node-object.js';
import { createServingCerts } from '../../src/kube/x509.js';
import { writeKubeconfig } from '../../src/kube/kubeconfig.js';
import type { NodeFacts } from '../../src/core/facts.js';

const facts = (name: string, ip: string, cidr: string, extra: Partial<NodeFacts> = {}): NodeFacts => ({
  name,
  roles: [],
  internalIP: ip,
  podCIDR: cidr,
  interfaces: [
    { name: 'eth0', address: '10.0.2.15', prefixLength: 24 },
    { name: 'eth1', address: ip, prefixLength: 24 },
  ],
  ...extra,
});

describe('nodeObject', () => {
  it('builds a control-plane node with its role label, taint, addresses and podCIDR', () => {
    const n = nodeObject(facts('controlplane', '192.168.56.10', '10.244.0.0/24', { roles: ['control-plane'] }), { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' });
    expect(n.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'controlplane', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' });
    expect(n.spec).toEqual({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    expect(n.status.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.56.10' },
      { type: 'Hostname', address: 'controlplane' },
    ]);
    expect(n.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    expect(n.status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.31.0', containerRuntimeVersion: expect.stringMatching(/^containerd:\/\//) });
  });

  it("carries flannel's annotations: host-gw and vxlan with the VTEP MAC", () => {
    const hostgw = nodeObject(facts('node-1', '192.168.56.11', '10.244.1.0/24'), { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' });
    expect(hostgw.metadata.annotations).toMatchObject({
      'flannel.alpha.coreos.com/backend-type': 'host-gw',
      'flannel.alpha.coreos.com/backend-data': 'null',
      'flannel.alpha.coreos.com/public-ip': '192.168.56.11',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
    });
    expect(hostgw.spec.taints).toBeUndefined();
    const vxlan = nodeObject(facts('node-1', '192.168.56.11', '10.244.1.0/24'), { cni: 'flannel-vxlan', kubeletVersion: 'v1.31.0', vtepMAC: '32:ae:4c:6b:5d:6f' });
    expect(vxlan.metadata.annotations['flannel.alpha.coreos.com/backend-type']).toBe('vxlan');
    expect(JSON.parse(vxlan.metadata.annotations['flannel.alpha.coreos.com/backend-data'])).toEqual({ VNI: 1, VtepMAC: '32:ae:4c:6b:5d:6f' });
  });

  it("carries calico's address and tunnel address annotations", () => {
    const ipip = nodeObject(
      facts('node-2', '192.168.56.12', '10.244.2.0/24', {
        interfaces: [
          { name: 'eth1', address: '192.168.56.12', prefixLength: 24 },
          { name: 'tunl0', address: '10.244.2.0', prefixLength: 32 },
        ],
      }),
      { cni: 'calico-ipip', kubeletVersion: 'v1.31.0' },
    );
    expect(ipip.metadata.annotations).toMatchObject({ 'projectcalico.org/IPv4Address': '192.168.56.12/24', 'projectcalico.org/IPv4IPIPTunnelAddr': '10.244.2.0' });
    const vx = nodeObject(
      facts('node-2', '192.168.56.12', '10.244.2.0/24', { interfaces: [{ name: 'vxlan.calico', address: '10.244.2.1', prefixLength: 32 }] }),
      { cni: 'calico-vxlan', kubeletVersion: 'v1.31.0' },
    );
    expect(vx.metadata.annotations['projectcalico.org/IPv4VXLANTunnelAddr']).toBe('10.244.2.1');
    expect(Object.keys(vx.metadata.annotations).some((k) => k.startsWith('flannel'))).toBe(false);
  });
});

describe('serving certificates', () => {
  it('signs a server certificate for loopback with a CA that verifies it', () => {
    const c = createServingCerts(['127.0.0.1', '::1', 'localhost']);
    const ca = new X509Certificate(c.caCert);
    const server = new X509Certificate(c.serverCert);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
  });
});

describe('writeKubeconfig', () => {
  it('writes an owner-only kubeconfig with the CA, the token and namespace default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoplab-kc-'));
    const path = join(dir, 'sub', 'kubeconfig');
    await writeKubeconfig(path, { server: 'https://127.0.0.1:1234', certificateAuthority: 'PEM', token: 't0k', clusterName: 'hoplab-x', context: 'hoplab-x' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const cfg = yaml.load(await readFile(path, 'utf8')) as any;
    expect(cfg['current-context']).toBe('hoplab-x');
    expect(cfg.clusters[0].cluster).toEqual({ server: 'https://127.0.0.1:1234', 'certificate-authority-data': Buffer.from('PEM').toString('base64') });
    expect(cfg.users[0].user).toEqual({ token: 't0k' });
    expect(cfg.contexts[0].context).toEqual({ cluster: 'hoplab-x', user: 'hoplab-x', namespace: 'default' });
    await rm(dir, { recursive: true, force: true });
  });
});
