/** The objection procedure's fixed words (API.md), shared by its definitions and its actions without a cycle. */
export const OBJECTION_GROUNDS = ['error_or_omission', 'trade_secret', 'privacy_or_rights'] as const;
export type ObjectionGrounds = (typeof OBJECTION_GROUNDS)[number];

export const OBJECTION_OUTCOMES = ['delete', 'correct', 'supplement', 'stop_disclosure', 'remove_from_list', 'keep'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
