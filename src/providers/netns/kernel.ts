// Probes the running kernel for the link types a CNI mode needs, in a
// throwaway namespace of the lab's own. A missing feature is reported, never
// worked around.
import { run } from '../../core/exec.js';
import { addNamespace, deleteNamespaces } from './namespaces.js';
import { labPrefix } from './names.js';

const PROBE_ARGS: Record<string, string[]> = {
  bridge: ['type', 'bridge'],
  veth: ['type', 'veth', 'peer', 'name', 'probe1'],
  vxlan: ['type', 'vxlan', 'id', '1', 'dstport', '4789'],
  ipip: ['type', 'ipip'],
};

export const probeNamespace = (lab: string) => `${labPrefix(lab)}probe`;

/** Returns the link types the kernel refused to create. */
export async function missingLinkTypes(lab: string, types: string[]): Promise<string[]> {
  if (types.length === 0) return [];
  const ns = probeNamespace(lab);
  await deleteNamespaces([ns]);
  await addNamespace(ns);
  try {
    const missing: string[] = [];
    for (const t of types) {
      const args = PROBE_ARGS[t] ?? ['type', t];
      const r = await run(['ip', '-n', ns, 'link', 'add', 'probe0', ...args]);
      if (r.exitCode !== 0) missing.push(t);
      await run(['ip', '-n', ns, 'link', 'del', 'probe0']);
    }
    return missing;
  } finally {
    await deleteNamespaces([ns]);
  }
}
