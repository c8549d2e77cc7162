// Webhook endpoints and their delivery log, as the API shows them to those who manage them
// (webhook.service.ts managesEndpoint). The secret is never a field: it is returned once, by
// createWebhookEndpoint and rotateWebhookSecret.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { WebhookDelivery, WebhookEndpoint } from '../../../generated/prisma/client.ts';
import { NotFoundError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { LIVE_EVENT_FIELDS, LiveEventKind } from '../change/change.subscriptions.ts';
import { endpointOf, listEndpoints } from './webhook.service.ts';

/** PLAN, INITIATIVE, ..., TARGET_ACTUAL: the live subscription fields' names, as event types. */
const EVENT_TYPES = Object.fromEntries(
  Object.entries(LIVE_EVENT_FIELDS).map(([entityType, field]) => [
    field
      .replace(/Changed$/, '')
      .replace(/[A-Z]/g, (letter) => `_${letter}`)
      .toUpperCase(),
    entityType,
  ]),
) as Record<string, keyof typeof LIVE_EVENT_FIELDS>;

export const WebhookEventType = builder.enumType('WebhookEventType', {
  description:
    'Whose changes an endpoint receives (as planChanged, initiativeChanged... deliver them).',
  values: Object.fromEntries(
    Object.entries(EVENT_TYPES).map(([name, entityType]) => [name, { value: entityType }]),
  ),
});

export const WebhookAudience = builder.enumType('WebhookAudience', {
  description: 'Whose view the events follow.',
  values: {
    PUBLIC: { description: "The public's: published plans and what they contain." },
    TOKEN: {
      description:
        "The registering token's own view (its drafts included). Only that token may manage such an endpoint; revoked, it receives nothing.",
    },
  } as const,
});

export const WebhookEndpointState = builder.enumType('WebhookEndpointState', {
  values: {
    ACTIVE: { description: 'Receives deliveries.' },
    DISABLED: {
      description:
        'Receives nothing (disabledReason says why); its pending deliveries wait until it is enabled again.',
    },
  } as const,
});

export const WebhookDeliveryState = builder.enumType('WebhookDeliveryState', {
  values: {
    PENDING: { description: 'Waiting for its first attempt or a retry (see nextAttemptAt).' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: {
      description: 'Given up: retried for the whole retry period, or its token was revoked.',
    },
  } as const,
});

const WebhookFilter = builder.objectRef<WebhookEndpoint>('WebhookFilter').implement({
  description: 'What an endpoint receives, judged on where each change happened (null: any).',
  fields: (t) => ({
    municipality: t.string({
      nullable: true,
      resolve: async (e, _args, ctx) =>
        e.municipalityId === null
          ? null
          : ((await ctx.prisma.municipality.findUnique({ where: { id: e.municipalityId } }))
              ?.code ?? null),
    }),
    department: t.string({
      nullable: true,
      resolve: async (e, _args, ctx) =>
        e.departmentId === null
          ? null
          : ((await ctx.prisma.department.findUnique({ where: { id: e.departmentId } }))?.code ??
            null),
    }),
    fiscalYear: t.int({ nullable: true, resolve: (e) => e.fiscalYear }),
    entity: t.id({
      nullable: true,
      description: 'Global ID of the one record whose changes are sent.',
      resolve: (e) =>
        e.entityType && e.entityId !== null ? encodeGlobalID(e.entityType, e.entityId) : null,
    }),
  }),
});

export const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One event sent (or to be sent) to an endpoint, with its latest attempt.',
  fields: (t) => ({
    id: t.id({ resolve: (d) => encodeGlobalID('WebhookDelivery', d.id.toString()) }),
    kind: t.field({
      type: LiveEventKind,
      resolve: (d) => d.kind as 'ENTERED' | 'MODIFIED' | 'LEFT',
    }),
    cursor: t.string({
      description: 'The change announced (its live cursor, also the body\'s id "evt_<cursor>").',
      resolve: (d) => d.changeId.toString(),
    }),
    state: t.field({ type: WebhookDeliveryState, resolve: (d) => d.state }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next (PENDING only).',
      resolve: (d) => (d.state === 'PENDING' ? d.nextAttemptAt : null),
    }),
    lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastAttemptAt }),
    responseStatus: t.int({
      nullable: true,
      description: "The receiver's HTTP status at the latest attempt (null: no answer).",
      resolve: (d) => d.responseStatus,
    }),
    latencyMs: t.int({
      nullable: true,
      description: 'From sending the request to the end of the answer, at the latest attempt.',
      resolve: (d) => d.latencyMs,
    }),
    error: t.string({
      nullable: true,
      description: 'Why the latest attempt failed.',
      resolve: (d) => d.error,
    }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.deliveredAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
    redeliveryOf: t.id({
      nullable: true,
      description: 'The delivery this one repeats (redeliverWebhook).',
      resolve: (d) =>
        d.redeliveryOf === null
          ? null
          : encodeGlobalID('WebhookDelivery', d.redeliveryOf.toString()),
    }),
  }),
});

