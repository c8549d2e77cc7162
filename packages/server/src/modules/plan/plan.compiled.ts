// `plan(municipality, department, fiscalYear)` and forward pages of `plans(filter, first, after)` as
// compiled reads (graphql/compiled/): plans, their departments, fiscal years and pages of
// initiatives with their evaluations, built by PostgreSQL in one statement and shaped here,
// for the fields listed below. The rules are the schema's own: plans filtered by visiblePlans
// and planScopeWhere (translated to SQL), evaluations shown by shownEvaluation, cursors sealed
// as sealConnectionCursors seals them, values serialised by the schema's scalars and enums.
// A type's columns are the fields that show one (graphql/fields.ts: plain exposures, and fields
// declaring their column and how it is read), so a new exposed field is compiled as it is.
// Whatever else (another field, `before`/`last`, `after` of an initiatives list, a plan not found or not visible, an
// empty list, so that the answer is null, empty or an error) is declined and runs the usual
// way.

import { createHash } from 'node:crypto';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  type GraphQLField,
  type GraphQLLeafType,
  getNamedType,
  isListType,
  isNonNullType,
} from 'graphql';
import type { Database } from '../../db/client.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../graphql/builder.ts';
import {
  type CompiledField,
  Decline,
  decline,
  type RootFieldCompiler,
} from '../../graphql/compiled/plugin.ts';
import { argumentsOf, type SelectedField } from '../../graphql/compiled/selection.ts';
import {
  joinsSql,
  orderSql,
  SqlParams,
  translated,
  whereSql,
} from '../../graphql/compiled/where.ts';
import type { Context } from '../../graphql/context.ts';
import { cursorViewer } from '../../graphql/cursors.ts';
import { columnFieldOf } from '../../graphql/fields.ts';
import { keysetPage } from '../../graphql/keyset.ts';
import { fiscalYear, isSupportedFiscalYear } from '../fiscal-year/fiscal-year.ts';
import {
  draftScope,
  type EvaluationState,
  needsDepartmentForDrafts,
  shownEvaluation,
  visiblePlans,
} from '../visibility/visibility.policy.ts';
import { planOrder } from './plan.queries.ts';
import { type PlanScope, planScopeWhere } from './plan.scope.ts';
import { planTable } from './plan.table.ts';

type Row = Record<string, unknown>;
/** Makes one field's value from the row of its parent (or the shaped parent object). */
type Shaper = (row: Row, ctx: Context) => unknown;

/** Serialises a leaf value exactly as graphql-js would for the field's type. */
function serializer(field: GraphQLField<unknown, unknown>): (value: unknown) => unknown {
  const named = getNamedType(field.type) as GraphQLLeafType;
  const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
  const one = (value: unknown) => {
    if (value === null || value === undefined) {
      if (isNonNullType(field.type)) throw new Error(`${field.name}: null`);
      return null;
    }
    return named.serialize(value);
  };
  return isListType(inner)
    ? (value) => (value == null ? one(value) : (value as unknown[]).map((item) => one(item)))
    : one;
}

/** A column of `alias`, quoted: the one spelling Columns dedupes on. */
const column = (alias: string, name: string) => `${alias}."${name}"`;

/** Shapes an object: each selected field, in response order. */
function objectShaper(fields: { key: string; shape: Shaper }[]): Shaper {
  return (row, ctx) => {
    const out: Row = {};
    for (const field of fields) out[field.key] = field.shape(row, ctx);
    return out;
  };
}

/**
 * Columns the statement selects for one object: `pairs` for json_build_object, named c0, c1...
 * in the order first asked for.
 */
class Columns {
  private readonly keys = new Map<string, string>();
  readonly pairs: string[] = [];
  key(sql: string): string {
    let key = this.keys.get(sql);
    if (!key) {
      key = `c${this.keys.size}`;
      this.keys.set(sql, key);
      this.pairs.push(`'${key}', ${sql}`);
    }
    return key;
  }
}

