// DepartmentPlan (運営方針と目標): one department's goals for one fiscal year.
import { builder, pageSize } from '../../graphql/builder.ts';
import { fieldFacts, notExported } from '../../graphql/fields.ts';
import { intKeyAt, keysetRelated } from '../../graphql/keyset.ts';
import { Department } from '../department/department.type.ts';
import { shownInYear, withFormerNames } from '../department/department-naming.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef } from '../fiscal-year/fiscal-year.type.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';
import { canEditPlan, canPublishPlan } from './plan.policy.ts';

export const PublicationStatus = builder.enumType('PublicationStatus', {
  values: {
    DRAFT: { description: 'Being written; visible only to its editors.' },
    PUBLISHED: { description: 'Public.' },
  } as const,
});

export const DepartmentPlan = builder.prismaNode('DepartmentPlan', {
  id: { field: 'id' },
  // node(id:) must not reveal what the caller may not read.
  findUnique: (id, ctx) => ({ id: Number(id), AND: [visiblePlans(ctx)] }),
  ...guardedBy('plan', 'node(id:) findUnique: visiblePlans'),
  nullable: true,
  description: "One department's management policy and goals (運営方針と目標) for one fiscal year.",
  fields: (t) => ({
    department: t.field({
      type: Department,
      description: "Its department, named as it was in the plan's fiscal year.",
      select: (_args, _ctx, nestedSelection) => ({
        fiscalYear: true,
        department: withFormerNames(nestedSelection()),
      }),
      resolve: (plan) => shownInYear(plan.department, plan.fiscalYear),
    }),
    fiscalYear: t.field({
      type: FiscalYearRef,
      select: { fiscalYear: true },
      resolve: (plan) => fiscalYear(plan.fiscalYear),
      // A place of the plan in files (the fiscalYear column), not a column of its own.
      ...fieldFacts({ column: 'fiscalYear', read: 'fiscal-year', openData: false }),
    }),
    status: t.expose('status', {
      type: PublicationStatus,
      ...fieldFacts({
        openData: {
          ja: '公開状態',
          en: 'Publication status',
          description:
            'DRAFT is seen only by the department and the planning section; PUBLISHED by all.',
        },
      }),
    }),
    mission: t.exposeString('mission', {
      nullable: true,
      description: '① 部の使命・目標に関する認識 (recognition of the mission and goals).',
      ...fieldFacts({
        openData: {
          ja: '部の使命・目標に関する認識',
          en: 'Mission and goals',
          sourceTerm: '① 部の使命・目標に関する認識',
          description: "The department's recognition of its mission and goals.",
          maxLength: 4000,
        },
      }),
    }),
    staffCount: t.exposeInt('staffCount', {
      nullable: true,
      description: '② 職員数 (staff).',
      ...fieldFacts({
        openData: {
          ja: '職員数',
          en: 'Staff count',
          unit: '人 (persons)',
          sourceTerm: '② 部の経営資源: 職員数',
          description: 'Staff of the department (management resources).',
          min: 0,
          max: 1_000_000,
        },
      }),
    }),
    budgetYen: t.field({
      type: 'SafeInt',
      nullable: true,
      description: '② 予算規模 (budget), in yen.',
      select: { budgetYen: true },
      resolve: (plan) => (plan.budgetYen === null ? null : Number(plan.budgetYen)),
      ...fieldFacts({
        column: 'budgetYen',
        read: 'bigint',
        openData: {
          ja: '予算規模',
          en: 'Budget',
          type: 'yen',
          unit: '円 (yen)',
          sourceTerm: '② 部の経営資源: 予算規模',
          description: 'Budget of the department in yen (management resources).',
          min: 0,
          max: Number.MAX_SAFE_INTEGER,
        },
      }),
    }),
    policy: t.exposeString('policy', {
      nullable: true,
      description: '③ 今年度の実施方針 (policy).',
      ...fieldFacts({
        openData: {
          ja: '今年度の実施方針',
          en: "This year's policy",
          sourceTerm: '③ 今年度の実施方針',
          description: 'How the department will work this year.',
          maxLength: 4000,
        },
      }),
    }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '公開日時',
          en: 'Published at',
          description: 'When the plan was last published (ISO 8601, UTC). Set by publishing.',
          exportOnly: true,
        },
      }),
    }),
    version: t.exposeInt('version', notExported()),
    // What the caller may do with it, by the same rules the mutations apply (plan.policy.ts),
    // so a client offers only the actions that will be accepted (as GitHub's viewerCan*).
    viewerCanUpdate: t.boolean({
      description: 'May you change its content (updatePlan, initiatives) now?',
      select: { status: true, department: { select: { id: true, municipalityId: true } } },
      resolve: (plan, _args, ctx) => canEditPlan(ctx.viewer, plan),
    }),
    viewerCanPublish: t.boolean({
      description: 'May you publish or unpublish it (the planning section)?',
      select: { department: { select: { municipalityId: true } } },
      resolve: (plan, _args, ctx) => canPublishPlan(ctx.viewer, plan),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', ...notExported() }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', ...notExported() }),
    initiatives: t.relatedConnection('initiatives', {
      ...guardedBy('initiative', 'an initiative is visible exactly when its plan is'),
      // Keyset paging on the position (graphql/keyset.ts); the cursor holds (plan, position).
      cursor: 'planId_position',
      ...pageSize,
      totalCount: true,
      description: 'The individual projects (個別事業) of the plan, in published order.',
      args: {
        isAdministrativeReform: t.arg.boolean({
          description: 'Only ☞ administrative-reform projects (true) or only the others (false).',
        }),
      },
      // The plan is visible (or it would not be here), and so are its initiatives.
      query: (args) =>
        keysetRelated(
          args,
          [{ position: 'asc' }],
          intKeyAt(1),
          args.isAdministrativeReform == null
            ? {}
            : { isAdministrativeReform: args.isAdministrativeReform },
        ),
    }),
  }),
});
