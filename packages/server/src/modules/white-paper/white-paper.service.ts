// Writes to white papers (自治体経営白書): the planning section records the paper that reports
// a fiscal year's achievements; evaluations then cite it. One paper per municipality and year.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf, actsForMunicipality } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  deletionChanges,
  fieldChanges,
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
import { readinessProblems } from '../evaluation/evaluation-stage.policy.ts';
import { municipalityOfInput } from '../municipality/municipality.lookup.ts';
import { givenFields, type NullableInput } from '../shared/patch.ts';
import {
  fiscalYearInput,
  parseInput,
  text,
  versionedInput,
  versionInput,
} from '../shared/validation.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type WhitePaperAnswer = Answer<Prisma.WhitePaperInclude, Prisma.WhitePaperSelect>;

/** 2012-07 or 2012-07-31, a date that exists (no 2013-02-29). */
export const publicationDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$/, {
    message: 'must be YYYY-MM or YYYY-MM-DD',
    abort: true,
  })
  .refine(isRealDate, 'is not a date in the calendar');

function isRealDate(value: string): boolean {
  const [year, month, day = 1] = value.split('-').map(Number) as [number, number, number?];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** An http(s) URL of at most 2000 characters. */
export const url = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));

const createSchema = z.strictObject({
  municipality: z.string().max(16),
  title: text(200),
  publicationDate,
  reportsOnFiscalYear: fiscalYearInput,
  url: url.nullish(),
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  title: createSchema.shape.title.optional(),
  publicationDate: publicationDate.optional(),
  reportsOnFiscalYear: fiscalYearInput.optional(),
  url: url.nullish(),
});

/** A paper reports on a year it cannot predate: publication is on or after 1 April of it. */
function checkPublishedAfterYearBegins(paper: {
  publicationDate: string;
  reportsOnFiscalYear: number;
}) {
  if (paper.publicationDate < `${paper.reportsOnFiscalYear}-04`) {
    throw ValidationError.of(
      ['input', 'publicationDate'],
      'BEFORE_FISCAL_YEAR',
      `must not be before fiscal year ${paper.reportsOnFiscalYear} begins (${paper.reportsOnFiscalYear}-04-01)`,
    );
  }
}

async function assertYearFree(tx: Tx, municipalityId: number, year: number) {
  const existing = await tx.whitePaper.findUnique({
    where: { municipalityId_reportsOnFiscalYear: { municipalityId, reportsOnFiscalYear: year } },
  });
  if (existing) {
    throw ValidationError.of(
      ['input', 'reportsOnFiscalYear'],
      'ALREADY_EXISTS',
      `"${existing.title}" already reports on fiscal year ${year}`,
    );
  }
}

/** The white paper of a municipality (by code) that reports on a fiscal year, if recorded. */
export function whitePaperReportingOn(tx: Tx, municipality: string, reportsOnFiscalYear: number) {
  return tx.whitePaper.findFirst({
    where: { reportsOnFiscalYear, municipality: { code: municipality } },
    select: { id: true },
  });
}

export async function createWhitePaper(
  ctx: ServiceContext,
  input: z.input<typeof createSchema>,
  query?: WhitePaperAnswer,
) {
  const data = parseInput(createSchema, input);
  checkPublishedAfterYearBegins(data);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const municipality = await municipalityOfInput(tx, data.municipality);
    if (!actsForMunicipality(ctx.viewer, municipality.id)) {
      throw new ForbiddenError("Only the municipality's planning section records its white papers");
    }
    await assertYearFree(tx, municipality.id, data.reportsOnFiscalYear);
    const row = {
      title: data.title,
      publicationDate: data.publicationDate,
      reportsOnFiscalYear: data.reportsOnFiscalYear,
      url: data.url ?? null,
    };
    const paper = await tx.whitePaper.create({
      data: { municipalityId: municipality.id, ...row },
      ...answering(query),
    });
    record({
      municipalityId: municipality.id,
      entityType: 'WhitePaper',
      entityId: paper.id,
      action: 'CREATE',
      changes: fieldChanges(null, { municipalityId: municipality.id, ...row }),
      fiscalYear: paper.reportsOnFiscalYear,
    });
    return paper;
  });
}

