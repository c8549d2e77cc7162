// R1, the database ceiling: node:http and one hand-written SQL statement per request (json_agg
// builds the whole answer in the database), serialised by hand to the bytes hoshin sends.
// On PostgreSQL through `pg` with named prepared statements; on PGlite in process.
import { CursorSealer, cursorKeyFromSecret, fiscalYear } from '@hoshin/server/testing';
import { BENCH_CURSOR_SECRET } from '../lib/server-env.ts';
import {
  CONTRACT_ARGS,
  CONTRACT_FIRST,
  LIST_FISCAL_YEAR,
  LIST_INITIATIVES,
  type Scenario,
} from '../scenarios.ts';

/** Runs one statement; `name` lets a driver prepare it once. Returns the rows. */
export type RunSql = (name: string, text: string, values: unknown[]) => Promise<unknown[]>;

// Cursors are the ones Pothos makes for the keyset cursor `planId_position` (a tagged tuple:
// base64 of 'GPC:T:["N:<plan>","N:<position>"]'), then sealed as hoshin seals them
// (graphql/cursors.ts) with the bench's key.
const cursor = (row: string) =>
  `encode(convert_to('GPC:T:["N:' || ${row}."planId" || '","N:' || ${row}.position || '"]', 'UTF8'), 'base64')`;
const evaluation = `CASE WHEN e.status = 'PUBLISHED' THEN json_build_object('rating', e.rating) END`;

export const CONTRACT_SQL = `
SELECT json_build_object(
  'department', json_build_object('code', d.code, 'name', d.name),
  'fiscalYear', p."fiscalYear",
  'mission', p.mission, 'staffCount', p."staffCount", 'budgetYen', p."budgetYen",
  'policy', p.policy, 'status', p.status,
  'initiatives', json_build_object(
    'totalCount', (SELECT count(*) FROM "Initiative" AS c WHERE c."planId" = p.id),
    'edges', coalesce((
      SELECT json_agg(json_build_object(
        'cursor', ${cursor('i')},
        'node', json_build_object('position', i.position, 'text', i.text,
          'isAdministrativeReform', i."isAdministrativeReform", 'footnotes', i.footnotes,
          'evaluation', ${evaluation})) ORDER BY i.position)
      FROM (SELECT * FROM "Initiative" WHERE "planId" = p.id ORDER BY position LIMIT $4) AS i
      LEFT JOIN "Evaluation" AS e ON e."initiativeId" = i.id), '[]'::json))) AS plan
FROM "DepartmentPlan" AS p
JOIN "Department" AS d ON d.id = p."departmentId"
JOIN "Municipality" AS m ON m.id = d."municipalityId"
WHERE m.code = $1 AND d.code = $2 AND p."fiscalYear" = $3 AND p.status = 'PUBLISHED'`;

export const LIST_SQL = `
SELECT coalesce(json_agg(json_build_object('node', json_build_object(
  'department', json_build_object('name', d.name),
  'initiatives', json_build_object('edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object('text', i.text,
      'evaluation', ${evaluation})) ORDER BY i.position)
    FROM (SELECT * FROM "Initiative" WHERE "planId" = p.id ORDER BY position LIMIT $3) AS i
    LEFT JOIN "Evaluation" AS e ON e."initiativeId" = i.id), '[]'::json))))
  ORDER BY p."fiscalYear" DESC, d."displayOrder", p.id), '[]'::json) AS edges
FROM (
  SELECT p.* FROM "DepartmentPlan" AS p JOIN "Department" AS d ON d.id = p."departmentId"
  WHERE p."fiscalYear" = $1 AND p.status = 'PUBLISHED'
  ORDER BY p."fiscalYear" DESC, d."displayOrder", p.id LIMIT $2
) AS p
JOIN "Department" AS d ON d.id = p."departmentId"`;

interface ContractRow {
  plan: {
    fiscalYear: unknown;
    initiatives: { totalCount: number; edges: { cursor: string }[]; pageInfo?: unknown };
  } | null;
}

const sealer = new CursorSealer(cursorKeyFromSecret(BENCH_CURSOR_SECRET));

/** The response bytes for a scenario, from one SQL statement. */
export function createRawSqlAnswerer(run: RunSql) {
  return async (scenario: Scenario): Promise<string> => {
    if (scenario.listSize === undefined) {
      const [row] = (await run('contract', CONTRACT_SQL, [
        CONTRACT_ARGS.municipality,
        CONTRACT_ARGS.department,
        CONTRACT_ARGS.fiscalYear,
        CONTRACT_FIRST,
      ])) as ContractRow[];
      const plan = row?.plan ?? null;
      if (plan) {
        // Assigning to keys that exist keeps their position, so the key order stays the query's.
        const year = plan.fiscalYear as number;
        plan.fiscalYear = { year, label: fiscalYear(year).label };
        const { edges, totalCount } = plan.initiatives;
        for (const edge of edges) {
          edge.cursor = sealer.seal('DepartmentPlanInitiativesConnection', 'public', edge.cursor);
        }
        plan.initiatives.pageInfo = {
          hasNextPage: totalCount > CONTRACT_FIRST,
          endCursor: edges.at(-1)?.cursor ?? null,
        };
      }
      return JSON.stringify({ data: { plan } });
    }
    const [row] = (await run('list', LIST_SQL, [
      LIST_FISCAL_YEAR,
      scenario.listSize,
      LIST_INITIATIVES,
    ])) as { edges: unknown[] }[];
    return JSON.stringify({ data: { plans: { edges: row?.edges ?? [] } } });
  };
}
