// A query operation's selection as a static tree, computed once per document: which fields of
// which types, under which response keys, with their argument nodes (values are read per request
// where they name variables, once where they are all literals: argumentsOf).
// Only what can be answered without graphql-js deciding anything at run time: no directives
// (@skip/@include depend on variables), no abstract types, no introspection but __typename.
import {
  BREAK,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isLeafType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields.js';

export interface SelectedField {
  /** The response key: the alias, or the field's name. */
  key: string;
  name: string;
  /** The field's definition; undefined for __typename. */
  definition: GraphQLField<unknown, unknown> | undefined;
  /** Every node merged under this key (their arguments are the same: validation says so). */
  nodes: readonly FieldNode[];
  /** The object type the field returns, for object fields. */
  type: GraphQLObjectType | undefined;
  /** The fields selected on `type`, in response order. */
  children: SelectedField[];
}

export interface StaticOperation {
  operation: OperationDefinitionNode;
  fields: SelectedField[];
}

/** The tree of a query operation, or undefined when it cannot be static (see above). */
export function staticSelection(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): StaticOperation | undefined {
  const operation = getOperationAST(document, operationName);
  const queryType = schema.getQueryType();
  if (operation?.operation !== 'query' || !queryType) return undefined;
  let dynamic = false;
  visit(document, {
    Directive() {
      dynamic = true;
      return false;
    },
  });
  if (dynamic) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const fields = selected(
    schema,
    fragments,
    queryType,
    collectFields(schema, fragments, {}, queryType, operation.selectionSet),
  );
  return fields && { operation, fields };
}

function selected(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  parent: GraphQLObjectType,
  collected: Map<string, readonly FieldNode[]>,
): SelectedField[] | undefined {
  const result: SelectedField[] = [];
  for (const [key, nodes] of collected) {
    const name = nodes[0]?.name.value;
    if (name === undefined) return undefined;
    if (name === '__typename') {
      result.push({ key, name, definition: undefined, nodes, type: undefined, children: [] });
      continue;
    }
    const definition = parent.getFields()[name];
    if (!definition) return undefined;
    const named = getNamedType(definition.type);
    if (isLeafType(named)) {
      result.push({ key, name, definition, nodes, type: undefined, children: [] });
      continue;
    }
    if (!isObjectType(named)) return undefined;
    const children = selected(
      schema,
      fragments,
      named,
      collectSubfields(schema, fragments, {}, named, nodes as FieldNode[]),
    );
    if (!children) return undefined;
    result.push({ key, name, definition, nodes, type: named, children });
  }
  return result;
}

/**
 * Reads a selected field's arguments for a request's variables, as graphql-js does
 * (getArgumentValues). Arguments written as literals only (no variable anywhere in them) are the
 * same for every request of the document: read at the first request and kept, frozen. A read
 * that throws is not kept.
 */
export function argumentsOf(
  field: SelectedField,
): (variables: Record<string, unknown>) => Record<string, unknown> {
  const definition = field.definition;
  const node = field.nodes[0];
  if (!definition || !node) return () => ({});
  const read = (variables: Record<string, unknown>) =>
    getArgumentValues(definition, node, variables);
  let usesVariables = false;
  for (const argument of node.arguments ?? []) {
    visit(argument, {
      Variable() {
        usesVariables = true;
        return BREAK;
      },
    });
  }
  if (usesVariables) return read;
  let constant: Record<string, unknown> | undefined;
  return (variables) => {
    constant ??= Object.freeze(read(variables));
    return constant;
  };
}