export async function updateWhitePaper(
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
  query?: WhitePaperAnswer,
) {
  const { id, expectedVersion, ...changes } = parseInput(updateSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const paper = await tx.whitePaper.findUnique({ where: { id } });
    if (!paper) throw new NotFoundError('WhitePaper', String(id));
    if (!actsForMunicipality(ctx.viewer, paper.municipalityId)) {
      throw new ForbiddenError("Only the municipality's planning section edits its white papers");
    }
    assertVersion('WhitePaper', paper, expectedVersion);
    checkPublishedAfterYearBegins({ ...paper, ...givenFields(changes) });
    const year = changes.reportsOnFiscalYear;
    if (year !== undefined && year !== paper.reportsOnFiscalYear) {
      await assertYearFree(tx, paper.municipalityId, year);
      // Its evaluations are of plans of the year it reported on; moving it would misfile them.
      const cited = await tx.evaluation.count({ where: { whitePaperId: paper.id } });
      if (cited > 0) {
        throw ValidationError.of(
          ['input', 'reportsOnFiscalYear'],
          'CITED_BY_EVALUATIONS',
          `${cited} evaluation(s) of fiscal year ${paper.reportsOnFiscalYear} cite this white paper`,
        );
      }
    }
    const updated = await tx.whitePaper.update({
      where: { id, version: paper.version },
      data: { ...changes, version: { increment: 1 } },
      ...answering(query),
    });
    record({
      municipalityId: paper.municipalityId,
      entityType: 'WhitePaper',
      entityId: paper.id,
      action: 'UPDATE',
      changes: fieldChanges(paper, changes),
      fiscalYear: updated.reportsOnFiscalYear,
    });
    return updated;
  });
}

/**
 * Publishes the white paper and every evaluation it lists, in one transaction: or, if any of
 * them is not ready (a required stage not completed, a decision inconsistent with what
 * follows), publishes nothing and names each one that is not, with why.
 */
export async function publishWhitePaper(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: WhitePaperAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const paper = await tx.whitePaper.findUnique({ where: { id: data.id } });
    if (!paper) throw new NotFoundError('WhitePaper', String(data.id));
    if (!actsForMunicipality(ctx.viewer, paper.municipalityId)) {
      throw new ForbiddenError("Only the municipality's planning section publishes white papers");
    }
    assertVersion('WhitePaper', paper, data.expectedVersion);
    if (paper.publishedAt) {
      throw ValidationError.of(
        ['input', 'id'],
        'UNCHANGED',
        'The white paper is already published',
      );
    }
    const evaluations = await tx.evaluation.findMany({
      where: { whitePaperId: paper.id },
      include: {
        stages: true,
        initiative: { include: { plan: { include: { department: true } } } },
      },
      orderBy: { id: 'asc' },
    });
    const drafts = evaluations.filter((evaluation) => evaluation.status === 'DRAFT');
    const issues: ValidationIssue[] = [];
    for (const evaluation of drafts) {
      const { plan } = evaluation.initiative;
      for (const problem of await readinessProblems(tx, evaluation, plan)) {
        issues.push({
          // The evaluation by its global ID, so a client can point at it.
          path: [
            'input',
            'evaluations',
            Buffer.from(`Evaluation:${evaluation.id}`).toString('base64'),
          ],
          code: problem.code,
          message: `${plan.department.name} FY${plan.fiscalYear} 「${evaluation.initiative.text.slice(0, 40)}」: ${problem.message}`,
        });
      }
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const publishedAt = new Date();
    const updated = await tx.whitePaper.update({
      where: { id: paper.id, version: paper.version },
      data: { publishedAt, version: { increment: 1 } },
    });
    record({
      municipalityId: paper.municipalityId,
      entityType: 'WhitePaper',
      entityId: paper.id,
      action: 'UPDATE',
      changes: fieldChanges(paper, { publishedAt }),
      fiscalYear: paper.reportsOnFiscalYear,
    });
    for (const evaluation of drafts) {
      const { initiative, stages: _stages, ...row } = evaluation;
      await tx.evaluation.update({
        where: { id: row.id, version: row.version },
        data: { status: 'PUBLISHED', version: { increment: 1 } },
      });
      record({
        municipalityId: paper.municipalityId,
        entityType: 'Evaluation',
        entityId: row.id,
        action: 'UPDATE',
        changes: fieldChanges(row, { status: 'PUBLISHED' }),
        departmentId: initiative.plan.departmentId,
        fiscalYear: initiative.plan.fiscalYear,
      });
    }
    // Read after its evaluations are published, so the answer lists them as they now are.
    return tx.whitePaper.findUniqueOrThrow({ where: { id: updated.id }, ...answering(query) });
  });
}

/**
 * The last fiscal year of the municipality that is closed: its white paper is published, so
 * its results are final (status rules may no longer change for it). Null when none is.
 */
