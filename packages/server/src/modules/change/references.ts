// References in recorded values (a change's fields, an as-of diff) as the API shows them: the
// global ID of the referenced entity, and only to a viewer who could see that entity at the
// point the value stands for; null otherwise, so a value never tells that a draft exists. Which
// columns are references comes from the Prisma datamodel (a relation's `relationFromFields`),
// and whether the viewer could see the entity then from the change log, as judgeChange decides
// for the change itself: the same record reads the same live, replayed or in `history`.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getDatamodel } from '../../../generated/pothos-types.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { ALWAYS_PUBLIC } from '../../db/audience.ts';
import type { PrismaClient } from '../../db/client.ts';
import { inRequestBatch } from '../../graphql/request-batch.ts';
import { seesAudience } from '../visibility/visibility.policy.ts';

/** Every column that references another entity, with that entity's type (one per name). */
export const REFERENCE_COLUMNS: ReadonlyMap<string, string> = (() => {
  const columns = new Map<string, string>();
  for (const [model, { fields }] of Object.entries(getDatamodel().datamodel.models)) {
    for (const field of fields) {
      const from = (field as { relationFromFields?: string[] }).relationFromFields ?? [];
      if (from.length !== 1) continue;
      const [column] = from as [string];
      const known = columns.get(column);
      if (known && known !== field.type) {
        throw new Error(`${model}.${column} references ${field.type}, elsewhere ${known}`);
      }
      columns.set(column, field.type);
    }
  }
  return columns;
})();

interface Reference {
  type: string;
  id: number;
  /** The change sequence the value stands at. */
  at: bigint;
}

/** The references in a value: its own reference columns, and those of objects inside it. */
function referencesIn(field: string, value: unknown, at: bigint, found: Reference[]) {
  const type = REFERENCE_COLUMNS.get(field);
  if (type && typeof value === 'number') found.push({ type, id: value, at });
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) referencesIn(key, inner, at, found);
  }
}

function shown(
  field: string,
  value: unknown,
  at: bigint,
  seen: (r: Reference) => boolean,
): unknown {
  const type = REFERENCE_COLUMNS.get(field);
  if (type && typeof value === 'number') {
    return seen({ type, id: value, at }) ? encodeGlobalID(type, value) : null;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, shown(key, inner, at, seen)]),
    );
  }
  return value;
}

export interface RecordedValue {
  field: string;
  value: unknown;
  /** The change sequence the value stands at. */
  at: bigint;
}

/**
 * The values with their references shown as the viewer may see them. An entity of a type
 * anyone may see shows always; any other shows when the log's last record of it at or before
 * the value's point gave it an audience the viewer is in (never, for an entity not in the log).
 */
export async function showReferences(
  prisma: PrismaClient,
  viewer: Viewer,
  values: readonly RecordedValue[],
): Promise<unknown[]> {
  const references: Reference[] = [];
  for (const { field, value, at } of values) referencesIn(field, value, at, references);
  const judged = references.filter(({ type }) => !ALWAYS_PUBLIC.has(type));
  const byType = new Map<string, Set<number>>();
  for (const { type, id } of judged) byType.set(type, (byType.get(type) ?? new Set()).add(id));
  let latest = 0n;
  for (const { at } of judged) if (at > latest) latest = at;
  const records =
    byType.size === 0
      ? []
      : await prisma.changeRecord.findMany({
          where: {
            id: { lte: latest },
            OR: [...byType].map(([entityType, ids]) => ({
              entityType,
              entityId: { in: [...ids] },
            })),
          },
          orderBy: { id: 'asc' },
          select: {
            id: true,
            entityType: true,
            entityId: true,
            municipalityId: true,
            departmentId: true,
            audienceAfter: true,
          },
        });
  const seen = ({ type, id, at }: Reference) => {
    if (ALWAYS_PUBLIC.has(type)) return true;
    let last: (typeof records)[number] | undefined;
    for (const record of records) {
      if (record.id > at) break;
      if (record.entityType === type && record.entityId === id) last = record;
    }
    return last !== undefined && seesAudience(viewer, last.audienceAfter, last);
  };
  return values.map(({ field, value, at }) => shown(field, value, at, seen));
}

/**
 * showReferences, batched with the other calls of the same request made in the same pass
 * (graphql/request-batch.ts): the `changes` of every record of a page are shown with one
 * query, not one per record.
 */
export function showReferencesInRequest(
  ctx: { prisma: PrismaClient; viewer: Viewer },
  values: readonly RecordedValue[],
): Promise<unknown[]> {
  return inRequestBatch(ctx, 'references', values, async (calls) => {
    const shown = await showReferences(ctx.prisma, ctx.viewer, calls.flat());
    let end = 0;
    return calls.map((call) => {
      const start = end;
      end += call.length;
      return shown.slice(start, end);
    });
  });
}
