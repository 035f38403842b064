// Which CNI modes this kernel can build: one probe for every link type any
// mode needs, so `up` can refuse a mode with the reason and name the modes
// that do work here.
import { CNI_MODE_INFO } from '../../../core/cni-modes.js';
import type { CniMode } from '../../../core/facts.js';
import { missingLinkTypes } from '../kernel.js';
import { builtModes } from './index.js';

/** Link types every lab uses anyway: `up` would fail long before a mode mattered. */
const BASE_LINKS = new Set(['bridge', 'veth']);

export interface ModeSupport {
  working: CniMode[];
  /** Modes the kernel cannot build, with the link types it lacks. */
  refused: { mode: CniMode; missing: string[] }[];
}

/** Pure: splits the built modes by the link types the kernel lacks. */
export function splitModes(missingLinks: string[]): ModeSupport {
  const lacking = new Set(missingLinks);
  const out: ModeSupport = { working: [], refused: [] };
  for (const mode of builtModes()) {
    const missing = CNI_MODE_INFO[mode].kernelLinks.filter((t) => lacking.has(t));
    if (missing.length) out.refused.push({ mode, missing });
    else out.working.push(mode);
  }
  return out;
}

export async function probeModes(lab: string): Promise<ModeSupport> {
  const links = [...new Set(builtModes().flatMap((m) => CNI_MODE_INFO[m].kernelLinks))].filter((t) => !BASE_LINKS.has(t));
  return splitModes(await missingLinkTypes(lab, links));
}
