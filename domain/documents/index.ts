/**
 * Documents of the three procedures (listing, Art 43-48; objection, Art 49, 51; credit repair, Art 52) and
 * the credit report (Art 50), in Chinese, as structured fields plus a printable A4 HTML page and its SHA-256. Pure and deterministic: no I/O, no clock, no host
 * timezone; every date and instant is passed in. Uses node:crypto, so call it from activities or the API,
 * not from workflow code (the Temporal workflow sandbox has no node:crypto).
 */
export * from './types';
export { escapeHtml, sha256Hex } from './html';
export { formatDate, formatPeriod, shanghaiDate, REGULATION } from './text';
export { renderPreListingNotice, PRE_LISTING_NOTICE_TITLE, type PreListingNoticeInput } from './pre-listing-notice';
export { renderRecognitionDocument, RECOGNITION_DOCUMENT_TITLE, type RecognitionDocumentInput } from './recognition-document';
export { renderDismissalNotice, DISMISSAL_NOTICE_TITLE, type DismissalNoticeInput } from './dismissal-notice';
export { renderWindowReopenedNotice, WINDOW_REOPENED_NOTICE_TITLE, type WindowReopenedNoticeInput } from './window-reopened-notice';
export {
  renderRemovalNotice,
  REMOVAL_NOTICE_TITLE,
  REMOVAL_OUTCOME_LABELS,
  removalOutcomes,
  type RemovalNoticeInput,
  type RemovalOutcome,
} from './removal-notice';
export {
  renderResponsiblePersonNotice,
  RESPONSIBLE_PERSON_NOTICE_TITLE,
  type ResponsiblePersonNoticeInput,
} from './responsible-person-notice';
export {
  renderObjectionResultNotice,
  OBJECTION_RESULT_NOTICE_TITLE,
  OBJECTION_OUTCOME_LABELS,
  OBJECTION_GROUNDS_LABELS,
  objectionOutcomes,
  objectionGrounds,
  type ObjectionResultNoticeInput,
  type ObjectionOutcome,
  type ObjectionGrounds,
} from './objection-result-notice';
export {
  renderRepairDecision,
  REPAIR_DECISION_TITLE,
  REPAIR_OUTCOME_LABELS,
  repairOutcomes,
  type RepairDecisionInput,
  type RepairOutcome,
  type RepairTarget,
} from './repair-decision';
export {
  renderCreditReport,
  CREDIT_REPORT_TITLE,
  OBJECTION_MARK,
  type CreditReportInput,
  type CreditReportRecord,
  type CreditReportListing,
} from './credit-report';
export { RECORD_CATEGORY_LABELS, RECORD_SEVERITY_LABELS, RESPONSIBLE_ROLE_LABELS, type RecordSeverity } from './text';
export { documentTermsFromPolicy, type DocumentTerms } from './policy-terms';
