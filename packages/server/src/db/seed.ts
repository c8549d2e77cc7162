// Loads a seed file (prisma/seed/*.json) into the database. Idempotent: it creates only what is
// missing, never overwrites a row that exists (an editor may have changed it since), and
// records each creation as a change record, all in one transaction.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import { describeChanges } from './audience.ts';
import type { PrismaClient } from './client.ts';

export const mitakaSeedPath = resolve(
  import.meta.dirname,
  '../../../../prisma/seed/mitaka-h24.json',
);

const SEED_ACTOR = 'system:seed';

const targetSchema = z.strictObject({
  indicator: z.string().min(1),
  unit: z.string().min(1).optional(),
  direction: z.enum(['AT_LEAST', 'AT_MOST', 'WITHIN_RANGE', 'MILESTONE']),
  baseline: z.number().optional(),
  targetValue: z.number().optional(),
  rangeMin: z.number().optional(),
  rangeMax: z.number().optional(),
  targetDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  weight: z.number().positive().optional(),
});

const initiativeSchema = z.strictObject({
  text: z.string().min(1),
  isAdministrativeReform: z.boolean(),
  footnotes: z.array(z.string().min(1)),
  citations: z.array(z.string().min(1)),
  /** Targets the source publishes with the initiative (指標と目標値). */
  targets: z.array(targetSchema).optional(),
});

const seedSchema = z.strictObject({
  $comment: z.string().optional(),
  municipality: z.strictObject({
    code: z.string().regex(/^\d{6}$/),
    name: z.string().min(1),
    prefecture: z.string().min(1),
    contactSection: z.string().optional(),
    contactExtension: z.string().optional(),
  }),
  whitePapers: z.array(
    z.strictObject({
      title: z.string().min(1),
      publicationDate: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
      reportsOnFiscalYear: z.number().int(),
    }),
  ),
  /** The source's closing notes (◆): where the full text is read, when evaluations appear. */
  planYears: z
    .array(
      z.strictObject({
        fiscalYear: z.number().int(),
        fullTextMedia: z.array(z.string().min(1)),
        bookletDistributedAt: z.array(z.string().min(1)),
        bookletReadableAt: z.array(z.string().min(1)),
        evaluationReportsOnFiscalYear: z.number().int().optional(),
        evaluationWhitePaperTitle: z.string().min(1).optional(),
        evaluationPublication: z
          .string()
          .regex(/^\d{4}-\d{2}(-\d{2})?$/)
          .optional(),
        evaluationMedia: z.array(z.string().min(1)),
      }),
    )
    .optional(),
  departments: z.array(
    z.strictObject({
      code: z.string().regex(/^[a-z][a-z0-9-]*$/),
      name: z.string().min(1),
      nameEn: z.string().optional(),
      plans: z.array(
        z.strictObject({
          fiscalYear: z.number().int(),
          status: z.enum(['DRAFT', 'PUBLISHED']),
          /**
           * When the source published the plan: its row's publishedAt, and the time of its
           * change records (and its initiatives' and targets'), so as-of by date finds it.
           */
          publishedAt: z.iso.datetime({ offset: true }).optional(),
          mission: z.string().optional(),
          staffCount: z.number().int().nonnegative().optional(),
          budgetYen: z.number().int().nonnegative().optional(),
          policy: z.string().optional(),
          initiatives: z.array(initiativeSchema),
        }),
      ),
    }),
  ),
});

export type SeedData = z.infer<typeof seedSchema>;

