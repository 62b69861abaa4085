/**
 * Electronic service addresses and their consent (行政处罚法 Art 61; 送达地址确认书): an officer records the address a
 * subject named with the document that gave it; a subject records their own in the console (the confirmation page they
 * agree to is the document) and may withdraw it. A document is served electronically only to an address not withdrawn.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { appendAudit } from '../db/audit';
import type { Principal } from './plugins/auth';
import type { ServiceAddressView, ServiceChannel } from '../contract/service-addresses';
import { SUBJECT_CONSENT_DOCUMENT } from '../contract/service-addresses';
import { conflict, forbidden, notFound, unprocessable } from './problem';
import { consentedAddressesOf, type ConsentedAddress } from '../db/service-addresses';
import { shanghaiDate } from '../workflows/common/dates';
import { visibleTo } from './case-reads';

export interface NewServiceAddress {
  channel: ServiceChannel;
  address: string;
  /** The consent's date (the document's); the subject's own consent is dated when it is given. */
  consentedOn?: string | undefined;
  consentDocument?: string | undefined;
  consentFileId?: string | undefined;
}

type AddressRow = Awaited<ReturnType<Db['serviceAddress']['findFirstOrThrow']>>;

export function addressView(r: AddressRow): ServiceAddressView {
  return {
    id: r.id,
    subjectId: r.subjectId,
    channel: r.channel === 'sms' ? 'sms' : 'email',
    address: r.address,
    consentedAt: r.consentedAt.toISOString(),
    consentDocument: r.consentDocument,
    consentFileId: r.consentFileId,
    recordedBy: r.recordedBy,
    recordedAt: r.recordedAt.toISOString(),
    withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
    withdrawnBy: r.withdrawnBy,
  };
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `SVA-YYYYMMDD-XXXXXXXXXX`, in the shape of the other ids (api/case-ids.ts). */
export function newAddressId(now: Date): string {
  let suffix = '';
  for (const b of randomBytes(10)) suffix += ALPHABET.charAt(b % 32);
  return `SVA-${shanghaiDate(now).replaceAll('-', '')}-${suffix}`;
}

/** A subject reaches only their own addresses; another's are answered as if there were none to find. */
/**
 * Who may read and record a subject's service addresses: the subject, a supervisor, and an officer whose department
 * has a case of the subject (its own, or one it is involved in), the one who serves it documents. Anyone else is told
 * there is nothing, as for a case they may not see: a person's contact details are not every official's to read.
 */
export async function mayReach(db: Db, p: Principal, subjectId: string): Promise<void> {
  const nothing = () => notFound({ zh: `没有信用主体 ${subjectId} 的送达地址`, en: `no service addresses of subject ${subjectId}` });
  if (p.role === 'subject' && p.subjectId !== subjectId) throw nothing();
  if (p.role === 'officer' && (await db.case.count({ where: { AND: [{ subjectId }, visibleTo(p)] }, take: 1 })) === 0) throw nothing();
}

export async function listAddresses(db: Db, { p, subjectId, now }: { p: Principal; subjectId: string; now: Date }) {
  await mayReach(db, p, subjectId);
  const rows = await db.serviceAddress.findMany({
    where: { subjectId },
    orderBy: [{ consentedAt: 'desc' }, { recordedAt: 'desc' }, { id: 'desc' }],
  });
  // An official reading a person's contact details leaves a trace, as reads of credit data do.
  if (p.role !== 'subject')
    await appendAudit(db, {
      at: now,
      actor: p.sub,
      role: p.role,
      action: 'service_address.read',
      target: `subjects:${subjectId}:service-addresses`,
      subjectId,
      detail: { count: rows.length },
    });
  return rows.map(addressView);
}

export async function recordAddress(
  db: Db,
  { p, subjectId, body, id, now }: { p: Principal; subjectId: string; body: NewServiceAddress; id: string; now: Date },
): Promise<ServiceAddressView> {
  await mayReach(db, p, subjectId);
  if (p.role === 'supervisor')
    throw forbidden({ zh: '送达地址由承办人员或信用主体本人登记', en: 'service addresses are recorded by an officer or the subject' });
  const own = p.role === 'subject';
  const consentedAt = own ? now : consentInstant(body.consentedOn, now);
  const consentDocument = own ? SUBJECT_CONSENT_DOCUMENT : body.consentDocument?.trim();
  if (!consentDocument)
    throw unprocessable({ zh: '须写明载有同意电子送达的文书', en: 'name the document that gave the consent' }, [
      { path: 'body.consentDocument', message: { zh: '请填写文书编号或名称', en: 'required for an officer' } },
    ]);
  if (body.consentFileId) await ownUpload(db, p, body.consentFileId);
  const existing = await db.serviceAddress.findFirst({
    where: { id: { not: id }, subjectId, channel: body.channel, address: body.address, withdrawnAt: null },
  });
  if (existing)
    throw conflict(
      {
        zh: `该地址已登记（${existing.id}）；如需更新同意，先撤回原登记`,
        en: `this address is already recorded (${existing.id}); withdraw it first to record a new consent`,
      },
      { addressId: existing.id },
    );
  return db.$transaction(async (tx) => {
    const row =
      (await tx.serviceAddress.findUnique({ where: { id } })) ??
      (await tx.serviceAddress.create({
        data: {
          id,
          subjectId,
          channel: body.channel,
          address: body.address,
          consentedAt,
          consentDocument,
          consentFileId: body.consentFileId ?? null,
          recordedBy: p.sub,
          recordedAt: now,
        },
      }));
    await appendAudit(tx, {
      at: now,
      actor: p.sub,
      role: p.role,
      action: 'service_address.record',
      target: `service-addresses:${id}`,
      subjectId,
      eventKey: `service_address.record:${id}`,
      detail: { channel: row.channel, address: row.address, consentedAt: row.consentedAt.toISOString(), consentDocument },
    });
    return addressView(row);
  });
}

export async function withdrawAddress(
  db: Db,
  { p, subjectId, addressId, now }: { p: Principal; subjectId: string; addressId: string; now: Date },
): Promise<ServiceAddressView> {
  await mayReach(db, p, subjectId);
  if (p.role === 'supervisor')
    throw forbidden({ zh: '撤回由信用主体本人或承办人员登记', en: 'a withdrawal is recorded by the subject or an officer' });
  const row = await db.serviceAddress.findFirst({ where: { id: addressId, subjectId } });
  if (!row) throw notFound({ zh: `没有送达地址 ${addressId}`, en: `no service address ${addressId}` });
  if (row.withdrawnAt)
    throw conflict(
      {
        zh: `该地址的同意已于 ${row.withdrawnAt.toISOString()} 撤回`,
        en: `consent to this address was withdrawn at ${row.withdrawnAt.toISOString()}`,
      },
      { withdrawnAt: row.withdrawnAt.toISOString() },
    );
  return db.$transaction(async (tx) => {
    const updated = await tx.serviceAddress.update({ where: { id: addressId }, data: { withdrawnAt: now, withdrawnBy: p.sub } });
    await appendAudit(tx, {
      at: now,
      actor: p.sub,
      role: p.role,
      action: 'service_address.withdraw',
      target: `service-addresses:${addressId}`,
      subjectId,
      detail: { channel: row.channel, address: row.address },
    });
    return addressView(updated);
  });
}

/**
 * The address an electronic service goes to: the one named (it must be consented), else the newest consented. A
 * subject with none is refused with what to do (409), before the case is asked.
 */
export async function addressForService(
  db: Db,
  { subjectId, addressId }: { subjectId: string; addressId?: string | undefined },
): Promise<ConsentedAddress> {
  const consented = await consentedAddressesOf(db, subjectId);
  if (addressId) {
    const chosen = consented.find((a) => a.id === addressId);
    if (!chosen)
      throw conflict(
        {
          zh: `送达地址 ${addressId} 不是当事人现行同意的电子送达地址；请选择其现行地址，或改用其他送达方式`,
          en: `${addressId} is not an address the subject currently consents to; choose a consented one, or serve by another method`,
        },
        { reason: 'no_consented_address', subjectId },
      );
    return chosen;
  }
  const first = consented[0];
  if (!first)
    throw conflict(
      {
        zh: '当事人未确认电子送达地址（行政处罚法第六十一条：电子送达须经当事人同意并签订送达地址确认书）。请先登记其同意的电子邮箱或手机号码，或改用直接送达、邮寄送达',
        en: 'the subject has not consented to electronic service (行政处罚法 Art 61): record their consented e-mail or mobile number first, or serve in person or by mail',
      },
      { reason: 'no_consented_address', subjectId },
    );
  return first;
}

function consentInstant(day: string | undefined, now: Date): Date {
  if (!day)
    throw unprocessable({ zh: '须写明同意的日期', en: 'the date of the consent is required' }, [
      { path: 'body.consentedOn', message: { zh: '请填写日期', en: 'required for an officer' } },
    ]);
  // 行政处罚法 took effect in 1996; an earlier date is a typing error (and year 0 is no date Postgres keeps).
  if (day < '1996-10-01')
    throw unprocessable({ zh: '同意的日期不能早于1996年10月1日', en: 'the consent cannot be dated before 1996-10-01' }, [
      { path: 'body.consentedOn', message: { zh: '日期过早', en: 'too early' } },
    ]);
  if (day > shanghaiDate(now))
    throw unprocessable({ zh: '同意的日期不能晚于今天', en: 'the consent cannot be dated after today' }, [
      { path: 'body.consentedOn', message: { zh: '不能晚于今天', en: 'after today' } },
    ]);
  return new Date(`${day}T00:00:00+08:00`);
}

async function ownUpload(db: Db, p: Principal, fileId: string): Promise<void> {
  const row = await db.fileUpload.findUnique({ where: { id: fileId } });
  if (!row || row.uploader !== p.sub)
    throw unprocessable({ zh: '确认书文件须为您本人上传的文件', en: 'consentFileId must name an upload of yours' }, [
      { path: 'body.consentFileId', message: { zh: '没有您上传的此文件', en: 'no upload of yours has this id' } },
    ]);
}