/** A FiscalYear object made from a year column: its plain fields, as the type exposes them. */
function fiscalYearShaper(field: SelectedField, key: string): Shaper | undefined {
  const shapeYear = shapeAll(field, (leaf) => {
    if (leaf.name === '__typename') return () => 'FiscalYear';
    const exposed = leaf.definition && columnFieldOf(leaf.definition);
    if (!leaf.definition || !exposed || exposed.read || leaf.children.length > 0) return undefined;
    const serialize = serializer(leaf.definition);
    return (fy) => serialize(fy[exposed.column]);
  });
  return (
    shapeYear &&
    ((row, ctx) => {
      const year = row[key] as number | null;
      return year === null ? null : shapeYear(fiscalYear(year) as never, ctx);
    })
  );
}

/**
 * A department's naming column as of the plan's fiscal year: department-naming.ts's namingIn
 * in SQL (the earliest former naming lasting until then, else today's).
 */
const namedAsOfPlanYear = (department: string, name: string) =>
  `(SELECT n."${name}" FROM (SELECT f."${name}", f."untilFiscalYear" FROM "DepartmentFormerName" AS f WHERE f."departmentId" = ${department}.id AND f."untilFiscalYear" >= ${planTable.alias}."fiscalYear" UNION ALL SELECT ${department}."${name}", NULL) AS n ORDER BY n."untilFiscalYear" ASC NULLS LAST LIMIT 1)`;

/**
 * Fields of a type that are its own columns (graphql/fields.ts): __typename, the Relay id, and
 * each field that shows a column, plainly or read as a bigint or a fiscal year.
 */
function columnShaper(
  field: SelectedField,
  typeName: string,
  columns: Columns,
  alias: string,
): Shaper | undefined {
  if (field.name === '__typename') return () => typeName;
  if (!field.definition || field.definition.args.length > 0) return undefined;
  if (field.name === 'id' && field.children.length === 0) {
    const key = columns.key(column(alias, 'id'));
    return (row) => encodeGlobalID(typeName, String(row[key]));
  }
  const shown = columnFieldOf(field.definition);
  if (!shown) return undefined;
  if (shown.read === 'fiscal-year') {
    return fiscalYearShaper(field, columns.key(column(alias, shown.column)));
  }
  // A field with its own resolver and no declared way to read its column (say, a value that
  // depends on more than the row) is the usual way's to answer.
  if (field.children.length > 0 || (!shown.exposed && !shown.read)) return undefined;
  const serialize = serializer(field.definition);
  if (shown.read === 'naming-as-of-year') {
    const key = columns.key(namedAsOfPlanYear(alias, shown.column));
    return (row) => serialize(row[key]);
  }
  if (shown.read === 'bigint') {
    // bigint as text: JSON numbers would round it before SafeInt can refuse it.
    const key = columns.key(`${column(alias, shown.column)}::text`);
    return (row) => serialize(row[key] === null ? null : Number(row[key]));
  }
  const key = columns.key(column(alias, shown.column));
  return (row) => serialize(row[key]);
}

/** Shapes every selected field of an object with `shapeOne`, or undefined if one is unknown. */
function shapeAll(
  field: SelectedField,
  shapeOne: (child: SelectedField) => Shaper | undefined,
): Shaper | undefined {
  const shaped: { key: string; shape: Shaper }[] = [];
  for (const child of field.children) {
    const shape = shapeOne(child);
    if (!shape) return undefined;
    shaped.push({ key: child.key, shape });
  }
  return objectShaper(shaped);
}

/**
 * One page of a connection: its rows (as far as the page goes), its count, whether more follow,
 * and whether it came after a cursor (Pothos says a previous page exists then).
 */
