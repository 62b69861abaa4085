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
import type { Messenger } from '../messaging/messenger';
import { exchangeDeliveryActivities } from './exchange-delivery';
import type { ExchangeAdapter } from '../exchange/adapter';

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
  /** Where e-mails and SMS go (the reminders); without one they send nothing. */
  messenger?: Messenger;
  /** The console's address as recipients reach it, for the links in messages. */
  consolePublicUrl?: string;
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
    ...listingDocumentActivities(deps.db),
    ...listingLinkActivities(deps.temporal),
    ...objectionDocumentActivities(deps.db),
    ...repairDocumentActivities(deps.db),
    ...incidentActivities(deps.db),
    ...reminderActivities({
      db: deps.db,
      calendar,
      ...(deps.messenger ? { messenger: deps.messenger } : {}),
      consoleUrl: deps.consolePublicUrl ?? 'http://localhost:3000',
    }),
    ...exchangeDeliveryActivities({ db: deps.db, adapter: deps.exchange ?? null }),
  });
}

export type Activities = ReturnType<typeof createActivities>;
