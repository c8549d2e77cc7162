// Loaders the views share, over the SDK (ready-made operations where they fit, the app's own
// documents otherwise). Each takes the client and an abort signal, as useQuery passes them.
import type { HoshinClient } from '@hoshin/client';
import type { DashboardPlansInFullQuery, DashboardTargetsQuery } from '../generated/graphql';
import {
  LabelsDocument,
  MunicipalitiesDocument,
  PlanIndexDocument,
  PlansInFullDocument,
  TargetsDocument,
} from './documents';

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

/** enum name -> value -> [Japanese, English], from the API's own labels. */
export type Labels = Map<string, Map<string, readonly [string, string]>>;

export async function loadLabels(client: HoshinClient, signal: AbortSignal): Promise<Labels> {
  const { labels } = await client.request(LabelsDocument, {}, { signal });
  return new Map(
    labels.map((e) => [
      e.enum,
      new Map(e.values.map((v) => [v.value, [v.label, v.labelEn] as const])),
    ]),
  );
}

export type TargetOf =
  DashboardTargetsQuery['initiatives']['edges'][number]['node']['targets'][number];

/** Initiative id -> its targets, for the plans of a year (and department). */
export async function loadTargets(
  client: HoshinClient,
  signal: AbortSignal,
  filter: { municipality: string; fiscalYear: number; department?: string },
): Promise<Map<string, TargetOf[]>> {
  const { initiatives } = await client.request(
    TargetsDocument,
    { ...filter, department: filter.department ?? null },
    { signal },
  );
  return new Map(initiatives.edges.map(({ node }) => [node.id, node.targets]));
}
