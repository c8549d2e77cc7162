// The contract check (docs/api-versioning.md): a schema against the last released one, diffed by
// GraphQL Inspector. A breaking change fails unless it removes what was deprecated long enough
// ago, or the accepted list declares it with a reason. Every @deprecated must carry its date.
// scripts/check-schema.ts runs it from `pnpm lint`.
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';

/** Months a deprecation runs before its removal passes without a declaration. */
export const DEPRECATION_MONTHS = 6;

export interface Accepted {
  type: string;
  path: string;
  reason: string;
}

const SINCE = /since (\d{4}-\d{2}-\d{2})/;

/** The deprecation reason of the element at `path` (Type.field, Type.field.arg, Enum.VALUE). */
function deprecationOf(schema: GraphQLSchema, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const [typeName, member, argument] = path.split('.');
  const type = schema.getType(typeName ?? '') as GraphQLNamedType | undefined;
  if (!type || !member) return undefined;
  if (isEnumType(type)) return type.getValue(member)?.deprecationReason ?? undefined;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    const field = type.getFields()[member];
    if (!field) return undefined;
    if (argument === undefined) return field.deprecationReason ?? undefined;
    if ('args' in field)
      return field.args.find((a) => a.name === argument)?.deprecationReason ?? undefined;
  }
  return undefined;
}

/** Deprecated elements of a schema whose reason gives no date. */
function undatedDeprecations(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  const check = (path: string, reason: string | null | undefined) => {
    if (reason != null && !SINCE.test(reason)) found.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isEnumType(type)) {
      for (const value of type.getValues())
        check(`${type.name}.${value.name}`, value.deprecationReason);
    } else if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.deprecationReason);
        if ('args' in field)
          for (const arg of field.args)
            check(`${type.name}.${field.name}.${arg.name}`, arg.deprecationReason);
      }
    }
  }
  return found;
}

function monthsBefore(today: Date, months: number): Date {
  const date = new Date(today);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}

export interface ContractReport {
  /** One line per change that passes (additive, dangerous, accepted or deprecated long enough). */
  passed: string[];
  /** One line per breaking change that is not declared, and per undated deprecation. */
  failures: string[];
  changes: number;
}

/** Compares `schemaSdl` with `releasedSdl`. */
export async function checkContract(
  schemaSdl: string,
  releasedSdl: string,
  accepted: Accepted[],
  today = new Date(),
): Promise<ContractReport> {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(schemaSdl);
  for (const entry of accepted) {
    if (!entry.type || !entry.path || !entry.reason?.trim()) {
      throw new Error('every accepted breaking change needs type, path and a reason');
    }
  }
  const deadline = monthsBefore(today, DEPRECATION_MONTHS);
  const changes: Change[] = await diff(released, current);
  const passed: string[] = [];
  const failures: string[] = [];
  const line = (change: Change) => `${change.type} ${change.path ?? ''}: ${change.message}`;
  for (const change of changes) {
    const level = change.criticality.level;
    if (level !== CriticalityLevel.Breaking) {
      passed.push(
        `${level === CriticalityLevel.Dangerous ? 'dangerous' : 'additive '} ${line(change)}`,
      );
      continue;
    }
    const declared = accepted.find((a) => a.type === change.type && a.path === change.path);
    if (declared) {
      passed.push(`breaking  ${line(change)} (accepted: ${declared.reason})`);
      continue;
    }
    const since = deprecationOf(released, change.path)?.match(SINCE)?.[1];
    if (since && /_REMOVED$/.test(change.type) && new Date(`${since}T00:00:00Z`) <= deadline) {
      passed.push(`breaking  ${line(change)} (deprecated since ${since})`);
      continue;
    }
    failures.push(
      since
        ? `${line(change)} (deprecated since ${since}: removable after ${DEPRECATION_MONTHS} months)`
        : line(change),
    );
  }
  for (const path of undatedDeprecations(current)) {
    failures.push(`${path}: @deprecated(reason:) must say "since YYYY-MM-DD"`);
  }
  return { passed, failures, changes: changes.length };
}
