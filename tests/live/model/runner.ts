// Runs one scenario against a real server and checks, for every subscriber:
// - its snapshot plus its events, applied in order, equal what a fresh query returns for that
//   viewer now, and that equals the visibility rule applied to the whole truth (admin's view);
// - each event's kind fits what it held (ENTERED when absent, MODIFIED/LEFT when present);
// - subscribers of one viewer class and filter got the same events after both had started
//   (live, replayed from an old cursor, across the restart: the same function of the log);
// - no string that only ever existed where that viewer class could not see it appears in any
//   event, `history` entry or `changes` entry it can read, and outside their own department's
//   staff nobody sees a token as the actor;
// - renames: every plan shows its department by the name it had in the plan's year (the
//   model's own account of the renames), in snapshots, live and replayed events alike; and the
//   `department.name` entries of a plan's `history`, of the `changes` log and of its events are
//   exactly the model's renames of that plan for its department's staff, and some of them, in
//   order, for everyone else;
// - revocation: a subscriber whose token is revoked has each stream ended (UNAUTHENTICATED,
//   or refused if it opens later) and receives nothing committed after the revocation, and
//   what it received before is what a subscriber of its class that goes on received.
import { isDeepStrictEqual } from 'node:util';
import {
  type Actor,
  type Command,
  FILTERS,
  type Scenario,
  VIEWERS,
  type ViewerClass,
} from './commands.ts';
import {
  CHANGE_LOG,
  type ChangeSeen,
  ENTITY_KINDS,
  type EntityKind,
  HISTORIES,
  type LiveEvent,
  type LiveFilter,
  MUTATIONS,
  plainState,
  type Row,
  type State,
} from './documents.ts';
import { BURST_INITIATIVES, burst, editDuringNextReplay } from './long-history.ts';
import {
  factories,
  type ModelServer,
  revokeToken,
  startModelServer,
  type TestDatabase,
  tokenFor,
} from './server.ts';
import { readSnapshot, Subscriber } from './subscriber.ts';

export interface RunStats {
  commands: number;
  mutations: Record<string, number>;
  events: number;
  subscribers: number;
}

let municipalitySequence = 0;

interface World {
  code: string;
  tokens: Record<Actor, string> & { public: null };
  /** What each writer's token is issued with (a revoked one is replaced by a new one). */
  issue: Record<Actor, Parameters<typeof tokenFor>[1]>;
  /** The playground's departments, by code: their global ids. */
  departments: Record<'a' | 'b', string>;
  fences: { dept: string; year: number; plan: string; initiative: string; evaluation: string }[];
  /** Values written while the world was made that a's staff saw, though no state shows them. */
  seenByStaffOfA: string[];
}

const strings = { n: 0 };

/** The model's own account of a department's names (the README's rename rule). */
interface Naming {
  current: string;
  /** Names kept for the years up to `until`, as a rename from `until + 1` leaves them. */
  former: { until: number; name: string }[];
}

/** The name shown for `year`: the earliest former name kept until then, else the current. */
function nameIn(naming: Naming, year: number): string {
  const former = naming.former.filter((f) => f.until >= year).sort((a, b) => a.until - b.until)[0];
  return former?.name ?? naming.current;
}

const DEPARTMENT_VERSION = 'query ($id: ID!) { node(id: $id) { ... on Department { version } } }';

