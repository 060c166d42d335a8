// Calendar import and export in a real browser against the real server (run.sh starts
// both): the Cardiology author uploads a CSV file with a bad row and reads which row and
// column are wrong (and nothing is imported), then a good file; subscribes to the
// calendar feed, whose URL answers valid iCalendar without post text; and turns the feed
// off, after which the URL is 404. The page is checked with axe-core.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

const HEADER = 'date,time,time_zone,brand,campaign,platforms,text,hashtags\r\n';

// Every post the signed-in user sees, through the page's own session.
async function postCount(page) {
  return page.evaluate(async () => {
    let count = 0;
    let cursor = '';
    for (;;) {
      const r = await fetch(`/api/v1/posts?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      const j = await r.json();
      count += j.items.length;
      if (!j.next_cursor) return count;
      cursor = j.next_cursor;
    }
  });
}

async function upload(page, csv) {
  await page.getByLabel('Calendar file (CSV)').setInputFiles({
    name: 'plan.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

describe('calendar import, export and subscription', () => {
  let page;
  let feedUrl;

  test('the page opens from the calendar and is accessible', async () => {
    page = await newPage();
    await signIn(page, 'author');
    await page.getByRole('link', { name: 'Import and export' }).click();
    await page.waitForURL(/\/calendar\/io$/);
    await page.getByRole('heading', { name: 'Import and export' }).waitFor();
    await page.getByRole('heading', { name: 'Calendar subscription' }).waitFor();
    // The link loads the page afresh: let it settle, and keep the pointer off the controls.
    await page.waitForLoadState('networkidle');
    await page.mouse.move(0, 700);
    await screenshot(page, 'calendar-io-00-page');
    await checkAccessibility(page, 'calendar import and export');
  });

  test('a file with a bad row shows the row, column and problem, and imports nothing', async () => {
    const before = await postCount(page);
    const csv =
      HEADER +
      '2031-03-02,09:00,America/New_York,Cardiology,Heart Month,facebook;x,Check your blood pressure at the lobby kiosk.,heart\r\n' +
      '2031-03-03,9:75,America/New_York,Cardiology,,instagram,Walk with a cardiologist this Saturday.,\r\n';
    await upload(page, csv);
    const table = page.getByRole('table', { name: 'Problems in the file' });
    await table.waitFor();
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    assert.equal(cells[0], '3');
    assert.match(cells[1], /^time \(B\)$/);
    assert.match(cells[2], /\S/);
    assert.match(await page.getByRole('alert').first().textContent(), /not imported/);
    await screenshot(page, 'calendar-io-01-bad-row');
    assert.equal(await postCount(page), before, 'nothing was imported');
    await checkAccessibility(page, 'calendar import problems');
  });

  test('a good file imports every row as a draft', async () => {
    const before = await postCount(page);
    const csv =
      HEADER +
      '2031-03-02,09:00,America/New_York,Cardiology,Heart Month,facebook;x,Check your blood pressure at the lobby kiosk.,heart\r\n' +
      '2031-03-03,09:15,America/New_York,cardiology,,instagram,Walk with a cardiologist this Saturday.,\r\n';
    await upload(page, csv);
    const status = page.getByRole('status').filter({ hasText: 'Imported' });
    await status.waitFor();
    assert.match(await status.textContent(), /Imported 2 draft posts/);
    assert.equal(await postCount(page), before + 2);
    await screenshot(page, 'calendar-io-02-imported');
  });

  test('the subscribe URL answers valid iCalendar without post text', async () => {
    await page.getByRole('button', { name: /Create feed|Make a new address/ }).click();
    const input = page.getByLabel('Subscribe address (shown once)');
    await input.waitFor();
    feedUrl = await input.inputValue();
    assert.match(feedUrl, /\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
    await checkAccessibility(page, 'calendar subscription');

    // Fetched as a calendar client would: no cookie.
    const response = await fetch(feedUrl.replace(/^https?:\/\/[^/]+/, BASE));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/calendar/);
    const body = await response.text();
    // RFC 5545: CRLF line ends, lines of at most 75 octets, continuation lines start
    // with a space, one VCALENDAR holding balanced VEVENTs.
    assert.ok(body.startsWith('BEGIN:VCALENDAR\r\n'), body.slice(0, 40));
    assert.ok(body.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(body), 'every line ends with CRLF');
    const lines = body.slice(0, -2).split('\r\n');
    for (const line of lines) {
      assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `folded at 75 octets: ${line}`);
    }
    const unfolded = body.replace(/\r\n[ \t]/g, '').split('\r\n');
    assert.ok(unfolded.includes('VERSION:2.0'));
    const begins = unfolded.filter((l) => l === 'BEGIN:VEVENT').length;
    assert.equal(begins, unfolded.filter((l) => l === 'END:VEVENT').length);
    assert.ok(begins >= 1, 'the demo calendar has scheduled Cardiology posts');
    for (const prop of ['UID:', 'DTSTART:', 'SUMMARY:']) {
      assert.equal(unfolded.filter((l) => l.startsWith(prop)).length, begins, prop);
    }
    // The scheduled posts' text stays in carepost.
    const texts = await page.evaluate(async () => {
      const r = await fetch('/api/v1/posts?status=scheduled&limit=200');
      return (await r.json()).items.map((p) => p.master_text);
    });
    assert.ok(texts.length >= 1);
    for (const text of texts) assert.ok(!unfolded.join('\n').includes(text.slice(0, 30)), text);
  });

  test('turning the feed off makes the URL 404', async () => {
    await page.getByRole('button', { name: 'Turn off feed' }).click();
    await page.getByRole('status').filter({ hasText: 'no longer works' }).waitFor();
    const response = await fetch(feedUrl.replace(/^https?:\/\/[^/]+/, BASE));
    assert.equal(response.status, 404);
    await page.getByRole('button', { name: 'Create feed' }).waitFor();
    await screenshot(page, 'calendar-io-03-feed-off');
  });
});
