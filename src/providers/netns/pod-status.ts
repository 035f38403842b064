// Builds a pod's status the way kubelet reports it, from what the runtime
// knows about each container. Pure, so the phase rules are unit-tested.

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: string }
  | { kind: 'terminated'; exitCode: number; reason: string; startedAt: string; finishedAt: string };

export interface ContainerView {
  name: string;
  image: string;
  containerID?: string;
  restartCount: number;
  state: ContainerState;
  lastState?: ContainerState;
}

export interface PodView {
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  sandboxReady: boolean;
  containers: ContainerView[];
}

function stateJson(s: ContainerState, containerID?: string): Record<string, unknown> {
  switch (s.kind) {
    case 'waiting':
      return { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } };
    case 'running':
      return { running: { startedAt: s.startedAt } };
    case 'terminated':
      return {
        terminated: {
          exitCode: s.exitCode,
          reason: s.reason,
          startedAt: s.startedAt,
          finishedAt: s.finishedAt,
          ...(containerID ? { containerID } : {}),
        },
      };
  }
}

export function podPhase(view: PodView): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const cs = view.containers;
  const everStarted = (c: ContainerView) => c.state.kind !== 'waiting' || c.restartCount > 0 || c.lastState !== undefined;
  if (!view.sandboxReady || cs.some((c) => !everStarted(c))) return 'Pending';
  if (cs.some((c) => c.state.kind === 'running')) return 'Running';
  const terminated = cs.filter((c) => c.state.kind === 'terminated');
  if (terminated.length === cs.length) {
    const failed = terminated.some((c) => c.state.kind === 'terminated' && c.state.exitCode !== 0);
    if (view.restartPolicy === 'Never') return failed ? 'Failed' : 'Succeeded';
    if (view.restartPolicy === 'OnFailure' && !failed) return 'Succeeded';
  }
  // Restarting containers (back-off included) keep the pod Running.
  return 'Running';
}

export function podStatus(view: PodView, now: string): Record<string, unknown> {
  const phase = podPhase(view);
  const ready = phase === 'Running' && view.containers.every((c) => c.state.kind === 'running');
  const cond = (type: string, status: boolean) => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
  });
  return {
    phase,
    conditions: [
      cond('PodReadyToStartContainers', view.sandboxReady),
      cond('Initialized', true),
      cond('Ready', ready),
      cond('ContainersReady', ready),
      cond('PodScheduled', true),
    ],
    ...(view.hostIP ? { hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }] } : {}),
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    qosClass: 'BestEffort',
    containerStatuses: view.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ...(c.containerID ? { containerID: c.containerID } : {}),
      ready: c.state.kind === 'running',
      started: c.state.kind === 'running',
      restartCount: c.restartCount,
      state: stateJson(c.state, c.containerID),
      lastState: c.lastState ? stateJson(c.lastState, c.containerID) : {},
    })),
  };
}

/** kubelet's crash-loop back-off: 10 s doubling up to 5 minutes. */
export function backoffMs(restarts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, restarts), 300_000);
}
