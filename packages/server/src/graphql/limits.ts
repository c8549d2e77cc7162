// What a request may ask of the server, as Yoga/envelop plugins: document limits (GraphQL
// Armor), query cost, execution timeout, input hygiene, introspection, trusted documents, CSRF.
// Every refusal is one GraphQLError with a stable `extensions.code`.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { characterLimitPlugin } from '@escape.tech/graphql-armor-character-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  getNamedType,
  getOperationAST,
  isIntrospectionType,
  type ValidationRule,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.ts';
import { operationCost } from './cost.ts';
import { ErrorCode } from './errors.ts';

export const LimitCode = {
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  DIRECTIVE_LIMIT_EXCEEDED: 'DIRECTIVE_LIMIT_EXCEEDED',
  TOKEN_LIMIT_EXCEEDED: 'TOKEN_LIMIT_EXCEEDED',
  CHARACTER_LIMIT_EXCEEDED: 'CHARACTER_LIMIT_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  EXECUTION_TIMEOUT: 'EXECUTION_TIMEOUT',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  INVALID_STRING: 'INVALID_STRING',
  INPUT_TOO_LARGE: 'INPUT_TOO_LARGE',
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  PERSISTED_DOCUMENT_REQUIRED: 'PERSISTED_DOCUMENT_REQUIRED',
  PERSISTED_DOCUMENT_NOT_FOUND: 'PERSISTED_DOCUMENT_NOT_FOUND',
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

/** Headers that make a browser preflight a request; one of them lifts CSRF prevention. */
export const CSRF_HEADERS = ['x-hoshin-csrf', 'graphql-preflight', 'apollo-require-preflight'];

function refusal(code: LimitCode, message: string, status = 400, details = {}) {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status } } });
}

/** Armor reports a plain GraphQLError; throwing ours instead stops at one coded error. */
function rejectWith(code: LimitCode) {
  return {
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        throw refusal(code, error.message.replace(/^Syntax Error: /, ''));
      },
    ],
  };
}

/** graphql-js's NoSchemaIntrospectionCustomRule, with a code. */
const noIntrospection: ValidationRule = (context) => {
  let reported = false;
  return {
    Field(node) {
      const type = getNamedType(context.getType());
      if (!reported && type && isIntrospectionType(type)) {
        reported = true; // one error per document, not one per introspection field
        context.reportError(
          new GraphQLError(`Introspection is disabled on this server ("${node.name.value}").`, {
            nodes: node,
            extensions: { code: LimitCode.INTROSPECTION_DISABLED },
          }),
        );
      }
    },
  };
};

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
        LimitCode.INPUT_TOO_LARGE,
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
        LimitCode.INVALID_STRING,
        'A string argument contains a NUL character or invalid UTF-16',
      );
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth > 20) return refusal(LimitCode.INPUT_TOO_LARGE, 'An argument is nested too deeply');
  const items = Array.isArray(value) ? value : Object.values(value);
  if (items.length > settings.maxListItems) {
    return refusal(
      LimitCode.INPUT_TOO_LARGE,
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
          LimitCode.INPUT_TOO_LARGE,
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
function admit(
  args: {
    schema: Parameters<typeof operationCost>[0];
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: Record<string, unknown> | null;
  },
  settings: SecuritySettings,
): { error: GraphQLError } | { cost: number } {
  // Sizes were checked as sent (onParams); here the contents, for reads, and the literals.
  const operation = getOperationAST(args.document, args.operationName);
  const contents = operation?.operation !== 'mutation';
  const inputError =
    (contents ? checkInput(args.variableValues ?? {}, settings) : null) ??
    checkDocumentLiterals(args.document, settings, contents);
  if (inputError) return { error: inputError };
  const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues);
  if (cost > settings.maxCost) {
    return {
      error: refusal(
        LimitCode.COST_LIMIT_EXCEEDED,
        `This query may return ${cost} objects, more than the limit of ${settings.maxCost}: ask for smaller pages (first/last)`,
        400,
        { cost: { requested: cost, limit: settings.maxCost } },
      ),
    };
  }
  return { cost };
}

function useAdmission(settings: SecuritySettings): Plugin {
  return {
    onParams({ params }) {
      // Sizes before coercion, so an object of 100,000 unknown keys is one refusal, not 50
      // errors; string contents once the operation's type is known (admit).
      const error = checkInput(params.variables ?? {}, settings, false);
      if (error) throw error;
    },
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const verdict = admit(args as never, settings);
      if ('error' in verdict) {
        setResultAndStopExecution({ errors: [verdict.error] });
        return;
      }
      // The response is sent when the timer fires; work already started (a SQL statement)
      // finishes on its own but its result is dropped.
      setExecuteFn(async (executionArgs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(
            () =>
              resolve({
                errors: [
                  refusal(
                    LimitCode.EXECUTION_TIMEOUT,
                    `The operation did not finish within ${settings.executionTimeoutMs} ms`,
                    503,
                  ),
                ],
              }),
            settings.executionTimeoutMs,
          );
        });
        try {
          return await Promise.race([
            executeFn(executionArgs) as Promise<ExecutionResult>,
            timeout,
          ]);
        } finally {
          clearTimeout(timer);
        }
      });
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
      const verdict = admit(args as never, settings);
      if ('error' in verdict) setResultAndStopExecution({ errors: [verdict.error] });
    },
  };
}

