// `@hoshin/client/core`: the runtime alone, without any generated document. For callers who
// send only their own documents; it is also what the size budget measures.

export type { ErrorCode } from './generated/error-codes.js';
export { cacheableUrl } from './runtime/cacheable.js';
export {
  type Client,
  type ClientOptions,
  createClient,
  type FetchFunction,
  type RequestArgs,
  type RequestOptions,
  type ResultOf,
  type TokenSource,
  type TypedDocument,
  type VariablesOf,
} from './runtime/client.js';
export {
  type GraphQLErrorItem,
  type HoshinErrorKind,
  HoshinRequestError,
  type HoshinRequestErrorInit,
} from './runtime/errors.js';
export { type OperationInfo, type OperationType, operationInfo } from './runtime/operation.js';
export type { BackoffOptions } from './runtime/retry.js';
export {
  type ConnectionState,
  type FailureReason,
  failureReason,
  type SubscribeArgs,
  type SubscribeOptions,
} from './runtime/subscribe.js';
export type { PrintFunction } from './runtime/types.js';