export async function runScenario(db: TestDatabase, scenario: Scenario): Promise<RunStats> {
  const log: string[] = [];
  const t0 = Date.now();
  const debug = (what: string) => {
    if (process.env.MODEL_DEBUG) console.log(`${Date.now() - t0} ms: ${what}`);
  };
  const stats: RunStats = { commands: 0, mutations: {}, events: 0, subscribers: 0 };
  let server = await startModelServer(db);
  const subscribers: Subscriber[] = [];
  try {
    /** Every string ever sent in a write. */
    const written = new Set<string>();
    const fresh = (kind: string) => {
      strings.n += 1;
      const value = `«${kind}${strings.n}»`;
      written.add(value);
      return value;
    };
    debug('server started');
    const world = await createWorld(db, server, fresh);
    debug('world created');
    const municipality = world.code;
    const tokenOf = (viewer: ViewerClass) => world.tokens[viewer];
    const filterOf = (index: number): LiveFilter => ({ municipality, ...FILTERS[index] });

    /** Strings each viewer class could read in some state (after some write). */
    const seenBy = Object.fromEntries(VIEWERS.map((v) => [v, new Set<string>()])) as Record<
      ViewerClass,
      Set<string>
    >;
    /** The department of every entity that ever existed (global id -> code). */
    const departmentOf = new Map<string, string>(
      Object.entries(world.departments).map(([code, id]) => [id, code]),
    );

    for (const viewer of ['editorA', 'planning', 'admin'] as const) {
      for (const value of world.seenByStaffOfA) seenBy[viewer].add(value);
    }
    /** Failures found while the commands run (checked with the rest at the end). */
    const failures: string[] = [];
    const naming: Record<string, Naming> = Object.fromEntries(
      ['a', 'b', 'c'].map((dept) => [dept, { current: `${dept.toUpperCase()}部`, former: [] }]),
    );
    /** Per plan: the `department.name` changes its renames made, oldest first. */
    const renamesOf = new Map<string, { before: string; after: string }[]>();
    let truth = await readTruth();
    async function readTruth(): Promise<State> {
      const { state } = await readSnapshot(server, world.tokens.admin, { municipality });
      for (const plan of state.plan.values()) {
        const expected = nameIn(
          naming[plan.department as string] as Naming,
          plan.fiscalYear as number,
        );
        if (plan.departmentName !== expected) {
          failures.push(
            `plan ${plan.id} (${plan.department} FY${plan.fiscalYear}) shows its department as ${plan.departmentName}, not ${expected}`,
          );
        }
      }
      for (const plan of state.plan.values()) departmentOf.set(plan.id, plan.department as string);
      for (const initiative of state.initiative.values()) {
        departmentOf.set(initiative.id, departmentOf.get(initiative.planId as string) ?? '?');
      }
      for (const evaluation of state.evaluation.values()) {
        departmentOf.set(evaluation.id, departmentOf.get(evaluation.initiativeId as string) ?? '?');
      }
      for (const viewer of VIEWERS) {
        collectStrings(plainState(visibleTo(state, viewer, { municipality })), seenBy[viewer]);
      }
      return state;
    }

    async function join(viewer: ViewerClass, filter: number, transport: 'sse' | 'ws') {
      const snapshot = await readSnapshot(server, tokenOf(viewer), filterOf(filter));
      const name = `#${subscribers.length} ${viewer} ${JSON.stringify(FILTERS[filter])} ${transport} from ${snapshot.cursor}`;
      const subscriber = new Subscriber(
        name,
        viewer,
        tokenOf(viewer),
        filterOf(filter),
        transport,
        snapshot,
      );
      subscribers.push(subscriber);
      return subscriber;
    }

    /** The admin renames `dept` (from 2014 on, or for every year); the model follows. */
    async function rename(dept: 'a' | 'b', from: 2014 | undefined) {
      const id = world.departments[dept];
      const { node } = await server.graphql(DEPARTMENT_VERSION, { id }, world.tokens.admin);
      const name = fresh('dept');
      const data = await server.graphql(
        MUTATIONS.updateDepartment,
        {
          input: {
            id,
            expectedVersion: node.version,
            name,
            ...(from ? { renamedFrom: from } : {}),
          },
        },
        world.tokens.admin,
      );
      const result = data.updateDepartment;
      const line = `admin renames ${dept} to ${name}${from ? ` from ${from}` : ''} -> ${result.__typename}`;
      const model = naming[dept] as Naming;
      // Renames go forward in time: one from a year whose earlier name is kept is refused.
      const refused = from !== undefined && model.former.some((f) => f.until >= from - 1);
      if (refused !== !result.__typename.endsWith('Success')) {
        failures.push(`${line}: expected ${refused ? 'a refusal' : 'success'}`);
      }
      if (refused) return line;
      const before = new Map(
        [...truth.plan.values()]
          .filter((plan) => plan.department === dept)
          .map((plan) => [plan.id, nameIn(model, plan.fiscalYear as number)]),
      );
      if (from !== undefined) model.former.push({ until: from - 1, name: model.current });
      model.current = name;
      for (const [planId, was] of before) {
        const now = nameIn(model, truth.plan.get(planId)?.fiscalYear as number);
        if (now === was) continue;
        renamesOf.set(planId, [...(renamesOf.get(planId) ?? []), { before: was, after: now }]);
      }
      return line;
    }

    /**
     * Revokes `actor`'s token: its subscribers (connected, or still to connect) must see their
     * streams end with nothing committed after this; later commands use a new token.
     */
    async function revoke(actor: Actor) {
      const token = world.tokens[actor];
      const { latestChangeCursor } = await server.graphql('{ latestChangeCursor }');
      const holders = subscribers.filter((s) => s.token === token);
      for (const subscriber of holders) subscriber.revoke(latestChangeCursor);
      await revokeToken(db.prisma, token.split('_')[1] as string);
      world.tokens[actor] = await tokenFor(db.prisma, world.issue[actor]);
      const connected = holders.filter((s) => !pending.some((p) => p.subscriber === s));
      await Promise.all(connected.map((subscriber) => subscriber.ends()));
      return `revoke ${actor}'s token after ${latestChangeCursor}: ${holders.map((s) => s.name).join(', ') || 'no subscriber'}`;
    }

    for (const initial of scenario.initial) {
      (await join(initial.viewer, initial.filter, initial.transport)).connect(server);
    }

    debug('initial subscribers');
    const pending: { at: number; subscriber: Subscriber }[] = [];
    /** Joiners whose time came subscribe now, from their snapshot's (older) cursor. */
    const connectDue = (index: number) => {
      for (const due of pending.filter((p) => p.at <= index)) {
        due.subscriber.connect(server);
        pending.splice(pending.indexOf(due), 1);
      }
    };
    const restartAt = Math.floor(scenario.commands.length * scenario.restartAt);
    for (const [index, command] of scenario.commands.entries()) {
      if (index === restartAt) {
        log.push(`-- restart before command ${index}`);
        const connected = subscribers.filter(
          (s) => !pending.some((p) => p.subscriber === s) && s.revokedAfter === undefined,
        );
        for (const subscriber of connected) subscriber.expectEnd();
        await server.close();
        server = await startModelServer(db);
        for (const subscriber of connected) subscriber.connect(server);
      }
      connectDue(index);
      stats.commands += 1;
      if (command.op === 'join') {
        const subscriber = await join(command.viewer, command.filter, command.transport);
        log.push(
          `${index}: join ${subscriber.name}${command.laterBy ? ` (connects at ${index + command.laterBy})` : ''}`,
        );
        if (command.laterBy === 0) subscriber.connect(server);
        else pending.push({ at: index + command.laterBy, subscriber });
        continue;
      }
      if (command.op === 'rename') {
        log.push(`${index}: ${await rename(command.dept, command.from)}`);
        truth = await readTruth();
        debug(`command ${index}`);
        continue;
      }
      if (command.op === 'revoke') {
        log.push(`${index}: ${await revoke(command.actor)}`);
        debug(`command ${index}`);
        continue;
      }
      if (command.op === 'burst' || command.op === 'replayRace') {
        const joiner =
          command.op === 'replayRace'
            ? await join(command.viewer, command.filter, command.transport)
            : undefined;
        const done = await burst(server, world.tokens.planning, truth, inPlayground, command.times);
        log.push(
          `${index}: ${command.op} x${command.times}${joiner ? ` (${joiner.name})` : ''}${done ? '' : ': nothing to pick'}`,
          ...(done?.log ?? []),
        );
        if (!done) continue;
        truth = await readTruth();
        if (joiner) {
          const edited = editDuringNextReplay(
            server,
            world.tokens.planning,
            truth,
            done.plan,
            fresh('text'),
            joiner.startCursor,
          );
          joiner.connect(server);
          log.push(await edited);
          truth = await readTruth();
        }
        debug(`command ${index}`);
        continue;
      }
      const write = concrete(command, truth, municipality, fresh);
      if (!write) {
        log.push(`${index}: ${command.op}: nothing to pick`);
        continue;
      }
      const data = await server.graphql(
        MUTATIONS[write.mutation],
        { input: write.input },
        world.tokens[command.actor],
      );
      const result = data[write.mutation];
      stats.mutations[`${write.mutation}:${result.__typename}`] =
        (stats.mutations[`${write.mutation}:${result.__typename}`] ?? 0) + 1;
      log.push(
        `${index}: ${command.actor} ${write.mutation} ${JSON.stringify(write.input)} -> ${result.__typename}${result.message ? ` (${result.message})` : ''}`,
      );
      truth = await readTruth();
      debug(`command ${index}`);
    }
    connectDue(Number.POSITIVE_INFINITY);

    debug('commands done');
    // A fence: writes every subscriber can see, last; once a stream delivered them, it
    // delivered everything before them.
    const fenceCursors: { kind: EntityKind; cursor: string; dept: string; year: number }[] = [];
    for (const fence of world.fences) {
      const byKind = (kind: EntityKind, id: string) => truth[kind].get(id) as Row;
      const writes: [EntityKind, keyof typeof MUTATIONS, Record<string, unknown>][] = [
        [
          'plan',
          'updatePlan',
          {
            id: fence.plan,
            expectedVersion: byKind('plan', fence.plan).version,
            mission: fresh('fence'),
          },
        ],
        [
          'initiative',
          'updateInitiative',
          {
            id: fence.initiative,
            expectedVersion: byKind('initiative', fence.initiative).version,
            text: fresh('fence'),
          },
        ],
        [
          'evaluation',
          'updateEvaluation',
          {
            id: fence.evaluation,
            expectedVersion: byKind('evaluation', fence.evaluation).version,
            summary: fresh('fence'),
          },
        ],
      ];
      for (const [kind, mutation, input] of writes) {
        await mustSucceed(server, mutation, input, world.tokens.planning);
        const { latestChangeCursor } = await server.graphql('{ latestChangeCursor }');
        fenceCursors.push({ kind, cursor: latestChangeCursor, dept: fence.dept, year: fence.year });
      }
      truth = await readTruth();
    }
    const revoked = subscribers.filter((s) => s.revokedAfter !== undefined);
    await Promise.all(revoked.map((subscriber) => subscriber.ends()));
    debug('revoked streams ended');
    await Promise.all(
      subscribers
        .filter((subscriber) => subscriber.revokedAfter === undefined)
        .map((subscriber) => {
          const wanted: Partial<Record<EntityKind, string>> = {};
          for (const fence of fenceCursors) {
            const { fiscalYear, department } = subscriber.filter;
            if (fiscalYear !== undefined && fiscalYear !== fence.year) continue;
            if (department !== undefined && department !== fence.dept) continue;
            wanted[fence.kind] = fence.cursor;
          }
          return subscriber.reach(wanted);
        }),
    );

    debug('fences reached');
    stats.subscribers = subscribers.length;
    for (const subscriber of subscribers) {
      const viewer = subscriber.viewer as ViewerClass;
      stats.events += ENTITY_KINDS.reduce((n, kind) => n + subscriber.events[kind].length, 0);
      for (const problem of subscriber.problems) failures.push(`${subscriber.name}: ${problem}`);
      const received = ENTITY_KINDS.flatMap((kind) => subscriber.events[kind]);
      failures.push(
        ...renameEntries(
          `${subscriber.name} events`,
          received.map((event) => event.change),
          renamesOf,
          () => false,
        ),
      );
      if (subscriber.revokedAfter === undefined) {
        const now = await readSnapshot(server, subscriber.token, subscriber.filter);
        const difference = compare(subscriber.state, now.state);
        if (difference) {
          failures.push(`${subscriber.name}: snapshot + events != a fresh query: ${difference}`);
        }
        const rule = compare(now.state, visibleTo(truth, viewer, subscriber.filter));
        if (rule) {
          failures.push(`${subscriber.name}: a fresh query != the visibility rule: ${rule}`);
        }
      }
      failures.push(
        ...leaks(`${subscriber.name} events`, received, written, seenBy[viewer]),
        ...actorLeaks(
          `${subscriber.name} events`,
          received.map((event) => event.change),
          viewer,
          departmentOf,
        ),
      );
    }
    failures.push(...sameEventsForSameViewer(subscribers));

    debug('subscribers checked');
    // What each viewer class can read afterwards: every history, and the change log.
    for (const viewer of VIEWERS) {
      const ids = [...departmentOf.keys()];
      const { nodes } = await server.graphql(HISTORIES, { ids }, tokenOf(viewer) ?? undefined);
      const changes: ChangeSeen[] = nodes.flatMap(
        (node: { history?: { edges: { node: ChangeSeen }[] } } | null) =>
          node?.history?.edges.map((edge) => edge.node) ?? [],
      );
      // A plan's own staff read every rename of it in its history and in the change log.
      const staffOf = (planId: string) =>
        isStaff(viewer, departmentOf.get(planId) ?? '?') && nodes[ids.indexOf(planId)] !== null;
      failures.push(...renameEntries(`${viewer} history`, changes, renamesOf, staffOf));
      if (viewer !== 'public') {
        const log = await changeLog(server, municipality, tokenOf(viewer) as string);
        failures.push(...renameEntries(`${viewer} changes`, log, renamesOf, staffOf));
        changes.push(...log);
      }
      failures.push(
        ...leaks(`${viewer} history and changes`, changes, written, seenBy[viewer]),
        ...actorLeaks(`${viewer} history and changes`, changes, viewer, departmentOf),
      );
    }
    debug('histories checked');
    if (failures.length > 0) {
      // One line per failure, though a plan's wrong name is seen again after every write.
      const distinct = [...new Set(failures)];
      throw new Error(
        `${distinct.length} failure(s):\n${distinct.slice(0, 15).join('\n')}\n\nThe run:\n${log.join('\n')}`,
      );
    }
    return stats;
  } finally {
    for (const subscriber of subscribers) subscriber.disconnect();
    await server.close();
  }
}

