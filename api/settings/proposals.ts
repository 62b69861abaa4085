/**
 * Four eyes on the city's legal settings (DOMAIN.md: they change only when a second supervisor approves what a
 * first proposed). A proposal is checked when made and again when approved; approval applies it in the transaction
 * that marks it approved, and the proposer can neither approve it nor have it applied any other way.
 */
import { randomUUID } from 'node:crypto';
import type { Prisma, SettingsProposal } from '../../generated/prisma/client';
import { appendAudit } from '../../db/audit';
import type { Tx } from '../../db/client';
import type { Principal } from '../plugins/auth';
import { conflict, notFound, unprocessable } from '../problem';
import type { ResourceIdClaim } from '../idempotency';
import type { SettingsContext } from './proposal-kind';
import { kindOf, type ProposalKindName } from './proposal-kinds';

const SETTINGS_APPROVAL_LOCK = 0x5345_5454; // "SETT"

export interface ProposalView {
  id: string;
  kind: string;
  status: string;
  proposedBy: string;
  proposedAt: string;
  payload: unknown;
  preview: unknown;
  decidedBy: string | null;
  decidedAt: string | null;
  reasons: string[] | null;
  result: unknown;
}

export function proposalView(r: SettingsProposal): ProposalView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    proposedBy: r.proposedBy,
    proposedAt: r.proposedAt.toISOString(),
    payload: r.payload,
    preview: r.preview,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    reasons: (r.reasons as string[] | null) ?? null,
    result: r.result ?? null,
  };
}

/** A value as Postgres stores it in a JSON column: what JSON.stringify keeps of it. */
function asJson(value: Record<string, unknown>): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** The 404 of a proposal id that names none. */
export const noProposal = (id: string) => ({ zh: `没有设置提议 ${id}`, en: `no settings proposal ${id}` });

/** The proposal as it stands now, read again after a decision. */
async function viewOf(ctx: SettingsContext, id: string): Promise<ProposalView> {
  const row = await ctx.db.settingsProposal.findUnique({ where: { id } });
  if (!row) throw notFound(noProposal(id));
  return proposalView(row);
}

function kindNamed(name: string) {
  const k = kindOf(name);
  if (!k) throw new Error(`no proposal kind ${name}`);
  return k;
}

/** Checks and stores a proposal; nothing of the settings changes. The id is the Idempotency-Key's, when one is sent. */
export async function propose(
  ctx: SettingsContext,
  { kind, payload, by, claimId }: { kind: ProposalKindName; payload: unknown; by: Principal; claimId: ResourceIdClaim },
): Promise<ProposalView> {
  const k = kindNamed(kind);
  const parsed = k.payload.parse(payload);
  await k.validate(ctx, parsed);
  const preview = await k.preview(ctx, parsed);
  const id = await claimId(() => `SP-${randomUUID()}`);
  const row = await ctx.db.$transaction(async (tx) => {
    const existing = await tx.settingsProposal.findUnique({ where: { id } });
    if (existing) return existing;
    const created = await tx.settingsProposal.create({
      data: {
        id,
        kind,
        status: 'proposed',
        payload: parsed as object,
        preview: asJson(preview),
        proposedBy: by.sub,
        proposedAt: ctx.now,
      },
    });
    await appendAudit(tx, {
      actor: by.sub,
      role: by.role,
      action: 'settings.proposed',
      target: `settings:${id}`,
      detail: { kind, payload: parsed as object },
    });
    return created;
  });
  return proposalView(row);
}

async function open(ctx: SettingsContext, id: string): Promise<SettingsProposal> {
  const row = await ctx.db.settingsProposal.findUnique({ where: { id } });
  if (!row) throw notFound(noProposal(id));
  if (row.status !== 'proposed') {
    throw conflict(
      {
        zh: `提议 ${id} 已${row.status === 'approved' ? '批准' : row.status === 'rejected' ? '退回' : `为 ${row.status} 状态`}`,
        en: `proposal ${id} is already ${row.status}`,
      },
      { proposalStatus: row.status },
    );
  }
  return row;
}

/** Marks the proposal decided inside `tx`; another decision that came first makes this one a 409. */
async function decide(tx: Tx, id: string, data: Record<string, unknown>): Promise<void> {
  const n = await tx.settingsProposal.updateMany({ where: { id, status: 'proposed' }, data });
  if (n.count !== 1) throw conflict({ zh: `提议 ${id} 已在此期间被处理`, en: `proposal ${id} was decided meanwhile` });
}

/**
 * A second supervisor approves: the proposal is checked again against the settings as they are now, applied, and
 * the running cases it concerns are told after the change commits.
 */
export async function approve(ctx: SettingsContext, id: string, by: Principal): Promise<ProposalView> {
  const row = await open(ctx, id);
  if (row.proposedBy === by.sub) {
    throw conflict(
      {
        zh: `提议 ${id} 由 ${by.sub} 提出：须由另一名审核人员批准（双人审核）`,
        en: `proposal ${id} was made by ${by.sub}: a second supervisor must approve it (four eyes)`,
      },
      {
        proposedBy: row.proposedBy,
      },
    );
  }
  const k = kindNamed(row.kind);
  const payload = k.payload.parse(row.payload);
  const { after } = await ctx.db.$transaction(async (tx) => {
    // One approval at a time, checked again under the lock: a change approved meanwhile is part of the world it meets.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETTINGS_APPROVAL_LOCK}::bigint)`;
    await k.validate(ctx, payload);
    const prepared = k.prepare ? await k.prepare(ctx, payload) : undefined;
    await decide(tx, id, { status: 'approved', decidedBy: by.sub, decidedAt: ctx.now });
    const applied = await k.apply(tx, ctx, { payload, proposal: row, approver: by, prepared });
    await tx.settingsProposal.update({ where: { id }, data: { result: asJson(applied.result) } });
    await appendAudit(tx, {
      actor: by.sub,
      role: by.role,
      action: 'settings.approved',
      target: `settings:${id}`,
      detail: { kind: row.kind, proposedBy: row.proposedBy },
    });
    return applied;
  });
  const followUp = after ? await after() : undefined;
  const view = await viewOf(ctx, id);
  return followUp ? { ...view, result: { ...(view.result as object), ...followUp } } : view;
}

/** Any supervisor, the proposer included (withdrawing it), rejects with reasons; nothing changes. */
export async function reject(ctx: SettingsContext, id: string, by: Principal, reasons: string[]): Promise<ProposalView> {
  const row = await open(ctx, id);
  if (!reasons.length) {
    throw unprocessable({ zh: '请说明退回提议的理由', en: 'say why the proposal is rejected' }, [
      { path: 'body.reasons', message: { zh: '至少填写一条理由', en: 'at least one reason' } },
    ]);
  }
  await ctx.db.$transaction(async (tx) => {
    await decide(tx, id, { status: 'rejected', decidedBy: by.sub, decidedAt: ctx.now, reasons });
    await appendAudit(tx, {
      actor: by.sub,
      role: by.role,
      action: 'settings.rejected',
      target: `settings:${id}`,
      detail: { kind: row.kind, proposedBy: row.proposedBy, reasons },
    });
  });
  return viewOf(ctx, id);
}