export const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint').implement({
  description: 'A receiver of signed POSTs announcing changes (docs/integrating.md).',
  fields: (t) => ({
    id: t.id({ resolve: (e) => encodeGlobalID('WebhookEndpoint', e.id) }),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    events: t.field({
      type: [WebhookEventType],
      resolve: (e) => e.entityTypes as (keyof typeof LIVE_EVENT_FIELDS)[],
    }),
    eventKinds: t.field({
      type: [LiveEventKind],
      description: 'The kinds sent; empty: all.',
      resolve: (e) => e.eventKinds as ('ENTERED' | 'MODIFIED' | 'LEFT')[],
    }),
    filter: t.field({ type: WebhookFilter, resolve: (e) => e }),
    audience: t.field({ type: WebhookAudience, resolve: (e) => e.audience }),
    state: t.field({ type: WebhookEndpointState, resolve: (e) => e.state }),
    failingSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Since when every attempt failed; null after a success.',
      resolve: (e) => e.failingSince,
    }),
    disabledAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.disabledAt }),
    disabledReason: t.string({
      nullable: true,
      description: 'The notice of an automatic (or manual) disabling.',
      resolve: (e) => e.disabledReason,
    }),
    previousSecretValidUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'After a rotation: until then deliveries also carry a signature by the previous secret.',
      resolve: (e) => e.previousSecretUntil,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
    deliveries: t.field({
      type: [WebhookDeliveryRef],
      description: 'The delivery log, newest first.',
      args: {
        first: t.arg.int({ defaultValue: 20, description: 'At most 100.' }),
        state: t.arg({ type: WebhookDeliveryState }),
      },
      resolve: (e, args, ctx) =>
        ctx.prisma.webhookDelivery.findMany({
          where: { endpointId: e.id, ...(args.state ? { state: args.state } : {}) },
          orderBy: { id: 'desc' },
          take: Math.max(0, Math.min(args.first ?? 20, 100)),
        }),
    }),
  }),
});

/** The endpoint's number in a global ID of a WebhookEndpoint. */
export function endpointIdOf(globalId: string): number {
  const { typename, id } = decodeGlobalID(globalId);
  if (typename !== 'WebhookEndpoint' || !/^\d{1,9}$/.test(id))
    throw new NotFoundError('WebhookEndpoint', globalId);
  return Number(id);
}

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    type: [WebhookEndpointRef],
    description: 'The webhook endpoints you manage.',
    authScopes: { planning: true },
    resolve: (_root, _args, ctx) => listEndpoints(ctx),
  }),
  webhookEndpoint: t.field({
    type: WebhookEndpointRef,
    nullable: true,
    authScopes: { planning: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      try {
        return await endpointOf(ctx, endpointIdOf(String(id)));
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  }),
}));
