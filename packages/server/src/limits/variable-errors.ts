// graphql-js reports variables it cannot coerce ("Variable "$year" got invalid value ...")
// without a code; a client needs one to tell its own mistake from the server's.
import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

function isUncodedVariableError(error: GraphQLError) {
  return !error.extensions?.code && !error.path && /^Variable "\$/.test(error.message);
}

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

export function useCodedVariableErrors(): Plugin {
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
