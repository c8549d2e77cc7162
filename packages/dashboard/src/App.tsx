import { useEffect, useRef, useState } from 'react';
import { loadMunicipalities } from './data/queries';
import { DataProvider, useLive, useQuery } from './data/react';
import { type Lang, LangContext, type MessageKey, useT } from './i18n';
import { href, PAGES, useRoute } from './route';
import { BrowseView } from './views/Browse';
import { CompareView } from './views/Compare';
import { LiveView } from './views/Live';
import { SearchView } from './views/Search';
import { StaffView } from './views/Staff';
import { SummaryView } from './views/Summary';

const TOKEN_KEY = 'hoshin.token';
const LANG_KEY = 'hoshin.lang';
const DEFAULT_MUNICIPALITY = '132047';

export function App() {
  const [lang, setLang] = useState<Lang>(() =>
    localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ja',
  );
  const [token, setToken] = useState<string | undefined>(
    () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  );
  const route = useRoute();
  const municipality = route.params.get('m') ?? DEFAULT_MUNICIPALITY;
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);
  const changeToken = (next: string | undefined) => {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(next);
  };
  return (
    <LangContext.Provider value={lang}>
      <DataProvider token={token} municipality={municipality}>
        <Shell
          municipality={municipality}
          token={token}
          onToken={changeToken}
          onLang={() => setLang(lang === 'ja' ? 'en' : 'ja')}
        />
      </DataProvider>
    </LangContext.Provider>
  );
}

function Shell(props: {
  municipality: string;
  token: string | undefined;
  onToken: (token: string | undefined) => void;
  onLang: () => void;
}) {
  const t = useT();
  const route = useRoute();
  const live = useLive();
  const municipalities = useQuery((client, signal) => loadMunicipalities(client, signal), []);
  const keep = { m: props.municipality, y: route.params.get('y') ?? undefined };
  // Each view names itself in the window title; moving to another view moves focus to its
  // heading, so a screen reader and a keyboard start there (not on the first load).
  const viewName = t(route.page as MessageKey);
  useEffect(() => {
    document.title = `${viewName} | ${t('title')}`;
  }, [viewName, t]);
  const shownPage = useRef(route.page);
  useEffect(() => {
    if (shownPage.current === route.page) return;
    shownPage.current = route.page;
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route.page]);
  return (
    <>
      {/* The hash is the router's: the skip link moves focus itself instead of navigating. */}
      <button
        type="button"
        className="skip"
        onClick={() => document.getElementById('main')?.focus()}
      >
        {t('skipToContent')}
      </button>
      <header className="top">
        <div className="brand">
          <strong>{t('title')}</strong>
          <label>
            <span className="sr-only">{t('municipality')}</span>
            <select
              aria-label={t('municipality')}
              value={props.municipality}
              onChange={(event) => {
                window.location.hash = href(route.page, { m: event.target.value });
              }}
            >
              {(
                municipalities.data ?? [{ code: props.municipality, name: props.municipality }]
              ).map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <nav aria-label="pages">
          {PAGES.map((page) => (
            <a
              key={page}
              href={href(page, keep)}
              aria-current={route.page === page ? 'page' : undefined}
            >
              {t(page as MessageKey)}
            </a>
          ))}
        </nav>
        <div className="tools">
          <span
            className={`connection ${live.state}`}
            data-testid="connection"
            data-state={live.state}
            title={live.stateDetail}
          >
            <span aria-hidden="true">●</span> {t(`state_${live.state}` as MessageKey)}
          </span>
          <ConnectionAnnouncer state={live.state} />
          {props.token && live.tokenState === 'invalid' ? (
            <span className="badge error" role="alert" data-testid="token-invalid-badge">
              {t('tokenInvalidShort')}
            </span>
          ) : (
            props.token && <span className="badge token">{t('usingToken')}</span>
          )}
          <button
            type="button"
            onClick={props.onLang}
            lang={t('language') === 'English' ? 'en' : 'ja'}
          >
            {t('language')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.token && live.tokenState === 'invalid' && route.page !== 'staff' && (
          <p className="error" data-testid="token-invalid-note">
            {t('tokenInvalid')}
          </p>
        )}
        {route.page === 'browse' && <BrowseView municipality={props.municipality} />}
        {route.page === 'search' && <SearchView municipality={props.municipality} />}
        {route.page === 'compare' && <CompareView municipality={props.municipality} />}
        {route.page === 'summary' && <SummaryView municipality={props.municipality} />}
        {route.page === 'live' && <LiveView />}
        {route.page === 'staff' && (
          <StaffView
            municipality={props.municipality}
            token={props.token}
            onToken={props.onToken}
          />
        )}
      </main>
    </>
  );
}

/**
 * Says the connection's state to screen readers when it changes after the page first went
 * live (a drop, a recovery), not at every page load.
 */
function ConnectionAnnouncer({ state }: { state: string }) {
  const t = useT();
  const [message, setMessage] = useState('');
  const seenLive = useRef(false);
  const last = useRef(state);
  useEffect(() => {
    if (state === last.current) return;
    last.current = state;
    if (state === 'live' && !seenLive.current) {
      seenLive.current = true;
      return;
    }
    if (seenLive.current) setMessage(`${t('connection')}: ${t(`state_${state}` as MessageKey)}`);
  }, [state, t]);
  return (
    <span className="sr-only" aria-live="polite" data-testid="connection-announcer">
      {message}
    </span>
  );
}
