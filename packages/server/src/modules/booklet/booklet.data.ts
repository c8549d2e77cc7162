// What a booklet page is made of, read from the database as the public sees it: published
// plans only (a booklet is a public artefact), the year's closing notes (PlanYear), the
// municipality's contact, and for the white paper's section its published evaluations.
import type { PrismaClient } from '../../db/client.ts';
import { builtObjectType, columnFields } from '../../graphql/fields.ts';
import { type FiscalYear, fiscalYear } from '../fiscal-year/fiscal-year.ts';

export interface BookletInitiative {
  text: string;
  isAdministrativeReform: boolean;
  footnotes: string[];
}

/** One ② figure: a plan field the schema marks as ② (職員数, 予算規模), with its unit. */
export interface BookletResource {
  term: string;
  value: number;
  unit: string;
}

/** The ② fields, as the schema declares them: their source term starts with ②. */
export function resourceFields() {
  return columnFields(builtObjectType('DepartmentPlan')).flatMap((field) =>
    field.openData && field.openData.sourceTerm?.startsWith('②')
      ? [{ column: field.column, ...field.openData }]
      : [],
  );
}

function resourcesOf(plan: Record<string, unknown>): BookletResource[] {
  return resourceFields().flatMap(({ column, ja, unit }) => {
    const value = plan[column];
    return value === null || value === undefined
      ? []
      : [{ term: ja, value: Number(value), unit: (unit ?? '').split(' ')[0] ?? '' }];
  });
}

export interface BookletDepartment {
  name: string;
  /** ① ② ③: shown only when the plan states them (the newsletter page gives none). */
  mission: string | null;
  /** ② 部の経営資源 as the plan states them (none on the newsletter page). */
  resources: BookletResource[];
  policy: string | null;
  initiatives: BookletInitiative[];
}

export interface BookletPlanPage {
  municipality: {
    code: string;
    name: string;
    contactSection: string | null;
    contactExtension: string | null;
  };
  fiscalYear: FiscalYear;
  departments: BookletDepartment[];
  /** True when the previous year had no ☞ project, so this year introduces them. */
  reformIntroducedThisYear: boolean;
  notes: {
    fullTextMedia: string[];
    bookletDistributedAt: string[];
    bookletReadableAt: string[];
    evaluationReportsOnFiscalYear: number | null;
    evaluationWhitePaperTitle: string | null;
    evaluationPublication: string | null;
    evaluationMedia: string[];
  } | null;
  /** When the page's data last changed: the latest publication among its plans. */
  publishedAt: Date | null;
}

const PUBLISHED = 'PUBLISHED' as const;

/** The 各部の運営方針と目標 page of one municipality and fiscal year; null when nothing is published. */
export async function loadPlanPage(
  prisma: PrismaClient,
  code: string,
  year: number,
): Promise<BookletPlanPage | null> {
  const municipality = await prisma.municipality.findUnique({ where: { code } });
  if (!municipality) return null;
  const [plans, planYear, reformLastYear] = await Promise.all([
    prisma.departmentPlan.findMany({
      where: {
        fiscalYear: year,
        status: PUBLISHED,
        department: { municipalityId: municipality.id },
      },
      orderBy: [{ departmentOrder: 'asc' }, { id: 'asc' }],
      include: {
        department: { include: { formerNames: true } },
        initiatives: { orderBy: { position: 'asc' } },
      },
    }),
    prisma.planYear.findUnique({
      where: { municipalityId_fiscalYear: { municipalityId: municipality.id, fiscalYear: year } },
    }),
    prisma.initiative.count({
      where: {
        isAdministrativeReform: true,
        plan: {
          fiscalYear: year - 1,
          status: PUBLISHED,
          department: { municipalityId: municipality.id },
        },
      },
    }),
  ]);
  if (plans.length === 0) return null;
  return {
    municipality,
    fiscalYear: fiscalYear(year),
    departments: plans.map((plan) => ({
      name: nameInYear(plan.department, year),
      mission: plan.mission,
      resources: resourcesOf(plan),
      policy: plan.policy,
      initiatives: plan.initiatives.map((i) => ({
        text: i.text,
        isAdministrativeReform: i.isAdministrativeReform,
        footnotes: i.footnotes,
      })),
    })),
    reformIntroducedThisYear:
      reformLastYear === 0 &&
      plans.some((p) => p.initiatives.some((i) => i.isAdministrativeReform)),
    notes: planYear,
    publishedAt: plans.reduce<Date | null>(
      (latest, p) =>
        p.publishedAt && (!latest || p.publishedAt > latest) ? p.publishedAt : latest,
      null,
    ),
  };
}

/** The department's name as it was in `year` (a later rename keeps the old name there). */
function nameInYear(
  department: { name: string; formerNames: { untilFiscalYear: number; name: string }[] },
  year: number,
): string {
  const former = department.formerNames
    .filter((f) => f.untilFiscalYear >= year)
    .sort((a, b) => a.untilFiscalYear - b.untilFiscalYear)[0];
  return former?.name ?? department.name;
}

export interface BookletEvaluation extends BookletInitiative {
  /** Null until a stage is completed (a published evaluation always has one). */
  rating: string | null;
  progressPercent: number | null;
  summary: string | null;
  decision: string | null;
}

export interface BookletEvaluationSection {
  municipality: BookletPlanPage['municipality'];
  whitePaper: { title: string; publicationDate: string; url: string | null };
  fiscalYear: FiscalYear;
  departments: { name: string; evaluations: BookletEvaluation[] }[];
}

/** The white paper reporting on `year`: its published evaluations, by department and position. */
export async function loadEvaluationSection(
  prisma: PrismaClient,
  code: string,
  year: number,
): Promise<BookletEvaluationSection | null> {
  const municipality = await prisma.municipality.findUnique({ where: { code } });
  if (!municipality) return null;
  const whitePaper = await prisma.whitePaper.findUnique({
    where: {
      municipalityId_reportsOnFiscalYear: {
        municipalityId: municipality.id,
        reportsOnFiscalYear: year,
      },
    },
  });
  if (!whitePaper?.publishedAt) return null;
  const evaluations = await prisma.evaluation.findMany({
    where: {
      whitePaperId: whitePaper.id,
      status: PUBLISHED,
      initiative: { plan: { status: PUBLISHED } },
    },
    include: {
      initiative: {
        include: { plan: { include: { department: { include: { formerNames: true } } } } },
      },
    },
  });
  evaluations.sort(
    (a, b) =>
      a.initiative.plan.departmentOrder - b.initiative.plan.departmentOrder ||
      a.initiative.plan.id - b.initiative.plan.id ||
      a.initiative.position - b.initiative.position,
  );
  const departments: BookletEvaluationSection['departments'] = [];
  for (const e of evaluations) {
    const name = nameInYear(e.initiative.plan.department, year);
    let current = departments.at(-1);
    if (current?.name !== name) {
      current = { name, evaluations: [] };
      departments.push(current);
    }
    current.evaluations.push({
      text: e.initiative.text,
      isAdministrativeReform: e.initiative.isAdministrativeReform,
      footnotes: e.initiative.footnotes,
      rating: e.rating,
      progressPercent: e.progressPercent,
      summary: e.summary,
      decision: e.decision,
    });
  }
  return {
    municipality,
    whitePaper,
    fiscalYear: fiscalYear(year),
    departments,
  };
}
