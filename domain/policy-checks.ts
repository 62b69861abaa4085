/**
 * Whether a policy override may be stored: it must keep to the law it cites (the floors and ceilings of
 * calendar/policy-bounds.ts), name a department that exists, rest a `text` confidence on a named act, and leave
 * every table it touches runnable by the clocks and documents (policy-trial.ts). Pure: the caller passes the
 * overrides already stored, the departments and the calendar.
 */
import type { FieldWords } from '../contract/problem';
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

/** A reason against a policy override at its field, in both languages. */
export type OverrideProblem = FieldWords;

const NAMES_NOTHING = (source: string) => ({
  zh: `依据“${source}”未写明任何内容：请注明设定这些取值的法律法规`,
  en: `source "${source}" names nothing: cite the act that sets the values`,
});

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
  if (o.source !== undefined && !saysSomething(o.source)) out.push({ path: 'body.source', message: NAMES_NOTHING(o.source) });
  for (const [key, raw] of Object.entries(o.values)) {
    const v = raw as EntryValues | undefined;
    if (!v) continue;
    if (v.source !== undefined && !saysSomething(v.source)) {
      out.push({
        path: `body.values.${key}.source`,
        message: NAMES_NOTHING(v.source),
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
        message: {
          zh: `${key}：confidence 为“text”时须注明所依据的法律法规及条款`,
          en: `${key}: confidence "text" needs a source naming the act and article it was read in`,
        },
      });
    } else if (!namesAnAct(named)) {
      out.push({
        path: v.source !== undefined ? `body.values.${key}.source` : 'body.source',
        message: {
          zh: `${key}：confidence 为“text”时依据须写明法律法规（《…》、文号如国办发〔2025〕22号，或法规名称）；“${named}”未写明`,
          en: `${key}: confidence "text" needs a source naming an act (《…》, a document number such as 国办发〔2025〕22号, or an act's name); "${named}" names none`,
        },
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
    out.push({
      path: 'body.department',
      message: {
        zh: `部门 ${o.department} 不存在（GET /v1/departments）`,
        en: `department ${o.department} does not exist (GET /v1/departments)`,
      },
    });
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
    const k = `${p.path}\n${p.message.en}`;
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
        const message = (err as Error).message;
        add({ path: key ? `body.values.${key}` : 'body.values', message: { zh: `政策取值无法解析（${message}）`, en: message } });
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
