import { Client } from 'pg';
import { audit, verifyAuditChain } from '../../db/audit';
import { createDb, type Db } from '../../db/client';
import { testEnv } from '../support/test-env';
import { startSystem, type System } from '../support/system';
import { SUPERVISOR, OFFICER, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

let db: Db;
let sys: System;
beforeAll(async () => {
  db = createDb(testEnv().databaseUrl, { poolSize: 4 });
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(db)?.$disconnect();
});

describe('audit log', () => {
  it('chains every entry to the one before it, even under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audit(db, {
          actor: `t${i}`,
          role: 'system',
          action: 'test.write',
          target: 'test',
          detail: { i, nested: { b: 1, a: 2 } },
        }),
      ),
    );
    const rows = await db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    rows.forEach((row, i) => {
      if (i > 0) expect(row.prevHash).toBe(rows[i - 1]!.hash);
      expect(Number(row.seq)).toBe(i + 1);
    });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: rows.length });
  });

  it('writes an entry once for one event key', async () => {
    const a = await audit(db, { actor: 'x', role: 'system', action: 'test.once', target: 't', eventKey: 'once-1' });
    const b = await audit(db, { actor: 'x', role: 'system', action: 'test.once', target: 't', eventKey: 'once-1' });
    expect(b.seq).toBe(a.seq);
    expect(await db.auditEntry.count({ where: { eventKey: 'once-1' } })).toBe(1);
  });

  it('is refused UPDATE and DELETE by the database itself', async () => {
    await expect(db.$executeRawUnsafe(`UPDATE audit_entries SET actor = 'mallory' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_entries WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE audit_entries`)).rejects.toThrow();
  });

  it('keeps credit records from deletion and record events from any change, by the database itself', async () => {
    const res = await sys.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
      payload: recordBody(),
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect(await db.recordEvent.count({ where: { recordId: id } })).toBeGreaterThan(0);
    await expect(db.$executeRawUnsafe(`DELETE FROM credit_records WHERE id = $1`, id)).rejects.toThrow(/never deleted/);
    await expect(db.$executeRawUnsafe(`UPDATE record_events SET actor = 'mallory' WHERE record_id = $1`, id)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRawUnsafe(`DELETE FROM record_events WHERE record_id = $1`, id)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE record_events`)).rejects.toThrow(/append-only/);
    expect(await db.creditRecord.findUnique({ where: { id } })).not.toBeNull();
    // An update of the record itself stays possible: its status changes with every decision.
    await expect(db.$executeRawUnsafe(`UPDATE credit_records SET content = content WHERE id = $1`, id)).resolves.toBe(1);
  });

  it('lists entries for supervisors with filters and a cursor', async () => {
    const headers = { authorization: `Bearer ${sys.token(SUPERVISOR)}` };
    // t3 wrote one entry among many: the filter leaves that one alone.
    const first = await sys.app.inject({ method: 'GET', url: '/v1/audit?actor=t3', headers });
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(1);
    expect(first.json().items[0]).toMatchObject({
      actor: 't3',
      action: 'test.write',
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const all = await sys.app.inject({ method: 'GET', url: '/v1/audit?limit=5', headers });
    const next = await sys.app.inject({
      method: 'GET',
      url: `/v1/audit?limit=5&cursor=${all.json().nextCursor}`,
      headers,
    });
    expect(next.json().items[0].seq).toBe(Number(all.json().items[4].seq) + 1);
    const officer = await sys.app.inject({
      method: 'GET',
      url: '/v1/audit/verify',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    });
    expect(officer.statusCode).toBe(403);
  });

  it("finds an entry altered behind the application's back by a superuser", async () => {
    const headers = { authorization: `Bearer ${sys.token(SUPERVISOR)}` };
    const clean = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers });
    expect(clean.json()).toMatchObject({ ok: true });

    const superuser = new Client({ connectionString: testEnv().databaseSuperuserUrl });
    await superuser.connect();
    try {
      // A superuser can switch triggers off for the session; the hash chain is what still tells.
      await superuser.query(`SET session_replication_role = replica`);
      const { rows } = await superuser.query(`SELECT detail FROM audit_entries WHERE seq = 5`);
      await superuser.query(`UPDATE audit_entries SET detail = '{"i": 999}'::jsonb WHERE seq = 5`);
      const res = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: false, checked: 4, firstBrokenSeq: 5 });

      // Put it back so later tests in this run see a sound chain again.
      await superuser.query(`UPDATE audit_entries SET detail = $1::jsonb WHERE seq = 5`, [JSON.stringify(rows[0].detail)]);
      expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers })).json()).toMatchObject({
        ok: true,
      });
    } finally {
      await superuser.end();
    }
  });

  it("records the actor's display name beside the id, and the chain covers it", async () => {
    const named = { ...OFFICER, sub: 'officer-with-a-name', name: '王晓明' };
    const read = await sys.app.inject({
      method: 'GET',
      url: '/v1/records/pending-review',
      headers: { authorization: `Bearer ${sys.token(named)}` },
    });
    expect(read.statusCode).toBe(200);
    const entry = await db.auditEntry.findFirst({ where: { actor: named.sub }, orderBy: { seq: 'desc' } });
    expect(entry).toMatchObject({ actorName: '王晓明', action: 'records.pending_review.read' });
    // A later entry by the same actor carries the name though its writer knows only the id (as the worker does).
    expect((await audit(db, { actor: named.sub, role: 'officer', action: 'test.named', target: 't' })).actorName).toBe('王晓明');
    expect((await audit(db, { actor: 'nameless', role: 'system', action: 'test.named', target: 't' })).actorName).toBeNull();

    const headers = { authorization: `Bearer ${sys.token(SUPERVISOR)}` };
    const superuser = new Client({ connectionString: testEnv().databaseSuperuserUrl });
    await superuser.connect();
    try {
      await superuser.query(`SET session_replication_role = replica`);
      await superuser.query(`UPDATE audit_entries SET actor_name = '李四' WHERE seq = $1`, [String(entry!.seq)]);
      expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers })).json()).toMatchObject({
        ok: false,
        firstBrokenSeq: Number(entry!.seq),
      });
      await superuser.query(`UPDATE audit_entries SET actor_name = '王晓明' WHERE seq = $1`, [String(entry!.seq)]);
      expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers })).json()).toMatchObject({ ok: true });
    } finally {
      await superuser.end();
    }
  });
});
