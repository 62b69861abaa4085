/**
 * A zod issue in both languages: its English is zod's (or the schema's own message), its Chinese comes from zod's
 * zh-CN locale as the console's parseZh gives it, or from a refinement's `params.zh` (the identity checks).
 */
import { z } from 'zod';
import type { FieldWords, Words } from '../contract/problem';
import { schemaMessageZh } from '../contract/schema-words';

const zhCN = z.locales.zhCN().localeError;

/** `issue`: a zod issue as it stands after parsing (no input), or Fastify's copy of one with its fields in `params`. */
export function issueWords(issue: { code: string; message: string; params?: unknown } & Record<string, unknown>): Words {
  const en = issue.message;
  const own = isRecord(issue.params) ? issue.params.zh : undefined;
  if (typeof own === 'string') return { zh: own, en };
  const listed = schemaMessageZh(en);
  if (listed) return { zh: listed, en };
  if (issue.code === 'invalid_type' && /received undefined$/.test(en)) return { zh: '此项必填', en };
  try {
    const zh = zhCN(issue as unknown as Parameters<typeof zhCN>[0]);
    const text = typeof zh === 'string' ? zh : zh?.message;
    // The issue no longer holds the input, so zod's "received" part is left out rather than said wrong.
    return { zh: text ? text.replace(/，实际接收 \S+$/, '') : '输入无效', en };
  } catch {
    return { zh: '输入无效', en };
  }
}

/** A zod error's issues at their request paths (`body.subject.id`), in both languages. */
export function zodFieldWords(issues: readonly z.core.$ZodIssue[], prefix: string): FieldWords[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join('.'),
    message: issueWords(i as unknown as Parameters<typeof issueWords>[0]),
  }));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
