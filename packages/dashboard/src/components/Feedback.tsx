// A citizen's opinion on a published plan (submitFeedback): the moderation notice first, the
// outcome in the page's language, the text kept when sending fails.
import { type FormEvent, useId, useState } from 'react';
import { SubmitFeedbackDocument } from '../data/documents';
import { useHoshin } from '../data/react';
import { useT } from '../i18n';

export function FeedbackForm({ plan }: { plan: string }) {
  const t = useT();
  const hoshin = useHoshin();
  const id = useId();
  const [body, setBody] = useState('');
  const [email, setEmail] = useState('');
  const [outcome, setOutcome] = useState<{ ok?: boolean; message?: string }>({});
  const send = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { submitFeedback } = await hoshin.client.request(SubmitFeedbackDocument, {
        input: { plan, body, ...(email.trim() ? { contactEmail: email.trim() } : {}) },
      });
      if (submitFeedback.__typename === 'SubmitFeedbackSuccess') {
        setBody('');
        setEmail('');
        setOutcome({ ok: true, message: t('feedbackSent') });
      } else if (submitFeedback.__typename === 'RateLimitedError')
        setOutcome({ message: t('rateLimited') });
      else if (submitFeedback.__typename === 'ValidationError')
        setOutcome({ message: t('invalidInput') });
      else setOutcome({ message: t('forbidden') });
    } catch {
      setOutcome({ message: t('networkError') });
    }
  };
  return (
    <details className="feedback">
      <summary>{t('feedback')}</summary>
      <p className="muted" id={`${id}-notice`}>
        {t('feedbackNotice')}
      </p>
      <form onSubmit={send} data-testid="feedback-form">
        <label htmlFor={`${id}-body`}>{t('feedbackBody')}</label>
        <textarea
          id={`${id}-body`}
          value={body}
          maxLength={2000}
          required
          rows={3}
          aria-describedby={`${id}-notice`}
          onChange={(e) => setBody(e.target.value)}
        />
        <label htmlFor={`${id}-email`}>{t('feedbackEmail')}</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <button type="submit">{t('send')}</button>{' '}
        {outcome.message && (
          <span
            role={outcome.ok ? 'status' : 'alert'}
            className={outcome.ok ? 'ok' : 'error'}
            data-testid="feedback-outcome"
          >
            {outcome.message}
          </span>
        )}
      </form>
    </details>
  );
}
