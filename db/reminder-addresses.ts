import type { Db } from './client';

export interface ConsentedAddress {
  id: string;
  channel: 'email' | 'sms';
  address: string;
}

/**
 * A subject's consented electronic service addresses (行政处罚法 Art 61: only an address the subject named and agreed
 * to). Stands in for `consentedAddressesOf(db, subjectId)` of db/service-addresses.ts (branch x-service) until it
 * lands: the one place the reminders read service_addresses, so the lead swaps this call for that one.
 */
export async function consentedAddressesOf(db: Db, subjectId: string): Promise<ConsentedAddress[]> {
  const rows = await db.serviceAddress.findMany({
    where: { subjectId, withdrawnAt: null },
    orderBy: [{ consentedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, channel: true, address: true },
  });
  return rows.filter((r): r is ConsentedAddress => r.channel === 'email' || r.channel === 'sms');
}
