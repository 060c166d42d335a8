// Attachments, hashtag counting and scheduling from the composer, in a real browser
// against a real server: the author uploads an image (and a file the server refuses,
// whose refusal shows next to it), sees which platform will not take the image and
// takes that platform off the attachment, writes alt text that names a patient and sees
// the guard mark it, fixes it, sees the image in the preview and hashtags counted on X;
// a manager comments inline on a passage (marked at its span; the author sees it in the
// composer), approves the post and schedules it from its page: a time in the past is
// refused naming the field, a time the clocks skip is explained, a future time works.
// Each step checks the server's state, not only what the page shows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

// A 1×1 PNG. Instagram takes no PNG files, so the server says so for that platform.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const TEXT = 'Our new cardiac rehab gym opens Monday. Come see the space and meet the team.';
// 275 characters of text: with the hashtags X counts 303, past its 280.
const LONG = `${TEXT} ${'Ask us about the program, the schedule and how to get a referral. '.repeat(3)}`.trimEnd();

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

describe('compose with media, hashtags and schedule', () => {
  let author;
  let postId;

  test('the author attaches an image; a refused file and a platform that will not take it are shown', async () => {
    author = await newPage();
    await signIn(author, 'author');
    await author.goto(`${BASE}/compose`);
    await author.getByRole('heading', { name: 'Compose a post' }).waitFor();
    await author.getByLabel('Master text', { exact: true }).fill(TEXT);

    await author.getByLabel('Add images or video').setInputFiles([
      { name: 'gym.png', mimeType: 'image/png', buffer: PNG },
      { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: SVG },
    ]);
    const image = author.getByTestId('media-item-0');
    const refused = author.getByTestId('media-item-1');
    await author.locator('[data-testid="media-item-0"][data-state="ready"]').waitFor();
    await author.locator('[data-testid="media-item-1"][data-state="failed"]').waitFor();
    assert.match(await refused.getByRole('alert').textContent(), /Not uploaded: .*(SVG|markup|accepted)/i);
    // The thumbnail is the stored copy.
    const src = await image.locator('img.media-thumb').getAttribute('src');
    assert.match(src, /^\/api\/v1\/media\/\d+\/content$/);
    // Instagram is one of the post's platforms and takes no PNG: said next to the image.
    assert.match(await author.getByTestId('media-refusals-0').textContent(), /Instagram will not take this file/);
    await checkAccessibility(author, 'compose (attachments)');
    await screenshot(author, '30-compose-media');

    await refused.getByRole('button', { name: /Remove/ }).click();
    await author.getByTestId('media-item-1').waitFor({ state: 'detached' });
    // Not for Instagram: the refusal goes away.
    await image.getByRole('group', { name: 'Post gym.png on' }).getByLabel('Instagram').uncheck();
    await author.getByTestId('media-refusals-0').waitFor({ state: 'detached' });
  });

  test('alt text is required and screened like the text', async () => {
    // Saving without alt text is refused before it reaches the server.
    await author.getByRole('button', { name: 'Save draft' }).click();
    assert.match(await author.locator('form.compose-form > p.error[role="alert"]').textContent(), /needs alt text/);

    await author.getByLabel('Alt text for gym.png').fill('Our patient Maria Lopez on the treadmill in the new gym.');
    const findings = author.locator('.field-findings[data-field="media[0].alt_text"]');
    await findings.locator('mark[data-severity="block"]').first().waitFor();
    assert.match((await findings.locator('mark').allTextContents()).join(' | '), /Maria Lopez/);
    await author.getByLabel('Alt text for gym.png').fill('A treadmill and weights in the bright new cardiac rehab gym.');
    await author.waitForFunction(
      () => !document.querySelector('.field-findings[data-field="media[0].alt_text"] mark[data-severity="block"]'),
    );

    // The preview shows the image with its alt text on Facebook, not on Instagram.
    const preview = author.getByRole('figure');
    await preview.getByRole('img', { name: /treadmill/ }).waitFor();
    await author.getByRole('tab', { name: 'Instagram' }).click();
    assert.equal(await author.getByRole('figure').getByTestId('preview-media').count(), 0);
  });

  test('hashtags count toward X the way the server counts them', async () => {
    await author.getByLabel('Master text', { exact: true }).fill(LONG);
    await author.getByRole('tab', { name: 'X' }).click();
    await author.waitForFunction(
      () => document.querySelector('.tabpanel [data-testid="counter-x"]')?.getAttribute('data-over') === 'false',
    );
    await author.getByLabel('X hashtags').fill('CardiacRehab HeartHealth');
    await author.waitForFunction(
      () => document.querySelector('.tabpanel [data-testid="counter-x"]')?.getAttribute('data-over') === 'true',
    );
    const shown = (await author.locator('.tabpanel [data-testid="counter-x"]').textContent()).match(/(\d+)\/280/)[1];
    // The server's count of the text as published is the counter's.
    const screened = await apiFrom(author, 'POST', '/api/v1/screen', {
      text: `${LONG}\n\n#CardiacRehab #HeartHealth`,
      context: 'post',
      platform: 'x',
    });
    assert.equal(screened.body.length.count, Number(shown));
    await author.getByLabel('X hashtags').fill('');
    await author.waitForFunction(
      () => document.querySelector('.tabpanel [data-testid="counter-x"]')?.getAttribute('data-over') === 'false',
    );
    await author.getByLabel('Master text', { exact: true }).fill(TEXT);
  });

  test('the post is saved with its attachment and submitted', async () => {
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await author.getByRole('status').filter({ hasText: 'Sent for review' }).waitFor();
    await author.waitForURL(/\/posts\/\d+$/);
    postId = Number(author.url().split('/').pop());
    const { body } = await apiFrom(author, 'GET', `/api/v1/posts/${postId}`);
    assert.equal(body.media.length, 1);
    assert.equal(body.media[0].alt_text, 'A treadmill and weights in the bright new cardiac rehab gym.');
    assert.deepEqual(body.media[0].platforms.sort(), ['facebook', 'linkedin', 'x']);
    // The page reloads with the attachment.
    await author.reload();
    await author.getByLabel('Alt text for gym.png').waitFor();
    assert.equal(
      await author.getByLabel('Alt text for gym.png').inputValue(),
      'A treadmill and weights in the bright new cardiac rehab gym.',
    );
    // An author cannot schedule: no Schedule control.
    assert.equal(await author.getByRole('heading', { name: 'Schedule' }).count(), 0);
  });

  test('a manager comments inline on a passage; the author sees it in the composer', async () => {
    const manager = await newPage();
    await signIn(manager, 'manager');
    await manager.goto(`${BASE}/review`);
    const card = manager.locator(`article[data-post-id="${postId}"]`);
    await card.waitFor();
    // Select "cardiac rehab gym" as a mouse drag would (the select event).
    const master = card.locator('.commentable[data-field="master"] textarea');
    const from = TEXT.indexOf('cardiac rehab gym');
    await master.evaluate((el, [s, e]) => {
      el.focus();
      el.setSelectionRange(s, e);
      el.dispatchEvent(new Event('select', { bubbles: true }));
    }, [from, from + 'cardiac rehab gym'.length]);
    await card.getByTestId('inline-selection').filter({ hasText: /^cardiac rehab gym$/ }).waitFor();
    // With the keyboard alone: select all, then Shift and an arrow key shrink it.
    await master.evaluate((el) => el.focus());
    await manager.keyboard.press('Control+A');
    await manager.keyboard.press('Shift+ArrowLeft');
    await manager.waitForFunction(
      ([id, want]) =>
        document.querySelector(`article[data-post-id="${id}"] [data-testid="inline-selection"]`)?.textContent === want,
      [postId, TEXT.slice(0, -1)],
    );
    await master.evaluate((el, [s, e]) => {
      el.setSelectionRange(s, e);
      el.dispatchEvent(new Event('select', { bubbles: true }));
    }, [from, from + 'cardiac rehab gym'.length]);
    await card.getByTestId('inline-selection').filter({ hasText: /^cardiac rehab gym$/ }).waitFor();
    await card.getByLabel('Comment on the selected passage').fill('Say where the gym is.');
    await card.getByRole('button', { name: 'Comment on the passage' }).click();
    // Marked at its span in the text, and in the conversation with its passage.
    const mark = card.locator('.commentable[data-field="master"] mark.comment-mark');
    await mark.waitFor();
    assert.equal(await mark.textContent(), 'cardiac rehab gym');
    await card.locator('[data-testid="comment-anchor"]').filter({ hasText: 'cardiac rehab gym' }).waitFor();
    const { body } = await apiFrom(manager, 'GET', `/api/v1/posts/${postId}/comments`);
    const inline = body.items.find((c) => c.anchor);
    assert.deepEqual(inline.anchor, { revision: 1, field: 'master', start: from, end: from + 17 });
    await checkAccessibility(manager, 'review (inline comment)');
    await screenshot(manager, '32-review-inline-comment');
    await manager.context().close();

    await author.reload();
    const quote = author.locator('[data-testid="comment-anchor"]');
    await quote.waitFor();
    assert.match(await quote.textContent(), /Master text: cardiac rehab gym/);
    await author.getByText('Say where the gym is.').waitFor();
  });

  test('a manager approves and schedules it from the post page', async () => {
    const manager = await newPage();
    await signIn(manager, 'manager');
    const approved = await apiFrom(manager, 'POST', `/api/v1/posts/${postId}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
    await manager.goto(`${BASE}/posts/${postId}`);
    const control = manager.getByRole('region', { name: 'Schedule' });
    await control.waitFor();

    // In the past: the server refuses and says which field.
    await control.getByLabel('Publish date').fill('2020-01-06');
    await control.getByLabel('Publish time').fill('09:00');
    await control.getByLabel('Publish in zone').selectOption('America/New_York');
    await control.getByRole('button', { name: 'Schedule' }).click();
    assert.match(await control.getByRole('alert').textContent(), /Not scheduled: scheduled_at must be in the future/);
    assert.equal((await apiFrom(manager, 'GET', `/api/v1/posts/${postId}`)).body.status, 'approved');

    // 02:30 on the day New York springs forward does not exist: said before the click.
    await control.getByLabel('Publish date').fill('2031-03-09');
    await control.getByLabel('Publish time').fill('02:30');
    assert.match(await control.getByTestId('dst-note').textContent(), /does not exist .* 03:30/);
    await checkAccessibility(manager, 'compose (schedule)');
    await screenshot(manager, '31-compose-schedule');
    await control.getByRole('button', { name: 'Schedule' }).click();
    await manager.getByRole('status').filter({ hasText: 'Scheduled for 2031-03-09 03:30' }).waitFor();
    const { body } = await apiFrom(manager, 'GET', `/api/v1/posts/${postId}`);
    assert.equal(body.status, 'scheduled');
    assert.equal(body.time_zone, 'America/New_York');
    assert.equal(Date.parse(body.scheduled_at), Date.parse('2031-03-09T07:30:00Z'));
    await manager.locator('.post-status[data-status="scheduled"]').waitFor();
    await manager.context().close();
  });
});
