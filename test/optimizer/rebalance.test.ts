import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/actor.js';
import { verifyChain } from '../../src/audit/verify.js';
import { recordTrade } from '../../src/trades/record-trade.js';
import { useTestDatabase } from '../support/database.js';
import { graphql, startTestServer, type TestServer } from '../support/server.js';
import { AUTH_ON, bearer, expectClientError } from '../security/support.js';
import { entriesAfter, headSeq } from '../audit/support.js';
import { FIRST_DATE, LAST_DATE, seedPyPortfolioOptBook } from './book.js';

const db = useTestDatabase();
let server: TestServer;
let analyst: Record<string, string>;
let book: Awaited<ReturnType<typeof seedPyPortfolioOptBook>>;

beforeAll(async () => {
  book = await seedPyPortfolioOptBook(db.sql);
  server = await startTestServer(db.sql, AUTH_ON);
  analyst = await bearer('ANALYST');
});
afterAll(() => server?.close());

const DECISION = `id portfolioId status source proposedAt proposedBy inputs priceWindowHash covarianceHash positionsHash
  weights { assetId weight } expectedReturn volatility sharpe observations covarianceRepaired
  trades { assetId side quantity price currentQuantity targetQuantity } executedAt executedBy tradeIds`;
const PROPOSE = `mutation($portfolioId: ID!, $input: OptimizationInput!) { proposeRebalance(portfolioId: $portfolioId, input: $input) { ${DECISION} } }`;
const EXECUTE = `mutation($id: ID!) { executeRebalance(decisionId: $id) { ${DECISION} } }`;
const LIST = `query($id: ID!) { rebalanceDecisions(portfolioId: $id) { totalCount edges { node { id status } } } }`;
const DRIFT = `query($id: ID!) { portfolio(id: $id) { drift { decisionId total assets { assetId targetWeight currentWeight drift } } } }`;

const input = { from: FIRST_DATE, to: LAST_DATE, objective: 'MIN_VOLATILITY' };

async function propose(headers = analyst) {
  return graphql(server.url, PROPOSE, { portfolioId: book.portfolioId, input }, headers);
}

async function tradeCount(): Promise<number> {
  const [{ n }] = await db.sql<[{ n: number }]>`select count(*)::int as n from transactions where portfolio_id = ${book.portfolioId}`;
  return n;
}

/** Each position's weight at the latest closes, in the portfolio's value. */
async function weightsNow(): Promise<{ weights: Map<string, number>; lotWeight: Map<string, number> }> {
  const rows = await db.sql<{ asset_id: string; value: number; price: number }[]>`
    select a.asset_id::text, coalesce(sum(l.remaining_quantity), 0)::float8 * m.closing_price::float8 as value, m.closing_price::float8 as price
    from asset_master a
    left join position_lots l on l.asset_id = a.asset_id and l.portfolio_id = ${book.portfolioId}
    join lateral (select closing_price from market_data where asset_id = a.asset_id order by price_date desc limit 1) m on true
    group by a.asset_id, m.closing_price`;
  const total = rows.reduce((s, r) => s + r.value, 0);
  return {
    weights: new Map(rows.map((r) => [r.asset_id, r.value / total])),
    lotWeight: new Map(rows.map((r) => [r.asset_id, r.price / total])),
  };
}

const ANALYST_SUBJECT = 'security-ANALYST-1';

