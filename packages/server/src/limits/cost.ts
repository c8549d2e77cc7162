// Query cost, GitHub's "node limit" style: how many objects an operation may return, with the
// page size of each connection multiplied through the connections nested inside it.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/builder.ts';

/** A plain list of objects (departments of a municipality, say) is assumed this long. */
export const DEFAULT_LIST_SIZE = DEFAULT_PAGE_SIZE;

/** Relay connections are the object types with `edges` and `pageInfo`. */
function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}

/**
 * The number of objects `operation` may produce: each object field counts once per parent
 * instance, a connection counts its page (first ?? last ?? the default 20) per parent instance,
 * and everything under it is multiplied by that page. Scalars are free.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    } else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (!operationName || definition.name?.value === operationName) operation ??= definition;
    }
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const fragmentCosts = new Map<string, number>();

  function fieldArguments(field: GraphQLField<unknown, unknown>, node: FieldNode) {
    try {
      return getArgumentValues(field, node, variables ?? {});
    } catch {
      return {}; // invalid arguments are refused by execution with their own error
    }
  }

  function pageSize(args: Record<string, unknown>): number {
    const requested = (args.first ?? args.last ?? DEFAULT_PAGE_SIZE) as number;
    // Out-of-range sizes are refused by the connection itself (PAGE_SIZE_OUT_OF_RANGE).
    return Math.max(0, Math.min(MAX_PAGE_SIZE, requested));
  }

  function selectionCost(
    parent: GraphQLNamedType,
    selectionSet: SelectionSetNode,
    multiplier: number,
    insideConnection: boolean,
    seen: Set<string>,
  ): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) ?? parent)
          : parent;
        cost += selectionCost(type, selection.selectionSet, multiplier, insideConnection, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Cycles are refused by validation; never recurse into one here either.
        if (!fragment || seen.has(name)) continue;
        // Cost is linear in the multiplier: a fragment is costed once (per context) and
        // scaled, so a fragment that spreads another twice, thirty times over, stays cheap to
        // cost while its 2^30 cost is still found.
        const key = `${name}:${insideConnection}`;
        let unit = fragmentCosts.get(key);
        if (unit === undefined) {
          const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
          const inner = new Set(seen).add(name);
          unit = selectionCost(type, fragment.selectionSet, 1, insideConnection, inner);
          fragmentCosts.set(key, unit);
        }
        cost += unit * multiplier;
        continue;
      }
      if (selection.name.value.startsWith('__')) continue;
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      let count = multiplier;
      if (isConnection(named)) {
        count = multiplier * pageSize(fieldArguments(field, selection));
        cost += multiplier; // the connection object itself
        cost += selectionCost(named, selection.selectionSet, count, true, seen);
        continue;
      }
      const list = isListType(getNullableType(field.type));
      // A connection's `edges` is its page, already counted by the connection.
      if (list && !(insideConnection && selection.name.value === 'edges')) {
        const args = fieldArguments(field, selection);
        const listArgument = Object.values(args).find(Array.isArray);
        count = multiplier * (listArgument ? listArgument.length : DEFAULT_LIST_SIZE);
      }
      const isEdges = insideConnection && selection.name.value === 'edges';
      if (!isEdges) cost += count;
      cost += selectionCost(named, selection.selectionSet, count, false, seen);
    }
    return cost;
  }

  return selectionCost(root, operation.selectionSet, 1, false, new Set());
}
