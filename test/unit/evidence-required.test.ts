/** Evidence as text items, files or both, at least one: the repair application and the objection's supplement. */
import { caseCreateBody } from '../../api/schemas/case';
import { objectionActions } from '../../workflows/objection/actions';

const UPLOAD = 'UPL-20261205-0123456789';
const repair = {
  procedure: 'repair',
  target: { recordId: 'REC-20261205-0123456789' },
  statement: '已履行全部义务。',
  commitment: { text: '本单位承诺守法经营。', signedOn: '2026-12-05' },
};
const item = { title: '缴款凭证', description: '罚款缴纳凭证扫描件' };

test.each([
  ['text items', { evidence: [item] }],
  ['files', { evidenceFiles: [UPLOAD] }],
  ['both', { evidence: [item], evidenceFiles: [UPLOAD] }],
])('a repair application with its evidence as %s is taken', (_, evidence) => {
  expect(caseCreateBody.safeParse({ ...repair, ...evidence }).success).toBe(true);
});

test.each([
  ['none named', {}],
  ['both empty', { evidence: [], evidenceFiles: [] }],
])('a repair application without evidence (%s) is refused at evidence', (_, evidence) => {
  const r = caseCreateBody.safeParse({ ...repair, ...evidence });
  expect(r.success).toBe(false);
  expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
    ['evidence', 'evidence of the obligations performed is required'],
  ]);
});

test('a supplement takes text items or files, and refuses neither', () => {
  const body = objectionActions.submit_supplement.body;
  expect(body.safeParse({ evidence: [item] }).success).toBe(true);
  expect(body.safeParse({ evidenceFiles: [UPLOAD] }).success).toBe(true);
  expect(body.safeParse({}).error?.issues.map((i) => i.path.join('.'))).toEqual(['evidence']);
});
