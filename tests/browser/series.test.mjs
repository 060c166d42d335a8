// Recurring series in a real browser against a real server: an author composes "every
// weekday 9:00 America/Los_Angeles" starting Monday 8 March 2027 with the composer's
// Repeat control; the series page lists its occurrences, every one at 09:00 local time
// across the 14 March change to daylight saving time (17:00 UTC before, 16:00 UTC after,
// checked through the API); the calendar shows them with a repeat marker; an occurrence's
// page names its series; a new series text replaces the following drafts; the author
// ends the series.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

const NEW_TEXT = 'Heart Health Minute, new season: one tip from our cardiology team every weekday morning.';
const TEXT = 'Heart Health Minute: a one-minute tip from our cardiology team, every weekday morning.';

async function apiGet(page, path) {
  return page.evaluate(async (path) => {
    const r = await fetch(path);
    return { status: r.status, body: await r.json() };
  }, path);
}

describe('recurring series', () => {
  let author;
  let seriesId;
  let occurrences;

  test('the composer repeats a post every weekday at 9:00 in Los Angeles', async () => {
    author = await newPage();
    await signIn(author, 'author');
    await author.goto(BASE + '/compose');
    await author.getByRole('heading', { name: 'Compose a post' }).waitFor();
    await author.getByLabel('Brand').locator('option', { hasText: 'Cardiology' }).waitFor({ state: 'attached' });
    await author.getByLabel('Master text', { exact: true }).fill(TEXT);
    await author.getByLabel('Date', { exact: true }).fill('2027-03-08');
    await author.getByLabel('Time', { exact: true }).fill('09:00');
    await author.getByLabel('Time zone').selectOption('America/Los_Angeles');
    await author.getByLabel('Repeat').selectOption('weekdays');
    await author.getByText(/Saving makes a series/).waitFor();
    await checkAccessibility(author, 'compose (repeat)');
    await author.getByRole('button', { name: 'Save draft' }).click();
    await author.waitForURL(/\/series\/\d+$/);
    seriesId = Number(new URL(author.url()).pathname.split('/')[2]);
    await author.getByRole('heading', { name: `Series ${seriesId}` }).waitFor();
    await author.getByText('every weekday at 09:00 America/Los_Angeles', { exact: false }).waitFor();
  });

  test('the series page lists occurrences at 09:00 local across the DST change', async () => {
    const rows = author.locator('table.occurrences tbody tr');
    await rows.first().waitFor();
    const dates = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-series-date')));
    assert.ok(dates.includes('2027-03-12') && dates.includes('2027-03-15'), `both sides of the change: ${dates}`);
    for (const tr of await rows.all()) {
      assert.equal(await tr.locator('td').nth(1).textContent(), '09:00');
      assert.equal(await tr.locator('td').nth(2).textContent(), 'America/Los_Angeles');
    }
    await checkAccessibility(author, 'series page');
    await screenshot(author, '40-series-page');
    // The instants the server stored: 09:00 PST is 17:00 UTC, 09:00 PDT 16:00 UTC.
    const r = await apiGet(author, `/api/v1/series/${seriesId}/occurrences`);
    assert.equal(r.status, 200);
    occurrences = r.body.items;
    const at = (date) => occurrences.find((o) => o.series_date === date)?.scheduled_at;
    assert.equal(at('2027-03-12'), '2027-03-12T17:00:00.000Z');
    assert.equal(at('2027-03-15'), '2027-03-15T16:00:00.000Z');
    // Each occurrence is an ordinary draft post that knows its series.
    const post = await apiGet(author, `/api/v1/posts/${occurrences[0].post_id}`);
    assert.equal(post.body.series_id, seriesId);
    assert.equal(post.body.status, 'draft');
  });

  test('the calendar shows the occurrences with a repeat marker at 9:00', async () => {
    await author.goto(`${BASE}/calendar?month=2027-03`);
    await author.getByRole('heading', { name: 'March 2027', exact: true }).waitFor();
    for (const date of ['2027-03-12', '2027-03-15']) {
      const o = occurrences.find((x) => x.series_date === date);
      const chip = author.locator(`[data-post-id="${o.post_id}"]`);
      await chip.waitFor();
      const marker = chip.locator('a.repeat-mark');
      assert.equal(await marker.getAttribute('href'), `/series/${seriesId}`);
      assert.match(await chip.textContent(), /9:00/);
    }
    await screenshot(author, '41-series-calendar');
  });

  test('an occurrence says it belongs to the series; the series text changes this and following', async () => {
    await author.goto(`${BASE}/posts/${occurrences[0].post_id}`);
    const note = author.locator('.series-note');
    await note.waitFor();
    assert.equal(await note.getByRole('link', { name: 'repeating series' }).getAttribute('href'), `/series/${seriesId}`);
    await author.goto(`${BASE}/series/${seriesId}`);
    await author.getByLabel('Text of this and the following posts').fill(NEW_TEXT);
    await author.getByRole('button', { name: 'Save for this and following posts' }).click();
    await author.getByText('Saved. The following posts use the new text.').waitFor();
    const r = await apiGet(author, `/api/v1/series/${seriesId}/occurrences`);
    const live = r.body.items.filter((o) => o.status !== 'cancelled');
    assert.equal(live.length, occurrences.length);
    for (const o of live.slice(0, 2)) {
      const post = await apiGet(author, `/api/v1/posts/${o.post_id}`);
      assert.equal(post.body.master_text, NEW_TEXT);
    }
    const old = await apiGet(author, `/api/v1/posts/${occurrences[0].post_id}`);
    assert.equal(old.body.status, 'cancelled', 'the old draft was replaced');
    occurrences = live;
    await checkAccessibility(author, 'series page (changed)');
  });

  test('the author ends the series; its future posts are cancelled', async () => {
    await author.goto(`${BASE}/series/${seriesId}`);
    await author.getByRole('button', { name: 'End the series' }).click();
    await author.getByText('The series has ended.').waitFor();
    const r = await apiGet(author, `/api/v1/series/${seriesId}`);
    assert.equal(r.body.status, 'ended');
    const post = await apiGet(author, `/api/v1/posts/${occurrences[0].post_id}`);
    assert.equal(post.body.status, 'cancelled');
    await author.context().close();
  });
});
