// PlanYear: what a municipality publishes about one fiscal year's plans, from the source's
// closing notes (◆): where the full text can be read, and when the previous year's
// achievements will appear in which white paper. Public, like the white papers.
import { builder } from '../../graphql/builder.ts';
import { fieldFacts } from '../../graphql/fields.ts';
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
      // A place of the row in files (the fiscalYear column), not a column of its own.
      ...fieldFacts({ column: 'fiscalYear', read: 'fiscal-year', openData: false }),
    }),
    fullTextMedia: t.exposeStringList('fullTextMedia', {
      description: 'Where the full text (全文) can be read, e.g. 市ホームページ, 冊子.',
      ...fieldFacts({
        openData: {
          ja: '全文の閲覧',
          en: 'Full text in',
          sourceTerm: '◆「各部の運営方針と目標」の全文は、…で閲覧できます',
          description:
            'Where the full text can be read, e.g. 市ホームページ, 冊子. In CSV/XLSX a JSON array of strings.',
          maxLength: 200,
          max: 50,
        },
      }),
    }),
    fullTextUrl: t.exposeString('fullTextUrl', {
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '全文のURL',
          en: 'Full text URL',
          description: 'The web page of the full text, when known.',
          maxLength: 2000,
          pattern: { regex: /^https?:\/\/\S+$/, hint: 'an http(s) URL' },
        },
      }),
    }),
    bookletDistributedAt: t.exposeStringList('bookletDistributedAt', {
      description: 'Where the booklet is handed out (配布).',
      ...fieldFacts({
        openData: {
          ja: '冊子の配布場所',
          en: 'Booklet handed out at',
          sourceTerm: '冊子は、…で配布',
          description: 'Where the booklet is handed out. In CSV/XLSX a JSON array of strings.',
          maxLength: 200,
          max: 50,
        },
      }),
    }),
    bookletReadableAt: t.exposeStringList('bookletReadableAt', {
      description: 'Where the booklet can also be read (閲覧).',
      ...fieldFacts({
        openData: {
          ja: '冊子の閲覧場所',
          en: 'Booklet readable at',
          sourceTerm: '…でも閲覧できます',
          description: 'Where the booklet can also be read. In CSV/XLSX a JSON array of strings.',
          maxLength: 200,
          max: 50,
        },
      }),
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
      ...fieldFacts({
        column: 'evaluationReportsOnFiscalYear',
        read: 'fiscal-year',
        openData: {
          ja: '達成状況の対象年度',
          en: 'Achievements of fiscal year',
          key: 'evaluationReportsOnFiscalYear',
          unit: '年度',
          sourceTerm: '◆平成23年度「各部の運営方針と目標」の達成状況は、…',
          description: 'The fiscal year whose achievements (達成状況) the notice announces.',
        },
      }),
    }),
    evaluationWhitePaperTitle: t.exposeString('evaluationWhitePaperTitle', {
      nullable: true,
      description: 'e.g. 三鷹市自治体経営白書2012.',
      ...fieldFacts({
        openData: {
          ja: '掲載予定の白書',
          en: 'White paper announced',
          sourceTerm: '自治体経営白書',
          description: 'The white paper announced to publish them, e.g. 三鷹市自治体経営白書2012.',
          maxLength: 200,
        },
      }),
    }),
    evaluationPublication: t.exposeString('evaluationPublication', {
      nullable: true,
      description: 'When it is to appear: ISO 8601 at the precision given, e.g. 2012-07.',
      ...fieldFacts({
        openData: {
          ja: '白書の発行予定',
          en: 'White paper due',
          unit: 'ISO 8601 (YYYY-MM or YYYY-MM-DD)',
          sourceTerm: '7月に発行する',
          description: 'When the white paper is to appear, at the precision given: 2012-07.',
          maxLength: 10,
          pattern: { regex: /^\d{4}-\d{2}(-\d{2})?$/, hint: 'YYYY-MM or YYYY-MM-DD' },
        },
      }),
    }),
    evaluationMedia: t.exposeStringList('evaluationMedia', {
      description: 'Where it is to appear, e.g. 冊子, ホームページ.',
      ...fieldFacts({
        openData: {
          ja: '白書の掲載媒体',
          en: 'White paper in',
          sourceTerm: '…の冊子やホームページに掲載する予定です',
          description:
            'Where the achievements are to appear, e.g. 冊子, ホームページ. In CSV/XLSX a JSON array of strings.',
          maxLength: 200,
          max: 50,
        },
      }),
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
