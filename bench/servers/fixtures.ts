// Reads the expected responses the orchestrator wrote (scenario id -> response text), which
// R0 serves as bytes and R2 serves through Yoga.
import { readFileSync } from 'node:fs';

export function readFixtures(): Record<string, string> {
  const path = process.env.BENCH_FIXTURES;
  if (!path) throw new Error('BENCH_FIXTURES must name the fixtures file');
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}
