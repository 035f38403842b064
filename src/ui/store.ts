// A tiny external store: the app's state lives outside React, so Ink can be
// unmounted while a shell has the terminal and mounted again on the same
// state, and controllers (plain functions) can dispatch from anywhere.
export interface Store<S, A> {
  get(): S;
  dispatch(action: A): void;
  subscribe(fn: () => void): () => void;
}

export function createStore<S, A>(reducer: (s: S, a: A) => S, initial: S): Store<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const fn of listeners) fn();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
