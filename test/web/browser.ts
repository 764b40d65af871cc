import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (.ci/run installs it): playwright's own browser download needs the internet. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A full-page screenshot under test-artifacts/ (git-ignored), for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page's own formatter (web/js/format.js) applied in the browser, for comparing DOM text. */
export function format(page: Page, name: string, value: unknown): Promise<string> {
  return page.evaluate(`import('/web/js/format.js').then((f) => f[${JSON.stringify(name)}](${JSON.stringify(value)}))`) as Promise<string>;
}

/** Every CSP violation and uncaught error the page reports, to assert that there are none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The first request of a tab without a token is answered 401: that is how the page learns to ask for one.
    if (message.type() === 'error' && !message.text().includes('status of 401')) problems.push(`console: ${message.text()}`);
  });
  return problems;
}
