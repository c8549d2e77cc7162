// Atom feeds of publications, per municipality, department and year: a plan published, an
// evaluation published, a white paper published. Read from the change records (every write
// has one, written in its transaction) and shown only while the thing is public now: a plan
// taken back to draft leaves the feed.
import { createHash } from 'node:crypto';
import { Feed } from 'feed';
import { anonymous } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import { formerNamesSelect, namingIn } from '../department/department-naming.ts';
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';
import { visibleEvaluations, visiblePlans } from '../visibility/visibility.policy.ts';

export interface FeedScope {
  municipality: string;
  year?: number;
  department?: string;
}

export interface BuiltFeed {
  xml: string;
  etag: string;
  lastModified: Date;
}

/** The newest entries a feed holds. */
const ENTRIES = 100;

const PUBLICATIONS = ['DepartmentPlan', 'Evaluation', 'WhitePaper'] as const;

/** The feed's path below the server: what the landing page and the feed itself link to. */
export function feedPath(scope: FeedScope): string {
  return `/open-data/${scope.municipality}${scope.year !== undefined ? `/${scope.year}` : ''}${
    scope.department !== undefined ? `/departments/${scope.department}` : ''
  }/feed.atom`;
}

/** The feed of the scope; null when the municipality or department does not exist. */
export async function publicationFeed(
  prisma: PrismaClient,
  scope: FeedScope,
  base: string,
): Promise<BuiltFeed | null> {
  const municipality = await prisma.municipality.findUnique({
    where: { code: scope.municipality },
    select: { id: true, name: true, createdAt: true },
  });
  if (!municipality) return null;
  let departmentId: number | undefined;
  if (scope.department !== undefined) {
    const department = await prisma.department.findUnique({
      where: {
        municipalityId_code: { municipalityId: municipality.id, code: scope.department },
      },
      select: { id: true },
    });
    if (!department) return null;
    departmentId = department.id;
  }
  const records = await prisma.changeRecord.findMany({
    where: {
      municipalityId: municipality.id,
      entityType: { in: [...PUBLICATIONS] },
      audienceAfter: 'PUBLIC',
      ...(departmentId !== undefined ? { departmentId } : {}),
      ...(scope.year !== undefined ? { fiscalYear: scope.year } : {}),
      OR: [
        { changes: { path: ['status', 'after'], equals: 'PUBLISHED' } },
        { entityType: 'WhitePaper', action: 'UPDATE' },
      ],
    },
    orderBy: { id: 'desc' },
    take: 4 * ENTRIES,
    select: { id: true, entityType: true, entityId: true, changes: true, createdAt: true },
  });
  const published = records.filter(
    (r) =>
      r.entityType !== 'WhitePaper' ||
      Boolean((r.changes as { publishedAt?: { after?: unknown } }).publishedAt?.after),
  );
  const ids = (type: string) => [
    ...new Set(published.filter((r) => r.entityType === type).map((r) => r.entityId)),
  ];
  // What is public now, as any reader would get it.
  const ctx = { viewer: anonymous };
  const department = {
    select: { code: true, name: true, nameEn: true, displayOrder: true, ...formerNamesSelect },
  };
  const [plans, evaluations, papers] = await Promise.all([
    prisma.departmentPlan.findMany({
      where: { AND: [visiblePlans(ctx), { id: { in: ids('DepartmentPlan') } }] },
      select: { id: true, fiscalYear: true, department },
    }),
    prisma.evaluation.findMany({
      where: { AND: [visibleEvaluations(ctx), { id: { in: ids('Evaluation') } }] },
      select: {
        id: true,
        initiative: {
          select: {
            position: true,
            text: true,
            plan: { select: { fiscalYear: true, department } },
          },
        },
      },
    }),
    prisma.whitePaper.findMany({
      where: { id: { in: ids('WhitePaper') }, publishedAt: { not: null } },
      select: { id: true, title: true, url: true, reportsOnFiscalYear: true },
    }),
  ]);
  const planOf = new Map(plans.map((p) => [p.id, p]));
  const evaluationOf = new Map(evaluations.map((e) => [e.id, e]));
  const paperOf = new Map(papers.map((p) => [p.id, p]));
  const nameIn = (d: (typeof plans)[number]['department'], year: number) =>
    namingIn(d, d.formerNames, year).name;
  const landing = (year: number) => `${base}/open-data/${scope.municipality}/${year}/`;

  const entries: { id: bigint; title: string; link: string; date: Date; category: string }[] = [];
  for (const record of published) {
    if (entries.length >= ENTRIES) break;
    const plan = record.entityType === 'DepartmentPlan' ? planOf.get(record.entityId) : undefined;
    const evaluation =
      record.entityType === 'Evaluation' ? evaluationOf.get(record.entityId) : undefined;
    const paper = record.entityType === 'WhitePaper' ? paperOf.get(record.entityId) : undefined;
    if (plan) {
      const label = fiscalYearOf(plan.fiscalYear).label;
      entries.push({
        id: record.id,
        title: `${nameIn(plan.department, plan.fiscalYear)} ${label}の運営方針と目標を公表しました`,
        link: landing(plan.fiscalYear),
        date: record.createdAt,
        category: 'plan-published',
      });
    } else if (evaluation) {
      const { plan: p, position, text } = evaluation.initiative;
      entries.push({
        id: record.id,
        title: `${nameIn(p.department, p.fiscalYear)} ${fiscalYearOf(p.fiscalYear).label} 個別事業${position}「${text.slice(0, 40)}」の達成状況を公表しました`,
        link: landing(p.fiscalYear),
        date: record.createdAt,
        category: 'evaluation-published',
      });
    } else if (paper) {
      entries.push({
        id: record.id,
        title: `${paper.title}を公表しました`,
        link: paper.url ?? landing(paper.reportsOnFiscalYear),
        date: record.createdAt,
        category: 'white-paper-published',
      });
    }
  }

  const self = `${base}${feedPath(scope)}`;
  const lastModified = entries[0]?.date ?? municipality.createdAt;
  const feed = new Feed({
    id: self,
    title: `${municipality.name} 運営方針と目標・達成状況の公表${
      scope.department !== undefined ? ` (${scope.department})` : ''
    }${scope.year !== undefined ? ` ${fiscalYearOf(scope.year).label}` : ''}`,
    link: `${base}/open-data/${scope.municipality}${scope.year !== undefined ? `/${scope.year}` : ''}/`,
    language: 'ja',
    updated: lastModified,
    // No version in the document: the same entries give the same bytes (and ETag).
    generator: 'hoshin',
    feedLinks: { atom: self },
    author: { name: municipality.name },
    copyright: municipality.name,
  });
  for (const entry of entries) {
    feed.addItem({
      id: `${self}#change-${entry.id}`,
      title: entry.title,
      link: entry.link,
      date: entry.date,
      published: entry.date,
      category: [{ term: entry.category, name: entry.category }],
    });
  }
  const xml = feed.atom1();
  const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
  return { xml, etag, lastModified };
}
