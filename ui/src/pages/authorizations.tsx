// Authorizations (/authorizations): the patients' signed HIPAA authorizations. Everyone
// who writes or reviews posts sees the list (an author attaches one in the composer);
// compliance records one (who, what the story may show, scope, expiry), attaches the
// signed form, and revokes it with a reason — which pulls the posts that relied on it
// back to review.
import { useEffect, useState } from 'preact/hooks';
import { api, type Brand, type SessionInfo } from '../api';
import {
  AUTHORIZATION_STATUS_LABELS,
  authorizationsApi,
  type PatientAuthorization,
} from '../authorizations';
import { ErrorAlert, errorText } from './messages';

export function AuthorizationsPage({ session }: { session: SessionInfo }) {
  const canManage = session.actions.includes('authorizations.manage');
  const [brands, setBrands] = useState<Brand[]>([]);
  const [items, setItems] = useState<PatientAuthorization[] | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');

  const load = () =>
    authorizationsApi
      .list()
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    api
      .organization()
      .then((o) => setBrands(o.brands))
      .catch((e: unknown) => setError(errorText(e)));
    load();
  }, []);

  const act = async (f: () => Promise<unknown>, done: string) => {
    setError('');
    setStatus('');
    try {
      await f();
      await load();
      setStatus(done);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const brandName = (id: number) => brands.find((b) => b.id === id)?.name ?? `Brand ${id}`;
  return (
    <>
      <h1>Patient authorizations</h1>
      <p class="lead">
        A post may name or show a patient only with their signed HIPAA authorization. Attach a valid one to the post
        in the composer: the guard then sends the patient’s details to compliance for review instead of blocking them.
        A revoked or expired authorization blocks those posts again.
      </p>
      <ErrorAlert error={error} />
      {canManage && <RecordForm brands={brands} onDone={(msg) => act(async () => undefined, msg)} onError={setError} />}
      <h2>Recorded</h2>
      {items === null && !error && <p role="status">Loading authorizations…</p>}
      {items !== null && items.length === 0 && <p class="notice">No patient authorizations yet.</p>}
      {items !== null && items.length > 0 && (
        <table class="authorizations" data-testid="authorizations">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Brand</th>
              <th scope="col">Covers</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-status={a.status}>
                <th scope="row">
                  {a.patient_name}
                  {a.details.length > 0 && <span class="hint"> ({a.details.join(', ')})</span>}
                </th>
                <td>{brandName(a.brand_id)}</td>
                <td>{a.scope}</td>
                <td>
                  <time dateTime={a.expires_at}>{new Date(a.expires_at).toLocaleDateString()}</time>
                </td>
                <td>
                  <span class={`badge authorization-${a.status}`}>{AUTHORIZATION_STATUS_LABELS[a.status]}</span>
                  {a.revoke_reason && <span class="hint"> {a.revoke_reason}</span>}
                </td>
                {canManage && (
                  <td>
                    <RowActions authorization={a} act={act} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status">{status}</p>
    </>
  );
}

function RowActions({
  authorization: a,
  act,
}: {
  authorization: PatientAuthorization;
  act: (f: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  if (a.status === 'revoked') return null;
  return (
    <div class="row-actions">
      {a.form === null && (
        <label>
          Signed form (PDF, JPEG or PNG)
          <input
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) act(() => authorizationsApi.attachForm(a.id, file), `Signed form attached for ${a.patient_name}.`);
            }}
          />
        </label>
      )}
      {a.form !== null && (
        <a href={a.form.url} download>
          Signed form<span class="visually-hidden"> of {a.patient_name}</span>
        </a>
      )}
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          act(() => authorizationsApi.revoke(a.id, reason.trim()), `Authorization for ${a.patient_name} revoked.`);
        }}
      >
        <label>
          Reason<span class="visually-hidden"> to revoke the authorization of {a.patient_name}</span>
          <input type="text" value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Revoke<span class="visually-hidden"> {a.patient_name}</span>
        </button>
      </form>
    </div>
  );
}

function RecordForm({
  brands,
  onDone,
  onError,
}: {
  brands: Brand[];
  onDone: (message: string) => void;
  onError: (error: string) => void;
}) {
  const [brandId, setBrandId] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [details, setDetails] = useState('');
  const [scope, setScope] = useState('');
  const [expires, setExpires] = useState('');
  const [form, setForm] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const brand = brandId ?? brands[0]?.id ?? null;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (brand === null) return;
    setBusy(true);
    onError('');
    try {
      // The end of the chosen day, in the browser's zone.
      const until = new Date(`${expires}T23:59:59`).toISOString();
      const made = await authorizationsApi.record({
        brand_id: brand,
        patient_name: name.trim(),
        details: details
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
        scope: scope.trim(),
        expires_at: until,
      });
      if (form) await authorizationsApi.attachForm(made.id, form);
      setName('');
      setDetails('');
      setScope('');
      setExpires('');
      setForm(null);
      onDone(`Authorization for ${made.patient_name} recorded${form ? ' with its signed form' : ''}.`);
    } catch (err) {
      onError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="record-authorization" onSubmit={submit} aria-labelledby="record-heading">
      <h2 id="record-heading">Record an authorization</h2>
      <div class="row">
        <div class="field">
          <label for="auth-brand">Brand</label>
          <select id="auth-brand" value={brand ?? ''} onChange={(e) => setBrandId(Number(e.currentTarget.value))}>
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="auth-name">Patient’s name</label>
          <input id="auth-name" type="text" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
      </div>
      <div class="field">
        <label for="auth-details">Other details the story may show</label>
        <p class="hint" id="auth-details-hint">
          Separated by commas: nicknames, hometown, condition. Only these, and the name, are covered.
        </p>
        <input
          id="auth-details"
          type="text"
          aria-describedby="auth-details-hint"
          value={details}
          onInput={(e) => setDetails(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="auth-scope">What it covers</label>
        <textarea id="auth-scope" rows={2} required value={scope} onInput={(e) => setScope(e.currentTarget.value)} />
      </div>
      <div class="row">
        <div class="field">
          <label for="auth-expires">Expires on</label>
          <input
            id="auth-expires"
            type="date"
            required
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="auth-form">Signed form (PDF, JPEG or PNG)</label>
          <input
            id="auth-form"
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => setForm(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
      </div>
      <div class="button-row">
        <button type="submit" disabled={busy || brand === null}>
          {busy ? 'Recording…' : 'Record authorization'}
        </button>
      </div>
    </form>
  );
}
