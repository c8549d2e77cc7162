// R0, the ceiling of HTTP + JSON: node:http answering each request with its precomputed bytes.
import { allScenarios } from '../scenarios.ts';
import { readFixtures } from './fixtures.ts';
import { listenFromArgs, serveScenarios } from './http.ts';

const fixtures = readFixtures();
const bytes = new Map(
  allScenarios.flatMap((s) => (fixtures[s.id] ? [[s.id, Buffer.from(fixtures[s.id] ?? '')]] : [])),
);
listenFromArgs(
  serveScenarios((scenario) => {
    const answer = bytes.get(scenario.id);
    if (!answer) throw new Error(`no fixture for ${scenario.id}`);
    return answer;
  }),
);
