import { graphql } from '../generated/gql.js';

/** A Japanese fiscal year (年度) by the calendar year it starts in, with its era label. */
export const FiscalYearDocument = graphql(`
  query FiscalYear($year: Int!) {
    fiscalYear(year: $year) {
      ...FiscalYearFields
    }
  }
`);
