// Shared vocabulary of the path engine, the trace parsers and the checker.
// The engine predicts ExpectedHop lists, the parsers turn text into
// ParsedTrace, the checker compares the two into a TraceVerdict.

/** A source or destination as a lab names it: a pod, a node, a lab host, or a bare address. */
export type EndpointRef =
  | { kind: 'pod'; name: string; namespace?: string }
  | { kind: 'node'; name: string }
  | { kind: 'host'; name: string }
  | { kind: 'address'; ip: string };

export interface ExpectedHop {
  /** The address the ICMP answer comes from; null when any address is acceptable (a router hoplab cannot see). */
  address: string | null;
  /** Node or host the address belongs to, when known. */
  node?: string;
  /** Interface that holds the address (cni0, eth1, flannel.1, tunl0, ...). */
  interface?: string;
  /** One line: why the packet is here. */
  why: string;
  /** The pod that holds the address, when it is a pod's. */
  pod?: string;
  /**
   * Stands for zero or more routers hoplab cannot see (the internet past a NAT
   * router); only with address null. The checker lets it absorb any number of hops.
   */
  many?: boolean;
}

export type PathPrediction =
  | {
      ok: true;
      hops: ExpectedHop[];
      destination: string;
      notes: string[];
      /** The node the source is or runs on, so a diagnosis can say where to look. */
      sourceNode?: string;
      /** The source and destination in words ("pod traceroute on node-2"). */
      source?: string;
      /** For a trace from a lab host (office PC, gateway): the address its probes carry, for a diagnosis of the way back. */
      sourceAddress?: string;
      target?: string;
      /**
       * For a trace to a Service's ClusterIP: one hop list per endpoint
       * kube-proxy may pick; each probe may take any of them.
       */
      alternatives?: ServiceAlternative[];
    }
  | { ok: false; reason: string };

/** The hops of a trace to a ClusterIP when kube-proxy picks this endpoint. */
export interface ServiceAlternative {
  endpoint: string;
  pod?: string;
  node?: string;
  hops: ExpectedHop[];
}

export interface Probe {
  address?: string; // absent for `*`
  hostname?: string;
  rttMs?: number;
  /** !H, !N, !P, !X, !S, !F-..., as printed. */
  annotation?: string;
}

export interface TraceHop {
  ttl: number;
  probes: Probe[];
}

export interface ParsedTrace {
  format: 'gnu' | 'busybox' | 'tracepath' | 'mtr' | 'unknown';
  destination?: string;
  hops: TraceHop[];
  /** Lines the parser could not read, with their line numbers. */
  warnings: string[];
}

export type HopStatus = 'match' | 'mismatch' | 'no-answer' | 'missing' | 'extra';

export interface HopVerdict {
  ttl: number;
  expected?: ExpectedHop;
  /**
   * Addresses that answered, in order. A hop that answered only with a name
   * hoplab cannot map to an address (tracepath/mtr without -n) lists the name
   * and counts as no-answer: it cannot be compared.
   */
  observed: string[];
  status: HopStatus;
}

export interface TraceVerdict {
  passed: boolean;
  hops: HopVerdict[];
  /** TTL of the first hop that differs, when it failed. */
  firstDifference?: number;
  /** Why it differs, in words a learner can act on. */
  diagnosis?: string;
  /** Things worth knowing that did not fail the trace (silent hops, names without addresses). */
  notes?: string[];
  /** Where the path went wrong, when the diagnosis can say: what the checker shows evidence from. */
  wrongAt?: WrongHop;
}

/** What a diagnosis found, in a word: selects the evidence worth showing (check/evidence.ts). */
export type DiagnosisKind =
  | 'error-answer' // a router answered with !H, !N, ...
  | 'nat-side' // the packet left through the NAT interface
  | 'not-bridged' // routed through the node instead of over the bridge
  | 'other-address' // the right node answered from another address
  | 'wrong-node' // a route points at the wrong node
  | 'other-pod'
  | 'other-host'
  | 'unknown-address'
  | 'nothing-answered'
  | 'destination-silent' // the packets reached the last router, the destination did not answer
  | 'no-route-at-gateway' // the trace ends at the source node's gateway
  | 'no-way-back' // probes pass, answers cannot come back (from outside the cluster)
  | 'silent' // the next router did not answer
  | 'cut-short'
  | 'longer'
  | 'service'; // a trace to a ClusterIP

export interface WrongHop {
  kind: DiagnosisKind;
  /** The node or lab host where the packet took the wrong turn or was lost, when known. */
  machine?: string;
  /** The address whose route on that machine tells the story: the destination, or the sender for a missing way back. */
  lookup?: string;
}
