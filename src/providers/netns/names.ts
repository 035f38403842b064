// Every namespace, process title and directory a lab makes starts with
// `hoplab-<lab>-`, so teardown finds exactly what one lab made, even after a
// crash left no state behind.

export const PREFIX = 'hoplab';

export function labPrefix(lab: string): string {
  return `${PREFIX}-${lab}-`;
}

export function nodeNs(lab: string, node: string): string {
  return `${labPrefix(lab)}${node}`;
}

export function natNs(lab: string, node: string): string {
  return `${labPrefix(lab)}nat-${node}`;
}

export function hostOnlyNs(lab: string): string {
  return `${labPrefix(lab)}hostonly`;
}

export function internetNs(lab: string): string {
  return `${labPrefix(lab)}internet`;
}

export function podNs(lab: string, podUid: string): string {
  return `${labPrefix(lab)}pod-${podUid.replace(/-/g, '').slice(0, 12)}`;
}

/** Process title of the lab's daemon, so a crashed `up` can still find it by name. */
export function daemonTitle(lab: string): string {
  return `${PREFIX}-daemon-${lab}`;
}

export function belongsToLab(lab: string, nsName: string): boolean {
  return nsName.startsWith(labPrefix(lab));
}
