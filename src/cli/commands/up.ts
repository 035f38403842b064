import { DEFAULT_CNI } from '../../core/cni-modes.js';
import { nameFlag } from '../../core/lab-name.js';
import { cniMode, intOption, parse, type Parsed, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../../core/errors.js';
import { openProvider, type ProviderChoices } from '../../providers/index.js';
import type { Refusals } from '../../providers/provider.js';
import { rememberProvider } from '../../providers/remembered.js';
import { progressPrinter } from '../print/progress.js';
import { parseProxyMode } from '../../providers/netns/proxy-mode.js';
import { hoplabCmd } from '../../core/suggest.js';

const KUBECONFIG_FLAGS = ['kubeconfig', 'context', 'nodes', 'namespace', 'debug-image'] as const;

/** --kubeconfig, --context, --nodes, --namespace, --debug-image: for --provider kubeconfig only. */
async function kubeconfigChoices(values: Parsed['values']): Promise<ProviderChoices> {
  const given = KUBECONFIG_FLAGS.filter((f) => values[f] !== undefined);
  if (given.length === 0) return {};
  const k = await import('../../providers/kubeconfig/index.js');
  const v = (f: (typeof KUBECONFIG_FLAGS)[number]) => values[f] as string | undefined;
  return {
    kubeconfig: {
      ...(v('kubeconfig') ? { kubeconfig: v('kubeconfig') } : {}),
      ...(v('context') ? { context: v('context') } : {}),
      ...(v('nodes') !== undefined ? { nodes: k.parseNodesFlag(v('nodes')!) } : {}),
      ...(v('namespace') !== undefined ? { namespace: k.checkNamespaceName(v('namespace')!) } : {}),
      ...(v('debug-image') !== undefined ? { debugImage: k.checkImage(v('debug-image')!) } : {}),
    },
  };
}

export const up: Command = {
  name: 'up',
  usage:
    'up [--cni MODE] [--workers N] [--lan] [--provider P] [--name LAB]\n' +
    '   --lan adds the office LAN (netns): office-pc behind office-gw, branch-pc behind branch-gw and corp-gw\n' +
    "   --proxy-mode iptables|ipvs: kube-proxy's mode (netns; ipvs needs the kernel's IPVS)\n" +
    '   --provider kubeconfig [--kubeconfig FILE] [--context NAME] [--nodes CP,W1,W2] [--namespace NS] [--debug-image IMAGE]\n' +
    "   --provider vagrant [--workers 0..3] [--bundle DIR]: DIR from 'hoplab vagrant prepare --out DIR' (images, box, manifests)",
  async run(argv, io) {
    const { values } = parse(
      'up',
      argv,
      {
        workers: { type: 'string' },
        'proxy-mode': { type: 'string' },
        lan: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        nodes: { type: 'string' },
        namespace: { type: 'string' },
        'debug-image': { type: 'string' },
        bundle: { type: 'string' },
      },
      false,
    );
    const cni = cniMode(values) ?? DEFAULT_CNI;
    // The vagrant lab can be a lone control plane; the others need workers.
    const vagrantAsked = (values.provider ?? process.env.HOPLAB_PROVIDER) === 'vagrant';
    const workers = intOption(values, 'workers', vagrantAsked ? 0 : 1, 50) ?? 2;
    const proxyMode = parseProxyMode(values['proxy-mode'] as string | undefined);
    const lan = values.lan === true;
    const choices = await kubeconfigChoices(values);
    if (values.bundle !== undefined) {
      if (!vagrantAsked) throw new UsageError('--bundle: only for the vagrant lab', 'add --provider vagrant');
      choices.vagrant = { bundle: values.bundle as string };
    }
    const provider = await openProvider(providerPick(values), choices);
    if (choices.kubeconfig && !provider.existing) {
      const flags = KUBECONFIG_FLAGS.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
      throw new UsageError(`${flags.join(', ')}: only for an existing cluster`, `add --provider kubeconfig`);
    }
    const started = Date.now();
    const stepsThatRun = async (why: Refusals) => {
      const [{ loadCatalog, labDirs }, { stepsThatRunLines }] = await Promise.all([import('../../labs/catalog.js'), import('../../labs/step-access.js')]);
      return stepsThatRunLines((await loadCatalog(labDirs())).labs, why);
    };
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await provider.up({ cni, workers, ...(lan ? { lan } : {}), ...(proxyMode ? { proxyMode } : {}), signal: abort.signal, onEvent: progressPrinter(io.stdout, started), stepsThatRun });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    await rememberProvider(provider.lab, provider.name);
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    const lab = nameFlag(provider.lab);
    let what = `${cni}, ${workers + 1} nodes`;
    // An existing cluster: what was found, not what the flags' defaults say.
    const found = await provider.existing?.found();
    if (found) {
      what = found.summary;
      if (values.cni !== undefined && values.cni !== found.cni) {
        io.stdout.write(`note: --cni ${values.cni} was asked for, but this cluster runs ${found.cni}: an existing cluster is used as it is\n`);
      }
    }
    if (lan && !provider.buildsOfficeLan) {
      io.stdout.write(`--lan: the ${provider.name} lab builds no office LAN; its office is this machine on the host-only network ('${hoplabCmd(provider.lab, 'run office-lan')}' shows the route to add)\n`);
    } else if (lan) {
      io.stdout.write(`office LAN: hoplab${lab} ssh office-pc (also office-gw, branch-pc, branch-gw, corp-gw; hoplab${lab} status lists them)\n`);
    }
    io.stdout.write(
      `lab '${provider.lab}' is up in ${secs}s: ${provider.name}, ${what}\n` +
        `next: hoplab${lab} kubectl get nodes -o wide   ·   hoplab${lab} ssh node-1   ·   hoplab${lab} run pod-to-pod\n`,
    );
    return 0;
  },
};
