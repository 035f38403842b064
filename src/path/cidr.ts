// IPv4 subnet questions the engine and the checker ask, answered by ipaddr.js.
import ipaddr from 'ipaddr.js';

export function isIPv4(s: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(s);
}

export function isCidr(s: string): boolean {
  try {
    ipaddr.IPv4.parseCIDR(s);
    return true;
  } catch {
    return false;
  }
}

/** Whether ip lies in cidr (`10.244.1.0/24`); false for anything malformed. */
export function inCidr(ip: string, cidr: string | undefined): boolean {
  if (cidr === undefined || !isIPv4(ip) || !isCidr(cidr)) return false;
  return ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(cidr));
}

/** Whether ip lies on the subnet of an interface holding `address/prefix`. */
export function onSubnet(ip: string, address: string, prefix: number): boolean {
  if (!isIPv4(ip) || !isIPv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  return ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parse(address), prefix);
}

/** `10.244.1.0/24` → `10.244.1.1`: the address the bridge plugin gives the pod bridge (cni0). */
export function firstHost(cidr: string): string {
  const net = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray();
  // A 32-bit address as one number, so "+1" carries across octets.
  const n = net.reduce((acc, b) => acc * 256 + b, 0) + 1;
  return ipaddr.IPv4.parse(String(n)).toString();
}

/** `192.168.56.11` + 24 → `192.168.56.0/24`, for messages. */
export function subnetOf(address: string, prefix: number): string {
  return `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefix}`).toString()}/${prefix}`;
}
