import { gql } from '../api.js';
import { PALETTE } from '../bars.js';
import { timeChart } from '../charts.js';
import { card, clear, figure, h, link, message } from '../dom.js';
import { change, count, fraction, money, number, price, text, units } from '../format.js';
import { sortableTable } from '../table.js';

const ASSET = `query Asset($id: ID!, $firm: Boolean!) {
  asset(id: $id) {
    id name assetType isin currency issuer sector country rating status asOf
    currentPrice priceDate totalReturn avgDailyReturn avgVolatility valueAtRisk beta sharpeRatio
    riskCategory performanceCategory positionSize activeViolations
    marketValueBase @include(if: $firm) positionQuantity @include(if: $firm)
    prices { date close }
    violations { id ruleId ruleDescription details checkDate }
    trades(first: 25) { totalCount edges { node { id date type quantity price totalAmount costs portfolio { id name } counterparty { name } } } }
  }
}`;
// Its own request: a window without two returns is an error of this field alone.
const RISK = `query AssetRisk($id: ID!) {
  asset(id: $id) { risk { from to returns confidence annualReturn cumulativeReturn volatility sharpeRatio sortinoRatio
    maxDrawdown maxDrawdownPeak maxDrawdownTrough valueAtRisk parametricValueAtRisk expectedShortfall downsideRisk } }
}`;

export async function assetView(root, session, id) {
  clear(root, message('Loading…'));
  const { asset } = await gql(ASSET, { id, firm: session.firm });
  if (!asset)
    return clear(root, h('h1', { text: 'No such asset' }), message(`There is no asset ${id}.`), link('#/', 'Back to the dashboard'));
  const riskSlot = h('div', { class: 'slot' }, message('Loading…'));
  clear(
    root,
    h('nav', { class: 'crumbs' }, link('#/', 'Dashboard'), ' / ', h('span', { text: asset.name })),
    h('h1', { id: 'asset-name', text: asset.name }),
    h('p', { class: 'lead' }, [asset.assetType, asset.sector, asset.country, asset.currency, asset.isin].filter(Boolean).join(' · ')),
    h(
      'div',
      { class: 'figures', id: 'asset-figures' },
      figure('Price', price(asset.currentPrice), { id: 'asset-price', hint: `${asset.currency} on ${text(asset.priceDate)}` }),
      figure('Total return', change(asset.totalReturn), { id: 'asset-total-return', tone: asset.totalReturn < 0 ? 'down' : 'up' }),
      figure('VaR 95%', fraction(asset.valueAtRisk), { id: 'asset-var', hint: `risk ${text(asset.riskCategory)}` }),
      figure('Sharpe', number(asset.sharpeRatio), { id: 'asset-sharpe', hint: `beta ${number(asset.beta)}` }),
      session.firm
        ? figure('Position', money(asset.marketValueBase), {
            id: 'asset-position',
            hint: `${units(asset.positionQuantity)} units, base currency`,
          })
        : null,
      figure('Violations', count(asset.activeViolations), { id: 'asset-violations', tone: asset.activeViolations ? 'down' : undefined }),
    ),
    h(
      'div',
      { class: 'grid' },
      card('Price history', { id: 'price-history', wide: true }, priceChart(asset)),
      card('Risk profile', { id: 'asset-risk' }, riskSlot),
      card('Reference', { id: 'asset-reference' }, reference(asset)),
      card('Compliance', { id: 'asset-compliance', wide: true }, violations(asset.violations)),
      card(
        `Trades (${count(asset.trades.totalCount)})`,
        { id: 'asset-trades', wide: true },
        trades(asset.trades.edges.map((edge) => edge.node)),
      ),
    ),
  );
  gql(RISK, { id }).then(
    (data) => clear(riskSlot, riskProfile(data.asset.risk)),
    (error) => clear(riskSlot, message(error.message, 'muted')),
  );
}