/**
 * graphql-js reports variables it cannot coerce ("Variable \"$year\" got invalid value ...")
 * without a code; a client needs one to tell its own mistake from the server's.
 */
function withVariableCodes(result: ExecutionResult): ExecutionResult | undefined {
  if (!result.errors?.some(isUncodedVariableError)) return undefined;
  return {
    ...result,
    errors: result.errors.map((error) =>
      isUncodedVariableError(error)
        ? new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
          })
        : error,
    ),
  };
}

function isUncodedVariableError(error: GraphQLError) {
  return !error.extensions?.code && !error.path && /^Variable "\$/.test(error.message);
}

function useCodedVariableErrors(): Plugin {
  const onDone = ({
    result,
    setResult,
  }: {
    result: unknown;
    setResult: (result: ExecutionResult) => void;
  }) => {
    if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
    const coded = withVariableCodes(result as ExecutionResult);
    if (coded) setResult(coded);
  };
  return {
    onExecute: () => ({ onExecuteDone: onDone as never }),
    onSubscribe: () => ({ onSubscribeResult: onDone as never }),
  };
}

/** What http/server.ts puts in the server context of each request: the stream cap. */
interface StreamGateLike {
  readonly connections: { readonly max: number };
  open(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Every subscription served over HTTP holds a stream slot for as long as its response is open,
 * whatever the Accept header asked for: the cap is counted where the stream starts, not guessed
 * from the request. WebSocket operations (no `res`) are capped per socket instead.
 */
export function useStreamCap(): Plugin {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as {
        streamGate?: StreamGateLike;
        req?: IncomingMessage;
        res?: ServerResponse;
      };
      const { streamGate, req, res } = context;
      if (!streamGate || !req || !res) return;
      if (!streamGate.open(req, res)) {
        throw refusal(
          LimitCode.TOO_MANY_CONNECTIONS,
          `Too many open connections from this client (at most ${streamGate.connections.max})`,
          429,
        );
      }
    },
  };
}

/** The manifest the client SDK writes: { "sha256:<hex>": "<document>" }. */
export function loadTrustedDocuments(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  const documents = new Map<string, string>();
  for (const [key, document] of Object.entries(manifest)) {
    documents.set(key, document);
    // Also by the bare hash, as Apollo's persistedQuery extension sends it.
    documents.set(key.replace(/^sha256:/, ''), document);
  }
  return documents;
}

