// Issuing, listing and revoking API tokens (used by the CLI). The secret is returned once,
// at issue; only its hash is stored.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { tokenChanges } from '../../auth/token-watch.ts';
import { generateToken, tokenRefusal } from '../../auth/tokens.ts';
import type { Role } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { Tx } from '../../db/history.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';

const issueSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.enum(['ADMIN', 'PLANNING', 'EDITOR', 'REVIEWER']),
    municipality: z
      .string()
      .regex(/^\d{6}$/, 'a six-digit municipality code')
      .optional(),
    department: z.string().min(1).max(64).optional(),
    expiresAt: z.date().optional(),
  })
  .refine((input) => input.role === 'ADMIN' || input.municipality, {
    message: 'PLANNING, EDITOR and REVIEWER tokens need a municipality',
    path: ['municipality'],
  })
  .refine((input) => (input.role === 'EDITOR') === (input.department !== undefined), {
    message: 'EDITOR tokens, and only they, name a department',
    path: ['department'],
  })
  .refine((input) => !input.expiresAt || input.expiresAt > new Date(), {
    message: 'the expiry must be in the future',
    path: ['expiresAt'],
  });

export type IssueTokenInput = z.input<typeof issueSchema>;

export async function issueToken(prisma: PrismaClient, input: IssueTokenInput) {
  const parsed = issueSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const {
    name,
    role,
    municipality: municipalityCode,
    department: departmentCode,
    expiresAt,
  } = parsed.data;

  const municipality = municipalityCode
    ? await prisma.municipality.findUnique({ where: { code: municipalityCode } })
    : null;
  if (municipalityCode && !municipality) throw new NotFoundError('Municipality', municipalityCode);
  const department =
    departmentCode && municipality
      ? await prisma.department.findUnique({
          where: { municipalityId_code: { municipalityId: municipality.id, code: departmentCode } },
        })
      : null;
  if (departmentCode && !department) throw new NotFoundError('Department', departmentCode);

  const { token, prefix, secretHash } = generateToken();
  const row = await prisma.apiToken.create({
    data: {
      name,
      role: role as Role,
      prefix,
      secretHash,
      municipalityId: municipality?.id ?? null,
      departmentId: department?.id ?? null,
      expiresAt: expiresAt ?? null,
    },
  });
  return { token, row };
}

export function listTokens(prisma: PrismaClient) {
  return prisma.apiToken.findMany({
    orderBy: { id: 'asc' },
    select: {
      prefix: true,
      name: true,
      role: true,
      municipality: { select: { code: true } },
      department: { select: { code: true } },
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
}

export async function revokeToken(prisma: PrismaClient, prefix: string) {
  const { count } = await prisma.apiToken.updateMany({
    where: { prefix, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError('ApiToken', prefix);
  // The streams this token holds open end now, here and (announced) on other instances.
  tokenChanges.emit('changed');
}

/**
 * How many of these tokens could still be used (the rule every request is checked by): a
 * department or municipality is deleted only when none acts for it.
 */
export async function usableTokens(tx: Tx, where: Prisma.ApiTokenWhereInput, now: Date) {
  const tokens = await tx.apiToken.findMany({
    where,
    select: { revokedAt: true, expiresAt: true },
  });
  return tokens.filter((token) => tokenRefusal(token, now) === undefined).length;
}
