// Data sizes the benchmark can generate, from the Mitaka seed's shape to national scale.
// Every size has municipality 1 = 三鷹市 (132047) with department kyoiku, fiscal year 2012,
// so the contract query has an answer at every size.

export interface DataSize {
  name: string;
  municipalities: number;
  /** Per municipality, at most DEPARTMENTS.length (10). */
  departments: number;
  /** Fiscal years from FIRST_FISCAL_YEAR on. */
  years: number;
  initiativesPerPlan: number;
}

export const FIRST_FISCAL_YEAR = 2012;

export const SIZES = {
  /** For tests: small enough to generate in well under a second. */
  tiny: { name: 'tiny', municipalities: 2, departments: 3, years: 2, initiativesPerPlan: 4 },
  /**
   * The Mitaka seed's shape: one municipality, its 8 departments, one fiscal year. Plans have
   * 8 initiatives (the seed has 3) so the contract answer is the same size at every scale and
   * the scale ratio compares like with like.
   */
  mitaka: { name: 'mitaka', municipalities: 1, departments: 8, years: 1, initiativesPerPlan: 8 },
  /** One prefecture (Tokyo has 62 municipalities), ten years: the ladder runs on this. */
  prefecture: {
    name: 'prefecture',
    municipalities: 62,
    departments: 10,
    years: 10,
    initiativesPerPlan: 8,
  },
  /** Japan: about 1,700 municipalities x 10 departments x 10 years x 8 initiatives. */
  national: {
    name: 'national',
    municipalities: 1700,
    departments: 10,
    years: 10,
    initiativesPerPlan: 8,
  },
} as const satisfies Record<string, DataSize>;

export type SizeName = keyof typeof SIZES;

export function isSizeName(name: string): name is SizeName {
  return Object.hasOwn(SIZES, name);
}

export interface RowCounts {
  Municipality: number;
  Department: number;
  DepartmentPlan: number;
  Initiative: number;
  WhitePaper: number;
}

/** Rows the generator writes for a size (evaluations depend on the hash, so they are not here). */
export function expectedRowCounts(size: DataSize): RowCounts {
  const departments = size.municipalities * size.departments;
  const plans = departments * size.years;
  return {
    Municipality: size.municipalities,
    Department: departments,
    DepartmentPlan: plans,
    Initiative: plans * size.initiativesPerPlan,
    WhitePaper: size.municipalities * size.years,
  };
}