async function mustSucceed(
  server: ModelServer,
  mutation: keyof typeof MUTATIONS,
  input: Record<string, unknown>,
  token: string,
) {
  const data = await server.graphql(MUTATIONS[mutation], { input }, token);
  const result = data[mutation];
  if (!result.__typename.endsWith('Success')) {
    throw new Error(`${mutation} failed: ${JSON.stringify(result)}`);
  }
  return result;
}

/** A municipality with departments a, b (the commands' playground) and c, its tokens, and
 * two published plans with a published evaluation (the fences: a 2015 and c 2013). */
async function createWorld(
  db: TestDatabase,
  server: ModelServer,
  fresh: (kind: string) => string,
): Promise<World> {
  const make = factories(db.prisma);
  municipalitySequence += 1;
  const code = String(700000 + municipalitySequence);
  const city = await make.municipality({ code, name: `模型市${municipalitySequence}` });
  const departments: Record<string, string> = {};
  for (const dept of ['a', 'b', 'c']) {
    const row = await make.department(city.id, { code: dept, name: `${dept.toUpperCase()}部` });
    departments[dept] = Buffer.from(`Department:${row.id}`).toString('base64');
  }
  const issue: World['issue'] = {
    admin: { name: '管理者', role: 'ADMIN', municipality: code },
    planning: { name: '企画経営課', role: 'PLANNING', municipality: code },
    editorA: { name: 'A部 editor', role: 'EDITOR', municipality: code, department: 'a' },
    editorB: { name: 'B部 editor', role: 'EDITOR', municipality: code, department: 'b' },
  };
  const tokens = {
    public: null,
    admin: await tokenFor(db.prisma, issue.admin),
    planning: await tokenFor(db.prisma, issue.planning),
    editorA: await tokenFor(db.prisma, issue.editorA),
    editorB: await tokenFor(db.prisma, issue.editorB),
  };
  const fences: World['fences'] = [];
  for (const [dept, year] of [
    ['a', 2015],
    ['c', 2013],
  ] as const) {
    const as = (mutation: keyof typeof MUTATIONS, input: Record<string, unknown>) =>
      mustSucceed(server, mutation, input, tokens.planning);
    const { plan } = await as('createPlan', {
      municipality: code,
      department: dept,
      fiscalYear: year,
      mission: `fence ${dept}`,
    });
    const { initiative } = await as('addInitiative', { plan: plan.id, text: `fence ${dept}` });
    await as('publishPlan', { id: plan.id, expectedVersion: 2 });
    const { evaluation } = await as('recordEvaluation', {
      initiative: initiative.id,
      rating: 'ACHIEVED',
      summary: `fence ${dept}`,
    });
    await as('publishEvaluation', { id: evaluation.id, expectedVersion: 1 });
    fences.push({
      dept,
      year,
      plan: plan.id,
      initiative: initiative.id,
      evaluation: evaluation.id,
    });
  }
  // Material for the first commands: a draft in a with two initiatives (one with a draft
  // evaluation), and a published plan in b with two initiatives, one with a draft evaluation.
  const as = (mutation: keyof typeof MUTATIONS, input: Record<string, unknown>) =>
    mustSucceed(server, mutation, input, tokens.planning);
  const firstMission = fresh('mission');
  const { plan: draft } = await as('createPlan', {
    municipality: code,
    department: 'a',
    fiscalYear: 2013,
    mission: firstMission,
  });
  // A mission replaced while a draft: a value only a's staff ever saw, even once published.
  await as('updatePlan', { id: draft.id, expectedVersion: 1, mission: fresh('mission') });
  const { initiative: drafted } = await as('addInitiative', {
    plan: draft.id,
    text: fresh('text'),
  });
  // A draft evaluation of the draft's initiative: publishing it must not make it public.
  await as('recordEvaluation', {
    initiative: drafted.id,
    rating: 'NOT_ACHIEVED',
    summary: fresh('summary'),
  });
  await as('addInitiative', {
    plan: draft.id,
    text: fresh('text'),
    footnotes: [fresh('footnote')],
  });
  // Many more, for bursts (long-history.ts): written directly, so they have no history of
  // their own (their texts are still new strings, checked for leaks like any other).
  const draftId = Number(Buffer.from(draft.id, 'base64').toString().split(':')[1]);
  await db.prisma.initiative.createMany({
    data: Array.from({ length: BURST_INITIATIVES }, (_, i) => ({
      planId: draftId,
      position: 3 + i,
      text: fresh('text'),
    })),
  });
  const { plan: published } = await as('createPlan', {
    municipality: code,
    department: 'b',
    fiscalYear: 2014,
    policy: fresh('policy'),
  });
  const { initiative } = await as('addInitiative', { plan: published.id, text: fresh('text') });
  await as('addInitiative', { plan: published.id, text: fresh('text'), position: 1 });
  await as('recordEvaluation', {
    initiative: initiative.id,
    rating: 'ACHIEVED',
    summary: fresh('summary'),
  });
  await as('publishPlan', { id: published.id, expectedVersion: 3 });
  return {
    code,
    tokens,
    issue,
    departments: { a: departments.a as string, b: departments.b as string },
    fences,
    seenByStaffOfA: [firstMission],
  };
}

