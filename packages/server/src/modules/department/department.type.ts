// Department (部): stable identity across fiscal years; its plans attach it to a year.
import { builder, pageSize } from '../../graphql/builder.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef, parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';

export const Department = builder.prismaNode('Department', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'Stable code within the municipality, e.g. kyoiku.',
    }),
    name: t.exposeString('name', { description: 'e.g. 教育部' }),
    nameEn: t.exposeString('nameEn', { nullable: true }),
    displayOrder: t.exposeInt('displayOrder'),
    establishedIn: t.field({
      type: FiscalYearRef,
      nullable: true,
      description: 'First fiscal year the department existed, when known.',
      resolve: (d) => (d.establishedIn === null ? null : fiscalYear(d.establishedIn)),
    }),
    abolishedAfter: t.field({
      type: FiscalYearRef,
      nullable: true,
      description: 'Last fiscal year the department existed, when it has been reorganised.',
      resolve: (d) => (d.abolishedAfter === null ? null : fiscalYear(d.abolishedAfter)),
    }),
    municipality: t.relation('municipality'),
    plan: t.prismaField({
      type: 'DepartmentPlan',
      ...guardedBy('plan', 'visiblePlans'),
      nullable: true,
      description: "The department's plan for a fiscal year, if one is visible to the caller.",
      args: { fiscalYear: t.arg.int({ required: true }) },
      resolve: (query, department, args, ctx) =>
        ctx.prisma.departmentPlan.findFirst({
          ...query,
          where: {
            departmentId: department.id,
            fiscalYear: parseFiscalYear(args.fiscalYear).year,
            ...visiblePlans(ctx),
          },
        }),
    }),
    plans: t.relatedConnection('plans', {
      ...guardedBy('plan', 'visiblePlans'),
      cursor: 'id',
      ...pageSize,
      totalCount: true,
      description: 'Plans of this department, newest fiscal year first.',
      query: (_args, ctx) => ({ where: visiblePlans(ctx), orderBy: { fiscalYear: 'desc' } }),
    }),
  }),
});

builder.queryFields((t) => ({
  department: t.prismaField({
    type: 'Department',
    description: 'A department by its municipality and code.',
    args: {
      municipality: t.arg.string({ required: true }),
      code: t.arg.string({ required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const { id } = await requireDepartment(ctx.prisma, args.municipality, args.code);
      return ctx.prisma.department.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  departments: t.prismaField({
    type: ['Department'],
    description:
      "A municipality's departments in display order; with fiscalYear, only those that existed in that year.",
    args: {
      municipality: t.arg.string({ required: true }),
      fiscalYear: t.arg.int(),
    },
    resolve: async (query, _root, args, ctx) => {
      const municipality = await requireMunicipality(ctx.prisma, args.municipality);
      const year = args.fiscalYear == null ? null : parseFiscalYear(args.fiscalYear).year;
      return ctx.prisma.department.findMany({
        ...query,
        where: {
          municipalityId: municipality.id,
          ...(year === null
            ? {}
            : {
                AND: [
                  { OR: [{ establishedIn: null }, { establishedIn: { lte: year } }] },
                  { OR: [{ abolishedAfter: null }, { abolishedAfter: { gte: year } }] },
                ],
              }),
        },
        orderBy: [{ displayOrder: 'asc' }, { id: 'asc' }],
      });
    },
  }),
}));
