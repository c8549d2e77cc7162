// The synthetic data generator: a few INSERT ... SELECT FROM generate_series statements that
// build every row inside the database (PostgreSQL or PGlite, same SQL), so even national scale
// loads without a row crossing the wire. Deterministic: every value is a pure function of the
// row's logical key (municipality, department, year, position) and the seed, through
// PostgreSQL's hashint8extended. Ids are arithmetic, so relations need no lookups.
import { type DataSize, FIRST_FISCAL_YEAR } from './sizes.ts';
import * as v from './vocabulary.ts';

/** Bump when the generated rows change: cached databases with another version are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface GeneratorOptions {
  size: DataSize;
  /** Any integer; the same seed gives the same rows. */
  seed: number;
}

function literalArray(pool: readonly string[]): string {
  for (const word of pool) {
    if (word.includes("'")) throw new Error(`vocabulary word with a quote: ${word}`);
  }
  return `ARRAY[${pool.map((word) => `'${word}'`).join(',')}]::text[]`;
}

/** SQL builders bound to one seed. `key` is an SQL expression of a row's logical key. */
function sqlHelpers(seed: number) {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  /** A non-negative int from the key and a salt (one salt per column that needs randomness). */
  const hash = (key: string, salt: number) =>
    `(hashint8extended((${key})::bigint * 64 + ${salt}, ${seed}) & 2147483647)`;
  const pick = (pool: readonly string[], key: string, salt: number) =>
    `(${literalArray(pool)})[1 + ${hash(key, salt)} % ${pool.length}]`;
  /** True for about `percent` % of keys. */
  const chance = (percent: number, key: string, salt: number) =>
    `(${hash(key, salt)} % 100 < ${percent})`;
  return { hash, pick, chance };
}

/**
 * Logical keys are independent of the size, so municipality 1's kyoiku FY2012 plan has the same
 * text at every size (only ids differ): the scale ratio compares identical answers.
 */
const planKey = (m: string, d: string, y: string) =>
  `(((${m}) * 16 + (${d})) * 128 + (${y})) * 128`;

