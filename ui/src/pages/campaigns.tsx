// Campaigns: the list (/campaigns), one campaign with its posts (/campaigns/12), and the
// form that plans a new one or changes one (/campaigns/new, /campaigns/12/edit). The
// calendar's "Start a campaign" opens the form prefilled from an observance through the
// address: /campaigns/new?name=American+Heart+Month&type=awareness&start_date=...
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  CAMPAIGN_TYPES,
  newIdempotencyKey,
  planApi,
  PLATFORMS,
  POST_STATUSES,
  postHref,
  type Brand,
  type Campaign,
  type CampaignInput,
  type CampaignType,
  type PostSummary,
  type SessionInfo,
  type User,
} from '../api';
import { navigate, onLinkClick } from '../router';
import { clock, viewerZone } from '../tz';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function dates(c: Campaign): string {
  if (!c.start_date && !c.end_date) return 'No dates';
  if (c.start_date === c.end_date) return c.start_date ?? '';
  return `${c.start_date ?? '…'} – ${c.end_date ?? '…'}`;
}

// Brands and (when the roles allow reading users) people, for names instead of ids.
function useNames(session: SessionInfo) {
  const [brands, setBrands] = useState<Map<number, Brand>>(new Map());
  const [users, setUsers] = useState<Map<number, User>>(new Map([[session.user.id, session.user]]));
  useEffect(() => {
    api
      .organization()
      .then((o) => setBrands(new Map(o.brands.map((b) => [b.id, b]))))
      .catch(() => {});
    if (session.actions.includes('users.read')) {
      api
        .users(null, 200)
        .then((page) => setUsers(new Map(page.items.map((u) => [u.id, u]))))
        .catch(() => {});
    }
  }, []);
  const brandName = (id: number) => brands.get(id)?.name ?? `Brand ${id}`;
  const userName = (id: number | null) => {
    if (id === null) return 'Nobody';
    const u = users.get(id);
    return u ? u.display_name || u.email : `User ${id}`;
  };
  return { brands, users, brandName, userName };
}

const BackToCampaigns = () => (
  <p class="breadcrumb">
    <a href="/campaigns" onClick={onLinkClick}>
      Campaigns
    </a>
  </p>
);

export function CampaignsPage({ session, path }: { session: SessionInfo; path: string }) {
  const rest = path.slice('/campaigns'.length);
  if (rest === '/new') return <CampaignForm session={session} />;
  const edit = /^\/(\d+)\/edit$/.exec(rest);
  if (edit) return <CampaignForm session={session} id={Number(edit[1])} />;
  const one = /^\/(\d+)$/.exec(rest);
  if (one) return <CampaignDetail session={session} id={Number(one[1])} />;
  return <CampaignList session={session} />;
}

