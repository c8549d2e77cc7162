// Every limit on what a request may ask, as the Yoga/envelop plugins yoga.ts installs, in
// order: trusted documents, CSRF, request parsing, document limits, then admission.
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.ts';
import { useAdmission } from './admission.ts';
import { useCodedCSRFPrevention, useNoOriginalError } from './csrf.ts';
import { documentLimitPlugins } from './documents.ts';
import { loadTrustedDocuments, useTrustedDocuments } from './trusted-documents.ts';

export function limitPlugins(settings: SecuritySettings): Plugin[] {
  const plugins: (Plugin | false)[] = [
    settings.trustedDocuments !== undefined &&
      useTrustedDocuments(loadTrustedDocuments(settings.trustedDocuments)),
    settings.csrfPrevention && useCodedCSRFPrevention(),
    useNoOriginalError(),
    ...documentLimitPlugins(settings),
    useAdmission(settings),
  ];
  return plugins.filter((plugin): plugin is Plugin => plugin !== false);
}
