// The lab's name as commands take it: one default, and the flag hoplab's own
// hints add so a command they suggest reaches the same lab.

/** The lab a command means when it gets no --name and no HOPLAB_LAB. */
export const DEFAULT_LAB = 'lab';

/** ` --name LAB` for a suggested command, nothing for the default lab. */
export function nameFlag(lab: string): string {
  return lab === DEFAULT_LAB ? '' : ` --name ${lab}`;
}
