// Adds the office LAN to a lab that is already up (`hoplab up --lan` on a
// running lab, or a lab file that asks for it): the cluster, its pods and
// the daemon stay as they are. A failure removes what was added, nothing else.
import type { ProgressEvent } from '../provider.js';
import { removeEtcFiles } from './etc-files.js';
import { planLan } from './lan.js';
import { buildLan } from './lan-wiring.js';
import { deleteNamespaces } from './namespaces.js';
import { writeLabRecord, type LabRecord } from './state.js';

export async function addLan(record: LabRecord, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<LabRecord> {
  const plan = { ...record.plan, lan: planLan(record.plan) };
  const namespaces = plan.lan.hosts.map((h) => h.ns);
  try {
    await buildLan(plan, emit, signal);
  } catch (err) {
    // Deleting a LAN namespace deletes its veths, and with them their peers on the host-only switch.
    await deleteNamespaces(namespaces).catch(() => undefined);
    await removeEtcFiles(namespaces).catch(() => undefined);
    throw err;
  }
  const next: LabRecord = { ...record, plan };
  await writeLabRecord(plan.lab, next);
  return next;
}
