/**
 * zod pieces the action definitions share with the API's schemas. The workflows never import them (the API parses
 * every body): a schema built at a module's top level in the workflow bundle is built again for every workflow.
 */
import { z } from 'zod';
import { SERVICE_METHODS } from '../../domain/calendar/service';

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a calendar date')
  .meta({ format: 'date', example: '2026-12-01' });

/** An instant with an explicit offset (RFC 3339), as API.md requires. */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 instant with offset' })
  .meta({ example: '2026-12-01T10:00:00+08:00' });

/** Free text a person writes: trimmed, not empty, bounded. */
export const text = (max: number) => z.string().regex(/\S/, 'must not be blank').trim().min(1).max(max);

export const serviceMethod = z.enum(SERVICE_METHODS);

export const evidence = z.array(z.object({ title: text(300), description: text(5_000) })).max(50);

/**
 * Evidence as files (issue 22): ids of the caller's uploads (POST /v1/files), at most 20 a filing. Optional wherever it
 * is taken, so histories recorded before it replay unchanged; the API checks the ids are the caller's own and free.
 */
export const evidenceFiles = z
  .array(z.string().regex(/^UPL-\d{8}-[0-9A-Z]{10}$/, 'is not an upload id'))
  .max(20)
  .describe("upload ids from POST /v1/files (the caller's own, attached to no other filing), at most 20");