/** The commands play in departments a and b, 2013 and 2014; the fences stay untouched. */
function inPlayground(plan: Row) {
  return (
    (plan.fiscalYear === 2013 || plan.fiscalYear === 2014) &&
    (plan.department === 'a' || plan.department === 'b')
  );
}

/** The command made concrete against the truth of the moment; null when nothing fits. */
function concrete(
  command: Exclude<Command, { op: 'join' | 'burst' | 'replayRace' | 'rename' | 'revoke' }>,
  truth: State,
  municipality: string,
  fresh: (kind: string) => string,
): { mutation: keyof typeof MUTATIONS; input: Record<string, unknown> } | null {
  const plans = [...truth.plan.values()].filter(inPlayground);
  const planIds = new Set(plans.map((plan) => plan.id));
  const initiatives = [...truth.initiative.values()].filter((i) => planIds.has(i.planId as string));
  const initiativeIds = new Set(initiatives.map((i) => i.id));
  const evaluations = [...truth.evaluation.values()].filter((e) =>
    initiativeIds.has(e.initiativeId as string),
  );
  const nth = <T>(list: T[], pick: number) => (list.length ? list[pick % list.length] : undefined);
  const planContent = (fields: { mission: boolean; policy: boolean; staffCount?: number }) => ({
    ...(fields.mission ? { mission: fresh('mission') } : {}),
    ...(fields.policy ? { policy: fresh('policy') } : {}),
    ...(fields.staffCount !== undefined ? { staffCount: fields.staffCount } : {}),
  });
  switch (command.op) {
    case 'createPlan':
      return {
        mutation: 'createPlan',
        input: {
          municipality,
          department: command.dept,
          fiscalYear: command.year,
          ...planContent(command.fields),
        },
      };
    case 'updatePlan': {
      const plan = nth(plans, command.pick);
      if (!plan) return null;
      return {
        mutation: 'updatePlan',
        input: { id: plan.id, expectedVersion: plan.version, ...planContent(command.fields) },
      };
    }
    case 'publishPlan':
    case 'unpublishPlan':
    case 'deletePlan': {
      const plan = nth(plans, command.pick);
      if (!plan) return null;
      return { mutation: command.op, input: { id: plan.id, expectedVersion: plan.version } };
    }
    case 'addInitiative': {
      const plan = nth(plans, command.pick);
      if (!plan) return null;
      const count = initiatives.filter((i) => i.planId === plan.id).length;
      return {
        mutation: 'addInitiative',
        input: {
          plan: plan.id,
          text: fresh('text'),
          isAdministrativeReform: command.reform,
          footnotes: command.footnote ? [fresh('footnote')] : [],
          ...(command.position !== undefined
            ? { position: (command.position % (count + 1)) + 1 }
            : {}),
        },
      };
    }
    case 'updateInitiative': {
      const initiative = nth(initiatives, command.pick);
      if (!initiative) return null;
      return {
        mutation: 'updateInitiative',
        input: {
          id: initiative.id,
          expectedVersion: initiative.version,
          ...(command.text || !command.footnote ? { text: fresh('text') } : {}),
          ...(command.footnote ? { footnotes: [fresh('footnote')] } : {}),
        },
      };
    }
    case 'reorderInitiatives': {
      const plan = nth(
        plans.filter((p) => initiatives.some((i) => i.planId === p.id)),
        command.pick,
      );
      if (!plan) return null;
      const ids = initiatives
        .filter((i) => i.planId === plan.id)
        .sort((a, b) => (a.position as number) - (b.position as number))
        .map((i, index) => ({
          id: i.id,
          key: command.keys[index % command.keys.length] ?? 0,
          index,
        }))
        .sort((a, b) => a.key - b.key || b.index - a.index)
        .map((entry) => entry.id);
      return {
        mutation: 'reorderInitiatives',
        input: { plan: plan.id, expectedVersion: plan.version, initiatives: ids },
      };
    }
    case 'removeInitiative': {
      const initiative = nth(initiatives, command.pick);
      if (!initiative) return null;
      return {
        mutation: 'removeInitiative',
        input: { id: initiative.id, expectedVersion: initiative.version },
      };
    }
    case 'recordEvaluation': {
      const unevaluated = initiatives.filter(
        (i) => !evaluations.some((e) => e.initiativeId === i.id),
      );
      const initiative = nth(unevaluated, command.pick);
      if (!initiative) return null;
      return {
        mutation: 'recordEvaluation',
        input: { initiative: initiative.id, rating: command.rating, summary: fresh('summary') },
      };
    }
    case 'updateEvaluation': {
      const evaluation = nth(evaluations, command.pick);
      if (!evaluation) return null;
      return {
        mutation: 'updateEvaluation',
        input: {
          id: evaluation.id,
          expectedVersion: evaluation.version,
          summary: fresh('summary'),
        },
      };
    }
    case 'publishEvaluation':
    case 'unpublishEvaluation': {
      const evaluation = nth(evaluations, command.pick);
      if (!evaluation) return null;
      return {
        mutation: command.op,
        input: { id: evaluation.id, expectedVersion: evaluation.version },
      };
    }
  }
}

