import { departmentByCode, listingCategories } from '../../../domain/reference-data';
import { ErrorSummary, dateText, page, type PageContext } from '../../ui';

/** A row of the published list, as `GET /v1/public/listings` gives it (a natural person's ID number masked). */
export interface PublicListing {
  caseId: string;
  subject: { kind: string; name: string; id: string };
  category: string;
  measures: { code: string; title: string }[];
  listedFrom: string;
  listedUntil: string;
  department: string;
  decisionNumber: string;
}

const ID_LABEL: Record<string, string> = { natural_person: '身份证号码', legal_person: '统一社会信用代码', other_org: '统一社会信用代码' };
const categoryTitle = (code: string) => listingCategories.find((c) => c.code === code)?.title ?? code;

const listingsHref = (q: { q?: string | undefined; cursor?: string | undefined }) => {
  const params = new URLSearchParams();
  if (q.q) params.set('q', q.q);
  if (q.cursor) params.set('cursor', q.cursor);
  const s = params.toString();
  return `/console/public/listings${s ? `?${s}` : ''}`;
};

/** 严重失信主体名单: the published list (Art 44 (6)), searched by name or code, a page at a time, for anyone. */
export function publicListingsPage(
  ctx: PageContext,
  data: {
    q: string | undefined;
    items: PublicListing[];
    nextCursor: string | null;
    paged: boolean;
    error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] } | undefined;
  },
): string {
  return page(
    '严重失信主体名单',
    ctx,
    <>
      <p>依法认定并公示的严重失信主体（第四十四条）。自然人的身份证号码部分隐去；按自然人查询请输入姓名或完整的身份证号码。</p>
      {data.error && <ErrorSummary {...data.error} />}
      <form method="get" action="/console/public/listings" class="filters" role="search">
        <div class="field">
          <label for="f-q">名称或代码</label>
          <input type="search" id="f-q" name="q" value={data.q ?? ''} maxLength={100} />
        </div>
        <button type="submit">查询</button>
        {data.q && <a href="/console/public/listings">清除查询</a>}
      </form>
      {data.items.length === 0 ? (
        <p role="status">
          {data.q ? `没有与“${data.q}”相符的列入信息。` : data.paged ? '没有更多列入信息。' : '目前没有公示中的严重失信主体。'}
        </p>
      ) : (
        <table>
          <caption class="visually-hidden">严重失信主体名单</caption>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">代码或身份证号码</th>
              <th scope="col">列入事由</th>
              <th scope="col">惩戒措施</th>
              <th scope="col">列入期限</th>
              <th scope="col">认定单位及文书</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((l) => (
              <tr>
                <td>{l.subject.name}</td>
                <td>
                  <small>{ID_LABEL[l.subject.kind] ?? '代码'}</small>
                  <br />
                  <span class="subject-id">{l.subject.id}</span>
                </td>
                <td>{categoryTitle(l.category)}</td>
                <td>
                  <ul>
                    {l.measures.map((m) => (
                      <li>{`${m.code} ${m.title}`}</li>
                    ))}
                  </ul>
                </td>
                <td>{`${dateText(l.listedFrom)}至${dateText(l.listedUntil)}`}</td>
                <td>
                  {departmentByCode(l.department)?.name ?? l.department}
                  <br />
                  <small>{l.decisionNumber}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="分页">
        {data.paged && <a href={listingsHref({ q: data.q })}>第一页</a>}
        {data.nextCursor && (
          <a href={listingsHref({ q: data.q, cursor: data.nextCursor })} rel="next">
            下一页
          </a>
        )}
      </nav>
    </>,
  );
}
