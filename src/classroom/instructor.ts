// The instructor's side of the wire: which server and token to use, and the
// two requests the dashboard, status and export make.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MachineError, UsageError } from '../core/errors.js';
import { userStateDir } from '../core/user-state.js';
import { urlOption } from './attendee.js';
import type { RoomView } from './room.js';
import { readInstructorToken } from './secrets.js';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userStateDir(env), 'classroom', 'server');
}

export const serverInfoPath = (dataDir: string) => join(dataDir, 'server.json');

export interface InstructorTarget {
  url: string;
  token: string;
}

/** --server, else the server `classroom serve` last ran with this data dir; the token from --token, $HOPLAB_CLASSROOM_TOKEN or the data dir. */
export async function instructorTarget(opts: { server?: string; token?: string; data?: string }, env: NodeJS.ProcessEnv = process.env): Promise<InstructorTarget> {
  const dataDir = opts.data ?? defaultDataDir(env);
  let url = opts.server ? urlOption(opts.server, '--server') : undefined;
  if (!url) {
    try {
      url = z.object({ url: z.string() }).parse(JSON.parse(await readFile(serverInfoPath(dataDir), 'utf8'))).url;
    } catch {
      throw new UsageError(`no classroom server known in ${dataDir}`, "start one with 'hoplab classroom serve', or give --server URL");
    }
  }
  const token = opts.token ?? env.HOPLAB_CLASSROOM_TOKEN ?? (await readInstructorToken(dataDir).catch(() => undefined));
  if (!token) throw new UsageError(`no instructor token: not in ${join(dataDir, 'instructor.token')}`, 'give --token TOKEN (serve printed it) or set HOPLAB_CLASSROOM_TOKEN');
  return { url, token };
}

// The shape only: texts are cleaned again where they are drawn.
const RoomViewShape = z.object({ rev: z.number(), now: z.number(), attendees: z.array(z.object({ id: z.string(), name: z.string(), labs: z.record(z.string(), z.unknown()) }).passthrough()), hands: z.array(z.object({ id: z.number(), name: z.string() }).passthrough()) });

async function call(t: InstructorTarget, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${t.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${t.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
      redirect: 'error',
    });
  } catch (err) {
    throw new MachineError(`classroom server ${t.url} did not answer: ${(err as Error).message}`, "is 'hoplab classroom serve' running?");
  }
  const json = await res.json().catch(() => undefined);
  if (res.status === 401) throw new UsageError(`classroom server ${t.url}: the instructor token was refused`, 'use the token serve printed (--token), or run on the server machine');
  if (!res.ok) throw new MachineError(`classroom server ${t.url}: HTTP ${res.status} ${(json as { error?: string } | undefined)?.error ?? ''}`.trim());
  return json;
}

export async function fetchRoom(t: InstructorTarget): Promise<RoomView> {
  const r = RoomViewShape.safeParse(await call(t, '/v1/room'));
  if (!r.success) throw new MachineError(`classroom server ${t.url} sent something that is not a room`);
  return r.data as unknown as RoomView;
}

export async function clearHands(t: InstructorTarget, which: { hand: number } | { all: true }): Promise<void> {
  await call(t, '/v1/hands/clear', which);
}
