import { departmentByCode } from '../../../domain/reference-data';
import { RECORD_CATEGORY_LABELS } from '../../../domain/documents';
import { chineseNumeral } from '../../../domain/documents/text';
import { dateText, page, type PageContext } from '../../ui';

/** What both public lists carry besides their items: the version last loaded and the acts each layer rests on. */
export interface Published {
  version: string | null;
  loadedAt: string | null;
  sources: { scope: string; title: string }[];
}

export interface CatalogueItem {
  code: string;
  title: string;
  category: string;
  article: string;
  departments: string[];
  penalty: boolean;
  publicity: string;
  source: string;
  scope: string;
  withdrawnAt: string | null;
}

export interface MeasureItem {
  code: string;
  title: string;
  level: string;
  basis: string;
  scope: string;
  maxYears: number | null;
}

const SCOPE: Record<string, string> = { national: '国家', provincial: '省', city: '市' };
const LEVEL: Record<string, string> = { serious: '严重失信惩戒措施', general: '一般失信惩戒措施' };
const CATEGORY: Record<string, string> = RECORD_CATEGORY_LABELS;

/** `34(二)` → 第三十四条第（二）项; anything else as it is. */
function articleText(article: string): string {
  const m = /^(\d+)\((.+)\)$/.exec(article);
  return m ? `第${chineseNumeral(Number(m[1]))}条第（${m[2]}）项` : article;
}

function Sources({ p, what }: { p: Published; what: string }) {
  return (
    <>
      <p>{`${what}版本：${p.version ?? '未载入'}${p.loadedAt ? `（${dateText(p.loadedAt.slice(0, 10))}载入）` : ''}。`}</p>
      {p.sources.length > 0 && (
        <ul>
          {p.sources.map((s) => (
            <li>{`${SCOPE[s.scope] ?? s.scope}：${s.title}`}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** 公共信用信息目录 (Art 32): what may be kept as a credit record, under which article, supplied by whom, disclosed how long. */
export function cataloguePage(ctx: PageContext, data: Published & { items: CatalogueItem[] }): string {
  return page(
    '公共信用信息目录',
    ctx,
    <>
      <p>公共信用信息目录由国家基础目录、省补充目录和市补充目录组成（第三十二条），目录以外的信息不得作为公共信用信息归集。</p>
      <Sources p={data} what="目录" />
      <table>
        <caption class="visually-hidden">公共信用信息目录</caption>
        <thead>
          <tr>
            <th scope="col">信息项</th>
            <th scope="col">类别及条款</th>
            <th scope="col">提供单位</th>
            <th scope="col">公示期限</th>
            <th scope="col">依据</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((i) => (
            <tr>
              <td>
                {i.title}
                <br />
                <small>{`${i.code} · ${SCOPE[i.scope] ?? i.scope}级目录${i.withdrawnAt ? ` · ${dateText(i.withdrawnAt.slice(0, 10))}起停止归集` : ''}`}</small>
              </td>
              <td>{`${CATEGORY[i.category] ?? i.category}，${articleText(i.article)}${i.penalty ? '（以行政处罚为依据）' : ''}`}</td>
              <td>{i.departments.length === 0 ? '各信息提供单位' : i.departments.map((d) => departmentByCode(d)?.name ?? d).join('、')}</td>
              <td>{i.publicity}</td>
              <td>{i.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  );
}

/** 失信惩戒措施清单 (Art 43): every measure with its level, basis and longest period. */
export function measuresPage(ctx: PageContext, data: Published & { items: MeasureItem[] }): string {
  return page(
    '失信惩戒措施清单',
    ctx,
    <>
      <p>失信惩戒措施以清单为限（第四十三条），清单以外不得采取惩戒措施。</p>
      <Sources p={data} what="清单" />
      <table>
        <caption class="visually-hidden">失信惩戒措施清单</caption>
        <thead>
          <tr>
            <th scope="col">编号</th>
            <th scope="col">措施</th>
            <th scope="col">类别</th>
            <th scope="col">最长期限</th>
            <th scope="col">依据</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((m) => (
            <tr>
              <td>{m.code}</td>
              <td>
                {m.title}
                <br />
                <small>{`${SCOPE[m.scope] ?? m.scope}级清单`}</small>
              </td>
              <td>{LEVEL[m.level] ?? m.level}</td>
              <td>{m.maxYears === null ? '依据未另定（随列入期限）' : `${m.maxYears}年`}</td>
              <td>{m.basis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  );
}
