// Writes to municipalities: a global admin adds one, an admin of it edits it. The national
// code is the identity other systems know it by, so it never changes after creation.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  deletionChanges,
  fieldChanges,
  writeWithHistory,
} from '../../db/history.ts';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { givenFields, type NullableInput } from '../shared/patch.ts';
import { parseInput, text, versionedInput, versionInput } from '../shared/validation.ts';
import { usableTokens } from '../token/token.service.ts';
import { administers, isGlobalAdmin } from './municipality.policy.ts';
import { hasValidCheckDigit, prefectureOf } from './municipality-code.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type MunicipalityAnswer = Answer<Prisma.MunicipalityInclude, Prisma.MunicipalitySelect>;

const code = z
  .string()
  .regex(/^[0-9]{6}$/, 'must be six digits')
  .refine(hasValidCheckDigit, 'the check digit (6th digit) does not match the first five')
  .refine((value) => prefectureOf(value) !== undefined, 'the first two digits name no prefecture');

// 内線 are kept as text: they may start with 0; some are written with a hyphen.
const extension = z.string().regex(/^[0-9][0-9-]{0,15}$/, 'digits (and hyphens), at most 16');

const content = {
  name: text(100),
  prefecture: text(10),
  contactSection: text(100).nullish(),
  contactExtension: extension.nullish(),
};

const createSchema = z.strictObject({ code, ...content });

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  name: content.name.optional(),
  prefecture: content.prefecture.optional(),
  contactSection: content.contactSection,
  contactExtension: content.contactExtension,
});

/** Cross-field rules, checked on the values the row will hold. */
function checkRecord(row: {
  code: string;
  prefecture: string;
  contactSection: string | null;
  contactExtension: string | null;
}) {
  const expected = prefectureOf(row.code);
  if (row.prefecture !== expected) {
    throw ValidationError.of(
      ['input', 'prefecture'],
      'PREFECTURE_MISMATCH',
      `Code ${row.code} belongs to ${expected}, not ${row.prefecture}`,
    );
  }
  // The public contact is shown only with a section (municipality.type.ts).
  if (row.contactExtension !== null && row.contactSection === null) {
    throw ValidationError.of(
      ['input', 'contactExtension'],
      'REQUIRES_SECTION',
      'An extension needs the contact section it belongs to',
    );
  }
}

export async function createMunicipality(
  ctx: ServiceContext,
  input: z.input<typeof createSchema>,
  query?: MunicipalityAnswer,
) {
  const data = parseInput(createSchema, input);
  if (!isGlobalAdmin(ctx.viewer)) {
    throw new ForbiddenError('Only an admin of every municipality adds municipalities');
  }
  const row = {
    code: data.code,
    name: data.name,
    prefecture: data.prefecture,
    contactSection: data.contactSection ?? null,
    contactExtension: data.contactExtension ?? null,
  };
  checkRecord(row);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    if (await tx.municipality.findUnique({ where: { code: data.code } })) {
      throw ValidationError.of(
        ['input', 'code'],
        'ALREADY_EXISTS',
        `A municipality with the code ${data.code} exists`,
      );
    }
    const municipality = await tx.municipality.create({ data: row, ...answering(query) });
    record({
      municipalityId: municipality.id,
      entityType: 'Municipality',
      entityId: municipality.id,
      action: 'CREATE',
      changes: fieldChanges(null, row),
    });
    return municipality;
  });
}

export async function updateMunicipality(
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
  query?: MunicipalityAnswer,
) {
  const { id, expectedVersion, ...changes } = parseInput(updateSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const municipality = await tx.municipality.findUnique({ where: { id } });
    if (!municipality) throw new NotFoundError('Municipality', String(id));
    if (!administers(ctx.viewer, municipality.id)) {
      throw new ForbiddenError('Only an admin of this municipality may change it');
    }
    assertVersion('Municipality', municipality, expectedVersion);
    checkRecord({ ...municipality, ...givenFields(changes) });
    const updated = await tx.municipality.update({
      where: { id, version: municipality.version },
      data: { ...changes, version: { increment: 1 } },
      ...answering(query),
    });
    record({
      municipalityId: municipality.id,
      entityType: 'Municipality',
      entityId: municipality.id,
      action: 'UPDATE',
      changes: fieldChanges(municipality, changes),
    });
    return updated;
  });
}

/**
 * Deletes a municipality that holds nothing (a global admin): one added by mistake, e.g. under
 * a wrong code, which never changes. One that has departments, white papers, publication facts
 * or status rules is refused, one issue per kind (its data is the city's record: it is deleted
 * first, or the municipality kept), as is one whose tokens can still be used (HAS_TOKENS:
 * revoke them first). Revoked and expired tokens, its reporting calendar and stage
 * definitions (configuration) go with it. The change log keeps its history, the deletion too.
 */
export async function deleteMunicipality(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: MunicipalityAnswer,
) {
  const data = parseInput(versionedInput, input);
  if (!isGlobalAdmin(ctx.viewer)) {
    throw new ForbiddenError('Only an admin of every municipality deletes municipalities');
  }
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const municipality = await tx.municipality.findUnique({ where: { id: data.id } });
    if (!municipality) throw new NotFoundError('Municipality', String(data.id));
    assertVersion('Municipality', municipality, data.expectedVersion);
    const where = { municipalityId: municipality.id };
    const held = [
      ['HAS_DEPARTMENTS', 'department(s)', await tx.department.count({ where })],
      ['HAS_WHITE_PAPERS', 'white paper(s)', await tx.whitePaper.count({ where })],
      ['HAS_PLAN_YEARS', "years' publication facts", await tx.planYear.count({ where })],
      ['HAS_STATUS_RULES', 'status rule set(s)', await tx.statusRuleSet.count({ where })],
      ['HAS_TOKENS', 'API token(s) still usable', await usableTokens(tx, where, new Date())],
    ] as const;
    const issues: ValidationIssue[] = held
      .filter(([, , count]) => count > 0)
      .map(([code, what, count]) => ({
        path: ['input', 'id'],
        code,
        message:
          code === 'HAS_TOKENS'
            ? `${count} ${what} act for ${municipality.name}: revoke them first`
            : `${municipality.name} has ${count} ${what}: delete them first, or keep the municipality`,
      }));
    if (issues.length > 0) throw new ValidationError(issues);
    await tx.apiToken.deleteMany({ where });
    // The answer is the municipality as it was deleted: it can no longer be read afterwards.
    const deleted = await tx.municipality.delete({
      where: { id: municipality.id },
      ...answering(query),
    });
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = municipality;
    record({
      municipalityId: municipality.id,
      entityType: 'Municipality',
      entityId: municipality.id,
      action: 'DELETE',
      changes: deletionChanges(fields),
    });
    return deleted;
  });
}
