/** The exchange with the provincial platform in words people read: what each entry told, and where it stands. */
import type { RecordExchangeItem } from '../../contract/exchange';

/** What an entry told the platform. */
export const EXCHANGE_KIND_ZH: Record<string, string> = {
  record_supplied: '报送信用信息',
  record_corrected: '报送更正后的信息',
  record_objection_marked: '告知异议标注',
  record_objection_cleared: '告知异议标注解除',
  record_publicity_ended: '撤回公示（停止公示）',
  record_deleted: '撤回（信息已删除）',
  listing_listed: '报送列入严重失信主体名单',
  listing_removed: '告知移出名单',
  listing_revoked: '告知撤销列入',
  listing_repaired: '告知信用修复后移出名单',
  subject_entry_made: '报送责任人记录（第四十八条）',
  subject_entry_ended: '撤回责任人记录',
};

export const exchangeKindText = (kind: string): string => EXCHANGE_KIND_ZH[kind] ?? kind;

/** Where one change stands, for the subject (Art 49), with the tone of its tag. */
export const RECORD_EXCHANGE_STATE: Record<RecordExchangeItem['state'], [text: string, tone: string]> = {
  sent: ['已报送省平台', 'green'],
  waiting: ['等待报送', 'orange'],
  returned: ['省平台退回，正在改正', 'red'],
};

/** A reconciliation's outcome, with the tone of its tag. */
export const RECONCILIATION_STATUS: Record<string, [text: string, tone: string]> = {
  matched: ['一致', 'green'],
  repaired: ['发现差异，已重新报送', 'orange'],
  unreachable: ['省平台无应答，未能核对', 'red'],
  unconfigured: ['未配置省平台地址，未核对', 'grey'],
};

/** An age in seconds as a reader says it. */
export function ageText(seconds: number): string {
  if (seconds < 60) return '不到1分钟';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}分钟`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}小时`;
  return `${Math.floor(seconds / 86_400)}天`;
}
