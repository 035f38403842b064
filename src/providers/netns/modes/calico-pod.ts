// Wires a pod the way calico's CNI plugin does, with plain ip commands (the
// calico plugin is not on the machine): IPAM from the node's block, a veth
// whose host side is cali<hash> with MAC ee:ee:ee:ee:ee:ee and no address,
// proxy ARP on it so it answers for 169.254.1.1, the pod's IP as a /32 on
// eth0 with a default route via 169.254.1.1, and a /32 route to the pod on
// the node. The route has no protocol, as felix's workload routes show.
import { run, runOk } from '../../../core/exec.js';
import { cniAdd, cniDel, type CniResult } from '../cni.js';
import { inNs } from '../namespaces.js';
import { CALI_MAC, CALICO_POD_GATEWAY, caliName, calicoIpamConfig } from './calico-ipam.js';
import type { PodContext, PodWiring } from './types.js';

/** The shell script, run in the node's namespace, that wires one pod. Pure, for tests. */
export function calicoPodScript(ctx: PodContext, podIP: string, mtu: number): string {
  const cali = caliName(ctx.namespace, ctx.name);
  const node = [
    `link set ${cali} address ${CALI_MAC}`,
    `link set ${cali} up`,
    `route add ${podIP}/32 dev ${cali} scope link`,
  ];
  const pod = [
    `addr add ${podIP}/32 dev eth0`,
    'link set eth0 up',
    `route add ${CALICO_POD_GATEWAY} dev eth0 scope link`,
    `route add default via ${CALICO_POD_GATEWAY} dev eth0`,
  ];
  return [
    'set -e',
    `ip link add ${cali} mtu ${mtu} type veth peer name eth0 mtu ${mtu} netns ${ctx.podNs}`,
    `sysctl -qw net.ipv4.conf.${cali}.proxy_arp=1`,
    // Answer the pod's ARP for 169.254.1.1 at once, not after up to 0.8 s.
    `sysctl -qw net.ipv4.neigh.${cali}.proxy_delay=0`,
    `sysctl -qw net.ipv4.conf.${cali}.forwarding=1`,
    `ip -batch - <<'HOPLAB_IP'\n${node.join('\n')}\nHOPLAB_IP`,
    `ip -n ${ctx.podNs} -batch - <<'HOPLAB_IP'\n${pod.join('\n')}\nHOPLAB_IP`,
  ].join('\n');
}

export function calicoPod(mtu: number): PodWiring {
  return {
    async add(ctx: PodContext, signal?: AbortSignal): Promise<CniResult> {
      const ipam = calicoIpamConfig(ctx.node, ctx.ipamDir);
      const lease = await cniAdd(ctx.node.ns, ctx.podNs, ctx.containerId, ipam);
      const hostVeth = caliName(ctx.namespace, ctx.name);
      try {
        await runOk(inNs(ctx.node.ns, ['/bin/sh', '-c', calicoPodScript(ctx, lease.podIP, mtu)]), { signal });
      } catch (err) {
        await run(['ip', '-n', ctx.node.ns, 'link', 'del', hostVeth]);
        await cniDel(ctx.node.ns, ctx.podNs, ctx.containerId, ipam).catch(() => undefined);
        throw err;
      }
      return {
        podIP: lease.podIP,
        prefixLength: 32,
        gateway: CALICO_POD_GATEWAY,
        hostVeth,
        // The shape of a CNI result, as calico's plugin reports it.
        raw: {
          cniVersion: '1.0.0',
          interfaces: [{ name: hostVeth, mac: CALI_MAC }, { name: 'eth0', sandbox: `/run/netns/${ctx.podNs}` }],
          ips: [{ address: `${lease.podIP}/32`, interface: 1 }],
        },
      };
    },
    async del(ctx: PodContext): Promise<void> {
      // Deleting the host end removes the pod end and the /32 route with it.
      await run(['ip', '-n', ctx.node.ns, 'link', 'del', caliName(ctx.namespace, ctx.name)]);
      await cniDel(ctx.node.ns, ctx.podNs, ctx.containerId, calicoIpamConfig(ctx.node, ctx.ipamDir));
    },
  };
}
