import { createPublicKey } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { appendAudit, audit } from '../../db/audit';
import { linkPendingAudit, startAuditSequencer } from '../../db/audit-sequencer';
import { auditSignerOf, checkpointSignatureHolds, generateAuditSigningKey, signCheckpoint } from '../../db/audit-signing';
import { verifyAuditChain } from '../../db/audit-verify';
import { createDb, type Db } from '../../db/client';
import { MIGRATIONS_DIR, applyMigrations, listMigrations } from '../../db/migrate';
import { lockedAppend } from '../../bench/lib/locked-audit';
import { testEnv } from '../support/test-env';
import { startSystem, testAuditSigner, type System } from '../support/system';
import { SUPERVISOR, OFFICER, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { auditPage } from '../../console/pages/supervisor/audit';
import type { AuditVerifyResult } from '../../contract/oversight';

const LINK_LOCK = 0x4155_444c; // db/audit-sequencer.ts: what every batch of linking takes

let db: Db;
let sys: System;
const signer = () => testAuditSigner();
const verify = () => verifyAuditChain(db, { publicKey: signer().publicKey, keyId: signer().keyId });
const headers = () => ({ authorization: `Bearer ${sys.token(SUPERVISOR)}` });

beforeAll(async () => {
  db = createDb(testEnv().databaseUrl, { poolSize: 4 });
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(db)?.$disconnect();
});

async function asSuperuser<T>(work: (su: Client) => Promise<T>): Promise<T> {
  const su = new Client({ connectionString: testEnv().databaseSuperuserUrl });
  await su.connect();
  try {
    // A superuser can switch the append-only triggers off for the session; the chain and the checkpoints still tell.
    await su.query(`SET session_replication_role = replica`);
    return await work(su);
  } finally {
    await su.end();
  }
}

/** Holds the linking lock, so no sequencer links anything while a test rearranges the chain behind its back. */
async function withLinkingHeld<T>(work: () => Promise<T>): Promise<T> {
  const holder = new Client({ connectionString: testEnv().databaseUrl });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [LINK_LOCK]);
    return await work();
  } finally {
    await holder.query('COMMIT').catch(() => undefined);
    await holder.end();
  }
}

/** The console's 审计日志 page with this verify result, as text (what a supervisor reads). */
function verifyPageText(verify: AuditVerifyResult): string {
  const html = auditPage({ user: null, csrf: '', path: '/console/supervise/audit' }, { q: {}, items: [], nextCursor: null, verify });
  return html.replace(/<[^>]+>/g, '');
}

function appendInOwnTransaction(i: number, actorPrefix = 't') {
  return db.$transaction((tx) =>
    appendAudit(tx, {
      actor: `${actorPrefix}${i}`,
      role: 'system',
      action: 'test.write',
      target: 'test',
      detail: { i, nested: { b: 1, a: 2 } },
    }),
  );
}

async function expectOneChain(): Promise<void> {
  const rows = await db.auditEntry.findMany({ where: { seq: { not: null } }, orderBy: { seq: 'asc' }, select: { seq: true } });
  expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
}

