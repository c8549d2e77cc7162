// A mutation's whole payload as a selection, built from the schema: every field of its success
// type, with relations and connections, to a bounded depth. A new field or mutation is covered
// without editing anything here.
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';

export interface SelectionOptions {
  /** Levels of objects below the type itself (connections and edges cost none). */
  depth: number;
  /** Values for required arguments, by argument name, as GraphQL literals. */
  argumentValues: Record<string, string>;
  /** The page every connection asks for (a whole payload must stay small). */
  pageSize: number;
  /** Where a field was left out because it needs an argument with no value here. */
  skipped: string[];
}

/** Connections and their edges are plumbing: walking through them costs no depth. */
function isPlumbing(type: GraphQLNamedType): boolean {
  return isObjectType(type) && /(Connection|Edge)$/.test(type.name);
}

export function selectionOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  options: SelectionOptions,
  depth = options.depth,
): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    const branches = schema
      .getPossibleTypes(type)
      .map((member) => `... on ${member.name} { ${selectionOf(schema, member, options, depth)} }`);
    return `__typename ${branches.join(' ')}`;
  }
  return `__typename ${fieldsOf(schema, type, options, depth)}`;
}

/** `(name: value)` for the field's required arguments; undefined when one has no value. */
function argumentsOf(field: GraphQLField<unknown, unknown>, options: SelectionOptions) {
  const required = field.args.filter(
    (arg) => isNonNullType(arg.type) && arg.defaultValue === undefined,
  );
  if (required.some((arg) => options.argumentValues[arg.name] === undefined)) return undefined;
  const given = required.map((arg) => `${arg.name}: ${options.argumentValues[arg.name]}`);
  const paged = isPlumbing(getNamedType(field.type)) && field.args.some((a) => a.name === 'first');
  if (paged) given.push(`first: ${options.pageSize}`);
  return given.length === 0 ? '' : `(${given.join(', ')})`;
}

function fieldsOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  options: SelectionOptions,
  depth: number,
): string {
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field, options);
    if (args === undefined) {
      options.skipped.push(`${type.name}.${field.name}`);
      continue;
    }
    const target = getNamedType(field.type);
    if (isLeafType(target)) {
      parts.push(`${field.name}${args}`);
      continue;
    }
    const next = isPlumbing(target) ? depth : depth - 1;
    if (next < 0) continue;
    parts.push(`${field.name}${args} { ${selectionOf(schema, target, options, next)} }`);
  }
  return parts.join(' ');
}
