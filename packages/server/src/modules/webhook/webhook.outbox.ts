// The webhook outbox: in the transaction that stores change records (db/history.ts), each
// record is judged for every active endpoint by the live feed's own judgment (liveJudge:
// ENTERED / MODIFIED / LEFT as the endpoint's audience experiences it, or nothing), and a
// delivery row is written for each event the endpoint asked for. A rolled-back write leaves no
// delivery; a committed one cannot lose its deliveries.
import type { ApiToken, ChangeRecord, WebhookEndpoint } from '../../../generated/prisma/client.ts';
import { tokenRefusal } from '../../auth/tokens.ts';
import { anonymous, type Viewer } from '../../auth/viewer.ts';
import { onChangesStored, type Tx } from '../../db/history.ts';
import { LIVE_EVENT_FIELDS } from '../change/change.subscriptions.ts';
import { liveJudge } from '../visibility/visibility.policy.ts';

type Audienced = Pick<WebhookEndpoint, 'audience' | 'ownerTokenId'>;

/**
 * Whose view the endpoint's events follow: the public's, or its token's (as long as the token
 * may be used: a revoked or expired token's endpoint receives nothing). Null: nobody's.
 */
export function audienceViewer(
  endpoint: Audienced,
  token:
    | Pick<ApiToken, 'id' | 'role' | 'municipalityId' | 'departmentId' | 'revokedAt' | 'expiresAt'>
    | null
    | undefined,
  now = new Date(),
): Viewer | null {
  if (endpoint.audience === 'PUBLIC') return anonymous;
  if (!token || tokenRefusal(token, now)) return null;
  return {
    kind: 'token',
    tokenId: token.id,
    actor: '',
    office: '',
    role: token.role,
    municipalityId: token.municipalityId,
    departmentId: token.departmentId,
  };
}

/** Does the record fall within the endpoint's event types and filters? */
export function endpointWants(endpoint: WebhookEndpoint, record: ChangeRecord): boolean {
  if (!endpoint.entityTypes.includes(record.entityType)) return false;
  if (endpoint.municipalityId !== null && endpoint.municipalityId !== record.municipalityId)
    return false;
  if (endpoint.departmentId !== null && endpoint.departmentId !== record.departmentId) return false;
  if (endpoint.fiscalYear !== null && endpoint.fiscalYear !== record.fiscalYear) return false;
  if (
    endpoint.entityType !== null &&
    (endpoint.entityType !== record.entityType || endpoint.entityId !== record.entityId)
  )
    return false;
  return true;
}

export async function enqueueDeliveries(tx: Tx, records: ChangeRecord[]): Promise<void> {
  const announced = records.filter((record) => record.entityType in LIVE_EVENT_FIELDS);
  if (announced.length === 0) return;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { state: 'ACTIVE' },
    orderBy: { id: 'asc' },
  });
  if (endpoints.length === 0) return;
  const tokenIds = endpoints.filter((e) => e.audience === 'TOKEN').map((e) => e.ownerTokenId);
  const tokens = new Map(
    (tokenIds.length > 0
      ? await tx.apiToken.findMany({ where: { id: { in: tokenIds } } })
      : []
    ).map((token) => [token.id, token]),
  );
  const rows: { endpointId: number; changeId: bigint; kind: string }[] = [];
  for (const endpoint of endpoints) {
    const viewer = audienceViewer(endpoint, tokens.get(endpoint.ownerTokenId));
    if (!viewer) continue;
    const { judge } = liveJudge(viewer);
    for (const record of announced) {
      if (!endpointWants(endpoint, record)) continue;
      const kind = judge(record);
      if (!kind) continue;
      if (endpoint.eventKinds.length > 0 && !endpoint.eventKinds.includes(kind)) continue;
      rows.push({ endpointId: endpoint.id, changeId: record.id, kind });
    }
  }
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows });
}

// Every write of this process, from the moment the schema (which imports this) is loaded.
onChangesStored(enqueueDeliveries);
