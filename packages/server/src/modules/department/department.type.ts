// Department (部): stable identity across fiscal years; its plans attach it to a year.
import { builder, pageSize } from '../../graphql/builder.ts';
import { fieldFacts, notExported } from '../../graphql/fields.ts';
import { intKeyAt, keysetRelated } from '../../graphql/keyset.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef, parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';
import { existedIn, shownInYear, shownNaming, withFormerNames } from './department-naming.ts';

export const Department = builder.prismaNode('Department', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'Stable code within the municipality, e.g. kyoiku.',
      ...fieldFacts({
        openData: {
          ja: '部コード',
          en: 'Department code',
          type: 'code',
          description: 'Stable code of the department (部) within the municipality, e.g. kyoiku.',
          identifiesRow: true,
          maxLength: 64,
        },
      }),
    }),
    // In a year's context (a plan's department, departments(fiscalYear:)) the name it had that
    // year; elsewhere today's. department-naming.ts says which.
    name: t.string({
      description:
        "e.g. 教育部. Shown for a fiscal year (a plan's department, departments(fiscalYear:)), the name it had in that year; otherwise today's (see currentName).",
      resolve: (d) => shownNaming(d).name,
      ...fieldFacts({
        column: 'name',
        read: 'naming-as-of-year',
        openData: {
          ja: '部名',
          en: 'Department name',
          description: 'Japanese name, e.g. 企画部; with fiscalYear, the name in that year.',
          maxLength: 100,
        },
      }),
    }),
    nameEn: t.string({
      nullable: true,
      description: 'English name, in the same year as `name`.',
      resolve: (d) => shownNaming(d).nameEn,
      ...fieldFacts({
        column: 'nameEn',
        read: 'naming-as-of-year',
        openData: {
          ja: '部名(英語)',
          en: 'Department name in English',
          description: 'Optional English name; with fiscalYear, the one of that year.',
          maxLength: 200,
        },
      }),
    }),
    currentName: t.exposeString('name', {
      description: "Today's name, whatever year the department is shown for.",
      ...notExported(),
    }),
    currentNameEn: t.exposeString('nameEn', {
      nullable: true,
      description: "Today's English name, whatever year the department is shown for.",
      ...notExported(),
    }),
    displayOrder: t.exposeInt('displayOrder', {
      ...fieldFacts({
        openData: {
          ja: '表示順',
          en: 'Display order',
          description: 'Order of the department in published lists (the source document’s order).',
          min: 0,
          max: 100_000,
        },
      }),
    }),
    establishedIn: t.field({
      type: FiscalYearRef,
      nullable: true,
      description: 'First fiscal year the department existed, when known.',
      resolve: (d) => (d.establishedIn === null ? null : fiscalYear(d.establishedIn)),
      ...fieldFacts({
        column: 'establishedIn',
        read: 'fiscal-year',
        openData: {
          ja: '設置年度',
          en: 'Established in',
          unit: '年度',
          description: 'First fiscal year the department existed, if known.',
        },
      }),
    }),
    abolishedAfter: t.field({
      type: FiscalYearRef,
      nullable: true,
      description: 'Last fiscal year the department existed, when it has been reorganised.',
      resolve: (d) => (d.abolishedAfter === null ? null : fiscalYear(d.abolishedAfter)),
      ...fieldFacts({
        column: 'abolishedAfter',
        read: 'fiscal-year',
        openData: {
          ja: '廃止年度',
          en: 'Abolished after',
          unit: '年度',
          description:
            'Last fiscal year the department existed (reorganised or abolished after it).',
        },
      }),
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
      // Keyset paging on the year (graphql/keyset.ts); the cursor holds (department, year).
      cursor: 'departmentId_fiscalYear',
      ...pageSize,
      totalCount: true,
      description: 'Plans of this department, newest fiscal year first.',
      query: (args, ctx) =>
        keysetRelated(args, [{ fiscalYear: 'desc' }], intKeyAt(1), visiblePlans(ctx)),
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
      "A municipality's departments in display order; with fiscalYear, only those that existed in that year, with the names they had then.",
    args: {
      municipality: t.arg.string({ required: true }),
      fiscalYear: t.arg.int(),
    },
    resolve: async (query, _root, args, ctx) => {
      const municipality = await requireMunicipality(ctx.prisma, args.municipality);
      const year = args.fiscalYear == null ? null : parseFiscalYear(args.fiscalYear).year;
      if (year === null) {
        return ctx.prisma.department.findMany({
          ...query,
          where: { municipalityId: municipality.id },
          orderBy: [{ displayOrder: 'asc' }, { id: 'asc' }],
        });
      }
      // For a year: those that existed then, named as they were then.
      const rows = await ctx.prisma.department.findMany({
        ...withFormerNames(query),
        where: { municipalityId: municipality.id, ...existedIn(year) },
        orderBy: [{ displayOrder: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => shownInYear(row, year));
    },
  }),
}));
