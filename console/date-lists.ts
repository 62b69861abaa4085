/**
 * The days of a holiday notice as a supervisor types them: dates and ranges (`2027-10-01至2027-10-07`, `~` or `..`
 * too), separated by lines, commas or spaces. What is not a date is kept as typed, so the API names it.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 60;

function daysOf(from: string, to: string): string[] | null {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a || (b - a) / 86_400_000 >= MAX_RANGE_DAYS) return null;
  const out: string[] = [];
  for (let t = a; t <= b; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function expandDates(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const range = /^(\S+?)(?:至|~|\.\.)(\S+)$/.exec(token);
    const days = range && DATE.test(range[1] ?? '') && DATE.test(range[2] ?? '') ? daysOf(range[1] ?? '', range[2] ?? '') : null;
    if (days) out.push(...days);
    else out.push(token);
  }
  return [...new Set(out)];
}
