// A row of the status-rules files is one rule set: a municipality's rules from one fiscal year
// on (StatusRuleSet), or the default rules of a municipality without its own. Such a row has
// no id of its own, so its id is the pair, in one increasing number: files page and the
// importer finds versions by it.
const YEARS = 100_000;

export function ruleSetRowId(municipalityId: number, fromFiscalYear: number): number {
  return municipalityId * YEARS + fromFiscalYear;
}

export function ruleSetOfRow(id: number): { municipalityId: number; fromFiscalYear: number } {
  return { municipalityId: Math.floor(id / YEARS), fromFiscalYear: id % YEARS };
}
