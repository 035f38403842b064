// vagrant/settings.yaml as hoplab reads it: the same fields, checks and
// HOPLAB_* overrides as vagrant/lib/settings.rb, so the provider knows the
// node names, addresses and sizes the Vagrantfile will build.
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { isCniMode, type CniMode } from '../../core/facts.js';

const ipv4 = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, 'an IPv4 address');
const cidr = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR like 10.244.0.0/16');
const positive = z.number().int().positive();

const schema = z.object({
  box: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  controlplane: z.object({ name: z.string().min(1), ip: ipv4, cpus: positive, memory: positive }),
  workers: z.object({
    count: z.number().int().min(0),
    name_prefix: z.string().min(1),
    ips: z.array(ipv4),
    cpus: positive,
    memory: positive,
  }),
  network: z.object({ host_only_cidr: cidr, pod_cidr: cidr, service_cidr: cidr }),
  kubernetes: z.object({
    version: z.string().regex(/^\d+\.\d+$/, 'a minor version like "1.35"'),
    package_version: z.string().regex(/^\d+\.\d+\.\d+-[\w.]+$/, 'a full package version like "1.35.4-1.1"'),
    sandbox_image: z.string().min(1),
    other_images: z.array(z.string().min(1)),
  }),
  cni: z.object({
    plugin: z.enum(['flannel', 'calico']),
    mode: z.string(),
    flannel_version: z.string().min(1),
    calico_version: z.string().min(1),
    calico_autodetect: z.enum(['interface', 'can-reach']),
  }),
  ansible: z.object({ local_pip_spec: z.string().min(1) }),
});

export interface VagrantNode {
  name: string;
  ip: string;
  role: 'controlplane' | 'worker';
  cpus: number;
  memoryMiB: number;
}

export interface VagrantSettings {
  file: string;
  box: string;
  boxVersion: string;
  nodes: VagrantNode[];
  hostOnlyCidr: string;
  podCidr: string;
  serviceCidr: string;
  kubernetesVersion: string;
  /** pkgs.k8s.io package version, e.g. 1.35.4-1.1; its first part is the Kubernetes release. */
  kubernetesPackageVersion: string;
  sandboxImage: string;
  /** What kubeadm runs besides kube-apiserver/-controller-manager/-scheduler/-proxy and the sandbox image. */
  otherImages: string[];
  flannelVersion: string;
  calicoVersion: string;
  cni: CniMode;
}

/** "1.35.4-1.1" → "v1.35.4", the release kubeadm installs. */
export function kubernetesRelease(s: Pick<VagrantSettings, 'kubernetesPackageVersion'>): string {
  return `v${s.kubernetesPackageVersion.split('-')[0]}`;
}

export interface SettingsOverrides {
  cni?: CniMode;
  workers?: number;
}

/** Parses settings text; `file` names the source in every error. */
export function parseSettings(text: string, file: string, overrides: SettingsOverrides = {}): VagrantSettings {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file });
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? `${file}:${mark.line + 1}:${mark.column + 1}` : file;
    throw new UsageError(`${where}: not valid YAML (${(err as { reason?: string }).reason ?? String(err)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new UsageError(`${file}: field '${field || '(top level)'}': ${issue.message}`);
  }
  const s = parsed.data;
  const cni = overrides.cni ?? `${s.cni.plugin}-${s.cni.mode}`;
  if (!isCniMode(cni)) {
    throw new UsageError(`${file}: cni.plugin/cni.mode '${cni}' is not a mode hoplab knows`, 'flannel: host-gw | vxlan; calico: ipip | vxlan | bgp');
  }
  if (!s.kubernetes.package_version.startsWith(`${s.kubernetes.version}.`)) {
    throw new UsageError(`${file}: field 'kubernetes.package_version' (${s.kubernetes.package_version}) is not a ${s.kubernetes.version}.x release`);
  }
  const count = overrides.workers ?? s.workers.count;
  if (!Number.isInteger(count) || count < 0) throw new UsageError(`workers: expected a whole number, got ${count}`);
  if (count > s.workers.ips.length) {
    throw new UsageError(
      `${file}: ${count} workers asked for but workers.ips lists only ${s.workers.ips.length} addresses`,
      `add addresses to workers.ips in ${file}`,
    );
  }
  const nodes: VagrantNode[] = [
    { name: s.controlplane.name, ip: s.controlplane.ip, role: 'controlplane', cpus: s.controlplane.cpus, memoryMiB: s.controlplane.memory },
    ...s.workers.ips.slice(0, count).map((ip, i) => ({
      name: `${s.workers.name_prefix}${i + 1}`,
      ip,
      role: 'worker' as const,
      cpus: s.workers.cpus,
      memoryMiB: s.workers.memory,
    })),
  ];
  return {
    file,
    box: s.box.name,
    boxVersion: s.box.version,
    nodes,
    hostOnlyCidr: s.network.host_only_cidr,
    podCidr: s.network.pod_cidr,
    serviceCidr: s.network.service_cidr,
    kubernetesVersion: s.kubernetes.version,
    kubernetesPackageVersion: s.kubernetes.package_version,
    sandboxImage: s.kubernetes.sandbox_image,
    otherImages: s.kubernetes.other_images,
    flannelVersion: s.cni.flannel_version,
    calicoVersion: s.cni.calico_version,
    cni,
  };
}

export async function loadSettings(file: string, overrides: SettingsOverrides = {}): Promise<VagrantSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read the vagrant lab's settings`, 'run hoplab from the project directory, or pass projectDir');
  }
  return parseSettings(text, file, overrides);
}

/** The environment the Vagrantfile reads its per-run overrides from (vagrant/lib/settings.rb). */
export function vagrantEnv(lab: string, settings: VagrantSettings): Record<string, string> {
  return {
    HOPLAB_LAB: lab,
    HOPLAB_CNI: settings.cni,
    HOPLAB_WORKERS: String(settings.nodes.length - 1),
  };
}
