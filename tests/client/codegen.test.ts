// The committed SDK is what codegen.ts makes of schema.graphql today: regenerating in memory
// gives byte-identical files, so a schema or document change without `pnpm codegen` fails here.
import { readdir, readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { expect, test } from 'vitest';
import { codegenConfig } from '../../codegen.ts';

const root = resolve(import.meta.dirname, '../..');
const outputs = ['packages/client/src/generated', 'packages/client/examples/generated'];

async function committedFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of outputs) {
    for (const name of await readdir(resolve(root, dir))) {
      files[`${dir}/${name}`] = await readFile(resolve(root, dir, name), 'utf8');
    }
  }
  return files;
}

test('the committed generated files match a fresh codegen run (run `pnpm codegen` if not)', async () => {
  // saveToFile = false: generate() returns the files instead of writing them.
  const generated: { filename: string; content: string }[] = await generate(
    { ...codegenConfig(), cwd: root, silent: true },
    false,
  );
  const fresh = Object.fromEntries(
    generated.map((file) => [relative(root, resolve(root, file.filename)), file.content]),
  );
  expect(Object.keys(fresh).sort()).toEqual(Object.keys(await committedFiles()).sort());
  expect(fresh).toEqual(await committedFiles());
}, 60_000);

test('the persisted-documents manifest lists exactly the SDK operations, by sha256 hash', async () => {
  const manifest: Record<string, string> = JSON.parse(
    await readFile(resolve(root, 'packages/client/src/generated/persisted-documents.json'), 'utf8'),
  );
  const operations = Object.values(manifest).map(
    (text) => /(?:query|mutation|subscription) (\w+)/.exec(text)?.[1],
  );
  expect(operations.sort()).toEqual([
    'AddInitiative',
    'AddTarget',
    'ApproveFeedback',
    'AsOfDiff',
    'Changes',
    'CompleteEvaluationStage',
    'CreateDepartment',
    'CreateMunicipality',
    'CreatePlan',
    'CreateWebhookEndpoint',
    'CreateWhitePaper',
    'DeletePlan',
    'DeleteWebhookEndpoint',
    'Department',
    'DepartmentPlan',
    'Departments',
    'EvaluationChanges',
    'Evaluations',
    'FiscalYear',
    'History',
    'InitiativeChains',
    'InitiativeChanges',
    'InitiativeTargets',
    'LatestChangeCursor',
    'Municipalities',
    'Municipality',
    'PlanAsOf',
    'PlanChanges',
    'PlanFeedback',
    'Plans',
    'PublishEvaluation',
    'PublishPlan',
    'PublishWhitePaper',
    'RecordEvaluation',
    'RecordEvaluationStage',
    'RecordTargetActual',
    'RedeliverWebhook',
    'RejectFeedback',
    'RemoveInitiative',
    'ReorderInitiatives',
    'ReturnEvaluationStage',
    'RotateWebhookSecret',
    'SearchInitiatives',
    'SetEvaluationStages',
    'SetStatusRules',
    'StatusRules',
    'SubmitFeedback',
    'TargetRollups',
    'UnpublishEvaluation',
    'UnpublishPlan',
    'UpdateDepartment',
    'UpdateEvaluation',
    'UpdateInitiative',
    'UpdateMunicipality',
    'UpdatePlan',
    'UpdateWebhookEndpoint',
    'UpdateWhitePaper',
    'WatchEvaluations',
    'WatchInitiatives',
    'WatchPlans',
    'WebhookDeliveries',
    'WebhookEndpoints',
    'WhitePapers',
    'YearSummary',
  ]);
  for (const [hash, text] of Object.entries(manifest)) {
    const digest = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
    ).toString('hex');
    expect(hash).toBe(`sha256:${digest}`);
  }
});
