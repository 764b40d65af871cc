import { gql } from '../api.js';
import { PALETTE, shareBar } from '../bars.js';
import { card, clear, figure, h, link, message } from '../dom.js';
import { change, count, fraction, money, month, number, share, text } from '../format.js';
import { sortableTable } from '../table.js';

// The book at a glance. Each card asks for its own figures, so the overview paints first and the
// larger sections follow; firm-wide figures are asked for only when the role may see them.

const OVERVIEW = `query Overview($firm: Boolean!) {
  portfolioOverview { totalAssets averageReturn totalValue @include(if: $firm) riskDistribution { category count percentage } }
  complianceSummary { totalActiveViolations }
}`;
const SLICE = 'key count percentage marketValue @include(if: $firm)';
const ALLOCATION = `query Allocation($by: AllocationDimension!, $firm: Boolean!) { assetAllocation(by: $by) { ${SLICE} } }`;
const EXPOSURE = `query Exposure($firm: Boolean!) { sectorExposure { ${SLICE} } geographicDistribution { ${SLICE} } }`;
const RANKINGS = `query Rankings($top: Int!) {
  riskMetrics(top: $top) { id name assetType sector riskCategory valueAtRisk avgVolatility beta sharpeRatio }
  performanceDashboard(top: $top) { topPerformers { id name assetType sector totalReturn avgDailyReturn sharpeRatio performanceCategory } }
}`;
const COMPLIANCE = `query Compliance {
  complianceSummary { totalActiveViolations assets { id name activeViolations violations { id ruleId ruleDescription details checkDate } } }
}`;
const TRADING = `query Trading($months: Int!) { transactionAnalysis(months: $months) { month tradeCount buyCount sellCount totalAmount totalCosts } }`;

export const DIMENSIONS = [
  ['ASSET_TYPE', 'Asset type'],
  ['SECTOR', 'Sector'],
  ['COUNTRY', 'Country'],
  ['CURRENCY', 'Currency'],
  ['RISK_CATEGORY', 'Risk category'],
  ['PERFORMANCE_CATEGORY', 'Performance category'],
  ['POSITION_SIZE', 'Position size'],
];
const TOP = 10;
const MONTHS = 12;
const RISK_COLORS = { LOW: '#16a34a', MEDIUM: '#d97706', HIGH: '#dc2626', UNKNOWN: '#94a3b8' };

const assetLink = (row) => link(`#/asset/${row.id}`, row.name);

/** A card's body while its figures load, then what fill() returns, or the error. */
function section(slot, load, fill) {
  clear(slot, message('Loading…'));
  return load()
    .then(async (data) => clear(slot, await fill(data)))
    .catch((error) => clear(slot, message(error.message, 'error')));
}

