// Recurring series: the composer's "Repeat" control (RepeatControl) and the series page
// (/series/{id}): what the rule is, every occurrence the server made (local date and
// time in the zone it was planned in, its post's state, the DST note when the wall time
// had to be moved) and ending the series.
import { useEffect, useState } from 'preact/hooks';
import { POST_STATUSES } from '../api';
import type { Post } from '../posts';
import { onLinkClick } from '../router';
import {
  seriesApi,
  WEEKDAY_LABELS,
  WEEKDAYS,
  type Occurrence,
  type RepeatChoice,
  type RepeatKind,
  type Series,
  type WeekdayName,
} from '../series';
import { utcToZoned } from '../zoned';
import { ErrorAlert, errorText } from './messages';

const REPEAT_LABELS: Record<RepeatKind, string> = {
  none: 'Does not repeat',
  daily: 'Every day',
  weekdays: 'Every weekday (Monday to Friday)',
  weekly: 'Weekly on chosen days',
  monthly: 'Monthly on this day of the month',
};

export function RepeatControl({ value, onChange }: { value: RepeatChoice; onChange: (v: RepeatChoice) => void }) {
  const toggle = (day: WeekdayName, on: boolean) => {
    const days = on ? [...value.days, day] : value.days.filter((d) => d !== day);
    onChange({ ...value, days: WEEKDAYS.filter((d) => days.includes(d)) });
  };
  return (
    <div class="repeat">
      <div class="field">
        <label for="compose-repeat">Repeat</label>
        <select
          id="compose-repeat"
          value={value.kind}
          onChange={(e) => onChange({ ...value, kind: e.currentTarget.value as RepeatKind })}
        >
          {(Object.keys(REPEAT_LABELS) as RepeatKind[]).map((k) => (
            <option key={k} value={k}>
              {REPEAT_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      {value.kind === 'weekly' && (
        <fieldset class="repeat-days">
          <legend>On</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} class="checkbox">
              <input type="checkbox" checked={value.days.includes(d)} onChange={(e) => toggle(d, e.currentTarget.checked)} />
              {WEEKDAY_LABELS[d]}
            </label>
          ))}
        </fieldset>
      )}
      {value.kind !== 'none' && (
        <p class="hint">
          Saving makes a series: the posts of the next eight weeks are created as drafts at once (more as time passes), each
          at this wall-clock time in this zone, and each is reviewed on its own.
        </p>
      )}
    </div>
  );
}

// On an occurrence's edit page: which series it belongs to, and that saving here changes
// this post only.
export function SeriesNote({ post }: { post: Post }) {
  return (
    <p class="series-note">
      <span class="repeat-mark" aria-hidden="true">
        ↻{' '}
      </span>
      Part of a{' '}
      <a href={`/series/${post.series_id}`} onClick={onLinkClick}>
        repeating series
      </a>{' '}
      (the post of {post.series_date}). Saving changes here changes this post only; to change this and the following
      posts, change the series.
      {post.series_note ? ` ${post.series_note}` : ''}
    </p>
  );
}

// The series' text for this and the following posts.
function TemplateForm({ series, onSaved }: { series: Series; onSaved: (s: Series) => void }) {
  const [text, setText] = useState(series.master_text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const save = async () => {
    setBusy(true);
    setError('');
    try {
      onSaved(await seriesApi.update(series.id, { master_text: text }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="series-template"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div class="field">
        <label for="series-text">Text of this and the following posts</label>
        <textarea id="series-text" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <p class="hint">
        Posts already published, past, or changed on their own keep their text; the future ones are made again with
        this text and go to review again.
      </p>
      <div class="button-row">
        <button type="submit" class="secondary" disabled={busy || text === series.master_text}>
          {busy ? 'Saving…' : 'Save for this and following posts'}
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}

export function SeriesPage({ id }: { id: number }) {
  const [series, setSeries] = useState<Series | null>(null);
  const [items, setItems] = useState<Occurrence[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');

  const load = async () => {
    try {
      const [s, o] = await Promise.all([seriesApi.get(id), seriesApi.occurrences(id)]);
      setSeries(s);
      setItems(o.items.slice().sort((a, b) => (a.series_date < b.series_date ? -1 : a.series_date > b.series_date ? 1 : 0)));
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => {
    load();
  }, [id]);

  const end = async () => {
    setBusy(true);
    setError('');
    try {
      const s = await seriesApi.end(id);
      setSeries(s);
      setDone('The series has ended. Its future posts were cancelled.');
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const live = items.filter((o) => o.series_state !== 'replaced');
  return (
    <>
      <h1>Series {id}</h1>
      <ErrorAlert error={error} />
      {series !== null && (
        <>
          <p class="lead">
            <span class="repeat-mark" aria-hidden="true">
              ↻{' '}
            </span>
            Repeats {series.description}.{' '}
            {series.status === 'ended' ? <strong>Ended.</strong> : <span>Active.</span>}
          </p>
          {series.rule.zone_changes && series.rule.zone_changes.length > 0 && (
            <p>
              Zone changes:{' '}
              {series.rule.zone_changes.map((c) => `${c.time_zone} from ${c.from}`).join('; ')}
            </p>
          )}
          <table class="occurrences">
            <caption>Occurrences ({live.length})</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Local time</th>
                <th scope="col">Zone</th>
                <th scope="col">State</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {live.map((o) => (
                <tr key={o.post_id} data-series-date={o.series_date}>
                  <td>
                    <a href={`/posts/${o.post_id}`} onClick={onLinkClick}>
                      {o.series_date}
                    </a>
                  </td>
                  <td>{o.scheduled_at ? utcToZoned(o.scheduled_at, o.time_zone).time : ''}</td>
                  <td>{o.time_zone}</td>
                  <td>
                    {POST_STATUSES[o.status]}
                    {o.series_state === 'detached' ? ' (edited on its own)' : ''}
                  </td>
                  <td>{o.series_note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {series.status === 'active' && (
            <TemplateForm
              key={series.updated_at}
              series={series}
              onSaved={(s) => {
                setSeries(s);
                setDone('Saved. The following posts use the new text.');
                load();
              }}
            />
          )}
          {series.status === 'active' && (
            <div class="button-row">
              <button type="button" class="secondary" disabled={busy} onClick={end}>
                {busy ? 'Ending…' : 'End the series'}
              </button>
            </div>
          )}
          <p role="status">{done}</p>
        </>
      )}
    </>
  );
}
