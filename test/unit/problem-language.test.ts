/** Which language a problem answer takes from Accept-Language (api/language.ts). */
import { languageOf } from '../../api/language';

test.each([
  [undefined, 'zh'],
  ['', 'zh'],
  ['*', 'zh'],
  ['zh-CN', 'zh'],
  ['zh-Hant-TW', 'zh'],
  ['en', 'en'],
  ['EN-gb', 'en'],
  ['en-US,en;q=0.9', 'en'],
  ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
  ['zh;q=0.5, en;q=0.8', 'en'],
  ['en;q=0.8, zh;q=0.8', 'en'],
  ['fr', 'zh'],
  ['fr, en;q=0.1', 'en'],
  ['de-DE,fr;q=0.9', 'zh'],
  ['en;q=0', 'zh'],
  ['en;q=abc', 'zh'],
  ['en;q=2', 'zh'],
  [';;,,;q=', 'zh'],
  [['fr', 'en;q=0.3'], 'en'],
] as const)('Accept-Language %j → %s', (header, lang) => {
  expect(languageOf(header as string | string[] | undefined)).toBe(lang);
});