function CampaignList({ session }: { session: SessionInfo }) {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState('');
  const names = useNames(session);
  useEffect(() => {
    planApi
      .campaigns()
      .then((r) => setCampaigns(r.items.sort((a, b) => (b.start_date ?? '').localeCompare(a.start_date ?? ''))))
      .catch((e: unknown) => setError(message(e)));
  }, []);
  return (
    <section aria-labelledby="campaigns-title">
      <div class="calendar-head">
        <h1 id="campaigns-title">Campaigns</h1>
        {session.actions.includes('campaigns.manage') && (
          <a class="button" href="/campaigns/new" onClick={onLinkClick}>
            New campaign
          </a>
        )}
      </div>
      <p class="lead">
        Awareness months, seasonal pushes, misinformation responses, careers, events and series. Start one from a
        health observance on the calendar, or here.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {campaigns === null && !error && <p role="status">Loading campaigns…</p>}
      {campaigns !== null && campaigns.length === 0 && <p>No campaigns yet.</p>}
      {campaigns !== null && campaigns.length > 0 && (
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">Campaigns, latest start first</caption>
            <thead>
              <tr>
                {['Campaign', 'Type', 'Dates', 'Brand', 'Owner', 'Tags'].map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`/campaigns/${c.id}`} onClick={onLinkClick}>
                      {c.name}
                    </a>
                  </td>
                  <td>{CAMPAIGN_TYPES[c.type] ?? c.type}</td>
                  <td class="nowrap">{dates(c)}</td>
                  <td>{names.brandName(c.brand_id)}</td>
                  <td>{names.userName(c.owner_user_id)}</td>
                  <td>{c.tags.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CampaignDetail({ session, id }: { session: SessionInfo; id: number }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [posts, setPosts] = useState<PostSummary[] | null>(null);
  const [error, setError] = useState('');
  const names = useNames(session);
  const zone = viewerZone();
  useEffect(() => {
    Promise.all([planApi.campaign(id), planApi.calendarPosts({ campaign_id: String(id) })])
      .then(([c, p]) => {
        setCampaign(c);
        setPosts(p.items);
      })
      .catch((e: unknown) => setError(message(e)));
  }, [id]);
  if (error) {
    return (
      <>
        <h1>Campaign</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </>
    );
  }
  if (!campaign) return <p role="status">Loading the campaign…</p>;
  const sorted = [...(posts ?? [])].sort((a, b) =>
    (a.scheduled_at ?? '9999').localeCompare(b.scheduled_at ?? '9999'),
  );
  return (
    <section aria-labelledby="campaign-title">
      <BackToCampaigns />
      <div class="calendar-head">
        <h1 id="campaign-title">{campaign.name}</h1>
        <div class="button-row">
          <a class="button secondary" href={`/calendar?campaign=${campaign.id}${campaign.start_date ? `&month=${campaign.start_date.slice(0, 7)}` : ''}`} onClick={onLinkClick}>
            Show on the calendar
          </a>
          {session.actions.includes('campaigns.manage') && (
            <a class="button" href={`/campaigns/${campaign.id}/edit`} onClick={onLinkClick}>
              Edit campaign
            </a>
          )}
        </div>
      </div>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{CAMPAIGN_TYPES[campaign.type] ?? campaign.type}</dd>
        <dt>Dates</dt>
        <dd>{dates(campaign)}</dd>
        <dt>Brand</dt>
        <dd>{names.brandName(campaign.brand_id)}</dd>
        <dt>Owner</dt>
        <dd>{names.userName(campaign.owner_user_id)}</dd>
        <dt>Goal</dt>
        <dd>{campaign.goal || 'None written'}</dd>
        <dt>Tags</dt>
        <dd>{campaign.tags.length ? campaign.tags.join(', ') : 'None'}</dd>
        <dt>UTM campaign</dt>
        <dd>
          <code>{campaign.utm_campaign}</code>
        </dd>
        {campaign.observance_key && (
          <>
            <dt>Observance</dt>
            <dd>
              <code>{campaign.observance_key}</code>
            </dd>
          </>
        )}
      </dl>
      <h2>
        Posts <span class="hint">({posts?.length ?? 0})</span>
      </h2>
      {posts !== null && posts.length === 0 && <p>No posts in this campaign yet.</p>}
      {sorted.length > 0 && (
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">When (your time, {zone})</th>
                <th scope="col">Post</th>
                <th scope="col">Platforms</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((p) => {
                const at = p.scheduled_at ? Date.parse(p.scheduled_at) : null;
                return (
                  <tr key={p.id}>
                    <td>
                      {at === null ? (
                        'Not scheduled'
                      ) : (
                        <time dateTime={p.scheduled_at!}>
                          {new Date(at).toLocaleDateString(undefined, { dateStyle: 'medium' })} {clock(at, zone)}
                          {p.time_zone && p.time_zone !== zone && (
                            <span class="hint"> ({clock(at, p.time_zone, true)}, {p.time_zone})</span>
                          )}
                        </time>
                      )}
                    </td>
                    <td>
                      <a href={postHref(p.id)} onClick={onLinkClick}>
                        {p.excerpt}
                      </a>
                    </td>
                    <td>{p.platforms.map((x) => PLATFORMS[x]?.name ?? x).join(', ')}</td>
                    <td>
                      <span class={`status st-${p.status}`}>{POST_STATUSES[p.status]}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface FormValues {
  name: string;
  type: CampaignType;
  brand_id: string;
  goal: string;
  start_date: string;
  end_date: string;
  owner_user_id: string;
  tags: string;
  utm_campaign: string;
  observance_key: string;
}

// The form's first values: the campaign's, else the address's (from an observance).
function initialValues(c: Campaign | null): FormValues {
  if (c) {
    return {
      name: c.name,
      type: c.type,
      brand_id: String(c.brand_id),
      goal: c.goal,
      start_date: c.start_date ?? '',
      end_date: c.end_date ?? '',
      owner_user_id: c.owner_user_id === null ? '' : String(c.owner_user_id),
      tags: c.tags.join(', '),
      utm_campaign: c.utm_campaign,
      observance_key: c.observance_key,
    };
  }
  const q = new URLSearchParams(location.search);
  const type = q.get('type') ?? '';
  return {
    name: q.get('name') ?? '',
    type: type in CAMPAIGN_TYPES ? (type as CampaignType) : 'awareness',
    brand_id: '',
    goal: '',
    start_date: q.get('start_date') ?? '',
    end_date: q.get('end_date') ?? '',
    owner_user_id: '',
    tags: (q.get('tags') ?? '').split(',').filter(Boolean).join(', '),
    utm_campaign: '',
    observance_key: q.get('observance_key') ?? '',
  };
}

function CampaignForm({ session, id }: { session: SessionInfo; id?: number }) {
  const [loaded, setLoaded] = useState<Campaign | null>(null);
  const [values, setValues] = useState<FormValues | null>(id === undefined ? initialValues(null) : null);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const names = useNames(session);
  const editing = id !== undefined;

  useEffect(() => {
    if (id === undefined) return;
    planApi
      .campaign(id)
      .then((c) => {
        setLoaded(c);
        setValues(initialValues(c));
      })
      .catch((e: unknown) => setError(message(e)));
  }, [id]);

  // One brand: it is the one.
  useEffect(() => {
    if (values && !values.brand_id && names.brands.size === 1) {
      setValues({ ...values, brand_id: String([...names.brands.keys()][0]) });
    }
  }, [names.brands]);

  if (!values) {
    return error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : (
      <p role="status">Loading the campaign…</p>
    );
  }

  const set = (field: keyof FormValues) => (e: Event) =>
    setValues({ ...values, [field]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setSaving(true);
    const body: CampaignInput = {
      name: values.name.trim(),
      type: values.type,
      goal: values.goal,
      start_date: values.start_date || undefined,
      end_date: values.end_date || undefined,
      tags: values.tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      observance_key: values.observance_key,
    };
    if (values.utm_campaign) body.utm_campaign = values.utm_campaign;
    if (values.owner_user_id) body.owner_user_id = Number(values.owner_user_id);
    try {
      let saved: Campaign;
      if (editing) {
        saved = await planApi.patchCampaign(id, body);
      } else {
        body.brand_id = Number(values.brand_id);
        saved = await planApi.createCampaign(body, idempotencyKey.current);
      }
      navigate(`/campaigns/${saved.id}`);
    } catch (err) {
      setSaving(false);
      setError(err instanceof ApiError ? err.detail : message(err));
      const field = err instanceof ApiError ? err.field : undefined;
      if (field) document.getElementById(`campaign-${field}`)?.focus();
    }
  };

  const title = editing ? `Edit ${loaded?.name ?? 'campaign'}` : 'New campaign';
  return (
    <section aria-labelledby="campaign-form-title">
      <BackToCampaigns />
      <h1 id="campaign-form-title">{title}</h1>
      {!editing && values.observance_key && (
        <p class="notice">Planned from the health observance {values.name}. Check the dates, then choose the brand.</p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form class="campaign-form card" onSubmit={save}>
        <div class="field">
          <label for="campaign-name">Name</label>
          <input id="campaign-name" required maxLength={200} value={values.name} onInput={set('name')} />
        </div>
        <div class="row">
          <div class="field">
            <label for="campaign-type">Type</label>
            <select id="campaign-type" value={values.type} onChange={set('type')}>
              {Object.entries(CAMPAIGN_TYPES).map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="campaign-brand_id">Brand</label>
            <select
              id="campaign-brand_id"
              required
              disabled={editing}
              aria-describedby={editing ? 'brand-fixed' : undefined}
              value={values.brand_id}
              onChange={set('brand_id')}
            >
              <option value="">Choose a brand</option>
              {[...names.brands.values()].map((b) => (
                <option key={b.id} value={String(b.id)}>
                  {b.name}
                </option>
              ))}
            </select>
            {editing && (
              <span id="brand-fixed" class="hint">
                A campaign stays with its brand.
              </span>
            )}
          </div>
          {session.actions.includes('users.read') && (
            <div class="field">
              <label for="campaign-owner_user_id">Owner</label>
              <select id="campaign-owner_user_id" value={values.owner_user_id} onChange={set('owner_user_id')}>
                <option value="">{editing ? 'Unchanged' : 'Me'}</option>
                {[...names.users.values()]
                  .filter((u) => !u.disabled)
                  .map((u) => (
                    <option key={u.id} value={String(u.id)}>
                      {u.display_name || u.email}
                    </option>
                  ))}
              </select>
            </div>
          )}
        </div>
        <div class="row">
          <div class="field">
            <label for="campaign-start_date">Start date</label>
            <input id="campaign-start_date" type="date" value={values.start_date} onInput={set('start_date')} />
          </div>
          <div class="field">
            <label for="campaign-end_date">End date</label>
            <input
              id="campaign-end_date"
              type="date"
              min={values.start_date || undefined}
              value={values.end_date}
              onInput={set('end_date')}
            />
          </div>
        </div>
        <div class="field">
          <label for="campaign-goal">Goal</label>
          <textarea id="campaign-goal" rows={2} maxLength={2000} value={values.goal} onInput={set('goal')} />
        </div>
        <HintedInput
          field="tags"
          label="Tags"
          hint="Separated by commas, up to 20."
          value={values.tags}
          onInput={set('tags')}
        />
        <div class="row">
          <HintedInput
            field="utm_campaign"
            label="UTM campaign"
            hint="Added to the posts’ links; empty: made from the name."
            pattern="[A-Za-z0-9_.\-]*"
            maxLength={100}
            value={values.utm_campaign}
            onInput={set('utm_campaign')}
          />
          <HintedInput
            field="observance_key"
            label="Observance"
            hint="The health observance it belongs to, if any."
            pattern="[a-z0-9_\-]*"
            maxLength={64}
            value={values.observance_key}
            onInput={set('observance_key')}
          />
        </div>
        <div class="button-row">
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Save campaign'}
          </button>
          <a
            class="button secondary"
            href={editing ? `/campaigns/${id}` : '/campaigns'}
            onClick={onLinkClick}
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

// A text field of the campaign form with a line of help under it.
function HintedInput({
  field,
  label,
  hint,
  ...input
}: {
  field: string;
  label: string;
  hint: string;
  value: string;
  onInput: (e: Event) => void;
  pattern?: string;
  maxLength?: number;
}) {
  return (
    <div class="field">
      <label for={`campaign-${field}`}>{label}</label>
      <input id={`campaign-${field}`} aria-describedby={`${field}-hint`} {...input} />
      <span id={`${field}-hint`} class="hint">
        {hint}
      </span>
    </div>
  );
}
