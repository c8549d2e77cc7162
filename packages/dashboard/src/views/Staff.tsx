// Staff mode: a pasted token (kept for this tab only) shows the drafts it may see; an editor
// edits a draft, planning staff publish and unpublish. Actions are offered as the server says
// the token may take them (viewerCanUpdate, viewerCanPublish). Every outcome is shown beside
// the form in the page's language: field errors beside their field, a conflict with a reload,
// a refusal, a lost connection (the edit stays in the form). The version a save returns is
// carried on, so saving twice in a row is not a conflict with oneself.
import { HoshinRequestError, type ResultOf } from '@hoshin/client';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Loaded } from '../components/common';
import {
  StaffPlanDocument,
  StaffViewerDocument,
  UnpublishPlanDocument,
  UpdateInitiativeDocument,
} from '../data/documents';
import { isTokenRefusal } from '../data/hoshin';
import { loadPlanIndex } from '../data/queries';
import { useHoshin, useLive, useQuery } from '../data/react';
import { type MessageKey, useLang, useT } from '../i18n';
import { useRoute } from '../route';

type Plan = NonNullable<ResultOf<typeof StaffPlanDocument>['plan']>;
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
  issues?: readonly { path: readonly string[]; code?: string; message: string }[];
  currentVersion?: number;
}

const ISSUE_CODES = ['too_small', 'too_big', 'invalid_type', 'UNCHANGED'];

/** Turns results and thrown errors into what the form shows, in the page's language. */
function useOutcomes() {
  const t = useT();
  const hoshin = useHoshin();
  const issueText = (code: string | undefined) =>
    t((code && ISSUE_CODES.includes(code) ? `issue_${code}` : 'issue_other') as MessageKey);
  return {
    ofResult(result: ErrorMember): Outcome {
      switch (result.__typename) {
        case 'ValidationError':
          return {
            fields: Object.fromEntries(
              (result.issues ?? []).map((issue) => [
                issue.path.at(-1) ?? '',
                issueText(issue.code),
              ]),
            ),
            message: t('invalidInput'),
          };
        case 'VersionConflictError':
          return { conflict: result.currentVersion ?? 0 };
        case 'ForbiddenError':
          return { message: t('forbidden') };
        case 'NotFoundError':
          return { message: t('notFound') };
        default:
          return result.__typename.endsWith('Success')
            ? { ok: t('saved') }
            : { message: result.message ?? result.__typename };
      }
    },
    /** A write that did not come back: the connection, or the token refused. */
    ofError(error: unknown): Outcome {
      if (isTokenRefusal(error)) {
        hoshin.tokenRefused();
        return { message: t('tokenInvalid') };
      }
      if (error instanceof HoshinRequestError && error.codes.includes('FORBIDDEN'))
        return { message: t('forbidden') };
      return { message: t('networkError') };
    },
  };
}

