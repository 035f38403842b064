// Templates for values that exist only once the cluster runs:
// {{ pods.httpd.ip }}, {{ nodes.node-1.eth1 }}, {{ hosts.nat-node-1.lan }},
// {{ services.web.clusterIP }}, {{ services.web.endpointChain.1 }},
// {{ lab.namespace }}.
// The grammar is checked when a lab loads; values come from ClusterFacts when
// a command or check runs.
import { labCommands } from '../core/suggest.js';
import { ifaceAddress, labNamespace, type ClusterFacts, type IfaceFacts } from '../core/facts.js';
import { serviceTemplateValue, SERVICE_FIELDS, SERVICE_FIELD_RE } from './service-templates.js';

export type TemplateRoot = 'pods' | 'nodes' | 'hosts' | 'services' | 'lab';
/** What a template stands for: endpoints and addresses need an `address`. */
export type TemplateValueKind = 'address' | 'cidr' | 'name';

export interface TemplateRef {
  raw: string; // {{ pods.httpd.ip }}
  root: TemplateRoot;
  name: string; // httpd, node-1
  field: string; // ip, eth1, internalIP, flannel.1
  kind: TemplateValueKind;
}

export const POD_FIELDS: Record<string, TemplateValueKind> = {
  ip: 'address',
  node: 'name',
  namespace: 'name',
  hostVeth: 'name',
};

export const NODE_FIELDS: Record<string, TemplateValueKind> = {
  internalIP: 'address',
  podCIDR: 'cidr',
  gateway: 'address', // the pod gateway: cni0's address
  defaultRoute: 'address', // where the default route points (10.0.2.2 on VirtualBox NAT)
};

/** {{ lab.FIELD }}: facts about the lab itself rather than one object in it. */
export const LAB_FIELDS: Record<string, TemplateValueKind> = {
  // Where the lab's pods and Services are: default on the embedded lab, its own namespace on a kubeconfig cluster.
  namespace: 'name',
};

const TEMPLATE_RE = /\{\{(.*?)\}\}/g;
const IFACE_RE = /^[a-z][a-z0-9._-]*$/;
const NAME_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function closest(word: string, options: string[]): string | undefined {
  const lower = word.toLowerCase();
  return options.find((o) => o.toLowerCase() === lower);
}

