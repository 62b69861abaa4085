/** The listing rules the API and the console both apply, judged against the catalogue each passes in. */
import { listingRuleViolations, policyListingPeriod } from '../../domain/listing-rules';
import { listingCreateBody } from '../../contract/listing';
import { listingBody } from '../support/fixtures';

const CATALOGUE = [
  { code: 'N-01', maxYears: null },
  { code: 'N-03', maxYears: 3 },
];
const body = (overrides: Record<string, unknown> = {}) => listingCreateBody.parse(listingBody(overrides));

test('a case within the catalogue and its limits breaks no rule', () => {
  expect(listingRuleViolations(body(), '2026-06-01', { years: 3 }, CATALOGUE)).toEqual([]);
});

test('a measure the catalogue lacks is named at its index; one held longer than it allows, at the period', () => {
  const v = listingRuleViolations(body({ proposedMeasures: ['N-01', 'X-99', 'N-03'] }), '2026-06-01', { years: 5 }, CATALOGUE);
  expect(v).toEqual([
    {
      path: 'body.proposedMeasures.1',
      message: { zh: '惩戒措施 X-99 不在措施清单中（第四十三条）', en: 'measure X-99 is not in the catalogue (Art 43)' },
    },
    {
      path: 'body.listingPeriod',
      message: {
        zh: '惩戒措施 N-03 最长适用3年；所填期限超过措施清单的规定（第四十四条）',
        en: 'measure N-03 may apply for at most 3 years; the period is heavier than the catalogue allows (Art 44)',
      },
    },
  ]);
});

test('a document issued after today and an organisation without responsible persons are refused', () => {
  const v = listingRuleViolations(
    body({ basisDocuments: [{ title: '行政处罚决定书', number: '张市监罚〔2026〕18号', issuedOn: '2026-06-02' }], responsiblePersons: [] }),
    '2026-06-01',
    { years: 3 },
    CATALOGUE,
  );
  expect(v.map((e) => e.path)).toEqual(['body.responsiblePersons', 'body.basisDocuments.0.issuedOn']);
  expect(v[1]?.message).toEqual({ zh: '日期晚于今天，文书尚未作出', en: 'lies in the future' });
});

test("the department's period is three years unless its policy says otherwise", () => {
  const policy = (unit: string, amount: number) =>
    ({ listing_period: { unit, amount } }) as unknown as Parameters<typeof policyListingPeriod>[0];
  expect(policyListingPeriod(policy('months', 18))).toEqual({ months: 18 });
  expect(policyListingPeriod(policy('years', 2))).toEqual({ years: 2 });
  expect(policyListingPeriod(policy('days', 30))).toEqual({ years: 3 });
});