export function StaffView(props: {
  municipality: string;
  token: string | undefined;
  onToken: (token: string | undefined) => void;
}) {
  const t = useT();
  const live = useLive();
  const [draft, setDraft] = useState('');
  if (props.token && live.tokenState === 'invalid')
    return (
      <>
        <h1 tabIndex={-1}>{t('staff')}</h1>
        <p role="alert" className="error" data-testid="token-invalid">
          {t('tokenInvalid')}
        </p>
        <button type="button" onClick={() => props.onToken(undefined)}>
          {t('signOut')}
        </button>
      </>
    );
  if (!props.token)
    return (
      <>
        <h1 tabIndex={-1}>{t('staff')}</h1>
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
  const viewer = useQuery(
    async (c, s) => (await c.request(StaffViewerDocument, {}, { signal: s })).viewer,
    [],
  );
  const year = Number(params.get('y')) || undefined;
  const department = params.get('d') ?? undefined;
  return (
    <>
      <h1 tabIndex={-1}>
        {t('staff')}{' '}
        <button type="button" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </h1>
      {viewer.data && (
        <p className="muted" data-testid="viewer">
          {t('signedInAs')}: {viewer.data.tokenName} ({viewer.data.role}
          {viewer.data.department ? ` ${viewer.data.department.name}` : ''})
        </p>
      )}
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
  const outcomes = useOutcomes();
  const variables = {
    municipality: props.municipality,
    department: props.department,
    fiscalYear: props.year,
  };
  const plan = useQuery(
    async (c, s) => (await c.request(StaffPlanDocument, variables, { signal: s })).plan,
    [props.municipality, props.department, props.year],
  );
  // The plan as the form was filled from, and the version our own writes moved it to: kept
  // while live updates arrive, so saving over someone else's write is a conflict, not a
  // silent overwrite, while saving twice in a row is not.
  const [base, setBase] = useState<Plan | null>(null);
  const [version, setVersion] = useState(0);
  // Bumped by a reload: the forms start again from the fresh plan.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (plan.data && (!base || base.id !== plan.data.id)) {
      setBase(plan.data);
      setVersion(plan.data.version);
    }
  }, [plan.data, base]);
  const [publishOutcome, setPublishOutcome] = useState<Outcome>({});
  if (!base) return <Loaded query={plan}>{(p) => (p ? null : <p>{t('noPlans')}</p>)}</Loaded>;
  const current = plan.data ?? base;
  const reload = async () => {
    try {
      const fresh = (await hoshin.client.request(StaffPlanDocument, variables)).plan;
      if (fresh) {
        setBase(fresh);
        setVersion(fresh.version);
        setGeneration((n) => n + 1);
      }
      setPublishOutcome({});
      hoshin.refresh();
    } catch (error) {
      setPublishOutcome(outcomes.ofError(error));
    }
  };
  const togglePublish = async () => {
    const input = { id: current.id, expectedVersion: version };
    try {
      const result =
        current.status === 'PUBLISHED'
          ? (await hoshin.client.request(UnpublishPlanDocument, { input })).unpublishPlan
          : await hoshin.client.publishPlan(input);
      if ('plan' in result && result.plan) setVersion(result.plan.version);
      setPublishOutcome(outcomes.ofResult(result));
      hoshin.refresh();
    } catch (error) {
      setPublishOutcome(outcomes.ofError(error));
    }
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
      {current.viewerCanPublish && (
        <p>
          <button type="button" onClick={togglePublish} data-testid="toggle-publish">
            {current.status === 'PUBLISHED' ? t('unpublish') : t('publish')}
          </button>{' '}
          <OutcomeNote outcome={publishOutcome} onReload={reload} />
        </p>
      )}
      {current.viewerCanUpdate ? (
        <>
          <PlanForm
            key={`${base.id}-${generation}`}
            base={base}
            version={version}
            onSaved={setVersion}
            onReload={reload}
          />
          <h3>{t('initiatives')}</h3>
          <ol className="initiatives">
            {base.initiatives.edges.map(({ node }) => (
              <li key={`${node.id}-${generation}`}>
                <InitiativeForm initiative={node} onReload={reload} />
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="muted" data-testid="read-only">
          {t('readOnly')}
        </p>
      )}
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

function PlanForm(props: {
  base: Plan;
  version: number;
  onSaved: (version: number) => void;
  onReload: () => void;
}) {
  const { base } = props;
  const t = useT();
  const hoshin = useHoshin();
  const outcomes = useOutcomes();
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
    try {
      const result = await hoshin.client.updatePlan({
        id: base.id,
        expectedVersion: props.version,
        mission: values.mission.trim() === '' ? null : values.mission,
        policy: values.policy.trim() === '' ? null : values.policy,
        staffCount: number(values.staffCount),
        budgetYen: number(values.budgetYen),
      });
      if (result.__typename === 'UpdatePlanSuccess') props.onSaved(result.plan.version);
      setOutcome(outcomes.ofResult(result));
      hoshin.refresh();
    } catch (error) {
      // Not saved: the values stay in the form.
      setOutcome(outcomes.ofError(error));
    }
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
      <OutcomeNote outcome={outcome} onReload={props.onReload} />
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
  const outcomes = useOutcomes();
  const [text, setText] = useState(initiative.text);
  const [version, setVersion] = useState(initiative.version);
  const [outcome, setOutcome] = useState<Outcome>({});
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { updateInitiative } = await hoshin.client.request(UpdateInitiativeDocument, {
        input: { id: initiative.id, expectedVersion: version, text },
      });
      if (updateInitiative.__typename === 'UpdateInitiativeSuccess')
        setVersion(updateInitiative.initiative.version);
      setOutcome(outcomes.ofResult(updateInitiative));
      hoshin.refresh();
    } catch (error) {
      setOutcome(outcomes.ofError(error));
    }
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
