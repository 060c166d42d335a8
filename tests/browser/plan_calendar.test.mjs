// The calendar with posts and the campaign pages in a real browser against the real
// server (run.sh): a manager plans a campaign from a health observance; a scheduled
// post is dragged to another day across a DST change, then moved with the keyboard,
// and a move into the past is refused and undone; filters narrow the grid; an
// unscheduled draft is placed on a day. Every result is checked against the server's
// state through the API, not only on the page. The tests share state and run in order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, newPage, screenshot, signIn, useBrowser } from './lib.mjs';

useBrowser();

// The REST API as the signed-in user of `page` (its cookie, and the CSRF token the
// session hands out, as ui/src/api.ts sends it).
async function apiOf(page) {
  const session = await (await page.request.get(BASE + '/api/v1/session')).json();
  const headers = { 'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json' };
  const check = async (r, what) => {
    assert.ok(r.ok(), `${what}: ${r.status()} ${await r.text()}`);
    return r.status() === 204 ? null : r.json();
  };
  return {
    get: async (path) => check(await page.request.get(BASE + path), `GET ${path}`),
    post: async (path, body = {}) => check(await page.request.post(BASE + path, { headers, data: body }), `POST ${path}`),
  };
}

const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;

// Next year's spring-forward Sunday in the US (2nd Sunday of March).
function springForward(year) {
  const firstSunday = 1 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
  return firstSunday + 7;
}

// The NY wall time of an instant: "2028-03-15 09:00".
function newYork(instant) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York', hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  return f.format(new Date(instant)).replace(',', '');
}

