// Protobuf field tables (k8s.io/api apps/v1 and core/v1 generated.proto)
// for the Deployment kubectl >= 1.32 sends as protobuf from `kubectl create
// deployment`: metadata, replicas, selector, and a pod template with the
// container fields it can set (name, image, command, args, ports, env).
import { OBJECT_META, type PbField, type PbSchema } from './protobuf.js';

const S = (name: string, extra: Partial<PbField> = {}): PbField => ({ name, type: 'string', ...extra });
const I = (name: string, keepZero = false): PbField => ({ name, type: 'int', ...(keepZero ? { keepZero } : {}) });

export const LABEL_SELECTOR: PbSchema = {
  1: { name: 'matchLabels', type: 'stringMap' },
  2: { name: 'matchExpressions', type: { 1: S('key'), 2: S('operator'), 3: S('values', { repeated: true }) }, repeated: true },
};

const CONTAINER_PORT: PbSchema = { 1: S('name'), 2: I('hostPort'), 3: I('containerPort'), 4: S('protocol'), 5: S('hostIP') };
const ENV_VAR: PbSchema = { 1: S('name'), 2: S('value') };

export const CONTAINER: PbSchema = {
  1: S('name'),
  2: S('image'),
  3: S('command', { repeated: true }),
  4: S('args', { repeated: true }),
  5: S('workingDir'),
  6: { name: 'ports', type: CONTAINER_PORT, repeated: true },
  7: { name: 'env', type: ENV_VAR, repeated: true },
  8: { name: 'resources', type: {}, keepZero: true },
  13: S('terminationMessagePath'),
  14: S('imagePullPolicy'),
  16: { name: 'stdin', type: 'bool' },
  17: { name: 'stdinOnce', type: 'bool' },
  18: { name: 'tty', type: 'bool' },
  20: S('terminationMessagePolicy'),
};

const TOLERATION: PbSchema = { 1: S('key'), 2: S('operator'), 3: S('value'), 4: S('effect'), 5: I('tolerationSeconds') };

export const POD_SPEC: PbSchema = {
  2: { name: 'containers', type: CONTAINER, repeated: true },
  3: S('restartPolicy'),
  4: I('terminationGracePeriodSeconds', true),
  6: S('dnsPolicy'),
  7: { name: 'nodeSelector', type: 'stringMap' },
  8: S('serviceAccountName'),
  10: S('nodeName'),
  11: { name: 'hostNetwork', type: 'bool' },
  16: S('hostname'),
  17: S('subdomain'),
  19: S('schedulerName'),
  20: { name: 'initContainers', type: CONTAINER, repeated: true },
  22: { name: 'tolerations', type: TOLERATION, repeated: true },
};

export const POD_TEMPLATE_SPEC: PbSchema = { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: POD_SPEC } };

const STRATEGY: PbSchema = { 1: S('type'), 2: { name: 'rollingUpdate', type: {} } };

export const DEPLOYMENT: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: {
    name: 'spec',
    type: {
      1: I('replicas', true),
      2: { name: 'selector', type: LABEL_SELECTOR },
      3: { name: 'template', type: POD_TEMPLATE_SPEC },
      4: { name: 'strategy', type: STRATEGY },
      5: I('minReadySeconds'),
      6: I('revisionHistoryLimit', true),
      7: { name: 'paused', type: 'bool' },
      9: I('progressDeadlineSeconds', true),
    },
  },
};

/** util/intstr.IntOrString as it decodes from protobuf; intOrString() turns it back into JSON's number or string. */
const INT_OR_STRING: PbSchema = { 1: I('type'), 2: I('intVal'), 3: S('strVal') };

export function intOrString(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = v as { type?: number; intVal?: number; strVal?: string };
  return o.type === 1 ? (o.strVal ?? '') : (o.intVal ?? 0);
}

const SERVICE_PORT: PbSchema = {
  1: S('name'),
  2: S('protocol'),
  3: I('port'),
  4: { name: 'targetPort', type: INT_OR_STRING },
  5: I('nodePort'),
  6: S('appProtocol'),
};

export const SERVICE: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: {
    name: 'spec',
    type: {
      1: { name: 'ports', type: SERVICE_PORT, repeated: true },
      2: { name: 'selector', type: 'stringMap' },
      3: S('clusterIP'),
      4: S('type'),
      5: S('externalIPs', { repeated: true }),
      7: S('sessionAffinity'),
      10: S('externalName'),
      11: S('externalTrafficPolicy'),
      13: { name: 'publishNotReadyAddresses', type: 'bool' },
      17: S('ipFamilyPolicy'),
      18: S('clusterIPs', { repeated: true }),
      19: S('ipFamilies', { repeated: true }),
      22: S('internalTrafficPolicy'),
    },
  },
};
