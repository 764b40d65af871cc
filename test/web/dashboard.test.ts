import 'reflect-metadata';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useRedisPrefix } from '../support/redis.js';
import { AS_OF, seedBook } from '../graph/book.js';
import { collectProblems, format, launchBrowser, screenshot } from './browser.js';
import { startStack, token, type Stack } from './harness.js';

// The dashboard in a real browser (Debian's chromium) against a server with auth on, over a
// 500-asset demo book: every figure on the page is compared with what the graph answers.

const db = useTestDatabase();
const prefix = useRedisPrefix('web-dashboard');

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let operator: string;
let problems: string[];

const texts = (selector: string) => page.locator(selector).allTextContents();
const cells = (table: string, column: string) => texts(`#${table} tbody td[data-col="${column}"]`);
const formatted = (name: string, values: unknown[]) => Promise.all(values.map((value) => format(page, name, value)));

beforeAll(async () => {
  await seedBook(db.sql, { assets: 500, days: 130, portfolios: 4, seed: 20 });
  stack = await startStack(db, prefix);
  operator = await token('OPERATOR');
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  problems = collectProblems(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the dashboard for an operator', () => {
  it('asks for a token, keeps it out of the URL, and paints the overview with the figures of the graph', async () => {
    const response = await page.goto(`http://localhost:${stack.server.port}/`);
    const policy = response!.headers()['content-security-policy']!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toMatch(/https?:\/\/(?!localhost)/);

    await page.locator('#token').fill(operator);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.locator('#total-value .figure-value').waitFor();
    expect(page.url()).not.toContain(operator.slice(-20));
    expect(await page.evaluate('sessionStorage.getItem("asset360-token")')).toBe(operator);

    const { portfolioOverview: overview, complianceSummary } = await stack.ask(
      operator,
      '{ portfolioOverview { totalAssets totalValue averageReturn riskDistribution { category count percentage } } complianceSummary { totalActiveViolations } }',
    );
    expect(overview.totalAssets).toBe(500);
    expect(await page.locator('#total-value .figure-value').textContent()).toBe(await format(page, 'money', overview.totalValue));
    expect(await page.locator('#total-assets .figure-value').textContent()).toBe('500');
    expect(await page.locator('#average-return .figure-value').textContent()).toBe(await format(page, 'change', overview.averageReturn));
    expect(await page.locator('#active-violations .figure-value').textContent()).toBe(
      await format(page, 'count', complianceSummary.totalActiveViolations),
    );
    const buckets = overview.riskDistribution as Array<{ category: string; count: number; percentage: number }>;
    expect(await cells('risk-table', 'category')).toEqual(buckets.map((bucket) => bucket.category));
    expect(await cells('risk-table', 'count')).toEqual(buckets.map((bucket) => String(bucket.count)));
    expect(await cells('risk-table', 'percentage')).toEqual(
      await formatted(
        'share',
        buckets.map((bucket) => bucket.percentage),
      ),
    );
    expect(await page.locator('#role').textContent()).toBe('OPERATOR');
    expect(await page.locator('#build-as-of').textContent()).toBe(AS_OF);
    expect(await page.locator('#build-rows').textContent()).toBe('500 rows');
  });

  it('measures the first meaningful paint of a fresh load (printed, not asserted)', async () => {
    // A new tab of a signed-in user: sessionStorage is per tab, so the token is put there first.
    const fresh = await context.newPage();
    await fresh.addInitScript((value) => (globalThis as any).sessionStorage.setItem('asset360-token', value), operator);
    const measure = async (load: string) => {
      // Polled with evaluate: waitForFunction compiles its predicate with eval, which the page's policy forbids.
      await fresh.locator('#total-value .figure-value').waitFor();
      await expect.poll(() => fresh.evaluate(() => performance.getEntriesByName('overview-rendered').length)).toBe(1);
      const [paint, loaded] = await fresh.evaluate(() => [
        performance.getEntriesByName('overview-rendered')[0]!.startTime,
        (performance.getEntriesByType('navigation' as 'mark')[0] as unknown as { domContentLoadedEventEnd: number })
          .domContentLoadedEventEnd,
      ]);
      console.log(
        `dashboard first meaningful paint, ${load} (500 assets, overview figures in the DOM): ${paint!.toFixed(0)} ms; DOMContentLoaded ${loaded!.toFixed(0)} ms`,
      );
      expect(paint).toBeGreaterThan(0);
    };
    await fresh.goto(`http://localhost:${stack.server.port}/`);
    await measure('first load of the tab');
    await fresh.reload();
    await measure('reload');
    await fresh.close();
  });

  it('shows the allocation by each dimension, sectors and geography as the graph returns them', async () => {
    const slices = async (query: string, variables = {}) => (await stack.ask(operator, query, variables)) as Record<string, any[]>;
    const compare = async (table: string, rows: Array<Record<string, any>>) => {
      await page.locator(`#${table}`).waitFor();
      expect(await cells(table, 'key')).toEqual(rows.map((row) => row.key ?? 'none'));
      expect(await cells(table, 'count')).toEqual(
        await formatted(
          'count',
          rows.map((row) => row.count),
        ),
      );
      expect(await cells(table, 'marketValue')).toEqual(
        await formatted(
          'money',
          rows.map((row) => row.marketValue),
        ),
      );
      expect(await cells(table, 'percentage')).toEqual(
        await formatted(
          'share',
          rows.map((row) => row.percentage),
        ),
      );
    };
    const SLICE = 'key count marketValue percentage';
    await compare('allocation-table', (await slices(`{ assetAllocation(by: ASSET_TYPE) { ${SLICE} } }`)).assetAllocation!);
    await page.locator('#allocation-by').selectOption('SECTOR');
    await page.locator('#allocation-table [data-col="key"] button', { hasText: 'Sector' }).waitFor();
    await compare('allocation-table', (await slices(`{ assetAllocation(by: SECTOR) { ${SLICE} } }`)).assetAllocation!);
    const exposure = await slices(`{ sectorExposure { ${SLICE} } geographicDistribution { ${SLICE} } }`);
    await compare('sectors-table', exposure.sectorExposure!);
    await compare('geography-table', exposure.geographicDistribution!);
  });

  it('ranks the riskiest assets and the top performers as the graph does, and sorts on a click', async () => {
    const { riskMetrics, performanceDashboard } = await stack.ask(
      operator,
      '{ riskMetrics(top: 10) { id name valueAtRisk } performanceDashboard(top: 10) { topPerformers { id name totalReturn } } }',
    );
    await page.locator('#riskiest-table').waitFor();
    expect(await cells('riskiest-table', 'name')).toEqual(riskMetrics.map((asset: any) => asset.name));
    expect(await cells('riskiest-table', 'valueAtRisk')).toEqual(
      await formatted(
        'fraction',
        riskMetrics.map((asset: any) => asset.valueAtRisk),
      ),
    );
    expect(await cells('performers-table', 'name')).toEqual(performanceDashboard.topPerformers.map((asset: any) => asset.name));
    expect(await cells('performers-table', 'totalReturn')).toEqual(
      await formatted(
        'change',
        performanceDashboard.topPerformers.map((asset: any) => asset.totalReturn),
      ),
    );

    await page.locator('#riskiest-table th[data-col="valueAtRisk"] button').click();
    expect(await page.locator('#riskiest-table th[data-col="valueAtRisk"]').getAttribute('aria-sort')).toBe('ascending');
    expect(await cells('riskiest-table', 'name')).toEqual(riskMetrics.map((asset: any) => asset.name).reverse());
    await page.locator('#riskiest-table th[data-col="name"] button').click();
    const byName = await cells('riskiest-table', 'name');
    expect(byName).toEqual([...byName].sort((a, b) => b.localeCompare(a)));
  });

  it('lists every active violation with its rule and details, and the monthly trading', async () => {
    const { complianceSummary, transactionAnalysis } = await stack.ask(
      operator,
      `{ complianceSummary { totalActiveViolations assets { name violations { ruleId details } } }
         transactionAnalysis(months: 12) { month tradeCount buyCount sellCount totalAmount totalCosts } }`,
    );
    const violations = complianceSummary.assets.flatMap((asset: any) =>
      asset.violations.map((violation: any) => ({ ...violation, asset: asset.name })),
    );
    expect(violations.length).toBe(complianceSummary.totalActiveViolations);
    await page.locator('#compliance-table').waitFor();
    expect(await cells('compliance-table', 'asset')).toEqual(violations.map((violation: any) => violation.asset));
    expect(await cells('compliance-table', 'ruleId')).toEqual(violations.map((violation: any) => violation.ruleId));
    expect(await cells('compliance-table', 'details')).toEqual(violations.map((violation: any) => violation.details ?? '—'));

    await page.locator('#monthly-table').waitFor();
    expect(await cells('monthly-table', 'month')).toEqual(
      await formatted(
        'month',
        transactionAnalysis.map((m: any) => m.month),
      ),
    );
    for (const column of ['tradeCount', 'buyCount', 'sellCount']) {
      expect(await cells('monthly-table', column)).toEqual(
        await formatted(
          'count',
          transactionAnalysis.map((m: any) => m[column]),
        ),
      );
    }
    expect(await cells('monthly-table', 'totalAmount')).toEqual(
      await formatted(
        'money',
        transactionAnalysis.map((m: any) => m.totalAmount),
      ),
    );
    expect(await cells('monthly-table', 'totalCosts')).toEqual(
      await formatted(
        'money',
        transactionAnalysis.map((m: any) => m.totalCosts),
      ),
    );
    expect(await page.locator('#trading canvas').count()).toBe(2);
    await screenshot(page, 'dashboard');
  });

  it('clicks through to an asset: price history, risk profile and trades', async () => {
    const first = page.locator('#performers-table tbody tr').first();
    const id = await first.getAttribute('data-id');
    await first.locator('a').click();
    expect(page.url()).toContain(`#/asset/${id}`);
    const { asset } = await stack.ask(
      operator,
      `query($id: ID!) { asset(id: $id) { name currentPrice totalReturn prices { close } trades(first: 25) { totalCount edges { node { id } } }
         risk { annualReturn volatility sharpeRatio maxDrawdown valueAtRisk } } }`,
      { id },
    );
    await page.locator('#risk-profile').waitFor();
    expect(await page.locator('#asset-name').textContent()).toBe(asset.name);
    expect(await page.locator('#asset-price .figure-value').textContent()).toBe(await format(page, 'price', asset.currentPrice));
    expect(await page.locator('#asset-total-return .figure-value').textContent()).toBe(await format(page, 'change', asset.totalReturn));
    const profile = (key: string) => page.locator(`#risk-profile dd[data-key="${key}"]`).textContent();
    expect(await profile('annualReturn')).toBe(await format(page, 'change', asset.risk.annualReturn));
    expect(await profile('volatility')).toBe(await format(page, 'fraction', asset.risk.volatility));
    expect(await profile('sharpeRatio')).toBe(await format(page, 'number', asset.risk.sharpeRatio));
    expect(await profile('maxDrawdown')).toBe(await format(page, 'change', asset.risk.maxDrawdown));
    expect(await page.locator('#price-history canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#price-summary dd').last().textContent()).toBe(await format(page, 'price', asset.prices.at(-1).close));
    expect(await page.locator('#asset-trades h2').textContent()).toBe(`Trades (${asset.trades.totalCount})`);
    expect(await page.locator('#trades-table tbody tr').count()).toBe(Math.max(1, asset.trades.edges.length));
    await screenshot(page, 'asset');
  });

  it('opens a portfolio: positions with weights and P&L, risk contributions, the optimizer proposal against current weights', async () => {
    const { proposeRebalance: decision } = await stack.ask(
      operator,
      `mutation { proposeRebalance(portfolioId: "1", input: { objective: MIN_VOLATILITY, from: "2025-01-02", to: "${AS_OF}" }) { id } }`,
    );
    await page.getByRole('link', { name: 'Portfolios' }).click();
    const { portfolios } = await stack.ask(operator, '{ portfolios { edges { node { id name pnl { realized } } } } }');
    await page.locator('#portfolios-table').waitFor();
    expect(await cells('portfolios-table', 'name')).toEqual(portfolios.edges.map((edge: any) => edge.node.name));
    expect(await cells('portfolios-table', 'realized')).toEqual(
      await formatted(
        'pnl',
        portfolios.edges.map((edge: any) => edge.node.pnl.realized),
      ),
    );
    await screenshot(page, 'portfolios');

    await page.locator('#portfolios-table tbody tr[data-id="1"] a').click();
    const { portfolio } = await stack.ask(
      operator,
      `{ portfolio(id: "1") { name pnl { unrealized } positions { asset { name } weight unrealizedGainLoss }
         drift { decisionId assets { assetId currentWeight targetWeight } }
         risk { positions { asset { name } componentValueAtRisk } portfolio { volatility } } } }`,
    );
    await page.locator('#contributions-table').waitFor();
    expect(await page.locator('#portfolio-name').textContent()).toBe(portfolio.name);
    expect(await page.locator('#portfolio-unrealized .figure-value').textContent()).toBe(
      await format(page, 'pnl', portfolio.pnl.unrealized),
    );
    // The table starts sorted by weight, largest first: the graph's order (by value) is the same.
    expect(await cells('positions-table', 'asset')).toEqual(portfolio.positions.map((position: any) => position.asset.name));
    expect(await cells('positions-table', 'weight')).toEqual(
      await formatted(
        'fraction',
        portfolio.positions.map((position: any) => position.weight),
      ),
    );
    expect(await cells('positions-table', 'unrealizedGainLoss')).toEqual(
      await formatted(
        'pnl',
        portfolio.positions.map((position: any) => position.unrealizedGainLoss),
      ),
    );
    const byContribution = [...portfolio.risk.positions].sort((a: any, b: any) => b.componentValueAtRisk - a.componentValueAtRisk);
    expect(await cells('contributions-table', 'componentValueAtRisk')).toEqual(
      await formatted(
        'fraction',
        byContribution.map((position: any) => position.componentValueAtRisk),
      ),
    );
    expect(await page.locator('#risk-profile dd[data-key="volatility"]').textContent()).toBe(
      await format(page, 'fraction', portfolio.risk.portfolio.volatility),
    );
    expect(portfolio.drift.decisionId).toBe(decision.id);
    const targets = [...portfolio.drift.assets].sort((a: any, b: any) => b.targetWeight - a.targetWeight);
    expect(await cells('proposal-table', 'targetWeight')).toEqual(
      await formatted(
        'fraction',
        targets.map((asset: any) => asset.targetWeight),
      ),
    );
    expect(await cells('proposal-table', 'currentWeight')).toEqual(
      await formatted(
        'fraction',
        targets.map((asset: any) => asset.currentWeight),
      ),
    );
    await screenshot(page, 'portfolio');
  });

  it('rebuilds on "Rebuild now", shows the job, and refreshes the page when the build is published', async () => {
    const before = (await stack.ask(operator, '{ asset360Build { id } }')).asset360Build.id;
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('#total-value .figure-value').waitFor();
    await page.locator('#rebuild').click();
    await page.locator('#rebuild-job[data-state="COMPLETED"]').waitFor({ timeout: 30_000 });
    const { asset360Build: after, portfolioOverview } = await stack.ask(
      operator,
      '{ asset360Build { id asOf rowCount } portfolioOverview { totalValue averageReturn } }',
    );
    expect(after.id).not.toBe(before);
    await page.locator(`#build-summary[data-build-id="${after.id}"]`).waitFor();
    expect(await page.locator('#build-as-of').textContent()).toBe(after.asOf);
    expect(await page.locator('#rebuild-job .job-state').textContent()).toBe(`done: build ${after.id}`);
    await page.locator('#notice').waitFor();
    expect(await page.locator('#notice').textContent()).toContain(`Build ${after.id}`);
    await page.locator('#total-value .figure-value').waitFor();
    expect(await page.locator('#total-value .figure-value').textContent()).toBe(await format(page, 'money', portfolioOverview.totalValue));
    expect(await page.locator('#average-return .figure-value').textContent()).toBe(
      await format(page, 'change', portfolioOverview.averageReturn),
    );
    expect(problems).toEqual([]);
  });
});