interface Page {
  rows: Row[];
  totalCount: unknown;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * A connection's selection (totalCount, edges { cursor node }, pageInfo) over one page, as
 * Pothos answers a forward page: cursors of the first and last rows.
 * `onTotalCount` is told when totalCount is selected (its count is then worth its SQL).
 */
function connectionShaper(
  field: SelectedField,
  nodeShaper: (node: SelectedField) => Shaper | undefined,
  cursorOf: (row: Row, ctx: Context) => string,
  onTotalCount?: () => void,
): ((page: Page, ctx: Context) => unknown) | undefined {
  const connectionType = field.type?.name;
  const rowsOf = (page: Row) => (page as unknown as Page).rows;
  const shape = shapeAll(field, (child) => {
    switch (child.name) {
      case '__typename':
        return () => connectionType;
      case 'totalCount':
        onTotalCount?.();
        return (page) => (page as unknown as Page).totalCount;
      case 'edges': {
        const edgeType = child.type?.name;
        const shapeEdge = shapeAll(child, (edgeChild) => {
          if (edgeChild.name === '__typename') return () => edgeType;
          if (edgeChild.name === 'cursor') return (row, ctx) => cursorOf(row, ctx);
          if (edgeChild.name === 'node') return nodeShaper(edgeChild);
          return undefined;
        });
        return shapeEdge && ((page, ctx) => rowsOf(page).map((row) => shapeEdge(row, ctx)));
      }
      case 'pageInfo':
        return shapeAll(child, (info) => {
          switch (info.name) {
            case '__typename':
              return () => 'PageInfo';
            case 'hasNextPage':
              return (page) => (page as unknown as Page).hasNextPage;
            case 'hasPreviousPage':
              return (page) => (page as unknown as Page).hasPreviousPage;
            case 'startCursor':
              return (page, ctx) => {
                const first = rowsOf(page)[0];
                return first ? cursorOf(first, ctx) : null;
              };
            case 'endCursor':
              return (page, ctx) => {
                const last = rowsOf(page).at(-1);
                return last ? cursorOf(last, ctx) : null;
              };
            default:
              return undefined;
          }
        });
      default:
        return undefined;
    }
  });
  return shape && ((page, ctx) => shape(page as unknown as Row, ctx));
}

interface PageArgs {
  first: number;
  isAdministrativeReform: boolean | null;
}

/** One selected `initiatives(...)` page: its SQL (key `i<n>`, `n<n>` for the count). */
interface InitiativesPage {
  index: number;
  /** The page's arguments, or a Decline, for this request's variables. */
  args: (variables: Record<string, unknown>) => PageArgs | Decline;
  /** SQL of the rows and of the count; adds its $ parameters (as `values` does). */
  sql: (params: SqlParams, args: PageArgs) => string;
  /** Adds the parameters of `sql`, in the same order, for a statement already made. */
  values: (params: SqlParams, args: PageArgs) => void;
}

function pageArgs(
  argumentsFor: ReturnType<typeof argumentsOf>,
  variables: Record<string, unknown>,
): PageArgs | Decline {
  const args = argumentsFor(variables) as {
    first?: number | null;
    last?: number | null;
    after?: string | null;
    before?: string | null;
    isAdministrativeReform?: boolean | null;
  };
  if (args.last != null || args.after != null || args.before != null) return decline('arguments');
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  // Out of range is the schema's error to give (PAGE_SIZE_OUT_OF_RANGE).
  if (!Number.isSafeInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    return decline('arguments');
  }
  return { first, isAdministrativeReform: args.isAdministrativeReform ?? null };
}

/** A selection on DepartmentPlan, compiled: the SQL of its JSON object and its shaper. */
interface PlanNode {
  /** The page arguments of its `initiatives` lists for this request, or a Decline. */
  pageArgs(variables: Record<string, unknown>): PageArgs[] | Decline;
  /** The plan's json_build_object over p and d; adds the pages' $ parameters. */
  objectSql(params: SqlParams, pages: PageArgs[]): string;
  /** Adds the same parameters, for a statement already made. */
  objectValues(params: SqlParams, pages: PageArgs[]): void;
  /** What the statement's text depends on besides the visibility filter. */
  textKey(pages: PageArgs[]): string;
  /** The row keys of columns every caller needs. */
  keys: { status: string; fiscalYear: string; departmentOrder: string; id: string };
  shape(row: Row, ctx: Context, pages: PageArgs[]): unknown;
}

function compilePlanNode(selected: SelectedField): PlanNode | undefined {
  const plan = new Columns();
  const status = plan.key(column('p', 'status'));
  const departmentId = plan.key(column('d', 'id'));
  const municipalityId = plan.key(column('d', 'municipalityId'));
  const planId = plan.key(column('p', 'id'));
  const pages: InitiativesPage[] = [];

  function initiativesShaper(field: SelectedField): Shaper | undefined {
    if (!field.type || !field.definition) return undefined;
    const index = pages.length;
    const connectionType = field.type.name;
    const rows = new Columns();
    const position = rows.key(column('i', 'position'));
    let evaluationPairs: Columns | undefined;
    const evaluationShaper = (child: SelectedField): Shaper | undefined => {
      evaluationPairs ??= new Columns();
      const pairs = evaluationPairs;
      const evaluationStatus = pairs.key(column('e', 'status'));
      const evaluationReviewStage = pairs.key(column('e', 'reviewStage'));
      const shapeEvaluation = shapeAll(child, (leaf) =>
        columnShaper(leaf, 'Evaluation', pairs, 'e'),
      );
      if (!shapeEvaluation) return undefined;
      return (row, ctx) => {
        const evaluation = row.e as Row | null;
        // Initiative.evaluation's own rule: the department only for viewers with a draft scope.
        const department = needsDepartmentForDrafts(ctx.viewer)
          ? { id: row.departmentId as number, municipalityId: row.municipalityId as number }
          : undefined;
        if (evaluation) {
          evaluation.status = evaluation[evaluationStatus];
          evaluation.reviewStage = evaluation[evaluationReviewStage];
        }
        const shown = shownEvaluation(
          evaluation as (Row & EvaluationState) | null,
          department,
          ctx,
        );
        return shown ? shapeEvaluation(shown, ctx) : null;
      };
    };
    const nodeShaper = (node: SelectedField) =>
      shapeAll(node, (child) =>
        child.name === 'evaluation' && child.type
          ? evaluationShaper(child)
          : columnShaper(child, 'Initiative', rows, 'i'),
      );
    // The edge cursor as Pothos writes it for the unique (planId, position), then sealed.
    const cursorOf = (row: Row, ctx: Context) =>
      ctx.cursors.seal(
        connectionType,
        cursorViewer(ctx.viewer),
        Buffer.from(`GPC:T:["N:${row.planId}","N:${row[position]}"]`).toString('base64'),
      );
    let counted = false;
    const shapeConnection = connectionShaper(field, nodeShaper, cursorOf, () => {
      counted = true;
    });
    if (!shapeConnection) return undefined;
    const argumentsFor = argumentsOf(field);
    pages.push({
      index,
      args: (variables) => pageArgs(argumentsFor, variables),
      values: (params, args) => {
        if (args.isAdministrativeReform !== null) params.add(args.isAdministrativeReform);
        params.add(args.first + 1);
      },
      sql: (params, args) => {
        const filter =
          args.isAdministrativeReform === null
            ? ''
            : ` AND "isAdministrativeReform" = ${params.add(args.isAdministrativeReform)}`;
        const evaluation = evaluationPairs
          ? `, 'e', CASE WHEN e.id IS NULL THEN NULL ELSE json_build_object(${evaluationPairs.pairs.join(', ')}) END`
          : '';
        const join = evaluationPairs
          ? ' LEFT JOIN "Evaluation" AS e ON e."initiativeId" = i.id'
          : '';
        return `'i${index}', (SELECT coalesce(json_agg(json_build_object(${rows.pairs.join(', ')}${evaluation}) ORDER BY i.position), '[]'::json) FROM (SELECT * FROM "Initiative" WHERE "planId" = p.id${filter} ORDER BY position LIMIT ${params.add(args.first + 1)}) AS i${join})${counted ? `, 'n${index}', (SELECT count(*)::int FROM "Initiative" WHERE "planId" = p.id${filter})` : ''}`;
      },
    });
    return (row, ctx) => {
      const all = row[`i${index}`] as Row[];
      const first = row[`first${index}`] as number;
      const page = all.slice(0, first);
      for (const item of page) {
        item.planId = row[planId];
        item.departmentId = row[departmentId];
        item.municipalityId = row[municipalityId];
      }
      return shapeConnection(
        {
          rows: page,
          totalCount: row[`n${index}`],
          hasNextPage: all.length > first,
          hasPreviousPage: false,
        },
        ctx,
      );
    };
  }

  const department = new Columns();
  const shapePlan = shapeAll(selected, (field) => {
    switch (field.name) {
      case 'department': {
        const shapeDepartment = shapeAll(field, (leaf) =>
          columnShaper(leaf, 'Department', department, 'd'),
        );
        return shapeDepartment && ((row, ctx) => shapeDepartment(row.department as Row, ctx));
      }
      case 'initiatives':
        return initiativesShaper(field);
      default:
        return columnShaper(field, 'DepartmentPlan', plan, 'p');
    }
  });
  if (!shapePlan) return undefined;
  const keys = {
    status,
    fiscalYear: plan.key(column('p', 'fiscalYear')),
    departmentOrder: plan.key(column('p', 'departmentOrder')),
    id: planId,
  };
  return {
    keys,
    pageArgs(variables) {
      const now: PageArgs[] = [];
      for (const page of pages) {
        const args = page.args(variables);
        if (args instanceof Decline) return args;
        now.push(args);
      }
      return now;
    },
    objectSql(params, pageArgs) {
      const extra = pages.map((page, i) => page.sql(params, pageArgs[i] as PageArgs));
      const parts = [
        ...plan.pairs,
        ...extra,
        ...(department.pairs.length
          ? [`'department', json_build_object(${department.pairs.join(', ')})`]
          : []),
      ];
      return `json_build_object(${parts.join(', ')})`;
    },
    objectValues(params, pageArgs) {
      for (const [i, page] of pages.entries()) page.values(params, pageArgs[i] as PageArgs);
    },
    textKey: (pageArgs) =>
      pageArgs.map((page) => (page.isAdministrativeReform === null ? 0 : 1)).join(''),
    shape(row, ctx, pageArgs) {
      for (const [i, page] of pageArgs.entries()) row[`first${i}`] = page.first;
      return shapePlan(row, ctx);
    },
  };
}

/** Statements by the shape of their text, per compiled field: a handful (one per viewer kind). */
class Statements {
  private readonly byShape = new Map<string, { sql: string; name: string }>();
  lookup(shape: string) {
    return this.byShape.get(shape);
  }
  add(shape: string, sql: string) {
    const statement = { sql, name: statementName(sql) };
    if (this.byShape.size >= 32) this.byShape.clear();
    this.byShape.set(shape, statement);
    return statement;
  }
}

const FROM = `FROM "${planTable.name}" AS ${planTable.alias} ${joinsSql(planTable, 'JOIN')}`;

/** visiblePlans as SQL, adding its parameters; undefined when it does not translate. */
function visibleSql(ctx: Context, params: SqlParams, where: object = {}): string | undefined {
  return translated(() => whereSql({ AND: [where, visiblePlans(ctx)] }, planTable, params));
}

/** Runs the statement of one request: made once per shape, its parameters added each time. */
function run(
  db: Database,
  statements: Statements,
  shape: string,
  node: PlanNode,
  params: SqlParams,
  pageArgs: PageArgs[],
  text: (object: string) => string,
): Promise<Row[]> {
  let statement = statements.lookup(shape);
  if (statement) node.objectValues(params, pageArgs);
  else statement = statements.add(shape, text(node.objectSql(params, pageArgs)));
  return db.read(statement.name, statement.sql, params.values);
}

/** `plan(municipality, department, fiscalYear)`. */
function compilePlan(selected: SelectedField, db: Database): CompiledField | Decline {
  if (!selected.definition || !selected.type) return decline('unknown_field');
  const node = compilePlanNode(selected);
  if (!node) return decline('unknown_field');
  const argumentsFor = argumentsOf(selected);
  const statements = new Statements();

  return async (context, variables) => {
    const ctx = context as Context;
    const args = argumentsFor(variables) as {
      municipality: string;
      department: string;
      fiscalYear: number;
    };
    // An unsupported year is the schema's error to give.
    if (!isSupportedFiscalYear(args.fiscalYear)) return decline('arguments');
    const pageArgs = node.pageArgs(variables);
    if (pageArgs instanceof Decline) return pageArgs;
    const params = new SqlParams([args.municipality, args.department, args.fiscalYear]);
    const visible = visibleSql(ctx, params);
    if (visible === undefined) return decline('filter');
    // The text depends on the visibility filter and on which page filters are given.
    const shape = `${visible}|${node.textKey(pageArgs)}`;
    const [found] = await run(
      db,
      statements,
      shape,
      node,
      params,
      pageArgs,
      (object) =>
        `SELECT ${object} AS plan ${FROM} WHERE m.code = $1 AND d.code = $2 AND p."fiscalYear" = $3 AND ${visible}`,
    );
    // Not there, or not visible: null or an error, which the usual way decides.
    if (!found) return decline('not_found');
    const row = found.plan as Row;
    // The statement filtered by visibility already; a draft never reaches the public anyway.
    if (row[node.keys.status] !== 'PUBLISHED' && !draftScope(ctx.viewer)) {
      return decline('not_found');
    }
    return node.shape(row, ctx, pageArgs);
  };
}

/** The order `plans` lists by default, and how its keyset cursor names it. */
const LIST_ORDER = 'NEWEST_YEAR_FIRST';
/** That order as SQL, from planOrder itself: on the plan table, and on the page's rows (x). */
const LIST_ORDER_SQL = orderSql(planOrder(null), planTable);
const PAGE_ORDER_SQL = orderSql(planOrder(null), planTable, 'x');

/**
 * The rows after a `plans` cursor, as the usual resolver pages (graphql/keyset.ts over
 * planOrder): a Prisma where on the order's keys, or undefined when the cursor is not one of
 * this order's (its error is the usual way's to give). A cursor given as a variable arrives
 * unsealed, as Pothos reads it (graphql/cursors.ts); a literal one is read here from the
 * document as sent, still sealed (cursors.ts checked it already).
 */
function afterWhere(after: string, first: number, scope: string, ctx: Context): object | undefined {
  let inner: unknown;
  try {
    inner = parsePrismaCursor(after);
  } catch {
    inner = ctx.cursors.unseal(scope, cursorViewer(ctx.viewer), after);
  }
  if (typeof inner !== 'string') return undefined;
  try {
    return keysetPage({ cursor: { id: inner }, take: first + 1 }, LIST_ORDER, planOrder(null))
      .where;
  } catch {
    return undefined;
  }
}

/**
 * `plans(filter, first, after)` in its default order: the plans of a municipality, year(s) or
 * department, each as `plan(...)` compiles it. Declined: `search`, another `orderBy`,
 * `before`/`last`, a filter the visibility translation does not know, an empty page (the usual
 * way says whether a code in the filter names nothing).
 */
function compilePlans(selected: SelectedField, db: Database): CompiledField | Decline {
  if (!selected.definition || !selected.type) return decline('unknown_field');
  const connectionType = selected.type.name;
  let node: PlanNode | undefined;
  let unsupported = false;
  let countSelected = false;
  const nodeOf = (field: SelectedField | undefined) => {
    // One node selection per list (under another alias, another node: declined).
    if (node) unsupported = true;
    else node = compilePlanNode(field ?? { ...selected, key: 'node', children: [] });
    return node;
  };
  // The keyset cursor of a row, as rememberKeys writes it for this order, then sealed.
  const cursorOf = (row: Row, ctx: Context) => {
    const keys = (node as PlanNode).keys;
    const inner = `K:${JSON.stringify({ o: LIST_ORDER, v: [row[keys.fiscalYear], row[keys.departmentOrder], row[keys.id]] })}`;
    return ctx.cursors.seal(connectionType, cursorViewer(ctx.viewer), inner);
  };
  const shapeConnection = connectionShaper(
    selected,
    (edgeNode) => {
      const compiled = nodeOf(edgeNode);
      return compiled && ((row, ctx) => compiled.shape(row, ctx, row.pageArgs as PageArgs[]));
    },
    cursorOf,
    () => {
      countSelected = true;
    },
  );
  if (!shapeConnection || unsupported) return decline('unknown_field');
  const planNode = node ?? nodeOf(undefined);
  if (!planNode) return decline('unknown_field');
  const argumentsFor = argumentsOf(selected);
  const statements = new Statements();

  return async (context, variables) => {
    const ctx = context as Context;
    const args = argumentsFor(variables) as {
      filter?: PlanScope | null;
      search?: string | null;
      orderBy?: string | null;
      first?: number | null;
      last?: number | null;
      after?: string | null;
      before?: string | null;
    };
    if (args.search != null || (args.orderBy != null && args.orderBy !== LIST_ORDER)) {
      return decline('arguments');
    }
    if (args.last != null || args.before != null) return decline('arguments');
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      return decline('arguments');
    }
    const after =
      args.after == null ? undefined : afterWhere(args.after, first, connectionType, ctx);
    if (args.after != null && !after) return decline('arguments');
    const pageArgs = planNode.pageArgs(variables);
    if (pageArgs instanceof Decline) return pageArgs;
    let scope: object;
    try {
      // Checks the years as the usual way does; its refusal is the usual way's to give.
      scope = planScopeWhere(args.filter);
    } catch {
      return decline('arguments');
    }
    const params = new SqlParams();
    // totalCount counts the whole list; the page starts after the cursor.
    const where = visibleSql(ctx, params, scope);
    if (where === undefined) return decline('filter');
    let pageWhere = where;
    if (after) {
      const afterSql = translated(() => whereSql(after, planTable, params));
      if (afterSql === undefined) return decline('filter');
      pageWhere = `${where} AND ${afterSql}`;
    }
    const limit = params.add(first + 1);
    const shape = `${pageWhere}|${planNode.textKey(pageArgs)}`;
    const [found] = await run(
      db,
      statements,
      shape,
      planNode,
      params,
      pageArgs,
      (object) =>
        `SELECT coalesce((SELECT json_agg(x.plan ORDER BY ${PAGE_ORDER_SQL.order}) FROM (SELECT ${object} AS plan, ${LIST_ORDER_SQL.keys} ${FROM} WHERE ${pageWhere} ORDER BY ${LIST_ORDER_SQL.order} LIMIT ${limit}) AS x), '[]'::json) AS rows${countSelected ? `, (SELECT count(*)::int ${FROM} WHERE ${where}) AS total` : ''}`,
    );
    const rows = (found?.rows ?? []) as Row[];
    // Empty: whether a code in the filter names nothing is the usual way's to say.
    if (rows.length === 0) return decline('not_found');
    const page = rows.slice(0, first);
    for (const row of page) row.pageArgs = pageArgs;
    return shapeConnection(
      {
        rows: page,
        totalCount: found?.total,
        hasNextPage: rows.length > first,
        hasPreviousPage: after !== undefined,
      },
      ctx,
    );
  };
}

/** The prepared statement's name: a hash of its text (a connection refuses one name for two texts). */
function statementName(sql: string): string {
  return `hoshin_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
}

/** `Query.plan` compiled, reading through `db`. */
export function compiledPlanRead(db: Database): RootFieldCompiler {
  return { field: 'plan', compile: (selected) => compilePlan(selected, db) };
}

/** `Query.plans` compiled (its default order), reading through `db`. */
export function compiledPlanListRead(db: Database): RootFieldCompiler {
  return { field: 'plans', compile: (selected) => compilePlans(selected, db) };
}
