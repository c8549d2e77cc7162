// docs/integrating.md "Caching behind a CDN": a public page reads its plan through a cacheable
// GET URL, and asks again with the ETag it holds (a 304 costs the server no query).
import { cacheableUrl, DepartmentPlanDocument, type DepartmentPlanQuery } from '@hoshin/client';

export async function readPlanCached(endpoint: string, etag?: string) {
  const url = cacheableUrl(endpoint, DepartmentPlanDocument, {
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  const response = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
  if (response.status === 304) return { changed: false as const, etag };
  const body = (await response.json()) as { data: DepartmentPlanQuery };
  return {
    changed: true as const,
    etag: response.headers.get('etag') ?? undefined,
    plan: body.data.plan,
  };
}
