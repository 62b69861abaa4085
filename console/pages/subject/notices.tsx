import { dateTimeText, page, type PageContext } from '../../ui';

/** A document served electronically on the subject, as `GET /v1/me/notices` lists it. */
export interface NoticeItem {
  id: string;
  caseId: string;
  kind: string;
  title: string;
  issuedAt: string;
  servedAt: string | null;
  servedMethod: string | null;
  sha256: string;
  /** When the subject first opened it; null while unread. */
  openedAt: string | null;
}

export const noticeHref = (id: string) => `/console/me/notices/${encodeURIComponent(id)}`;

/** 未读 until the subject opens it, or when it was first opened: words and colour, never colour alone. */
export function ReadTag({ n }: { n: NoticeItem }) {
  return n.openedAt ? <span>{`已于${dateTimeText(n.openedAt)}查阅`}</span> : <strong class="tag tag-orange">未读</strong>;
}

/** 我的文书: the documents served on the subject electronically, newest first, the unread marked. */
export function noticesPage(ctx: PageContext, data: { items: NoticeItem[]; nextCursor: string | null; paged: boolean }): string {
  const unread = data.items.filter((n) => !n.openedAt).length;
  return page(
    '我的文书',
    ctx,
    <>
      <p>
        以下是以电子方式向您送达的文书。文书以可打印的格式打开，可使用浏览器的打印功能打印或另存为PDF。首次打开文书的时间将被记录，如同送达回证。
      </p>
      {data.items.length === 0 ? (
        <p>{data.paged ? '没有更早的文书。' : '尚无以电子方式向您送达的文书。'}</p>
      ) : (
        <>
          <p role="status">{unread > 0 ? `本页有${unread}份未读文书。` : '本页文书均已查阅。'}</p>
          <table>
            <caption class="visually-hidden">电子送达的文书</caption>
            <thead>
              <tr>
                <th scope="col">文书</th>
                <th scope="col">案件编号</th>
                <th scope="col">送达时间</th>
                <th scope="col">查阅情况</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((n) => (
                <tr>
                  <td>
                    <a href={noticeHref(n.id)}>{n.title}</a>
                    <br />
                    <small>{`文书编号 ${n.id}`}</small>
                  </td>
                  <td>{n.caseId}</td>
                  <td>{n.servedAt ? dateTimeText(n.servedAt) : '—'}</td>
                  <td>
                    <ReadTag n={n} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <nav class="pager" aria-label="分页">
        {data.paged && <a href="/console/me/notices">最新的文书</a>}
        {data.nextCursor && (
          <a href={`/console/me/notices?cursor=${encodeURIComponent(data.nextCursor)}`} rel="next">
            更早的文书
          </a>
        )}
      </nav>
    </>,
  );
}