/** Parses the inside of one {{ }}; returns a ref or an error message. */
export function parseTemplateKey(raw: string, inner: string): TemplateRef | string {
  const key = inner.trim();
  if (/^lab(\.|$)/.test(key)) {
    const field = key.slice('lab.'.length);
    if (LAB_FIELDS[field]) return { raw, root: 'lab', name: 'lab', field, kind: LAB_FIELDS[field]! };
    const hint = closest(field, Object.keys(LAB_FIELDS));
    return `${raw}: unknown lab field '${field}', expected ${Object.keys(LAB_FIELDS).join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`;
  }
  const m = /^(pods|nodes|hosts|services)\.([^.\s]+(?:\.[^.\s]+)*)$/.exec(key);
  if (!m) {
    const root = key.split('.')[0] ?? '';
    const hint = closest(root.replace(/s?$/, 's'), ['pods', 'nodes', 'hosts', 'services']);
    return `${raw}: expected pods.NAME.FIELD, nodes.NAME.FIELD, hosts.NAME.INTERFACE, services.NAME.FIELD or lab.namespace${hint && hint !== root ? ` (did you mean ${hint}?)` : ''}`;
  }
  const root = m[1] as TemplateRoot;
  const rest = m[2]!;
  if (root === 'services') {
    // Service names are DNS labels (no dots); the field may have one (endpoint.2).
    const dot = rest.indexOf('.');
    const name = rest.slice(0, dot);
    const field = rest.slice(dot + 1);
    if (dot <= 0 || !NAME_RE.test(name)) return `${raw}: expected services.NAME.FIELD with a Service name like web`;
    const fieldKind = SERVICE_FIELDS[field] ?? (SERVICE_FIELD_RE.test(field) ? (field.startsWith('endpoint.') ? 'address' : 'name') : undefined);
    if (!fieldKind) {
      const hint = closest(field, Object.keys(SERVICE_FIELDS));
      return `${raw}: unknown service field '${field}', expected one of ${Object.keys(SERVICE_FIELDS).join(', ')}, endpoint.N or endpointChain.N (N = 1, 2, ... or last)${hint ? ` (did you mean ${hint}?)` : ''}`;
    }
    return { raw, root, name, field, kind: fieldKind };
  }
  if (root === 'pods') {
    const dot = rest.lastIndexOf('.');
    const name = rest.slice(0, dot);
    const field = rest.slice(dot + 1);
    if (dot <= 0 || !NAME_RE.test(name)) return `${raw}: expected pods.NAME.FIELD with a pod name like httpd`;
    const kind = POD_FIELDS[field];
    if (!kind) {
      const hint = closest(field, Object.keys(POD_FIELDS));
      return `${raw}: unknown pod field '${field}', expected one of ${Object.keys(POD_FIELDS).join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`;
    }
    return { raw, root, name, field, kind };
  }
  // Node and host names have no dots; interface names may (flannel.1).
  const dot = rest.indexOf('.');
  const name = rest.slice(0, dot);
  const field = rest.slice(dot + 1);
  if (dot <= 0 || !NAME_RE.test(name) || !field) {
    return `${raw}: expected ${root}.NAME.${root === 'nodes' ? 'FIELD' : 'INTERFACE'} with a name like ${root === 'nodes' ? 'node-1' : 'nat-node-1'}`;
  }
  if (root === 'nodes' && NODE_FIELDS[field]) return { raw, root, name, field, kind: NODE_FIELDS[field]! };
  if (!IFACE_RE.test(field)) {
    const hint = root === 'nodes' ? closest(field, Object.keys(NODE_FIELDS)) : undefined;
    const what = root === 'nodes' ? `${Object.keys(NODE_FIELDS).join(', ')} or an interface name like eth1` : 'an interface name like eth0';
    return `${raw}: unknown ${root === 'nodes' ? 'node' : 'host'} field '${field}', expected ${what}${hint ? ` (did you mean ${hint}?)` : ''}`;
  }
  return { raw, root, name, field, kind: 'address' };
}

/** Every template in text, and the errors of the malformed ones (unclosed braces included). */
export function findTemplates(text: string): { refs: TemplateRef[]; errors: string[] } {
  const refs: TemplateRef[] = [];
  const errors: string[] = [];
  for (const m of text.matchAll(TEMPLATE_RE)) {
    const r = parseTemplateKey(m[0], m[1]!);
    if (typeof r === 'string') errors.push(r);
    else refs.push(r);
  }
  // A lone '}}' is common in JSON (--overrides='{"spec": {...}}'); only an unclosed '{{' is an error.
  if (text.replace(TEMPLATE_RE, '').includes('{{')) errors.push(`'{{' without a closing '}}'`);
  return { refs, errors };
}

