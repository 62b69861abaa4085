/** A problem at one field of a request (`path` as the API names it, e.g. `body.subject.id`), as the API's 4xx answers give it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * One sentence in the API's two languages: Chinese, which every answer gives unless the client asks otherwise, and
 * English, on request (`Accept-Language: en`). Rules carry both, so the API picks once per request and the console
 * (which applies the same rules before sending) shows the Chinese.
 */
export interface Words {
  zh: string;
  en: string;
}

export type Language = keyof Words;

/** A rule's problem at one field, in both languages. */
export interface FieldWords {
  path: string;
  message: Words;
}

/** Field problems in one language. */
export function inLanguage(problems: readonly FieldWords[], lang: Language): FieldProblem[] {
  return problems.map((p) => ({ path: p.path, message: p.message[lang] }));
}
