import 'reflect-metadata';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useRedisPrefix } from '../support/redis.js';
import { seedBook } from '../graph/book.js';
import { collectProblems, launchBrowser, screenshot } from './browser.js';
import { startStack, token, type Stack } from './harness.js';

// A VIEWER's dashboard: its own portfolio and nothing of the others, no firm-wide figures, no
// operator controls; and what a refused token looks like.

const db = useTestDatabase();
const prefix = useRedisPrefix('web-viewer');

let stack: Stack;
let browser: Browser;
let page: Page;
let viewer: string;
let problems: string[];
let others: string[];

const base = () => `http://localhost:${stack.server.port}/`;
const bodyText = () => page.locator('body').innerText();

beforeAll(async () => {
  await seedBook(db.sql, { assets: 60, days: 80, portfolios: 4, seed: 21 });
  stack = await startStack(db, prefix);
  viewer = await token('VIEWER', { portfolios: ['1'] });
  others = (await db.sql<Array<{ name: string }>>`select name from portfolios where portfolio_id <> 1`).map((row) => row.name);
  expect(others.length).toBe(3);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  problems = collectProblems(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the dashboard for a VIEWER', () => {
  it('refuses a bad token and asks again, then shows the count-based figures without firm-wide values or operator controls', async () => {
    await page.goto(base());
    await page.locator('#token').fill('not-a-token');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByText('The server refused that token.').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('asset360-token'))).toBeNull();

    await page.locator('#token').fill(viewer);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.locator('#total-assets .figure-value').waitFor();
    await page.locator('#compliance-table').waitFor();
    await page.locator('#allocation-table').waitFor();
    expect(await page.locator('#role').textContent()).toBe('VIEWER');
    expect(await page.locator('#rebuild').count()).toBe(0);
    expect(await page.locator('#total-value .figure-value').textContent()).toBe('—');
    expect(await page.locator('#total-value .figure-hint').textContent()).toBe('firm-wide: needs ANALYST');
    expect(await page.locator('#total-assets .figure-value').textContent()).toBe('60');
    expect(await page.locator('#allocation-table th[data-col="marketValue"]').count()).toBe(0);
    expect(await page.locator('#trading').innerText()).toContain('needs the ANALYST role');
    await screenshot(page, 'viewer-dashboard');
  });

  it('lists only its own portfolio, and another portfolio is absent', async () => {
    await page.getByRole('link', { name: 'Portfolios' }).click();
    await page.locator('#portfolios-table').waitFor();
    const [own] = await db.sql<Array<{ name: string }>>`select name from portfolios where portfolio_id = 1`;
    expect(await page.locator('#portfolios-table tbody td[data-col="name"]').allTextContents()).toEqual([own!.name]);
    await page.locator('#portfolios-table tbody td[data-col="name"] a').click();
    await page.locator('#positions-table').waitFor();
    expect(await page.locator('#portfolio-name').textContent()).toBe(own!.name);
    for (const name of others) expect(await bodyText()).not.toContain(name);

    await page.goto(`${base()}#/portfolio/2`);
    await page.getByRole('heading', { name: 'No such portfolio' }).waitFor();
    for (const name of others) expect(await bodyText()).not.toContain(name);
  });

  it('shows on an asset page only the trades of its own portfolio', async () => {
    // An asset that portfolio 1 and another portfolio both traded: the page must leave the other's out.
    const [shared] = await db.sql<Array<{ assetId: string; own: number }>>`
      select asset_id::text as "assetId", count(*) filter (where portfolio_id = 1)::int as own
      from transactions group by asset_id
      having count(*) filter (where portfolio_id = 1) > 0 and count(*) filter (where portfolio_id <> 1) > 0
      order by asset_id limit 1`;
    await page.goto(`${base()}#/asset/${shared!.assetId}`);
    await page.locator('#trades-table').waitFor();
    const { asset } = await stack.ask(viewer, 'query($id: ID!) { asset(id: $id) { trades { totalCount } } }', { id: shared!.assetId });
    expect(asset.trades.totalCount).toBe(shared!.own);
    expect(await page.locator('#asset-trades h2').textContent()).toBe(`Trades (${shared!.own})`);
    const portfolios = new Set(await page.locator('#trades-table tbody td[data-col="portfolio"]').allTextContents());
    expect(portfolios.size).toBe(1);
    for (const name of others) expect(await bodyText()).not.toContain(name);
    expect(await page.locator('#asset-position').count()).toBe(0);
    await screenshot(page, 'viewer-asset');
  });

  it('signs out: the token leaves the tab and the page asks for one again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('asset360-token'))).toBeNull();
    expect(problems).toEqual([]);
  });
});
