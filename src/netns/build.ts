// Builds and removes the data plane of a lab: executes wiring.ts's commands,
// starts the simulated registry, and reports progress per node and phase.
import type { ProgressEvent } from '../providers/provider.js';
import { ipBatch, inNs, runScriptInNs } from './namespaces.js';
import { runOk } from '../core/exec.js';
import type { LabPlan } from './plan.js';
import { nsShell, wireLab } from './wiring.js';

type Emit = (e: ProgressEvent) => void;

export async function buildDataPlane(plan: LabPlan, registryRoot: string, emit: Emit, signal?: AbortSignal): Promise<void> {
  const wiring = wireLab(plan);
  emit({ type: 'phase', phase: 'namespaces', state: 'start', detail: `${wiring.rootBatch.length} links and namespaces` });
  await ipBatch(wiring.rootBatch, signal);
  emit({ type: 'phase', phase: 'namespaces', state: 'done' });

  const nodeOf = new Map(plan.nodes.flatMap((n) => [[n.ns, n.name], [n.natNs, n.name]] as const));
  await Promise.all(
    wiring.scripts.map(async (s) => {
      const node = nodeOf.get(s.ns);
      const phase = node ? (s.ns.includes('-nat-') ? 'nat-router' : 'node-network') : s.ns.slice(s.ns.lastIndexOf('-') + 1);
      emit({ type: 'phase', phase, node, state: 'start' });
      await runScriptInNs(s.ns, nsShell(s), signal);
      emit({ type: 'phase', phase, node, state: 'done' });
    }),
  );

  emit({ type: 'phase', phase: 'registry', state: 'start', detail: plan.internet.registry });
  // busybox httpd forks into the background inside the internet namespace;
  // teardown finds it there with `ip netns pids`.
  await runOk(inNs(plan.internet.ns, ['busybox', 'httpd', '-p', `${plan.internet.registry}:80`, '-h', registryRoot]), { signal });
  emit({ type: 'phase', phase: 'registry', state: 'done' });
}
