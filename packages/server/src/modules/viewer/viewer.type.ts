// `viewer`: who the API takes the caller to be, so a client can show what its token may do
// without guessing. The public gets a viewer with every token field null.
import type { Viewer as ViewerValue } from '../../auth/viewer.ts';
import { builder } from '../../graphql/builder.ts';
import { Department } from '../department/department.type.ts';
import { Municipality } from '../municipality/municipality.type.ts';

export const RoleRef = builder.enumType('Role', {
  description: 'What an API token may do (see the README for the full table).',
  values: {
    ADMIN: { description: 'Administers one municipality, or every one.' },
    PLANNING: { description: "A municipality's planning section: publishes and evaluates." },
    EDITOR: { description: "Edits one department's draft plans." },
    REVIEWER: {
      description:
        "An external evaluation committee (外部評価委員会) of one municipality: records evaluations' external stage.",
    },
  } as const,
});

interface ViewerInfo {
  viewer: ViewerValue;
  token: { name: string; prefix: string; expiresAt: Date | null } | null;
}

const ViewerRef = builder.objectRef<ViewerInfo>('Viewer').implement({
  description: 'The caller as the API sees it: anonymous, or the holder of an API token.',
  fields: (t) => ({
    isAnonymous: t.boolean({ resolve: (v) => v.viewer.kind !== 'token' }),
    role: t.field({
      type: RoleRef,
      nullable: true,
      description: 'Null for the public.',
      resolve: (v) => (v.viewer.kind === 'token' ? v.viewer.role : null),
    }),
    allMunicipalities: t.boolean({
      description: 'True for an ADMIN of every municipality.',
      resolve: (v) => v.viewer.kind === 'token' && v.viewer.municipalityId === null,
    }),
    municipality: t.prismaField({
      type: Municipality,
      nullable: true,
      description: 'The municipality the token acts for; null for the public and global admins.',
      resolve: (query, v, _args, ctx) =>
        v.viewer.kind === 'token' && v.viewer.municipalityId !== null
          ? ctx.prisma.municipality.findUnique({ ...query, where: { id: v.viewer.municipalityId } })
          : null,
    }),
    department: t.prismaField({
      type: Department,
      nullable: true,
      description: "An EDITOR's department: the one whose drafts it may see and edit.",
      resolve: (query, v, _args, ctx) =>
        v.viewer.kind === 'token' && v.viewer.departmentId !== null
          ? ctx.prisma.department.findUnique({ ...query, where: { id: v.viewer.departmentId } })
          : null,
    }),
    tokenName: t.string({
      nullable: true,
      description: 'The name the token was issued with, e.g. 企画経営課.',
      resolve: (v) => v.token?.name ?? null,
    }),
    tokenPrefix: t.string({
      nullable: true,
      description: 'The public prefix of the token (as `hoshin token list` shows it).',
      resolve: (v) => v.token?.prefix ?? null,
    }),
    tokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the token stops working; null for the public and tokens without expiry.',
      resolve: (v) => v.token?.expiresAt ?? null,
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'Who the caller is: role, scope and token (all null for the public).',
    resolve: async (_root, _args, ctx) => {
      const { viewer } = ctx;
      if (viewer.kind !== 'token') return { viewer, token: null };
      const token = await ctx.prisma.apiToken.findUnique({
        where: { id: viewer.tokenId },
        select: { name: true, prefix: true, expiresAt: true },
      });
      return { viewer, token };
    },
  }),
);
