import { useCallback, useEffect, useRef, useState } from 'react';

/** AsyncState is the state of one request: loading, its data, or its error. */
export type AsyncState<T> =
  | { status: 'loading'; data: T | undefined; error: null }
  | { status: 'success'; data: T; error: null }
  | { status: 'error'; data: T | undefined; error: unknown };

function loading<T>(prev: AsyncState<T>): AsyncState<T> {
  return { status: 'loading', data: prev.data, error: null };
}

/**
 * useAsync runs `load` whenever `deps` change and on `reload()`, ignoring answers that
 * arrive after a newer request started. Previous data is kept while reloading.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: ReadonlyArray<unknown>) {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading', data: undefined, error: null });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  // New deps mean a new request: show it as loading in this render, not after it.
  const [seenDeps, setSeenDeps] = useState(deps);
  if (seenDeps.length !== deps.length || seenDeps.some((dep, i) => !Object.is(dep, deps[i]))) {
    setSeenDeps(deps);
    setState(loading);
  }

  useEffect(() => {
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'success', data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((prev) => ({ status: 'error', data: prev.data, error }));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);

  const reload = useCallback(() => {
    setState(loading);
    setNonce((n) => n + 1);
  }, []);
  return { ...state, reload, setData: (data: T) => setState({ status: 'success', data, error: null }) };
}
