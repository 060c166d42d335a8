// Import and export: the calendar as a CSV file (docs/calendar-csv.md) in and out, and
// the calendar subscription (an iCalendar feed at a secret URL for Outlook, Google
// Calendar or Apple Calendar). A refused file lists every problem by row and column;
// nothing of it is imported.
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  calendarApi,
  CsvImportError,
  importCalendar,
  type Brand,
  type CalendarFeedStatus,
  type CalendarImportResult,
  type CsvProblem,
} from '../api';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function CalendarIoPage() {
  const [brands, setBrands] = useState<Brand[]>([]);
  useEffect(() => {
    api
      .organization()
      .then((o) => setBrands(o.brands))
      .catch(() => setBrands([]));
  }, []);

  return (
    <section aria-labelledby="calendar-io-title">
      <div class="calendar-head">
        <h1 id="calendar-io-title">Import and export</h1>
        <a href="/calendar">Back to the calendar</a>
      </div>
      <ImportCard />
      <ExportCard brands={brands} />
      <FeedCard />
    </section>
  );
}

function ImportCard() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [problems, setProblems] = useState<CsvProblem[]>([]);
  const [leftOff, setLeftOff] = useState(0);
  const [result, setResult] = useState<CalendarImportResult | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setBusy(true);
    setError('');
    setProblems([]);
    setLeftOff(0);
    setResult(null);
    try {
      setResult(await importCalendar(await file.text(), dryRun));
    } catch (e) {
      setError(message(e));
      if (e instanceof CsvImportError) {
        setProblems(e.problems);
        setLeftOff(e.problemsLeftOff);
      }
    } finally {
      setBusy(false);
    }
  };

  const blocked = result ? result.posts.filter((p) => p.blocked).length : 0;
  return (
    <section class="card" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a CSV file</h2>
      <p>
        Columns: date, time, time_zone, brand, campaign, platforms, text, link, first_comment, hashtags,
        status. Every row becomes a draft that goes through review; if any row has a problem, nothing is
        imported.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(false);
        }}
      >
        <div class="row">
          <div class="field">
            <label for="import-file">Calendar file (CSV)</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </div>
          <div class="actions button-row">
            <button type="button" class="secondary" disabled={busy} onClick={() => void run(true)}>
              Check only
            </button>
            <button type="submit" disabled={busy}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <div class="table-wrap">
          <table class="data" aria-label="Problems in the file">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">What is wrong</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.row === 0 ? 'file' : p.row}</td>
                  <td>
                    {p.column ?? ''}
                    {p.column_letter ? ` (${p.column_letter})` : ''}
                  </td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {leftOff > 0 && <p>… and {leftOff} more problems.</p>}
        </div>
      )}
      {result && (
        <p role="status" class="notice">
          {result.dry_run
            ? `The file is fine: ${result.posts.length} posts would be imported.`
            : `Imported ${result.created} draft posts.`}
          {blocked > 0 && ` ${blocked} of them have guard findings that block them until they are fixed.`}
        </p>
      )}
    </section>
  );
}

function ExportCard({ brands }: { brands: Brand[] }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [brand, setBrand] = useState('');
  return (
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export as CSV</h2>
      <p>The scheduled posts you may see, in the file format import reads. Cells a spreadsheet would run as formulas start with an apostrophe.</p>
      <div class="row">
        <div class="field">
          <label for="export-from">From</label>
          <input id="export-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="export-to">To (exclusive)</label>
          <input id="export-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="export-brand">Brand</label>
          <select id="export-brand" value={brand} onChange={(e) => setBrand(e.currentTarget.value)}>
            <option value="">All brands</option>
            {brands.map((b) => (
              <option key={b.id} value={String(b.id)}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <a class="button" href={calendarApi.exportUrl(from, to, brand)} download="carepost-calendar.csv">
            Download CSV
          </a>
        </div>
      </div>
    </section>
  );
}

function FeedCard() {
  const [status, setStatus] = useState<CalendarFeedStatus | null>(null);
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const load = () =>
    calendarApi
      .feedStatus()
      .then(setStatus)
      .catch((e) => setError(message(e)));
  useEffect(() => {
    void load();
  }, []);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      await what();
      await load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const issue = () =>
    act(async () => {
      const made = await calendarApi.issueFeed();
      setUrl(made.url);
      setNotice(status?.exists ? 'A new address was made; the old one no longer works.' : 'Your feed is ready.');
    });
  const revoke = () =>
    act(async () => {
      await calendarApi.revokeFeed();
      setUrl('');
      setNotice('The feed address no longer works.');
    });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setNotice('Address copied.');
    } catch {
      setNotice('Select the address and copy it.');
    }
  };

  return (
    <section class="card" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Calendar subscription</h2>
      <p>
        Subscribe from Outlook, Google Calendar or Apple Calendar to see your scheduled posts. Anyone with the
        address can read the feed: keep it private, and make a new one if it leaks.{' '}
        {status?.include_text
          ? 'Your organization allows post text in feeds.'
          : 'Feeds show campaign, platforms and time, never post text (calendar providers sign no HIPAA agreement).'}
      </p>
      {status && (
        <p>
          {status.exists
            ? `You have a feed (made ${new Date(status.created_at ?? '').toLocaleString()}${
                status.last_used_at ? `, last read ${new Date(status.last_used_at).toLocaleString()}` : ', not read yet'
              }).`
            : 'You have no feed.'}
        </p>
      )}
      {url && (
        <div class="row">
          <div class="field">
            <label for="feed-url">Subscribe address (shown once)</label>
            <input id="feed-url" readOnly value={url} size={60} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => void copy()}>
              Copy address
            </button>
          </div>
        </div>
      )}
      <div class="button-row">
        <button type="button" disabled={busy} onClick={() => void issue()}>
          {status?.exists ? 'Make a new address' : 'Create feed'}
        </button>
        {status?.exists && (
          <button type="button" class="secondary" disabled={busy} onClick={() => void revoke()}>
            Turn off feed
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
    </section>
  );
}
