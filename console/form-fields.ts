/**
 * The console's action forms, derived from the action definitions' zod bodies (workflows/<procedure>/actions.ts)
 * through their JSON Schema, so a form asks for exactly what the API takes. Form values go back to a JSON body
 * here; the API then validates it with the same schema, so the console can never allow what the API refuses.
 */
import { z } from 'zod';
import type { ActionDefinition } from '../workflows/common/action-definitions';
import { evidenceFilesOf } from './evidence';
import { fromLocalInput } from './time';
import { schemaMessageZh } from '../contract/schema-words';

type Json = {
  type?: string;
  enum?: string[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  items?: Json;
  properties?: Record<string, Json>;
  required?: string[];
  anyOf?: Json[];
};

export type Field =
  | {
      name: string;
      kind: 'text' | 'textarea' | 'datetime' | 'date' | 'number' | 'lines';
      required: boolean;
      maxLength?: number;
    }
  | {
      name: string;
      kind: 'choice';
      required: boolean;
      options: string[];
      /** Each option's words, where they are not a fixed vocabulary's (console/labels.ts VALUE): a subject's addresses. */
      labels?: Record<string, string>;
      /** The empty choice's words, where leaving it empty means something (the API's default). */
      blank?: string;
    }
  | { name: string; kind: 'checkbox'; required: false }
  /** Evidence files (upload ids): an EvidenceField, uploaded through console/evidence.tsx before the body is made. */
  | { name: string; kind: 'files'; required: false }
  | { name: string; kind: 'rows'; required: boolean; columns: string[]; rows: number };

/** The fields of an action's form; a union of bodies (objection `decide`) is one form with every field, required where all need it. */
export function fieldsOf(def: ActionDefinition): Field[] {
  const schema = z.toJSONSchema(def.body, { io: 'input', unrepresentable: 'any' }) as Json;
  const variants = schema.anyOf ?? [schema];
  const seen = new Map<string, { json: Json; required: number; options: Set<string> }>();
  for (const v of variants) {
    for (const [name, json] of Object.entries(v.properties ?? {})) {
      let f = seen.get(name);
      if (!f) {
        seen.set(name, (f = { json, required: 0, options: new Set() }));
      }
      for (const o of json.enum ?? []) f.options.add(o);
      if (v.required?.includes(name)) f.required += 1;
    }
  }
  // A Map keeps its keys in the order first seen, which is the order of the form.
  return [...seen].map(([name, { json, required, options }]): Field => {
    const req = required === variants.length;
    if (options.size) return { name, kind: 'choice', required: req, options: [...options] };
    if (json.type === 'boolean') return { name, kind: 'checkbox', required: false };
    if (json.type === 'array' && json.items?.pattern?.startsWith('^UPL-')) return { name, kind: 'files', required: false };
    if (json.type === 'integer' || json.type === 'number') return { name, kind: 'number', required: req };
    if (json.type === 'array' && json.items?.type === 'object') {
      return { name, kind: 'rows', required: req, columns: Object.keys(json.items.properties ?? {}), rows: 3 };
    }
    if (json.type === 'array') return { name, kind: 'lines', required: req };
    if (json.format === 'date-time') return { name, kind: 'datetime', required: req };
    if (json.format === 'date') return { name, kind: 'date', required: req };
    const long = (json.maxLength ?? 0) > 300;
    return {
      name,
      kind: long ? 'textarea' : 'text',
      required: req,
      ...(json.maxLength ? { maxLength: json.maxLength } : {}),
    };
  });
}

export type FormValues = Record<string, string | string[] | undefined>;

/** A posted form as @fastify/formbody parses it: each field once as text, or repeated as a list. */
export const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** The JSON body a submitted form stands for: blanks left out, so the API's own schema says what is missing. */
export function bodyOf(fields: Field[], form: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const one = (k: string) => {
    const v = form[k];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  };
  for (const f of fields) {
    const raw = one(f.name);
    switch (f.kind) {
      case 'checkbox':
        body[f.name] = raw === 'on' || raw === 'true';
        break;
      case 'files': {
        const ids = evidenceFilesOf(form, f.name).map((e) => e.id);
        if (ids.length) body[f.name] = ids;
        break;
      }
      case 'number':
        if (raw) body[f.name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
        break;
      case 'datetime':
        if (raw) body[f.name] = fromLocalInput(raw) ?? raw;
        break;
      case 'lines': {
        const lines = raw
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean);
        if (lines.length) body[f.name] = lines;
        break;
      }
      case 'rows': {
        const rows: Record<string, string>[] = [];
        for (let i = 0; i < f.rows; i++) {
          const row = Object.fromEntries(f.columns.map((c) => [c, one(`${f.name}.${i}.${c}`)]));
          if (Object.values(row).some(Boolean)) rows.push(row);
        }
        if (rows.length) body[f.name] = rows;
        break;
      }
      default:
        if (raw) body[f.name] = raw;
    }
  }
  return body;
}

/** The form's own values, kept as typed, for showing the form again (after a refusal, or "change" from the check step). */
export function keptValues(form: FormValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form))
    if (!k.startsWith('_') && typeof (Array.isArray(v) ? v[0] : v) === 'string') out[k] = (Array.isArray(v) ? v[0] : v) as string;
  return out;
}

const zhCN = z.locales.zhCN().localeError;

/** A body parsed with an API schema: its data, or its problems in Chinese at the form's field paths. */
export function parseZh<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { data: T; problems: null } | { data: null; problems: { path: string; message: string }[] } {
  const r = schema.safeParse(body, { error: (issue) => (issue.input === undefined ? '此项必填' : zhCN(issue)) });
  return r.success
    ? { data: r.data, problems: null }
    : // A schema's own message (`must not be blank`) outranks the error map above: its Chinese is looked up.
      { data: null, problems: r.error.issues.map((i) => ({ path: i.path.join('.'), message: schemaMessageZh(i.message) ?? i.message })) };
}