function priceChart(asset) {
  if (!asset.prices.length) return message('No prices.');
  const closes = asset.prices.map((point) => Number(point.close));
  return [
    timeChart({
      dates: asset.prices.map((point) => point.date),
      yLabel: `Close (${asset.currency})`,
      label: `Daily closes of ${asset.name}`,
      series: [{ label: 'Close', values: closes, color: PALETTE[0], fill: true, format: price }],
    }),
    h(
      'dl',
      { class: 'pairs inline', id: 'price-summary' },
      h('dt', { text: 'From' }),
      h('dd', { text: `${asset.prices[0].date}` }),
      h('dt', { text: 'Low' }),
      h('dd', { text: price(Math.min(...closes)) }),
      h('dt', { text: 'High' }),
      h('dd', { text: price(Math.max(...closes)) }),
      h('dt', { text: 'Last' }),
      h('dd', { text: price(closes[closes.length - 1]) }),
    ),
  ];
}

/** Label/value pairs, the value as text; null values show a dash. */
export function pairs(id, entries) {
  return h(
    'dl',
    { class: 'pairs', id },
    entries.map(([label, value, key]) => [h('dt', { text: label }), h('dd', { 'data-key': key, text: value })]),
  );
}

export function riskProfile(risk) {
  return pairs('risk-profile', [
    ['Window', `${risk.from} to ${risk.to} (${count(risk.returns)} returns)`, 'window'],
    ['Annual return', change(risk.annualReturn), 'annualReturn'],
    ['Cumulative return', change(risk.cumulativeReturn), 'cumulativeReturn'],
    ['Volatility (annual)', fraction(risk.volatility), 'volatility'],
    ['Sharpe ratio', number(risk.sharpeRatio), 'sharpeRatio'],
    ['Sortino ratio', number(risk.sortinoRatio), 'sortinoRatio'],
    ['Max drawdown', change(risk.maxDrawdown), 'maxDrawdown'],
    [`VaR ${fraction(risk.confidence)} (historical)`, fraction(risk.valueAtRisk), 'valueAtRisk'],
    ['VaR (parametric)', fraction(risk.parametricValueAtRisk), 'parametricValueAtRisk'],
    ['Expected shortfall', fraction(risk.expectedShortfall), 'expectedShortfall'],
    ['Downside risk', fraction(risk.downsideRisk), 'downsideRisk'],
  ]);
}

function reference(asset) {
  return pairs('reference', [
    ['ISIN', text(asset.isin)],
    ['Issuer', text(asset.issuer)],
    ['Rating', text(asset.rating)],
    ['Status', text(asset.status)],
    ['Performance', text(asset.performanceCategory)],
    ['Position size', text(asset.positionSize)],
    ['Avg volatility', fraction(asset.avgVolatility)],
    ['Avg daily return', change(asset.avgDailyReturn)],
    ['Build as of', text(asset.asOf)],
  ]);
}

function violations(list) {
  return sortableTable(
    [
      { key: 'ruleId', label: 'Rule', value: (v) => v.ruleId },
      { key: 'ruleDescription', label: 'Description', value: (v) => v.ruleDescription, format: text },
      { key: 'details', label: 'Details', value: (v) => v.details, format: text },
      { key: 'checkDate', label: 'Checked', value: (v) => v.checkDate },
    ],
    list,
    { id: 'asset-violations-table', empty: 'No active violations.' },
  );
}

export function trades(list, { portfolio = true } = {}) {
  return sortableTable(
    [
      { key: 'date', label: 'Date', value: (t) => t.date },
      { key: 'type', label: 'Side', value: (t) => t.type },
      portfolio
        ? {
            key: 'portfolio',
            label: 'Portfolio',
            value: (t) => t.portfolio.name,
            cell: (t) => link(`#/portfolio/${t.portfolio.id}`, t.portfolio.name),
          }
        : null,
      portfolio
        ? null
        : { key: 'asset', label: 'Asset', value: (t) => t.asset.name, cell: (t) => link(`#/asset/${t.asset.id}`, t.asset.name) },
      { key: 'quantity', label: 'Quantity', value: (t) => t.quantity, format: units, numeric: true },
      { key: 'price', label: 'Price', value: (t) => t.price, format: price, numeric: true },
      { key: 'totalAmount', label: 'Amount', value: (t) => t.totalAmount, format: money, numeric: true },
      { key: 'costs', label: 'Costs', value: (t) => t.costs, format: price, numeric: true },
      { key: 'counterparty', label: 'Counterparty', value: (t) => t.counterparty?.name, format: text },
    ].filter(Boolean),
    list,
    { id: 'trades-table', empty: 'No trades you may see.' },
  );
}