describe('audit log', () => {
  it('links every entry of many concurrent writers, each in its own transaction, into one chain', async () => {
    const before = await db.auditEntry.count();
    const written = await Promise.all(Array.from({ length: 200 }, (_, i) => appendInOwnTransaction(i)));
    // An append is an insert: it has its id at once, its place in the chain once linked.
    expect(new Set(written.map((e) => e.id)).size).toBe(200);
    await linkPendingAudit(db);
    const rows = await db.auditEntry.findMany({ where: { id: { in: written.map((e) => BigInt(e.id)) } } });
    expect(rows.every((r) => r.seq !== null && r.hash !== null && r.prevHash !== null)).toBe(true);
    expect(await db.auditEntry.count()).toBe(before + 200);
    await expectOneChain();
    expect(await verify()).toMatchObject({ ok: true, checked: await db.auditEntry.count({ where: { seq: { not: null } } }) });
  });

  it('links what one batch finds in the order of its ids, not of their text', async () => {
    // The ids cross a power of ten, so an order by their text would not be theirs.
    const top = (await db.auditEntry.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    let ten = 10n ** BigInt(top.toString().length);
    while (ten - 100n <= top) ten *= 10n;
    await db.$queryRawUnsafe(`SELECT setval(pg_get_serial_sequence('audit_entries', 'id'), ${ten - 100n})`);
    // Linking is held until every writer has committed: concurrent writers commit in no particular order, and the
    // running sequencer links what it sees when it looks, so only a batch that sees them all has their ids' order.
    const written = await withLinkingHeld(() => Promise.all(Array.from({ length: 200 }, (_, i) => appendInOwnTransaction(i, 'ordered'))));
    await linkPendingAudit(db);
    const rows = await db.auditEntry.findMany({ where: { id: { in: written.map((e) => BigInt(e.id)) } } });
    expect(rows.some((r) => r.id < ten) && rows.some((r) => r.id >= ten)).toBe(true);
    const byId = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId.map((r) => r.seq)).toEqual([...byId.map((r) => r.seq!)].sort((a, b) => (a < b ? -1 : 1)));
    await expectOneChain();
  });

  it('links what the running sequencer finds within moments, and signs checkpoints of the head', async () => {
    const e = await audit(db, { actor: 'x', role: 'system', action: 'test.sequenced', target: 't' });
    const until = Date.now() + 5_000;
    let linked = await db.auditEntry.findUnique({ where: { id: BigInt(e.id) } });
    while (linked?.seq == null && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      linked = await db.auditEntry.findUnique({ where: { id: BigInt(e.id) } });
    }
    expect(linked?.seq).not.toBeNull();
    // Three checkpoints at least, so the first page of two has a next one.
    for (let i = 0; i < 3; i++) {
      await audit(db, { actor: 'x', role: 'system', action: 'test.checkpointed', target: 't' });
      await linkPendingAudit(db, { signer: signer(), checkpoint: 'now' });
    }
    const res = await sys.app.inject({ method: 'GET', url: '/v1/audit/checkpoints?limit=2', headers: headers() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(body.keyId).toBe(signer().keyId);
    expect(body.items[0]).toMatchObject({ keyId: signer().keyId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Anyone with the exported public key checks a checkpoint on their own.
    const cp = body.items[0] as { seq: number; hash: string; at: string; signature: string };
    const head = { seq: BigInt(cp.seq), hash: cp.hash, at: new Date(cp.at) };
    expect(checkpointSignatureHolds(createPublicKey(body.publicKey as string), head, cp.signature)).toBe(true);
    // Paged like the log; a cursor past the bigint range is a problem, never a 500.
    const page2 = await sys.app.inject({
      method: 'GET',
      url: `/v1/audit/checkpoints?limit=1&cursor=${body.nextCursor}`,
      headers: headers(),
    });
    expect(page2.json().items[0].seq).toBeLessThanOrEqual(cp.seq);
    const far = await sys.app.inject({ method: 'GET', url: '/v1/audit/checkpoints?cursor=9999999999999999999', headers: headers() });
    expect(far.statusCode).toBe(422);
    expect(checkpointSignatureHolds(createPublicKey(body.publicKey as string), { ...head, seq: head.seq + 1n }, cp.signature)).toBe(false);
  });

  it('makes one chain with two sequencers running and linking at once, one of them leading', async () => {
    const dbA = createDb(testEnv().databaseUrl, { poolSize: 2 });
    const dbB = createDb(testEnv().databaseUrl, { poolSize: 2 });
    const url = testEnv().databaseUrl;
    const a = startAuditSequencer({ db: dbA, databaseUrl: url, intervalMs: 5, retryMs: 20, signer: signer() });
    const b = startAuditSequencer({ db: dbB, databaseUrl: url, intervalMs: 5, retryMs: 20, signer: signer() });
    try {
      await Promise.all(
        Array.from({ length: 10 }, async (_, round) => {
          await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              audit(db, { actor: `two-${round}-${i}`, role: 'system', action: 'test.two', target: 't' }),
            ),
          );
          // And batches from outside either leader, as tests and verify scripts run them.
          await Promise.all([linkPendingAudit(dbA), linkPendingAudit(dbB)]);
        }),
      );
      expect(a.leading() && b.leading()).toBe(false);
      await linkPendingAudit(db);
      expect(await db.auditEntry.count({ where: { action: 'test.two', seq: null } })).toBe(0);
      await expectOneChain();
      expect(await verify()).toMatchObject({ ok: true, unlinked: 0 });
    } finally {
      await a.stop();
      await b.stop();
      await dbA.$disconnect();
      await dbB.$disconnect();
    }
  });

  it('has one leader at a time, and another takes over when the leader stops', async () => {
    const url = testEnv().databaseUrl;
    // A leadership of their own: the system's sequencer leads the real one.
    const own = { databaseUrl: url, intervalMs: 20, retryMs: 50, leaderLockKey: 0x7e57_1ead };
    const dbs = [createDb(url, { poolSize: 1 }), createDb(url, { poolSize: 1 })];
    const seqs = dbs.map((d) => startAuditSequencer({ ...own, db: d }));
    try {
      const leaders = async () => {
        const until = Date.now() + 5_000;
        while (Date.now() < until) {
          const leading = seqs.filter((x) => x.leading());
          if (leading.length > 0) return leading;
          await new Promise((r) => setTimeout(r, 20));
        }
        return [];
      };
      const first = await leaders();
      expect(first).toHaveLength(1);
      await first[0]!.stop();
      const other = seqs.find((x) => x !== first[0])!;
      const until = Date.now() + 5_000;
      while (!other.leading() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(other.leading()).toBe(true);
    } finally {
      for (const x of seqs) await x.stop();
      for (const d of dbs) await d.$disconnect();
    }
  });

  it('writes an entry once for one event key, also when the two appends race', async () => {
    const a = await audit(db, { actor: 'x', role: 'system', action: 'test.once', target: 't', eventKey: 'once-1' });
    const b = await audit(db, { actor: 'x', role: 'system', action: 'test.once', target: 't', eventKey: 'once-1' });
    expect(b.id).toBe(a.id);
    const raced = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.$transaction((tx) => appendAudit(tx, { actor: 'x', role: 'system', action: 'test.once', target: 't', eventKey: 'once-2' })),
      ),
    );
    expect(new Set(raced.map((e) => e.id)).size).toBe(1);
    expect(await db.auditEntry.count({ where: { eventKey: { in: ['once-1', 'once-2'] } } })).toBe(2);
  });

  it('is refused UPDATE and DELETE by the database itself, but for the one link of an unlinked entry', async () => {
    await linkPendingAudit(db);
    await expect(db.$executeRawUnsafe(`UPDATE audit_entries SET actor = 'mallory' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    // A linked entry is never linked again.
    await expect(db.$executeRawUnsafe(`UPDATE audit_entries SET seq = seq + 0 WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_entries WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE audit_entries`)).rejects.toThrow();
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE audit_checkpoints SET seq = 1`)).rejects.toThrow(/append-only/);
    // Nor may the link change anything else about the entry.
    await expect(
      db.$transaction(async (tx) => {
        const e = await appendAudit(tx, { actor: 'x', role: 'system', action: 'test.link', target: 't' });
        await tx.$executeRawUnsafe(
          `UPDATE audit_entries SET seq = 999999999, prev_hash = 'x', hash = 'y', actor = 'mallory' WHERE id = $1`,
          BigInt(e.id),
        );
      }),
    ).rejects.toThrow(/append-only/);
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

  it('lists entries for supervisors with filters and a cursor by insertion id, unlinked ones too', async () => {
    // t3 wrote one entry among many: the filter leaves that one alone.
    const first = await sys.app.inject({ method: 'GET', url: '/v1/audit?actor=t3', headers: headers() });
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(1);
    expect(first.json().items[0]).toMatchObject({
      actor: 't3',
      action: 'test.write',
      seq: expect.any(Number),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const all = await sys.app.inject({ method: 'GET', url: '/v1/audit?limit=5', headers: headers() });
    const next = await sys.app.inject({ method: 'GET', url: `/v1/audit?limit=5&cursor=${all.json().nextCursor}`, headers: headers() });
    expect(next.json().items[0].id).toBeGreaterThan(Number(all.json().items[4].id));
    // An entry the sequencer has not reached yet is listed, with no seq and no hash.
    await withLinkingHeld(async () => {
      const e = await audit(db, { actor: 'not-yet-linked', role: 'system', action: 'test.pending', target: 't' });
      const listed = await sys.app.inject({ method: 'GET', url: '/v1/audit?actor=not-yet-linked', headers: headers() });
      expect(listed.json().items).toEqual([expect.objectContaining({ id: e.id, seq: null, prevHash: null, hash: null })]);
      const v = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() });
      expect(v.json()).toMatchObject({ ok: true, unlinked: expect.any(Number) });
      expect(v.json().unlinked).toBeGreaterThanOrEqual(1);
      expect(verifyPageText(v.json())).toContain(`未链接条数${v.json().unlinked}条（已写入，等待排序程序链接`);
    });
    const officer = await sys.app.inject({
      method: 'GET',
      url: '/v1/audit/verify',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    });
    expect(officer.statusCode).toBe(403);
    const officerCheckpoints = await sys.app.inject({
      method: 'GET',
      url: '/v1/audit/checkpoints',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    });
    expect(officerCheckpoints.statusCode).toBe(403);
  });

  it("finds an entry altered behind the application's back by a superuser", async () => {
    await linkPendingAudit(db, { signer: signer(), checkpoint: 'now' });
    const clean = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() });
    expect(clean.json()).toMatchObject({ ok: true, truncated: false, checkpoint: { signature: 'valid', holds: true } });
    const target = await db.auditEntry.findUniqueOrThrow({ where: { seq: 5n } });
    await asSuperuser(async (su) => {
      await su.query(`UPDATE audit_entries SET detail = '{"i": 999}'::jsonb WHERE seq = 5`);
      try {
        const res = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ ok: false, checked: 4, firstBrokenSeq: 5, firstBrokenId: Number(target.id) });
      } finally {
        // Put it back so later tests in this run see a sound chain again.
        await su.query(`UPDATE audit_entries SET detail = $1::jsonb WHERE seq = 5`, [JSON.stringify(target.detail)]);
      }
    });
    expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() })).json()).toMatchObject({ ok: true });
  });

  it('finds an entry removed from the middle of the chain', async () => {
    await linkPendingAudit(db);
    const removed = await db.auditEntry.findUniqueOrThrow({ where: { seq: 7n } });
    const after = await db.auditEntry.findUniqueOrThrow({ where: { seq: 8n } });
    await asSuperuser(async (su) => {
      const { rows } = await su.query(`DELETE FROM audit_entries WHERE seq = 7 RETURNING *`);
      try {
        expect(await verify()).toMatchObject({ ok: false, checked: 6, firstBrokenSeq: 7, firstBrokenId: Number(after.id) });
      } finally {
        await reinsert(su, rows);
      }
    });
    expect(removed.seq).toBe(7n);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('finds the last entries removed (a chain cut short) against the last signed checkpoint', async () => {
    await audit(db, { actor: 'x', role: 'system', action: 'test.head', target: 't' });
    await linkPendingAudit(db, { signer: signer(), checkpoint: 'now' });
    await withLinkingHeld(async () => {
      // No batch links or signs while the lock is held: the chain and its last checkpoint stand still.
      const cp = await db.auditCheckpoint.findFirstOrThrow({ orderBy: { id: 'desc' } });
      const cut = cp.seq - 2n;
      await asSuperuser(async (su) => {
        const { rows } = await su.query(`DELETE FROM audit_entries WHERE seq > $1 RETURNING *`, [String(cut)]);
        try {
          expect(rows.length).toBeGreaterThanOrEqual(2);
          const res = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() });
          expect(res.json()).toMatchObject({
            ok: false,
            checked: Number(cut),
            truncated: true,
            checkpoint: { seq: Number(cp.seq), signature: 'valid', holds: false },
          });
          expect(res.json().firstBrokenSeq).toBeUndefined();
          const text = verifyPageText(res.json());
          expect(text).toContain('哈希链被截断');
          expect(text).toContain(`链条只到第${cut}条记录，而最近的签名检查点记到第${cp.seq}条：末尾${cp.seq - cut}条记录已被删除。`);
          expect(text).toContain('链条已截断');
        } finally {
          await reinsert(su, rows);
        }
      });
    });
    expect(await verify()).toMatchObject({ ok: true, truncated: false });
  });

  it('finds a checkpoint whose signature is forged, or signed by a key not configured', async () => {
    const head = await db.auditEntry.findFirstOrThrow({ where: { seq: { not: null } }, orderBy: { seq: 'desc' } });
    const at = new Date();
    const fields = { seq: head.seq!, hash: head.hash!, at };
    const forgedWith = async (signature: string, keyId: string, expected: object) => {
      const cp = await db.auditCheckpoint.create({ data: { ...fields, keyId, signature } });
      try {
        const res = await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() });
        expect(res.json()).toMatchObject({ ok: false, checkpoint: expected });
        expect(verifyPageText(res.json())).toContain('检查点签名不符');
      } finally {
        await asSuperuser((su) => su.query(`DELETE FROM audit_checkpoints WHERE id = $1`, [String(cp.id)]));
      }
    };
    // Our key id, a signature of another head.
    await forgedWith(signCheckpoint(signer(), { ...fields, seq: fields.seq - 1n }), signer().keyId, { signature: 'invalid', holds: true });
    // Another key altogether.
    const other = auditSignerOf(generateAuditSigningKey());
    await forgedWith(signCheckpoint(other, fields), other.keyId, { signature: 'unverifiable' });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("records the actor's display name beside the id, and the chain covers it", async () => {
    const named = { ...OFFICER, sub: 'officer-with-a-name', name: '王晓明' };
    const read = await sys.app.inject({
      method: 'GET',
      url: '/v1/records/pending-review',
      headers: { authorization: `Bearer ${sys.token(named)}` },
    });
    expect(read.statusCode).toBe(200);
    const entry = await db.auditEntry.findFirst({ where: { actor: named.sub }, orderBy: { id: 'desc' } });
    expect(entry).toMatchObject({ actorName: '王晓明', action: 'records.pending_review.read' });
    // A later entry by the same actor carries the name though its writer knows only the id (as the worker does).
    expect((await audit(db, { actor: named.sub, role: 'officer', action: 'test.named', target: 't' })).actorName).toBe('王晓明');
    expect((await audit(db, { actor: 'nameless', role: 'system', action: 'test.named', target: 't' })).actorName).toBeNull();
    expect(
      (await audit(db, { actor: named.sub, actorName: null, role: 'officer', action: 'test.named', target: 't' })).actorName,
    ).toBeNull();

    await linkPendingAudit(db);
    const seq = (await db.auditEntry.findUniqueOrThrow({ where: { id: entry!.id } })).seq!;
    await asSuperuser(async (su) => {
      await su.query(`UPDATE audit_entries SET actor_name = '李四' WHERE seq = $1`, [String(seq)]);
      try {
        expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() })).json()).toMatchObject({
          ok: false,
          firstBrokenSeq: Number(seq),
        });
      } finally {
        await su.query(`UPDATE audit_entries SET actor_name = '王晓明' WHERE seq = $1`, [String(seq)]);
      }
    });
    expect((await sys.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: headers() })).json()).toMatchObject({ ok: true });
  });
});