export function dashboardView(root, session) {
  const firm = session.firm;
  const slot = () => h('div', { class: 'slot' });
  const [overview, risk, allocation, sectors, geography, riskiest, performers, compliance, trading] = Array.from({ length: 9 }, slot);
  const by = h(
    'select',
    { id: 'allocation-by', 'aria-label': 'Allocate by', onchange: () => loadAllocation() },
    DIMENSIONS.map(([value, label]) => h('option', { value, text: label })),
  );
  clear(
    root,
    h('h1', { text: 'The book at a glance' }),
    h('div', { class: 'grid' }, h('div', { class: 'wide', id: 'overview' }, overview)),
    h(
      'div',
      { class: 'grid' },
      card('Risk distribution', { id: 'risk-distribution' }, risk),
      card('Allocation', { id: 'allocation', actions: h('label', { class: 'inline' }, 'by ', by) }, allocation),
      card('Sector exposure', { id: 'sectors' }, sectors),
      card('Geography', { id: 'geography' }, geography),
      card(`Riskiest ${TOP} assets`, { id: 'riskiest' }, riskiest),
      card(`Top ${TOP} performers`, { id: 'top-performers' }, performers),
      card('Trading activity', { id: 'trading', wide: true }, trading),
      card('Compliance: active violations', { id: 'compliance', wide: true }, compliance),
    ),
  );

  const painted = section(
    overview,
    () => gql(OVERVIEW, { firm }),
    ({ portfolioOverview: o, complianceSummary: c }) => {
      clear(risk, riskTable(o.riskDistribution));
      const figures = h(
        'div',
        { class: 'figures' },
        figure('Total value', firm ? money(o.totalValue) : '—', {
          id: 'total-value',
          hint: firm ? 'market value, base currency' : 'firm-wide: needs ANALYST',
        }),
        figure('Assets', count(o.totalAssets), { id: 'total-assets', hint: 'in the current build' }),
        figure('Average return', change(o.averageReturn), {
          id: 'average-return',
          hint: 'mean total return',
          tone: o.averageReturn < 0 ? 'down' : 'up',
        }),
        figure('Active violations', count(c.totalActiveViolations), {
          id: 'active-violations',
          hint: 'compliance rules broken',
          tone: c.totalActiveViolations ? 'down' : undefined,
        }),
      );
      return figures;
    },
  );

  function loadAllocation() {
    return section(
      allocation,
      () => gql(ALLOCATION, { by: by.value, firm }),
      (data) =>
        sliceTable(data.assetAllocation, {
          firm,
          keyLabel: by.selectedOptions[0].textContent,
          shareLabel: 'Share of value',
          id: 'allocation-table',
        }),
    );
  }
  // The first meaningful paint: the key figures are in the DOM (the browser test reads this mark).
  // The other sections ask only then, so that on a busy server the overview is not queued behind them.
  painted.then(() => {
    if (overview.querySelector('#total-value')) performance.mark('overview-rendered');
    loadRest();
  });

  function loadRest() {
    loadAllocation();
    gql(EXPOSURE, { firm }).then(
      (data) => {
        clear(sectors, sliceTable(data.sectorExposure, { firm, keyLabel: 'Sector', shareLabel: 'Share of assets', id: 'sectors-table' }));
        clear(
          geography,
          sliceTable(data.geographicDistribution, { firm, keyLabel: 'Country', shareLabel: 'Share of assets', id: 'geography-table' }),
        );
      },
      (error) => [sectors, geography].forEach((one) => clear(one, message(error.message, 'error'))),
    );
    gql(RANKINGS, { top: TOP }).then(
      (data) => {
        clear(riskiest, riskiestTable(data.riskMetrics));
        clear(performers, performersTable(data.performanceDashboard.topPerformers));
      },
      (error) => [riskiest, performers].forEach((one) => clear(one, message(error.message, 'error'))),
    );
    section(
      compliance,
      () => gql(COMPLIANCE),
      (data) => complianceTable(data.complianceSummary),
    );
    if (firm)
      section(
        trading,
        () => gql(TRADING, { months: MONTHS }),
        (data) => tradingSection(data.transactionAnalysis),
      );
    else clear(trading, message('Trading volume is firm-wide: it needs the ANALYST role. Your portfolios’ trades are on their pages.'));
  }
}

function riskTable(buckets) {
  return sortableTable(
    [
      { key: 'category', label: 'Category', value: (b) => b.category },
      { key: 'count', label: 'Assets', value: (b) => b.count, format: count, numeric: true },
      { key: 'percentage', label: 'Share', value: (b) => b.percentage, format: share, numeric: true },
      { key: 'bar', label: '', value: (b) => b.percentage, cell: (b) => shareBar(b.percentage, RISK_COLORS[b.category]) },
    ],
    buckets.map((bucket) => ({ ...bucket, id: bucket.category })),
    { id: 'risk-table', caption: 'Assets per risk category' },
  );
}

function sliceTable(slices, { firm, keyLabel, shareLabel, id }) {
  const columns = [
    { key: 'key', label: keyLabel, value: (s) => s.key, format: (value) => text(value ?? 'none') },
    { key: 'count', label: 'Assets', value: (s) => s.count, format: count, numeric: true },
    firm ? { key: 'marketValue', label: 'Market value', value: (s) => s.marketValue, format: money, numeric: true } : null,
    { key: 'percentage', label: shareLabel, value: (s) => s.percentage, format: share, numeric: true },
    { key: 'bar', label: '', value: (s) => s.percentage, cell: (s) => shareBar(s.percentage) },
  ].filter(Boolean);
  return sortableTable(
    columns,
    slices.map((slice) => ({ ...slice, id: slice.key ?? '' })),
    { id, caption: keyLabel },
  );
}

