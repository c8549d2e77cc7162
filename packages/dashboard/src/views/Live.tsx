// Live: the connection state and the changes received, newest first, in the API's own labels.
// Every other view updates in place from the same events.
import { useLabel, useLive } from '../data/react';
import { type MessageKey, useT } from '../i18n';

const STREAM_LABEL: Record<string, MessageKey> = {
  plan: 'plans',
  initiative: 'initiatives',
  evaluation: 'evaluation',
};

export function LiveView() {
  const t = useT();
  const live = useLive();
  const label = useLabel();
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
            <li key={`${event.stream}-${event.cursor}`} data-testid="event">
              <time dateTime={event.at}>
                {new Date(event.at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}
              </time>{' '}
              <span className="badge">{t(STREAM_LABEL[event.stream] ?? 'plans')}</span>{' '}
              <span className={`badge kind ${event.kind}`} data-testid="event-kind">
                {label('LiveEventKind', event.kind)}
              </span>{' '}
              <span data-testid="event-name">{event.summary || t('noStreamName')}</span>
              {event.value && (
                <span className="badge"> {label(event.value.enum, event.value.value)}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
