// One department's plan laid out as 広報みたか prints it: ① mission, ② staff and budget, ③ policy
// and the 個別事業 in order (☞ for 行革推進事業, ※ notes under their project). Texts as stored.
import type { PlanInFull } from '../data/queries';
import { useLang, useT } from '../i18n';

export function PlanView({ plan, changed }: { plan: PlanInFull; changed?: ReadonlySet<string> }) {
  const t = useT();
  const lang = useLang();
  const name =
    lang === 'en' && plan.department.nameEn ? plan.department.nameEn : plan.department.name;
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
      <section>
        <h3>{t('mission')}</h3>
        <p className="stored" data-testid="mission">
          {plan.mission ?? <span className="muted">{t('notStated')}</span>}
        </p>
      </section>
      <section>
        <h3>{t('resources')}</h3>
        <dl className="resources">
          <dt>{t('staffCount')}</dt>
          <dd>
            {plan.staffCount == null ? (
              <span className="muted">{t('notStated')}</span>
            ) : (
              `${plan.staffCount.toLocaleString('ja-JP')}${t('people')}`
            )}
          </dd>
          <dt>{t('budget')}</dt>
          <dd>
            {plan.budgetYen == null ? (
              <span className="muted">{t('notStated')}</span>
            ) : (
              `${plan.budgetYen.toLocaleString('ja-JP')}${t('yen')}`
            )}
          </dd>
        </dl>
      </section>
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
              {node.evaluation && (
                <span className={`badge rating ${node.evaluation.rating}`}>
                  {t(node.evaluation.rating)}
                </span>
              )}
              {node.footnotes.map((note) => (
                <p className="footnote" key={note}>
                  ※<span data-testid="footnote">{note}</span>
                </p>
              ))}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
