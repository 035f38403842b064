// Runs the evidence plan of a failed trace (check/evidence.ts chooses it) on
// the machine where the path went wrong, through the provider. A command that
// fails there (birdc on a flannel node, a node the provider cannot reach)
// becomes an item saying so: evidence never fails the check a second time.
import { errorMessage } from '../core/errors.js';
import { evidenceItem, type Evidence, type EvidencePlan } from '../check/evidence.js';
import type { Provider } from '../providers/provider.js';

/** Per command: the evidence is a few lines from the kernel, not worth waiting long for. */
const EVIDENCE_TIMEOUT_MS = 10_000;

export async function collectEvidence(provider: Provider, plan: EvidencePlan, signal?: AbortSignal): Promise<Evidence> {
  const items = await Promise.all(
    plan.commands.map(async (cmd) => {
      try {
        const r = await provider.run(plan.target, cmd.argv, { timeoutMs: EVIDENCE_TIMEOUT_MS, ...(signal ? { signal } : {}) });
        return evidenceItem(cmd, r);
      } catch (err) {
        return evidenceItem(cmd, { error: errorMessage(err) });
      }
    }),
  );
  return { machine: plan.target.name, kind: plan.kind, items };
}
