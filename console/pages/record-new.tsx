import type { RecordCreateBody } from '../../contract/records';

/** A catalogue item as GET /v1/catalogue/records gives it (Art 32). */
export interface CatalogueOption {
  code: string;
  title: string;
  category: 'basic' | 'dishonesty' | 'other';
  article: string;
  departments: string[];
  penalty: boolean;
  recordedBy: string;
  /** Withdrawn by an approved proposal: listed so old records stay readable, never offered for a new one. */
  withdrawnAt: string | null;
}
import { CheckStep, ErrorSummary, Options, dateText, page, type PageContext } from '../ui';
import { errorAt, FieldError, invalidProps } from '../field-errors';

export interface RecordFormState {
  values: Record<string, string>;
  error?: { title: string; detail: string; errors?: { path: string; message: string }[] };
  created?: { id: string; disclosure?: string };
}

const SUBJECT_KINDS: [string, string][] = [
  ['legal_person', '法人'],
  ['other_org', '非法人组织'],
  ['natural_person', '自然人'],
];
const CATEGORIES: [string, string][] = [
  ['dishonesty', '失信信息'],
  ['basic', '基础信息'],
  ['other', '其他信息'],
];
const PROCEDURES: [string, string][] = [
  ['general', '一般程序'],
  ['summary', '简易程序'],
];
const YES_NO: [string, string][] = [
  ['no', '否'],
  ['yes', '是'],
];
const SEVERITIES: [string, string][] = [
  ['minor', '轻微'],
  ['general', '一般'],
  ['serious', '严重'],
];

function Select({
  id,
  name,
  title,
  options,
  value,
  required,
  error,
}: {
  id: string;
  name: string;
  title: string;
  options: [string, string][];
  value: string | undefined;
  required?: boolean;
  error?: string | undefined;
}) {
  return (
    <div class="field">
      <label for={id}>
        {title}
        {required ? '' : <span class="optional">（选填）</span>}
      </label>
      <FieldError id={name} message={error} />
      <select id={id} name={name} required={required} {...invalidProps(name, error)}>
        <option value="">请选择</option>
        <Options options={options} value={value} />
      </select>
    </div>
  );
}

