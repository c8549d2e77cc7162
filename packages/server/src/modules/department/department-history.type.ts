// Departments through time: the name (English name, display order) a department had in a
// fiscal year, kept when it is renamed from a later year on, and reorganisations (split,
// merge, transfer) as predecessor -> successor links.
import { builder } from '../../graphql/builder.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef, parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { DepartmentPlan } from '../plan/plan.type.ts';
import { Department } from './department.type.ts';
import { formerNamesOrder, formerNamesSelect, type Naming, namingIn } from './department-naming.ts';

export const DepartmentNaming = builder.objectRef<Naming>('DepartmentNaming').implement({
  description: 'How a department was named and ordered in a fiscal year.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'e.g. 教育部' }),
    nameEn: t.exposeString('nameEn', { nullable: true }),
    displayOrder: t.exposeInt('displayOrder'),
  }),
});

export const ReorganisationKind = builder.enumType('ReorganisationKind', {
  description: 'How work moved from one department to another.',
  values: {
    SPLIT: { description: '分割: the predecessor was divided among successors.' },
    MERGE: { description: '統合: predecessors were combined into the successor.' },
    TRANSFER: { description: '移管: some of the predecessor’s work moved to the successor.' },
  } as const,
});

builder.prismaObject('DepartmentFormerName', {
  description: 'A name the department had up to a fiscal year.',
  fields: (t) => ({
    untilFiscalYear: t.field({
      type: FiscalYearRef,
      description: 'The last fiscal year it applied to.',
      resolve: (f) => fiscalYear(f.untilFiscalYear),
    }),
    name: t.exposeString('name'),
    nameEn: t.exposeString('nameEn', { nullable: true }),
    displayOrder: t.exposeInt('displayOrder'),
  }),
});

export const DepartmentSuccession = builder.prismaObject('DepartmentSuccession', {
  description: 'A reorganisation: work of `predecessor` went to `successor` from `fiscalYear`.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ReorganisationKind }),
    fiscalYear: t.field({
      type: FiscalYearRef,
      description: 'The first fiscal year of the new arrangement.',
      resolve: (s) => fiscalYear(s.fiscalYear),
    }),
    predecessor: t.relation('predecessor'),
    successor: t.relation('successor'),
  }),
});

builder.prismaObjectFields(Department, (t) => ({
  formerNames: t.relation('formerNames', {
    description: 'Names it had before renames, oldest first.',
    query: formerNamesOrder,
  }),
  nameIn: t.field({
    type: DepartmentNaming,
    description: 'Its name, English name and display order as they were in a fiscal year.',
    args: { fiscalYear: t.arg.int({ required: true }) },
    select: { name: true, nameEn: true, displayOrder: true, ...formerNamesSelect },
    resolve: (d, args) => namingIn(d, d.formerNames, parseFiscalYear(args.fiscalYear).year),
  }),
  predecessors: t.relation('predecessors', {
    description: 'Reorganisations that gave this department work, oldest first.',
    query: { orderBy: [{ fiscalYear: 'asc' }, { id: 'asc' }] },
  }),
  successors: t.relation('successors', {
    description: 'Reorganisations that moved this department’s work elsewhere, oldest first.',
    query: { orderBy: [{ fiscalYear: 'asc' }, { id: 'asc' }] },
  }),
}));

builder.prismaObjectField(DepartmentPlan, 'departmentAsOfYear', (t) =>
  t.field({
    type: DepartmentNaming,
    description:
      "The department's name, English name and display order as they were in the plan's fiscal year (`department` has the same name and English name; its displayOrder is today's).",
    select: {
      fiscalYear: true,
      department: {
        select: { name: true, nameEn: true, displayOrder: true, ...formerNamesSelect },
      },
    },
    resolve: (plan) => namingIn(plan.department, plan.department.formerNames, plan.fiscalYear),
  }),
);
