// The composer, the review queue and notifications in a real browser against a real
// server: an author writes a post that names a patient and sees it blocked with the name
// marked; fixes it (a medical claim remains, so a clinical reviewer must approve); sees X's
// counter go over the limit; submits; cannot approve their own post; the clinical
// reviewer approves it from the review queue; the author is notified. Each step checks
// the server's state, not only what the page shows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, accounts, checkAccessibility, navLinks, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

// The patient's name blocks (PHI); the outcome claim asks for a clinical reviewer.
const CLAIM = 'Our cardiac rehab program cuts the risk of a second heart attack by 40%.';
const WITH_PATIENT = `Congratulations to our patient Maria Lopez on finishing cardiac rehab! ${CLAIM}`;
const FIXED = `Cardiac rehab starts again in March. ${CLAIM}`;
const LONG_X = `${FIXED} `.repeat(5);

// GET or POST an API path from the page, with its session and CSRF token.
async function apiFrom(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    },
    { method, path, body },
  );
}

async function verdict(page, expected) {
  const box = page.getByTestId('compose-verdict');
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid="compose-verdict"]')?.getAttribute('data-verdict') === v,
    expected,
  );
  return box.textContent();
}

describe('compose, review, notifications', () => {
  let author;
  let postId;

  test('an author composes a post naming a patient: blocked, the name marked, compliance needed', async () => {
    assert.ok(accounts.clinical_reviewer, 'a demo clinical reviewer');
    author = await newPage();
    await signIn(author, 'author');
    const links = await navLinks(author);
    assert.ok(links.includes('Compose'), `Compose is no longer "coming": ${links}`);
    assert.ok(!links.some((l) => l.startsWith('Review')), `an author has no review queue: ${links}`);
    await author.getByRole('link', { name: 'Compose', exact: true }).click();
    await author.getByRole('heading', { name: 'Compose a post' }).waitFor();
    // The author writes for Cardiology only: the one brand offered.
    await author.getByLabel('Brand').locator('option', { hasText: 'Cardiology' }).waitFor({ state: 'attached' });
    assert.deepEqual(await author.getByLabel('Brand').locator('option').allTextContents(), ['Cardiology']);
    // The browser's own zone is the default.
    const zone = await author.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(await author.getByLabel('Time zone').inputValue(), zone);

    await author.getByLabel('Master text', { exact: true }).fill(WITH_PATIENT);
    assert.match(await verdict(author, 'block'), /Blocked/);
    const master = author.locator('.field-findings[data-field="master"]');
    const marked = (await master.locator('mark[data-severity="block"]').allTextContents()).join(' | ');
    assert.ok(marked.includes('Maria Lopez'), `the patient's name is marked as blocking: ${marked}`);
    const firstFinding = await master.locator('ol.findings > li[data-severity="block"]').first().textContent();
    assert.match(firstFinding, /Protected health information: name/);
    assert.match(firstFinding, /Suggestion:/);
    assert.match(await author.getByTestId('needed-approvals').textContent(), /compliance/);
    await checkAccessibility(author, 'compose (blocked)');
    await screenshot(author, '20-compose-blocked');
  });

  test('the fixed text needs a clinical reviewer; X counts past its limit', async () => {
    await author.getByLabel('Master text', { exact: true }).fill(FIXED);
    assert.match(await verdict(author, 'review'), /Needs review/);
    const needed = await author.getByTestId('needed-approvals').textContent();
    assert.match(needed, /clinical reviewer/);
    assert.doesNotMatch(needed, /compliance/);
    assert.equal(await author.locator('mark[data-severity="block"]').count(), 0);

    // X's own text, five times the post: the counter, counted by the server, is over 280.
    await author.getByRole('tab', { name: 'X' }).click();
    await author.getByLabel('X text', { exact: true }).fill(LONG_X);
    const counter = author.locator('.tabpanel [data-testid="counter-x"]');
    await author.waitForFunction(
      () => document.querySelector('.tabpanel [data-testid="counter-x"]')?.getAttribute('data-over') === 'true',
    );
    assert.match(await counter.textContent(), /\/280 over by \d+/);
    assert.match(await verdict(author, 'block'), /Blocked/);
    await author.getByText('X would refuse this post').waitFor();
    await screenshot(author, '21-compose-x-over');
    // Back to the master text on X: within the limit again.
    await author.getByLabel('X text', { exact: true }).fill('');
    await author.waitForFunction(
      () => document.querySelector('.tabpanel [data-testid="counter-x"]')?.getAttribute('data-over') === 'false',
    );
    await verdict(author, 'review');
    // Instagram folds a caption longer than 125 characters behind "… more"; the
    // hashtags take this one past it.
    await author.getByRole('tab', { name: 'Instagram' }).click();
    assert.equal(await author.getByTestId('preview-more').count(), 0);
    await author.getByLabel('Instagram hashtags').fill('CardiacRehab HeartHealth');
    await author.getByRole('figure').getByTestId('preview-more').waitFor();
    await screenshot(author, '21b-compose-instagram-preview');
    await checkAccessibility(author, 'compose (review)');
  });

  test('the author submits; the server routes it to a clinical reviewer; the author cannot approve it', async () => {
    await author.getByLabel('Date').fill('2031-03-04');
    await author.getByLabel('Time', { exact: true }).fill('09:30');
    await author.getByLabel('Time zone').selectOption('America/New_York');
    await author.getByLabel('Note for the reviewers (optional)').fill('Numbers are from the rehab team’s 2025 report.');
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await author.getByRole('status').filter({ hasText: 'Sent for review' }).waitFor();
    await author.waitForURL(/\/posts\/\d+$/);
    postId = Number(author.url().split('/').pop());

    const { status, body } = await apiFrom(author, 'GET', `/api/v1/posts/${postId}`);
    assert.equal(status, 200);
    assert.equal(body.status, 'in_review');
    assert.deepEqual(body.required_approvals, ['clinical_reviewer']);
    assert.equal(body.master_text, FIXED);
    // 9:30 on 4 March 2031 in New York (EST, UTC-5).
    assert.equal(Date.parse(body.scheduled_at), Date.parse('2031-03-04T14:30:00Z'));
    assert.equal(body.time_zone, 'America/New_York');
    const variant = Object.fromEntries(body.variants.map((v) => [v.platform, v]));
    assert.deepEqual(Object.keys(variant).sort(), ['facebook', 'instagram', 'linkedin', 'x']);
    assert.deepEqual(variant.instagram.hashtags, ['CardiacRehab', 'HeartHealth']);
    assert.equal(variant.x.text, '', 'X uses the master text again');

    // Its author may not approve it: the server refuses, and says why.
    const refused = await apiFrom(author, 'POST', `/api/v1/posts/${postId}/approve`, {});
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /\S/);
    await author.goto(`${BASE}/review`);
    await author.getByRole('heading', { name: 'Not allowed' }).waitFor();
    assert.equal((await apiFrom(author, 'GET', `/api/v1/posts/${postId}`)).body.status, 'in_review');
  });

  test('the clinical reviewer sees it in the queue with its findings and approves it', async () => {
    const reviewer = await newPage();
    await signIn(reviewer, 'clinical_reviewer');
    assert.ok((await navLinks(reviewer)).includes('Review'));
    await reviewer.getByRole('link', { name: 'Review', exact: true }).click();
    await reviewer.getByRole('heading', { name: 'Review', exact: true }).waitFor();
    const card = reviewer.locator(`article[data-post-id="${postId}"]`);
    await card.waitFor();
    assert.match(await card.textContent(), /Medical claim to review/);
    await card.getByText('Numbers are from the rehab team’s 2025 report.').waitFor();
    await checkAccessibility(reviewer, 'review queue');
    await screenshot(reviewer, '22-review-queue');

    // Request changes needs a comment: refused before it reaches the server.
    await card.getByRole('button', { name: 'Request changes' }).click();
    assert.match(await card.getByRole('alert').textContent(), /comment is required/);
    assert.equal((await apiFrom(reviewer, 'GET', `/api/v1/posts/${postId}`)).body.status, 'in_review');

    await card.getByLabel('Comment for the author').fill('The 40% figure matches the cardiac rehab outcomes data.');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    const { body } = await apiFrom(reviewer, 'GET', `/api/v1/posts/${postId}`);
    assert.equal(body.status, 'approved');
    assert.deepEqual(body.approvals.map((a) => a.approval), ['clinical_reviewer']);
    await screenshot(reviewer, '23-review-approved');
    await reviewer.context().close();
  });

  test('the author is notified of the approval, opens it and marks everything read', async () => {
    await author.goto(`${BASE}/calendar`);
    const bell = author.getByTestId('bell');
    await author.waitForFunction(() => Number(document.querySelector('[data-testid="bell"]')?.getAttribute('data-unread')) > 0);
    assert.match(await bell.getAttribute('aria-label'), /Notifications, [1-9]\d* unread/);
    await bell.click();
    await author.getByRole('heading', { name: 'Notifications' }).waitFor();
    const approved = author.locator('li.notification.unread[data-kind="approved"]').first();
    await approved.waitFor();
    await checkAccessibility(author, 'notifications');
    await screenshot(author, '24-notifications');
    const server = await apiFrom(author, 'GET', '/api/v1/notifications?unread=true');
    assert.ok(server.body.items.some((n) => n.kind === 'approved' && n.post_id === postId));

    await author.getByRole('button', { name: 'Mark all read' }).click();
    await author.getByRole('status').filter({ hasText: 'All marked read.' }).waitFor();
    assert.equal((await apiFrom(author, 'GET', '/api/v1/notifications')).body.unread, 0);
    await author.waitForFunction(() => document.querySelector('[data-testid="bell"]')?.getAttribute('data-unread') === '0');

    // The notification leads to the post, approved, with the reviewer's comment.
    await author.locator('li.notification[data-kind="approved"] a').first().click();
    await author.waitForURL(new RegExp(`/posts/${postId}$`));
    await author.locator('.post-status[data-status="approved"]').waitFor();
    await author.getByText('The 40% figure matches the cardiac rehab outcomes data.').waitFor();
    await checkAccessibility(author, 'compose (approved)');
  });
});
