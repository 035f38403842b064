// Which container of a pod a log or exec request means, with the apiserver's
// and kubelet's messages when it is ambiguous, wrong or not running.
import type { KubeObject } from './runtime.js';
import { badRequest } from './status.js';

export function selectContainer(pod: KubeObject, requested: string | null): string {
  const names: string[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c: any) => c.name);
  const podName = pod.metadata.name;
  if (requested) {
    if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  const main: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
  if (main.length === 1) return main[0]!;
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${main.join(' ')}]`);
}

export function containerStatus(pod: KubeObject, container: string): any | undefined {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s: any) => s.name === container);
}

/** True once the container has run (it is running, has terminated, or has a previous run). */
export function containerHasRun(pod: KubeObject, container: string): boolean {
  const s = containerStatus(pod, container);
  return Boolean(s && (s.state?.running || s.state?.terminated || s.lastState?.terminated));
}

/** Why a container has not run yet, worded as kubelet words it for logs. */
export function waitingReason(pod: KubeObject, container: string): string {
  const reason = containerStatus(pod, container)?.state?.waiting?.reason || 'ContainerCreating';
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}
