import { createHash } from 'node:crypto';
import { apiAs, settledCase, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, OTHER_OFFICER, listingBody, randomUscc, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { multipartPayload } from '../../console/multipart';
import { MAX_FILE_BYTES } from '../../contract/files';

/**
 * Evidence as files (issue 22) through the API: uploads judged by content and limits with nothing stored when refused,
 * idempotent retries, one content row per content, filings that carry them, and downloads only for those who may see
 * the case, each audited.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const api = () => apiAs(sys);

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`png ${Math.random()}`)]);
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);
const jpeg = (text: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(text)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function upload(by: Claims, files: { name: string; bytes: Buffer; field?: string }[], key?: string) {
  const { payload, contentType } = multipartPayload(files.map((f) => ({ field: f.field ?? 'file', name: f.name, bytes: f.bytes })));
  return sys.app.inject({
    method: 'POST',
    url: '/v1/files',
    headers: { ...api().auth(by, key), 'content-type': contentType },
    payload,
  });
}

const uploadsOf = (by: Claims) => sys.db.fileUpload.count({ where: { uploader: by.sub } });

async function uploaded(by: Claims, files: { name: string; bytes: Buffer }[]): Promise<string[]> {
  const r = await upload(by, files);
  expect(r.statusCode).toBe(201);
  return (r.json().files as { id: string }[]).map((f) => f.id);
}

describe('POST /v1/files', () => {
  it('judges the type by content: a PNG named .pdf is stored as a PNG, a text file named .pdf is a 415 and nothing is stored', async () => {
    const subject = subjectOf(randomUscc());
    const png = await upload(subject, [{ name: '缴款凭证.pdf', bytes: PNG }]);
    expect(png.statusCode).toBe(201);
    expect(png.json().files).toEqual([
      {
        id: expect.stringMatching(/^UPL-\d{8}-[0-9A-Z]{10}$/),
        name: '缴款凭证.pdf',
        size: PNG.length,
        sha256: sha(PNG),
        contentType: 'image/png',
      },
    ]);
    const stored = await sys.db.storedFile.findUnique({ where: { sha256: sha(PNG) } });
    expect(stored).toMatchObject({ contentType: 'image/png', size: PNG.length });
    expect(Buffer.from(stored!.bytes).equals(PNG)).toBe(true);

    const text = Buffer.from(`not a pdf ${Math.random()}`);
    const before = await uploadsOf(subject);
    const refused = await upload(subject, [
      { name: 'ok.jpg', bytes: jpeg(`j ${Math.random()}`) },
      { name: '说明.pdf', bytes: text },
    ]);
    expect(refused.statusCode).toBe(415);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.json().detail).toMatch(/说明\.pdf is not a PDF, JPEG or PNG/);
    expect(await uploadsOf(subject)).toBe(before);
    expect(await sys.db.storedFile.findUnique({ where: { sha256: sha(text) } })).toBeNull();

    // Not multipart at all; a part not named file; no file.
    expect((await api().post('/v1/files', subject, { file: 'x' })).statusCode).toBe(415);
    expect((await upload(subject, [{ name: 'a.pdf', bytes: pdf('a'), field: 'document' }])).statusCode).toBe(400);
    expect((await upload(subject, [])).statusCode).toBe(400);
    const asField = multipartPayload([{ field: 'file', value: '%PDF-1.4 as a text field' }]);
    const field = await sys.app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { ...api().auth(subject), 'content-type': asField.contentType },
      payload: asField.payload,
    });
    expect(field.statusCode).toBe(415);
    // Supervisors file nothing.
    expect(
      (await upload({ role: 'supervisor', sub: 'supervisor-drc-1', dept: 'ZY-DRC' }, [{ name: 'a.pdf', bytes: pdf('s') }])).statusCode,
    ).toBe(403);
    expect(await uploadsOf(subject)).toBe(before);
  });

  it('refuses a file of 10 MB and 1 byte (413) and 21 files, storing nothing; takes exactly 10 MB', async () => {
    const subject = subjectOf(randomUscc());
    const big = Buffer.concat([pdf(`big ${Math.random()}`), Buffer.alloc(MAX_FILE_BYTES)]).subarray(0, MAX_FILE_BYTES + 1);
    const tooBig = await upload(subject, [{ name: 'big.pdf', bytes: big }]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().detail).toMatch(/larger than 10 MB/);
    expect(await sys.db.storedFile.findUnique({ where: { sha256: sha(big) } })).toBeNull();
    expect(await sys.db.storedFile.findUnique({ where: { sha256: sha(big.subarray(0, MAX_FILE_BYTES)) } })).toBeNull();

    const twentyOne = Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.pdf`, bytes: pdf(`n ${i} ${Math.random()}`) }));
    const many = await upload(subject, twentyOne);
    expect(many.statusCode).toBe(413);
    expect(many.json().detail).toMatch(/at most 20 files/);
    expect(await uploadsOf(subject)).toBe(0);
    expect(await sys.db.storedFile.count({ where: { sha256: { in: twentyOne.map((f) => sha(f.bytes)) } } })).toBe(0);

    const exact = big.subarray(0, MAX_FILE_BYTES);
    const ok = await upload(subject, [{ name: 'exact.pdf', bytes: exact }]);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().files[0]).toMatchObject({ size: MAX_FILE_BYTES, sha256: sha(exact) });
    expect((await upload(subject, twentyOne.slice(0, 20))).statusCode).toBe(201);
  });

  it('answers a retry with the same Idempotency-Key with the same uploads, and stores one content however often it is uploaded', async () => {
    const subject = subjectOf(randomUscc());
    const file = { name: '合同.pdf', bytes: pdf(`contract ${Math.random()}`) };
    const first = await upload(subject, [file], 'upload-key-1');
    const again = await upload(subject, [file], 'upload-key-1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await uploadsOf(subject)).toBe(1);
    // The same key with other files is another request.
    expect((await upload(subject, [{ name: '合同.pdf', bytes: pdf('other') }], 'upload-key-1')).statusCode).toBe(422);

    const second = await upload(subject, [{ ...file, name: '合同副本.pdf' }]);
    expect(second.json().files[0].id).not.toBe(first.json().files[0].id);
    expect(await uploadsOf(subject)).toBe(2);
    expect(await sys.db.storedFile.count({ where: { sha256: sha(file.bytes) } })).toBe(1);
    const audited = await sys.db.auditEntry.count({ where: { actor: subject.sub, action: 'file.upload' } });
    expect(audited).toBe(2);
    // Written once: the database itself refuses to change a content or what an upload says it is.
    await expect(sys.db.$executeRaw`UPDATE stored_files SET size = 0 WHERE sha256 = ${sha(file.bytes)}`).rejects.toThrow(/written once/);
    await expect(sys.db.$executeRaw`DELETE FROM stored_files WHERE sha256 = ${sha(file.bytes)}`).rejects.toThrow(/written once/);
    const id = first.json().files[0].id as string;
    await expect(sys.db.$executeRaw`UPDATE file_uploads SET name = 'other.pdf' WHERE id = ${id}`).rejects.toThrow(/refused/);
    await expect(sys.db.$executeRaw`DELETE FROM file_uploads WHERE id = ${id}`).rejects.toThrow(/refused/);
  });
});

it('is documented in the OpenAPI document as a multipart upload, with the download’s binary types', async () => {
  const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
  const upload = doc.paths['/v1/files'].post;
  expect(upload.requestBody.content['multipart/form-data'].schema).toMatchObject({
    type: 'object',
    properties: { file: { type: 'array', maxItems: 20, items: { type: 'string', format: 'binary' } } },
    required: ['file'],
  });
  expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415', '422', '503']));
  const download = doc.paths['/v1/cases/{id}/files/{fileId}'].get;
  expect(Object.keys(download.responses['200'].content).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
  expect(download.responses['404']).toBeDefined();
  const objection = JSON.stringify(doc.paths['/v1/cases'].post.requestBody.content['application/json'].schema);
  expect(objection).toContain('evidenceFiles');
  expect(JSON.stringify(doc.paths['/v1/cases/{id}/actions/submit_statement'].post.requestBody)).toContain('evidenceFiles');
});

describe('evidence files of filings', () => {
  it('go with an objection, are listed on the case, and are downloaded only by its parties and the departments handling it, each download audited', async () => {
    const record = (await api().post('/v1/records', OFFICER, recordBody())).json();
    const company = record.subject.id as string;
    const subject = subjectOf(company);
    const other = subjectOf(randomUscc());
    const scan = { name: '缴款凭证 (扫描件).pdf', bytes: pdf(`receipt ${Math.random()}`) };
    const photo = { name: 'photo.jpg', bytes: jpeg(`photo ${Math.random()}`) };
    const ids = await uploaded(subject, [scan, photo]);
    const [otherId] = await uploaded(other, [{ name: 'x.pdf', bytes: pdf(`x ${Math.random()}`) }]);
    const filing = {
      procedure: 'objection',
      recordId: record.id,
      grounds: 'error_or_omission',
      statement: '罚款金额记载错误。',
      evidence: [{ title: '缴款凭证', description: '见附件' }],
    };

    // Another subject's upload, or an unknown one: a 422 naming it, and no case.
    // Under the key the corrected filing then uses: a refusal leaves it free.
    const foreign = await api().post('/v1/cases', subject, { ...filing, evidenceFiles: [ids[0], otherId] }, 'objection-with-files');
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([{ path: 'body.evidenceFiles.1', message: 'no upload of yours has this id' }]);
    expect(await sys.db.fileUpload.count({ where: { id: { in: [...ids, otherId!] }, NOT: { caseId: null } } })).toBe(0);

    const created = await api().post('/v1/cases', subject, { ...filing, evidenceFiles: ids }, 'objection-with-files');
    expect(created.statusCode).toBe(201);
    const caseId = created.json().id as string;
    // The retry of that filing joins it; its files are still its own.
    expect((await api().post('/v1/cases', subject, { ...filing, evidenceFiles: ids }, 'objection-with-files')).json().id).toBe(caseId);
    await settledCase(sys, caseId, 'submitted');

    const view = (await api().get(`/v1/cases/${caseId}`, subject)).json();
    expect(view.evidenceFiles).toEqual([
      { id: ids[0], name: scan.name, size: scan.bytes.length, sha256: sha(scan.bytes), contentType: 'application/pdf' },
      { id: ids[1], name: photo.name, size: photo.bytes.length, sha256: sha(photo.bytes), contentType: 'image/jpeg' },
    ]);

    // Attached once: another filing naming them is refused.
    const record2 = (await api().post('/v1/records', OFFICER, recordBody({ subject: record.subject }))).json();
    const reuse = await api().post('/v1/cases', subject, { ...filing, recordId: record2.id, evidenceFiles: [ids[0]] });
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().errors).toEqual([{ path: 'body.evidenceFiles.0', message: 'already evidence of another filing' }]);

    const url = `/v1/cases/${caseId}/files/${ids[0]}`;
    const downloads = () => sys.db.auditEntry.count({ where: { action: 'file.download', target: `file:${ids[0]}` } });
    // The subject, the agency handling the objection and the department that supplied the record.
    for (const who of [subject, AGENCY_OFFICER, OFFICER]) {
      const before = await downloads();
      const r = await api().get(url, who);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      const disposition = String(r.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="____ \(___\)\.pdf"; filename\*=UTF-8''[\w%.-]+$/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(scan.name);
      expect(r.rawPayload.equals(scan.bytes)).toBe(true);
      expect(await downloads()).toBe(before + 1);
    }
    const entry = await sys.db.auditEntry.findFirst({
      where: { action: 'file.download', target: `file:${ids[0]}` },
      orderBy: { id: 'desc' },
    });
    expect(entry).toMatchObject({ actor: OFFICER.sub, caseId, subjectId: company });

    // Another subject, an unrelated department, a file of another case: as if it did not exist.
    const before = await downloads();
    for (const [who, path] of [
      [other, url],
      [OTHER_OFFICER, url],
      [subject, `/v1/cases/${caseId}/files/${otherId}`],
    ] as const) {
      const r = await api().get(path, who);
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await downloads()).toBe(before);
  });

  it('go with a listing statement and a repair application', async () => {
    const body = listingBody();
    const subject = { role: 'subject', sub: `company-${body.subject.id}`, subjectId: body.subject.id } as const;
    const id = (await api().post('/v1/cases', OFFICER, body)).json().id as string;
    await settledCase(sys, id, 'opened');
    expect((await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' })).statusCode).toBe(
      200,
    );
    const [statementFile] = await uploaded(subject, [{ name: '整改报告.pdf', bytes: pdf(`report ${Math.random()}`) }]);
    // Someone else's upload: 422, and the statement is not taken.
    const [foreign] = await uploaded(subjectOf(randomUscc()), [{ name: 'x.png', bytes: PNG }]);
    const statement = (files: string[]) => ({ text: '已整改', requestHearing: false, evidenceFiles: files });
    const refused = await api().post(`/v1/cases/${id}/actions/submit_statement`, subject, statement([foreign!]), 'statement-key');
    expect(refused.statusCode).toBe(422);
    const stated = await api().post(`/v1/cases/${id}/actions/submit_statement`, subject, statement([statementFile!]), 'statement-key');
    expect(stated.statusCode).toBe(200);
    expect(stated.json().state).toBe('under_review');
    // A statement the case refuses now (409) gives its files back, free for another filing.
    const [late] = await uploaded(subject, [{ name: '补充.pdf', bytes: pdf(`late ${Math.random()}`) }]);
    expect((await api().act(id, 'submit_statement', subject, statement([late!]))).statusCode).toBe(409);
    expect(await sys.db.fileUpload.findUnique({ where: { id: late! } })).toMatchObject({ caseId: null, filing: null });
    const files = (await api().get(`/v1/cases/${id}`, subject)).json().evidenceFiles;
    expect(files).toEqual([expect.objectContaining({ id: statementFile, name: '整改报告.pdf', contentType: 'application/pdf' })]);
    expect((await api().get(`/v1/cases/${id}/files/${statementFile}`, OFFICER)).statusCode).toBe(200);
    expect((await api().get(`/v1/cases/${id}/files/${statementFile}`, OTHER_OFFICER)).statusCode).toBe(404);

    // A repair of a record with its evidence as files alone; with no evidence at all, a 422 at evidence.
    const record = (await api().post('/v1/records', OFFICER, recordBody())).json();
    const owner = subjectOf(record.subject.id as string);
    const application = {
      procedure: 'repair',
      target: { recordId: record.id },
      statement: '已履行全部义务。',
      commitment: { text: '本单位承诺守法经营。', signedOn: new Date().toISOString().slice(0, 10) },
    };
    const bare = await api().post('/v1/cases', owner, application);
    expect(bare.statusCode).toBe(422);
    expect(bare.json().errors).toEqual([expect.objectContaining({ path: 'body.evidence' })]);
    const repairFiles = await uploaded(owner, [{ name: '履行证明.pdf', bytes: pdf(`paid ${Math.random()}`) }]);
    const repair = await api().post('/v1/cases', owner, { ...application, evidenceFiles: repairFiles });
    if (repair.statusCode !== 201) throw new Error(JSON.stringify(repair.json()));
    const repairId = repair.json().id as string;
    expect((await api().get(`/v1/cases/${repairId}`, owner)).json().evidenceFiles).toEqual([
      expect.objectContaining({ id: repairFiles[0], name: '履行证明.pdf' }),
    ]);
  });
});
