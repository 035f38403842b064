// The fields each served kind declares (k8s.io/api), for field validation:
// kubectl >= 1.27 asks for fieldValidation=Strict, and a misspelt field such
// as `imagePulPolicy` is refused with the apiserver's message instead of being
// dropped. A schema is a tree of known field names; ANY accepts whatever is
// below (maps such as labels, free-form objects, status), arrays are checked
// element by element against the same tree.
import type { KubeObject } from './runtime.js';

export const ANY = true;
export type Schema = typeof ANY | { [field: string]: Schema };

const fields = (names: string, extra: Record<string, Schema> = {}): Record<string, Schema> => ({
  ...Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, ANY])),
  ...extra,
});

const OBJECT_META = fields(
  'name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields',
);
const LABEL_SELECTOR = fields('matchLabels', { matchExpressions: fields('key operator values') });
const KEY_REF = fields('name key optional');
const ENV_VAR = fields('name value', {
  valueFrom: fields('', {
    configMapKeyRef: KEY_REF,
    secretKeyRef: KEY_REF,
    fieldRef: fields('apiVersion fieldPath'),
    resourceFieldRef: fields('containerName resource divisor'),
  }),
});
const PROBE = fields(
  'exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds',
);
const CONTAINER = fields(
  'name image command args workingDir resources resizePolicy restartPolicy lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty',
  {
    ports: fields('name hostPort containerPort protocol hostIP'),
    env: ENV_VAR,
    envFrom: fields('prefix', { configMapRef: fields('name optional'), secretRef: fields('name optional') }),
    volumeMounts: fields('name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr'),
    volumeDevices: fields('name devicePath'),
    livenessProbe: PROBE,
    readinessProbe: PROBE,
    startupProbe: PROBE,
  },
);
const KEY_TO_PATH = fields('key path mode');
const VOLUME = fields(
  'name hostPath emptyDir gcePersistentDisk awsElasticBlockStore gitRepo nfs iscsi glusterfs persistentVolumeClaim rbd flexVolume cinder cephfs flocker downwardAPI fc azureFile vsphereVolume quobyte azureDisk photonPersistentDisk projected portworxVolume scaleIO storageos csi ephemeral image',
  {
    configMap: fields('name defaultMode optional', { items: KEY_TO_PATH }),
    secret: fields('secretName defaultMode optional', { items: KEY_TO_PATH }),
  },
);
const POD_SPEC = fields(
  'restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources',
  { volumes: VOLUME, containers: CONTAINER, initContainers: CONTAINER, ephemeralContainers: CONTAINER },
);
const POD_TEMPLATE = fields('', { metadata: OBJECT_META, spec: POD_SPEC });
const TOP = (extra: Record<string, Schema>) => fields('apiVersion kind status', { metadata: OBJECT_META, ...extra });

const SCHEMAS: Record<string, Schema> = {
  Pod: TOP({ spec: POD_SPEC }),
  Service: TOP({
    spec: fields(
      'clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution selector',
      { ports: fields('name protocol appProtocol port targetPort nodePort') },
    ),
  }),
  Deployment: TOP({
    spec: fields('replicas minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds', {
      selector: LABEL_SELECTOR,
      template: POD_TEMPLATE,
      strategy: fields('type', { rollingUpdate: fields('maxUnavailable maxSurge') }),
    }),
  }),
  ReplicaSet: TOP({ spec: fields('replicas minReadySeconds', { selector: LABEL_SELECTOR, template: POD_TEMPLATE }) }),
  ConfigMap: TOP({ data: ANY, binaryData: ANY, immutable: ANY }),
  Secret: TOP({ data: ANY, stringData: ANY, type: ANY, immutable: ANY }),
  Namespace: TOP({ spec: fields('finalizers') }),
  ServiceAccount: TOP({ secrets: ANY, imagePullSecrets: ANY, automountServiceAccountToken: ANY }),
  NetworkPolicy: TOP({ spec: fields('ingress egress policyTypes', { podSelector: LABEL_SELECTOR }) }),
};

/**
 * The unknown fields of `obj` as the apiserver names them (spec.containers[0].imagePulPolicy),
 * and `obj` without them: under Warn and Ignore the apiserver drops them, it never stores them.
 * Nothing is unknown for a kind with no schema.
 */
export function splitUnknownFields(kind: string, obj: KubeObject): { unknown: string[]; known: KubeObject } {
  const schema = SCHEMAS[kind];
  if (!schema) return { unknown: [], known: obj };
  const unknown: string[] = [];
  const walk = (value: unknown, s: Schema, path: string): unknown => {
    if (s === ANY || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, s, `${path}[${i}]`));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (!(k in s)) unknown.push(here);
      else out[k] = walk(v, s[k]!, here);
    }
    return out;
  };
  const known = walk(obj, schema, '') as KubeObject;
  return { unknown, known: unknown.length ? known : obj };
}
