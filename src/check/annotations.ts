// What traceroute's `!` annotations mean, for a learner.

export function explainAnnotation(a: string): string {
  const frag = /^!F-?(\d+)?$/.exec(a);
  if (frag) {
    const mtu = frag[1] ? `the path MTU there is ${frag[1]} bytes, ` : '';
    return `${a} is "fragmentation needed": ${mtu}smaller than the probe, which has Don't Fragment set (an MTU mismatch, e.g. a tunnel's overhead)`;
  }
  switch (a) {
    case '!H':
      return '!H is "host unreachable": the router could not reach the next hop (no ARP answer) or has an `unreachable` route';
    case '!N':
      return '!N is "network unreachable": the router has no route to the destination network, or a firewall rejects with net-unreachable';
    case '!X':
      return '!X is "communication administratively prohibited": a firewall rule (a NetworkPolicy?) or a `prohibit` route rejects it';
    case '!P':
      return '!P is "protocol unreachable": the probe\'s protocol (UDP) is rejected; try traceroute -I (ICMP) or -T (TCP)';
    case '!S':
      return '!S is "source route failed"';
    case '!V':
      return '!V is "host precedence violation"';
    case '!C':
      return '!C is "precedence cutoff in effect"';
    default:
      return `${a} is an ICMP unreachable answer (code ${a.replace(/[!<>]/g, '') || 'unknown'})`;
  }
}
