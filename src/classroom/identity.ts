// Who this user is in a classroom: `hoplab join` saves the server, the name
// and the token the server gave (mode 0600, beside progress.json); `--leave`
// forgets it. One-off `hoplab run --classroom` flags keep their token here
// too, so running the same lab again reports as the same attendee.
import { mkdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { userStateDir } from '../core/user-state.js';
import { writeFileAtomicSync } from './journal.js';

const IdentitySchema = z.object({ url: z.string(), name: z.string(), id: z.string(), token: z.string() });
export type Identity = z.infer<typeof IdentitySchema>;

const FileSchema = z.object({
  /** The room `hoplab join` joined: the TUI and every `hoplab run` report to it. */
  joined: z.object({ url: z.string(), name: z.string() }).optional(),
  identities: z.array(IdentitySchema).max(50),
});
type IdentityFile = z.infer<typeof FileSchema>;

export function classroomStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userStateDir(env), 'classroom');
}

const filePath = (dir: string) => join(dir, 'attendee.json');

export async function loadIdentities(dir = classroomStateDir()): Promise<IdentityFile> {
  try {
    const r = FileSchema.safeParse(JSON.parse(await readFile(filePath(dir), 'utf8')));
    return r.success ? r.data : { identities: [] };
  } catch {
    return { identities: [] };
  }
}

async function save(dir: string, f: IdentityFile): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  writeFileAtomicSync(filePath(dir), JSON.stringify(f, null, 2) + '\n');
}

export function findIdentity(f: IdentityFile, url: string, name: string): Identity | undefined {
  return f.identities.find((i) => i.url === url && i.name === name);
}

export async function rememberIdentity(id: Identity, opts: { joined?: boolean; dir?: string } = {}): Promise<void> {
  const dir = opts.dir ?? classroomStateDir();
  const f = await loadIdentities(dir);
  const identities = [...f.identities.filter((i) => !(i.url === id.url && i.name === id.name)), id].slice(-50);
  await save(dir, { ...(opts.joined ? { joined: { url: id.url, name: id.name } } : f.joined ? { joined: f.joined } : {}), identities });
}

/** `hoplab join --leave`: forget the room and every token; queued events go too. */
export async function forgetAll(dir = classroomStateDir()): Promise<boolean> {
  const f = await loadIdentities(dir);
  await unlink(filePath(dir)).catch(() => undefined);
  await rm(join(dir, 'queue'), { recursive: true, force: true });
  return Boolean(f.joined || f.identities.length);
}

