/**
 * HTML for the printable documents: an escaping template tag, the A4 page layout and the SHA-256.
 * Every interpolated value goes through `escapeHtml` unless it is already `SafeHtml` built by `html`.
 */
import { createHash } from 'node:crypto';
import type { IssuedDocument } from './types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup that is already safe: only `html` and `raw` make it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function interpolate(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(interpolate).join('');
  return escapeHtml(String(v));
}

/** Template tag: strings and numbers are escaped, `SafeHtml` and arrays of it are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** One `<p>` per non-empty line of `text` (facts and reasons keep their paragraphs). */
export function paragraphs(text: string, cls?: string): SafeHtml[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.map((l) => (cls ? html`<p class="${cls}">${l}</p>\n` : html`<p>${l}</p>\n`));
}

export function p(...parts: HtmlValue[]): SafeHtml {
  return html`<p>${parts}</p>\n`;
}

export function table(head: readonly string[], rows: readonly (readonly string[])[], cls?: string): SafeHtml {
  return html`<table${cls ? html` class="${cls}"` : ''}>
<thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>\n`)}</tbody>
</table>\n`;
}

/** A two-column label/value table (one record, one listing); the labels are the row headers. */
export function fieldTable(rows: readonly (readonly [string, string])[], cls = 'fields'): SafeHtml {
  return html`<table class="${cls}">
<tbody>
${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>\n`)}</tbody>
</table>\n`;
}

/** Layout of `fieldTable`: keep the label column narrow and unbroken. */
export const FIELD_TABLE_CSS = '.fields th{width:7.5em;white-space:nowrap}';

export interface Section {
  heading: string;
  body: SafeHtml | readonly SafeHtml[];
}

export interface PageSpec {
  title: string;
  /** 文号, printed centered under the title. */
  number: string;
  party: readonly { label: string; value: string }[];
  /** Salutation line, e.g. `张掖某某有限公司：`; a document addressed to nobody (a credit report) leaves it out. */
  salutation?: string;
  intro: SafeHtml | readonly SafeHtml[];
  sections: readonly Section[];
  closing?: SafeHtml | readonly SafeHtml[];
  issuer: string;
  /** Already formatted (`2026年11月30日`). */
  date: string;
  meta: readonly { label: string; value: string }[];
  /** Extra style rules appended after the common ones (a document's own layout, e.g. `.fields th{...}`). */
  css?: string;
}

const CSS = `@page{size:A4;margin:37mm 26mm 35mm 28mm}
*{box-sizing:border-box}
html{background:#fff}
body{margin:0;color:#000;font-family:"FangSong","仿宋","FangSong_GB2312","仿宋_GB2312","STFangsong","SimSun","宋体","STSong","Songti SC","Noto Serif CJK SC","Noto Serif SC","Source Han Serif SC","Source Han Serif CN",serif;font-size:16pt;line-height:1.75}
.page{width:156mm;margin:0 auto}
h1{font-family:"SimSun","宋体","STSong","Songti SC","Noto Serif CJK SC","Noto Serif SC","Source Han Serif SC",serif;font-size:22pt;font-weight:bold;text-align:center;margin:0 0 .4em;letter-spacing:.05em}
.doc-number{text-align:center;text-indent:0;margin:0 0 1.2em}
.party p,.salutation{text-indent:0}
h2{font-size:16pt;font-weight:bold;margin:.8em 0 .2em;text-indent:2em;break-after:avoid;page-break-after:avoid}
p{margin:0;text-indent:2em;text-align:justify}
table{width:100%;border-collapse:collapse;margin:.3em 0;font-size:14pt;line-height:1.5;break-inside:avoid;page-break-inside:avoid}
th,td{border:1px solid #000;padding:2pt 5pt;text-align:left;vertical-align:top}
th{font-weight:bold}
.signature{margin-top:2.5em;text-align:right}
.signature p{text-indent:0;text-align:right}
.seal{display:inline-block;min-width:8em;text-align:center;color:#555}
.meta{margin-top:2em;font-size:10.5pt;line-height:1.5;color:#333}
.meta p{text-indent:0}
@media screen{body{background:#f2f2f2;padding:10mm 0}.page{width:210mm;min-height:297mm;padding:37mm 26mm 35mm 28mm;background:#fff}}`;

/** The whole page. Only the arguments vary, so equal input gives byte-identical output. */
export function renderPage(spec: PageSpec): string {
  const page = html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${spec.title}</title>
<style>
${new SafeHtml(CSS)}${spec.css ? new SafeHtml(`\n${spec.css}`) : ''}
</style>
</head>
<body>
<div class="page">
<h1>${spec.title}</h1>
<p class="doc-number">${spec.number}</p>
<div class="party">
${spec.party.map((x) => html`<p>${x.label}：${x.value}</p>\n`)}</div>
${spec.salutation === undefined ? '' : html`<p class="salutation">${spec.salutation}</p>\n`}${spec.intro}
${spec.sections.map(
  (s) => html`<section>
<h2>${s.heading}</h2>
${s.body}</section>
`,
)}${spec.closing ?? ''}
<div class="signature">
<p class="issuer">${spec.issuer}</p>
<p class="date">${spec.date}</p>
<p><span class="seal">（盖章）</span></p>
</div>
<div class="meta">
${spec.meta.map((x) => html`<p>${x.label}：${x.value}</p>\n`)}</div>
</div>
</body>
</html>
`;
  return page.value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The issued document: what the renderer made, with the hash of its page. */
export function issue(args: Omit<IssuedDocument, 'sha256'>): IssuedDocument {
  return {
    id: args.id,
    kind: args.kind,
    title: args.title,
    issuedAt: args.issuedAt,
    fields: args.fields,
    html: args.html,
    sha256: sha256Hex(args.html),
  };
}
