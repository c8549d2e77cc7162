// Initiative (個別事業): one project of a plan, possibly an administrative-reform priority.
import { builder } from '../../graphql/builder.ts';
import { fieldFacts, notExported } from '../../graphql/fields.ts';
import { Evaluation } from '../evaluation/evaluation.type.ts';
import {
  guardedBy,
  needsDepartmentForDrafts,
  shownEvaluation,
  visibleEvaluations,
  visibleInitiatives,
} from '../visibility/visibility.policy.ts';

export const Initiative = builder.prismaNode('Initiative', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [visibleInitiatives(ctx)] }),
  ...guardedBy('initiative', 'node(id:) findUnique: visibleInitiatives'),
  nullable: true,
  description: 'An individual project (個別事業) of a department plan.',
  fields: (t) => ({
    position: t.exposeInt('position', {
      description: '1-based order within the plan.',
      ...fieldFacts({
        openData: {
          ja: '番号',
          en: 'Position',
          description: '1-based order of the project within the plan, as published.',
          identifiesRow: true,
          min: 1,
          max: 100,
        },
      }),
    }),
    text: t.exposeString('text', {
      ...fieldFacts({
        openData: {
          ja: '個別事業',
          en: 'Initiative',
          sourceTerm: '③ 個別事業',
          description: 'The text of the project, verbatim.',
          maxLength: 2000,
        },
      }),
    }),
    isAdministrativeReform: t.exposeBoolean('isAdministrativeReform', {
      description: '☞ 行革推進事業: an administrative-reform priority project.',
      ...fieldFacts({
        openData: {
          ja: '行革推進事業',
          en: 'Administrative reform',
          sourceTerm: '☞ 行革推進事業',
          description:
            'true when the project is marked ☞ (an administrative-reform priority project).',
        },
      }),
    }),
    footnotes: t.exposeStringList('footnotes', {
      description: 'Notes (※) on the text.',
      ...fieldFacts({
        openData: {
          ja: '注記',
          en: 'Footnotes',
          sourceTerm: '※',
          description:
            'Notes (※) that explain the text, without the mark. In CSV/XLSX a JSON array of strings, empty when none.',
          maxLength: 1000,
          max: 20,
        },
      }),
    }),
    citations: t.exposeStringList('citations', {
      description: 'Top-level plans the project serves, e.g. 第4次基本計画.',
      ...fieldFacts({
        openData: {
          ja: '関連計画',
          en: 'Citations',
          description:
            'Top-level documents the project serves (施政方針, 第4次基本計画). In CSV/XLSX a JSON array of strings.',
          maxLength: 200,
          max: 20,
        },
      }),
    }),
    version: t.exposeInt('version', notExported()),
    plan: t.relation('plan', {
      ...guardedBy('plan', 'an initiative is visible exactly when its plan is'),
    }),
    carriedFrom: t.relation('carriedFrom', {
      ...guardedBy('evaluation', 'visibleEvaluations'),
      description:
        "Evaluations of earlier years whose decision this initiative carries on: what last year's evaluation changed.",
      query: (_args, ctx) => ({ where: visibleEvaluations(ctx), orderBy: { id: 'asc' } }),
    }),
    evaluation: t.field({
      type: Evaluation,
      ...guardedBy('evaluation', 'isEvaluationVisible on the row'),
      nullable: true,
      description: 'Its achievement (達成状況), once evaluated and visible to the caller.',
      // A to-one relation cannot be filtered in the query, so the check happens on the row.
      // The department is needed only to decide on unpublished evaluations, which only
      // token holders may see: the public's query stays without that join.
      select: (_args, ctx, nestedSelection) => ({
        evaluation: nestedSelection(true),
        ...(needsDepartmentForDrafts(ctx.viewer)
          ? { plan: { select: { department: { select: { id: true, municipalityId: true } } } } }
          : {}),
      }),
      resolve: (initiative, _args, ctx) => {
        const department = (
          initiative as { plan?: { department: { id: number; municipalityId: number } } }
        ).plan?.department;
        return shownEvaluation(initiative.evaluation, department, ctx);
      },
    }),
  }),
});
