import { createHoshinYoga, fiscalYear } from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

describe('fiscal year labels use the era in force for most of the year', () => {
  it.each([
    [2012, '平成24年度', 'Heisei', 24],
    [2019, '令和元年度', 'Reiwa', 1], // 令和 began 1 May 2019
    [2018, '平成30年度', 'Heisei', 30],
    [1989, '平成元年度', 'Heisei', 1], // 平成 began 8 January 1989, inside FY1988
    [1988, '昭和63年度', 'Showa', 63],
    [1926, '大正15年度', 'Taisho', 15], // 昭和 began 25 December 1926
    [1927, '昭和2年度', 'Showa', 2],
    [1912, '大正元年度', 'Taisho', 1], // 大正 began 30 July 1912
    [1886, '明治19年度', 'Meiji', 19],
    [2100, '令和82年度', 'Reiwa', 82],
  ])('FY%i is %s', (year, label, romaji, eraYear) => {
    const fy = fiscalYear(year);
    expect(fy.label).toBe(label);
    expect(fy.era.romaji).toBe(romaji);
    expect(fy.eraYear).toBe(eraYear);
    expect(fy.labelEn).toBe(`FY${year}`);
  });

  it('runs from 1 April to 31 March', () => {
    expect(fiscalYear(2012)).toMatchObject({ startDate: '2012-04-01', endDate: '2013-03-31' });
  });

  it.each([1885, 2101, 2012.5, Number.NaN])('refuses %s', (year) => {
    expect(() => fiscalYear(year)).toThrow(RangeError);
  });

  it('is served by the fiscalYear query, without a database', async () => {
    // The query needs no rows; a Yoga whose database is never touched proves it.
    const yoga = createHoshinYoga({ db: {} as never });
    const response = await yoga.fetch('http://hoshin.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ fiscalYear(year: 2019) { year label labelEn era { name romaji startDate } eraYear startDate endDate } }',
      }),
    });
    // Only the data: extensions carry the query's cost.
    const { data } = await response.json();
    expect({ data }).toEqual({
      data: {
        fiscalYear: {
          year: 2019,
          label: '令和元年度',
          labelEn: 'FY2019',
          era: { name: '令和', romaji: 'Reiwa', startDate: '2019-05-01' },
          eraYear: 1,
          startDate: '2019-04-01',
          endDate: '2020-03-31',
        },
      },
    });
  });
});
