import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';

/** The patches the history recorded markers for, in order, and how often it upserted search attributes (one per patch). */
export async function patchesRecorded(h: WorkflowHandle): Promise<{ patches: string[]; upserts: number }> {
  const events = (await h.fetchHistory()).events ?? [];
  const patches = events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => {
      const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
      const value: unknown = data ? JSON.parse(Buffer.from(data).toString()) : undefined;
      return typeof value === 'string' ? value : ((value as { id?: string } | undefined)?.id ?? '?');
    });
  const upserts = events.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES).length;
  return { patches, upserts };
}
