// Calendar: the home page. The posts of a month or a week (or the month as a list)
// alongside the year's health observances (American Heart Month, World Kidney Day...),
// filtered by brand, campaign, platform and status. Everything that picks what is shown
// is in the address (/calendar?month=2027-02, /calendar?view=week&date=2027-02-08&
// status=scheduled), so a view can be bookmarked and shared.
//
// Posts are drawn on the day they fall on in the viewer's time zone (the browser's), at
// the viewer's time, with the time in the zone they were planned in when that differs.
// A post is moved to another day by dragging it or with its "Move" button (a date
// field, for keyboards and screen readers); the move keeps its wall time in the planned
// zone, so 9:00 in New York stays 9:00 across a DST change.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  planApi,
  PLATFORMS,
  POST_STATUSES,
  postHref,
  query,
  type Brand,
  type Campaign,
  type Observance,
  type PostStatus,
  type PostSummary,
  type SessionInfo,
} from '../api';
import { navigate, onLinkClick } from '../router';
import { clock, dateIn, daysBetween, instantOf, rfc3339, shiftDays, viewerZone } from '../tz';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
// A month cell shows this many posts, then a button for the rest.
const DAY_LIMIT = 4;
const MOVABLE: PostStatus[] = ['draft', 'in_review', 'approved', 'scheduled'];
const UNSCHEDULED: PostStatus[] = ['draft', 'in_review', 'approved'];

type View = 'month' | 'week' | 'list';

interface Filters {
  brand_id: string;
  campaign_id: string;
  platform: string;
  status: string;
}

