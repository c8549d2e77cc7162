// The body of a delivery: the live event itself, as a subscriber of the endpoint's audience
// receives it. The subscription field of the entity type (planChanged...) is executed on the
// judged record, so every field shows what it shows live (state as of the change, references
// and actors as this audience may see them): nothing here restates a visibility rule. The
// selection is every field declared shareable for live events (change.subscriptions.ts), the
// fields known to read nothing but the event and the viewer's class.
import {
  type DocumentNode,
  execute,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';
import type { ChangeRecord } from '../../../generated/prisma/client.ts';
import type { Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { Context } from '../../graphql/context.ts';
import { CursorSealer } from '../../graphql/cursors.ts';
import type { LiveUpdates } from '../../live/live-updates.ts';
import type { ViewerKind } from '../../live/visibility-memo.ts';
import {
  LIVE_EVENT_FIELDS,
  type LiveEntityType,
  shareableEventFields,
} from '../change/change.subscriptions.ts';

/** How deep the selection reaches below the event (event -> plan -> department). */
const DEPTH = 2;

function selection(type: GraphQLObjectType, shareable: ReadonlySet<string>, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!shareable.has(`${type.name}.*`) && !shareable.has(`${type.name}.${field.name}`)) continue;
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined))
      continue;
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth < DEPTH) {
      const inner = selection(named, shareable, depth + 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

const documents = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();

/** The subscription document whose result is a webhook body's `data`, per entity type. */
export function eventDocument(schema: GraphQLSchema, entityType: LiveEntityType): DocumentNode {
  let bySchema = documents.get(schema);
  if (!bySchema) {
    bySchema = new Map();
    documents.set(schema, bySchema);
  }
  const known = bySchema.get(entityType);
  if (known) return known;
  const fieldName = LIVE_EVENT_FIELDS[entityType];
  const field = schema.getSubscriptionType()?.getFields()[fieldName];
  const eventType = field && getNamedType(field.type);
  if (!isObjectType(eventType)) throw new Error(`no subscription field ${fieldName}`);
  const document = parse(
    `subscription WebhookEvent { ${fieldName} { ${selection(eventType, shareableEventFields(schema), 0)} } }`,
  );
  bySchema.set(entityType, document);
  return document;
}

export interface RenderContext {
  schema: GraphQLSchema;
  prisma: PrismaClient;
  live: LiveUpdates;
}

/** The JSON body announcing `record` to a viewer for whom it is `kind`. */
export async function renderDelivery(
  { schema, prisma, live }: RenderContext,
  record: ChangeRecord,
  kind: ViewerKind,
  viewer: Viewer,
): Promise<string> {
  const entityType = record.entityType as LiveEntityType;
  const fieldName = LIVE_EVENT_FIELDS[entityType];
  // graphql-js executes a subscription operation on one event given as the root value.
  const result = await execute({
    schema,
    document: eventDocument(schema, entityType),
    rootValue: { record, kind },
    contextValue: {
      prisma,
      viewer,
      clientAddress: 'webhook',
      limits: { feedback: async () => 0 },
      live,
      cursors: CursorSealer.random(),
      webhookAllowPrivate: [],
      // Rendering an event runs no import.
      importLimits: { maxBytes: 0, maxRows: 0 },
    } satisfies Context,
  });
  if (result.errors?.length) {
    throw new Error(`the event could not be rendered: ${result.errors[0]?.message}`);
  }
  const data = (result.data as Record<string, unknown>)[fieldName];
  return JSON.stringify({
    id: `evt_${record.id}`,
    type: `${fieldName.replace(/Changed$/, '')}.${kind.toLowerCase()}`,
    createdAt: record.createdAt.toISOString(),
    data,
  });
}