// ---- The visibility rule, written again from the README's table (an independent oracle) ----

function isStaff(viewer: ViewerClass, department: string): boolean {
  if (viewer === 'planning' || viewer === 'admin') return true;
  return (
    (viewer === 'editorA' && department === 'a') || (viewer === 'editorB' && department === 'b')
  );
}

/** What `viewer` may see of the truth, within `filter`. */
export function visibleTo(truth: State, viewer: ViewerClass, filter: LiveFilter): State {
  const plans = new Map<string, Row>();
  for (const plan of truth.plan.values()) {
    if (filter.fiscalYear !== undefined && plan.fiscalYear !== filter.fiscalYear) continue;
    if (filter.department !== undefined && plan.department !== filter.department) continue;
    if (plan.status === 'PUBLISHED' || isStaff(viewer, plan.department as string)) {
      plans.set(plan.id, plan);
    }
  }
  const initiatives = new Map(
    [...truth.initiative].filter(([, i]) => plans.has(i.planId as string)),
  );
  const evaluations = new Map(
    [...truth.evaluation].filter(([, e]) => {
      const initiative = initiatives.get(e.initiativeId as string);
      if (!initiative) return false;
      const plan = plans.get(initiative.planId as string) as Row;
      return (
        (e.status === 'PUBLISHED' && plan.status === 'PUBLISHED') ||
        isStaff(viewer, plan.department as string)
      );
    }),
  );
  return { plan: plans, initiative: initiatives, evaluation: evaluations };
}

