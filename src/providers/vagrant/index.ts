// The vagrant provider's entry point for openProvider().
export { createVagrantProvider, type VagrantProvider, type VagrantProviderOptions } from './provider.js';
