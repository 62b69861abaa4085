/**
 * The language of the API's problem answers, chosen once per request from `Accept-Language` (RFC 9110 §12.5.4):
 * Chinese unless the client prefers English. q-values are honoured; a language the API does not speak counts as no
 * preference, so `fr` or `*` is answered in Chinese, and `en;q=0.5, zh;q=0.8` in Chinese too.
 */
import type { Language } from '../contract/problem';

export const DEFAULT_LANGUAGE: Language = 'zh';

/** The BCP 47 tag an answer in `lang` carries in `Content-Language`. */
export const CONTENT_LANGUAGE: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

export function languageOf(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Language; q: number } | undefined;
  for (const part of text.slice(0, 1_000).split(',')) {
    const [tag = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const primary = tag.split('-')[0];
    if (primary !== 'zh' && primary !== 'en') continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    // The first of equal weights wins, as the client listed them.
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? DEFAULT_LANGUAGE;
}
