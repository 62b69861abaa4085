/**
 * 立案：严重失信主体名单认定. The subject (its identifier checked as it is typed), the Art 45 category, the facts, the
 * documents with legal effect it rests on (Art 34), measures from the catalogue with their level (Art 43, 44), and
 * for an organisation its responsible persons (Art 48). Repeating groups grow with "add another" buttons that work
 * without JavaScript; a check-your-answers step comes before the case is opened.
 */
import { listingCategories } from '../../domain/reference-data';
import { RESPONSIBLE_ROLES } from '../../workflows/listing/definitions';
import { CheckStep, ErrorSummary, page, type PageContext } from '../ui';
import { errorAt, FieldError, invalidProps } from '../field-errors';

export interface CatalogueMeasure {
  code: string;
  title: string;
  level: 'general' | 'serious';
  basis: string;
  scope: string;
  maxYears: number | null;
}

export interface ListingFormState {
  values: Record<string, string>;
  basisRows: number;
  personRows: number;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

export const SUBJECT_KINDS: [string, string][] = [
  ['legal_person', '法人'],
  ['other_org', '非法人组织'],
  ['natural_person', '自然人'],
];
export const RESPONSIBLE_ROLE_NAMES: Record<(typeof RESPONSIBLE_ROLES)[number], string> = {
  legal_representative: '法定代表人',
  principal: '主要负责人',
  actual_controller: '实际控制人',
  directly_responsible: '直接责任人员',
};
const LEVEL: Record<string, string> = { serious: '严重失信惩戒措施', general: '一般失信惩戒措施' };
const SCOPE: Record<string, string> = { national: '国家', provincial: '省', city: '市' };

/** The form of a new listing case. */
export function listingNewPage(
  ctx: PageContext,
  {
    deptName,
    catalogue,
    defaultPeriod,
    state,
    formKey,
  }: { deptName: string; catalogue: CatalogueMeasure[]; defaultPeriod: string; state: ListingFormState; formKey: string },
): string {
  const v = state.values;
  const errs = state.error?.errors;
  /** The error at a field or group, shown where it is. */
  const at = (...ids: string[]) => <FieldError id={ids[0] ?? ''} message={errorAt(errs, ...ids)} />;
  const text = (
    name: string,
    title: string,
    opts: {
      type?: 'text' | 'date' | 'number';
      hint?: string;
      optional?: boolean;
      idCheck?: string;
      kindField?: string;
      min?: number;
      max?: number;
    } = {},
  ) => {
    const id = `f-${name}`;
    const described = [opts.hint ? `${id}-hint` : '', opts.idCheck ? `${id}-check` : ''].filter(Boolean).join(' ') || undefined;
    const error = errorAt(errs, name);
    return (
      <div class="field">
        <label for={id}>
          {title}
          {opts.optional && <span class="optional">（选填）</span>}
        </label>
        {opts.hint && (
          <span class="hint" id={`${id}-hint`}>
            {opts.hint}
          </span>
        )}
        <FieldError id={name} message={error} />
        <input
          id={id}
          name={name}
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- preact's input props take one literal type at a time; tsc refuses the union
          type={(opts.type ?? 'text') as 'text'}
          value={v[name] ?? ''}
          required={!opts.optional}
          {...invalidProps(name, error, described)}
          data-id-check={opts.idCheck}
          data-kind-field={opts.kindField}
          min={opts.min}
          max={opts.max}
          autocomplete="off"
          spellcheck={opts.idCheck ? false : undefined}
        />
        {opts.idCheck && <p class="id-check" id={`${id}-check`} aria-live="polite"></p>}
      </div>
    );
  };
  const scopeRank = (m: CatalogueMeasure) => ['national', 'provincial', 'city'].indexOf(m.scope);
  const levels = (['serious', 'general'] as const).map((level) => ({
    level,
    items: catalogue.filter((m) => m.level === level).sort((a, b) => scopeRank(a) - scopeRank(b) || a.code.localeCompare(b.code)),
  }));
  return page(
    '立案：严重失信主体名单认定',
    ctx,
    <>
      {state.error && <ErrorSummary {...state.error} />}
      <form method="post" action="/console/cases/listing" class="panel" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={formKey} />
        <input type="hidden" name="_basisRows" value={String(state.basisRows)} />
        <input type="hidden" name="_personRows" value={String(state.personRows)} />
        {/* Enter in a field submits with the form's first button: let that be "continue", not "add another". */}
        <button type="submit" name="_add" value="" class="default-submit" tabindex={-1} aria-hidden="true">
          继续
        </button>
        <p>{`认定单位：${deptName}。立案后由经办人员送达《失信惩戒事先告知书》，当事人可陈述申辩、申请听证。`}</p>

        <fieldset id="f-subject">
          <legend>信用主体</legend>
          <div class="field">
            <label for="f-subject.kind">主体类型</label>
            {at('subject.kind')}
            <select id="f-subject.kind" name="subject.kind" required {...invalidProps('subject.kind', errorAt(errs, 'subject.kind'))}>
              <option value="">请选择</option>
              {SUBJECT_KINDS.map(([code, name]) => (
                <option value={code} selected={v['subject.kind'] === code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {text('subject.id', '统一社会信用代码或身份证号码', {
            hint: '法人和非法人组织填18位统一社会信用代码，自然人填18位身份证号码',
            idCheck: 'subject',
            kindField: 'f-subject.kind',
          })}
          {text('subject.name', '名称或姓名')}
        </fieldset>

        <fieldset id="f-category">
          <legend>严重失信行为类别（第四十五条）</legend>
          {at('category')}
          {listingCategories.map((c) => (
            <div class="field checkbox">
              <input type="radio" id={`f-category-${c.code}`} name="category" value={c.code} checked={v.category === c.code} required />
              <label for={`f-category-${c.code}`}>{`${c.title}（${c.article}）`}</label>
            </div>
          ))}
        </fieldset>

        <div class="field">
          <label for="f-facts">失信事实</label>
          <span class="hint" id="f-facts-hint">
            写明时间、地点、行为及其后果，以及认定依据的法律、法规条款
          </span>
          {at('facts')}
          <textarea
            id="f-facts"
            name="facts"
            rows={6}
            maxLength={20000}
            required
            {...invalidProps('facts', errorAt(errs, 'facts'), 'f-facts-hint')}
          >
            {v.facts ?? ''}
          </textarea>
        </div>

        <fieldset id="f-basisDocuments">
          <legend>认定依据的生效法律文书（第三十四条，至少一份）</legend>
          {at('basisDocuments')}
          {Array.from({ length: state.basisRows }, (_, i) => (
            <div class="row">
              <span>
                <label for={`f-basisDocuments.${i}.title`}>{`文书名称 ${i + 1}`}</label>
                {at(`basisDocuments.${i}.title`)}
                <input
                  id={`f-basisDocuments.${i}.title`}
                  name={`basisDocuments.${i}.title`}
                  value={v[`basisDocuments.${i}.title`] ?? ''}
                  {...invalidProps(`basisDocuments.${i}.title`, errorAt(errs, `basisDocuments.${i}.title`))}
                />
              </span>
              <span>
                <label for={`f-basisDocuments.${i}.number`}>{`文号 ${i + 1}`}</label>
                {at(`basisDocuments.${i}.number`)}
                <input
                  id={`f-basisDocuments.${i}.number`}
                  name={`basisDocuments.${i}.number`}
                  value={v[`basisDocuments.${i}.number`] ?? ''}
                  {...invalidProps(`basisDocuments.${i}.number`, errorAt(errs, `basisDocuments.${i}.number`))}
                />
              </span>
              <span>
                <label for={`f-basisDocuments.${i}.issuedOn`}>{`作出日期 ${i + 1}`}</label>
                {at(`basisDocuments.${i}.issuedOn`)}
                <input
                  id={`f-basisDocuments.${i}.issuedOn`}
                  type="date"
                  name={`basisDocuments.${i}.issuedOn`}
                  value={v[`basisDocuments.${i}.issuedOn`] ?? ''}
                  {...invalidProps(`basisDocuments.${i}.issuedOn`, errorAt(errs, `basisDocuments.${i}.issuedOn`))}
                />
              </span>
            </div>
          ))}
          <button type="submit" name="_add" value="basis" class="secondary" formnovalidate>
            再添加一份文书
          </button>
        </fieldset>

        <fieldset id="f-proposedMeasures">
          <legend>拟采取的失信惩戒措施（从措施清单中选择，第四十三条）</legend>
          {at('proposedMeasures')}
          {levels.map(({ level, items }) => (
            <fieldset class="group">
              <legend>{LEVEL[level]}</legend>
              {items.map((m) => (
                <div class="field checkbox">
                  <input
                    type="checkbox"
                    id={`f-measure.${m.code}`}
                    name={`measure.${m.code}`}
                    checked={v[`measure.${m.code}`] === 'on'}
                    {...invalidProps(`measure.${m.code}`, errorAt(errs, `measure.${m.code}`), `f-measure.${m.code}-basis`)}
                  />
                  <label for={`f-measure.${m.code}`}>
                    {`${m.code} ${m.title}`}
                    <small
                      id={`f-measure.${m.code}-basis`}
                    >{` ${SCOPE[m.scope] ?? m.scope}级 · ${m.maxYears ? `最长${m.maxYears}年 · ` : ''}依据：${m.basis}`}</small>
                  </label>
                  {at(`measure.${m.code}`)}
                </div>
              ))}
            </fieldset>
          ))}
        </fieldset>

        <fieldset id="f-listingPeriod">
          <legend>
            列入期限<span class="optional">（选填）</span>
          </legend>
          <p class="hint">{`不填则按本部门规定的期限：${defaultPeriod}。不得超过所选措施的最长期限（第四十四条）。`}</p>
          {at('listingPeriod')}
          <div class="row">
            <span>{text('listingPeriod.years', '年', { type: 'number', optional: true, min: 0, max: 10 })}</span>
            <span>{text('listingPeriod.months', '月', { type: 'number', optional: true, min: 0, max: 120 })}</span>
          </div>
        </fieldset>

        <fieldset id="f-responsiblePersons">
          <legend>法定代表人、主要负责人及其他责任人员（第四十八条）</legend>
          <p class="hint">信用主体为法人或非法人组织时必填；自然人不填。</p>
          {at('responsiblePersons')}
          {Array.from({ length: state.personRows }, (_, i) => (
            <div class="row">
              <span class="field">
                <label for={`f-responsiblePersons.${i}.role`}>{`身份 ${i + 1}`}</label>
                {at(`responsiblePersons.${i}.role`)}
                <select
                  id={`f-responsiblePersons.${i}.role`}
                  name={`responsiblePersons.${i}.role`}
                  {...invalidProps(`responsiblePersons.${i}.role`, errorAt(errs, `responsiblePersons.${i}.role`))}
                >
                  <option value="">请选择</option>
                  {RESPONSIBLE_ROLES.map((r) => (
                    <option value={r} selected={v[`responsiblePersons.${i}.role`] === r}>
                      {RESPONSIBLE_ROLE_NAMES[r]}
                    </option>
                  ))}
                </select>
              </span>
              <span>{text(`responsiblePersons.${i}.name`, `姓名 ${i + 1}`, { optional: true })}</span>
              <span>
                {text(`responsiblePersons.${i}.idNumber`, `身份证号码 ${i + 1}`, {
                  optional: true,
                  idCheck: 'resident',
                })}
              </span>
            </div>
          ))}
          <button type="submit" name="_add" value="person" class="secondary" formnovalidate>
            再添加一名责任人员
          </button>
        </fieldset>

        <button type="submit" name="_add" value="" id="f-continue">
          继续
        </button>
      </form>
    </>,
  );
}

/** 核对: what the case will be opened with, before it is. */
export function listingCheckPage(ctx: PageContext, values: Record<string, string>, answers: [string, string][]): string {
  return page(
    '核对：立案',
    ctx,
    <>
      <p>立案后将以本单位名义启动严重失信主体名单认定程序，请核对：</p>
      <CheckStep ctx={ctx} action="/console/cases/listing" values={values} answers={answers} confirmText="确认立案" />
    </>,
  );
}
