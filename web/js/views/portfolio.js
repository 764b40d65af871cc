import { gql } from '../api.js';
import { pairBar, shareBar } from '../bars.js';
import { card, clear, figure, h, link, message } from '../dom.js';
import { change, count, fraction, money, number, pnl, price, text, units } from '../format.js';
import { sortableTable } from '../table.js';
import { riskProfile, trades } from './asset.js';

const PORTFOLIO = `query Portfolio($id: ID!) {
  portfolio(id: $id) {
    id name owner baseCurrency costMethod
    pnl { currency realized unrealized }
    positions { asset { id name assetType } currency quantity averageCost price priceDate marketValue marketValueBase unrealizedGainLoss weight }
    drift { decisionId proposedAt total assets { assetId currentWeight targetWeight drift } }
    trades(first: 20) { totalCount edges { node { id date type quantity price totalAmount costs asset { id name } portfolio { id name } counterparty { name } } } }
  }
  rebalanceDecisions(portfolioId: $id, first: 1) { edges { node { id status proposedAt expectedReturn volatility sharpe source } } }
}`;
// Its own request: the risk engine is the slowest part, and its errors concern it alone.
const RISK = `query PortfolioRisk($id: ID!) {
  portfolio(id: $id) { risk {
    asOf baseCurrency
    portfolio { from to returns confidence annualReturn cumulativeReturn volatility sharpeRatio sortinoRatio
      maxDrawdown maxDrawdownPeak maxDrawdownTrough valueAtRisk parametricValueAtRisk expectedShortfall downsideRisk }
    positions { asset { id name } weight marketValueBase volatility valueAtRisk marginalValueAtRisk componentValueAtRisk }
  } }
}`;

export async function portfolioView(root, _session, id) {
  clear(root, message('Loading…'));
  const { portfolio, rebalanceDecisions } = await gql(PORTFOLIO, { id });
  if (!portfolio) {
    return clear(
      root,
      h('h1', { text: 'No such portfolio' }),
      message(`Portfolio ${id} does not exist, or your token does not let you see it.`),
      link('#/portfolios', 'Back to the portfolios'),
    );
  }
  const totalBase = portfolio.positions.reduce((sum, position) => sum + Number(position.marketValueBase ?? 0), 0);
  const riskSlot = h('div', { class: 'slot' }, message('Loading…'));
  const contributionsSlot = h('div', { class: 'slot' }, message('Loading…'));
  const decision = rebalanceDecisions.edges[0]?.node;
  clear(
    root,
    h('nav', { class: 'crumbs' }, link('#/portfolios', 'Portfolios'), ' / ', h('span', { text: portfolio.name })),
    h('h1', { id: 'portfolio-name', text: portfolio.name }),
    h('p', { class: 'lead' }, `Owner ${text(portfolio.owner)} · ${portfolio.baseCurrency} · ${portfolio.costMethod} costing`),
    h(
      'div',
      { class: 'figures', id: 'portfolio-figures' },
      figure('Market value', money(totalBase), { id: 'portfolio-value', hint: `${portfolio.pnl.currency}, latest closes` }),
      figure('Positions', count(portfolio.positions.length), { id: 'portfolio-positions' }),
      figure('Unrealized P&L', pnl(portfolio.pnl.unrealized), {
        id: 'portfolio-unrealized',
        hint: portfolio.pnl.currency,
        tone: Number(portfolio.pnl.unrealized) < 0 ? 'down' : 'up',
      }),
      figure('Realized P&L', pnl(portfolio.pnl.realized), {
        id: 'portfolio-realized',
        hint: portfolio.pnl.currency,
        tone: Number(portfolio.pnl.realized) < 0 ? 'down' : 'up',
      }),
    ),
    h(
      'div',
      { class: 'grid' },
      card('Positions', { id: 'positions', wide: true }, positions(portfolio.positions)),
      card('Risk profile', { id: 'portfolio-risk' }, riskSlot),
      card('Optimizer proposal', { id: 'proposal' }, proposal(portfolio, decision)),
      card('Risk contributions', { id: 'contributions', wide: true }, contributionsSlot),
      card(
        `Trades (${count(portfolio.trades.totalCount)})`,
        { id: 'portfolio-trades', wide: true },
        trades(
          portfolio.trades.edges.map((edge) => edge.node),
          { portfolio: false },
        ),
      ),
    ),
  );
  gql(RISK, { id }).then(
    ({ portfolio: withRisk }) => {
      const risk = withRisk?.risk;
      if (!risk) return [riskSlot, contributionsSlot].forEach((slot) => clear(slot, message('No holding has a price and an FX rate.')));
      clear(riskSlot, message(`As of ${risk.asOf}, in ${risk.baseCurrency}.`, 'muted small'), riskProfile(risk.portfolio));
      clear(contributionsSlot, contributions(risk.positions));
    },
    (error) => [riskSlot, contributionsSlot].forEach((slot) => clear(slot, message(error.message, 'muted'))),
  );
}

