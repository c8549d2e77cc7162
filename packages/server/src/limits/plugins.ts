// Every limit on what a request may ask, as the Yoga/envelop plugins yoga.ts installs, in
// order: graphql-sse's mode, persisted (trusted) documents, CSRF, request parsing, document limits, admission, the stream cap,
// then codes for variable-coercion errors.

import { existsSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';
import { type SecuritySettings, sdkManifest } from '../config.ts';
import { useAdmission } from './admission.ts';
import { useStreamCap } from './connections.ts';
import { useCodedCSRFPrevention, useNoOriginalError } from './csrf.ts';
import { documentLimitPlugins } from './documents.ts';
import { useDistinctConnectionsOnly } from './sse-mode.ts';
import { loadTrustedDocuments, useTrustedDocuments } from './trusted-documents.ts';
import { useCodedVariableErrors } from './variable-errors.ts';

export function limitPlugins(settings: SecuritySettings): Plugin[] {
  const plugins: (Plugin | false)[] = [
    useDistinctConnectionsOnly(),
    settings.trustedDocuments !== undefined
      ? useTrustedDocuments(loadTrustedDocuments(settings.trustedDocuments))
      : // The SDK's documents by hash for everyone; other documents as text too.
        settings.persistedDocuments &&
        existsSync(sdkManifest) &&
        useTrustedDocuments(loadTrustedDocuments(sdkManifest), { only: false }),
    settings.csrfPrevention && useCodedCSRFPrevention(),
    useNoOriginalError(),
    ...documentLimitPlugins(settings),
    useAdmission(settings),
    useStreamCap(),
    useCodedVariableErrors(),
  ];
  return plugins.filter((plugin): plugin is Plugin => plugin !== false);
}
