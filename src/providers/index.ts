// Picks the provider a command talks to: --provider, else HOPLAB_PROVIDER,
// else the embedded netns lab.
import { UsageError } from '../core/errors.js';
import { labName, providerName, type Parsed } from '../cli/args.js';
import { createNetnsProvider } from '../netns/provider.js';
import type { Provider, ProviderName } from './provider.js';

export function createProvider(name: ProviderName, lab: string): Provider {
  switch (name) {
    case 'netns':
      return createNetnsProvider(lab);
    default:
      throw new UsageError(`--provider ${name}: not available in this build yet`, 'use --provider netns');
  }
}

export async function openProvider(values: Parsed['values']): Promise<Provider> {
  const fromEnv = process.env.HOPLAB_PROVIDER;
  const name = providerName(values) ?? (fromEnv ? providerName({ provider: fromEnv }) : undefined) ?? 'netns';
  return createProvider(name, labName(values));
}