function useTrustedDocuments(documents: Map<string, string>): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId(params) {
      const body = params as typeof params & { documentId?: unknown };
      if (typeof body.documentId === 'string') return body.documentId;
      const persisted = (params.extensions?.persistedQuery ?? null) as {
        sha256Hash?: unknown;
      } | null;
      return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
    },
    getPersistedOperation: (key) => documents.get(key) ?? null,
    customErrors: {
      persistedQueryOnly: {
        message: 'This server runs only the trusted documents of the hoshin SDK: send a documentId',
        extensions: { code: LimitCode.PERSISTED_DOCUMENT_REQUIRED, http: { status: 400 } },
      },
      keyNotFound: {
        message: 'Send a documentId (the hash of a trusted document)',
        extensions: { code: LimitCode.PERSISTED_DOCUMENT_REQUIRED, http: { status: 400 } },
      },
      notFound: {
        message: 'No trusted document has this documentId',
        extensions: { code: LimitCode.PERSISTED_DOCUMENT_NOT_FOUND, http: { status: 400 } },
      },
    },
  });
}

/**
 * Yoga attaches the JSON parser's own message (which quotes the body) to a malformed-JSON
 * refusal as `extensions.originalError`; a client needs only the refusal and its code.
 */
function useNoOriginalError(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof GraphQLError) || !error.extensions.originalError) throw error;
          const { originalError: _dropped, http, ...extensions } = error.extensions;
          // Yoga answers 200 to `spec` errors under Accept: application/json unless an
          // originalError is attached; a malformed body is a 400 either way.
          const status = (http as { status?: number } | undefined)?.status ?? 400;
          throw new GraphQLError(error.message, {
            extensions: { ...extensions, http: { status } },
          });
        }
      });
    },
  };
}

function useCodedCSRFPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw refusal(
          LimitCode.CSRF_HEADER_REQUIRED,
          `Requests a browser can send cross-site need a ${CSRF_HEADERS[0]} header (or Content-Type: application/json)`,
          403,
        );
      }
    },
  };
}

/** Document limits run at parse and validation, before any resolver or database work. */
export function limitPlugins(settings: SecuritySettings): Plugin[] {
  const plugins: (Plugin | false)[] = [
    settings.trustedDocuments !== undefined &&
      useTrustedDocuments(loadTrustedDocuments(settings.trustedDocuments)),
    settings.csrfPrevention && useCodedCSRFPrevention(),
    useNoOriginalError(),
    // Both replace the parse function; the token counter ignores the one it was given, so it
    // goes first and the character limit wraps it.
    maxTokensPlugin({
      n: settings.maxTokens,
      ...rejectWith(LimitCode.TOKEN_LIMIT_EXCEEDED),
    }) as Plugin,
    characterLimitPlugin({
      maxLength: settings.maxCharacters,
      ...rejectWith(LimitCode.CHARACTER_LIMIT_EXCEEDED),
    }) as Plugin,
    maxDepthPlugin({
      n: settings.maxDepth,
      flattenFragments: true,
      ...rejectWith(LimitCode.DEPTH_LIMIT_EXCEEDED),
    }) as Plugin,
    // No exemption for __typename: a thousand aliased __typename still cost a thousand fields.
    maxAliasesPlugin({
      n: settings.maxAliases,
      allowList: [],
      ...rejectWith(LimitCode.ALIAS_LIMIT_EXCEEDED),
    }) as Plugin,
    maxDirectivesPlugin({
      n: settings.maxDirectives,
      ...rejectWith(LimitCode.DIRECTIVE_LIMIT_EXCEEDED),
    }) as Plugin,
    !settings.introspection && {
      onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection),
    },
    !settings.fieldSuggestions && (blockFieldSuggestionsPlugin() as Plugin),
    useAdmission(settings),
    useStreamCap(),
    useCodedVariableErrors(),
  ];
  return plugins.filter((plugin): plugin is Plugin => plugin !== false);
}
