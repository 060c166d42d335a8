// The web app in a real browser against a real server (run.sh starts both): signing in,
// screening, the calendar's observances, users, audit, signing out, and what an author
// may not see. The tests run in order and share one browser: each builds on what the
// one before did, as a person using carepost would. Every page is checked with
// axe-core; serious and critical violations fail the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, BASE, accounts, checkAccessibility, navLinks, newPage, screenshot, signIn, useBrowser,
} from './lib.mjs';

useBrowser();

describe('carepost web app', () => {
  let page; // the administrator's tab, shared by the tests below
  const newEmail = `new.author.${Date.now()}@riverside.example`;

  test('sign-in page: accessible, and a wrong password shows the server’s message', async () => {
    page = await newPage();
    await page.goto(BASE + '/');
    await page.getByRole('heading', { name: 'Sign in to carepost' }).waitFor();
    await checkAccessibility(page, 'sign-in');
    await page.getByLabel('Email').fill(accounts.admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /\S/);
    await screenshot(page, '01-sign-in-refused');
  });

  test('admin signs in and sees every section; the skip link reaches the main content', async () => {
    await signIn(page, 'admin');
    // The calendar is the home page: the current month, in the address.
    await page.waitForURL(/\/calendar\?month=\d{4}-\d{2}$/);
    const links = await navLinks(page);
    for (const name of ['Calendar', 'Compose', 'Inbox', 'Listening', 'Analytics', 'Screen', 'Users', 'Audit', 'Settings']) {
      assert.ok(links.some((l) => l.startsWith(name)), `nav has ${name}: ${links}`);
    }
    // Keyboard: the first Tab lands on the skip link, which moves focus to <main>.
    await page.getByRole('link', { name: 'Screen', exact: true }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Screen a text' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await checkAccessibility(page, 'screen (empty)');
  });

  test('screen a post with PHI: the name, date of birth and MRN are marked as blocking', async () => {
    const text = 'Happy birthday to our patient Maria Lopez (DOB 03/14/1962, MRN 7654321), home today after surgery!';
    await page.getByLabel('Text to screen').fill(text);
    await page.getByLabel('Platform').selectOption('facebook');
    await page.getByLabel('Kind of text').selectOption('post');
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'block');
    assert.match(await verdict.textContent(), /Blocked/);

    const marks = page.getByTestId('highlighted-text').locator('mark[data-severity="block"]');
    const marked = (await marks.allTextContents()).join(' | ');
    for (const phi of ['Maria Lopez', '03/14/1962', '7654321']) {
      assert.ok(marked.includes(phi), `"${phi}" is marked as blocking: ${marked}`);
    }
    // Each finding says what is wrong and what to do, with its severity in words.
    const findings = page.locator('ol.findings > li');
    assert.ok((await findings.count()) >= 3);
    const first = await findings.first().textContent();
    assert.match(first, /Blocks/);
    assert.match(first, /Suggestion:/);
    // The marked text's reference links to its finding.
    await page.locator('a.ref').first().click();
    assert.match(page.url(), /#finding-\d+$/);
    await checkAccessibility(page, 'screen (result)');
    await screenshot(page, '02-screen-phi');
  });

  test('the calendar shows the month’s health observances, and pages to the next month', async () => {
    await page.goto(BASE + '/calendar?month=2027-02');
    await page.getByRole('heading', { name: 'February 2027', exact: true }).waitFor();
    const allMonth = page.locator('.month-observances');
    await allMonth.waitFor();
    assert.match(await allMonth.textContent(), /American Heart Month/);
    await checkAccessibility(page, 'calendar');
    await screenshot(page, '02b-calendar-february');
    await page.getByRole('button', { name: /Next month/ }).click();
    await page.getByRole('heading', { name: 'March 2027', exact: true }).waitFor();
    assert.match(page.url(), /month=2027-03$/);
    // World Kidney Day is the 2nd Thursday of March: 11 March 2027, in that day's cell.
    const cell = page.locator('table.month-grid td', { has: page.locator('.day-number', { hasText: /^11$/ }) });
    await cell.getByText('World Kidney Day').waitFor();
    await page.getByRole('table').last().getByRole('cell', { name: /World Kidney Day/ }).waitFor();
  });

  test('a section a later release fills says so', async () => {
    await page.getByRole('link', { name: /^Inbox/ }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    assert.match(await page.locator('main').textContent(), /Coming in a later release/);
    await checkAccessibility(page, 'inbox (coming)');
  });

  test('admin adds a user with a role for one brand, disables, enables and changes roles', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.locator(`tr[data-email="${accounts.author.email}"]`).waitFor();
    await checkAccessibility(page, 'users');

    await page.getByLabel('Email').fill(newEmail);
    await page.getByLabel('Display name').fill('New Author');
    await page.getByLabel('Initial password').fill('correct horse battery staple');
    await page.getByLabel('Role 1', { exact: true }).selectOption('author');
    await page.getByLabel('For role 1', { exact: true }).selectOption({ label: 'Cardiology' });
    await page.getByRole('button', { name: 'Add a role' }).click();
    await page.getByLabel('Role 2', { exact: true }).selectOption('analyst');
    await page.getByLabel('For role 2', { exact: true }).selectOption({ label: 'Whole organization' });
    await page.getByRole('button', { name: 'Add user' }).click();

    const row = page.locator(`tr[data-email="${newEmail}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Author — Cardiology/);
    assert.match(await row.textContent(), /Analyst — whole organization/);
    await page.getByRole('status').filter({ hasText: `Added ${newEmail}` }).waitFor({ state: 'attached' });
    await screenshot(page, '03-users-added');

    await page.getByRole('button', { name: `Disable ${newEmail}` }).click();
    await row.getByText('Disabled').waitFor();
    await page.getByRole('button', { name: `Enable ${newEmail}` }).click();
    await row.getByText('Active').waitFor();

    await page.getByRole('button', { name: `Change roles of ${newEmail}` }).click();
    const editor = page.getByRole('form', { name: `Roles of ${newEmail}` });
    await editor.getByLabel('Role 1', { exact: true }).selectOption('manager');
    await editor.getByRole('button', { name: 'Remove role 2' }).click();
    await checkAccessibility(page, 'users (editing roles)');
    await editor.getByRole('button', { name: 'Save roles' }).click();
    await editor.waitFor({ state: 'detached' });
    const roles = await row.locator('td').nth(2).textContent();
    assert.match(roles, /Manager — Cardiology/);
    assert.doesNotMatch(roles, /Analyst/);
  });

  test('a server refusal is shown to the user (adding the same email twice)', async () => {
    await page.getByLabel('Email').fill(newEmail);
    await page.getByLabel('Display name').fill('Same Person');
    await page.getByLabel('Initial password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Add user' }).click();
    const alert = page.locator('section.card').getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /\S{3,}/);
  });

  test('audit log: events listed, filtered and paged; export downloads; the chain verifies', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('table.audit tbody tr');
    await rows.first().waitFor();
    const actions = await page.locator('table.audit tbody td:nth-child(4)').allTextContents();
    assert.ok(actions.includes('user.create'), `user.create listed: ${actions}`);
    assert.ok(actions.includes('session.sign_in'), `session.sign_in listed: ${actions}`);
    await checkAccessibility(page, 'audit');

    await page.getByLabel('Action').fill('user.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table.audit tbody td:nth-child(4)')].every((td) =>
        td.textContent.startsWith('user.'),
      ),
    );
    const filtered = await page.locator('table.audit tbody td:nth-child(4)').allTextContents();
    assert.ok(filtered.length > 0 && filtered.every((a) => a.startsWith('user.')), `filtered: ${filtered}`);
    await page.getByRole('button', { name: 'Clear' }).click();

    // Paging: the demo data and this run's events fill more than one page of 25.
    await page.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length === 25);
    const newest = Number(await page.locator('table.audit tbody td:first-child').first().textContent());
    await page.getByRole('button', { name: 'Older events' }).click();
    await page.waitForFunction(
      (top) => Number(document.querySelector('table.audit tbody td:first-child')?.textContent) < top - 20,
      newest,
    );
    await page.getByRole('button', { name: 'Newer events' }).click();
    await page.waitForFunction(
      (top) => Number(document.querySelector('table.audit tbody td:first-child')?.textContent) === top,
      newest,
    );

    const downloadPromise = page.waitForEvent('download');
    await page.getByLabel('Format').selectOption('csv');
    await page.getByRole('button', { name: 'Download' }).click();
    const download = await downloadPromise;
    assert.equal(download.suggestedFilename(), 'carepost-audit.csv');
    const saved = join(ARTIFACTS, 'audit-export.csv');
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    assert.ok(csv.includes('user.create'), 'the export holds the user.create event');

    await page.getByRole('button', { name: 'Verify audit log' }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    assert.match(await result.textContent(), /Audit log intact/);
    await checkAccessibility(page, 'audit (verified)');
    await screenshot(page, '04-audit-verified');
  });

  test('sign out returns to the sign-in page and the session is gone', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to carepost' }).waitFor();
    assert.match(await page.getByRole('status').textContent(), /signed out/);
    await page.goto(BASE + '/users');
    await page.getByRole('heading', { name: 'Sign in to carepost' }).waitFor();
    const response = await page.request.get(BASE + '/api/v1/session');
    assert.equal(response.status(), 401);
    await screenshot(page, '05-signed-out');
    await page.context().close();
  });

  test('an author is not shown Users or Audit, and a direct visit is refused', async () => {
    const author = await newPage();
    await signIn(author, 'author');
    const links = await navLinks(author);
    assert.ok(links.includes('Screen'), `author sees Screen: ${links}`);
    for (const hidden of ['Users', 'Audit', 'Settings']) {
      assert.ok(!links.some((l) => l.startsWith(hidden)), `author does not see ${hidden}: ${links}`);
    }
    await author.goto(BASE + '/users');
    await author.getByRole('heading', { name: 'Not allowed' }).waitFor();
    assert.match(await author.getByRole('alert').textContent(), /do not allow the Users page/);
    // The server refuses too: hiding the page is not the protection.
    const api = await author.request.get(BASE + '/api/v1/users');
    assert.equal(api.status(), 403);
    await checkAccessibility(author, 'users (refused)');
    await screenshot(author, '06-author-refused-users');
    await author.getByRole('button', { name: 'Sign out' }).click();
    await author.getByRole('heading', { name: 'Sign in to carepost' }).waitFor();
    await author.context().close();
  });
});
