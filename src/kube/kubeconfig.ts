// The lab's kubeconfig: one cluster (the API's URL and its CA), one token
// user, one context whose namespace is default. Written owner-only (0600)
// because it holds the token.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import yaml from 'js-yaml';

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the API's serving certificate (KubeApi.caCert). */
  certificateAuthority: string;
  token: string;
  clusterName: string;
  context: string;
}

export function kubeconfigText(spec: KubeconfigSpec): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: spec.clusterName,
        cluster: { server: spec.server, 'certificate-authority-data': Buffer.from(spec.certificateAuthority).toString('base64') },
      },
    ],
    users: [{ name: spec.context, user: { token: spec.token } }],
    contexts: [{ name: spec.context, context: { cluster: spec.clusterName, user: spec.context, namespace: 'default' } }],
    'current-context': spec.context,
    preferences: {},
  };
  return yaml.dump(config, { lineWidth: -1 });
}

export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, kubeconfigText(spec), { mode: 0o600 });
  await chmod(tmp, 0o600); // the umask cannot widen it, but an existing file's mode could
  await rename(tmp, path);
}
