import type { Db, Tx } from './client';

/** A consented electronic service address (service_addresses), as the services that send to it read it. */
export interface ConsentedAddress {
  id: string;
  subjectId: string;
  /** email or sms (a mobile number). */
  channel: 'email' | 'sms';
  address: string;
  consentedAt: Date;
  consentDocument: string;
  consentFileId: string | null;
  recordedBy: string;
  recordedAt: Date;
}

/** The subject's addresses whose consent has not been withdrawn, newest first (the first is where a document goes). */
export async function consentedAddressesOf(db: Db | Tx, subjectId: string): Promise<ConsentedAddress[]> {
  const rows = await db.serviceAddress.findMany({
    where: { subjectId, withdrawnAt: null },
    orderBy: [{ consentedAt: 'desc' }, { recordedAt: 'desc' }, { id: 'desc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    subjectId: r.subjectId,
    channel: r.channel === 'sms' ? 'sms' : 'email',
    address: r.address,
    consentedAt: r.consentedAt,
    consentDocument: r.consentDocument,
    consentFileId: r.consentFileId,
    recordedBy: r.recordedBy,
    recordedAt: r.recordedAt,
  }));
}
