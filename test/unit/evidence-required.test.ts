/** Evidence as text items, files or both, at least one: the repair application and the objection's supplement. */
import { caseCreateBody } from '../../api/schemas/case';
import { requireEvidence } from '../../api/evidence-files';
import { Problem } from '../../api/problem';
import { objectionActions } from '../../workflows/objection/actions';

const UPLOAD = 'UPL-20261205-0123456789';
const repair = {
  procedure: 'repair',
  target: { recordId: 'REC-20261205-0123456789' },
  statement: '已履行全部义务。',
  commitment: { text: '本单位承诺守法经营。', signedOn: '2026-12-05' },
};
const item = { title: '缴款凭证', description: '罚款缴纳凭证扫描件' };
const WHAT = { zh: '须提供证明材料', en: 'evidence is required' };

test.each([
  ['text items', { evidence: [item] }],
  ['files', { evidenceFiles: [UPLOAD] }],
  ['both', { evidence: [item], evidenceFiles: [UPLOAD] }],
])("a repair application's schema takes its evidence as %s, and so does the rule", (_, evidence) => {
  const parsed = caseCreateBody.safeParse({ ...repair, ...evidence });
  expect(parsed.success).toBe(true);
  expect(() => {
    requireEvidence(parsed.data as { evidence: unknown[] }, WHAT);
  }).not.toThrow();
});

test.each([
  ['none named', {}],
  ['both empty', { evidence: [], evidenceFiles: [] }],
])('without evidence (%s) the schema takes the body and the rule refuses it: a 422 at body.evidence', (_, evidence) => {
  const parsed = caseCreateBody.safeParse({ ...repair, ...evidence });
  expect(parsed.success).toBe(true);
  let thrown: unknown;
  try {
    requireEvidence(parsed.data as { evidence: unknown[] }, WHAT);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(Problem);
  expect((thrown as Problem).status).toBe(422);
  expect((thrown as Problem).body('en')).toMatchObject({ detail: WHAT.en, errors: [{ path: 'body.evidence' }] });
});

test("the supplement's schema takes text items or files alone", () => {
  const body = objectionActions.submit_supplement.body;
  expect(body.safeParse({ evidence: [item] }).success).toBe(true);
  expect(body.safeParse({ evidenceFiles: [UPLOAD] }).success).toBe(true);
});
