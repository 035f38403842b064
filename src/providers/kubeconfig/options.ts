// What a user can choose about the kubeconfig provider (--kubeconfig,
// --context, --nodes, --namespace, --debug-image), checked with messages that
// name the flag, and the defaults when they choose nothing.
import { DEFAULT_LAB } from '../../core/lab-name.js';
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { KUBECONFIG_DEFAULTS, type NodeExecMode } from './defaults.js';

/** The choices `hoplab up` takes on the command line; later commands read them from the lab's state. */
export interface KubeconfigChoices {
  /** A kubeconfig file, or several joined like $KUBECONFIG. Default: $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** A context of that kubeconfig. Default: its current-context. */
  context?: string;
  /** Real node names for the lab's roles, in order: controlplane, node-1, node-2, ... */
  nodes?: string[];
  /** Default hoplab-<user> (hoplab-<user>-<lab> for a lab not called 'lab'). */
  namespace?: string;
  /** Image of the node debug pods; default in defaults.json. */
  debugImage?: string;
  nodeExec?: NodeExecMode;
}

export interface KubeconfigProviderOptions extends KubeconfigChoices {
  lab: string;
  /** Where $KUBECONFIG, $HOME and $USER come from (tests); default process.env. */
  env?: NodeJS.ProcessEnv;
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `--nodes cp,w1,w2`: node names, in role order, each once. */
export function parseNodesFlag(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new UsageError(`--nodes '${text}': expected node names separated by commas, e.g. --nodes kind-control-plane,kind-worker,kind-worker2`);
  }
  for (const n of names) {
    if (n.length > 253 || !SUBDOMAIN.test(n)) throw new UsageError(`--nodes: '${n}' is not a node name (lower-case letters, digits, '-' and '.')`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(`--nodes: '${dup}' is given twice; each lab role needs its own node`);
  return names;
}

export function checkNamespaceName(ns: string, flag = '--namespace'): string {
  if (ns.length > 63 || !LABEL.test(ns)) {
    throw new UsageError(`${flag} '${ns}': expected a namespace name: at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit`);
  }
  return ns;
}

export function checkImage(image: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/.test(image)) {
    throw new UsageError(`--debug-image '${image}': expected an image reference like ${KUBECONFIG_DEFAULTS.debugImage}`);
  }
  return image;
}

function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.USER || env.LOGNAME || userInfo().username;
  } catch {
    return 'user';
  }
}

/** hoplab-<user>, or hoplab-<user>-<lab> beside the default lab, as a valid namespace name. */
export function defaultNamespace(lab: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = KUBECONFIG_DEFAULTS.namespacePrefix;
  const suffix = lab === DEFAULT_LAB ? '' : `-${lab}`;
  const room = 63 - prefix.length - 1 - suffix.length;
  const user =
    currentUser(env)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, room)
      .replace(/-+$/, '') || 'user';
  return `${prefix}-${user}${suffix}`;
}

/** The user's kubeconfig files, as kubectl would read them: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function userKubeconfigFiles(choice: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const from = choice !== undefined ? '--kubeconfig' : env.KUBECONFIG ? '$KUBECONFIG' : '~/.kube/config';
  const raw = choice ?? env.KUBECONFIG ?? join(env.HOME || homedir(), '.kube', 'config');
  const files = raw.split(delimiter).filter(Boolean).map((f) => resolve(f));
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) {
    throw new UsageError(
      `no kubeconfig: ${from} names ${files.join(', ') || 'nothing'}, which does not exist`,
      'point hoplab at a cluster with --kubeconfig FILE (kind get kubeconfig > FILE, minikube update-context, gcloud/aws/az get-credentials write one)',
    );
  }
  return present;
}
