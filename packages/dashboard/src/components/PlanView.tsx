// One department's plan laid out as 広報みたか prints it: ① mission, ② staff and budget, ③ policy
// and the 個別事業 in order (☞ for 行革推進事業, ※ notes under their project). Texts as stored.
// Beside the print layout, what the API knows of each project: its evaluation (rating, progress,
// summary) and its targets with their status and the rule's reason, in the API's own labels.
import type { PlanInFull, TargetOf } from '../data/queries';
import { useLabel } from '../data/react';
import { useLang, useT } from '../i18n';
import { FeedbackForm } from './Feedback';

type Initiative = PlanInFull['initiatives']['edges'][number]['node'];

export function PlanView({
  plan,
  changed,
  targets,
}: {
  plan: PlanInFull;
  changed?: ReadonlySet<string>;
  targets?: ReadonlyMap<string, TargetOf[]>;
}) {
  const t = useT();
  const lang = useLang();
  const name =
    lang === 'en' && plan.department.nameEn ? plan.department.nameEn : plan.department.name;
  // What the source leaves out is said once, not under each heading.
  const missing = [
    plan.mission == null && t('mission'),
    plan.staffCount == null && plan.budgetYen == null && t('resources'),
  ].filter((part): part is string => Boolean(part));
  const resources = plan.staffCount != null || plan.budgetYen != null;
  return (
    <article
      className="plan"
      data-testid="plan"
      data-department={plan.department.code}
      aria-labelledby={`plan-${plan.id}`}
    >
      <h2 id={`plan-${plan.id}`}>
        <span data-testid="department-name">{name}</span>{' '}
        <small>{lang === 'en' ? plan.fiscalYear.labelEn : plan.fiscalYear.label}</small>
        {plan.status !== 'PUBLISHED' && <span className="badge draft">{t('draft')}</span>}
      </h2>
      {missing.length > 0 && (
        <p className="muted" data-testid="not-stated">
          {t('notStatedParts')}: {missing.join('、')}
        </p>
      )}
      {plan.mission != null && (
        <section>
          <h3>{t('mission')}</h3>
          <p className="stored" data-testid="mission">
            {plan.mission}
          </p>
        </section>
      )}
      {resources && (
        <section>
          <h3>{t('resources')}</h3>
          <dl className="resources">
            <dt>{t('staffCount')}</dt>
            <dd>
              {plan.staffCount == null
                ? '—'
                : `${plan.staffCount.toLocaleString('ja-JP')}${t('people')}`}
            </dd>
            <dt>{t('budget')}</dt>
            <dd>
              {plan.budgetYen == null
                ? '—'
                : `${plan.budgetYen.toLocaleString('ja-JP')}${t('yen')}`}
            </dd>
          </dl>
        </section>
      )}
      <section>
        <h3>{t('policy')}</h3>
        {plan.policy && (
          <p className="stored" data-testid="policy">
            {plan.policy}
          </p>
        )}
        <ol className="initiatives">
          {plan.initiatives.edges.map(({ node }) => (
            <li
              key={node.id}
              data-testid="initiative"
              className={changed?.has(node.id) ? 'changed' : undefined}
            >
              {node.isAdministrativeReform && (
                <span className="reform" role="img" aria-label={t('reform')}>
                  ☞
                </span>
              )}
              <span className="stored" data-testid="initiative-text">
                {node.text}
              </span>
              {node.footnotes.map((note) => (
                <p className="footnote" key={note}>
                  ※<span data-testid="footnote">{note}</span>
                </p>
              ))}
              <Achievement initiative={node} targets={targets?.get(node.id) ?? []} />
            </li>
          ))}
        </ol>
      </section>
      <p className="muted updated" data-testid="updated">
        {t('lastUpdated')}:{' '}
        <time dateTime={plan.updatedAt}>
          {new Date(plan.updatedAt).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
            timeZone: 'Asia/Tokyo',
          })}
        </time>
      </p>
      {plan.status === 'PUBLISHED' && <FeedbackForm plan={plan.id} />}
    </article>
  );
}

/** The evaluation and the targets of one project, as far as the viewer may see them. */
function Achievement({ initiative, targets }: { initiative: Initiative; targets: TargetOf[] }) {
  const t = useT();
  const label = useLabel();
  const { evaluation } = initiative;
  if (!evaluation && targets.length === 0) return null;
  return (
    <div className="achievement" data-testid="achievement">
      {evaluation && (
        <p data-testid="evaluation">
          {evaluation.rating && (
            <span className={`badge rating ${evaluation.rating}`} data-testid="rating">
              {label('AchievementRating', evaluation.rating)}
            </span>
          )}
          {evaluation.progressPercent != null && (
            <span>
              {' '}
              {t('progress')} {evaluation.progressPercent}%
            </span>
          )}
          {evaluation.summary && <span className="stored"> {evaluation.summary}</span>}
          {evaluation.whitePaper && (
            <>
              {' '}
              {evaluation.whitePaper.url ? (
                <a href={evaluation.whitePaper.url} data-testid="white-paper">
                  {evaluation.whitePaper.title}
                </a>
              ) : (
                <cite data-testid="white-paper">{evaluation.whitePaper.title}</cite>
              )}
            </>
          )}
        </p>
      )}
      {targets.length > 0 && (
        <ul className="targets" aria-label={t('targets')}>
          {targets.map((target) => (
            <li key={target.id} data-testid="target">
              {target.indicator}: {t('target')} {target.targetValue ?? '—'}
              {target.unit ?? ''}
              {target.status.values.latestValue != null &&
                ` / ${t('latest')} ${target.status.values.latestValue}${target.unit ?? ''}`}{' '}
              <span className={`badge status ${target.status.status}`}>
                {label('TargetStatus', target.status.status)}
              </span>{' '}
              <small className="muted">{target.status.reason}</small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
