// Endpoints of a hop check as a lab writes them: pod/NAME, pod/NAMESPACE/NAME,
// node/NAME, host/NAME, an IPv4 address, or a template that gives one
// ({{ pods.httpd.ip }}).
import ipaddr from 'ipaddr.js';
import type { ClusterFacts } from '../core/facts.js';
import type { EndpointRef } from '../path/types.js';
import { findTemplates, resolveTemplates, TemplateError } from './templates.js';

export const ENDPOINT_EXPECTED = 'a pod, node or host like pod/httpd, node/node-1, host/registry, or an IPv4 address';

const NAME = '[a-z0-9]([a-z0-9.-]*[a-z0-9])?';
const POD_RE = new RegExp(`^pod/(?:(${NAME})/)?(${NAME})$`);
const NODE_RE = new RegExp(`^(node|host)/(${NAME})$`);

export function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** An endpoint without templates, or undefined when the text is not one. */
export function parseEndpoint(text: string): EndpointRef | undefined {
  const t = text.trim();
  const pod = POD_RE.exec(t);
  if (pod) return { kind: 'pod', name: pod[3]!, ...(pod[1] ? { namespace: pod[1] } : {}) };
  const nh = NODE_RE.exec(t);
  if (nh) return nh[1] === 'node' ? { kind: 'node', name: nh[2]! } : { kind: 'host', name: nh[2]! };
  if (isIPv4(t)) return { kind: 'address', ip: t };
  return undefined;
}

/** Load-time check: an error message, or undefined when the text is a valid endpoint (possibly templated). */
export function endpointProblem(text: string): string | undefined {
  const t = text.trim();
  const { refs, errors } = findTemplates(t);
  if (errors.length) return errors[0];
  if (refs.length) {
    if (refs.length !== 1 || t !== refs[0]!.raw) return `expected ${ENDPOINT_EXPECTED}, got ${JSON.stringify(text)}`;
    if (refs[0]!.kind !== 'address') return `${refs[0]!.raw} is not an address; expected ${ENDPOINT_EXPECTED}`;
    return undefined;
  }
  return parseEndpoint(t) ? undefined : `expected ${ENDPOINT_EXPECTED}, got ${JSON.stringify(text)}`;
}

/** Run-time: the EndpointRef the path engine takes. Throws TemplateError. */
export function resolveEndpointText(text: string, facts: ClusterFacts): EndpointRef {
  const resolved = resolveTemplates(text.trim(), facts);
  const ref = parseEndpoint(resolved);
  if (!ref) throw new TemplateError(`${text}: expected ${ENDPOINT_EXPECTED}, got ${JSON.stringify(resolved)}`);
  return ref;
}

export function endpointLabel(ref: EndpointRef): string {
  switch (ref.kind) {
    case 'pod':
      return `pod/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    case 'node':
      return `node/${ref.name}`;
    case 'host':
      return `host/${ref.name}`;
    case 'address':
      return ref.ip;
  }
}
