// Municipality: a local government, identified by its national code (三鷹市 = 132047).
import { builder, pageSize } from '../../graphql/builder.ts';
import { keysetPage, keyValues, rememberKeys, withKeyFields } from '../../graphql/keyset.ts';
import { municipalityNotFound } from './municipality.lookup.ts';

export const Contact = builder
  .objectRef<{ section: string; extension: string | null }>('Contact')
  .implement({
    description: 'Where citizens send questions and opinions (問い合わせ先).',
    fields: (t) => ({
      section: t.exposeString('section', { description: 'e.g. 企画経営課' }),
      extension: t.exposeString('extension', { nullable: true, description: '内線, e.g. 2150' }),
    }),
  });

export const Municipality = builder.prismaNode('Municipality', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', { description: 'National local-government code, e.g. 132047.' }),
    name: t.exposeString('name'),
    prefecture: t.exposeString('prefecture'),
    contact: t.field({
      type: Contact,
      nullable: true,
      select: { contactSection: true, contactExtension: true },
      resolve: (m) =>
        m.contactSection ? { section: m.contactSection, extension: m.contactExtension } : null,
    }),
    departments: t.relation('departments', {
      description: 'All its departments, past and present, in display order.',
      query: { orderBy: [{ displayOrder: 'asc' }, { id: 'asc' }] },
    }),
    whitePapers: t.relation('whitePapers', {
      query: { orderBy: { reportsOnFiscalYear: 'desc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  municipality: t.prismaField({
    type: 'Municipality',
    description: 'A municipality by its national code.',
    args: { code: t.arg.string({ required: true }) },
    resolve: async (query, _root, { code }, ctx) => {
      const municipality = await ctx.prisma.municipality.findUnique({ ...query, where: { code } });
      if (!municipality) throw municipalityNotFound(code);
      return municipality;
    },
  }),
  municipalities: t.prismaConnection({
    type: 'Municipality',
    cursor: 'id',
    ...pageSize,
    totalCount: (_parent, _args, ctx) => ctx.prisma.municipality.count(),
    // Keyset paging on the code (graphql/keyset.ts).
    resolve: async (pothosQuery, _root, _args, ctx) => {
      const orderBy = [{ code: 'asc' as const }];
      const { query, where } = keysetPage(pothosQuery, 'CODE', orderBy);
      const municipalities = await ctx.prisma.municipality.findMany({
        ...withKeyFields(query, orderBy),
        where,
        orderBy,
      });
      return rememberKeys(municipalities, 'CODE', (row) => keyValues(orderBy, row));
    },
  }),
}));
