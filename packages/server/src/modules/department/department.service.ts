// Writes to departments (admins of the municipality). A department's code is its identity
// across years and in URLs, so it is set once; reorganisations are told by its years.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  deletionChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { municipalityOfInput } from '../municipality/municipality.lookup.ts';
import { administers } from '../municipality/municipality.policy.ts';
import { givenFields, type NullableInput } from '../shared/patch.ts';
import {
  fiscalYearInput,
  parseInput,
  text,
  versionedInput,
  versionInput,
} from '../shared/validation.ts';
import { usableTokens } from '../token/token.service.ts';
import { departmentChanges, formerNamesSelect, namingIn } from './department-naming.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type DepartmentAnswer = Answer<Prisma.DepartmentInclude, Prisma.DepartmentSelect>;
type SuccessionAnswer = Answer<
  Prisma.DepartmentSuccessionInclude,
  Prisma.DepartmentSuccessionSelect
>;

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
  /** A rename from this fiscal year on: earlier years keep the current naming. */
  renamedFrom: fiscalYearInput.nullish(),
});

// A department's columns a plan shows with it (its code never changes).
const SHOWN_COLUMNS = {
  name: true,
  nameEn: true,
  displayOrder: true,
  establishedIn: true,
  abolishedAfter: true,
} as const;

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

export const createDepartment = ownWrite(createDepartmentInWrite);

/** createDepartment, inside a write already open (an import runs many in one transaction). */
export async function createDepartmentInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof createSchema>,
  query?: DepartmentAnswer,
) {
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
  const municipality = await municipalityOfInput(tx, data.municipality);
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
    ...answering(query),
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
}

export const updateDepartment = ownWrite(updateDepartmentInWrite);

/** updateDepartment, inside a write already open (an import runs many in one transaction). */
export async function updateDepartmentInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
  query?: DepartmentAnswer,
) {
  const { id, expectedVersion, renamedFrom, ...changes } = parseInput(updateSchema, input);
  const department = await tx.department.findUnique({ where: { id } });
  if (!department) throw new NotFoundError('Department', String(id));
  if (!administers(ctx.viewer, department.municipalityId)) {
    throw new ForbiddenError('Only an admin of the municipality may change its departments');
  }
  assertVersion('Department', department, expectedVersion);
  const years = { ...department, ...givenFields(changes) };
  checkYears(years);
  await checkPlansWithin(tx, department.id, years);
  const shownBefore = await shownInPlans(tx, department.id);
  if (renamedFrom != null) await keepFormerName(tx, department, renamedFrom);
  const updated = await tx.department.update({
    where: { id, version: department.version },
    data: { ...changes, version: { increment: 1 } },
    ...answering(query),
  });
  record({
    municipalityId: department.municipalityId,
    entityType: 'Department',
    entityId: department.id,
    action: 'UPDATE',
    changes: {
      ...fieldChanges(department, changes),
      ...(renamedFrom == null ? {} : { renamedFrom: { before: null, after: renamedFrom } }),
    },
    departmentId: department.id,
  });
  // Every plan event shows its department as of the plan's year: the plans that now show it
  // differently change for their subscribers too (with each plan's own audience).
  const shownAfter = await shownInPlans(tx, department.id);
  for (const [planId, before] of shownBefore) {
    const after = shownAfter.get(planId);
    if (!after) continue;
    const shown = fieldChanges(before.department, after.department);
    if (Object.keys(shown).length === 0) continue;
    record({
      municipalityId: department.municipalityId,
      entityType: 'DepartmentPlan',
      entityId: planId,
      action: 'UPDATE',
      changes: departmentChanges(shown),
      departmentId: department.id,
      fiscalYear: after.fiscalYear,
    });
  }
  return updated;
}

/** How each plan of the department shows it (its fields, named as of the plan's year). */
async function shownInPlans(tx: Tx, departmentId: number) {
  const department = await tx.department.findUniqueOrThrow({
    where: { id: departmentId },
    select: {
      ...SHOWN_COLUMNS,
      ...formerNamesSelect,
      plans: { select: { id: true, fiscalYear: true } },
    },
  });
  return new Map(
    department.plans.map((plan) => {
      const { name, nameEn } = namingIn(department, department.formerNames, plan.fiscalYear);
      const { displayOrder, establishedIn, abolishedAfter } = department;
      return [
        plan.id,
        {
          fiscalYear: plan.fiscalYear,
          department: { name, nameEn, displayOrder, establishedIn, abolishedAfter },
        },
      ];
    }),
  );
}

/**
 * Keeps the naming in force until `renamedFrom - 1`, so that year's plans still show it.
 * Renames go forward in time: one dated before an earlier recorded rename is refused.
 */
async function keepFormerName(
  tx: Tx,
  department: { id: number; name: string; nameEn: string | null; displayOrder: number },
  renamedFrom: number,
) {
  const later = await tx.departmentFormerName.findFirst({
    where: { departmentId: department.id, untilFiscalYear: { gte: renamedFrom - 1 } },
  });
  if (later) {
    throw ValidationError.of(
      ['input', 'renamedFrom'],
      'BEFORE_LAST_RENAME',
      `must be after ${later.untilFiscalYear + 1}, the year of the last recorded rename`,
    );
  }
  const { name, nameEn, displayOrder } = department;
  await tx.departmentFormerName.create({
    data: {
      departmentId: department.id,
      untilFiscalYear: renamedFrom - 1,
      name,
      nameEn,
      displayOrder,
    },
  });
}

