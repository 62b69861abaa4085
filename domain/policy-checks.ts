/**
 * Whether a policy override may be stored: it must keep to the law it cites (the floors and ceilings of
 * calendar/policy-bounds.ts), name a department that exists, rest a `text` confidence on a named act, and leave
 * every table it touches runnable by the clocks and documents (policy-trial.ts). Pure: the caller passes the
 * overrides already stored, the departments and the calendar.
 */
import {
  defaultPolicy,
  namesAnAct,
  periodKeys,
  policyTableProblems,
  procedures,
  resolvePolicy,
  saysSomething,
  type PolicyOverride,
  type StatutoryCalendar,
} from './calendar';
import { policyTrialProblems } from './policy-trial';

export interface OverrideProblem {
  path: string;
  message: string;
}

export interface OverrideCheckInput {
  override: PolicyOverride;
  /** The overrides in force, in the order they were made. */
  existing: readonly PolicyOverride[];
  /** Codes of the departments of the reference data. */
  departments: readonly string[];
  calendar: StatutoryCalendar;
  /** Asia/Shanghai date: the rules in force and the sample day of the trial. */
  today: string;
}

type EntryValues = { source?: string; confidence?: string } & Record<string, unknown>;

function sourceProblems(o: PolicyOverride): OverrideProblem[] {
  const out: OverrideProblem[] = [];
  if (o.source !== undefined && !saysSomething(o.source))
    out.push({ path: 'body.source', message: `source "${o.source}" names nothing: cite the act that sets the values` });
  for (const [key, raw] of Object.entries(o.values)) {
    const v = raw as EntryValues | undefined;
    if (!v) continue;
    if (v.source !== undefined && !saysSomething(v.source)) {
      out.push({
        path: `body.values.${key}.source`,
        message: `source "${v.source}" names nothing: cite the act that sets the values`,
      });
      continue;
    }
    const named = v.source ?? o.source;
    // resolvePolicy takes a named act as `text` unless told otherwise: the claim must rest on an act.
    const confidence = v.confidence ?? (named ? 'text' : 'unverified');
    if (confidence !== 'text') continue;
    if (!named) {
      out.push({
        path: `body.values.${key}.confidence`,
        message: `${key}: confidence "text" needs a source naming the act and article it was read in`,
      });
    } else if (!namesAnAct(named)) {
      out.push({
        path: v.source !== undefined ? `body.values.${key}.source` : 'body.source',
        message: `${key}: confidence "text" needs a source naming an act (《…》, a document number such as 国办发〔2025〕22号, or an act's name); "${named}" names none`,
      });
    }
  }
  return out;
}

/** Every problem of the override, each once, with the path of the entry it concerns. Empty when it may be stored. */
export function overrideProblems(input: OverrideCheckInput): OverrideProblem[] {
  const { override: o, existing, departments, calendar, today } = input;
  const out: OverrideProblem[] = [];
  if (o.department !== undefined && !departments.includes(o.department)) {
    out.push({ path: 'body.department', message: `department ${o.department} does not exist (GET /v1/departments)` });
  }
  out.push(...sourceProblems(o));

  const touched = new Set(
    // An optional entry may be there as undefined, which the type of Object.entries leaves out.
    Object.entries<unknown>(o.values)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k),
  );
  // A global or procedure-wide override meets each department's own overrides: try every table it reaches.
  const depts = o.department !== undefined ? [o.department] : ['*', ...departments];
  const procs = o.procedure !== undefined ? [o.procedure] : procedures;
  const base = defaultPolicy(today);
  const seen = new Set<string>();
  const add = (p: OverrideProblem) => {
    const k = `${p.path}\n${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  };
  for (const procedure of procs) {
    for (const department of depts) {
      let policy;
      try {
        policy = resolvePolicy(base, [...existing, o], { procedure, department });
      } catch (err) {
        const key = /policy (\w+)/.exec((err as Error).message)?.[1];
        add({ path: key ? `body.values.${key}` : 'body.values', message: (err as Error).message });
        continue;
      }
      for (const p of policyTableProblems(policy, touched)) add({ path: `body.values.${p.path}`, message: p.message });
      for (const p of policyTrialProblems(policy, calendar, today)) {
        add({
          path:
            (periodKeys as readonly string[]).includes(p.path) || p.path.startsWith('publicity_') ? `body.values.${p.path}` : 'body.values',
          message: p.message,
        });
      }
    }
  }
  return out;
}