function collectStrings(value: unknown, into: Set<string>) {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, into);
  }
}

/** A readable account of how two states differ, or null when they are equal. */
function compare(actual: State, expected: State): string | null {
  const lines: string[] = [];
  for (const kind of ENTITY_KINDS) {
    for (const [id, row] of expected[kind]) {
      const held = actual[kind].get(id);
      if (!held) lines.push(`${kind} ${id} missing (${JSON.stringify(row)})`);
      else if (!isDeepStrictEqual(held, row)) {
        const fields = Object.keys(row).filter((f) => !isDeepStrictEqual(held[f], row[f]));
        lines.push(
          `${kind} ${id} differs: ${fields.map((f) => `${f} ${JSON.stringify(held[f])} != ${JSON.stringify(row[f])}`).join(', ')}`,
        );
      }
    }
    for (const id of actual[kind].keys()) {
      if (!expected[kind].has(id)) lines.push(`${kind} ${id} extra`);
    }
  }
  return lines.length ? lines.join('; ') : null;
}

/** Strings this viewer class was never shown, found in what it received. */
function leaks(where: string, received: unknown, written: Set<string>, seen: Set<string>) {
  const text = JSON.stringify(received);
  return [...written]
    .filter((value) => !seen.has(value) && text.includes(value))
    .map((value) => `${where}: ${value} reached a viewer who could never see it`);
}

