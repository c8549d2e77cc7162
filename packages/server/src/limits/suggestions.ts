// With suggestions off (the hardened profiles), no "Did you mean ...?" reaches a client: not
// for fields (graphql-js validation), nor for enum values ("Did you mean the enum value ...?"),
// input fields and arguments, whether the mistake is in the document (validation) or in the
// variables (coerced at execution). GraphQL Armor's plugin only masks `Did you mean "x"?` at
// validation, so enum values and variables leaked the schema's names.
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function strip<T extends GraphQLError>(error: T): T {
  if (SUGGESTION.test(error.message)) {
    SUGGESTION.lastIndex = 0;
    error.message = error.message.replace(SUGGESTION, '').trim();
  }
  SUGGESTION.lastIndex = 0;
  return error;
}

export function useNoSuggestions(): Plugin {
  const onDone = ({ result }: { result: unknown }) => {
    if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
    for (const error of (result as ExecutionResult).errors ?? []) strip(error);
  };
  return {
    onValidate:
      () =>
      ({ valid, result }) => {
        if (!valid) for (const error of result) strip(error);
      },
    onExecute: () => ({ onExecuteDone: onDone as never }),
    onSubscribe: () => ({ onSubscribeResult: onDone as never }),
  };
}
