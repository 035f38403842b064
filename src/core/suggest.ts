// Commands hoplab suggests to the learner name the lab they are using: a
// suggestion without `--name` would act on the default lab, not theirs.
import { nameFlag } from './lab-name.js';

/** `hoplab --name demo up --lan`, or `hoplab up --lan` for the default lab; options before the command work for every command. */
export function hoplabCmd(lab: string, rest: string): string {
  return `hoplab${nameFlag(lab)}${rest ? ` ${rest}` : ''}`;
}

// hoplab's own commands, as a lab's text writes them: `hoplab ssh node-1 -- ip route`.
const HOPLAB_IN_TEXT = /\bhoplab(?= +(?:up|down|run|ssh|kubectl|status|reset|shell|check|check-trace|topology|present|labs)\b)(?! +--name\b)/g;

/** A lab's text with every `hoplab COMMAND` it suggests naming the lab the learner is in (nothing changes for the default lab). */
export function labCommands(text: string, lab: string): string {
  const flag = nameFlag(lab);
  return flag ? text.replace(HOPLAB_IN_TEXT, `hoplab${flag}`) : text;
}
