// kube-proxy's iptables chain names (pkg/proxy/iptables/proxier.go): the
// sha256 of the service port name and protocol (and the endpoint, for
// KUBE-SEP), base32-encoded, first 16 characters, behind a prefix. So
// default/kubernetes:https over tcp is always KUBE-SVC-NPX46M4PTMTKRN6Y.
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), without padding. */
export function base32(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function hash16(text: string): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** "default/web:http", or "default/web" for an unnamed port: ServicePortName.String(). */
export function servicePortName(namespace: string, name: string, port: string): string {
  return `${namespace}/${name}${port ? `:${port}` : ''}`;
}

/** The protocol as kube-proxy hashes it: lower case. */
const proto = (protocol: string) => protocol.toLowerCase();

export function portProtoHash(svcPortName: string, protocol: string): string {
  return hash16(svcPortName + proto(protocol));
}

export const serviceChain = (svcPortName: string, protocol: string) => `KUBE-SVC-${portProtoHash(svcPortName, protocol)}`;
export const externalChain = (svcPortName: string, protocol: string) => `KUBE-EXT-${portProtoHash(svcPortName, protocol)}`;

/** KUBE-SEP-<hash of port name + protocol + "ip:port"> */
export function endpointChain(svcPortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(svcPortName + proto(protocol) + endpoint)}`;
}

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'];

/** Per-service chains kube-proxy owns and deletes when they fall out of use. */
export function isServiceChain(name: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p));
}
