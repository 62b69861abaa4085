import type { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Db, Tx } from '../../db/client';
import type { Principal } from '../plugins/auth';

/** What a kind of proposal may use: the database, Temporal (to tell running cases), the legal "now", a logger. */
export interface SettingsContext {
  db: Db;
  temporal: Client;
  now: Date;
  log: FastifyBaseLogger;
}

export interface ApplyInput<P> {
  payload: P;
  proposal: { id: string; proposedBy: string; proposedAt: Date };
  approver: Principal;
  /** What `prepare` read, when the kind has one. */
  prepared?: unknown;
}

export interface Applied {
  /** What the approval answers and the proposal keeps as its result. */
  result: Record<string, unknown>;
  /** Work after the change is committed (signalling running cases); its failure does not undo the change. */
  after?: () => Promise<Record<string, unknown> | undefined>;
}

/**
 * One kind of change to the city's legal settings (a calendar year, a policy override, a catalogue item): how its
 * payload looks, what makes it refused (checked when proposed and again when approved, as the world may have
 * changed between), what approving it would change, and how it is applied. Registered in proposal-kinds.ts.
 */
export interface ProposalKind<P> {
  readonly kind: string;
  /** The stored payload: what the proposing route received, in the shape `apply` takes. */
  readonly payload: z.ZodType<P>;
  /** @throws Problem (422) naming what is wrong. */
  validate(ctx: SettingsContext, payload: P): Promise<void>;
  preview(ctx: SettingsContext, payload: P): Promise<Record<string, unknown>>;
  /** Runs inside the transaction that marks the proposal approved, so both commit or neither does. */
  apply(tx: Tx, ctx: SettingsContext, input: ApplyInput<P>): Promise<Applied>;
  /** Reads `apply` needs that must not run inside its transaction (they take their own connections). */
  prepare?(ctx: SettingsContext, payload: P): Promise<unknown>;
}

/** Declares a kind with its payload type checked against its functions. */
export function proposalKind<P>(k: ProposalKind<P>): ProposalKind<P> {
  return k;
}
