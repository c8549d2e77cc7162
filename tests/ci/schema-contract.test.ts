// The contract check of `pnpm lint` (scripts/check-schema.ts over scripts/contract.ts,
// docs/api-versioning.md) on edited copies of the released schema, as a branch would edit
// schema.graphql: a changed field type fails (the command exits 1), an addition passes, a declared
// breaking change passes, a removal passes only once its dated deprecation has run 6 months.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkContract } from '../../scripts/contract.ts';

const root = resolve(import.meta.dirname, '../..');
let released: string;

beforeAll(async () => {
  released = await readFile(resolve(root, 'contract/released.graphql'), 'utf8');
});

/** The released schema with one line of DepartmentPlan replaced. */
function edited(schema: string, from: string, to: string): string {
  const start = schema.indexOf('type DepartmentPlan ');
  const at = schema.indexOf(from, start);
  expect(at, `${from} in DepartmentPlan`).toBeGreaterThan(start);
  return schema.slice(0, at) + to + schema.slice(at + from.length);
}

const typeChanged = () => edited(released, '  budgetYen: SafeInt\n', '  budgetYen: String\n');

describe('the schema contract check', () => {
  test("pnpm lint:schema fails when a field's type changes, naming the change", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoshin-contract-'));
    try {
      await writeFile(join(dir, 'schema.graphql'), typeChanged());
      const tsx = resolve(root, 'node_modules/tsx/dist/cli.mjs');
      const args = [tsx, 'scripts/check-schema.ts', '--schema', join(dir, 'schema.graphql')];
      const result = await new Promise<{ code: number | null; output: string }>((done) => {
        const child = execFile(process.execPath, args, { cwd: root }, (_error, out, err) =>
          done({ code: child.exitCode, output: out + err }),
        );
      });
      expect(result.output).toContain('FIELD_TYPE_CHANGED DepartmentPlan.budgetYen');
      expect(result.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('schema.graphql as committed keeps the released contract', async () => {
    const report = await checkContract(
      await readFile(resolve(root, 'schema.graphql'), 'utf8'),
      released,
      JSON.parse(await readFile(resolve(root, 'contract/accepted-breaking.json'), 'utf8')),
    );
    expect(report.failures).toEqual([]);
  });

  test('a breaking change declared with a reason passes; without a reason it is refused', async () => {
    const accepted = { type: 'FIELD_TYPE_CHANGED', path: 'DepartmentPlan.budgetYen' };
    const report = await checkContract(typeChanged(), released, [
      { ...accepted, reason: 'yen as text' },
    ]);
    expect(report.failures).toEqual([]);
    expect(report.passed.join('\n')).toContain('accepted: yen as text');
    await expect(
      checkContract(typeChanged(), released, [{ ...accepted, reason: ' ' }]),
    ).rejects.toThrow(/reason/);
  });

  test('an added field passes', async () => {
    const added = edited(
      released,
      '  budgetYen: SafeInt\n',
      '  budgetYen: SafeInt\n  note: String\n',
    );
    const report = await checkContract(added, released, []);
    expect(report.failures).toEqual([]);
    expect(report.passed.join('\n')).toContain('FIELD_ADDED DepartmentPlan.note');
  });

  test('a removal passes only after 6 months of dated deprecation', async () => {
    const deprecated = edited(
      released,
      '  policy: String\n',
      '  policy: String @deprecated(reason: "since 2027-01-15; use implementationPolicy")\n',
    );
    const removed = edited(released, '  policy: String\n', '');
    const early = await checkContract(removed, deprecated, [], new Date('2027-07-14T00:00:00Z'));
    expect(early.failures.join('\n')).toContain('FIELD_REMOVED DepartmentPlan.policy');
    const due = await checkContract(removed, deprecated, [], new Date('2027-07-15T00:00:00Z'));
    expect(due.failures).toEqual([]);
    expect(due.passed.join('\n')).toContain('deprecated since 2027-01-15');
    // Never deprecated: fails whatever the date.
    const undeclared = await checkContract(removed, released, [], new Date('2030-01-01'));
    expect(undeclared.failures.join('\n')).toContain('FIELD_REMOVED DepartmentPlan.policy');
  });

  test('a deprecation must say since when', async () => {
    const undated = edited(
      released,
      '  policy: String\n',
      '  policy: String @deprecated(reason: "use X")\n',
    );
    const report = await checkContract(undated, released, []);
    expect(report.failures).toEqual([
      'DepartmentPlan.policy: @deprecated(reason:) must say "since YYYY-MM-DD"',
    ]);
  });
});
