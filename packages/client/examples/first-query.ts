import { createClient } from '@hoshin/client';

/** 教育部's plan for 平成24年度 (FY2012), as a list of its initiatives' texts. */
export async function firstQuery(url: string): Promise<string[]> {
  const hoshin = createClient({ url });

  const plan = await hoshin.departmentPlan({
    municipality: '132047', // 三鷹市
    department: 'kyoiku', // 教育部
    fiscalYear: 2012,
  });
  if (!plan) return []; // null: no plan visible for that department and year

  console.log(`${plan.department.name} ${plan.fiscalYear.label}`); // 教育部 平成24年度
  return plan.initiatives.edges.map((edge) => edge.node.text);
}
