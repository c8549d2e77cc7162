// The schema as sorted SDL: the form committed in schema.graphql.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema.ts';

export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