describe('proposeRebalance, executeRebalance, rebalanceDecisions and Portfolio.drift', () => {
  let proposed: Record<string, any>;

  it('stores a proposal with its inputs, hashes, solver output and actor, in the audit log too; a VIEWER may not propose', async () => {
    const head = await headSeq(db.sql);
    expectClientError(await propose(await bearer('VIEWER', [book.portfolioId])), 'FORBIDDEN');
    expect(await headSeq(db.sql)).toBe(head);
    const response = await propose();
    expect(response.errors).toBeUndefined();
    proposed = response.data!.proposeRebalance;
    expect(proposed).toMatchObject({
      portfolioId: book.portfolioId,
      status: 'PROPOSED',
      source: 'graph',
      executedAt: null,
      tradeIds: null,
    });
    expect(proposed.proposedBy).toBe(ANALYST_SUBJECT);
    expect(proposed.inputs).toMatchObject({ from: FIRST_DATE, to: LAST_DATE, objective: { kind: 'MIN_VOLATILITY' }, riskFreeRate: 0.02 });
    for (const hash of [proposed.priceWindowHash, proposed.covarianceHash, proposed.positionsHash]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(proposed.volatility - 0.15915084514118694)).toBeLessThanOrEqual(1e-6);
    expect(proposed.trades.length).toBeGreaterThan(0);
    const [stored] = await db.sql`select proposed_by, inputs, solver_output from rebalance_decisions where decision_id = ${proposed.id}`;
    expect(stored!.proposed_by).toBe(proposed.proposedBy);
    expect(stored!.solver_output.weights).toHaveLength(20);

    const entries = await entriesAfter(db.sql, head);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorSubject: ANALYST_SUBJECT,
      actorRole: 'ANALYST',
      action: 'rebalance.proposed',
      entity: 'rebalance_decision',
      entityId: proposed.id,
    });
    expect(entries[0]!.payload).toEqual({
      decision_id: proposed.id,
      portfolio_id: book.portfolioId,
      source: 'graph',
      inputs: stored!.inputs,
      price_window_hash: proposed.priceWindowHash,
      covariance_hash: proposed.covarianceHash,
      positions_hash: proposed.positionsHash,
      solver_output: stored!.solver_output,
      trades: expect.any(Array),
    });
    expect(entries[0]!.payload.trades).toHaveLength(proposed.trades.length);
  });

  it('drift shows how far the positions are from the targets before execution', async () => {
    const drift = (await graphql(server.url, DRIFT, { id: book.portfolioId }, analyst)).data!.portfolio.drift;
    expect(drift.decisionId).toBe(proposed.id);
    expect(drift.total).toBeGreaterThan(0.1);
    for (const asset of drift.assets) expect(asset.drift).toBeCloseTo(asset.currentWeight - asset.targetWeight, 12);
  });

  it('execution records every trade through recordTrade and lands each position within one lot of its target', async () => {
    const before = await tradeCount();
    const head = await headSeq(db.sql);
    const response = await graphql(server.url, EXECUTE, { id: proposed.id }, analyst);
    expect(response.errors).toBeUndefined();
    const executed = response.data!.executeRebalance;
    expect(executed.status).toBe('EXECUTED');
    expect(executed.executedBy).toBe(proposed.proposedBy);
    expect(executed.tradeIds).toHaveLength(proposed.trades.length);
    expect(await tradeCount()).toBe(before + proposed.trades.length);
    const recorded = await db.sql<{ external_id: string; transaction_type: string; quantity: string; asset_id: string }[]>`
      select external_id, transaction_type, trim_scale(quantity)::text as quantity, asset_id::text
      from transactions where transaction_id = any(${executed.tradeIds}::bigint[])`;
    for (const trade of proposed.trades) {
      expect(recorded).toContainEqual({
        external_id: `rebalance-${proposed.id}-${trade.assetId}`,
        transaction_type: trade.side,
        quantity: trade.quantity,
        asset_id: trade.assetId,
      });
    }
    const { weights, lotWeight } = await weightsNow();
    for (const target of proposed.weights) {
      expect(Math.abs(weights.get(target.assetId)! - target.weight)).toBeLessThanOrEqual(lotWeight.get(target.assetId)!);
    }
    const drift = (await graphql(server.url, DRIFT, { id: book.portfolioId }, analyst)).data!.portfolio.drift;
    expect(drift.total).toBeLessThan(0.01);

    // The audit log: each trade as recordTrade records one, then the execution naming them all.
    const entries = await entriesAfter(db.sql, head);
    expect(entries).toHaveLength(executed.tradeIds.length + 1);
    const trades = entries.slice(0, -1);
    expect(trades.map((e) => e.entityId)).toEqual(executed.tradeIds);
    for (const entry of trades) {
      expect(entry).toMatchObject({ actorSubject: ANALYST_SUBJECT, actorRole: 'ANALYST', action: 'trade.recorded', entity: 'trade' });
      const trade = proposed.trades.find((t: { assetId: string }) => t.assetId === entry.payload.asset_id);
      expect(entry.payload).toMatchObject({
        trade_id: entry.entityId,
        portfolio_id: book.portfolioId,
        type: trade.side,
        quantity: trade.quantity,
        price: trade.price,
        external_id: `rebalance-${proposed.id}-${trade.assetId}`,
      });
    }
    expect(entries.at(-1)).toMatchObject({
      actorSubject: ANALYST_SUBJECT,
      actorRole: 'ANALYST',
      action: 'rebalance.executed',
      entity: 'rebalance_decision',
      entityId: proposed.id,
      payload: { decision_id: proposed.id, portfolio_id: book.portfolioId, trade_ids: executed.tradeIds },
    });
    // Both decisions are in the log, and the chain that holds them verifies.
    const logged = await db.sql<{ action: string }[]>`
      select action from audit_log where entity = 'rebalance_decision' and entity_id = ${proposed.id} order by seq`;
    expect(logged.map((e) => e.action)).toEqual(['rebalance.proposed', 'rebalance.executed']);
    expect(await verifyChain(db.sql)).toEqual({
      ok: true,
      count: BigInt(entries.at(-1)!.seq),
      head: expect.objectContaining({ seq: entries.at(-1)!.seq }),
    });
  });

  it('a decision executes once', async () => {
    const head = await headSeq(db.sql);
    const again = await graphql(server.url, EXECUTE, { id: proposed.id }, analyst);
    expectClientError(again, 'BAD_USER_INPUT');
    expect(again.errors![0]!.extensions!.argument).toBe('decisionId');
    expectClientError(await graphql(server.url, EXECUTE, { id: '999999' }, analyst), 'NOT_FOUND');
    expect(await headSeq(db.sql)).toBe(head);
  });

  it('is refused, recording nothing, when the positions changed since the proposal', async () => {
    const decision = (await propose()).data!.proposeRebalance;
    await recordTrade(
      db.sql,
      {
        assetId: book.assetIds[0]!,
        portfolioId: book.portfolioId,
        counterpartyId: null,
        type: 'BUY',
        date: LAST_DATE,
        quantity: '1',
        price: '1',
        costs: '0',
        currency: null,
        externalId: null,
      },
      systemActor('optimizer-test'),
    );
    const before = await tradeCount();
    const head = await headSeq(db.sql);
    const response = await graphql(server.url, EXECUTE, { id: decision.id }, analyst);
    expectClientError(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.argument).toBe('decisionId');
    expect(await tradeCount()).toBe(before);
    expect(await headSeq(db.sql)).toBe(head);
    const [row] = await db.sql`select status from rebalance_decisions where decision_id = ${decision.id}`;
    expect(row!.status).toBe('PROPOSED');
  });

  it('is all or nothing: a trade refused after others were recorded leaves no trade behind', async () => {
    const decision = (
      await graphql(server.url, PROPOSE, { portfolioId: book.portfolioId, input: { ...input, objective: 'MAX_SHARPE' } }, analyst)
    ).data!.proposeRebalance;
    const sells = decision.trades.filter((t: { side: string }) => t.side === 'SELL');
    const buy = decision.trades.find((t: { side: string }) => t.side === 'BUY');
    expect(sells.length).toBeGreaterThan(0);
    // SELLs are recorded first; the BUY of an asset that stopped trading is then refused.
    await db.sql`update asset_master set status = 'MATURED' where asset_id = ${buy.assetId}`;
    const before = await tradeCount();
    const head = await headSeq(db.sql);
    const response = await graphql(server.url, EXECUTE, { id: decision.id }, analyst);
    await db.sql`update asset_master set status = 'ACTIVE' where asset_id = ${buy.assetId}`;
    expectClientError(response, 'BAD_USER_INPUT');
    expect(await tradeCount()).toBe(before);
    // Neither the SELLs recorded before the refusal nor the execution are in the audit log.
    expect(await headSeq(db.sql)).toBe(head);
    const [row] = await db.sql`select status from rebalance_decisions where decision_id = ${decision.id}`;
    expect(row!.status).toBe('PROPOSED');
  });

  it('lists the decisions newest first with their status', async () => {
    const list = (await graphql(server.url, LIST, { id: book.portfolioId }, analyst)).data!.rebalanceDecisions;
    expect(list.totalCount).toBe(3);
    expect(list.edges.map((e: { node: { status: string } }) => e.node.status)).toEqual(['PROPOSED', 'PROPOSED', 'EXECUTED']);
    const hidden = await graphql(server.url, LIST, { id: book.portfolioId }, await bearer('VIEWER', ['999']));
    expect(hidden.data!.rebalanceDecisions.totalCount).toBe(0);
  });

  it('a decision is a record: no delete, no change but its one execution', async () => {
    await expect(db.sql`delete from rebalance_decisions where decision_id = ${proposed.id}`).rejects.toThrow(/cannot be deleted/);
    await expect(db.sql`update rebalance_decisions set proposed_by = 'someone else' where decision_id = ${proposed.id}`).rejects.toThrow(
      /only go from PROPOSED to EXECUTED/,
    );
    await expect(
      db.sql`update rebalance_decisions set inputs = '{}', status = 'EXECUTED', executed_at = now(), executed_by = 'x', trade_ids = '{}'
        where status = 'PROPOSED'`,
    ).rejects.toThrow(/only go from PROPOSED to EXECUTED/);
  });
});

