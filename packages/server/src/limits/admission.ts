// Admission of an operation about to run: input hygiene (string sizes and contents, list
// sizes), the cost gate (limits/cost.ts) and the execution timeout. Runs for queries,
// mutations and subscriptions alike, whatever the transport.
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  getOperationAST,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.ts';
import { ErrorCode, refusal } from '../errors.ts';
import { operationCost } from './cost.ts';

/** A WHATWG File as Yoga's multipart parser hands it over (a ponyfill on Node). */
function isUploadedFile(value: object): boolean {
  const file = value as Partial<Blob>;
  return typeof file.stream === 'function' && typeof file.size === 'number';
}

/**
 * Strings the database must never see: absurd lengths and huge lists always; NUL and lone
 * surrogates unless `contents` is false (mutations: their zod schemas report those per
 * field, as typed ValidationError issues).
 */
function checkInput(
  value: unknown,
  settings: SecuritySettings,
  contents = true,
  depth = 0,
): GraphQLError | null {
  if (typeof value === 'string') {
    if (value.length > settings.maxStringLength) {
      return refusal(
        ErrorCode.INPUT_TOO_LARGE,
        `A string argument is longer than ${settings.maxStringLength} characters`,
      );
    }
    // isWellFormed: Node 20's String has it, TypeScript's es2022 lib does not.
    if (
      contents &&
      (value.includes('\u0000') ||
        !(value as unknown as { isWellFormed(): boolean }).isWellFormed())
    ) {
      return refusal(
        ErrorCode.INVALID_STRING,
        'A string argument contains a NUL character or invalid UTF-16',
      );
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  // An uploaded file (the File scalar): its bytes are held to the import limits instead
  // (limits/body-size.ts, modules/open-data/upload.ts), not read as a list here.
  if (isUploadedFile(value)) return null;
  if (depth > 20) return refusal(ErrorCode.INPUT_TOO_LARGE, 'An argument is nested too deeply');
  const items = Array.isArray(value) ? value : Object.values(value);
  if (items.length > settings.maxListItems) {
    return refusal(
      ErrorCode.INPUT_TOO_LARGE,
      `An argument has more than ${settings.maxListItems} items`,
    );
  }
  for (const item of items) {
    const error = checkInput(item, settings, contents, depth + 1);
    if (error) return error;
  }
  return null;
}

function checkDocumentLiterals(
  document: DocumentNode,
  settings: SecuritySettings,
  contents: boolean,
) {
  let error: GraphQLError | null = null;
  visit(document, {
    StringValue(node) {
      error ??= checkInput(node.value, settings, contents);
    },
    ListValue(node) {
      if (node.values.length > settings.maxListItems) {
        error ??= refusal(
          ErrorCode.INPUT_TOO_LARGE,
          `An argument has more than ${settings.maxListItems} items`,
        );
      }
    },
  });
  return error;
}

/**
 * Checks an operation before it runs: input hygiene, then cost. Returns the refusal or the
 * cost to report.
 */
/**
 * What admission learnt of a parsed document that does not depend on the variables: its
 * literals passed (per `contents`), and the cost of each operation that declares no variables.
 * Yoga's parser cache hands out the same document object for the same text, so a repeated
 * query is checked once; refusals are never remembered (each gets a fresh error).
 */
interface DocumentFacts {
  literalsPass: Set<boolean>;
  costs: Map<string, number>;
}

function admit(
  args: {
    schema: Parameters<typeof operationCost>[0];
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: Record<string, unknown> | null;
  },
  settings: SecuritySettings,
  known: WeakMap<DocumentNode, DocumentFacts>,
): { error: GraphQLError } | { cost: number } {
  let facts = known.get(args.document);
  if (!facts) {
    facts = { literalsPass: new Set(), costs: new Map() };
    known.set(args.document, facts);
  }
  // Sizes were checked as sent (onParams); here the contents, for reads, and the literals.
  const operation = getOperationAST(args.document, args.operationName);
  const contents = operation?.operation !== 'mutation';
  const variableError = contents ? checkInput(args.variableValues ?? {}, settings) : null;
  if (variableError) return { error: variableError };
  if (!facts.literalsPass.has(contents)) {
    const literalError = checkDocumentLiterals(args.document, settings, contents);
    if (literalError) return { error: literalError };
    facts.literalsPass.add(contents);
  }
  // Without variable definitions the cost is the document's alone.
  const costKey =
    operation && (operation.variableDefinitions?.length ?? 0) === 0
      ? (args.operationName ?? '')
      : undefined;
  let cost = costKey === undefined ? undefined : facts.costs.get(costKey);
  if (cost === undefined) {
    cost = operationCost(args.schema, args.document, args.operationName, args.variableValues);
    if (costKey !== undefined) facts.costs.set(costKey, cost);
  }
  if (cost > settings.maxCost) {
    return {
      error: refusal(
        ErrorCode.COST_LIMIT_EXCEEDED,
        `This query may return ${cost} objects, more than the limit of ${settings.maxCost}: ask for smaller pages (first/last)`,
        400,
        { cost: { requested: cost, limit: settings.maxCost } },
      ),
    };
  }
  return { cost };
}

export function useAdmission(settings: SecuritySettings): Plugin {
  // Per plugin instance: the facts hold for these settings and the schema Yoga serves.
  const known = new WeakMap<DocumentNode, DocumentFacts>();
  return {
    onParams({ params }) {
      // Sizes before coercion, so an object of 100,000 unknown keys is one refusal, not 50
      // errors; string contents once the operation's type is known (admit).
      const error = checkInput(params.variables ?? {}, settings, false);
      if (error) throw error;
    },
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const verdict = admit(args as never, settings, known);
      if ('error' in verdict) {
        setResultAndStopExecution({ errors: [verdict.error] });
        return;
      }
      // The response is sent when the timer fires; work already started (a SQL statement)
      // finishes on its own but its result is dropped.
      setExecuteFn(
        (executionArgs) =>
          // One promise per operation: settled by the execution or, first, by the timer.
          new Promise<ExecutionResult>((resolve, reject) => {
            const timer = setTimeout(
              () =>
                resolve({
                  errors: [
                    refusal(
                      ErrorCode.EXECUTION_TIMEOUT,
                      `The operation did not finish within ${settings.executionTimeoutMs} ms`,
                      503,
                    ),
                  ],
                }),
              settings.executionTimeoutMs,
            );
            const settle =
              <T>(done: (value: T) => void) =>
              (value: T) => {
                clearTimeout(timer);
                done(value);
              };
            try {
              Promise.resolve(executeFn(executionArgs) as ExecutionResult).then(
                settle(resolve),
                settle(reject),
              );
            } catch (error) {
              settle(reject)(error);
            }
          }),
      );
      return {
        onExecuteDone({ result, setResult }) {
          if (!settings.reportCost || Symbol.asyncIterator in result) return;
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              cost: { requested: verdict.cost, limit: settings.maxCost },
            },
          });
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const verdict = admit(args as never, settings, known);
      if ('error' in verdict) setResultAndStopExecution({ errors: [verdict.error] });
    },
  };
}
