// Mutations on webhook endpoints. Thin: webhook.service.ts checks and writes.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { NotFoundError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { writeErrors } from '../../graphql/error-types.ts';
import { LiveEventKind } from '../change/change.subscriptions.ts';
import {
  createEndpoint,
  deleteEndpoint,
  redeliver,
  rotateSecret,
  updateEndpoint,
} from './webhook.service.ts';
import {
  endpointIdOf,
  WebhookAudience,
  WebhookDeliveryRef,
  WebhookEndpointRef,
  WebhookEventType,
} from './webhook.type.ts';

const WebhookFilterInput = builder.inputType('WebhookFilterInput', {
  description: 'Send only changes within these (each left out: any).',
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    department: t.string({ description: 'Department code (needs municipality).' }),
    fiscalYear: t.int(),
    entity: t.globalID({
      description: 'Global ID of one plan, initiative, evaluation, target or actual.',
    }),
  }),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({
      required: true,
      description:
        'Where to POST; every address of its host must be public (unless the server allows a private range).',
    }),
    description: t.string(),
    events: t.field({ type: [WebhookEventType], required: true }),
    eventKinds: t.field({ type: [LiveEventKind], description: 'Left out or empty: all kinds.' }),
    filter: t.field({ type: WebhookFilterInput }),
    audience: t.field({ type: WebhookAudience, defaultValue: 'PUBLIC' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Fields left out stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    description: t.string(),
    events: t.field({ type: [WebhookEventType] }),
    eventKinds: t.field({ type: [LiveEventKind] }),
    enabled: t.boolean({
      description:
        'true enables a disabled endpoint (its waiting deliveries resume in order); false disables it.',
    }),
  }),
});

const WebhookEndpointIdInput = builder.inputType('WebhookEndpointIdInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RotateWebhookSecretInput = builder.inputType('RotateWebhookSecretInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    overlapSeconds: t.int({
      defaultValue: 3600,
      description: 'How long the previous secret also signs (0 to 604800).',
    }),
  }),
});

const RedeliverWebhookInput = builder.inputType('RedeliverWebhookInput', {
  fields: (t) => ({ delivery: t.id({ required: true, description: 'A WebhookDelivery id.' }) }),
});

const WebhookSecretPayload = builder
  .objectRef<{
    endpoint: import('../../../generated/prisma/client.ts').WebhookEndpoint;
    secret: string;
  }>('WebhookSecretPayload')
  .implement({
    fields: (t) => ({
      endpoint: t.field({ type: WebhookEndpointRef, resolve: (p) => p.endpoint }),
      secret: t.string({
        description: 'The signing secret, shown only now: keep it in the receiver.',
        resolve: (p) => p.secret,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookSecretPayload,
    description: 'Registers a receiver of signed POSTs for changes. Planning section and admins.',
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'webhook' } },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createEndpoint(ctx, {
        url: input.url,
        description: input.description,
        entityTypes: input.events,
        eventKinds: input.eventKinds,
        filter: input.filter,
        audience: input.audience,
      }),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'endpoint' } },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateEndpoint(ctx, {
        id: endpointIdOf(String(input.id)),
        url: input.url,
        description: input.description,
        entityTypes: input.events,
        eventKinds: input.eventKinds,
        enabled: input.enabled,
      }),
  }),
  rotateWebhookSecret: t.field({
    type: WebhookSecretPayload,
    description:
      'A new signing secret, shown once; the previous one also signs for overlapSeconds.',
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'webhook' } },
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      rotateSecret(ctx, endpointIdOf(String(input.id)), input.overlapSeconds ?? 3600),
  }),
  deleteWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    description: 'Removes the endpoint and its delivery log.',
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'endpoint' } },
    args: { input: t.arg({ type: WebhookEndpointIdInput, required: true }) },
    resolve: (_root, { input }, ctx) => deleteEndpoint(ctx, endpointIdOf(String(input.id))),
  }),
  redeliverWebhook: t.field({
    type: WebhookDeliveryRef,
    description: "Sends a delivery's event again, after the endpoint's waiting deliveries.",
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'delivery' } },
    args: { input: t.arg({ type: RedeliverWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { typename, id } = decodeGlobalID(String(input.delivery));
      if (typename !== 'WebhookDelivery' || !/^\d{1,19}$/.test(id))
        throw new NotFoundError('WebhookDelivery', String(input.delivery));
      return redeliver(ctx, BigInt(id));
    },
  }),
}));