describe('calendar with posts, and campaigns', () => {
  let page; // the manager's tab
  let manager; // the manager's API
  let campaign; // planned from American Heart Month in the first test
  let post; // a scheduled post of that campaign, 9:00 New York
  const year = new Date().getUTCFullYear() + 1;
  const dst = springForward(year); // March `dst`: clocks go from 2:00 to 3:00 in New York
  const startDay = dst - 4; // a Wednesday before the change
  const name = `American Heart Month ${Date.now()}`;

  test('a manager starts a campaign from American Heart Month on the calendar', async () => {
    page = await newPage();
    await signIn(page, 'manager');
    manager = await apiOf(page);
    await page.goto(BASE + '/calendar?month=2027-02');
    await page.getByRole('heading', { name: 'February 2027', exact: true }).waitFor();
    await page.locator('.month-observances').getByText(/American Heart Month/).waitFor();
    await checkAccessibility(page, 'calendar (month, manager)');
    await screenshot(page, '10-calendar-month');

    await page.getByRole('button', { name: 'Start a campaign for American Heart Month' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    assert.match(page.url(), /\/campaigns\/new\?/);
    // Prefilled from the observance.
    assert.equal(await page.getByLabel('Name').inputValue(), 'American Heart Month');
    assert.equal(await page.getByLabel('Type').inputValue(), 'awareness');
    assert.equal(await page.getByLabel('Start date').inputValue(), '2027-02-01');
    assert.equal(await page.getByLabel('End date').inputValue(), '2027-02-28');
    assert.equal(await page.getByLabel('Observance').inputValue(), 'american-heart-month');
    assert.match(await page.getByLabel('Tags').inputValue(), /\w/);
    await checkAccessibility(page, 'campaign form (from an observance)');

    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Goal').fill('Blood pressure checks for 300 neighbours');
    await page.getByLabel('Brand').selectOption({ label: 'Cardiology' });
    await page.getByRole('button', { name: 'Save campaign' }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
    await checkAccessibility(page, 'campaign detail');

    // The server has it as planned.
    const all = await manager.get('/api/v1/campaigns?limit=200');
    campaign = all.items.find((c) => c.name === name);
    assert.ok(campaign, `the campaign is saved: ${all.items.map((c) => c.name)}`);
    assert.equal(campaign.type, 'awareness');
    assert.equal(campaign.start_date, '2027-02-01');
    assert.equal(campaign.end_date, '2027-02-28');
    assert.equal(campaign.observance_key, 'american-heart-month');
    assert.ok(campaign.tags.length > 0 && campaign.tags.every((t) => !t.startsWith('#')), `tags: ${campaign.tags}`);

    // And it is in the Campaigns list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns', exact: true }).waitFor();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /Awareness.*2027-02-01 – 2027-02-28.*Cardiology/);
    await checkAccessibility(page, 'campaigns list');
    await screenshot(page, '11-campaigns');
  });

  test('a scheduled post dragged a week later keeps 9:00 in New York across the DST change', async () => {
    // The post: the author writes it, the manager approves and schedules it.
    const authorPage = await newPage();
    await signIn(authorPage, 'author');
    const author = await apiOf(authorPage);
    // The author's roles are for Cardiology only, so the manager looks the brand up.
    const org = await manager.get('/api/v1/organization');
    const cardiology = org.brands.find((b) => b.slug === 'cardiology').id;
    // 9:00 EST is 14:00 UTC.
    const draft = await author.post('/api/v1/posts', {
      brand_id: cardiology,
      campaign_id: campaign.id,
      master_text: 'Join us Saturday for the community health fair in the Riverside lobby.',
      variants: [{ platform: 'facebook' }, { platform: 'instagram' }],
      scheduled_at: `${iso(year, 3, startDay)}T14:00:00Z`,
      time_zone: 'America/New_York',
    });
    await author.post(`/api/v1/posts/${draft.id}/submit`);
    // A draft without a time, for the Unscheduled list.
    const loose = await author.post('/api/v1/posts', {
      brand_id: cardiology,
      campaign_id: campaign.id,
      master_text: 'Meet our new cardiac rehab nurses.',
      variants: [{ platform: 'linkedin' }],
    });
    await authorPage.context().close();
    const approved = await manager.post(`/api/v1/posts/${draft.id}/approve`);
    assert.equal(approved.status, 'approved', JSON.stringify(approved.required_approvals));
    post = await manager.post(`/api/v1/posts/${draft.id}/schedule`);
    assert.equal(post.status, 'scheduled');
    assert.equal(newYork(post.scheduled_at), `${iso(year, 3, startDay)} 09:00`);
    post.loose = loose.id;

    // A desktop monitor's height: the whole month in view, for the mouse to drag across.
    await page.setViewportSize({ width: 1366, height: 1400 });
    await page.goto(`${BASE}/calendar?month=${year}-03`);
    await page.getByRole('heading', { name: `March ${year}`, exact: true }).waitFor();
    const chip = page.locator(`[data-post-id="${post.id}"]`);
    await chip.waitFor();
    // The chip: time, platforms, status in words, campaign, a link to the post.
    const text = await chip.textContent();
    assert.match(text, /Scheduled/);
    assert.match(text, /FB/);
    assert.match(text, /IG/);
    assert.match(text, new RegExp(name));
    assert.match(await chip.getByRole('link').getAttribute('href'), new RegExp(`/${post.id}$`));
    // Drawn on its day in the viewer's zone.
    const from = await page.locator('td', { has: chip }).getAttribute('data-date');
    const target = page.locator(`td[data-date="${iso(year, 3, Number(from.slice(8)) + 7)}"]`);
    await chip.dragTo(target);
    await target.locator(`[data-post-id="${post.id}"]`).waitFor();
    await page.getByRole('status').getByText(/Moved/).waitFor();
    await screenshot(page, '12-calendar-dragged');

    // Seven days later in New York, still 9:00: 13:00 UTC now that DST has begun.
    const moved = await manager.get(`/api/v1/posts/${post.id}`);
    assert.equal(moved.status, 'scheduled');
    assert.equal(moved.time_zone, 'America/New_York');
    assert.equal(newYork(moved.scheduled_at), `${iso(year, 3, startDay + 7)} 09:00`);
    assert.equal(Date.parse(moved.scheduled_at), Date.parse(`${iso(year, 3, startDay + 7)}T13:00:00Z`));
    post = { ...post, ...moved };
  });

  test('the keyboard alternative moves the post, and a refused move is put back', async () => {
    const chip = page.locator(`[data-post-id="${post.id}"]`);
    const moveButton = chip.getByRole('button', { name: /^Move post/ });
    await moveButton.focus();
    await page.keyboard.press('Enter');
    const date = chip.getByLabel('Move to');
    await date.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'date');
    await checkAccessibility(page, 'calendar (move form open)');
    await date.fill(iso(year, 3, startDay + 9));
    await page.keyboard.press('Enter');
    await page.locator(`td[data-date="${iso(year, 3, startDay + 9)}"] [data-post-id="${post.id}"]`).waitFor();
    let now = await manager.get(`/api/v1/posts/${post.id}`);
    assert.equal(newYork(now.scheduled_at), `${iso(year, 3, startDay + 9)} 09:00`);
    // Focus follows the post to its new day.
    await page.waitForFunction(
      (id) => document.activeElement?.closest('[data-post-id]')?.getAttribute('data-post-id') === String(id),
      post.id,
    );

    // Into the past: the server refuses, the page says why and puts the post back.
    await page.keyboard.press('Enter');
    await chip.getByLabel('Move to').fill('2020-01-06');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: `Post ${post.id} was not moved` });
    await alert.waitFor();
    assert.match(await alert.textContent(), /future/);
    await page.locator(`td[data-date="${iso(year, 3, startDay + 9)}"] [data-post-id="${post.id}"]`).waitFor();
    now = await manager.get(`/api/v1/posts/${post.id}`);
    assert.equal(newYork(now.scheduled_at), `${iso(year, 3, startDay + 9)} 09:00`);
    await screenshot(page, '13-calendar-move-refused');
  });

  test('filters narrow the grid and stay in the address', async () => {
    await page.goto(`${BASE}/calendar?month=${year}-03&campaign=${campaign.id}`);
    await page.getByRole('heading', { name: `March ${year}`, exact: true }).waitFor();
    await page.locator(`[data-post-id="${post.id}"]`).waitFor();
    // Only this campaign's posts: the API's count for the same month and campaign.
    const inGrid = await page.locator('table.month-grid [data-post-id]').count();
    const fromApi = await manager.get(
      `/api/v1/posts?view=calendar&limit=1000&campaign_id=${campaign.id}` +
        `&from=${year}-02-20T00:00:00Z&to=${year}-04-10T00:00:00Z`,
    );
    assert.equal(inGrid, fromApi.items.filter((p) => p.scheduled_at).length);
    assert.equal(inGrid, 1);

    await page.getByLabel('Platform').selectOption('bluesky');
    await page.waitForURL(/platform=bluesky/);
    await page.locator(`[data-post-id="${post.id}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('table.month-grid [data-post-id]').count(), 0);
    await page.getByLabel('Platform').selectOption('instagram');
    await page.locator(`table.month-grid [data-post-id="${post.id}"]`).waitFor();
    await page.getByLabel('Status').selectOption('draft');
    await page.waitForURL(/status=draft/);
    await page.locator(`table.month-grid [data-post-id="${post.id}"]`).waitFor({ state: 'detached' });
    // A reload keeps them.
    await page.reload();
    assert.equal(await page.getByLabel('Status').inputValue(), 'draft');
    assert.equal(await page.getByLabel('Platform').inputValue(), 'instagram');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(new RegExp(`/calendar\\?month=${year}-03$`));
  });

  test('week and list views, and an unscheduled draft placed on a day', async () => {
    const day = iso(year, 3, startDay + 9);
    await page.goto(`${BASE}/calendar?view=week&date=${day}&campaign=${campaign.id}`);
    await page.getByRole('heading', { name: /^Week of/ }).waitFor();
    await page.locator(`table.week-grid [data-post-id="${post.id}"]`).waitFor();
    await checkAccessibility(page, 'calendar (week)');
    await screenshot(page, '14-calendar-week');

    // The draft without a time is in the Unscheduled list; dropped on a day it gets
    // 9:00 in the viewer's zone.
    const aside = page.getByRole('complementary', { name: 'Unscheduled' });
    const loose = aside.locator(`[data-post-id="${post.loose}"]`);
    await loose.waitFor();
    const target = page.locator(`table.week-grid td[data-date="${day}"]`);
    await loose.dragTo(target);
    await target.locator(`[data-post-id="${post.loose}"]`).waitFor();
    const placed = await manager.get(`/api/v1/posts/${post.loose}`);
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(placed.status, 'draft');
    assert.equal(placed.time_zone, zone);
    const local = await page.evaluate((t) => {
      const d = new Date(t);
      return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
    }, placed.scheduled_at);
    assert.deepEqual(local, [year, 3, startDay + 9, 9, 0]);

    await page.getByRole('button', { name: 'List', exact: true }).click();
    await page.waitForURL(/view=list/);
    await page.getByRole('heading', { name: `March ${year}`, exact: true }).waitFor();
    await page.getByRole('heading', { level: 3, name: new RegExp(`March ${startDay + 9}, ${year}`) }).waitFor();
    await page.locator(`.agenda [data-post-id="${post.id}"]`).waitFor();
    await checkAccessibility(page, 'calendar (list)');
    await screenshot(page, '15-calendar-list');
  });
});
