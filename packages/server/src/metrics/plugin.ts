// Feeds metrics.ts from Yoga: one observation per GraphQL result (its operation name and type,
// the time since the request reached Yoga, the codes of its errors), whichever transport
// brought it and wherever it failed (parsing, validation, limits, execution).
import { type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.ts';

interface Pending {
  started: number;
  name?: string;
  type: string;
}

export function useMetrics(metrics: Metrics): Plugin {
  const pending = new WeakMap<Request, Pending>();
  const entry = (request: Request) => {
    let found = pending.get(request);
    if (!found) {
      found = { started: performance.now(), type: 'unknown' };
      pending.set(request, found);
    }
    return found;
  };
  const noteOperation = (args: {
    document: Parameters<typeof getOperationAST>[0];
    operationName?: string | null;
    contextValue: unknown;
  }) => {
    const request = (args.contextValue as { request?: Request }).request;
    if (!request) return;
    const found = entry(request);
    const operation = getOperationAST(args.document, args.operationName);
    if (operation) {
      found.type = operation.operation;
      found.name = operation.name?.value ?? found.name;
    }
  };
  return {
    onRequest({ request }) {
      entry(request);
    },
    onParams({ params, request }) {
      const found = entry(request);
      if (params.operationName) found.name = params.operationName;
    },
    onValidate({ params, context }) {
      // Before validation: a document that fails it still has its operation's name.
      noteOperation({ document: params.documentAST, contextValue: context });
    },
    onExecute({ args }) {
      noteOperation(args);
    },
    onSubscribe({ args }) {
      noteOperation(args);
    },
    onResultProcess({ request, result }) {
      const found = pending.get(request);
      if (!found) return;
      pending.delete(request);
      const seconds = (performance.now() - found.started) / 1000;
      const results = Array.isArray(result) ? result : [result];
      const codes: string[] = [];
      for (const one of results) {
        if (!one || Symbol.asyncIterator in one) continue;
        for (const error of (one.errors ?? []) as readonly GraphQLError[]) {
          const code = error.extensions?.code;
          codes.push(typeof code === 'string' ? code : 'UNKNOWN');
        }
      }
      metrics.recordOperation(found.name, found.type, seconds, codes);
    },
  };
}