/** Outside the staff of the record's department, the actor is the office, never a token. */
function actorLeaks(
  where: string,
  changes: ChangeSeen[],
  viewer: ViewerClass,
  departmentOf: Map<string, string>,
) {
  return changes
    .filter((change) => !isStaff(viewer, departmentOf.get(change.entityId) ?? '?'))
    .filter((change) => change.actor !== change.office || change.actor.includes('token:'))
    .map((change) => `${where}: ${viewer} sees actor ${change.actor} on ${change.entityId}`);
}

/**
 * The `department.name` entries of plan changes a viewer read: for a plan `complete(planId)`
 * holds for (its staff, reading it), exactly the model's renames of it, in order; for anyone
 * else, some of them, in order.
 */
function renameEntries(
  where: string,
  changes: ChangeSeen[],
  renamesOf: Map<string, { before: string; after: string }[]>,
  complete: (planId: string) => boolean,
) {
  const seen = new Map<string, { before: unknown; after: unknown }[]>();
  for (const change of changes) {
    for (const entry of change.changes) {
      if (entry.field !== 'department.name') continue;
      const list = seen.get(change.entityId) ?? [];
      list.push({ before: entry.before, after: entry.after });
      seen.set(change.entityId, list);
    }
  }
  const failures: string[] = [];
  for (const planId of new Set([...seen.keys(), ...renamesOf.keys()])) {
    const got = seen.get(planId) ?? [];
    const expected = renamesOf.get(planId) ?? [];
    const ok = complete(planId) ? isDeepStrictEqual(got, expected) : isSubsequence(got, expected);
    if (!ok) {
      failures.push(
        `${where}: plan ${planId} renames ${JSON.stringify(got)}, the model's ${JSON.stringify(expected)}`,
      );
    }
  }
  return failures;
}

