/**
 * The actions of the audit log: stable strings, documented in docs/audit.md. Existing names never
 * change meaning; a new kind of change gets a new name.
 */
export const AUDIT_ACTIONS = {
  'trade.recorded': 'recordTrade recorded a trade (not a retry that returned an earlier one).',
  'trades.imported': 'importTrades accepted a file: its row counts and the SHA-256 of its bytes.',
  'cost_method.set': "setCostMethod changed a portfolio's cost method (not a call that left it as it was).",
  'rebalance.proposed':
    'A rebalance decision was stored (proposeRebalance or a rebalance schedule): its inputs, the hashes of its price window, covariance and positions, the solver output and the trades.',
  'rebalance.executed':
    "executeRebalance recorded a decision's trades (each also a trade.recorded entry before this one): the decision and its trade ids.",
  'build.requested': 'A rebuild of asset_360 was enqueued.',
  'build.started': "A build began: its row in asset_360_builds is 'running'.",
  'build.succeeded': 'A build published asset_360.',
  'build.failed': 'A build failed, or was found abandoned by the next build.',
  'rebuild_schedule.set': 'The rebuild schedule was replaced.',
  'rebuilds.paused': 'Rebuilds were paused.',
  'rebuilds.resumed': 'Rebuilds were resumed.',
  'rebalance_schedule.set': "A portfolio's rebalance schedule was installed or replaced.",
  'rebalance_schedule.paused': "A portfolio's rebalance schedule was paused (not a call for a portfolio without one).",
  'rebalance_schedule.resumed': "A portfolio's rebalance schedule was resumed (not a call for a portfolio without one).",
  'rebalance_schedule.removed': "A portfolio's rebalance schedule was removed (not a call for a portfolio without one).",
  'risk.requested': 'A run of the risk engine was enqueued.',
  'risk_schedule.set': "The risk engine's schedule was replaced.",
  'settings.changed': 'A value of asset_360_settings changed (written by a trigger in the database).',
  'cash.transfer':
    'transfer booked money out of an account: both legs of an internal transfer, or one payment (not a retry that returned it).',
  'cash.imported': 'importCashTransactions accepted a file: its row counts and the SHA-256 of its bytes.',
  'cash_rule.set': 'A cash category rule was added or changed.',
  'cash_rule.deleted': 'A cash category rule was removed.',
  'token.minted': 'npm run token signed a token (its claims and the SHA-256 of the token, never the token).',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
