import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { caseRecordActivities } from './case-records';
import { cachedCalendar, calendarActivities, type CalendarSource } from './calendar';
import { loadCalendar } from '../db/calendar-store';
import { listingDocumentActivities } from './listing-documents';
import { listingLinkActivities } from './listing-link';
import { objectionDocumentActivities } from './objection-documents';
import { repairDocumentActivities } from './repair-documents';
import { incidentActivities } from './incidents';
import { faultsAsVerdicts } from './faults';
import { reminderActivities } from './reminders';
import { exchangeDeliveryActivities } from './exchange-delivery';
import type { ExchangeAdapter } from '../exchange/adapter';
import { electronicServiceActivities, type ElectronicServiceDeps } from './electronic-service';

/** The embedded default's console, for the links in messages when no CONSOLE_PUBLIC_URL is given. */
const DEFAULT_CONSOLE_URL = 'http://127.0.0.1:3000';

export interface ActivityDeps {
  db: Db;
  /** Where the statutory calendar comes from; the database's by default. */
  calendar?: CalendarSource;
  /**
   * How long the database's calendar is computed on before Postgres is asked again (activities/calendar.ts,
   * cachedCalendar); 0, the default, asks at every computation. The worker runs with CALENDAR_MAX_AGE_MS.
   */
  calendarMaxAgeMs?: number;
  /** For activities that act on another case's workflow (an objection or a repair ending a listing). */
  temporal?: Client;
  /**
   * Where e-mails and SMS go, and the console's address for their links: documents served electronically
   * (activities/electronic-service.ts) and the reminders (activities/reminders.ts). Without a messenger nothing is sent.
   */
  delivery?: ElectronicServiceDeps;
  /** The platform the exchange's outbox is delivered to (worker.ts, exchangeAdapterOf); none: the outbox waits. */
  exchange?: ExchangeAdapter | null;
}

/**
 * Builds every activity with its dependencies, as Temporal's samples do, so tests can pass their own. A step
 * that can never succeed (a configuration or data fault) fails at once instead of being retried.
 */
export function createActivities(deps: ActivityDeps) {
  const calendar = deps.calendar ?? cachedCalendar(() => loadCalendar(deps.db), { maxAgeMs: deps.calendarMaxAgeMs ?? 0 });
  return faultsAsVerdicts({
    ...caseRecordActivities(deps.db),
    ...calendarActivities(deps.db, calendar),
    ...sendingWhatIsServed(deps),
    ...listingLinkActivities(deps.temporal),
    ...objectionDocumentActivities(deps.db),
    ...repairDocumentActivities(deps.db),
    ...incidentActivities(deps.db),
    ...reminderActivities({
      db: deps.db,
      calendar,
      ...(deps.delivery?.messenger ? { messenger: deps.delivery.messenger } : {}),
      consoleUrl: deps.delivery?.consoleUrl ?? DEFAULT_CONSOLE_URL,
    }),
    ...exchangeDeliveryActivities({ db: deps.db, adapter: deps.exchange ?? null }),
  });
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * The listing documents' activities, with a document served electronically also sent to the subject's consented address
 * (best effort: its service is recorded as before whatever the send does).
 */
function sendingWhatIsServed(deps: ActivityDeps) {
  const docs = listingDocumentActivities(deps.db);
  const sending = electronicServiceActivities(deps.db, deps.delivery ?? { consoleUrl: DEFAULT_CONSOLE_URL });
  return {
    ...docs,
    ...sending,
    async issueListingDocument(req: Parameters<typeof docs.issueListingDocument>[0]) {
      const meta = await docs.issueListingDocument(req);
      if (req.served?.method === 'electronic') await sending.sendToConsentedAddress(meta.id);
      return meta;
    },
    async markDocumentServed(req: Parameters<typeof docs.markDocumentServed>[0]) {
      await docs.markDocumentServed(req);
      if (req.method === 'electronic') await sending.sendToConsentedAddress(req.documentId);
    },
  };
}
