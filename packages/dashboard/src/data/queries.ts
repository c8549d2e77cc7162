// Loaders the views share, over the SDK (ready-made operations where they fit, the app's own
// documents otherwise). Each takes the client and an abort signal, as useQuery passes them.
import type { HoshinClient } from '@hoshin/client';
import type { DashboardPlansInFullQuery } from '../generated/graphql';
import { MunicipalitiesDocument, PlanIndexDocument, PlansInFullDocument } from './documents';

export type PlanInFull = DashboardPlansInFullQuery['plans']['edges'][number]['node'];

export const loadMunicipalities = (client: HoshinClient, signal: AbortSignal) =>
  client
    .request(MunicipalitiesDocument, {}, { signal })
    .then((r) => r.municipalities.edges.map((e) => e.node));

export interface PlanIndex {
  years: { year: number; label: string; labelEn: string }[];
  departments: { code: string; name: string; nameEn: string | null | undefined }[];
  plans: { id: string; status: string; year: number; department: string }[];
}

/** Which years and departments have a plan the caller may see. */
export async function loadPlanIndex(
  client: HoshinClient,
  signal: AbortSignal,
  municipality: string,
): Promise<PlanIndex> {
  const { plans } = await client.request(PlanIndexDocument, { municipality }, { signal });
  const years = new Map<number, PlanIndex['years'][number]>();
  const departments = new Map<string, PlanIndex['departments'][number]>();
  for (const { node } of plans.edges) {
    years.set(node.fiscalYear.year, node.fiscalYear);
    if (!departments.has(node.department.code))
      departments.set(node.department.code, node.department);
  }
  return {
    years: [...years.values()].sort((a, b) => b.year - a.year),
    departments: [...departments.values()],
    plans: plans.edges.map(({ node }) => ({
      id: node.id,
      status: node.status,
      year: node.fiscalYear.year,
      department: node.department.code,
    })),
  };
}

export async function loadPlans(
  client: HoshinClient,
  signal: AbortSignal,
  filter: { municipality: string; fiscalYear?: number; department?: string },
): Promise<PlanInFull[]> {
  const { plans } = await client.request(
    PlansInFullDocument,
    {
      municipality: filter.municipality,
      fiscalYear: filter.fiscalYear ?? null,
      department: filter.department ?? null,
    },
    { signal },
  );
  return plans.edges.map((e) => e.node);
}