/** The catalogue's items by category (Art 33 / 34 / 35), each labelled with its article. */
function TypeSelect({ catalogue, value, error }: { catalogue: CatalogueOption[]; value: string | undefined; error?: string | undefined }) {
  return (
    <div class="field">
      <label for="f-type">信息类型（公共信用信息目录）</label>
      <FieldError id="type" message={error} />
      <select id="f-type" name="type" required {...invalidProps('type', error)}>
        <option value="">请选择</option>
        {CATEGORIES.map(([category, categoryTitle]) => (
          <optgroup label={categoryTitle}>
            {catalogue
              .filter((i) => i.category === category)
              .map((i) => (
                <option value={i.code} selected={value === i.code}>{`${i.title}（第${i.article}项）`}</option>
              ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function Text({
  id,
  name,
  title,
  value,
  long,
  type = 'text',
  idCheck,
  error,
}: {
  id: string;
  name: string;
  title: string;
  value: string | undefined;
  long?: boolean;
  type?: 'text' | 'date';
  idCheck?: { kindField: string };
  error?: string | undefined;
}) {
  return (
    <div class="field">
      <label for={id}>{title}</label>
      <FieldError id={name} message={error} />
      {long ? (
        <textarea id={id} name={name} rows={4} required {...invalidProps(name, error)}>
          {value ?? ''}
        </textarea>
      ) : (
        <input
          id={id}
          name={name}
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- preact's input props take one literal type at a time; tsc refuses the union
          type={type as 'text'}
          value={value ?? ''}
          required
          {...(idCheck ? { 'data-id-check': 'subject', 'data-kind-field': idCheck.kindField, autocomplete: 'off' } : {})}
          {...invalidProps(name, error, idCheck ? `${id}-check` : undefined)}
        />
      )}
      {idCheck && <p class="id-check" id={`${id}-check`} aria-live="polite"></p>}
    </div>
  );
}

/** 报送信用信息: a record my department supplies, with the legal document it rests on (Art 32-35). */
export function recordNewPage(
  ctx: PageContext,
  { deptName, catalogue, state, formKey }: { deptName: string; catalogue: CatalogueOption[]; state: RecordFormState; formKey: string },
): string {
  const v = state.values;
  const errs = state.error?.errors;
  const at = (...ids: string[]) => errorAt(errs, ...ids);
  return page(
    '报送信用信息',
    ctx,
    <>
      {state.created && (
        <p class="notice" role="status">
          {`已报送信用信息 ${state.created.id}。`}
          {state.created.disclosure === 'pending_review' ? '该信息待本单位另一名工作人员审核发布，发布前不予公开。' : ''}
        </p>
      )}
      {state.error && <ErrorSummary {...state.error} />}
      <form method="post" action="/console/records" class="panel">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={v._key ?? formKey} />
        <p>{`报送单位：${deptName}`}</p>
        <fieldset>
          <legend>信用主体</legend>
          <Select
            id="f-subject.kind"
            name="subject.kind"
            title="主体类型"
            options={SUBJECT_KINDS}
            value={v['subject.kind']}
            required
            error={at('subject.kind')}
          />
          <Text
            id="f-subject.id"
            name="subject.id"
            title="统一社会信用代码或身份证号码"
            value={v['subject.id']}
            idCheck={{ kindField: 'f-subject.kind' }}
            error={at('subject.id')}
          />
          <Text id="f-subject.name" name="subject.name" title="名称或姓名" value={v['subject.name']} error={at('subject.name')} />
        </fieldset>
        {/* The category follows from the type chosen: a problem with either is the type's. */}
        <TypeSelect catalogue={catalogue} value={v.type} error={at('type', 'category')} />
        <Select
          id="f-severity"
          name="severity"
          title="失信程度（失信信息必填，决定公示期限）"
          options={SEVERITIES}
          value={v.severity}
          error={at('severity')}
        />
        <Text id="f-content" name="content" title="信息内容" value={v.content} long error={at('content')} />
        <fieldset>
          <legend>决定文书（记录失信信息应当以具有法律效力的文书为依据）</legend>
          <Text id="f-documentNumber" name="documentNumber" title="决定文书编号" value={v.documentNumber} error={at('documentNumber')} />
          <Text id="f-decidedOn" name="decidedOn" title="作出决定日期" value={v.decidedOn} type="date" error={at('decidedOn')} />
          <Text id="f-issuedBy" name="issuedBy" title="作出决定机关" value={v.issuedBy} error={at('issuedBy')} />
        </fieldset>
        <fieldset>
          <legend>
            行政处罚情况（仅行政处罚信息填写；简易程序、违法行为轻微或主动消除减轻危害后果的，不作为失信信息，第三十四条第（二）项）
          </legend>
          <FieldError id="penalty" message={at('penalty')} />
          <Select
            id="f-penalty.procedure"
            name="penalty.procedure"
            title="适用程序"
            options={PROCEDURES}
            value={v['penalty.procedure']}
            error={at('penalty.procedure')}
          />
          <Select
            id="f-penalty.minor"
            name="penalty.minor"
            title="违法行为轻微"
            options={YES_NO}
            value={v['penalty.minor']}
            error={at('penalty.minor')}
          />
          <Select
            id="f-penalty.remedied"
            name="penalty.remedied"
            title="主动消除、减轻违法行为危害后果"
            options={YES_NO}
            value={v['penalty.remedied']}
            error={at('penalty.remedied')}
          />
        </fieldset>
        <button type="submit">继续</button>
      </form>
    </>,
  );
}

const name = (list: [string, string][], code: string | undefined) => list.find(([c]) => c === code)?.[1] ?? code ?? '—';

/** 核对: the record as it will be supplied, and how long it will be disclosed, before it is. */
export function recordCheckPage(
  ctx: PageContext,
  {
    deptName,
    values,
    record: r,
    item,
    publicity,
  }: { deptName: string; values: Record<string, string>; record: RecordCreateBody; item: CatalogueOption; publicity: string[] },
): string {
  const penalty = r.penalty
    ? `${name(PROCEDURES, r.penalty.procedure)}；违法行为轻微：${r.penalty.minor ? '是' : '否'}；主动消除、减轻危害后果：${r.penalty.remedied ? '是' : '否'}`
    : null;
  const answers: [string, string][] = [
    ['报送单位', deptName],
    ['信用主体', `${r.subject.name}（${name(SUBJECT_KINDS, r.subject.kind)}，${r.subject.id}）`],
    ['信息类别', `${name(CATEGORIES, r.category)}（第${item.article}项）`],
    ['信息类型', item.title],
    ...(r.severity ? [['失信程度', name(SEVERITIES, r.severity)] as [string, string]] : []),
    ...(penalty ? [['行政处罚情况', penalty] as [string, string]] : []),
    ['信息内容', r.content],
    ['决定文书编号', r.documentNumber],
    ['作出决定日期', dateText(r.decidedOn)],
    ['作出决定机关', r.issuedBy],
    ['公示', publicity.join('')],
    ['审核', '报送后须经本单位另一名工作人员审核发布，发布前不予公开（第三十六条）。'],
  ];
  return page(
    '核对：报送信用信息',
    ctx,
    <>
      <p>
        报送后，该信息将归集至市公共信用信息共享平台，经本单位另一名工作人员审核发布后，按下列期限公示（自作出决定之日起计算），请核对：
      </p>
      <CheckStep ctx={ctx} action="/console/records" values={values} answers={answers} confirmText="确认报送" />
    </>,
  );
}