export async function lastClosedFiscalYear(tx: Tx, municipalityId: number) {
  const paper = await tx.whitePaper.findFirst({
    where: { municipalityId, publishedAt: { not: null } },
    orderBy: { reportsOnFiscalYear: 'desc' },
    select: { reportsOnFiscalYear: true },
  });
  return paper?.reportsOnFiscalYear ?? null;
}

/** The paper for a planning write: NotFound, Forbidden for others, the version checked. */
async function paperForWrite(
  tx: Tx,
  ctx: ServiceContext,
  data: { id: number; expectedVersion: number },
) {
  const paper = await tx.whitePaper.findUnique({ where: { id: data.id } });
  if (!paper) throw new NotFoundError('WhitePaper', String(data.id));
  if (!actsForMunicipality(ctx.viewer, paper.municipalityId)) {
    throw new ForbiddenError("Only the municipality's planning section changes white papers");
  }
  assertVersion('WhitePaper', paper, data.expectedVersion);
  return paper;
}

/**
 * Withdraws a published white paper (an error found after publication): the paper and the
 * evaluations it published return to drafts in one transaction, every step in the change
 * log (the public sees them leave), and the fiscal year it reports on is open again.
 */
export async function unpublishWhitePaper(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: WhitePaperAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const paper = await paperForWrite(tx, ctx, data);
    if (!paper.publishedAt) {
      throw ValidationError.of(['input', 'id'], 'UNCHANGED', 'The white paper is not published');
    }
    await tx.whitePaper.update({
      where: { id: paper.id, version: paper.version },
      data: { publishedAt: null, version: { increment: 1 } },
    });
    record({
      municipalityId: paper.municipalityId,
      entityType: 'WhitePaper',
      entityId: paper.id,
      action: 'UPDATE',
      changes: fieldChanges(paper, { publishedAt: null }),
      fiscalYear: paper.reportsOnFiscalYear,
    });
    const published = await tx.evaluation.findMany({
      where: { whitePaperId: paper.id, status: 'PUBLISHED' },
      include: { initiative: { include: { plan: true } } },
      orderBy: { id: 'asc' },
    });
    for (const { initiative, ...row } of published) {
      await tx.evaluation.update({
        where: { id: row.id, version: row.version },
        data: { status: 'DRAFT', version: { increment: 1 } },
      });
      record({
        municipalityId: paper.municipalityId,
        entityType: 'Evaluation',
        entityId: row.id,
        action: 'UPDATE',
        changes: fieldChanges(row, { status: 'DRAFT' }),
        departmentId: initiative.plan.departmentId,
        fiscalYear: initiative.plan.fiscalYear,
      });
    }
    return tx.whitePaper.findUniqueOrThrow({ where: { id: paper.id }, ...answering(query) });
  });
}

/**
 * Deletes a white paper that was never published (a published one is withdrawn first:
 * unpublishWhitePaper). Its evaluations stay, citing no paper; the change log keeps its
 * history.
 */
export async function deleteWhitePaper(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: WhitePaperAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const paper = await paperForWrite(tx, ctx, data);
    if (paper.publishedAt) {
      throw ValidationError.of(
        ['input', 'id'],
        'PUBLISHED',
        'The white paper is published: withdraw it (unpublishWhitePaper) before deleting it',
      );
    }
    // Its evaluations stay, citing none: each citation's end is a change of the evaluation.
    const citing = await tx.evaluation.findMany({
      where: { whitePaperId: paper.id },
      include: { initiative: { include: { plan: true } } },
    });
    // The answer is the paper as it was deleted: it can no longer be read afterwards.
    const deleted = await tx.whitePaper.delete({ where: { id: paper.id }, ...answering(query) });
    for (const { initiative, ...row } of citing) {
      record({
        municipalityId: paper.municipalityId,
        entityType: 'Evaluation',
        entityId: row.id,
        action: 'UPDATE',
        changes: fieldChanges(row, { whitePaperId: null }),
        departmentId: initiative.plan.departmentId,
        fiscalYear: initiative.plan.fiscalYear,
      });
    }
    record({
      municipalityId: paper.municipalityId,
      entityType: 'WhitePaper',
      entityId: paper.id,
      action: 'DELETE',
      changes: deletionChanges(stored(paper)),
      fiscalYear: paper.reportsOnFiscalYear,
    });
    return deleted;
  });
}

/** A paper's own fields, as a deletion records them. */
function stored(paper: Prisma.WhitePaperGetPayload<Record<string, never>>) {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = paper;
  return fields;
}