export function hasTemplates(text: string): boolean {
  return /\{\{/.test(text);
}

function ifaceList(ifaces: IfaceFacts[]): string {
  return ifaces.map((i) => i.name).join(', ') || 'none';
}

/** The value of one template in this cluster; throws TemplateError saying what is missing. */
export function templateValue(ref: TemplateRef, facts: ClusterFacts): string {
  if (ref.root === 'lab') return labNamespace(facts);
  if (ref.root === 'services') {
    const r = serviceTemplateValue(ref.name, ref.field, facts);
    if (!r.ok) throw new TemplateError(`${ref.raw}: ${r.reason}`);
    return r.value;
  }
  if (ref.root === 'pods') {
    const pods = facts.pods.filter((p) => p.name === ref.name);
    const pod = pods.find((p) => p.namespace === labNamespace(facts)) ?? pods[0];
    if (!pod) {
      const have = facts.pods.map((p) => p.name);
      throw new TemplateError(
        `${ref.raw}: there is no pod '${ref.name}' in the cluster (${have.length ? `pods: ${have.join(', ')}` : 'no pods yet'}); an earlier step creates it`,
      );
    }
    if (ref.field === 'ip') {
      if (!pod.ip) throw new TemplateError(`${ref.raw}: pod '${ref.name}' has no IP yet (phase ${pod.phase ?? 'unknown'})`);
      return pod.ip;
    }
    if (ref.field === 'node') return pod.node;
    if (ref.field === 'namespace') return pod.namespace;
    if (!pod.hostVeth) throw new TemplateError(`${ref.raw}: the ${facts.provider} provider does not report the host-side veth of pod '${ref.name}'`);
    return pod.hostVeth;
  }
  if (ref.root === 'nodes') {
    const node = facts.nodes.find((n) => n.name === ref.name);
    if (!node) throw new TemplateError(`${ref.raw}: there is no node '${ref.name}' (nodes: ${facts.nodes.map((n) => n.name).join(', ')})`);
    switch (ref.field) {
      case 'internalIP':
        return node.internalIP;
      case 'podCIDR':
        return node.podCIDR;
      case 'gateway': {
        const gw = ifaceAddress(node, 'cni0');
        if (!gw) throw new TemplateError(`${ref.raw}: node '${ref.name}' has no cni0 bridge with an address in CNI mode ${facts.cni}`);
        return gw;
      }
      case 'defaultRoute':
        if (!node.defaultRoute) throw new TemplateError(`${ref.raw}: node '${ref.name}' has no default route`);
        return node.defaultRoute.via;
    }
    const addr = ifaceAddress(node, ref.field);
    if (!addr) {
      throw new TemplateError(`${ref.raw}: node '${ref.name}' has no interface '${ref.field}' with an address (it has ${ifaceList(node.interfaces)})`);
    }
    return addr;
  }
  const host = facts.hosts.find((h) => h.name === ref.name);
  if (!host) throw new TemplateError(`${ref.raw}: there is no host '${ref.name}' (hosts: ${facts.hosts.map((h) => h.name).join(', ') || 'none'})`);
  const addr = ifaceAddress(host, ref.field);
  if (!addr) throw new TemplateError(`${ref.raw}: host '${ref.name}' has no interface '${ref.field}' with an address (it has ${ifaceList(host.interfaces)})`);
  return addr;
}

/**
 * Replaces every template in text. `escape` transforms each value (regex
 * patterns escape them). Throws TemplateError on a malformed or unresolvable template.
 */
export function resolveTemplates(text: string, facts: ClusterFacts, escape: (v: string) => string = (v) => v): string {
  return text.replace(TEMPLATE_RE, (raw, inner: string) => {
    const ref = parseTemplateKey(raw, inner);
    if (typeof ref === 'string') throw new TemplateError(ref);
    return escape(templateValue(ref, facts));
  });
}

/**
 * What a template stands for while its value is not known (no pod yet, no
 * cluster): HTTPD-IP, NODE-1-INTERNALIP, WEB-CLUSTERIP, as the labs' own hints
 * write them, never the raw `{{ pods.httpd.ip }}`.
 */
export function templatePlaceholder(ref: TemplateRef): string {
  if (ref.root === 'lab') return 'NAMESPACE';
  return `${ref.name}-${ref.field}`.toUpperCase();
}

/**
 * Like resolveTemplates, for showing step text: what cannot be resolved yet
 * (before pods exist) shows as its placeholder. With `lab`, the hoplab
 * commands the text suggests name that lab (labCommands).
 */
export function renderTemplates(text: string, facts: ClusterFacts | undefined, lab?: string): string {
  const filled = text.replace(TEMPLATE_RE, (raw, inner: string) => {
    const ref = parseTemplateKey(raw, inner);
    if (typeof ref === 'string') return raw;
    if (!facts) return templatePlaceholder(ref);
    try {
      return templateValue(ref, facts);
    } catch {
      return templatePlaceholder(ref);
    }
  });
  return lab === undefined ? filled : labCommands(filled, lab);
}

/**
 * A message as the learner sees it: without the lab file's position
 * (`labs/calico.yaml:51:18: `, which the author's headless report keeps) and
 * with placeholders for raw templates.
 */
export function learnerText(text: string): string {
  return renderTemplates(text.replace(/^\S+\.ya?ml:\d+:\d+: /, ''), undefined);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
