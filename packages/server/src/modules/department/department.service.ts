// Writes to departments (admins of the municipality). A department's code is its identity
// across years and in URLs, so it is set once; reorganisations are told by its years.
import { z } from 'zod';
import { actorOf } from '../../auth/viewer.ts';
import { assertVersion, fieldChanges, type Tx, writeWithHistory } from '../../db/history.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { administers } from '../municipality/municipality.policy.ts';
import { givenFields, type NullableInput } from '../shared/patch.ts';
import { fiscalYearInput, parseInput, text, versionInput } from '../shared/validation.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;

const content = {
  name: text(100),
  nameEn: text(200).nullish(),
  displayOrder: z.number().int().min(0).max(100_000),
  establishedIn: fiscalYearInput.nullish(),
  abolishedAfter: fiscalYearInput.nullish(),
};

const createSchema = z.strictObject({
  municipality: z.string().max(16),
  code: z
    .string()
    .max(64, 'must be at most 64 characters')
    .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and hyphens, starting with a letter'),
  ...content,
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  name: content.name.optional(),
  nameEn: content.nameEn,
  displayOrder: content.displayOrder.optional(),
  establishedIn: content.establishedIn,
  abolishedAfter: content.abolishedAfter,
});

type Years = { establishedIn: number | null; abolishedAfter: number | null };

function checkYears(years: Years) {
  if (
    years.establishedIn !== null &&
    years.abolishedAfter !== null &&
    years.abolishedAfter < years.establishedIn
  ) {
    throw ValidationError.of(
      ['input', 'abolishedAfter'],
      'BEFORE_ESTABLISHED',
      `must be ${years.establishedIn} (the year it was established) or later`,
    );
  }
}

/** A department cannot be said not to exist in a year it has a plan for. */
async function checkPlansWithin(tx: Tx, departmentId: number, years: Years) {
  if (years.establishedIn === null && years.abolishedAfter === null) return;
  const outside = await tx.departmentPlan.findFirst({
    where: {
      departmentId,
      OR: [
        ...(years.establishedIn === null ? [] : [{ fiscalYear: { lt: years.establishedIn } }]),
        ...(years.abolishedAfter === null ? [] : [{ fiscalYear: { gt: years.abolishedAfter } }]),
      ],
    },
    orderBy: { fiscalYear: 'asc' },
  });
  if (!outside) return;
  const field =
    years.establishedIn !== null && outside.fiscalYear < years.establishedIn
      ? 'establishedIn'
      : 'abolishedAfter';
  throw ValidationError.of(
    ['input', field],
    'PLANS_OUTSIDE_YEARS',
    `The department has a plan for ${outside.fiscalYear}`,
  );
}

export async function createDepartment(ctx: ServiceContext, input: z.input<typeof createSchema>) {
  const data = parseInput(createSchema, input);
  const row = {
    code: data.code,
    name: data.name,
    nameEn: data.nameEn ?? null,
    displayOrder: data.displayOrder,
    establishedIn: data.establishedIn ?? null,
    abolishedAfter: data.abolishedAfter ?? null,
  };
  checkYears(row);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const municipality = await tx.municipality.findUnique({ where: { code: data.municipality } });
    if (!municipality) {
      throw ValidationError.of(
        ['input', 'municipality'],
        'NOT_FOUND',
        `No municipality has the code ${data.municipality}`,
      );
    }
    if (!administers(ctx.viewer, municipality.id)) {
      throw new ForbiddenError('Only an admin of the municipality adds to its departments');
    }
    const existing = await tx.department.findUnique({
      where: { municipalityId_code: { municipalityId: municipality.id, code: data.code } },
    });
    if (existing) {
      throw ValidationError.of(
        ['input', 'code'],
        'ALREADY_EXISTS',
        `${municipality.name} already has a department with the code ${data.code}`,
      );
    }
    const department = await tx.department.create({
      data: { municipalityId: municipality.id, ...row },
    });
    record({
      municipalityId: municipality.id,
      entityType: 'Department',
      entityId: department.id,
      action: 'CREATE',
      changes: fieldChanges(null, { municipalityId: municipality.id, ...row }),
      departmentId: department.id,
    });
    return department;
  });
}

export async function updateDepartment(
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
) {
  const { id, expectedVersion, ...changes } = parseInput(updateSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const department = await tx.department.findUnique({ where: { id } });
    if (!department) throw new NotFoundError('Department', String(id));
    if (!administers(ctx.viewer, department.municipalityId)) {
      throw new ForbiddenError('Only an admin of the municipality may change its departments');
    }
    assertVersion('Department', department, expectedVersion);
    const years = { ...department, ...givenFields(changes) };
    checkYears(years);
    await checkPlansWithin(tx, department.id, years);
    const updated = await tx.department.update({
      where: { id, version: department.version },
      data: { ...changes, version: { increment: 1 } },
    });
    record({
      municipalityId: department.municipalityId,
      entityType: 'Department',
      entityId: department.id,
      action: 'UPDATE',
      changes: fieldChanges(department, changes),
      departmentId: department.id,
    });
    return updated;
  });
}
