// Staff mode: a pasted token (kept for this tab only) shows the drafts it may see; an editor
// edits a draft, planning staff publish and unpublish. Typed errors from the result unions
// are shown beside their field; a version conflict offers a reload.
import type { DepartmentPlan, HoshinClient } from '@hoshin/client';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Loaded } from '../components/common';
import { UnpublishPlanDocument, UpdateInitiativeDocument } from '../data/documents';
import { loadPlanIndex } from '../data/queries';
import { useHoshin, useQuery } from '../data/react';
import { useLang, useT } from '../i18n';
import { useRoute } from '../route';

type Plan = NonNullable<DepartmentPlan>;
type PlanField = 'mission' | 'policy' | 'staffCount' | 'budgetYen';

/** What a write came back with, for the form: field errors, a conflict, or a message. */
interface Outcome {
  ok?: string;
  fields?: Partial<Record<string, string>>;
  conflict?: number;
  message?: string;
}

interface ErrorMember {
  __typename: string;
  message?: string;
  issues?: readonly { path: readonly string[]; message: string }[];
  currentVersion?: number;
}

function outcomeOf(result: ErrorMember, okMessage: string): Outcome {
  switch (result.__typename) {
    case 'ValidationError':
      return {
        fields: Object.fromEntries(
          (result.issues ?? []).map((issue) => [issue.path.at(-1) ?? '', issue.message]),
        ),
        message: result.message ?? '',
      };
    case 'VersionConflictError':
      return { conflict: result.currentVersion ?? 0, message: result.message ?? '' };
    default:
      return result.__typename.endsWith('Success')
        ? { ok: okMessage }
        : { message: `${result.__typename}: ${result.message ?? ''}` };
  }
}

export function StaffView(props: {
  municipality: string;
  token: string | undefined;
  onToken: (token: string | undefined) => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState('');
  if (!props.token)
    return (
      <>
        <h1>{t('staff')}</h1>
        <p className="muted">{t('noToken')}</p>
        <form
          className="token-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (draft.trim()) props.onToken(draft.trim());
          }}
        >
          <label>
            {t('token')}
            <input
              type="password"
              autoComplete="off"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-describedby="token-help"
              data-testid="token-input"
            />
          </label>
          <p id="token-help" className="muted">
            {t('tokenHelp')}
          </p>
          <button type="submit">{t('signIn')}</button>
        </form>
      </>
    );
  return (
    <StaffPlans municipality={props.municipality} onSignOut={() => props.onToken(undefined)} />
  );
}

function StaffPlans({ municipality, onSignOut }: { municipality: string; onSignOut: () => void }) {
  const t = useT();
  const lang = useLang();
  const { params } = useRoute();
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const year = Number(params.get('y')) || undefined;
  const department = params.get('d') ?? undefined;
  return (
    <>
      <h1>
        {t('staff')}{' '}
        <button type="button" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </h1>
      <Loaded query={index}>
        {(data) => (
          <nav aria-label={t('drafts')} className="plan-list">
            <h2>{t('drafts')}</h2>
            <ul>
              {data.plans
                .slice()
                .sort((a, b) => b.year - a.year)
                .map((p) => {
                  const d = data.departments.find((x) => x.code === p.department);
                  const y = data.years.find((x) => x.year === p.year);
                  return (
                    <li key={p.id}>
                      <a
                        href={`#/staff?m=${municipality}&y=${p.year}&d=${p.department}`}
                        aria-current={
                          p.year === year && p.department === department ? 'true' : undefined
                        }
                        data-testid="staff-plan-link"
                      >
                        {lang === 'en' ? y?.labelEn : y?.label} {d?.name}{' '}
                        <span
                          className={`badge ${p.status === 'PUBLISHED' ? 'published' : 'draft'}`}
                        >
                          {p.status === 'PUBLISHED' ? t('published') : t('draft')}
                        </span>
                      </a>
                    </li>
                  );
                })}
            </ul>
          </nav>
        )}
      </Loaded>
      {year && department && (
        <PlanEditor municipality={municipality} year={year} department={department} />
      )}
    </>
  );
}

