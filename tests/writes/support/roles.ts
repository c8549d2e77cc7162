// What the write tests share: a seeded API, a token for every kind of caller, and ways to
// look at what a write left behind (rows, change records) or to make one fail half-way.
import type { PrismaClient } from '@hoshin/server/testing';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { factories, tokenFor } from '../../support/factories.ts';

export const MITAKA = '132047';

/** The callers every mutation is tried with; `null` is the anonymous public. */
export interface Callers {
  anonymous: null;
  /** EDITOR of Mitaka's 企画部. */
  editor: string;
  /** PLANNING of another city. */
  otherPlanning: string;
  /** PLANNING of Mitaka (企画経営課). */
  planning: string;
  /** ADMIN of Mitaka. */
  admin: string;
  /** ADMIN of another city. */
  otherAdmin: string;
  /** ADMIN without a municipality: of every one. */
  globalAdmin: string;
}

export interface WriteWorld {
  api: TestApi;
  prisma: PrismaClient;
  make: ReturnType<typeof factories>;
  mitaka: { id: number; code: string };
  other: { id: number; code: string };
  callers: Callers;
  /** The query function of a caller. */
  as(caller: keyof Callers): TestApi['query'];
}

export async function startWriteWorld(): Promise<WriteWorld> {
  const api = await startTestApi({ seed: true });
  const prisma = api.db.prisma;
  const make = factories(prisma);
  const mitaka = await prisma.municipality.findUniqueOrThrow({ where: { code: MITAKA } });
  const other = await make.municipality({ name: '他市' });
  const callers: Callers = {
    anonymous: null,
    editor: await tokenFor(prisma, {
      name: '企画部 editor',
      role: 'EDITOR',
      municipality: MITAKA,
      department: 'kikaku',
    }),
    otherPlanning: await tokenFor(prisma, {
      name: '他市 planning',
      role: 'PLANNING',
      municipality: other.code,
    }),
    planning: await tokenFor(prisma, {
      name: '企画経営課',
      role: 'PLANNING',
      municipality: MITAKA,
    }),
    admin: await tokenFor(prisma, { name: '三鷹 admin', role: 'ADMIN', municipality: MITAKA }),
    otherAdmin: await tokenFor(prisma, {
      name: '他市 admin',
      role: 'ADMIN',
      municipality: other.code,
    }),
    globalAdmin: await tokenFor(prisma, { name: 'global admin', role: 'ADMIN' }),
  };
  return {
    api,
    prisma,
    make,
    mitaka,
    other,
    callers,
    as: (caller) => {
      const token = callers[caller];
      return token === null ? api.query : api.as(token).query;
    },
  };
}

/** The name a token is written into change records under. */
export function actorOf(token: string, name: string): string {
  return `token:${token.split('_')[1]} (${name})`;
}

export function globalId(typename: string, id: number): string {
  return Buffer.from(`${typename}:${id}`).toString('base64');
}

/** Selections for a mutation's result union: every error type with its fields. */
export const errorSelection = `
  __typename
  ... on Error { message }
  ... on ValidationError { issues { path code message } }
  ... on NotFoundError { entityType id }
`;

/** The same for writes to a versioned record. */
export const versionedErrorSelection = `${errorSelection}
  ... on VersionConflictError { expectedVersion currentVersion }
`;

export function changeRecordsOf(prisma: PrismaClient, entityType: string, entityId: number) {
  return prisma.changeRecord.findMany({ where: { entityType, entityId }, orderBy: { id: 'asc' } });
}

/** Everything a write could touch, to show that a refused one touched nothing. */
export async function snapshot(prisma: PrismaClient) {
  const [municipalities, departments, whitePapers, evaluations, changeRecords] = await Promise.all([
    prisma.municipality.findMany({ orderBy: { id: 'asc' } }),
    prisma.department.findMany({ orderBy: { id: 'asc' } }),
    prisma.whitePaper.findMany({ orderBy: { id: 'asc' } }),
    prisma.evaluation.findMany({ orderBy: { id: 'asc' } }),
    prisma.changeRecord.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return { municipalities, departments, whitePapers, evaluations, changeRecords };
}

/**
 * Makes the next change record of `entityType` fail to insert, after the entity's own row
 * has been written in the same transaction: a failure injected mid-write. Returns the undo.
 */
export async function failChangeRecordsOf(prisma: PrismaClient, entityType: string) {
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION hoshin_test_fail() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'injected failure';
    END $$ LANGUAGE plpgsql`);
  await prisma.$executeRawUnsafe(`
    CREATE TRIGGER hoshin_test_fail BEFORE INSERT ON "ChangeRecord"
    FOR EACH ROW WHEN (NEW."entityType" = '${entityType}') EXECUTE FUNCTION hoshin_test_fail()`);
  return () => prisma.$executeRawUnsafe(`DROP TRIGGER hoshin_test_fail ON "ChangeRecord"`);
}

export interface Issue {
  path: string[];
  code: string;
  message: string;
}

/** The issues of a ValidationError result (none for any other result). */
export function issuesOf(result: unknown): Issue[] {
  return (result as { issues?: Issue[] } | null | undefined)?.issues ?? [];
}
