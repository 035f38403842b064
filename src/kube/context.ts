// What the request handlers share: the store, the resource table, the
// controllers and the runtime, plus the open streams `close()` must end.
import type { PodRuntime } from './runtime.js';
import type { Registry, ResourceDef } from './resources.js';
import type { Store } from './store.js';
import type { PodController } from './pod-controller.js';
import type { NamespaceController } from './namespace-controller.js';

export interface ApiContext {
  store: Store;
  registry: Registry;
  runtime: PodRuntime;
  pods: PodController;
  namespaces: NamespaceController;
  log: (line: string) => void;
  /** Long-lived responses and upgraded connections, ended when the server closes. */
  streams: Set<{ close(): void }>;
}

/** One request's resource, as the router resolved it from the URL. */
export interface ResourceRequest {
  def: ResourceDef;
  namespace: string;
  name?: string;
  subresource?: string;
  watchPrefix: boolean;
}
