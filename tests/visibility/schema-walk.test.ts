// Every read path goes through the one visibility model. This walks the built schema from its
// Query and Subscription roots: every field that returns a plan, initiative, evaluation, change
// or feedback (directly, in a list, in a connection, or as a count of them) must declare, with
// guardedBy(...) from modules/visibility/visibility.policy.ts, how it filters by it; every such
// type reachable through `node(id:)` must declare it on the type (its findUnique). A new field
// that forgets the rule fails here, by name.

import { schema } from '@hoshin/server/testing';
import {
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';

const GUARDED = new Set([
  'DepartmentPlan',
  'Initiative',
  'Evaluation',
  'Change',
  'Feedback',
  // An official answer: published ones to approved opinions (visibleFeedbackAnswers).
  'FeedbackAnswer',
  'PlanState',
  'InitiativeState',
  'EvaluationState',
  'PlanEvent',
  'InitiativeEvent',
  'EvaluationEvent',
  // Targets follow their initiative; as-of states are judged at their point.
  'Target',
  'TargetActual',
  'PlanAsOf',
  'InitiativeAsOf',
  'EvaluationAsOf',
  'AsOfDiff',
]);

function declares(field: { extensions?: Record<string, unknown> | null }): boolean {
  const visibility = field.extensions?.visibility as { kind?: string; how?: string } | undefined;
  return typeof visibility?.kind === 'string' && typeof visibility.how === 'string';
}

/** The guarded entity type a field returns, through connections and edges; else undefined. */
function guardedTarget(type: GraphQLNamedType): string | undefined {
  if (GUARDED.has(type.name)) return type.name;
  if (isObjectType(type) && type.name.endsWith('Connection')) {
    const edges = type.getFields().edges;
    const edge = edges && getNamedType(edges.type);
    const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
    if (node && GUARDED.has(getNamedType(node.type).name)) return getNamedType(node.type).name;
  }
  if (isInterfaceType(type)) {
    const guarded = schema.getPossibleTypes(type).filter((t) => GUARDED.has(t.name));
    if (guarded.length > 0) return `${type.name} (${guarded.map((t) => t.name).join(', ')})`;
  }
  return undefined;
}

/** A type that holds counts of entities (a summary), other than a connection's totalCount. */
function countsEntities(type: GraphQLNamedType, seen = new Set<string>()): boolean {
  if (!isObjectType(type) || type.name.endsWith('Connection') || GUARDED.has(type.name)) {
    return false;
  }
  if (seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some(
    (field) => /count/i.test(field.name) || countsEntities(getNamedType(field.type), seen),
  );
}

function readPaths() {
  const undeclared: string[] = [];
  const declared: string[] = [];
  const seen = new Set<string>();
  const queue: GraphQLNamedType[] = [schema.getQueryType(), schema.getSubscriptionType()].filter(
    (t): t is NonNullable<typeof t> => t != null,
  );
  while (queue.length > 0) {
    const type = queue.shift() as GraphQLNamedType;
    if (seen.has(type.name) || !(isObjectType(type) || isInterfaceType(type))) continue;
    seen.add(type.name);
    if (isInterfaceType(type)) {
      queue.push(...schema.getPossibleTypes(type));
      continue;
    }
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const target = getNamedType(field.type);
      queue.push(target);
      const guarded = guardedTarget(target);
      if (!guarded && !countsEntities(target)) continue;
      const name = `${type.name}.${field.name}`;
      if (declares(field)) {
        declared.push(name);
        continue;
      }
      // A connection's own fields (edges, node, totalCount) are filtered by the field that
      // returned the connection, which is checked itself.
      if (/(Connection|Edge)$/.test(type.name)) continue;
      // Reaching a type through node(id:): the type's own lookup must declare the rule.
      if (isInterfaceType(target)) {
        const missing = schema
          .getPossibleTypes(target)
          .filter((t) => GUARDED.has(t.name) && !declares(t));
        if (missing.length === 0) {
          declared.push(name);
          continue;
        }
        undeclared.push(`${name} -> ${missing.map((t) => t.name).join(', ')} (type)`);
        continue;
      }
      undeclared.push(`${name} -> ${guarded ?? `${target.name} (counts)`}`);
    }
  }
  return { undeclared, declared };
}

describe('every read path declares the visibility rule it applies', () => {
  it('walks Query and Subscription and finds no field that returns guarded data undeclared', () => {
    const { undeclared, declared } = readPaths();
    expect(undeclared).toEqual([]);
    // The walk really reaches the read paths (a walker that finds nothing proves nothing).
    for (const path of [
      'Query.plans',
      'Query.initiatives',
      'Query.evaluations',
      'Query.changes',
      'Query.yearSummary',
      'DepartmentPlan.initiatives',
      'DepartmentPlan.feedback',
      'DepartmentPlan.history',
      'Initiative.evaluation',
      'Subscription.planChanged',
      'PlanEvent.plan',
      'Initiative.targets',
      'Query.targetRollups',
      'Query.planAsOf',
      'PlanAsOf.initiatives',
      'Query.asOfDiff',
    ]) {
      expect(declared).toContain(path);
    }
  });
});