/**
 * Deletes a department that has no plans (admins of the municipality): one added by mistake.
 * A department with plans is refused (HAS_PLANS): its plans are the city's record, so they are
 * deleted first (a published one withdrawn first), or the department is kept and its end
 * recorded with abolishedAfter. Tokens that still act for it are revoked first (HAS_TOKENS);
 * revoked and expired ones go with it. A reorganisation it was part of ends as a change of the
 * other department; the change log keeps the department's history.
 */
export const deleteDepartment = ownWrite(deleteDepartmentInWrite);

/** deleteDepartment, inside a write already open. */
export async function deleteDepartmentInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: DepartmentAnswer,
) {
  const data = parseInput(versionedInput, input);
  const department = await tx.department.findUnique({ where: { id: data.id } });
  if (!department) throw new NotFoundError('Department', String(data.id));
  if (!administers(ctx.viewer, department.municipalityId)) {
    throw new ForbiddenError('Only an admin of the municipality may delete its departments');
  }
  assertVersion('Department', department, data.expectedVersion);
  const now = new Date();
  const plans = await tx.departmentPlan.findMany({
    where: { departmentId: department.id },
    select: { fiscalYear: true, status: true },
    orderBy: { fiscalYear: 'asc' },
  });
  const tokens = await usableTokens(tx, { departmentId: department.id }, now);
  const issues: ValidationIssue[] = [];
  if (plans.length > 0) {
    const years = plans.map((plan) => `${plan.fiscalYear} (${plan.status.toLowerCase()})`);
    issues.push({
      path: ['input', 'id'],
      code: 'HAS_PLANS',
      message: `The department has ${plans.length} plan(s): ${years.join(', ')}. Delete them first (withdraw a published one first), or keep the department and record its end with abolishedAfter`,
    });
  }
  if (tokens > 0) {
    issues.push({
      path: ['input', 'id'],
      code: 'HAS_TOKENS',
      message: `${tokens} API token(s) act for the department: revoke them first`,
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  await tx.apiToken.deleteMany({ where: { departmentId: department.id } });
  const successions = await tx.departmentSuccession.findMany({
    where: { OR: [{ predecessorId: department.id }, { successorId: department.id }] },
  });
  // The answer is the department as it was deleted: it can no longer be read afterwards.
  const deleted = await tx.department.delete({ where: { id: department.id }, ...answering(query) });
  // A reorganisation it was part of ends for the other department too (recordReorganisation
  // records it on the successor).
  for (const { id, createdAt: _c, ...row } of successions) {
    const otherId = row.predecessorId === department.id ? row.successorId : row.predecessorId;
    const side = row.predecessorId === department.id ? 'predecessor' : 'successor';
    record({
      municipalityId: department.municipalityId,
      entityType: 'Department',
      entityId: otherId,
      action: 'UPDATE',
      changes: { [side]: { before: { ...row, id }, after: null } },
      departmentId: otherId,
    });
  }
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = department;
  record({
    municipalityId: department.municipalityId,
    entityType: 'Department',
    entityId: department.id,
    action: 'DELETE',
    changes: deletionChanges(fields),
    departmentId: department.id,
  });
  return deleted;
}

const reorganisationSchema = z.strictObject({
  kind: z.enum(['SPLIT', 'MERGE', 'TRANSFER']),
  fiscalYear: fiscalYearInput,
  predecessors: z.array(z.number().int()).min(1).max(20),
  successors: z.array(z.number().int()).min(1).max(20),
});

/** Records a reorganisation as predecessor -> successor links, within one municipality. */
export async function recordReorganisation(
  ctx: ServiceContext,
  input: z.input<typeof reorganisationSchema>,
  query?: SuccessionAnswer,
) {
  const data = parseInput(reorganisationSchema, input);
  const ids = [...new Set([...data.predecessors, ...data.successors])];
  if (data.predecessors.some((id) => data.successors.includes(id))) {
    throw ValidationError.of(
      ['input', 'successors'],
      'SAME_DEPARTMENT',
      'A department cannot succeed itself',
    );
  }
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const departments = await tx.department.findMany({ where: { id: { in: ids } } });
    const missing = ids.find((id) => !departments.some((d) => d.id === id));
    if (missing !== undefined) throw new NotFoundError('Department', String(missing));
    const municipalityIds = new Set(departments.map((d) => d.municipalityId));
    const [municipalityId] = municipalityIds;
    if (municipalityIds.size !== 1 || municipalityId === undefined) {
      throw ValidationError.of(
        ['input', 'successors'],
        'OTHER_MUNICIPALITY',
        'All departments must be of one municipality',
      );
    }
    if (!administers(ctx.viewer, municipalityId)) {
      throw new ForbiddenError('Only an admin of the municipality records reorganisations');
    }
    const created = [];
    for (const predecessorId of data.predecessors) {
      for (const successorId of data.successors) {
        const row = { predecessorId, successorId, fiscalYear: data.fiscalYear, kind: data.kind };
        const exists = await tx.departmentSuccession.findUnique({
          where: {
            predecessorId_successorId_fiscalYear: {
              predecessorId,
              successorId,
              fiscalYear: data.fiscalYear,
            },
          },
        });
        if (exists) {
          throw ValidationError.of(['input'], 'ALREADY_EXISTS', 'This reorganisation is recorded');
        }
        const succession = await tx.departmentSuccession.create({
          data: row,
          ...answering(query),
        });
        record({
          municipalityId,
          entityType: 'Department',
          entityId: successorId,
          action: 'UPDATE',
          changes: { predecessor: { before: null, after: { ...row, id: succession.id } } },
          departmentId: successorId,
        });
        created.push(succession);
      }
    }
    return created;
  });
}
