/** The Kubernetes version the embedded lab's API and kubelets report. */
export const KUBE_VERSION = 'v1.31.0';