describe('a chain written before the sequencer', () => {
  it('migrates, verifies as it was hashed, and goes on being extended by the sequencer', async () => {
    const name = `audit_old_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: testEnv().databaseSuperuserUrl });
    await admin.connect();
    const url = new URL(testEnv().databaseSuperuserUrl);
    url.pathname = `/${name}`;
    const before = mkdtempSync(join(tmpdir(), 'migrations-before-'));
    let old: Db | undefined;
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      // The migrations as they stood before this one.
      for (const m of listMigrations().filter((m) => m.name < '20261205160000')) {
        cpSync(join(MIGRATIONS_DIR, m.name), join(before, m.name), { recursive: true });
      }
      await applyMigrations(url.toString(), before);
      old = createDb(url.toString(), { poolSize: 2 });
      const oldDb = old;
      await oldDb.$executeRaw`INSERT INTO actor_names (sub, name, updated_at) VALUES ('named', '张三', now())`;
      for (let i = 0; i < 12; i += 1) {
        await oldDb.$transaction((tx) =>
          lockedAppend(tx, {
            actor: i % 3 === 0 ? 'named' : `old-${i}`,
            role: 'officer',
            action: 'old.write',
            target: `t${i}`,
            caseId: i % 2 ? `C-${i}` : null,
            detail: { i, nested: { z: [1, 2], a: 'x' } },
            eventKey: i % 4 === 0 ? `old-key-${i}` : null,
          }),
        );
      }
      await applyMigrations(url.toString());
      const migrated = await oldDb.auditEntry.findMany({ orderBy: { id: 'asc' } });
      expect(migrated.map((r) => [Number(r.id), Number(r.seq)])).toEqual(migrated.map((_, i) => [i + 1, i + 1]));
      expect(migrated[0]?.actorName).toBe('张三');
      expect(await verifyAuditChain(oldDb)).toEqual({ ok: true, checked: 12, unlinked: 0, truncated: false, checkpoint: null });

      // New entries follow on: ids after the old ones, seqs linked onto the old head, checkpoints signed.
      await audit(oldDb, { actor: 'new', role: 'system', action: 'new.write', target: 't' });
      const s = auditSignerOf(generateAuditSigningKey());
      expect(await linkPendingAudit(oldDb, { signer: s })).toMatchObject({ linked: 1, head: { seq: 13n }, checkpointed: true });
      expect(await verifyAuditChain(oldDb, { publicKey: s.publicKey, keyId: s.keyId })).toMatchObject({
        ok: true,
        checked: 13,
        checkpoint: { seq: 13, signature: 'valid', holds: true },
      });
      expect((await oldDb.auditEntry.findUniqueOrThrow({ where: { seq: 13n } })).id).toBe(13n);
    } finally {
      await old?.$disconnect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      rmSync(before, { recursive: true, force: true });
    }
  });
});

/** Puts rows a test removed back as they were (triggers off, in the superuser's session). */
async function reinsert(su: Client, rows: Record<string, unknown>[]): Promise<void> {
  for (const r of rows) {
    const cols = Object.keys(r);
    await su.query(
      `INSERT INTO audit_entries (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => (c === 'detail' ? JSON.stringify(r[c]) : r[c])),
    );
  }
}
