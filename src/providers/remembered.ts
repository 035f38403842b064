// Which provider each lab was brought up with, so `hoplab status` after
// `hoplab up --provider vagrant` talks to the VMs without the flag again.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userStateDir } from '../core/user-state.js';
import { PROVIDER_NAMES, type ProviderName } from './provider.js';

const file = () => join(userStateDir(), 'providers.json');

async function readAll(): Promise<Record<string, ProviderName>> {
  try {
    const data = JSON.parse(await readFile(file(), 'utf8')) as Record<string, string>;
    return Object.fromEntries(
      Object.entries(data).filter((e): e is [string, ProviderName] => (PROVIDER_NAMES as readonly string[]).includes(e[1])),
    );
  } catch {
    return {};
  }
}

export async function rememberedProvider(lab: string): Promise<ProviderName | undefined> {
  return (await readAll())[lab];
}

export async function rememberProvider(lab: string, provider: ProviderName | undefined): Promise<void> {
  const all = await readAll();
  if (provider === undefined) delete all[lab];
  else all[lab] = provider;
  await mkdir(userStateDir(), { recursive: true });
  await writeFile(file(), JSON.stringify(all, null, 2) + '\n');
}
