// Managing webhook endpoints: who may (the municipality's planning staff and admins; an
// endpoint that follows a token's own view, only that token), what an endpoint may be (a URL
// whose every address is public unless the deployment allows a private range), and the secret,
// returned once at creation and at each rotation.
import { z } from 'zod';
import type { WebhookEndpoint } from '../../../generated/prisma/client.ts';
import { actsForMunicipality, type Viewer } from '../../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { resolveAllowed } from './webhook.outbound.ts';
import { newWebhookSecret } from './webhook.signing.ts';

/** May this viewer see and change this endpoint? */
export function managesEndpoint(
  viewer: Viewer,
  endpoint: Pick<WebhookEndpoint, 'audience' | 'ownerTokenId' | 'ownerMunicipalityId'>,
): boolean {
  if (viewer.kind !== 'token') return false;
  // An endpoint in a token's own view carries that view: no one else may point it elsewhere.
  if (endpoint.audience === 'TOKEN') return viewer.tokenId === endpoint.ownerTokenId;
  if (endpoint.ownerMunicipalityId === null)
    return viewer.role === 'ADMIN' && viewer.municipalityId === null;
  return actsForMunicipality(viewer, endpoint.ownerMunicipalityId);
}

const urlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
      );
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL without credentials');

/** A receiver's URL, checked as a delivery would connect: refused when an address is not allowed. */
async function checkedUrl(ctx: Context, url: string): Promise<string> {
  const parsed = urlSchema.safeParse(url);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'input.url');
  try {
    await resolveAllowed(new URL(parsed.data).hostname, ctx.webhookAllowPrivate);
  } catch (error) {
    throw ValidationError.of(['input', 'url'], 'REFUSED_ADDRESS', (error as Error).message);
  }
  return parsed.data;
}

function viewerToken(ctx: Context) {
  if (ctx.viewer.kind !== 'token') throw new ForbiddenError('Sign in with an API token to do this');
  return ctx.viewer;
}

export async function endpointOf(ctx: Context, id: number): Promise<WebhookEndpoint> {
  const endpoint = await ctx.prisma.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint || !managesEndpoint(ctx.viewer, endpoint))
    throw new NotFoundError('WebhookEndpoint', String(id));
  return endpoint;
}

export async function listEndpoints(ctx: Context): Promise<WebhookEndpoint[]> {
  const endpoints = await ctx.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });
  return endpoints.filter((endpoint) => managesEndpoint(ctx.viewer, endpoint));
}

export interface EndpointFilterInput {
  municipality?: string | null;
  department?: string | null;
  fiscalYear?: number | null;
  entity?: { typename: string; id: string } | null;
}

export interface CreateEndpointInput {
  url: string;
  description?: string | null;
  entityTypes: string[];
  eventKinds?: string[] | null;
  filter?: EndpointFilterInput | null;
  audience?: 'PUBLIC' | 'TOKEN' | null;
}

async function filterColumns(ctx: Context, filter: EndpointFilterInput | null | undefined) {
  if (filter?.department && !filter.municipality) {
    throw ValidationError.of(
      ['input', 'filter', 'department'],
      'INVALID',
      '"department" needs "municipality"',
    );
  }
  const municipality = filter?.municipality
    ? await requireMunicipality(ctx.prisma, filter.municipality)
    : null;
  const department =
    filter?.department && filter.municipality
      ? await requireDepartment(ctx.prisma, filter.municipality, filter.department)
      : null;
  return {
    municipalityId: municipality?.id ?? null,
    departmentId: department?.id ?? null,
    fiscalYear: filter?.fiscalYear == null ? null : parseFiscalYear(filter.fiscalYear).year,
    entityType: filter?.entity?.typename ?? null,
    entityId: filter?.entity ? Number(filter.entity.id) : null,
  };
}

function requireSome(list: string[], field: string) {
  if (list.length === 0)
    throw ValidationError.of(['input', field], 'TOO_SMALL', 'name at least one');
}

export async function createEndpoint(ctx: Context, input: CreateEndpointInput) {
  const viewer = viewerToken(ctx);
  const description = (input.description ?? '').slice(0, 500);
  requireSome(input.entityTypes, 'events');
  const url = await checkedUrl(ctx, input.url);
  const secret = newWebhookSecret();
  const endpoint = await ctx.prisma.webhookEndpoint.create({
    data: {
      url,
      description,
      entityTypes: [...new Set(input.entityTypes)],
      eventKinds: [...new Set(input.eventKinds ?? [])],
      ...(await filterColumns(ctx, input.filter)),
      audience: input.audience ?? 'PUBLIC',
      ownerTokenId: viewer.tokenId,
      ownerMunicipalityId: viewer.municipalityId,
      secret,
    },
  });
  return { endpoint, secret };
}

export interface UpdateEndpointInput {
  id: number;
  url?: string | null;
  description?: string | null;
  entityTypes?: string[] | null;
  eventKinds?: string[] | null;
  /** true: (re-)enable, clearing a disabling notice; false: disable. */
  enabled?: boolean | null;
}

export async function updateEndpoint(ctx: Context, input: UpdateEndpointInput) {
  const endpoint = await endpointOf(ctx, input.id);
  if (input.entityTypes) requireSome(input.entityTypes, 'events');
  const url = input.url == null ? undefined : await checkedUrl(ctx, input.url);
  const state =
    input.enabled == null ? undefined : input.enabled ? ('ACTIVE' as const) : ('DISABLED' as const);
  return ctx.prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      url,
      description: input.description == null ? undefined : input.description.slice(0, 500),
      entityTypes: input.entityTypes ? [...new Set(input.entityTypes)] : undefined,
      eventKinds: input.eventKinds ? [...new Set(input.eventKinds)] : undefined,
      ...(state === 'ACTIVE' && endpoint.state !== 'ACTIVE'
        ? { state, failingSince: null, disabledAt: null, disabledReason: null }
        : state === 'DISABLED' && endpoint.state !== 'DISABLED'
          ? { state, disabledAt: new Date(), disabledReason: 'disabled through the API' }
          : {}),
    },
  });
}

/** A new secret; the previous one still signs (as a second v1) for `overlapSeconds`. */
export async function rotateSecret(ctx: Context, id: number, overlapSeconds: number) {
  const endpoint = await endpointOf(ctx, id);
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > 7 * 86_400) {
    throw ValidationError.of(['input', 'overlapSeconds'], 'TOO_BIG', 'from 0 to 604800 seconds');
  }
  const secret = newWebhookSecret();
  const updated = await ctx.prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      secret,
      previousSecret: overlapSeconds > 0 ? endpoint.secret : null,
      previousSecretUntil: overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null,
    },
  });
  return { endpoint: updated, secret };
}

export async function deleteEndpoint(ctx: Context, id: number) {
  const endpoint = await endpointOf(ctx, id);
  await ctx.prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
  return endpoint;
}

/** Sends a delivery's event again, as a new delivery at the end of the endpoint's queue. */
export async function redeliver(ctx: Context, deliveryId: bigint) {
  const delivery = await ctx.prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { endpoint: true },
  });
  if (!delivery || !managesEndpoint(ctx.viewer, delivery.endpoint))
    throw new NotFoundError('WebhookDelivery', String(deliveryId));
  return ctx.prisma.webhookDelivery.create({
    data: {
      endpointId: delivery.endpointId,
      changeId: delivery.changeId,
      kind: delivery.kind,
      body: delivery.body,
      redeliveryOf: delivery.id,
    },
  });
}
