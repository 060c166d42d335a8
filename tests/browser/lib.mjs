// What every browser test file shares: the server's address and demo accounts (from
// run.sh), one Chromium per file, pages that record script errors and CSP violations,
// axe-core accessibility checks, screenshots and signing in.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

export const BASE = required('CAREPOST_URL');
export const ARTIFACTS = required('CAREPOST_ARTIFACTS');
export const TIMEOUT = 15_000;

export function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/browser/run.sh`);
  return v;
}

// role -> {email, password, scope}, from the file `carepost serve --dev` writes.
export function demoAccounts() {
  const accounts = {};
  for (const line of readFileSync(required('CAREPOST_CREDENTIALS'), 'utf8').split('\n')) {
    const [role, email, password, scope] = line.split('\t');
    if (role && email && password) accounts[role] = { email, password, scope };
  }
  return accounts;
}

export const accounts = demoAccounts();
export let browser;
// Messages the browser reported: CSP violations and script errors fail the run.
const browserErrors = [];

export async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') browserErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => browserErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Fails on serious or critical WCAG 2.1 A/AA violations.
export async function checkAccessibility(page, name) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  assert.ok(results.passes.length > 0, `axe ran no checks on ${name}`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`)
    .join('\n');
  assert.equal(bad.length, 0, `axe on ${name}:\n${report}`);
}

export async function signIn(page, role) {
  const { email, password } = accounts[role];
  await page.goto(BASE + '/');
  await page.getByRole('heading', { name: 'Sign in to carepost' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function navLinks(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

// Registers the hooks that start Chromium before the file's tests and close it after;
// the closing hook fails the file on any script error or Content-Security-Policy
// violation its pages reported. Call once at the top level of each test file.
export function useBrowser() {
  before(async () => {
    assert.ok(accounts.admin && accounts.author, 'demo accounts for admin and author');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      // Chromium's sandbox refuses to run as root (CI runs as root).
      args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    });
  });
  after(async () => {
    // Chromium logs a failed resource load (a refused request) as an error too.
    const real = browserErrors.filter((e) => !/Failed to load resource/.test(e));
    await browser?.close();
    assert.deepEqual(real, [], 'no Content-Security-Policy violation or script error in any page');
  });
}
