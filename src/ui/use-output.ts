// Subscribes a component to an OutputStore; re-renders follow the store's throttle.
import { useSyncExternalStore } from 'react';
import type { OutputStore } from './output-store.js';

export function useOutput(store: OutputStore): number {
  return useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
}
