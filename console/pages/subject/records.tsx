/** 我的信用记录: every record of mine with its disclosure, listings in force, my Art 48 entries, and one record's history. */
import type { RecordView } from '../../../contract/records';
import { recordTypeTitle } from '../../../domain/record-type-titles';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../../domain/record-types';
import { label } from '../../labels';
import { dateText, dateTimeText, page, Facts, type PageContext } from '../../ui';
import type { RecordExchangeItem } from '../../../contract/exchange';
import { RECORD_EXCHANGE_STATE, exchangeKindText } from '../exchange-words';
import { CATEGORY, DISCLOSURE, HISTORY_ACTION, LISTING_CATEGORY, PERSON_ROLE, deptName, historyDetail, whoText } from './parts';

/** A listing of mine in force, as GET /v1/subjects/{id}/records gives it. */
export interface MyListing {
  caseId: string;
  category: string;
  measures: string[];
  decisionNumber: string;
  department: string;
  listedFrom: string;
  listedUntil: string;
}

/** An Art 48 entry of mine: I am a responsible person of a listed organisation. */
export interface MyEntry {
  caseId: string;
  role: string;
  name: string;
  idNumber: string;
  organisation: { id: string; name: string };
  listedFrom: string;
  listedUntil: string;
}

export interface MyRecords {
  subjectId: string;
  items: RecordView[];
  listings: MyListing[];
  responsiblePersonEntries: MyEntry[];
}

export interface HistoryEntry {
  at: string;
  actor: string;
  role: string;
  department: string | null;
  action: string;
  detail: Record<string, unknown>;
}

const recordHref = (id: string) => `/console/me/records/${encodeURIComponent(id)}`;

/** What a record is, in one phrase: its catalogue title and the article it falls under. */
export function recordTitle(r: Pick<RecordView, 'type' | 'article'>): string {
  return `${recordTypeTitle(r.type)}${r.article ? `（第${r.article}项）` : ''}`;
}

/** When its publicity ends, or why it has none. */
export function publicityEnd(r: RecordView): string {
  if (r.category !== 'dishonesty' && !r.publicUntil) return '不设公示期限';
  if (r.disclosure === 'deleted') return '已删除';
  return r.publicUntil ? dateText(r.publicUntil) : '—';
}

/** A record may be objected to while disclosed and not already under objection (Art 51). */
export const objectable = (r: RecordView): boolean => r.disclosure === 'published' || r.disclosure === 'publicity_ended';

/** Repair ends the publicity of disclosed dishonesty information; a listing's own record is repaired through the listing. */
export const repairable = (r: RecordView): boolean =>
  r.category === 'dishonesty' &&
  (r.disclosure === 'published' || r.disclosure === 'under_objection') &&
  (!r.listingCaseId || r.type === RESPONSIBLE_PERSON_ENTRY_TYPE);

