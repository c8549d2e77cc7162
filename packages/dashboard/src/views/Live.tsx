// Live: the connection state and the changes received, newest first. Every other view updates
// in place from the same events.
import { useLive } from '../data/react';
import { type MessageKey, useT } from '../i18n';

export function LiveView() {
  const t = useT();
  const live = useLive();
  return (
    <>
      <h1 tabIndex={-1}>{t('live')}</h1>
      <p>
        {t('connection')}:{' '}
        <strong data-testid="live-state">{t(`state_${live.state}` as MessageKey)}</strong>
        {live.stateDetail && ` (${live.stateDetail})`}
      </p>
      <h2>{t('events')}</h2>
      {live.events.length === 0 ? (
        <p className="muted">{t('noEvents')}</p>
      ) : (
        <ol className="events" data-testid="events">
          {live.events.map((event) => (
            <li key={`${event.stream}-${event.cursor}`}>
              <time dateTime={event.at}>{new Date(event.at).toLocaleString('ja-JP')}</time>{' '}
              <span className="badge">{event.stream}</span>{' '}
              <span className={`badge kind ${event.kind}`}>{event.kind}</span> {event.summary}
              {!event.visible && <em> — {t('left')}</em>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
