/**
 * Each error at its field, besides the summary at the top (console/ui.tsx ErrorSummary): the API's problems and the
 * console's own pre-check name fields by path (`body.basisDocuments.1.issuedOn`, or the form's `basisDocuments.1.issuedOn`),
 * which are the fields' ids without `f-`.
 */
import { fieldIdOf } from './ui';

export type FormErrors = readonly { path: string; message: string }[] | undefined;

/** The messages of the errors at one field (any of `ids`), joined; undefined when it has none. */
export function errorAt(errors: FormErrors, ...ids: string[]): string | undefined {
  const messages = (errors ?? []).filter((e) => ids.includes(fieldIdOf(e.path))).map((e) => e.message);
  return messages.length ? [...new Set(messages)].join('；') : undefined;
}

/** The error shown where the field is, above its input; the input names it in aria-describedby (`f-<id>-error`). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`f-${id}-error`}>
      <span class="visually-hidden">错误：</span>
      {message}
    </p>
  );
}

/** The attributes an input with an error carries: aria-invalid, and its error among what describes it. */
export function invalidProps(id: string, message: string | undefined, describedBy?: string): Record<string, string | undefined> {
  const ids = [describedBy, message ? `f-${id}-error` : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': message ? 'true' : undefined, 'aria-describedby': ids || undefined };
}
