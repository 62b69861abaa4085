/** Names the API's Chinese sentences use for its English identifiers (roles, states), so a problem reads as Chinese. */
import type { Words } from '../contract/problem';

export const ROLE_ZH: Record<string, string> = { officer: '工作人员', supervisor: '审核人员', subject: '信用主体' };

export const roleZh = (role: string): string => ROLE_ZH[role] ?? role;

/** "role X may not do this; allowed: …", the 403 of a role check. */
export function roleRefused(role: string, roles: readonly string[], what?: { zh: string; en: string }): Words {
  return {
    zh: `${roleZh(role)}无权${what?.zh ?? '执行此操作'}；可执行的角色：${roles.map(roleZh).join('、')}`,
    en: `role ${role} may not ${what?.en ?? 'do this'}; allowed: ${roles.join(', ')}`,
  };
}

/** The 403 of an officer of another department than the one that acts in a case. */
export function otherDepartment(must: string, action: string, dept: string): Words {
  return {
    zh: `本案件中只有 ${must} 的工作人员可以执行 ${action}；您代表的是 ${dept}`,
    en: `only an officer of ${must} may ${action} in this case; you act for ${dept}`,
  };
}

/** A record's disclosure as the subject's pages name it. */
export const DISCLOSURE_ZH: Record<string, string> = {
  published: '公示中',
  under_objection: '异议处理中',
  publicity_ended: '公示已结束',
  deleted: '已删除',
  pending_review: '待审核',
  returned: '已退回',
};

export const disclosureZh = (d: string): string => DISCLOSURE_ZH[d] ?? d;

const CATEGORY_ZH: Record<string, string> = { basic: '基础信息', dishonesty: '失信信息', other: '其他信息' };

export const categoryZh = (c: string): string => CATEGORY_ZH[c] ?? c;
