// Audit: the tamper-evident log of who did what. Filter, page through, download for the
// privacy officer, and verify the hash chain and its signed checkpoints.
import { useEffect, useState } from 'preact/hooks';
import { api, type AuditEvent, type AuditVerifyReport, type SessionInfo } from '../api';

const PAGE_SIZE = 25;

interface Filter {
  since: string; // datetime-local values, in the browser's time zone
  until: string;
  actor: string;
  action: string;
}

const EMPTY: Filter = { since: '', until: '', actor: '', action: '' };

// A datetime-local value ("2026-12-05T09:30") as an RFC 3339 instant.
function instant(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function AuditPage({ session }: { session: SessionInfo }) {
  const canExport = session.actions.includes('audit.export');
  const canVerify = session.actions.includes('audit.verify');
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  // cursors[i] is the cursor that loads page i (null for the first page).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pageIndex, setPageIndex] = useState(0);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError('');
    api
      .audit({
        since: instant(filter.since),
        until: instant(filter.until),
        actor: filter.actor.trim(),
        action: filter.action.trim(),
        limit: String(PAGE_SIZE),
        cursor: cursors[pageIndex],
      })
      .then((page) => {
        if (!live) return;
        setEvents(page.items);
        setNext(page.next_cursor);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filter, pageIndex, cursors]);

  const apply = (event: Event) => {
    event.preventDefault();
    setCursors([null]);
    setPageIndex(0);
    setFilter({ ...draft });
  };

  const clear = () => {
    setDraft(EMPTY);
    setCursors([null]);
    setPageIndex(0);
    setFilter(EMPTY);
  };

  const nextPage = () => {
    if (!next) return;
    setCursors((c) => [...c.slice(0, pageIndex + 1), next]);
    setPageIndex(pageIndex + 1);
  };

  const field = (name: keyof Filter) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <>
      <h1>Audit log</h1>
      <p class="lead">
        Every sign-in, every change and every view of a record that can hold PHI, newest first. The log is
        hash-chained: verifying it shows whether any event was edited, removed or cut off.
      </p>
      <div class="audit-tools">
        {canVerify && <Verify />}
        {canExport && <Export since={instant(filter.since)} />}
      </div>
      <form class="card filters" onSubmit={apply} aria-labelledby="filter-heading">
        <h2 id="filter-heading">Filter</h2>
        <div class="row">
          <div class="field">
            <label for="audit-since">From (your time)</label>
            <input id="audit-since" type="datetime-local" {...field('since')} />
          </div>
          <div class="field">
            <label for="audit-until">Until (your time)</label>
            <input id="audit-until" type="datetime-local" {...field('until')} />
          </div>
          <div class="field">
            <label for="audit-actor">Who</label>
            <input
              id="audit-actor"
              aria-describedby="audit-actor-hint"
              autoComplete="off"
              {...field('actor')}
            />
            <span class="hint" id="audit-actor-hint">
              Exact email, or cli / system
            </span>
          </div>
          <div class="field">
            <label for="audit-action">Action</label>
            <input
              id="audit-action"
              aria-describedby="audit-action-hint"
              autoComplete="off"
              {...field('action')}
            />
            <span class="hint" id="audit-action-hint">
              An action, or a prefix ending in a dot: session.
            </span>
          </div>
        </div>
        <div class="button-row">
          <button type="submit">Apply filters</button>
          <button type="button" class="secondary" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <p role="status" class="hint">
          {loading
            ? 'Loading events…'
            : events.length === 0
              ? 'No events match.'
              : `Page ${pageIndex + 1}: ${events.length} events (#${events[events.length - 1].seq}–#${events[0].seq}).`}
        </p>
        {events.length > 0 && (
          <div class="table-wrap">
            <table class="data audit">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Record</th>
                  <th scope="col">From</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>
                      <time dateTime={e.at} title={e.at}>
                        {new Date(e.at).toLocaleString()}
                      </time>
                    </td>
                    <td>{e.actor}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.record_type ? `${e.record_type} ${e.record_id}` : ''}</td>
                    <td>{e.from_address}</td>
                    <td class="details">
                      {Object.keys(e.details).length > 0 ? <code>{JSON.stringify(e.details)}</code> : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav class="pager" aria-label="Audit pages">
          <button type="button" class="secondary" disabled={pageIndex === 0 || loading} onClick={() => setPageIndex(pageIndex - 1)}>
            Newer events
          </button>
          <button type="button" class="secondary" disabled={!next || loading} onClick={nextPage}>
            Older events
          </button>
        </nav>
      </section>
    </>
  );
}

function Verify() {
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError('');
    setReport(null);
    try {
      setReport(await api.auditVerify());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Verify the chain</h2>
      <button type="button" onClick={verify} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify audit log'}
      </button>
      <div aria-live="polite">
        {report && (
          <div class={`verdict ${report.ok ? 'verdict-pass' : 'verdict-block'}`} data-testid="verify-result">
            <span class="verdict-icon" aria-hidden="true">
              {report.ok ? '✓' : '✕'}
            </span>
            <div>
              <p class="verdict-title">{report.ok ? 'Audit log intact' : 'Audit log broken'}</p>
              <p>
                {report.ok
                  ? `${report.events_checked} events and ${report.checkpoints_checked} checkpoints checked; nothing was changed, removed or cut off.`
                  : `The chain breaks at event #${report.first_broken_seq}: ${report.problem}`}
              </p>
              {report.warning && (
                <p>
                  <strong>Warning:</strong> {report.warning}
                </p>
              )}
            </div>
          </div>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}

function Export({ since }: { since: string | null }) {
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { blob, filename } = await api.auditExport(format, since);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <form onSubmit={run} class="row">
        <div class="field">
          <label for="export-format">Format</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as 'csv' | 'jsonl')}>
            <option value="csv">CSV (spreadsheets)</option>
            <option value="jsonl">JSON lines</option>
          </select>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Preparing…' : 'Download'}
          </button>
        </div>
      </form>
      <p class="hint">Oldest first{since ? ', from the “From” filter on' : ', the whole log'}.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
