import { useSyncExternalStore } from 'react';
import type { Store } from './store.js';

export function useStore<S, A>(store: Store<S, A>): S {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