function isSubsequence<T>(part: T[], whole: T[]): boolean {
  let at = 0;
  for (const item of part) {
    while (at < whole.length && !isDeepStrictEqual(whole[at], item)) at += 1;
    if (at === whole.length) return false;
    at += 1;
  }
  return true;
}

/** Subscribers with one viewer class and filter: the same events after both had started. */
function sameEventsForSameViewer(subscribers: Subscriber[]) {
  const failures: string[] = [];
  for (const [i, a] of subscribers.entries()) {
    for (const b of subscribers.slice(i + 1)) {
      if (a.viewer !== b.viewer || !isDeepStrictEqual(a.filter, b.filter)) continue;
      const from = BigInt(a.startCursor) > BigInt(b.startCursor) ? a.startCursor : b.startCursor;
      for (const kind of ENTITY_KINDS) {
        let [ofA, ofB] = [a, b].map((s) =>
          s.events[kind].filter((e) => BigInt(e.cursor) > BigInt(from)),
        ) as [LiveEvent[], LiveEvent[]];
        // A subscriber whose token was revoked stopped early: what it got is where the other
        // one's events begin (up to the revocation).
        const stoppedAt = (s: Subscriber, events: LiveEvent[]) =>
          s.revokedAfter === undefined
            ? events
            : events.filter((e) => BigInt(e.cursor) <= (s.revokedAfter as bigint));
        if (a.revokedAfter !== undefined) ofB = stoppedAt(a, ofB).slice(0, ofA.length);
        if (b.revokedAfter !== undefined) ofA = stoppedAt(b, ofA).slice(0, ofB.length);
        if (!isDeepStrictEqual(ofA, ofB)) {
          failures.push(`${a.name} and ${b.name}: different ${kind} events after ${from}`);
        }
      }
    }
  }
  return failures;
}

async function changeLog(server: ModelServer, municipality: string, token: string) {
  const all: ChangeSeen[] = [];
  let after: string | null = null;
  for (;;) {
    const { changes }: { changes: { edges: { node: ChangeSeen }[]; pageInfo: any } } =
      await server.graphql(CHANGE_LOG, { after, municipality }, token);
    all.push(...changes.edges.map((edge) => edge.node));
    if (!changes.pageInfo.hasNextPage) return all;
    after = changes.pageInfo.endCursor;
  }
}
