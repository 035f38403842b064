// Commands hoplab suggests to the learner name the lab they are using: a
// suggestion without `--name` would act on the default lab, not theirs.
import { nameFlag } from './lab-name.js';

/** `hoplab --name demo up --lan`, or `hoplab up --lan` for the default lab; options before the command work for every command. */
export function hoplabCmd(lab: string, rest: string): string {
  return `hoplab${nameFlag(lab)}${rest ? ` ${rest}` : ''}`;
}