function PlanEditor(props: { municipality: string; year: number; department: string }) {
  const t = useT();
  const hoshin = useHoshin();
  const plan = useQuery(
    (c, s) =>
      c.departmentPlan(
        { municipality: props.municipality, department: props.department, fiscalYear: props.year },
        { signal: s },
      ),
    [props.municipality, props.department, props.year],
  );
  // The version the form was filled from: kept while live updates arrive, so saving over
  // someone else's write is a conflict, not a silent overwrite.
  const [base, setBase] = useState<Plan | null>(null);
  useEffect(() => {
    if (plan.data && (!base || base.id !== plan.data.id)) setBase(plan.data);
  }, [plan.data, base]);
  const [publishOutcome, setPublishOutcome] = useState<Outcome>({});
  if (!base) return <Loaded query={plan}>{(p) => (p ? null : <p>{t('noPlans')}</p>)}</Loaded>;
  const current = plan.data ?? base;
  const reload = async () => {
    const fresh = await hoshin.client.departmentPlan({
      municipality: props.municipality,
      department: props.department,
      fiscalYear: props.year,
    });
    setBase(fresh);
    hoshin.refresh();
  };
  const togglePublish = async () => {
    const input = { id: current.id, expectedVersion: current.version };
    const result =
      current.status === 'PUBLISHED'
        ? (await hoshin.client.request(UnpublishPlanDocument, { input })).unpublishPlan
        : await hoshin.client.publishPlan(input);
    setPublishOutcome(outcomeOf(result, t('saved')));
    hoshin.refresh();
  };
  return (
    <section className="editor" aria-labelledby="editor-title" data-testid="editor">
      <h2 id="editor-title">
        {current.department.name} {current.fiscalYear.label}{' '}
        <span className={`badge ${current.status === 'PUBLISHED' ? 'published' : 'draft'}`}>
          {current.status === 'PUBLISHED' ? t('published') : t('draft')}
        </span>{' '}
        <small>
          {t('version')} {current.version}
        </small>
      </h2>
      <p>
        <button type="button" onClick={togglePublish} data-testid="toggle-publish">
          {current.status === 'PUBLISHED' ? t('unpublish') : t('publish')}
        </button>{' '}
        <OutcomeNote outcome={publishOutcome} onReload={reload} />
      </p>
      <PlanForm key={`${base.id}-${base.version}`} base={base} onReload={reload} />
      <h3>{t('initiatives')}</h3>
      <ol className="initiatives">
        {base.initiatives.edges.map(({ node }) => (
          <li key={`${node.id}-${node.version}`}>
            <InitiativeForm initiative={node} onReload={reload} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function OutcomeNote({ outcome, onReload }: { outcome: Outcome; onReload: () => void }) {
  const t = useT();
  if (outcome.conflict !== undefined)
    return (
      <span role="alert" className="error" data-testid="conflict">
        {t('conflict', { current: outcome.conflict })}{' '}
        <button type="button" onClick={onReload} data-testid="reload">
          {t('reload')}
        </button>
      </span>
    );
  if (outcome.ok)
    return (
      <span role="status" className="ok" data-testid="saved">
        {outcome.ok}
      </span>
    );
  if (outcome.message)
    return (
      <span role="alert" className="error" data-testid="write-error">
        {outcome.message}
      </span>
    );
  return null;
}

function Field(props: {
  name: string;
  label: string;
  error: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined }) => React.ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy: props.error ? errorId : undefined })}
      {props.error && (
        <span id={errorId} className="field-error" data-testid={`error-${props.name}`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

function PlanForm({ base, onReload }: { base: Plan; onReload: () => void }) {
  const t = useT();
  const hoshin = useHoshin();
  const [values, setValues] = useState<Record<PlanField, string>>({
    mission: base.mission ?? '',
    policy: base.policy ?? '',
    staffCount: base.staffCount == null ? '' : String(base.staffCount),
    budgetYen: base.budgetYen == null ? '' : String(base.budgetYen),
  });
  const [outcome, setOutcome] = useState<Outcome>({});
  const set = (field: PlanField) => (event: { target: { value: string } }) =>
    setValues({ ...values, [field]: event.target.value });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const number = (text: string) => (text.trim() === '' ? null : Number(text));
    const result = await hoshin.client.updatePlan({
      id: base.id,
      expectedVersion: base.version,
      mission: values.mission.trim() === '' ? null : values.mission,
      policy: values.policy.trim() === '' ? null : values.policy,
      staffCount: number(values.staffCount),
      budgetYen: number(values.budgetYen),
    });
    setOutcome(outcomeOf(result, t('saved')));
    hoshin.refresh();
  };
  const fields: [PlanField, string, 'textarea' | 'number'][] = [
    ['mission', t('mission'), 'textarea'],
    ['staffCount', t('staffCount'), 'number'],
    ['budgetYen', t('budget'), 'number'],
    ['policy', t('policy'), 'textarea'],
  ];
  return (
    <form onSubmit={save} className="plan-form" data-testid="plan-form">
      {fields.map(([name, label, kind]) => (
        <Field key={name} name={name} label={label} error={outcome.fields?.[name]}>
          {({ id, describedBy }) =>
            kind === 'textarea' ? (
              <textarea
                id={id}
                name={name}
                value={values[name]}
                onChange={set(name)}
                aria-describedby={describedBy}
                aria-invalid={describedBy ? true : undefined}
                rows={3}
              />
            ) : (
              <input
                id={id}
                name={name}
                type="number"
                inputMode="numeric"
                value={values[name]}
                onChange={set(name)}
                aria-describedby={describedBy}
                aria-invalid={describedBy ? true : undefined}
              />
            )
          }
        </Field>
      ))}
      <button type="submit" data-testid="save-plan">
        {t('save')}
      </button>{' '}
      <OutcomeNote outcome={outcome} onReload={onReload} />
    </form>
  );
}

type InitiativeNode = Plan['initiatives']['edges'][number]['node'];

function InitiativeForm({
  initiative,
  onReload,
}: {
  initiative: InitiativeNode;
  onReload: () => void;
}) {
  const t = useT();
  const hoshin = useHoshin();
  const [text, setText] = useState(initiative.text);
  const [outcome, setOutcome] = useState<Outcome>({});
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const { updateInitiative } = await saveInitiative(hoshin.client, initiative, text);
    setOutcome(outcomeOf(updateInitiative, t('saved')));
    hoshin.refresh();
  };
  return (
    <form onSubmit={save} className="initiative-form">
      <Field name="text" label={`${t('text')} ${initiative.position}`} error={outcome.fields?.text}>
        {({ id, describedBy }) => (
          <textarea
            id={id}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={describedBy ? true : undefined}
            rows={2}
            data-testid="initiative-input"
          />
        )}
      </Field>
      <button type="submit">{t('save')}</button>{' '}
      <OutcomeNote outcome={outcome} onReload={onReload} />
    </form>
  );
}

function saveInitiative(client: HoshinClient, initiative: InitiativeNode, text: string) {
  return client.request(UpdateInitiativeDocument, {
    input: { id: initiative.id, expectedVersion: initiative.version, text },
  });
}
