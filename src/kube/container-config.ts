// What kubelet works out before it starts a container: its environment (the
// service links of the pod's namespace, then env and envFrom with ConfigMap,
// Secret and field references, $(VAR) expanded) and the files of its
// ConfigMap, Secret and emptyDir volumes. A missing object or key is the
// error kubelet reports as CreateContainerConfigError. Pure: the objects come
// from a ConfigSource.
import type { ConfigSource, KubeObject } from './runtime.js';
export type { ConfigSource } from './runtime.js';

/** Values the runtime knows only once the sandbox exists (status.podIP, status.hostIP). */
export type FieldValues = Record<string, string>;

export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

const envName = (svc: string) => svc.toUpperCase().replace(/-/g, '_');

/** kubelet's service links (Docker-links style) for one Service. */
export function serviceEnv(svc: KubeObject): [string, string][] {
  const ip: string | undefined = svc.spec?.clusterIP;
  if (!ip || ip === 'None') return [];
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ports.length) return [];
  const n = envName(svc.metadata.name);
  const out: [string, string][] = [[`${n}_SERVICE_HOST`, ip], [`${n}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${n}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  const proto0 = String(ports[0].protocol ?? 'TCP').toLowerCase();
  out.push([`${n}_PORT`, `${proto0}://${ip}:${ports[0].port}`]);
  for (const p of ports) {
    const proto = String(p.protocol ?? 'TCP');
    const prefix = `${n}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([prefix, `${proto.toLowerCase()}://${ip}:${p.port}`], [`${prefix}_PROTO`, proto.toLowerCase()], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  }
  return out;
}

/** $(VAR) references replaced from `vars`; $$ escapes, an unknown reference stays as written (Kubernetes' expansion). */
export function expand(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([-._a-zA-Z0-9]+)\)/g, (m, name?: string) => {
    if (m === '$$') return '$';
    return vars.has(name!) ? vars.get(name!)! : m;
  });
}

function fieldValue(pod: KubeObject, path: string, fields: FieldValues): string | undefined {
  if (fields[path] !== undefined) return fields[path];
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return pod.metadata?.[label[1]!]?.[label[2]!] ?? '';
  const known: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace ?? 'default',
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? 'default',
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
  };
  return path in known ? (known[path] ?? '') : undefined;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** The container's environment in kubelet's order; later entries win, as in the process environment. */
export function containerEnv(pod: KubeObject, container: KubeObject, src: ConfigSource, fields: FieldValues = {}): Resolved<[string, string][]> {
  const ns: string = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  const links = pod.spec?.enableServiceLinks === false ? src.services(ns).filter((s) => s.metadata.namespace !== ns) : src.services(ns);
  for (const s of links) for (const [k, v] of serviceEnv(s)) vars.set(k, v);
  for (const from of (container.envFrom ?? []) as any[]) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    const obj = from.configMapRef ? src.configMap(ns, ref?.name) : src.secret(ns, ref?.name);
    if (!obj) {
      if (ref?.optional) continue;
      return { ok: false, error: `${kind} "${ref?.name}" not found` };
    }
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
      vars.set(`${from.prefix ?? ''}${k}`, from.secretRef ? decode(v) : v);
    }
  }
  for (const e of (container.env ?? []) as any[]) {
    if (e.value !== undefined) {
      vars.set(e.name, expand(String(e.value), vars));
      continue;
    }
    const vf = e.valueFrom ?? {};
    if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      const isCm = Boolean(vf.configMapKeyRef);
      const obj = isCm ? src.configMap(ns, ref.name) : src.secret(ns, ref.name);
      if (!obj) {
        if (ref.optional) continue;
        return { ok: false, error: `${isCm ? 'configmap' : 'secret'} "${ref.name}" not found` };
      }
      const raw = obj.data?.[ref.key];
      if (raw === undefined) {
        if (ref.optional) continue;
        return { ok: false, error: `couldn't find key ${ref.key} in ${isCm ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}` };
      }
      vars.set(e.name, isCm ? raw : decode(raw));
    } else if (vf.fieldRef) {
      const v = fieldValue(pod, vf.fieldRef.fieldPath, fields);
      if (v === undefined) return { ok: false, error: `unsupported fieldPath: ${vf.fieldRef.fieldPath}` };
      vars.set(e.name, v);
    } else {
      vars.set(e.name, '');
    }
  }
  return { ok: true, value: [...vars] };
}

/** The container's command line with $(VAR) references expanded from its environment. */
export function expandArgv(argv: string[], env: [string, string][]): string[] {
  const vars = new Map(env);
  return argv.map((a) => expand(a, vars));
}

export interface VolumeContent {
  /** Files relative to the volume's root (ConfigMap and Secret volumes); absent for an emptyDir. */
  files?: Record<string, Buffer>;
  readOnly: boolean;
}

/** The content of the pod's volumes, by volume name; volume kinds the lab does not provide are left out. */
export function podVolumes(pod: KubeObject, src: ConfigSource): Resolved<Record<string, VolumeContent>> {
  const ns: string = pod.metadata?.namespace ?? 'default';
  const out: Record<string, VolumeContent> = {};
  for (const v of (pod.spec?.volumes ?? []) as any[]) {
    if (v.emptyDir) {
      out[v.name] = { readOnly: false };
      continue;
    }
    const cm = v.configMap;
    const sec = v.secret;
    if (!cm && !sec) continue;
    const name: string = cm ? cm.name : sec.secretName;
    const obj = cm ? src.configMap(ns, name) : src.secret(ns, name);
    const optional = (cm ?? sec).optional === true;
    if (!obj) {
      if (optional) {
        out[v.name] = { files: {}, readOnly: true };
        continue;
      }
      return { ok: false, error: `MountVolume.SetUp failed for volume "${v.name}" : ${cm ? 'configmap' : 'secret'} "${name}" not found` };
    }
    const data: Record<string, Buffer> = {};
    for (const [k, val] of Object.entries((obj.data ?? {}) as Record<string, string>)) data[k] = cm ? Buffer.from(val, 'utf8') : Buffer.from(val, 'base64');
    for (const [k, val] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) data[k] = Buffer.from(val, 'base64');
    const items: any[] | undefined = (cm ?? sec).items;
    const files: Record<string, Buffer> = {};
    if (items?.length) {
      for (const it of items) {
        if (data[it.key] === undefined) {
          if (optional) continue;
          return { ok: false, error: `MountVolume.SetUp failed for volume "${v.name}" : configmap references non-existent config key: ${it.key}` };
        }
        files[it.path] = data[it.key]!;
      }
    } else Object.assign(files, data);
    out[v.name] = { files, readOnly: true };
  }
  return { ok: true, value: out };
}