describe('a rebalance of a portfolio that settles in a cash account', () => {
  it('books each trade’s cash leg, as recordTrade does, and names it in the trade’s audit entry', async () => {
    const [user] = await db.sql<
      [{ id: string }]
    >`insert into users (login, name) values ('rebalancer', 'Rebalancer') returning user_id::text as id`;
    const [account] = await db.sql<[{ id: string }]>`
      insert into accounts (name, kind, owner_user_id, currency, portfolio_id, opened_on)
      values ('Rebalance Brokerage', 'BROKERAGE', ${user.id}::bigint, 'USD', ${book.portfolioId}::bigint, ${FIRST_DATE}::date)
      returning account_id::text as id`;
    await db.sql`
      insert into cash_movements (account_id, movement_date, amount, currency, section, category, description)
      values (${account.id}::bigint, ${LAST_DATE}::date, 1000000, 'USD', 'INCOME', 'Salary', 'funding')`;
    const decision = (
      await graphql(server.url, PROPOSE, { portfolioId: book.portfolioId, input: { ...input, objective: 'MAX_SHARPE' } }, analyst)
    ).data!.proposeRebalance;
    expect(decision.trades.length).toBeGreaterThan(0);
    const head = await headSeq(db.sql);
    const executed = (await graphql(server.url, EXECUTE, { id: decision.id }, analyst)).data!.executeRebalance;
    expect(executed.status).toBe('EXECUTED');
    const legs = await db.sql<{ trade_id: string; movement_id: string; amount: string }[]>`
      select trade_id::text, movement_id::text, amount::text from cash_movements where trade_id = any(${executed.tradeIds}::bigint[])`;
    expect(legs).toHaveLength(executed.tradeIds.length);
    const trades = (await entriesAfter(db.sql, head)).filter((entry) => entry.action === 'trade.recorded');
    expect(trades).toHaveLength(executed.tradeIds.length);
    for (const entry of trades) {
      const leg = legs.find((l) => l.trade_id === entry.entityId)!;
      const trade = decision.trades.find((t: { assetId: string }) => t.assetId === entry.payload.asset_id);
      // A SELL credits quantity × price, a BUY debits it (no costs on a rebalance trade).
      const signed = (trade.side === 'SELL' ? 1 : -1) * Number(trade.quantity) * Number(trade.price);
      expect(Number(leg.amount)).toBeCloseTo(signed, 2);
      expect(entry.payload.cash_leg).toEqual({ movement_id: leg.movement_id, account_id: account.id, amount: leg.amount, currency: 'USD' });
    }
    expect((await verifyChain(db.sql)).ok).toBe(true);
  });
});
