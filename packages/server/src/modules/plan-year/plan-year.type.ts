// PlanYear: what a municipality publishes about one fiscal year's plans, from the source's
// closing notes (◆): where the full text can be read, and when the previous year's
// achievements will appear in which white paper. Public, like the white papers.
import { builder } from '../../graphql/builder.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef, parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireMunicipality } from '../municipality/municipality.lookup.ts';

export const PlanYear = builder.prismaObject('PlanYear', {
  description:
    "Publication facts of a fiscal year's 各部の運営方針と目標: where to read it, and the white paper announced for the previous year's achievements.",
  fields: (t) => ({
    fiscalYear: t.field({
      type: FiscalYearRef,
      select: { fiscalYear: true },
      resolve: (row) => fiscalYear(row.fiscalYear),
    }),
    fullTextMedia: t.exposeStringList('fullTextMedia', {
      description: 'Where the full text (全文) can be read, e.g. 市ホームページ, 冊子.',
    }),
    fullTextUrl: t.exposeString('fullTextUrl', { nullable: true }),
    bookletDistributedAt: t.exposeStringList('bookletDistributedAt', {
      description: 'Where the booklet is handed out (配布).',
    }),
    bookletReadableAt: t.exposeStringList('bookletReadableAt', {
      description: 'Where the booklet can also be read (閲覧).',
    }),
    evaluationReportsOn: t.field({
      type: FiscalYearRef,
      nullable: true,
      description: 'The fiscal year whose achievements (達成状況) the notice announces.',
      select: { evaluationReportsOnFiscalYear: true },
      resolve: (row) =>
        row.evaluationReportsOnFiscalYear === null
          ? null
          : fiscalYear(row.evaluationReportsOnFiscalYear),
    }),
    evaluationWhitePaperTitle: t.exposeString('evaluationWhitePaperTitle', {
      nullable: true,
      description: 'e.g. 三鷹市自治体経営白書2012.',
    }),
    evaluationPublication: t.exposeString('evaluationPublication', {
      nullable: true,
      description: 'When it is to appear: ISO 8601 at the precision given, e.g. 2012-07.',
    }),
    evaluationMedia: t.exposeStringList('evaluationMedia', {
      description: 'Where it is to appear, e.g. 冊子, ホームページ.',
    }),
  }),
});

builder.queryField('planYear', (t) =>
  t.prismaField({
    type: 'PlanYear',
    nullable: true,
    description: "A municipality's publication facts for a fiscal year, if recorded.",
    args: {
      municipality: t.arg.string({ required: true }),
      fiscalYear: t.arg.int({ required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const year = parseFiscalYear(args.fiscalYear).year;
      const municipality = await requireMunicipality(ctx.prisma, args.municipality);
      return ctx.prisma.planYear.findUnique({
        ...query,
        where: { municipalityId_fiscalYear: { municipalityId: municipality.id, fiscalYear: year } },
      });
    },
  }),
);
