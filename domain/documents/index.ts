/**
 * Documents of the serious-dishonesty listing procedure (regulation Art 43-48), in Chinese, as structured
 * fields plus a printable A4 HTML page and its SHA-256. Pure and deterministic: no I/O, no clock, no host
 * timezone; every date and instant is passed in. Uses node:crypto, so call it from activities or the API,
 * not from workflow code (the Temporal workflow sandbox has no node:crypto).
 */
export * from './types';
export { escapeHtml, sha256Hex } from './html';
export { formatDate, formatPeriod, shanghaiDate, REGULATION } from './text';
export { renderPreListingNotice, PRE_LISTING_NOTICE_TITLE, type PreListingNoticeInput } from './pre-listing-notice';
export { renderRecognitionDocument, RECOGNITION_DOCUMENT_TITLE, type RecognitionDocumentInput } from './recognition-document';
export { renderDismissalNotice, DISMISSAL_NOTICE_TITLE, type DismissalNoticeInput } from './dismissal-notice';
export {
  renderRemovalNotice,
  REMOVAL_NOTICE_TITLE,
  REMOVAL_OUTCOME_LABELS,
  removalOutcomes,
  type RemovalNoticeInput,
  type RemovalOutcome,
} from './removal-notice';
export { documentTermsFromPolicy, type DocumentTerms } from './policy-terms';
