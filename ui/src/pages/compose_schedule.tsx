// "Schedule" on an approved post (and "Move" on a scheduled one) for whoever holds
// posts.schedule: a date, a wall-clock time and the IANA zone it is planned in (the
// post's own zone, else the browser's), sent to POST /api/v1/posts/{id}/schedule. A time
// the clocks skip or repeat on that day is said before the click (how the instant is
// chosen: zoned.ts), and the server's own resolution text is shown when it gives one.
// The server refuses a time in the past (422 naming scheduled_at); its words show here.
import { useMemo, useState } from 'preact/hooks';
import { postsApi, type Post } from '../posts';
import type { SessionInfo } from '../api';
import { allZones, browserZone, utcToZoned, zonedToUtc } from '../zoned';
import { ErrorAlert, errorText } from './messages';

// What happens to `time` on `date` in `zone` at a clock change, or '' when nothing does.
export function dstNote(date: string, time: string, zone: string): string {
  if (!date || !time) return '';
  let utc: string;
  try {
    utc = zonedToUtc(date, time, zone);
  } catch {
    return '';
  }
  const back = utcToZoned(utc, zone);
  if (back.date !== date || back.time !== time) {
    return `${time} does not exist on ${date} in ${zone}: the clocks skip forward, so the post goes out at ${back.time}.`;
  }
  for (const shift of [3_600_000, 1_800_000]) {
    const other = utcToZoned(new Date(Date.parse(utc) + shift).toISOString(), zone);
    if (other.date === date && other.time === time) {
      return `${time} happens twice on ${date} in ${zone} (the clocks go back): the post goes out at the first one.`;
    }
  }
  return '';
}

export function ScheduleControl({
  post,
  session,
  onScheduled,
}: {
  post: Post;
  session: SessionInfo;
  onScheduled: (p: Post, message: string) => void;
}) {
  const zone0 = post.time_zone || browserZone();
  const wall = post.scheduled_at ? utcToZoned(post.scheduled_at, zone0) : { date: '', time: '09:00' };
  const [date, setDate] = useState(wall.date);
  const [time, setTime] = useState(wall.time);
  const [zone, setZone] = useState(zone0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const zones = useMemo(allZones, []);
  if (!session.actions.includes('posts.schedule')) return null;
  if (post.status !== 'approved' && post.status !== 'scheduled') return null;
  const moving = post.status === 'scheduled';
  const note = dstNote(date, time, zone);

  const schedule = async () => {
    if (!date) {
      setError('Choose the date to publish on.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const p = await postsApi.schedule(post.id, zonedToUtc(date, time || '09:00', zone), zone);
      const resolution = (p as Post & { resolution?: string }).resolution;
      const at = utcToZoned(p.scheduled_at!, p.time_zone);
      onScheduled(p, `Scheduled for ${at.date} ${at.time} (${p.time_zone}).${resolution ? ' ' + resolution : ''}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="schedule-control card" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">{moving ? 'Move the scheduled post' : 'Schedule'}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          schedule();
        }}
      >
        <div class="row">
          <div class="field">
            <label for="schedule-date">Publish date</label>
            <input id="schedule-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="schedule-time">Publish time</label>
            <input id="schedule-time" type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="schedule-zone">Publish in zone</label>
            <select id="schedule-zone" value={zone} onChange={(e) => setZone(e.currentTarget.value)}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
        </div>
        {note && (
          <p class="notice" data-testid="dst-note">
            {note}
          </p>
        )}
        <div class="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Scheduling…' : moving ? 'Move' : 'Schedule'}
          </button>
        </div>
        <ErrorAlert error={error} prefix="Not scheduled: " />
      </form>
    </section>
  );
}
