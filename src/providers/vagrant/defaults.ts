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
  timeoutsMs: { up: number; provision: number; command: number; status: number; snapshot: number; destroy: number };
  ssh: { controlPersistSeconds: number };
}

export const VAGRANT_DEFAULTS: VagrantDefaults = defaults;
