// The vagrant provider's tunables, kept as data in defaults.json beside this file.
import defaults from './defaults.json' with { type: 'json' };

export interface VagrantDefaults {
  vagrantDir: string;
  settingsFile: string;
  snapshotName: string;
  virtualBox: {
    hostOnlyRestrictedSince: string;
    defaultAllowedRanges: string[];
    networksConf: string;
    hostOnlyInterfacePrefix: string;
    /** VirtualBox major.minor → the first Vagrant release that drives it. */
    vagrantNeededFor: Record<string, string>;
  };
  /** The oldest ansible-core the roles run on (checked against the roles by test/integration/vagrant-files.test.ts). */
  ansible: { minCoreVersion: string; why: string };
  memoryHeadroomMiB: number;
  /** clusterReady: after VMs that existed were started, how long the API, the nodes and the CNI may take. */
  timeoutsMs: { up: number; provision: number; command: number; status: number; snapshot: number; destroy: number; clusterReady: number; imageFetch: number };
  /**
   * hoplab vagrant prepare: where the CNI release manifests come from (the
   * same URLs as the cni roles' defaults), and the images the labs run.
   */
  bundle: { manifestUrls: Record<'flannel' | 'calico', string>; labImages: string[] };
  /** How often to ask a starting API server whether it answers. */
  apiPollMs: number;
  ssh: { controlPersistSeconds: number };
}

export const VAGRANT_DEFAULTS: VagrantDefaults = defaults;
