/**
 * The record types the system writes itself, with no officer supplying them (so no review step applies): a
 * listing's own record and an Art 48 person's entry. Pure, and safe for workflow code, which must tell an entry
 * from the listing's own record (an objection to an entry cannot remove the organisation from the list).
 */

/** A serious-dishonesty listing's own record of the listed subject (made when it is published). */
export const LISTING_RECORD_TYPE = 'serious_dishonesty_listing';

/** Art 48: a responsible person's own record of their organisation's listing (DOMAIN.md procedure 1 step 8). */
export const RESPONSIBLE_PERSON_ENTRY_TYPE = 'responsible_person_entry';
