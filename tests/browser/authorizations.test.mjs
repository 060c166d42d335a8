// Patient HIPAA authorizations in a real browser against a real server: compliance
// records Maria Lopez's authorization with its signed form; an author composes a post
// naming her and sees it blocked, attaches the authorization, saves, and the finding
// turns to review routed to compliance. Each step checks the server's state too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accounts, checkAccessibility, navLinks, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

const PDF = '%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n';
const STORY = 'Maria Lopez is back on her bike this spring.';

async function apiFrom(page, method, path) {
  return page.evaluate(
    async ({ method, path }) => {
      const r = await fetch(path, { method });
      return { status: r.status, body: await r.json() };
    },
    { method, path },
  );
}

async function verdict(page, expected) {
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid="compose-verdict"]')?.getAttribute('data-verdict') === v,
    expected,
  );
  return page.getByTestId('compose-verdict').textContent();
}

describe('patient authorizations', () => {
  let authorizationId;

  test('compliance records Maria Lopez’s authorization with the signed form', async () => {
    assert.ok(accounts.compliance, 'a demo compliance officer');
    const page = await newPage();
    await signIn(page, 'compliance');
    assert.ok((await navLinks(page)).includes('Authorizations'));
    await page.getByRole('link', { name: 'Authorizations', exact: true }).click();
    await page.getByRole('heading', { name: 'Patient authorizations' }).waitFor();
    await page.getByLabel('Brand').locator('option', { hasText: 'Cardiology' }).waitFor({ state: 'attached' });
    await page.getByLabel('Brand').selectOption({ label: 'Cardiology' });
    await page.getByLabel('Patient’s name').fill('Maria Lopez');
    await page.getByLabel('Other details the story may show').fill('Springfield, cardiac rehab');
    await page.getByLabel('What it covers').fill('Her cardiac rehab story, spring posts');
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Expires on').fill(nextYear);
    await page.locator('#auth-form').setInputFiles({
      name: 'maria-lopez-authorization.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(PDF),
    });
    await page.getByRole('button', { name: 'Record authorization' }).click();
    const row = page.locator('table[data-testid="authorizations"] tr', { hasText: 'Maria Lopez' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'valid');
    const listed = await apiFrom(page, 'GET', '/api/v1/authorizations?status=valid');
    const maria = listed.body.items.find((a) => a.patient_name === 'Maria Lopez');
    assert.ok(maria, 'the server lists it as valid');
    assert.equal(maria.form.content_type, 'application/pdf');
    authorizationId = maria.id;
    await checkAccessibility(page, 'authorizations');
    await screenshot(page, '40-authorizations');
    await page.context().close();
  });

  test('an author attaches it: the blocking name turns to review by compliance', async () => {
    const page = await newPage();
    await signIn(page, 'author');
    await page.getByRole('link', { name: 'Compose', exact: true }).click();
    await page.getByRole('heading', { name: 'Compose a post' }).waitFor();
    await page.getByLabel('Master text', { exact: true }).fill(STORY);
    assert.match(await verdict(page, 'block'), /Blocked/);

    const picker = page.getByRole('group', { name: 'Patient authorizations' });
    await picker.getByLabel(/Maria Lopez/).check();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/posts\/\d+$/);
    const postId = Number(page.url().split('/').pop());
    assert.match(await verdict(page, 'review'), /review/i);
    assert.match(await page.getByTestId('needed-approvals').textContent(), /compliance/);
    const finding = page.locator('.field-findings[data-field="master"] ol.findings > li', {
      hasText: `patient authorization ${authorizationId}`,
    });
    await finding.first().waitFor();
    assert.equal(await finding.first().getAttribute('data-severity'), 'review');

    const post = await apiFrom(page, 'GET', `/api/v1/posts/${postId}`);
    assert.equal(post.status, 200);
    assert.deepEqual(post.body.authorization_ids, [authorizationId]);
    assert.equal(post.body.blocked, false);
    assert.ok(post.body.required_approvals.includes('compliance'), post.body.required_approvals);
    await checkAccessibility(page, 'compose (authorization attached)');
    await screenshot(page, '41-compose-authorized');
    await page.context().close();
  });
});