function riskiestTable(assets) {
  return sortableTable(
    [
      { key: 'name', label: 'Asset', value: (a) => a.name, cell: assetLink },
      { key: 'assetType', label: 'Type', value: (a) => a.assetType },
      { key: 'valueAtRisk', label: 'VaR 95%', value: (a) => a.valueAtRisk, format: fraction, numeric: true },
      { key: 'avgVolatility', label: 'Volatility', value: (a) => a.avgVolatility, format: fraction, numeric: true },
      { key: 'beta', label: 'Beta', value: (a) => a.beta, format: number, numeric: true },
      { key: 'sharpeRatio', label: 'Sharpe', value: (a) => a.sharpeRatio, format: number, numeric: true },
    ],
    assets,
    { id: 'riskiest-table', sort: { key: 'valueAtRisk', direction: 'desc' }, caption: 'Riskiest assets by value at risk' },
  );
}

function performersTable(assets) {
  return sortableTable(
    [
      { key: 'name', label: 'Asset', value: (a) => a.name, cell: assetLink },
      { key: 'assetType', label: 'Type', value: (a) => a.assetType },
      { key: 'totalReturn', label: 'Total return', value: (a) => a.totalReturn, format: change, numeric: true },
      { key: 'avgDailyReturn', label: 'Avg daily', value: (a) => a.avgDailyReturn, format: change, numeric: true },
      { key: 'sharpeRatio', label: 'Sharpe', value: (a) => a.sharpeRatio, format: number, numeric: true },
    ],
    assets,
    { id: 'performers-table', sort: { key: 'totalReturn', direction: 'desc' }, caption: 'Top performers by total return' },
  );
}

function complianceTable(summary) {
  const rows = summary.assets.flatMap((asset) => asset.violations.map((violation) => ({ ...violation, asset })));
  return [
    message(`${count(summary.totalActiveViolations)} active violations on ${count(summary.assets.length)} assets.`, 'lead'),
    sortableTable(
      [
        { key: 'asset', label: 'Asset', value: (v) => v.asset.name, cell: (v) => link(`#/asset/${v.asset.id}`, v.asset.name) },
        { key: 'ruleId', label: 'Rule', value: (v) => v.ruleId },
        { key: 'ruleDescription', label: 'Description', value: (v) => v.ruleDescription, format: text },
        { key: 'details', label: 'Details', value: (v) => v.details, format: text },
        { key: 'checkDate', label: 'Checked', value: (v) => v.checkDate },
      ],
      rows,
      { id: 'compliance-table', empty: 'No active violations.', caption: 'Active violations' },
    ),
  ];
}

async function tradingSection(months) {
  const { timeChart } = await import('../charts.js');
  const dates = months.map((m) => m.month);
  return h(
    'div',
    { class: 'trading' },
    h(
      'div',
      { class: 'charts' },
      timeChart({
        dates,
        xLabel: 'Month',
        yLabel: 'Trades',
        label: 'Buys and sells per month',
        series: [
          { label: 'Buys', values: months.map((m) => m.buyCount), color: PALETTE[1], kind: 'bars', align: -1, format: count },
          { label: 'Sells', values: months.map((m) => m.sellCount), color: PALETTE[2], kind: 'bars', align: 1, format: count },
        ],
      }),
      timeChart({
        dates,
        xLabel: 'Month',
        yLabel: 'Volume',
        y2Label: 'Costs',
        label: 'Trade volume and costs per month',
        series: [
          { label: 'Volume', values: months.map((m) => m.totalAmount), color: PALETTE[0], kind: 'bars', format: money },
          { label: 'Costs', values: months.map((m) => m.totalCosts), color: PALETTE[3], kind: 'line', scale: 'y2', format: money },
        ],
      }),
    ),
    sortableTable(
      [
        { key: 'month', label: 'Month', value: (m) => m.month, format: month },
        { key: 'tradeCount', label: 'Trades', value: (m) => m.tradeCount, format: count, numeric: true },
        { key: 'buyCount', label: 'Buys', value: (m) => m.buyCount, format: count, numeric: true },
        { key: 'sellCount', label: 'Sells', value: (m) => m.sellCount, format: count, numeric: true },
        { key: 'totalAmount', label: 'Volume', value: (m) => m.totalAmount, format: money, numeric: true },
        { key: 'totalCosts', label: 'Costs', value: (m) => m.totalCosts, format: money, numeric: true },
      ],
      months.map((m) => ({ ...m, id: m.month })),
      { id: 'monthly-table', caption: 'Trades per month' },
    ),
    message('Volume adds each trade’s amount in its asset’s currency, as the analytics do.', 'muted small'),
  );
}
