/** The identifiers' checksum faults in Chinese, at the form's field paths: said before the schema's own checks. */
import { faultTextZh, residentIdFault, usccFault } from '../domain/identity-checks';

export function identityProblemsZh(
  body: { subject?: { kind?: unknown; id?: unknown }; responsiblePersons?: unknown },
  today: string,
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const s = body.subject ?? {};
  if (typeof s.kind === 'string' && typeof s.id === 'string' && s.id) {
    const kind = s.kind === 'natural_person' ? 'resident' : 'uscc';
    const fault = kind === 'resident' ? residentIdFault(s.id, today) : usccFault(s.id);
    if (fault) out.push({ path: 'subject.id', message: faultTextZh(kind, fault) });
  }
  const persons = Array.isArray(body.responsiblePersons) ? (body.responsiblePersons as { idNumber?: unknown }[]) : [];
  persons.forEach((p, i) => {
    const fault = typeof p.idNumber === 'string' && p.idNumber ? residentIdFault(p.idNumber, today) : null;
    if (fault) out.push({ path: `responsiblePersons.${i}.idNumber`, message: faultTextZh('resident', fault) });
  });
  return out;
}

/** The first problem said for each field (the Chinese checksum before the schema's or a rule's words for it). */
export function firstPerField<T extends { path: string }>(problems: T[]): T[] {
  return problems.filter((e, i) => problems.findIndex((x) => x.path.replace(/^body\./, '') === e.path.replace(/^body\./, '')) === i);
}