/** The statements that fill an empty, migrated database. Run them in order, in one session. */
export function generatorStatements({ size, seed }: GeneratorOptions): string[] {
  const { hash, pick, chance } = sqlHelpers(seed);
  const M = size.municipalities;
  const D = size.departments;
  const Y = size.years;
  const I = size.initiativesPerPlan;
  if (D > v.DEPARTMENTS.length) throw new Error(`at most ${v.DEPARTMENTS.length} departments`);
  const newestYearIsDraft = Y > 1;

  const municipalityName = `CASE WHEN m = 1 THEN '三鷹市' ELSE ${pick(v.PLACE_HEADS, 'm', 1)} || ${pick(v.PLACE_TAILS, 'm', 2)} || CASE WHEN ${chance(40, 'm', 3)} THEN ${pick(v.PLACE_TAILS, 'm', 4)} ELSE '' END || ${pick(v.PLACE_KINDS, 'm', 5)} END`;
  // National local-government code: 2-digit prefecture, 3-digit city, check digit (JIS X 0401/0402).
  // Synthetic cities are numbered from 300 so they never collide with Mitaka's 13204.
  const code5 = `CASE WHEN m = 1 THEN '13204' ELSE lpad((1 + m % 47)::text, 2, '0') || lpad((300 + m / 47)::text, 3, '0') END`;
  const checkDigit = (c: string) =>
    `((11 - ((substr(${c},1,1)::int * 6 + substr(${c},2,1)::int * 5 + substr(${c},3,1)::int * 4 + substr(${c},4,1)::int * 3 + substr(${c},5,1)::int * 2) % 11)) % 10)::text`;
  const prefecture = `CASE WHEN m = 1 THEN '東京都' ELSE (${literalArray(v.PREFECTURES)})[1 + m % 47] END`;

  const municipalities = `
INSERT INTO "Municipality" (id, code, name, prefecture, "contactSection", "contactExtension", "createdAt", "updatedAt")
SELECT m, c5 || ${checkDigit('c5')}, ${municipalityName}, ${prefecture},
  CASE WHEN m = 1 THEN '企画経営課' ELSE ${pick(v.CONTACT_SECTIONS, 'm', 6)} END,
  CASE WHEN m = 1 THEN '2150' ELSE (2000 + ${hash('m', 7)} % 900)::text END,
  timestamptz '${FIRST_FISCAL_YEAR}-04-01 00:00:00+00', timestamptz '${FIRST_FISCAL_YEAR}-04-01 00:00:00+00'
FROM generate_series(1, ${M}) AS m, LATERAL (SELECT ${code5} AS c5) AS code`;

  const departmentRows = v.DEPARTMENTS.slice(0, D);
  const departments = `
INSERT INTO "Department" (id, "municipalityId", code, name, "nameEn", "displayOrder", "createdAt", "updatedAt")
SELECT (m - 1) * ${D} + d, m, (${literalArray(departmentRows.map((r) => r.code))})[d],
  (${literalArray(departmentRows.map((r) => r.name))})[d], (${literalArray(departmentRows.map((r) => r.nameEn))})[d], d,
  timestamptz '${FIRST_FISCAL_YEAR}-04-01 00:00:00+00', timestamptz '${FIRST_FISCAL_YEAR}-04-01 00:00:00+00'
FROM generate_series(1, ${M}) AS m, generate_series(1, ${D}) AS d`;

  // Plan ids are ((department id - 1) * Y + y): municipality, department and year follow from
  // the id alone, and the next year's plan of a department is id + 1.
  const planCoordinates = (id: string) => `
    ((${id}) - 1) % ${Y} + 1 AS y,
    (((${id}) - 1) / ${Y}) % ${D} + 1 AS d,
    ((${id}) - 1) / ${Y * D} + 1 AS m`;
  const sentence = (key: string, salt: number) =>
    `CASE ${hash(key, salt)} % 3
      WHEN 0 THEN ${pick(v.TOPICS, key, salt + 1)} || 'の' || ${pick(v.AIMS, key, salt + 2)} || 'に向け、' || ${pick(v.MEASURES, key, salt + 3)} || 'を' || ${pick(v.ENDINGS, key, salt + 4)} || '。'
      WHEN 1 THEN ${pick(v.TOPICS, key, salt + 1)} || 'の' || ${pick(v.AIMS, key, salt + 2)} || 'を図るため、' || ${pick(v.MEASURES, key, salt + 3)} || 'を' || ${pick(v.ENDINGS, key, salt + 4)} || '。'
      ELSE ${pick(v.MEASURES, key, salt + 3)} || 'により、' || ${pick(v.TOPICS, key, salt + 1)} || 'の' || ${pick(v.AIMS, key, salt + 2)} || 'を' || ${pick(v.ENDINGS, key, salt + 4)} || '。'
    END`;
  const linked = (key: string, salt: number) =>
    `${pick(v.LINKS, key, salt)} || ${pick(v.TOPICS, key, salt + 1)} || 'の' || ${pick(v.MEASURES, key, salt + 2)} || 'を' || ${pick(v.ENDINGS, key, salt + 3)} || '。'`;

  const plans = `
INSERT INTO "DepartmentPlan" (id, "departmentId", "fiscalYear", mission, "staffCount", "budgetYen", policy, status, "publishedAt", "createdAt", "updatedAt")
SELECT id, (id - 1) / ${Y} + 1, ${FIRST_FISCAL_YEAR - 1} + y,
  (${literalArray(departmentRows.map((r) => r.name))})[d] || 'は、' || ${pick(v.VALUES, 'k', 1)} || 'を目指し、' || ${pick(v.TOPICS, 'k', 2)} || 'と' || ${pick(v.TOPICS, 'k', 3)} || 'の' || ${pick(v.AIMS, 'k', 4)} || 'に取り組みます。' || ${linked('k', 10)} || CASE WHEN ${chance(60, 'k', 5)} THEN ${linked('k', 20)} ELSE '' END,
  20 + ${hash('k', 6)} % 300,
  (1000 + ${hash('k', 7)} % 60000)::bigint * 100000,
  ${sentence('k', 30)} || ${linked('k', 40)} || CASE WHEN ${chance(50, 'k', 8)} THEN ${sentence('k', 50)} ELSE '' END,
  CAST(${newestYearIsDraft ? `CASE WHEN y = ${Y} THEN 'DRAFT' ELSE 'PUBLISHED' END` : `'PUBLISHED'`} AS "PublicationStatus"),
  ${newestYearIsDraft ? `CASE WHEN y = ${Y} THEN NULL ELSE ` : ''}make_timestamptz(${FIRST_FISCAL_YEAR - 1} + y, 4, 1, 0, 0, 0, 'UTC') + (${hash('k', 9)} % 30) * interval '1 day'${newestYearIsDraft ? ' END' : ''},
  make_timestamptz(${FIRST_FISCAL_YEAR - 2} + y, 12, 1, 0, 0, 0, 'UTC'),
  make_timestamptz(${FIRST_FISCAL_YEAR - 1} + y, 3, 20, 0, 0, 0, 'UTC')
FROM (
  SELECT id, y, d, m, ${planKey('m', 'd', 'y')} AS k
  FROM (SELECT id, ${planCoordinates('id')} FROM generate_series(1, ${M * D * Y}) AS id) AS coordinates
) AS plan`;

  // One initiative in five is an administrative-reform project (☞), one in seven has a footnote.
  const initiatives = `
INSERT INTO "Initiative" (id, "planId", position, text, "isAdministrativeReform", footnotes, citations, "createdAt", "updatedAt")
SELECT (plan_id - 1) * ${I} + p, plan_id, p,
  ${sentence('k', 1)}
    || CASE WHEN ${hash('k', 10)} % 100 < 20 THEN '' ELSE ${linked('k', 11)} END
    || CASE WHEN ${hash('k', 10)} % 100 < 75 THEN '' ELSE ${linked('k', 15)} END
    || CASE WHEN has_footnote THEN '(※)' ELSE '' END,
  ${chance(20, 'k', 20)},
  CASE WHEN has_footnote THEN ARRAY[${pick(v.FOOTNOTES, 'k', 22)}] ELSE ARRAY[]::text[] END,
  CASE WHEN ${chance(25, 'k', 23)} THEN ARRAY[${pick(v.CITATIONS, 'k', 24)}] ELSE ARRAY[]::text[] END,
  make_timestamptz(${FIRST_FISCAL_YEAR - 2} + y, 12, 1, 0, 0, 0, 'UTC'),
  make_timestamptz(${FIRST_FISCAL_YEAR - 1} + y, 3, 20, 0, 0, 0, 'UTC')
FROM (
  SELECT plan_id, p, y, ${planKey('m', 'd', 'y')} + p AS k, ${chance(14, `${planKey('m', 'd', 'y')} + p`, 21)} AS has_footnote
  FROM (SELECT plan_id, ${planCoordinates('plan_id')} FROM generate_series(1, ${M * D * Y}) AS plan_id) AS coordinates,
    generate_series(1, ${I}) AS p
) AS initiative`;

  const whitePapers = `
INSERT INTO "WhitePaper" (id, "municipalityId", title, "publicationDate", "reportsOnFiscalYear", url, "createdAt", "updatedAt")
SELECT (mu.id - 1) * ${Y} + y, mu.id, mu.name || '自治体経営白書' || (${FIRST_FISCAL_YEAR} + y),
  (${FIRST_FISCAL_YEAR} + y) || '-07', ${FIRST_FISCAL_YEAR - 1} + y,
  'https://example.jp/' || mu.code || '/hakusho/' || (${FIRST_FISCAL_YEAR} + y) || '.pdf',
  make_timestamptz(${FIRST_FISCAL_YEAR} + y, 7, 1, 0, 0, 0, 'UTC'), make_timestamptz(${FIRST_FISCAL_YEAR} + y, 7, 1, 0, 0, 0, 'UTC')
FROM "Municipality" AS mu, generate_series(1, ${Y}) AS y`;

  // Published plans are evaluated: nine initiatives in ten have an evaluation, one evaluation in
  // twenty is still a draft. Evaluation id = initiative id.
  const rating = `CASE WHEN r < 40 THEN 'ACHIEVED' WHEN r < 70 THEN 'MOSTLY_ACHIEVED' WHEN r < 90 THEN 'PARTIALLY_ACHIEVED' ELSE 'NOT_ACHIEVED' END`;
  const decision = `CASE WHEN q < 60 THEN 'CONTINUE' WHEN q < 75 THEN 'EXPAND' WHEN q < 85 THEN 'REDUCE' WHEN q < 95 THEN 'COMPLETE' ELSE 'ABOLISH' END`;
  const evaluations = `
INSERT INTO "Evaluation" (id, "initiativeId", rating, "progressPercent", summary, decision, "nextInitiativeId", "whitePaperId", status, "createdAt", "updatedAt")
SELECT initiative_id, initiative_id, CAST(${rating} AS "AchievementRating"),
  CASE WHEN r < 40 THEN 100 WHEN r < 70 THEN 80 + r % 20 WHEN r < 90 THEN 30 + r % 50 ELSE r % 30 END,
  ${pick(v.MEASURES, 'k', 32)} || 'を' || ${pick(v.DONE, 'k', 33)} || '。' || ${pick(v.OUTCOMES, 'k', 34)} || '。'
    || CASE WHEN ${chance(50, 'k', 35)} THEN ${pick(v.LINKS, 'k', 36)} || ${pick(v.TOPICS, 'k', 37)} || 'については' || ${pick(v.OUTCOMES, 'k', 38)} || '。' ELSE '' END,
  CAST(${decision} AS "NextYearDecision"),
  CASE WHEN y < ${Y} AND q < 85 THEN initiative_id + ${I} END,
  (m - 1) * ${Y} + y,
  CAST(CASE WHEN ${chance(5, 'k', 39)} THEN 'DRAFT' ELSE 'PUBLISHED' END AS "PublicationStatus"),
  make_timestamptz(${FIRST_FISCAL_YEAR} + y, 6, 1, 0, 0, 0, 'UTC'),
  make_timestamptz(${FIRST_FISCAL_YEAR} + y, 7, 1, 0, 0, 0, 'UTC')
FROM (
  SELECT (plan_id - 1) * ${I} + p AS initiative_id, y, m, k, ${hash('k', 30)} % 100 AS r, ${hash('k', 31)} % 100 AS q
  FROM (
    SELECT plan_id, p, y, m, ${planKey('m', 'd', 'y')} + p AS k
    FROM (SELECT plan_id, ${planCoordinates('plan_id')} FROM generate_series(1, ${M * D * Y}) AS plan_id) AS coordinates,
      generate_series(1, ${I}) AS p
  ) AS keyed
  WHERE ${newestYearIsDraft ? `y < ${Y} AND ` : ''}${hash('k', 29)} % 10 <> 0
) AS evaluated`;

  const tables = [
    'Municipality',
    'Department',
    'DepartmentPlan',
    'Initiative',
    'WhitePaper',
    'Evaluation',
  ];
  // Ids were given explicitly: move each sequence past them so later inserts still work.
  const sequences = tables.map(
    (table) =>
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM "${table}"), false)`,
  );
  return [municipalities, departments, plans, initiatives, whitePapers, evaluations, ...sequences];
}

/** Something that runs one SQL statement: a pg client or a PGlite instance. */
export type Execute = (sql: string) => Promise<unknown>;

/**
 * Fills a freshly migrated database in one transaction and analyses it. Foreign-key triggers
 * are skipped when the role may (superuser): every id is computed consistently, and the
 * smoke test checks that no reference dangles.
 */
export async function generateInto(execute: Execute, options: GeneratorOptions): Promise<void> {
  await execute('BEGIN');
  try {
    try {
      await execute('SAVEPOINT replica');
      await execute('SET LOCAL session_replication_role = replica');
      await execute('RELEASE SAVEPOINT replica');
    } catch {
      await execute('ROLLBACK TO SAVEPOINT replica');
    }
    for (const statement of generatorStatements(options)) await execute(statement);
    await execute('COMMIT');
  } catch (error) {
    await execute('ROLLBACK');
    throw error;
  }
  await execute('ANALYZE');
}
