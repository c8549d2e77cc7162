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
  getOperationAST,
  getVariableValues,
  Kind,
  locatedError,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type SelectedField, staticSelection } from './selection.ts';

/**
 * Why a compilable query went the usual way (a label of /metrics, so a bounded set):
 * - unknown_field: it selects a field the compiled read does not know;
 * - static: its selection depends on run time (directives, abstract types);
 * - other_root: another root field of the operation is not compiled;
 * - arguments: an argument the compiled read leaves to the schema (a cursor, a search...);
 * - variables: its variables do not coerce (the schema's error to give);
 * - filter: a filter or visibility rule that does not translate to SQL;
 * - not_found: the answer would be null, empty or an error;
 * - error: the compiled read failed unexpectedly.
 */
export type DeclineReason =
  | 'unknown_field'
  | 'static'
  | 'other_root'
  | 'arguments'
  | 'variables'
  | 'filter'
  | 'not_found'
  | 'error';

/** Returned by a compiled field (or its compiler) that leaves this request to the usual execution. */
export class Decline {
  private static readonly all = new Map<DeclineReason, Decline>();
  private constructor(readonly reason: DeclineReason) {}
  static because(reason: DeclineReason): Decline {
    let decline = Decline.all.get(reason);
    if (!decline) {
      decline = new Decline(reason);
      Decline.all.set(reason, decline);
    }
    return decline;
  }
}
export const decline = (reason: DeclineReason) => Decline.because(reason);

/** Answers one root field for one request: its value (as in the response), or a Decline. */
export type CompiledField = (
  context: unknown,
  variables: Record<string, unknown>,
) => Promise<unknown | Decline>;

/** A module's compiler for one Query field, or why it cannot answer this selection. */
export interface RootFieldCompiler {
  field: string;
  compile(selected: SelectedField, schema: GraphQLSchema): CompiledField | Decline;
}

export type CompiledOutcome =
  | { outcome: 'compiled' }
  | { outcome: 'declined'; reason: DeclineReason };

export interface CompiledReadsOptions {
  roots: readonly RootFieldCompiler[];
  /** Says whether the compiled way answered a request or left it to the usual execution, and why. */
  onOutcome?: (outcome: CompiledOutcome) => void;
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
  // Per parsed document (Yoga caches them) and operation name: the compiled form, why it
  // cannot be (a Decline), or null when no root field of it has a compiled read.
  const compiledDocuments = new WeakMap<
    DocumentNode,
    Map<string, CompiledOperation | Decline | null>
  >();

  function compiledFor(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): CompiledOperation | Decline | null {
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
  ): CompiledOperation | Decline | null {
    const operation = getOperationAST(document, operationName);
    // Only queries that ask for a compiled root field count as compilable.
    const asksCompiled =
      operation?.operation === 'query' &&
      operation.selectionSet.selections.some(
        (selection) => selection.kind === Kind.FIELD && byField.has(selection.name.value),
      );
    const selection = staticSelection(schema, document, operationName);
    if (!selection) return asksCompiled ? decline('static') : null;
    const fields: CompiledOperation['fields'] = [];
    let other = false;
    for (const field of selection.fields) {
      if (field.name === '__typename') {
        fields.push({ key: field.key, nodes: field.nodes });
        continue;
      }
      const root = byField.get(field.name);
      if (!root) {
        other = true;
        continue;
      }
      const run = root.compile(field, schema);
      if (run instanceof Decline) return run;
      fields.push({ key: field.key, nodes: field.nodes, run });
    }
    if (!fields.some((field) => field.run)) return null;
    return other ? decline('other_root') : { operation: selection.operation, fields };
  }

  /** One root field's outcome: its value (or a Decline), or the database's failure. */
  async function runField(
    field: CompiledOperation['fields'][number],
    context: unknown,
    variables: Record<string, unknown>,
  ): Promise<{ value: unknown } | { error: unknown }> {
    if (!field.run) return { value: 'Query' };
    try {
      return { value: await field.run(context, variables) };
    } catch (error) {
      // A database that does not answer is answered as such, as the usual way would; any
      // other surprise leaves the request to the usual way.
      if (options.isUnavailable?.(error)) return { error };
      return { value: decline('error') };
    }
  }

  async function answer(
    compiled: CompiledOperation,
    schema: GraphQLSchema,
    context: unknown,
    rawVariables: Record<string, unknown> | null | undefined,
  ): Promise<ExecutionResult | Decline> {
    const definitions = compiled.operation.variableDefinitions ?? [];
    let variables: Record<string, unknown>;
    if (definitions.length === 0) {
      // Nothing to coerce: what getVariableValues would give, without its walk.
      variables = {};
    } else {
      const coerced = getVariableValues(schema, definitions, rawVariables ?? {});
      if (coerced.errors) return decline('variables');
      variables = coerced.coerced;
    }
    // The usual query has one root field: its outcome without a Promise.all around it.
    const fields = compiled.fields;
    const outcomes =
      fields.length === 1
        ? [await runField(fields[0] as CompiledOperation['fields'][number], context, variables)]
        : await Promise.all(fields.map((field) => runField(field, context, variables)));
    const data: Record<string, unknown> = {};
    const errors: GraphQLError[] = [];
    for (const [index, field] of fields.entries()) {
      const outcome = outcomes[index] as { value?: unknown; error?: unknown };
      if (outcome.value instanceof Decline) return outcome.value;
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
      if (compiled instanceof Decline) {
        options.onOutcome?.({ outcome: 'declined', reason: compiled.reason });
        return;
      }
      setExecuteFn(async (executionArgs) => {
        const result = await answer(
          compiled,
          executionArgs.schema,
          executionArgs.contextValue,
          executionArgs.variableValues as Record<string, unknown> | undefined,
        );
        if (result instanceof Decline) {
          options.onOutcome?.({ outcome: 'declined', reason: result.reason });
          return executeFn(executionArgs);
        }
        options.onOutcome?.({ outcome: 'compiled' });
        return result;
      });
    },
  };
}
