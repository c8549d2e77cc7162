// React glue for the data layer: one HoshinData per (token, municipality), a hook for its
// live state, and useQuery, which refetches in place whenever the live layer says so.
import type { HoshinClient } from '@hoshin/client';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { LangContext, labelOf } from '../i18n';
import { HoshinData, isTokenRefusal } from './hoshin';

const DataContext = createContext<HoshinData | null>(null);

export function DataProvider(props: {
  token: string | undefined;
  municipality: string;
  children: ReactNode;
}) {
  const [data, setData] = useState<HoshinData | null>(null);
  useEffect(() => {
    const created = new HoshinData(props.token, props.municipality);
    setData(created);
    return () => created.close();
  }, [props.token, props.municipality]);
  if (!data) return null;
  return <DataContext.Provider value={data}>{props.children}</DataContext.Provider>;
}

export function useHoshin(): HoshinData {
  const data = useContext(DataContext);
  if (!data) throw new Error('useHoshin outside DataProvider');
  return data;
}

/** Re-renders on every live-state change (connection state, events, revision). */
export function useLive(): HoshinData {
  const data = useHoshin();
  useSyncExternalStore(data.subscribe, () => data.tick);
  return data;
}

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/**
 * Runs `load` and again whenever `deps` or the live revision change. The last result stays on
 * screen while a refetch runs, so a live update replaces text in place instead of flashing.
 */
export function useQuery<T>(
  load: (client: HoshinClient, signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): QueryState<T> {
  const data = useLive();
  const [state, setState] = useState<QueryState<T>>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const key = JSON.stringify(deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for deps; load is read through a ref.
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current(data.client, controller.signal).then(
      (result) => {
        if (!controller.signal.aborted)
          setState({ data: result, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        // A refused token: the data layer falls back to the public view and this refetches.
        if (isTokenRefusal(error) && data.tokenState === 'valid') return data.tokenRefused();
        setState((previous) => ({ data: previous.data, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, data.client, data.revision]);
  return state;
}

/** The API's label of an enum value, in the page's language. */
export function useLabel(): (enumName: string, value: string) => string {
  const data = useLive();
  const lang = useContext(LangContext);
  return (enumName, value) => labelOf(data.labels, lang, enumName, value);
}
