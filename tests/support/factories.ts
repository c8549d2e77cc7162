// Small factories: each test builds exactly the rows it talks about.

import type { PrismaClient } from '@hoshin/server/testing';
import { issueToken } from '@hoshin/server/testing';

type Status = 'DRAFT' | 'PUBLISHED';
type Rating = 'ACHIEVED' | 'MOSTLY_ACHIEVED' | 'PARTIALLY_ACHIEVED' | 'NOT_ACHIEVED';

export interface InitiativeSpec {
  text: string;
  isAdministrativeReform?: boolean;
  footnotes?: string[];
  evaluation?: { rating: Rating; summary?: string; status?: Status; progressPercent?: number };
}

let sequence = 0;

export function factories(prisma: PrismaClient) {
  return {
    async municipality(fields: { code?: string; name?: string } = {}) {
      sequence += 1;
      return prisma.municipality.create({
        data: {
          code: fields.code ?? String(900000 + sequence),
          name: fields.name ?? `テスト市${sequence}`,
          prefecture: '東京都',
        },
      });
    },

    async department(
      municipalityId: number,
      fields: {
        code?: string;
        name?: string;
        displayOrder?: number;
        establishedIn?: number;
        abolishedAfter?: number;
      } = {},
    ) {
      sequence += 1;
      return prisma.department.create({
        data: {
          municipalityId,
          code: fields.code ?? `dept-${sequence}`,
          name: fields.name ?? `テスト部${sequence}`,
          displayOrder: fields.displayOrder ?? sequence,
          establishedIn: fields.establishedIn ?? null,
          abolishedAfter: fields.abolishedAfter ?? null,
        },
      });
    },

    /** A plan with its initiatives (positions 1..n) and their evaluations, if given. */
    async plan(
      departmentId: number,
      fields: {
        fiscalYear: number;
        status?: Status;
        initiatives?: InitiativeSpec[];
        staffCount?: number;
        budgetYen?: bigint;
      },
    ) {
      const plan = await prisma.departmentPlan.create({
        data: {
          departmentId,
          fiscalYear: fields.fiscalYear,
          status: fields.status ?? 'PUBLISHED',
          staffCount: fields.staffCount ?? null,
          budgetYen: fields.budgetYen ?? null,
        },
      });
      const initiatives = [];
      for (const [index, spec] of (fields.initiatives ?? []).entries()) {
        const initiative = await prisma.initiative.create({
          data: {
            planId: plan.id,
            position: index + 1,
            text: spec.text,
            isAdministrativeReform: spec.isAdministrativeReform ?? false,
            footnotes: spec.footnotes ?? [],
          },
        });
        if (spec.evaluation) {
          await prisma.evaluation.create({
            data: {
              initiativeId: initiative.id,
              rating: spec.evaluation.rating,
              summary: spec.evaluation.summary ?? '評価の概要',
              status: spec.evaluation.status ?? 'PUBLISHED',
              progressPercent: spec.evaluation.progressPercent ?? null,
            },
          });
        }
        initiatives.push(initiative);
      }
      return { ...plan, initiatives };
    },
  };
}

/** Issues a token through the same service the CLI uses; returns the secret. */
export async function tokenFor(
  prisma: PrismaClient,
  input: Parameters<typeof issueToken>[1],
): Promise<string> {
  return (await issueToken(prisma, input)).token;
}