export async function readSeedFile(path: string): Promise<SeedData> {
  const parsed = seedSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`Seed file ${path} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export interface SeedResult {
  created: Record<
    'municipality' | 'department' | 'plan' | 'initiative' | 'whitePaper' | 'planYear',
    number
  >;
}

type Recorder = (
  kind: keyof SeedResult['created'] | 'target',
  entityType: string,
  entityId: number,
  changes: Record<string, unknown>,
  where?: { departmentId?: number; fiscalYear?: number; at?: string | undefined },
) => void;

type SeedInitiative = z.infer<typeof initiativeSchema>;

/** The initiative's fields as its row has them (its targets are rows of their own). */
function initiativeRow({ targets: _targets, ...initiative }: SeedInitiative) {
  return initiative;
}

/** Creates an initiative's targets, recorded at its plan's publication. */
async function createTargets(
  tx: Prisma.TransactionClient,
  initiativeId: number,
  targets: SeedInitiative['targets'],
  record: Recorder,
  where: { departmentId: number; fiscalYear: number; at?: string | undefined },
) {
  for (const target of targets ?? []) {
    const row = await tx.target.create({ data: { ...target, initiativeId } });
    record('target', 'Target', row.id, { ...target, initiativeId }, where);
  }
}

/** Creates everything of `seed` below a municipality created just now (see loadSeed). */
async function createAllBelow(
  tx: Prisma.TransactionClient,
  seed: SeedData,
  municipalityId: number,
  record: Recorder,
) {
  const papers = await tx.whitePaper.createManyAndReturn({
    data: seed.whitePapers.map((paper) => ({ ...paper, municipalityId })),
  });
  for (const paper of seed.whitePapers) {
    const row = papers.find((p) => p.reportsOnFiscalYear === paper.reportsOnFiscalYear);
    if (row) record('whitePaper', 'WhitePaper', row.id, paper);
  }
  const years = seed.planYears ?? [];
  const yearRows = await tx.planYear.createManyAndReturn({
    data: years.map((year) => ({ ...year, municipalityId })),
  });
  for (const year of years) {
    const row = yearRows.find((y) => y.fiscalYear === year.fiscalYear);
    if (row) record('planYear', 'PlanYear', row.id, year, { fiscalYear: year.fiscalYear });
  }
  // Display order follows the order of the source document.
  const departmentData = seed.departments.map(({ plans: _plans, ...department }, index) => ({
    ...department,
    municipalityId,
    displayOrder: index + 1,
  }));
  const departmentRows = await tx.department.createManyAndReturn({ data: departmentData });
  const departmentId = (code: string) => {
    const row = departmentRows.find((d) => d.code === code);
    if (!row) throw new Error(`seed: department ${code} was not created`);
    return row.id;
  };
  const planRows = await tx.departmentPlan.createManyAndReturn({
    data: seed.departments.flatMap((department) =>
      department.plans.map(({ initiatives: _initiatives, budgetYen, ...plan }) => ({
        ...plan,
        departmentId: departmentId(department.code),
        ...(budgetYen === undefined ? {} : { budgetYen: BigInt(budgetYen) }),
      })),
    ),
  });
  const planId = (departmentCode: string, fiscalYear: number) => {
    const id = departmentId(departmentCode);
    const row = planRows.find((p) => p.departmentId === id && p.fiscalYear === fiscalYear);
    if (!row) throw new Error(`seed: plan ${departmentCode} ${fiscalYear} was not created`);
    return row.id;
  };
  const initiativeRows = await tx.initiative.createManyAndReturn({
    data: seed.departments.flatMap((department) =>
      department.plans.flatMap((plan) =>
        plan.initiatives.map((initiative, offset) => ({
          ...initiativeRow(initiative),
          position: offset + 1,
          planId: planId(department.code, plan.fiscalYear),
        })),
      ),
    ),
  });
  // Recorded as the row-by-row path records them: each department, then its plans, each
  // plan followed by its initiatives.
  for (const [index, { plans, ...department }] of seed.departments.entries()) {
    const id = departmentId(department.code);
    record('department', 'Department', id, departmentData[index] as Record<string, unknown>, {
      departmentId: id,
    });
    for (const { initiatives, budgetYen, ...plan } of plans) {
      const where = { departmentId: id, fiscalYear: plan.fiscalYear, at: plan.publishedAt };
      const thisPlan = planId(department.code, plan.fiscalYear);
      record('plan', 'DepartmentPlan', thisPlan, { ...plan, budgetYen }, where);
      for (const [offset, initiative] of initiatives.entries()) {
        const position = offset + 1;
        const row = initiativeRows.find((i) => i.planId === thisPlan && i.position === position);
        if (!row) throw new Error(`seed: initiative ${position} of a plan was not created`);
        record(
          'initiative',
          'Initiative',
          row.id,
          { ...initiativeRow(initiative), position },
          where,
        );
        await createTargets(tx, row.id, initiative.targets, record, where);
      }
    }
  }
}

export async function loadSeed(prisma: PrismaClient, seed: SeedData): Promise<SeedResult> {
  const created: SeedResult['created'] = {
    municipality: 0,
    department: 0,
    plan: 0,
    initiative: 0,
    whitePaper: 0,
    planYear: 0,
  };
  // A bulk load of a hundred-odd rows: Prisma's default 5 s for an interactive transaction is
  // too short on a busy machine (seen with test files loading it in parallel).
  await prisma.$transaction(
    async (tx) => {
      const { code, ...municipalityFields } = seed.municipality;
      let municipality = await tx.municipality.findUnique({ where: { code } });
      const municipalityCreated = !municipality;
      municipality ??= await tx.municipality.create({ data: { code, ...municipalityFields } });

      const records: Prisma.ChangeRecordCreateManyInput[] = [];
      const record: Recorder = (kind, entityType, entityId, changes, place = {}) => {
        if (kind !== 'target') created[kind] += 1;
        const { at, ...where } = place;
        records.push({
          // Dated at the source's publication when it gives one (as-of by date finds it).
          ...(at ? { createdAt: new Date(at) } : {}),
          municipalityId: municipality.id,
          entityType,
          entityId,
          action: 'CREATE',
          actor: SEED_ACTOR,
          actorOffice: 'system',
          changes: Object.fromEntries(
            Object.entries(changes).map(([field, after]) => [field, { before: null, after }]),
          ) as Prisma.InputJsonValue,
          ...where,
        });
      };
      if (municipalityCreated)
        record('municipality', 'Municipality', municipality.id, seed.municipality);

      if (municipalityCreated) {
        // A new municipality has nothing below it: every row is created, level by level in one
        // statement each (a first start's seed in a handful of statements, not a hundred), and
        // recorded in the same order, with the same ids, as the row-by-row path below.
        await createAllBelow(tx, seed, municipality.id, record);
      }
      for (const paper of municipalityCreated ? [] : seed.whitePapers) {
        const key = {
          municipalityId: municipality.id,
          reportsOnFiscalYear: paper.reportsOnFiscalYear,
        };
        const existing = await tx.whitePaper.findUnique({
          where: { municipalityId_reportsOnFiscalYear: key },
        });
        if (!existing) {
          const row = await tx.whitePaper.create({
            data: { ...paper, municipalityId: municipality.id },
          });
          record('whitePaper', 'WhitePaper', row.id, paper);
        }
      }

      for (const year of municipalityCreated ? [] : (seed.planYears ?? [])) {
        const key = { municipalityId: municipality.id, fiscalYear: year.fiscalYear };
        const existing = await tx.planYear.findUnique({
          where: { municipalityId_fiscalYear: key },
        });
        if (!existing) {
          const row = await tx.planYear.create({ data: { ...year, ...key } });
          record('planYear', 'PlanYear', row.id, year, { fiscalYear: year.fiscalYear });
        }
      }

      for (const [index, { plans, ...department }] of (municipalityCreated
        ? []
        : seed.departments
      ).entries()) {
        const departmentKey = { municipalityId: municipality.id, code: department.code };
        let departmentRow = await tx.department.findUnique({
          where: { municipalityId_code: departmentKey },
        });
        if (!departmentRow) {
          // Display order follows the order of the source document.
          const data = { ...department, municipalityId: municipality.id, displayOrder: index + 1 };
          departmentRow = await tx.department.create({ data });
          record('department', 'Department', departmentRow.id, data, {
            departmentId: departmentRow.id,
          });
        }

        for (const { initiatives, budgetYen, ...plan } of plans) {
          const key = { departmentId: departmentRow.id, fiscalYear: plan.fiscalYear };
          const where = { ...key, at: plan.publishedAt };
          let planRow = await tx.departmentPlan.findUnique({
            where: { departmentId_fiscalYear: key },
          });
          if (!planRow) {
            planRow = await tx.departmentPlan.create({
              data: {
                ...plan,
                ...key,
                ...(budgetYen === undefined ? {} : { budgetYen: BigInt(budgetYen) }),
              },
            });
            record('plan', 'DepartmentPlan', planRow.id, { ...plan, budgetYen }, where);
          }

          const existing = await tx.initiative.findMany({
            where: { planId: planRow.id },
            select: { position: true },
          });
          const taken = new Set(existing.map((row) => row.position));
          for (const [offset, initiative] of initiatives.entries()) {
            const position = offset + 1;
            if (taken.has(position)) continue;
            const row = await tx.initiative.create({
              data: { ...initiativeRow(initiative), position, planId: planRow.id },
            });
            record(
              'initiative',
              'Initiative',
              row.id,
              { ...initiativeRow(initiative), position },
              where,
            );
            await createTargets(tx, row.id, initiative.targets, record, where);
          }
        }
      }
      if (records.length > 0) {
        // Who could see each created entity, as for every other write (audience.ts).
        const described = await describeChanges(
          tx,
          records.map((r) => ({
            entityType: r.entityType,
            entityId: r.entityId,
            action: 'CREATE',
          })),
        );
        await tx.changeRecord.createMany({
          data: records.map((r, index) => ({ ...r, ...described[index] })),
        });
      }
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
  return { created };
}
