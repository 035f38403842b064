// The CNI modes this machine's kernel can build, for picking a lab's mode
// before a bring-up. Only the netns provider builds on this kernel, and its
// probe (a throwaway namespace of the lab's) needs root.
import { isRoot } from '../core/root.js';
import type { Provider } from './provider.js';

/** Undefined when it cannot tell (another provider, not root): then every mode counts as buildable. */
export async function workingModes(provider: Pick<Provider, 'name' | 'lab'>): Promise<string[] | undefined> {
  if (provider.name !== 'netns' || !isRoot()) return undefined;
  const { probeModes } = await import('./netns/modes/support.js');
  return (await probeModes(provider.lab)).working;
}