interface CalState {
  view: View;
  date: string; // YYYY-MM-DD: the first of the month (month, list) or a day of the week
  filters: Filters;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const parts = (iso: string) => iso.split('-').map(Number) as [number, number, number];
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function addDays(iso: string, n: number): string {
  const [y, m, d] = parts(iso);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function addMonths(iso: string, n: number): string {
  const [y, m] = parts(iso);
  const index = y * 12 + (m - 1) + n;
  return isoDate(Math.floor(index / 12), (index % 12) + 1, 1);
}

const weekday = (iso: string) => {
  const [y, m, d] = parts(iso);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
};
const weekStart = (iso: string) => addDays(iso, -weekday(iso));

function today(): string {
  const now = new Date();
  return isoDate(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

// "Tuesday, February 9, 2027".
function longDate(iso: string): string {
  const [y, m, d] = parts(iso);
  return `${WEEKDAYS[weekday(iso)]}, ${MONTHS[m - 1]} ${d}, ${y}`;
}
const shortDate = (iso: string) => {
  const [, m, d] = parts(iso);
  return `${MONTHS[m - 1].slice(0, 3)} ${d}`;
};

function stateFromAddress(): CalState {
  const q = new URLSearchParams(location.search);
  const filters: Filters = {
    brand_id: q.get('brand') ?? '',
    campaign_id: q.get('campaign') ?? '',
    platform: q.get('platform') ?? '',
    status: q.get('status') ?? '',
  };
  const v = q.get('view');
  const view: View = v === 'week' || v === 'list' ? v : 'month';
  if (view === 'week') {
    const date = q.get('date') ?? '';
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date));
    return { view, date: ok ? date : today(), filters };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(q.get('month') ?? '');
  const m = month ? Number(month[2]) : 0;
  const date = month && m >= 1 && m <= 12 ? `${month[1]}-${month[2]}-01` : today().slice(0, 8) + '01';
  return { view, date, filters };
}

// The address of a state: /calendar?month=2027-02 for the plain month view.
function addressOf(s: CalState): string {
  const q = query({
    view: s.view === 'month' ? null : s.view,
    month: s.view === 'week' ? null : s.date.slice(0, 7),
    date: s.view === 'week' ? s.date : null,
    brand: s.filters.brand_id,
    campaign: s.filters.campaign_id,
    platform: s.filters.platform,
    status: s.filters.status,
  });
  return `/calendar?${q}`;
}

// The days shown: the month, or the Sunday-to-Saturday week.
function rangeOf(s: CalState): { first: string; last: string } {
  if (s.view === 'week') {
    const first = weekStart(s.date);
    return { first, last: addDays(first, 6) };
  }
  const [y, m] = parts(s.date);
  return { first: isoDate(y, m, 1), last: isoDate(y, m, daysIn(y, m)) };
}

// Local midnight (the viewer's zone) of a date, as an instant.
const midnight = (iso: string) => {
  const [y, m, d] = parts(iso);
  return new Date(y, m - 1, d).getTime();
};

function titleOf(s: CalState): string {
  const [y, m] = parts(s.date);
  if (s.view !== 'week') return `${MONTHS[m - 1]} ${y}`;
  const { first, last } = rangeOf(s);
  const [ly] = parts(last);
  return `Week of ${shortDate(first)} – ${shortDate(last)}, ${ly}`;
}

// A slug for a campaign's observance_key: "American Heart Month" -> american-heart-month.
export function observanceKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

// The campaign form's address, prefilled from an observance.
function campaignFromObservance(o: Observance): string {
  return `/campaigns/new?${query({
    name: o.name,
    type: 'awareness',
    observance_key: observanceKey(o.name),
    start_date: o.start,
    end_date: o.end,
    tags: o.hashtags.map((h) => h.replace(/^#/, '')).join(','),
  })}`;
}

// "Feb 1 – 28" / "Mar 12" / "Dec 28 – Jan 3".
function span(o: Observance): string {
  return o.start === o.end ? shortDate(o.start) : `${shortDate(o.start)} – ${shortDate(o.end)}`;
}

const cityOf = (zone: string) => zone.slice(zone.lastIndexOf('/') + 1).replace(/_/g, ' ');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Lookup {
  campaigns: Map<number, Campaign>;
  brands: Map<number, Brand>;
}

interface Mover {
  canMove: (p: PostSummary) => boolean;
  move: (p: PostSummary, date: string) => void;
  startDrag: (p: PostSummary, e: DragEvent) => void;
  endDrag: () => void;
  openMenu: number | null;
  setOpenMenu: (id: number | null) => void;
}

export function CalendarPage({ session }: { session: SessionInfo }) {
  const [state, setState] = useState<CalState>(stateFromAddress);
  const [observances, setObservances] = useState<Observance[]>([]);
  const [posts, setPosts] = useState<PostSummary[]>([]);
  const [unscheduled, setUnscheduled] = useState<PostSummary[]>([]);
  const [incomplete, setIncomplete] = useState(false);
  const [lookup, setLookup] = useState<Lookup>({ campaigns: new Map(), brands: new Map() });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [moveError, setMoveError] = useState('');
  const [moved, setMoved] = useState('');
  const [openMenu, setOpenMenu] = useState<number | null>(null);
  const [focusPost, setFocusPost] = useState<number | null>(null);
  const [dropDay, setDropDay] = useState<string | null>(null);
  const dragging = useRef<PostSummary | null>(null);
  const zone = viewerZone();
  const may = (action: string) => session.actions.includes(action);

  const { first, last } = rangeOf(state);
  const title = titleOf(state);

  useEffect(() => {
    // A user with roles for single brands may not read the organization: no brand
    // filter then (the server shows them their brands' posts only anyway).
    const org = may('org.read') ? api.organization() : Promise.resolve({ brands: [] as Brand[] });
    Promise.all([org, planApi.campaigns()])
      .then(([o, campaigns]) =>
        setLookup({
          brands: new Map(o.brands.map((b) => [b.id, b])),
          campaigns: new Map(campaigns.items.map((c) => [c.id, c])),
        }),
      )
      .catch((e: unknown) => setError(message(e)));
  }, []);

  useEffect(() => {
    history.replaceState(null, '', addressOf(state));
    let live = true;
    setLoading(true);
    setError('');
    const f = state.filters;
    const wantUnscheduled = UNSCHEDULED.filter((s) => !f.status || f.status === s);
    Promise.all([
      api.observances(first, last),
      planApi.calendarPosts({
        ...f,
        from: rfc3339(midnight(first)),
        to: rfc3339(midnight(addDays(last, 1))),
      }),
      // The server keeps only posts without a time; of those, the ones still to plan.
      wantUnscheduled.length === 0
        ? Promise.resolve({ items: [] as PostSummary[], complete: true })
        : planApi.calendarPosts({ ...f, unscheduled: 'true' }),
    ])
      .then(([o, p, u]) => {
        if (!live) return;
        setObservances(o.items);
        setPosts(p.items);
        setIncomplete(!p.complete);
        setUnscheduled(u.items.filter((x) => wantUnscheduled.includes(x.status)));
      })
      .catch((e: unknown) => live && setError(message(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [state]);

  // After a keyboard move, focus follows the post to its new day.
  useEffect(() => {
    if (focusPost === null) return;
    const target = document.querySelector<HTMLElement>(`[data-post-id="${focusPost}"] .chip-move`);
    if (target) {
      target.focus();
      setFocusPost(null);
    }
  });

  const byDay = useMemo(() => {
    const out = new Map<string, PostSummary[]>();
    const sorted = posts
      .filter((p) => p.scheduled_at !== null)
      .sort((a, b) => Date.parse(a.scheduled_at!) - Date.parse(b.scheduled_at!));
    for (const p of sorted) {
      const day = dateIn(Date.parse(p.scheduled_at!), zone);
      out.set(day, [...(out.get(day) ?? []), p]);
    }
    return out;
  }, [posts, zone]);

  const go = (change: Partial<CalState>) => setState({ ...state, ...change });
  const setFilter = (name: keyof Filters, value: string) =>
    setState({ ...state, filters: { ...state.filters, [name]: value } });

  const canMove = (p: PostSummary) =>
    MOVABLE.includes(p.status) && may(p.status === 'scheduled' ? 'posts.schedule' : 'posts.draft');

  // Moves `p` to `date` (the viewer's calendar): the same wall time in its planned zone,
  // that many days later; an unscheduled post gets 9:00 in the viewer's zone.
  const move = async (p: PostSummary, date: string, fromKeyboard = false) => {
    setMoveError('');
    setMoved('');
    let at: number;
    let planned = p.time_zone || zone;
    if (p.scheduled_at === null) {
      const [y, m, d] = parts(date);
      at = instantOf({ year: y, month: m, day: d, hour: 9, minute: 0, second: 0 }, zone);
      planned = zone;
    } else {
      const now = Date.parse(p.scheduled_at);
      const days = daysBetween(dateIn(now, zone), date);
      if (days === 0) return;
      at = shiftDays(now, planned, days);
    }
    const before = { posts, unscheduled };
    const placed: PostSummary = { ...p, scheduled_at: rfc3339(at), time_zone: planned };
    setPosts([...posts.filter((x) => x.id !== p.id), placed]);
    setUnscheduled(unscheduled.filter((x) => x.id !== p.id));
    if (fromKeyboard) setFocusPost(p.id);
    try {
      const saved = (await (p.status === 'scheduled'
        ? planApi.schedulePost(p.id, rfc3339(at), planned)
        : planApi.movePlannedPost(p.id, rfc3339(at), planned))) as PostSummary;
      setPosts((list) =>
        list.map((x) =>
          x.id === p.id
            ? { ...x, scheduled_at: saved.scheduled_at, time_zone: saved.time_zone, status: saved.status }
            : x,
        ),
      );
      setMoved(`Moved “${p.excerpt}” to ${longDate(date)}, ${clock(at, planned)} (${planned}).`);
    } catch (e) {
      // Put it back where it was and say why.
      setPosts(before.posts);
      setUnscheduled(before.unscheduled);
      if (fromKeyboard) setFocusPost(p.id);
      const why = e instanceof ApiError ? e.detail : message(e);
      setMoveError(`Post ${p.id} was not moved: ${why}`);
    }
  };

  const mover: Mover = {
    canMove,
    move: (p, date) => void move(p, date, true),
    startDrag: (p, e) => {
      dragging.current = p;
      e.dataTransfer?.setData('text/plain', `post ${p.id}`);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    },
    endDrag: () => {
      dragging.current = null;
      setDropDay(null);
    },
    openMenu,
    setOpenMenu,
  };

  // Day cells accept dropped posts.
  const dropProps = (day: string) => ({
    'data-date': day,
    class: dropDay === day ? 'drop-target' : undefined,
    onDragOver: (e: DragEvent) => {
      if (!dragging.current) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
      if (dropDay !== day) setDropDay(day);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      const p = dragging.current;
      dragging.current = null;
      setDropDay(null);
      if (p) void move(p, day);
    },
  });

  const whole = observances.filter((o) => o.kind === 'month');
  const dated = observances.filter((o) => o.kind !== 'month');
  const observancesOn = (iso: string) => dated.filter((o) => o.start <= iso && iso <= o.end);
  const chipProps = { lookup, zone, mover };

  const dayContent = (iso: string, limit: number) => {
    const list = byDay.get(iso) ?? [];
    return (
      <>
        <ul class="plain day-items">
          {observancesOn(iso).map((o) => (
            <li key={o.name} class={o.kind === 'day' ? 'obs obs-day' : 'obs obs-week'} title={o.name}>
              {o.name}
            </li>
          ))}
        </ul>
        <DayPosts posts={list} limit={limit} day={iso} {...chipProps} />
      </>
    );
  };

  const moveBy = state.view === 'week' ? 'week' : 'month';
  const step = (n: number) =>
    go({ date: state.view === 'week' ? addDays(state.date, 7 * n) : addMonths(state.date, n) });
  const toView = (view: View) => {
    if (view === state.view) return;
    if (view === 'week') {
      const t = today();
      go({ view, date: t.slice(0, 7) === state.date.slice(0, 7) ? t : state.date });
    } else {
      go({ view, date: state.date.slice(0, 8) + '01' });
    }
  };

  return (
    <section aria-labelledby="calendar-title" class="calendar">
      <div class="calendar-head">
        <h1 id="calendar-title">{title}</h1>
        <div class="button-row">
          <button type="button" class="secondary" onClick={() => step(-1)}>
            <span aria-hidden="true">‹ </span>Previous {moveBy}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => go({ date: state.view === 'week' ? today() : today().slice(0, 8) + '01' })}
          >
            Today
          </button>
          <button type="button" class="secondary" onClick={() => step(1)}>
            Next {moveBy}
            <span aria-hidden="true"> ›</span>
          </button>
          <a href="/calendar/io">Import and export</a>
        </div>
        <div class="button-row segmented" role="group" aria-label="View">
          {(['month', 'week', 'list'] as View[]).map((v) => (
            <button
              type="button"
              key={v}
              class="secondary"
              aria-pressed={state.view === v}
              onClick={() => toView(v)}
            >
              {v === 'month' ? 'Month' : v === 'week' ? 'Week' : 'List'}
            </button>
          ))}
        </div>
      </div>

      <form class="calendar-filters" role="search" aria-label="Filter posts" onSubmit={(e) => e.preventDefault()}>
        {(lookup.brands.size > 1 || state.filters.brand_id) && (
          <FilterSelect label="Brand" value={state.filters.brand_id} onChange={(v) => setFilter('brand_id', v)}>
            {[...lookup.brands.values()].map((b) => (
              <option key={b.id} value={String(b.id)}>
                {b.name}
              </option>
            ))}
          </FilterSelect>
        )}
        <FilterSelect
          label="Campaign"
          value={state.filters.campaign_id}
          onChange={(v) => setFilter('campaign_id', v)}
        >
          {[...lookup.campaigns.values()]
            .filter((c) => !state.filters.brand_id || String(c.brand_id) === state.filters.brand_id)
            .map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
        </FilterSelect>
        <FilterSelect label="Platform" value={state.filters.platform} onChange={(v) => setFilter('platform', v)}>
          {Object.entries(PLATFORMS).map(([key, p]) => (
            <option key={key} value={key}>
              {p.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Status" value={state.filters.status} onChange={(v) => setFilter('status', v)}>
          {Object.entries(POST_STATUSES).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </FilterSelect>
        {Object.values(state.filters).some((v) => v) && (
          <button
            type="button"
            class="secondary actions"
            onClick={() => go({ filters: { brand_id: '', campaign_id: '', platform: '', status: '' } })}
          >
            Clear filters
          </button>
        )}
      </form>

      <p class="hint">
        Times are in your time zone ({zone}); a post planned in another zone also shows its time there. Drag
        a post to another day, or use its Move button.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite" role="status">
        {loading && <p>Loading {title}…</p>}
        {moved && <p class="notice">{moved}</p>}
      </div>
      {moveError && (
        <p class="error" role="alert">
          {moveError}
        </p>
      )}
      {incomplete && (
        <p class="error" role="alert">
          More than 20,000 posts match: only the first 20,000 are shown. Narrow the filters.
        </p>
      )}
      {whole.length > 0 && (
        <p class="month-observances">
          <strong>All month:</strong> {whole.map((o) => o.name).join(' · ')}
        </p>
      )}

      <div class="calendar-body">
        <div class="calendar-main">
          {state.view === 'month' && (
            <MonthGrid
              title={title}
              first={first}
              last={last}
              render={(iso) => dayContent(iso, DAY_LIMIT)}
              dropProps={dropProps}
            />
          )}
          {state.view === 'week' && (
            <div class="table-wrap">
              <table class="month-grid week-grid">
                <caption class="visually-hidden">{title}: posts and health observances by day</caption>
                <thead>
                  <tr>
                    {[0, 1, 2, 3, 4, 5, 6].map((i) => {
                      const iso = addDays(first, i);
                      return (
                        <th scope="col" key={iso}>
                          {WEEKDAYS[i].slice(0, 3)} {shortDate(iso)}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    {[0, 1, 2, 3, 4, 5, 6].map((i) => {
                      const iso = addDays(first, i);
                      return (
                        <td key={iso} {...dropProps(iso)}>
                          {dayContent(iso, Infinity)}
                        </td>
                      );
                    })}
                  </tr>
                </tbody>
              </table>
            </div>
          )}
          {state.view === 'list' && (
            <ListView first={first} last={last} byDay={byDay} loading={loading} {...chipProps} />
          )}
        </div>
        <aside class="unscheduled" aria-labelledby="unscheduled-title">
          <h2 id="unscheduled-title">Unscheduled</h2>
          <p class="hint">Posts without a time yet. Drag one onto a day, or use Move: it gets 9:00 your time.</p>
          {unscheduled.length === 0 && !loading && <p>None.</p>}
          <ul class="plain chips">
            {unscheduled.map((p) => (
              <PostChip key={p.id} post={p} {...chipProps} />
            ))}
          </ul>
        </aside>
      </div>

      <h2>Observances in {title}</h2>
      {!loading && observances.length === 0 && <p>No health observances in these days.</p>}
      {observances.length > 0 && (
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Observance</th>
                <th scope="col">When</th>
                <th scope="col">Hashtags</th>
                <th scope="col">Sponsor</th>
              </tr>
            </thead>
            <tbody>
              {observances.map((o) => (
                <tr key={o.name + o.start}>
                  <td>
                    <div class="obs-name">
                      <span>
                        {o.url ? (
                          <a href={o.url} rel="noopener noreferrer" target="_blank">
                            {o.name}
                          </a>
                        ) : (
                          o.name
                        )}
                        {o.safe_messaging && (
                          <>
                            {' '}
                            <span
                              class="badge badge-review"
                              title="Follow the safe-messaging guidelines: no method details, include crisis resources"
                            >
                              safe messaging
                            </span>
                          </>
                        )}
                      </span>
                      {may('campaigns.manage') && (
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={`Start a campaign for ${o.name}`}
                          onClick={() => navigate(campaignFromObservance(o))}
                        >
                          Start a campaign
                        </button>
                      )}
                    </div>
                  </td>
                  <td>
                    {span(o)} <span class="hint">({o.kind})</span>
                  </td>
                  <td>{o.hashtags.join(' ')}</td>
                  <td>{o.sponsor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ComponentChildren;
}) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">All</option>
        {children}
      </select>
    </div>
  );
}

function MonthGrid({
  title,
  first,
  last,
  render,
  dropProps,
}: {
  title: string;
  first: string;
  last: string;
  render: (iso: string) => ComponentChildren;
  dropProps: (iso: string) => Record<string, unknown>;
}) {
  const cells: (string | null)[] = [];
  for (let i = 0; i < weekday(first); i++) cells.push(null);
  for (let d = first; d <= last; d = addDays(d, 1)) cells.push(d);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <div class="table-wrap">
      <table class="month-grid">
        <caption class="visually-hidden">{title}: posts and health observances by day</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th scope="col" key={d}>
                <abbr title={d}>{d.slice(0, 3)}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {week.map((iso, i) =>
                iso === null ? (
                  <td key={i} class="outside" />
                ) : (
                  <td key={iso} {...dropProps(iso)}>
                    <span class="day-number">{parts(iso)[2]}</span>
                    {render(iso)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ChipProps {
  lookup: Lookup;
  zone: string;
  mover: Mover;
}

function DayPosts({ posts, limit, day, ...chip }: { posts: PostSummary[]; limit: number; day: string } & ChipProps) {
  const [all, setAll] = useState(false);
  if (posts.length === 0) return null;
  const shown = all ? posts : posts.slice(0, limit);
  return (
    <>
      <ul class="plain chips" aria-label={`Posts on ${longDate(day)}`}>
        {shown.map((p) => (
          <PostChip key={p.id} post={p} {...chip} />
        ))}
      </ul>
      {posts.length > shown.length && (
        <button type="button" class="link-button" onClick={() => setAll(true)}>
          +{posts.length - shown.length} more<span class="visually-hidden"> on {longDate(day)}</span>
        </button>
      )}
    </>
  );
}

function PostChip({ post, lookup, zone, mover }: { post: PostSummary } & ChipProps) {
  const campaign = post.campaign_id !== null ? lookup.campaigns.get(post.campaign_id) : undefined;
  const at = post.scheduled_at !== null ? Date.parse(post.scheduled_at) : null;
  const planned =
    at !== null && post.time_zone && clock(at, post.time_zone, true) !== clock(at, zone, true)
      ? post.time_zone
      : null;
  const movable = mover.canMove(post);
  const menuOpen = mover.openMenu === post.id;
  return (
    <li
      class={`chip chip-${post.status}`}
      data-post-id={post.id}
      data-status={post.status}
      draggable={movable}
      onDragStart={movable ? (e) => mover.startDrag(post, e as DragEvent) : undefined}
      onDragEnd={() => mover.endDrag()}
    >
      <div class="chip-line">
        {at !== null ? (
          <time dateTime={post.scheduled_at!} class="chip-time">
            {clock(at, zone)}
          </time>
        ) : (
          <span class="chip-time">No time</span>
        )}
        <span class={`status st-${post.status}`}>{POST_STATUSES[post.status]}</span>
        {post.blocked && !post.overridden && <span class="status st-blocked">Blocked</span>}
        {post.series_id != null && (
          <a class="repeat-mark" href={`/series/${post.series_id}`} onClick={onLinkClick} title={post.series_note || 'Repeats'}>
            ↻<span class="visually-hidden"> Repeats: series {post.series_id}</span>
          </a>
        )}
      </div>
      {planned && at !== null && (
        <div class="chip-zone" title={`${clock(at, planned, true)} in ${planned}`}>
          {clock(at, planned, true)}
          <span class="visually-hidden"> in {planned}</span>
          <span class="zone-city" aria-hidden="true">
            {' '}
            {cityOf(planned)}
          </span>
        </div>
      )}
      <a class="chip-text" href={postHref(post.id)} onClick={onLinkClick}>
        {post.excerpt}
      </a>
      {campaign && (
        <div class="chip-campaign">
          <span class="visually-hidden">Campaign: </span>
          {campaign.name}
        </div>
      )}
      <div class="chip-meta">
        <span class="platforms">
          {post.platforms.map((p) => (
            <abbr key={p} title={PLATFORMS[p]?.name ?? p}>
              {PLATFORMS[p]?.short ?? p}
            </abbr>
          ))}
          {post.platforms.length === 0 && 'No platform'}
        </span>
        {movable && !menuOpen && (
          <button
            type="button"
            class="chip-move link-button"
            aria-label={`Move post ${post.id}: ${post.excerpt}`}
            onClick={() => mover.setOpenMenu(post.id)}
          >
            Move…
          </button>
        )}
      </div>
      {movable && menuOpen && <MoveForm post={post} zone={zone} mover={mover} />}
    </li>
  );
}

// The keyboard (and screen reader) way to move a post: a date field.
function MoveForm({ post, zone, mover }: { post: PostSummary; zone: string; mover: Mover }) {
  const current = post.scheduled_at !== null ? dateIn(Date.parse(post.scheduled_at), zone) : today();
  const [date, setDate] = useState(current);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const id = `move-${post.id}`;
  const close = () => {
    mover.setOpenMenu(null);
    // Back to the post's Move button once it is drawn again.
    setTimeout(() => document.querySelector<HTMLElement>(`[data-post-id="${post.id}"] .chip-move`)?.focus());
  };
  return (
    <form
      class="move-form"
      onSubmit={(e) => {
        e.preventDefault();
        mover.setOpenMenu(null);
        if (/^\d{4}-\d{2}-\d{2}$/.test(date)) mover.move(post, date);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <label for={id}>Move to</label>
      <input id={id} type="date" ref={input} value={date} required onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
      <div class="button-row">
        <button type="submit" class="small">
          Move
        </button>
        <button type="button" class="secondary small" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ListView({
  first,
  last,
  byDay,
  loading,
  ...chip
}: { first: string; last: string; byDay: Map<string, PostSummary[]>; loading: boolean } & ChipProps) {
  const days: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) if (byDay.has(d)) days.push(d);
  if (!loading && days.length === 0) return <p>No posts in these days.</p>;
  return (
    <div class="agenda">
      {days.map((d) => (
        <section key={d} aria-labelledby={`day-${d}`} class="agenda-day">
          <h3 id={`day-${d}`}>{longDate(d)}</h3>
          <ul class="plain chips agenda-chips">
            {byDay.get(d)!.map((p) => (
              <PostChip key={p.id} post={p} {...chip} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

