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

/** What a subject's own consent given in the console is recorded as: the confirmation page they agreed to. */
export const SUBJECT_CONSENT_DOCUMENT = '信用信息平台控制台《电子送达地址确认书》（当事人本人在线确认）';

/** Mainland mobile numbers; the one rule the API and the console's form share. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;
