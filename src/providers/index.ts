// Picks the provider a command talks to: the one asked for (--provider or
// HOPLAB_PROVIDER, read by the CLI), else the one the lab was brought up
// with, else the embedded netns lab.
import { UsageError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import type { Provider, ProviderName } from './provider.js';
import { rememberedProvider } from './remembered.js';
import type { KubeconfigChoices } from './kubeconfig/options.js';

/** What `up` may choose beyond the provider's name; later commands read it from the lab's own state. */
export interface ProviderChoices {
  kubeconfig?: KubeconfigChoices;
  /** hoplab up --bundle DIR (hoplab vagrant prepare's output). */
  vagrant?: { bundle?: string };
}

export async function createProvider(name: ProviderName, lab: string, choices: ProviderChoices = {}): Promise<Provider> {
  // Each provider is loaded only when used: the vagrant one is not needed to run the embedded lab.
  switch (name) {
    case 'netns':
      return (await import('./netns/index.js')).createNetnsProvider(lab);
    case 'vagrant':
      return (await import('./vagrant/index.js')).createVagrantProvider({ lab, projectDir: packageRoot(), ...choices.vagrant });
    case 'kubeconfig':
      return (await import('./kubeconfig/index.js')).createKubeconfigProvider({ lab, ...choices.kubeconfig });
    default:
      throw new UsageError(`--provider ${name}: not available in this build yet`, 'use --provider netns or --provider vagrant');
  }
}

/** Which lab, and the provider asked for (flag or environment), if any. */
export interface ProviderPick {
  lab: string;
  provider?: ProviderName;
}

export async function openProvider(pick: ProviderPick, choices: ProviderChoices = {}): Promise<Provider> {
  const name = pick.provider ?? (await rememberedProvider(pick.lab)) ?? 'netns';
  return createProvider(name, pick.lab, choices);
}
