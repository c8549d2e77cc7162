// `@hoshin/server/testing`: what the end-to-end tests and the bench reach besides createApp():
// databases (open, migrate, seed), tokens, and the few parts tested on their own. Nothing here
// is for production code; the server itself never imports this file.
export type { Viewer } from './auth/viewer.ts';
export {
  type Config,
  defaultSecurity,
  type HttpSettings,
  loadConfig,
  type SecuritySettings,
  startupWarnings,
} from './config.ts';
export { evaluationAudience, feedbackAudience, planAudience } from './db/audience.ts';
export {
  createPGlite,
  type Database,
  type DatabaseTarget,
  openDatabase,
  PGLITE_EXTENSIONS,
  type PrismaClient,
} from './db/client.ts';
export {
  applyMigrations,
  applyMigrationsToEmpty,
  diffMigrationsToSchema,
  migrationsDir,
  migrationsUpToDate,
  readMigrationList,
} from './db/migrations.ts';
export { prepareDatabase } from './db/prepare.ts';
export { loadSeed, mitakaSeedPath, readSeedFile, type SeedData } from './db/seed.ts';
export {
  buildSeededTemplate,
  buildTemplate,
  copySeededTemplateInto,
  copyTemplateInto,
  seededTemplatePath,
  seedLoaderSources,
  templatePath,
} from './db/template.ts';
export { inIdOrder } from './graphql/compiled/page.ts';
export {
  joinsSql,
  orderSql,
  SqlParams,
  type SqlTable,
  whereSql,
} from './graphql/compiled/where.ts';
export { CursorSealer, cursorKeyFromSecret } from './graphql/cursors.ts';
export { printSortedSchema } from './graphql/sdl.ts';
export { createFrontHandler } from './http/front.ts';
export {
  entityKey,
  purgeKeysOf,
  scopeKey,
  surrogateKey,
  UNSCOPED_KEY,
} from './http/public-cache.ts';
export { attachReadCache, ReadCache } from './http/response-cache.ts';
export { closeGracefully, createHttpServer } from './http/server.ts';
export { attachWebSocket } from './http/websocket.ts';
export { changeStream, pushInto } from './live/change-stream.ts';
export { LiveUpdates } from './live/live-updates.ts';
export { createChangePubSub } from './live/pubsub.ts';
export { visibilityMemo } from './live/visibility-memo.ts';
export { createLogger, type Logger } from './logger.ts';
export { metricsAccess, processMetrics } from './metrics/metrics.ts';
export { type ReminderEvent, Reminders } from './modules/calendar/reminders.ts';
export { fiscalYear } from './modules/fiscal-year/fiscal-year.ts';
export { checkDigit, PREFECTURES } from './modules/municipality/municipality-code.ts';
export { type Cell, ENTITY_NAMES, type EntityName } from './modules/open-data/columns.ts';
export { exportBatches, writeExport } from './modules/open-data/export.ts';
export { runImport } from './modules/open-data/import.ts';
export { withNormativeSection } from './modules/open-data/schema-doc.ts';
export { EXACT_SEARCH_COUNT } from './modules/search/search-count.ts';
export { initiativeSearchForm, searchForm } from './modules/search/search-form.ts';
export {
  DEFAULT_RULES,
  explainStatus,
  ruleSetSchema,
  type TargetFacts,
} from './modules/target/status-rules.ts';
export { issueToken, revokeToken } from './modules/token/token.service.ts';
export {
  judgeChange,
  liveJudge,
  seesActorToken,
  seesAudience,
  visibilityClass,
} from './modules/visibility/visibility.policy.ts';
export { schema } from './schema.ts';
export { createHoshinYoga } from './yoga.ts';
