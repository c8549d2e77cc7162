// The schema: imports every domain module (each registers its types on the builder) and
// builds. Nothing else belongs here.
import { builder } from './graphql/builder.ts';
import { sealConnectionCursors } from './graphql/cursors.ts';
import { publishBuiltSchema } from './graphql/fields.ts';
import './graphql/error-types.ts';
import './modules/fiscal-year/fiscal-year.type.ts';
import './modules/municipality/municipality.type.ts';
import './modules/municipality/municipality.mutations.ts';
import './modules/department/department.type.ts';
import './modules/department/department.mutations.ts';
import './modules/department/department-history.type.ts';
import './modules/plan/plan.type.ts';
import './modules/plan/plan.queries.ts';
import './modules/plan/plan-timeline.type.ts';
import './modules/plan/plan.mutations.ts';
import './modules/initiative/initiative.type.ts';
import './modules/initiative/initiative.queries.ts';
import './modules/initiative/initiative.mutations.ts';
import './modules/initiative/initiative-chain.type.ts';
import './modules/evaluation/evaluation.type.ts';
import './modules/evaluation/evaluation.mutations.ts';
import './modules/evaluation/evaluation-stage.type.ts';
import './modules/white-paper/white-paper.type.ts';
import './modules/white-paper/white-paper.mutations.ts';
import './modules/plan-year/plan-year.type.ts';
import './modules/change/change.type.ts';
import './modules/change/change.subscriptions.ts';
import './modules/feedback/feedback.type.ts';
import './modules/feedback/feedback-answer.type.ts';
import './modules/summary/summary.type.ts';
import './modules/viewer/viewer.type.ts';
import './modules/facets/facets.type.ts';
import './modules/labels/labels.type.ts';
import './modules/target/target.type.ts';
import './modules/target/target.queries.ts';
import './modules/target/target.mutations.ts';
import './modules/as-of/as-of.type.ts';
import './modules/open-data/open-data.mutations.ts';
import './modules/calendar/calendar.type.ts';
import './modules/webhook/webhook.type.ts';
import './modules/webhook/webhook.mutations.ts';
import './modules/webhook/webhook.outbox.ts';

// Every connection's cursors leave sealed (graphql/cursors.ts; yoga.ts unseals them).
export const schema = publishBuiltSchema(
  sealConnectionCursors(builder.toSchema({ sortSchema: true })),
);
