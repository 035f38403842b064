// The kubeconfig provider's entry point for openProvider().
export { createKubeconfigProvider, type KubeconfigProvider } from './provider.js';
export { parseNodesFlag, checkImage, checkNamespaceName, type KubeconfigChoices, type KubeconfigProviderOptions } from './options.js';
