// Calendar: the month at a glance with the year's health observances (American Heart
// Month, World Kidney Day, National Nurses Week...), so a team plans content around
// them. The month is in the address (/calendar?month=2027-02), so it can be bookmarked
// and shared. Dates are calendar dates, the same in every time zone.
import { useEffect, useState } from 'preact/hooks';
import { api, type Observance } from '../api';

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

interface Month {
  year: number;
  month: number; // 1..12
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (m: Month) => new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();
const monthKey = (m: Month) => `${m.year}-${pad(m.month)}`;

function shift(m: Month, by: number): Month {
  const index = m.year * 12 + (m.month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

// The month in ?month=YYYY-MM, else the current one (in the browser's zone).
function monthFromAddress(): Month {
  const value = new URLSearchParams(location.search).get('month') ?? '';
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (match) {
    const month = Number(match[2]);
    if (month >= 1 && month <= 12) return { year: Number(match[1]), month };
  }
  return monthFromNow();
}

// "Feb 1 – 28" / "Mar 12" / "Dec 28 – Jan 3".
function span(o: Observance): string {
  const fmt = (iso: string) => {
    const [, m, d] = iso.split('-').map(Number);
    return `${MONTHS[m - 1].slice(0, 3)} ${d}`;
  };
  return o.start === o.end ? fmt(o.start) : `${fmt(o.start)} – ${fmt(o.end)}`;
}

export function CalendarPage() {
  const [month, setMonth] = useState<Month>(monthFromAddress);
  const [observances, setObservances] = useState<Observance[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  useEffect(() => {
    history.replaceState(null, '', `/calendar?month=${monthKey(month)}`);
    let live = true;
    setLoading(true);
    setError('');
    api
      .observances(isoDate(month.year, month.month, 1), isoDate(month.year, month.month, daysIn(month)))
      .then((r) => live && setObservances(r.items))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [month]);

  const title = `${MONTHS[month.month - 1]} ${month.year}`;
  const whole = observances.filter((o) => o.kind === 'month');
  const dated = observances.filter((o) => o.kind !== 'month');
  const first = new Date(Date.UTC(month.year, month.month - 1, 1)).getUTCDay();
  const cells: (number | null)[] = [];
  for (let i = 0; i < first; i++) cells.push(null);
  for (let d = 1; d <= daysIn(month); d++) cells.push(d);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const on = (day: number) => {
    const iso = isoDate(month.year, month.month, day);
    return dated.filter((o) => o.start <= iso && iso <= o.end);
  };

  return (
    <section aria-labelledby="calendar-title">
      <div class="calendar-head">
        <h1 id="calendar-title">{title}</h1>
        <div class="button-row">
          <button type="button" class="secondary" onClick={() => setMonth(shift(month, -1))}>
            <span aria-hidden="true">‹ </span>Previous month
          </button>
          <button type="button" class="secondary" onClick={() => setMonth(monthFromNow())}>
            Today
          </button>
          <button type="button" class="secondary" onClick={() => setMonth(shift(month, 1))}>
            Next month<span aria-hidden="true"> ›</span>
          </button>
          <a href="/calendar/io">Import and export</a>
        </div>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {loading && <p role="status">Loading {title}…</p>}
      {whole.length > 0 && (
        <p class="month-observances">
          <strong>All month:</strong> {whole.map((o) => o.name).join(' · ')}
        </p>
      )}
      <div class="table-wrap">
        <table class="month-grid">
          <caption class="visually-hidden">{title}: health observances by day</caption>
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
                {week.map((day, i) =>
                  day === null ? (
                    <td key={i} class="outside" />
                  ) : (
                    <td key={i}>
                      <span class="day-number">{day}</span>
                      <ul class="plain day-items">
                        {on(day).map((o) => (
                          <li key={o.name} class={o.kind === 'day' ? 'obs obs-day' : 'obs obs-week'}>
                            {o.name}
                          </li>
                        ))}
                      </ul>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Observances in {title}</h2>
      {!loading && observances.length === 0 && <p>No health observances this month.</p>}
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

function monthFromNow(): Month {
  const now = new Date();
  return { year: now.getFullYear(), month: now.getMonth() + 1 };
}
