// Writes to a municipality's publication facts of a fiscal year (PlanYear): the planning
// section records where the year's plans can be read and which white paper will report on
// the previous year. No mutation writes them yet; the `plan-years` import does, through here.
import { z } from 'zod';
import { actsForMunicipality } from '../../auth/viewer.ts';
import { assertVersion, fieldChanges, type RecordChange, type Tx } from '../../db/history.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { municipalityOfInput } from '../municipality/municipality.lookup.ts';
import type { NullableInput } from '../shared/patch.ts';
import { fiscalYearInput, parseInput, text, versionInput } from '../shared/validation.ts';
import { publicationDate, url } from '../white-paper/white-paper.service.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;

/** Places and media (市ホームページ, 図書館...): short texts, a few dozen at most. */
const places = z.array(text(200)).max(50);

const content = {
  fullTextMedia: places,
  fullTextUrl: url.nullish(),
  bookletDistributedAt: places,
  bookletReadableAt: places,
  evaluationReportsOnFiscalYear: fiscalYearInput.nullish(),
  evaluationWhitePaperTitle: text(200).nullish(),
  evaluationPublication: publicationDate.nullish(),
  evaluationMedia: places,
};

const createSchema = z.strictObject({
  municipality: z.string().max(16),
  fiscalYear: fiscalYearInput,
  ...content,
  fullTextMedia: places.nullish().transform((v) => v ?? []),
  bookletDistributedAt: places.nullish().transform((v) => v ?? []),
  bookletReadableAt: places.nullish().transform((v) => v ?? []),
  evaluationMedia: places.nullish().transform((v) => v ?? []),
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  ...content,
  fullTextMedia: places.optional(),
  bookletDistributedAt: places.optional(),
  bookletReadableAt: places.optional(),
  evaluationMedia: places.optional(),
});

function assertPlanningFor(ctx: ServiceContext, municipalityId: number) {
  if (!actsForMunicipality(ctx.viewer, municipalityId)) {
    throw new ForbiddenError(
      "Only the municipality's planning section records its publication facts",
    );
  }
}

/** Records a year's publication facts, inside a write already open (as the import runs it). */
export async function createPlanYearInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof createSchema>,
) {
  const { municipality: code, ...row } = parseInput(createSchema, input);
  const municipality = await municipalityOfInput(tx, code);
  assertPlanningFor(ctx, municipality.id);
  const key = { municipalityId: municipality.id, fiscalYear: row.fiscalYear };
  if (await tx.planYear.findUnique({ where: { municipalityId_fiscalYear: key } })) {
    throw ValidationError.of(
      ['input', 'fiscalYear'],
      'ALREADY_EXISTS',
      `${municipality.name} already has publication facts for ${row.fiscalYear}`,
    );
  }
  const planYear = await tx.planYear.create({ data: { ...key, ...row } });
  record({
    ...key,
    entityType: 'PlanYear',
    entityId: planYear.id,
    action: 'CREATE',
    changes: fieldChanges(null, { ...key, ...row }),
  });
  return planYear;
}

/** Changes the given fields of a year's publication facts, inside a write already open. */
export async function updatePlanYearInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
) {
  const { id, expectedVersion, ...changes } = parseInput(updateSchema, input);
  const planYear = await tx.planYear.findUnique({ where: { id } });
  if (!planYear) throw new NotFoundError('PlanYear', String(id));
  assertPlanningFor(ctx, planYear.municipalityId);
  assertVersion('PlanYear', planYear, expectedVersion);
  const updated = await tx.planYear.update({
    where: { id, version: planYear.version },
    data: { ...changes, version: { increment: 1 } },
  });
  record({
    municipalityId: planYear.municipalityId,
    fiscalYear: planYear.fiscalYear,
    entityType: 'PlanYear',
    entityId: planYear.id,
    action: 'UPDATE',
    changes: fieldChanges(planYear, changes),
  });
  return updated;
}
