/** A subject's electronic service address as the API and the console show it (行政处罚法 Art 61, 送达地址确认书). */
export type ServiceChannel = 'email' | 'sms';

export interface ServiceAddressView {
  id: string;
  subjectId: string;
  channel: ServiceChannel;
  address: string;
  /** When the subject consented (the date the consent document gives). */
  consentedAt: string;
  /** The document that gave the address and the consent: its number or title. */
  consentDocument: string;
  consentFileId: string | null;
  recordedBy: string;
  recordedAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}
