// WhitePaper (自治体経営白書): the publication that reports a fiscal year's achievements.
import { builder, pageSize } from '../../graphql/builder.ts';
import { intKey, keysetRelated } from '../../graphql/keyset.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef } from '../fiscal-year/fiscal-year.type.ts';
import { requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visibleEvaluations } from '../visibility/visibility.policy.ts';

export const WhitePaper = builder.prismaNode('WhitePaper', {
  id: { field: 'id' },
  nullable: true,
  description: 'A municipal management white paper, e.g. 三鷹市自治体経営白書2012.',
  fields: (t) => ({
    title: t.exposeString('title'),
    publicationDate: t.exposeString('publicationDate', {
      description: 'ISO 8601 date at the precision known: 2012-07 or 2012-07-31.',
    }),
    reportsOn: t.field({
      type: FiscalYearRef,
      description: 'The fiscal year whose achievements it reports.',
      select: { reportsOnFiscalYear: true },
      resolve: (paper) => fiscalYear(paper.reportsOnFiscalYear),
    }),
    url: t.exposeString('url', { nullable: true }),
    municipality: t.relation('municipality'),
    evaluations: t.relatedConnection('evaluations', {
      ...guardedBy('evaluation', 'visibleEvaluations'),
      // Keyset paging on the id (graphql/keyset.ts).
      cursor: 'id',
      ...pageSize,
      totalCount: true,
      query: (args, ctx) => keysetRelated(args, [{ id: 'asc' }], intKey, visibleEvaluations(ctx)),
    }),
  }),
});

builder.queryField('whitePapers', (t) =>
  t.prismaField({
    type: ['WhitePaper'],
    description: "A municipality's white papers, newest first.",
    args: { municipality: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const municipality = await requireMunicipality(ctx.prisma, args.municipality);
      return ctx.prisma.whitePaper.findMany({
        ...query,
        where: { municipalityId: municipality.id },
        orderBy: { reportsOnFiscalYear: 'desc' },
      });
    },
  }),
);
