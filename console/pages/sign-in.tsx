import { departments, CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { makeResidentId, makeUscc } from '../../domain/identity';
import type { Principal } from '../../contract/principal';
import { page, type PageContext } from '../ui';

/** The development identities of the embedded default: each department's officer, a supervisor, sample subjects. */
export const DEV_IDENTITIES: { label: string; claims: Principal }[] = [
  ...departments.map((d) => ({
    label: `${d.name} 经办人员`,
    claims: { role: 'officer' as const, sub: `dev-${d.code.toLowerCase()}-officer`, dept: d.code },
  })),
  ...departments.map((d) => ({
    label: `${d.name} 第二经办人员`,
    claims: { role: 'officer' as const, sub: `dev-${d.code.toLowerCase()}-officer-2`, dept: d.code },
  })),
  {
    label: '张掖市发展和改革委员会 审核人员',
    claims: { role: 'supervisor', sub: 'dev-supervisor', dept: CREDIT_AGENCY_CODE },
  },
  {
    label: '信用主体：张掖市示例商贸有限公司',
    claims: { role: 'subject', sub: 'dev-subject-company', subjectId: makeUscc('91620702MA7DE0001') },
  },
  {
    label: '信用主体：李示例（自然人）',
    claims: { role: 'subject', sub: 'dev-subject-person', subjectId: makeResidentId('620702', '19850315', '021') },
  },
];

/**
 * `otherAccount`: the provider vouched for an account this system gives no role; offer to sign in as someone else,
 * which signs that account out at the provider first (console/routes/sign-in.tsx).
 */
export function signInPage(
  ctx: PageContext,
  opts: { devSignIn: boolean; oidc?: boolean; message?: string; otherAccount?: boolean },
): string {
  return page(
    '登录',
    ctx,
    <>
      {opts.message && (
        <p class="notice" role="status">
          {opts.message}
        </p>
      )}
      {opts.otherAccount ? (
        <form method="post" action="/console/sign-out" class="panel">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="then" value="other" />
          <p>如需使用其他账号，请先退出统一身份认证中的当前账号。</p>
          <button type="submit">以其他账号登录</button>
        </form>
      ) : (
        opts.oidc && (
          <p class="panel">
            <a class="button" href="/console/sign-in/oidc">
              通过统一身份认证登录
            </a>
          </p>
        )
      )}
      {opts.devSignIn ? (
        <form method="post" action="/console/sign-in/dev" class="panel">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <p>本机开发环境：请选择一个开发身份登录（生产环境通过统一身份认证登录）。</p>
          <div class="field">
            <label for="f-identity">开发身份</label>
            <select id="f-identity" name="identity" required>
              {DEV_IDENTITIES.map((d, i) => (
                <option value={String(i)}>{d.label}</option>
              ))}
            </select>
          </div>
          <button type="submit">登录</button>
        </form>
      ) : (
        !opts.oidc && <p class="panel">请从单位门户登录后进入本系统。</p>
      )}
    </>,
  );
}