function positions(list) {
  return sortableTable(
    [
      { key: 'asset', label: 'Asset', value: (p) => p.asset.name, cell: (p) => link(`#/asset/${p.asset.id}`, p.asset.name) },
      { key: 'quantity', label: 'Quantity', value: (p) => p.quantity, format: units, numeric: true },
      { key: 'averageCost', label: 'Avg cost', value: (p) => p.averageCost, format: price, numeric: true },
      { key: 'price', label: 'Price', value: (p) => p.price, format: price, numeric: true },
      { key: 'currency', label: 'Ccy', value: (p) => p.currency },
      { key: 'marketValueBase', label: 'Value (base)', value: (p) => p.marketValueBase, format: money, numeric: true },
      { key: 'weight', label: 'Weight', value: (p) => p.weight, format: fraction, numeric: true },
      { key: 'bar', label: '', value: (p) => p.weight, cell: (p) => shareBar((p.weight ?? 0) * 100) },
      { key: 'unrealizedGainLoss', label: 'Unrealized P&L', value: (p) => p.unrealizedGainLoss, format: pnl, numeric: true },
    ],
    list.map((position) => ({ ...position, id: position.asset.id })),
    { id: 'positions-table', sort: { key: 'weight', direction: 'desc' }, caption: 'Positions', empty: 'No open positions.' },
  );
}

function contributions(list) {
  return sortableTable(
    [
      { key: 'asset', label: 'Asset', value: (p) => p.asset.name, cell: (p) => link(`#/asset/${p.asset.id}`, p.asset.name) },
      { key: 'weight', label: 'Weight', value: (p) => p.weight, format: fraction, numeric: true },
      { key: 'volatility', label: 'Volatility', value: (p) => p.volatility, format: fraction, numeric: true },
      { key: 'valueAtRisk', label: 'Own VaR', value: (p) => p.valueAtRisk, format: fraction, numeric: true },
      { key: 'marginalValueAtRisk', label: 'Marginal VaR', value: (p) => p.marginalValueAtRisk, format: number, numeric: true },
      { key: 'componentValueAtRisk', label: 'Component VaR', value: (p) => p.componentValueAtRisk, format: fraction, numeric: true },
    ],
    list.map((position) => ({ ...position, id: position.asset.id })),
    { id: 'contributions-table', sort: { key: 'componentValueAtRisk', direction: 'desc' }, caption: 'Contributions to the portfolio VaR' },
  );
}

/** The latest rebalance decision's target weights against the current ones, when there is one. */
function proposal(portfolio, decision) {
  const drift = portfolio.drift;
  if (!drift) return message('The optimizer has proposed nothing for this portfolio yet.');
  const names = new Map(portfolio.positions.map((position) => [position.asset.id, position.asset.name]));
  const max = Math.max(...drift.assets.flatMap((asset) => [asset.currentWeight, asset.targetWeight]), 0);
  return [
    message(
      `Decision ${drift.decisionId}${decision ? ` (${decision.status.toLowerCase()}, ${decision.source})` : ''} of ${drift.proposedAt.slice(0, 10)}: ` +
        `${fraction(drift.total)} of the portfolio would trade.` +
        (decision
          ? ` Expected return ${change(decision.expectedReturn)}, volatility ${fraction(decision.volatility)}, Sharpe ${number(decision.sharpe)}.`
          : ''),
      'small',
    ),
    h(
      'p',
      { class: 'legend small' },
      h('span', { class: 'swatch current' }),
      ' current ',
      h('span', { class: 'swatch target' }),
      ' proposed',
    ),
    sortableTable(
      [
        {
          key: 'asset',
          label: 'Asset',
          value: (a) => names.get(a.assetId) ?? `asset ${a.assetId}`,
          cell: (a) => link(`#/asset/${a.assetId}`, names.get(a.assetId) ?? `asset ${a.assetId}`),
        },
        { key: 'currentWeight', label: 'Current', value: (a) => a.currentWeight, format: fraction, numeric: true },
        { key: 'targetWeight', label: 'Proposed', value: (a) => a.targetWeight, format: fraction, numeric: true },
        { key: 'drift', label: 'Drift', value: (a) => a.drift, format: change, numeric: true },
        { key: 'bars', label: '', value: (a) => a.targetWeight, cell: (a) => pairBar(a.currentWeight, a.targetWeight, max) },
      ],
      drift.assets.map((asset) => ({ ...asset, id: asset.assetId })),
      { id: 'proposal-table', sort: { key: 'targetWeight', direction: 'desc' }, caption: 'Proposed against current weights' },
    ),
  ];
}