export function recordsPage(ctx: PageContext, data: MyRecords): string {
  const entryRecord = (e: MyEntry) => data.items.find((r) => r.type === RESPONSIBLE_PERSON_ENTRY_TYPE && r.listingCaseId === e.caseId);
  return page(
    '我的信用记录',
    ctx,
    <>
      <p>{`信用主体：${data.subjectId}。本人查询本人的信用信息免费且不限次数（第五十条）；每条信息的查询、报送和更正情况可在详情中查看（第四十九条）。`}</p>
      <p>
        <a href="/console/me/objections/new">对信息提出异议</a>
        {'　'}
        <a href="/console/me/repairs/new">申请信用修复</a>
      </p>

      <h2>信用信息</h2>
      {data.items.length === 0 ? (
        <p>没有关于您的信用信息。</p>
      ) : (
        <table>
          <caption class="visually-hidden">我的信用信息</caption>
          <thead>
            <tr>
              <th scope="col">信息</th>
              <th scope="col">公示状态</th>
              <th scope="col">提供单位</th>
              <th scope="col">决定文书</th>
              <th scope="col">作出决定日期</th>
              <th scope="col">公示截止</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr>
                <td>
                  <a href={recordHref(r.id)}>{recordTitle(r)}</a>
                  <br />
                  <small>{`${label(CATEGORY, r.category)} · ${r.id}`}</small>
                </td>
                <td>
                  <strong
                    class={`tag tag-${r.disclosure === 'under_objection' ? 'orange' : r.disclosure === 'published' ? 'blue' : 'grey'}`}
                  >
                    {label(DISCLOSURE, r.disclosure)}
                  </strong>
                </td>
                <td>{deptName(r.department)}</td>
                <td>{`${r.documentNumber}${r.issuedBy ? `（${r.issuedBy}）` : ''}`}</td>
                <td>{dateText(r.decidedOn)}</td>
                <td>{publicityEnd(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>列入严重失信主体名单（在列入期内）</h2>
      {data.listings.length === 0 ? (
        <p>您没有在列入期内的严重失信主体名单。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">认定决定</th>
              <th scope="col">认定单位</th>
              <th scope="col">列入类别</th>
              <th scope="col">惩戒措施</th>
              <th scope="col">列入期间</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {data.listings.map((l) => (
              <tr>
                <td>
                  <a href={`/console/me/cases/${encodeURIComponent(l.caseId)}`}>{l.decisionNumber}</a>
                  <br />
                  <small>{l.caseId}</small>
                </td>
                <td>{deptName(l.department)}</td>
                <td>{label(LISTING_CATEGORY, l.category)}</td>
                <td>{l.measures.join('、')}</td>
                <td>{`${dateText(l.listedFrom)}至${dateText(l.listedUntil)}`}</td>
                <td>
                  <a href={`/console/me/repairs/new?listingCaseId=${encodeURIComponent(l.caseId)}`}>申请信用修复（提前移出）</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>作为组织负责人的记录（第四十八条）</h2>
      {data.responsiblePersonEntries.length === 0 ? (
        <p>您没有作为被列入组织负责人的记录。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">组织</th>
              <th scope="col">身份</th>
              <th scope="col">列入期间</th>
              <th scope="col">记录</th>
            </tr>
          </thead>
          <tbody>
            {data.responsiblePersonEntries.map((e) => {
              const r = entryRecord(e);
              return (
                <tr>
                  <td>{`${e.organisation.name}（${e.organisation.id}）`}</td>
                  <td>{label(PERSON_ROLE, e.role)}</td>
                  <td>{`${dateText(e.listedFrom)}至${dateText(e.listedUntil)}`}</td>
                  <td>{r ? <a href={recordHref(r.id)}>{`查看记录 ${r.id}`}</a> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>,
  );
}

/** One record of mine: what it says, its disclosure, and who supplied, marked, corrected, disclosed and queried it. */
export function recordPage(
  ctx: PageContext,
  { record: r, history, exchange = [] }: { record: RecordView; history: HistoryEntry[]; exchange?: RecordExchangeItem[] },
): string {
  return page(
    `信用信息 ${r.id}`,
    ctx,
    <>
      <Facts
        rows={[
          ['信息', recordTitle(r)],
          ['信息类别', label(CATEGORY, r.category)],
          ['公示状态', label(DISCLOSURE, r.disclosure)],
          ['信息内容', r.content],
          ['提供单位', deptName(r.department)],
          ['决定文书', `${r.documentNumber}${r.issuedBy ? `（${r.issuedBy}）` : ''}`],
          ['作出决定日期', dateText(r.decidedOn)],
          ['公示截止', publicityEnd(r)],
          ...(r.publicMinUntil ? [['最短公示期至', dateText(r.publicMinUntil)] as [string, string]] : []),
          ...(r.publicity.explanation.length ? [['公示期限依据', r.publicity.explanation.join('')] as [string, string]] : []),
          ...(r.listingCaseId
            ? [
                ['严重失信主体名单', <a href={`/console/me/cases/${encodeURIComponent(r.listingCaseId)}`}>{r.listingCaseId}</a>] as [
                  string,
                  preact.ComponentChildren,
                ],
              ]
            : []),
          ...(r.objection
            ? [
                [
                  '异议标注',
                  <>
                    {`自${dateTimeText(r.objection.since)}起标注为异议处理中，案件 `}
                    <a href={`/console/me/cases/${encodeURIComponent(r.objection.caseId)}`}>{r.objection.caseId}</a>
                  </>,
                ] as [string, preact.ComponentChildren],
              ]
            : []),
        ]}
      />
      <p>
        {objectable(r) ? (
          <a href={`/console/me/objections/new?recordId=${encodeURIComponent(r.id)}`}>对此信息提出异议</a>
        ) : (
          <span>{r.objection ? '此信息的异议正在处理中。' : `此信息当前不能提出异议（${label(DISCLOSURE, r.disclosure)}）。`}</span>
        )}
        {repairable(r) && (
          <>
            {'　'}
            <a href={`/console/me/repairs/new?recordId=${encodeURIComponent(r.id)}`}>申请信用修复</a>
          </>
        )}
      </p>

      <h2>信息记录（报送、更正、披露与查询）</h2>
      {history.length === 0 ? (
        <p>暂无记录。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">事项</th>
              <th scope="col">办理人</th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr>
                <td>
                  <time dateTime={e.at}>{dateTimeText(e.at)}</time>
                </td>
                <td>{label(HISTORY_ACTION, e.action)}</td>
                <td>{whoText(e)}</td>
                <td>{historyDetail(e.action, e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PlatformExchange items={exchange} />
      <p>
        <a href="/console/me/records">返回我的信用记录</a>
      </p>
    </>,
  );
}

/** Art 49: where the record went — each change as sent to the provincial platform, waiting, or returned for correction. */
function PlatformExchange({ items }: { items: RecordExchangeItem[] }) {
  return (
    <>
      <h2>报送省信用信息平台情况</h2>
      {items.length === 0 ? (
        <p>此信息尚未报送省信用信息平台。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">事项</th>
              <th scope="col">发生时间</th>
              <th scope="col">报送情况</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => {
              const [text, tone] = RECORD_EXCHANGE_STATE[e.state];
              return (
                <tr>
                  <td>{exchangeKindText(e.kind)}</td>
                  <td>
                    <time dateTime={e.occurredAt}>{dateTimeText(e.occurredAt)}</time>
                  </td>
                  <td>
                    <strong class={`tag tag-${tone}`}>{text}</strong>
                    {e.sentAt ? `（${dateTimeText(e.sentAt)}）` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
