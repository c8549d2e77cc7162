// R2, the GraphQL engine's own cost: Yoga over hoshin's printed schema (schema.graphql), whose
// root fields return the precomputed answer; graphql-js still parses, validates, executes every
// field and serialises.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { contractScenario, listScenarios } from '../scenarios.ts';
import { readFixtures } from './fixtures.ts';

const fixtures = readFixtures();
const dataOf = (id: string) =>
  (JSON.parse(fixtures[id] ?? 'null') as { data: Record<string, unknown> } | null)?.data;
const plan = dataOf(contractScenario.id)?.plan;
const plansByFirst = new Map(listScenarios.map((s) => [s.listSize, dataOf(s.id)?.plans]));

const yoga = createYoga({
  schema: createSchema({
    typeDefs: readFileSync(resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'),
    resolvers: {
      Query: {
        plan: () => plan,
        plans: (_root: unknown, args: { first?: number }) => plansByFirst.get(args.first),
      },
    },
  }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  healthCheckEndpoint: '/live',
});

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set');
createServer(yoga).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
