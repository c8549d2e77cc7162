// DepartmentPlan (運営方針と目標): one department's goals for one fiscal year.
import { builder, pageSize } from '../../graphql/builder.ts';
import { intKeyAt, keysetRelated } from '../../graphql/keyset.ts';
import { Department } from '../department/department.type.ts';
import { shownInYear, withFormerNames } from '../department/department-naming.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef } from '../fiscal-year/fiscal-year.type.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';

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
    }),
    mission: t.exposeString('mission', {
      nullable: true,
      description: '① 部の使命・目標に関する認識 (recognition of the mission and goals).',
    }),
    staffCount: t.exposeInt('staffCount', { nullable: true, description: '② 職員数 (staff).' }),
    budgetYen: t.field({
      type: 'SafeInt',
      nullable: true,
      description: '② 予算規模 (budget), in yen.',
      select: { budgetYen: true },
      resolve: (plan) => (plan.budgetYen === null ? null : Number(plan.budgetYen)),
    }),
    policy: t.exposeString('policy', {
      nullable: true,
      description: '③ 今年度の実施方針 (policy).',
    }),
    status: t.expose('status', { type: PublicationStatus }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    version: t.exposeInt('version'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
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
