// Compiled reads: a root field whose whole selection a module knows how to answer in one SQL
// statement (say, the contract query `plan(...)`) is answered that way, without graphql-js
// walking the tree, Pothos mapping it or Prisma converting rows. Everything around execution
// stays: parsing, validation, admission, cost and rate limits, the execution timeout (this
// plugin sits inside it), masking, metrics and the request log.
//
// A compiled field answers or declines, per request: it declines anything it does not answer
// exactly as the schema would (an argument it does not handle, an answer the schema would
// give as null or as an error). Then the operation runs the usual way, as if this plugin were
// not there. tests/read-api/compiled-reads.test.ts holds the two ways to the same bytes.
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  locatedError,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type SelectedField, staticSelection } from './selection.ts';

/** Returned by a compiled field that leaves this request to the usual execution. */
export const DECLINE: unique symbol = Symbol('decline');

/** Answers one root field for one request: its value (as in the response), or DECLINE. */
export type CompiledField = (
  context: unknown,
  variables: Record<string, unknown>,
) => Promise<unknown | typeof DECLINE>;

/** A module's compiler for one Query field; undefined when it cannot answer this selection. */
export interface RootFieldCompiler {
  field: string;
  compile(selected: SelectedField, schema: GraphQLSchema): CompiledField | undefined;
}

export interface CompiledReadsOptions {
  roots: readonly RootFieldCompiler[];
  /** Says whether the compiled way answered a request or left it to the usual execution. */
  onOutcome?: (outcome: 'compiled' | 'declined') => void;
  /** True when an error means the database is unreachable (answered as such, not retried). */
  isUnavailable?: (error: unknown) => boolean;
}

interface CompiledOperation {
  operation: NonNullable<ReturnType<typeof staticSelection>>['operation'];
  /** Root fields in response order: a compiled field, or __typename. */
  fields: { key: string; nodes: SelectedField['nodes']; run?: CompiledField }[];
}

export function useCompiledReads(options: CompiledReadsOptions): Plugin {
  const byField = new Map(options.roots.map((root) => [root.field, root]));
  // Per parsed document (Yoga caches them) and operation name: the compiled form, or null.
  const compiledDocuments = new WeakMap<DocumentNode, Map<string, CompiledOperation | null>>();

  function compiledFor(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): CompiledOperation | null {
    let byName = compiledDocuments.get(document);
    if (!byName) {
      byName = new Map();
      compiledDocuments.set(document, byName);
    }
    const name = operationName ?? '';
    let compiled = byName.get(name);
    if (compiled === undefined) {
      compiled = compile(schema, document, operationName);
      byName.set(name, compiled);
    }
    return compiled;
  }

  function compile(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): CompiledOperation | null {
    const selection = staticSelection(schema, document, operationName);
    if (!selection) return null;
    const fields: CompiledOperation['fields'] = [];
    for (const field of selection.fields) {
      if (field.name === '__typename') {
        fields.push({ key: field.key, nodes: field.nodes });
        continue;
      }
      const run = byField.get(field.name)?.compile(field, schema);
      if (!run) return null;
      fields.push({ key: field.key, nodes: field.nodes, run });
    }
    return fields.some((field) => field.run) ? { operation: selection.operation, fields } : null;
  }

  async function answer(
    compiled: CompiledOperation,
    schema: GraphQLSchema,
    context: unknown,
    rawVariables: Record<string, unknown> | null | undefined,
  ): Promise<ExecutionResult | typeof DECLINE> {
    const coerced = getVariableValues(
      schema,
      compiled.operation.variableDefinitions ?? [],
      rawVariables ?? {},
    );
    if (coerced.errors) return DECLINE;
    const variables = coerced.coerced;
    const values = await Promise.all(
      compiled.fields.map(async (field) => {
        if (!field.run) return { value: 'Query' };
        try {
          return { value: await field.run(context, variables) };
        } catch (error) {
          // A database that does not answer is answered as such, as the usual way would; any
          // other surprise leaves the request to the usual way.
          if (options.isUnavailable?.(error)) return { error, field };
          return { value: DECLINE };
        }
      }),
    );
    const data: Record<string, unknown> = {};
    const errors: GraphQLError[] = [];
    for (const [index, field] of compiled.fields.entries()) {
      const outcome = values[index] as { value?: unknown; error?: unknown };
      if (outcome.value === DECLINE) return DECLINE;
      if ('error' in outcome) {
        data[field.key] = null;
        errors.push(locatedError(outcome.error, field.nodes, [field.key]));
      } else {
        data[field.key] = outcome.value;
      }
    }
    return errors.length > 0 ? { data, errors } : { data };
  }

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const compiled = compiledFor(args.schema, args.document, args.operationName);
      if (!compiled) return;
      setExecuteFn(async (executionArgs) => {
        const result = await answer(
          compiled,
          executionArgs.schema,
          executionArgs.contextValue,
          executionArgs.variableValues as Record<string, unknown> | undefined,
        );
        options.onOutcome?.(result === DECLINE ? 'declined' : 'compiled');
        return result === DECLINE ? executeFn(executionArgs) : result;
      });
    },
  };
}
