// The CNI modes this machine's kernel can build, for picking a lab's mode
// before a bring-up: the provider's own probe where it has one.
import type { Provider } from './provider.js';

/** Undefined when it cannot tell (another provider, not root): then every mode counts as buildable. */
export async function workingModes(provider: Pick<Provider, 'workingModes'>): Promise<string[] | undefined> {
  return provider.workingModes?.();
}
