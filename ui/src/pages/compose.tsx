// Compose (/compose for a new post, /posts/{id} to edit one): one master text adapted
// per platform, screened by the guard as the author types. Findings are marked in a
// copy of the text under each box, with what is wrong and what to write instead; the
// summary says whether the post would be blocked and whose approval it will need, and
// each platform's counter counts the way that platform does (the server measures it).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type Brand, type Finding, type ScreenResult, type SessionInfo, type Severity } from '../api';
import { strongest } from '../highlight';
import {
  APPROVAL_LABELS,
  approvalsFor,
  PLATFORM_LABELS,
  PLATFORMS,
  postsApi,
  STATUS_LABELS,
  addedByPlatform,
  textAsPublished,
  type Campaign,
  type Platform,
  type Post,
  type PostInput,
} from '../posts';
import { PlatformPreview } from '../previews';
import { navigate } from '../router';
import { allZones, browserZone, utcToZoned, zonedToUtc } from '../zoned';
import { FindingItem, HighlightedText, SEVERITY_LABELS, VERDICTS } from './screen';
import { CommentsThread } from './review';
import { ErrorAlert, errorText } from './messages';
import { ScheduleControl } from './compose_schedule';
import { attachmentsFor, draftsFromPost, MediaAttachments, platformsOf, type MediaDraft } from './compose_media';
import { authorizationLabel, authorizationsApi, type PatientAuthorization } from '../authorizations';
import { NO_REPEAT, ruleFor, seriesApi, type RepeatChoice } from '../series';
import { RepeatControl, SeriesNote } from './series';

interface VariantDraft {
  text: string; // '' uses the master text
  link: string;
  firstComment: string;
  hashtags: string; // as typed: "FluShot, StayWell"
}

const EMPTY_VARIANT: VariantDraft = { text: '', link: '', firstComment: '', hashtags: '' };
const DEFAULT_PLATFORMS: Platform[] = ['facebook', 'instagram', 'x', 'linkedin'];
const SCREEN_DELAY_MS = 400;

// A screened text: the text the result is about, and the result.
interface Screened {
  text: string;
  result: ScreenResult;
}

const splitTags = (typed: string) =>
  typed
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#+/, ''))
    .filter(Boolean);


// The roles that may write posts, and so the brands the author can pick.
function draftingBrands(session: SessionInfo, brands: Brand[]): Brand[] {
  const grants = session.user.roles.filter((g) => ['admin', 'manager', 'author'].includes(g.role));
  if (grants.some((g) => g.brand_id == null)) return brands;
  return brands.filter((b) => grants.some((g) => g.brand_id === b.id));
}

// A post just created here, handed to the page at /posts/{id} that shows it next.
let handoff: { post: Post; saved: string } | null = null;

export function ComposePage({ session, postId }: { session: SessionInfo; postId: number | null }) {
  const [brands, setBrands] = useState<Brand[]>([]);
  const [brandId, setBrandId] = useState<number | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [master, setMaster] = useState('');
  const [selected, setSelected] = useState<Platform[]>(DEFAULT_PLATFORMS);
  const [variants, setVariants] = useState<Partial<Record<Platform, VariantDraft>>>({});
  const [active, setActive] = useState<Platform>(DEFAULT_PLATFORMS[0]);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [zone, setZone] = useState(browserZone());
  const [repeat, setRepeat] = useState<RepeatChoice>(NO_REPEAT);
  const [post, setPost] = useState<Post | null>(null);
  const [submitComment, setSubmitComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const [screened, setScreened] = useState<Record<string, Screened>>({});
  const [screenError, setScreenError] = useState('');
  const [media, setMedia] = useState<MediaDraft[]>([]);
  // Patient authorizations: those attached, and the brand's valid ones to pick from.
  const [authorizationIds, setAuthorizationIds] = useState<number[]>([]);
  const [authorizationChoices, setAuthorizationChoices] = useState<PatientAuthorization[]>([]);
  const zones = useMemo(allZones, []);

  useEffect(() => {
    api
      .organization()
      .then((o) => {
        const mine = draftingBrands(session, o.brands);
        setBrands(mine);
        setBrandId((current) => current ?? mine[0]?.id ?? null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  // Editing: load the post into the form.
  useEffect(() => {
    if (postId === null) return;
    const fill = (p: Post) => {
        setPost(p);
        setBrandId(p.brand_id);
        setCampaignId(p.campaign_id);
        setMaster(p.master_text);
        setAuthorizationIds(p.authorization_ids ?? []);
        const platforms = p.variants.map((v) => v.platform);
        setSelected(platforms);
        if (platforms.length > 0) setActive(platforms[0]);
        const drafts: Partial<Record<Platform, VariantDraft>> = {};
        for (const v of p.variants) {
          drafts[v.platform] = {
            text: v.text,
            link: v.link,
            firstComment: v.first_comment,
            hashtags: v.hashtags.join(' '),
          };
        }
        setVariants(drafts);
        draftsFromPost(p).then(setMedia);
        if (p.time_zone) setZone(p.time_zone);
        if (p.scheduled_at) {
          const wall = utcToZoned(p.scheduled_at, p.time_zone || browserZone());
          setDate(wall.date);
          setTime(wall.time);
        }
    };
    if (handoff !== null && handoff.post.id === postId) {
      fill(handoff.post);
      setSaved(handoff.saved);
      handoff = null;
      return;
    }
    postsApi
      .get(postId)
      .then(fill)
      .catch((e: unknown) => setError(errorText(e)));
  }, [postId]);

  useEffect(() => {
    if (brandId === null || !session.actions.includes('authorizations.read')) return;
    authorizationsApi
      .list({ brand_id: brandId, valid: true })
      .then((r) => setAuthorizationChoices(r.items))
      .catch((e: unknown) => setError(errorText(e)));
  }, [brandId]);

  useEffect(() => {
    if (brandId === null) return;
    postsApi
      .campaigns(brandId)
      .then((page) => setCampaigns(page.items))
      .catch(() => setCampaigns([]));
  }, [brandId]);

  const variantOf = (p: Platform): VariantDraft => variants[p] ?? EMPTY_VARIANT;
  const setVariant = (p: Platform, change: Partial<VariantDraft>) =>
    setVariants((prev) => ({ ...prev, [p]: { ...(prev[p] ?? EMPTY_VARIANT), ...change } }));

  // The texts the server will screen on save (plan_api.cc ScreenContent): the master
  // text, each platform's text (the master text where it has none) for that platform,
  // and each first comment.
  const texts = useMemo(() => {
    const out: { field: string; text: string; platform?: Platform }[] = [];
    if (master.trim()) out.push({ field: 'master', text: master });
    for (const p of selected) {
      const v = variantOf(p);
      // As published: hashtags appended, counted toward the platform's limit.
      const text = textAsPublished(v.text || master, splitTags(v.hashtags));
      if (text.trim()) out.push({ field: `${p}.text`, text, platform: p });
      if (v.firstComment.trim()) out.push({ field: `${p}.first_comment`, text: v.firstComment, platform: p });
    }
    // Alt text is read out to people: screened like the text (field as the server names it).
    media.forEach((m, i) => {
      if (m.mediaId !== null && m.altText.trim()) out.push({ field: `media[${i}].alt_text`, text: m.altText });
    });
    return out;
  }, [master, selected, variants, media.map((m) => `${m.mediaId}:${m.altText}`).join('\n')]);

  // Live screening, debounced; a newer round makes older answers stale.
  const round = useRef(0);
  useEffect(() => {
    const mine = ++round.current;
    if (texts.length === 0) {
      setScreened({});
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const results = await Promise.all(
          texts.map((t) => api.screen({ text: t.text, context: 'post', platform: t.platform })),
        );
        if (mine !== round.current) return;
        const next: Record<string, Screened> = {};
        texts.forEach((t, i) => (next[t.field] = { text: t.text, result: results[i] }));
        setScreened(next);
        setScreenError('');
      } catch (e) {
        if (mine === round.current) setScreenError(errorText(e));
      }
    }, SCREEN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [texts]);

  // With patient authorizations attached and saved, the server's findings are the truth
  // for the texts it screened as they are now: the live guard does not know them.
  const effective = useMemo(() => {
    if (post === null || (post.authorization_ids ?? []).length === 0) return screened;
    if (post.authorization_ids.join(',') !== authorizationIds.join(',')) return screened;
    const out: Record<string, Screened> = { ...screened };
    for (const t of texts) {
      const server = post.findings[t.field];
      if (!server || savedText(post, t.field) !== t.text) continue;
      const live = screened[t.field]?.result;
      out[t.field] = { text: t.text, result: { ...(live ?? { id: null }), verdict: server.verdict, findings: server.findings } };
    }
    return out;
  }, [screened, post, authorizationIds, texts]);

  // Each finding once: a platform that uses the master text adds only its limits.
  const allFindings: Finding[] = Object.entries(effective).flatMap(([field, s]) => {
    const [platform, part] = field.split('.');
    const usesMaster = part === 'text' && !variantOf(platform as Platform).text;
    return usesMaster ? addedByPlatform(s.result.findings, master) : s.result.findings;
  });
  const verdict: ScreenResult['verdict'] = allFindings.some((f) => f.severity === 'block')
    ? 'block'
    : allFindings.some((f) => f.severity === 'review')
      ? 'review'
      : 'pass';
  const needed = approvalsFor(allFindings);
  const brand = brands.find((b) => b.id === brandId);
  const editable = post === null || ['draft', 'in_review', 'approved', 'scheduled'].includes(post.status);

  const togglePlatform = (p: Platform, on: boolean) => {
    const next = on ? PLATFORMS.filter((q) => selected.includes(q) || q === p) : selected.filter((q) => q !== p);
    setSelected(next);
    if (on) setActive(p);
    else if (!next.includes(active) && next.length > 0) setActive(next[0]);
    // A new platform starts with the link and hashtags of the one being edited.
    if (on && !variants[p]) {
      const from = variantOf(active);
      setVariant(p, { link: from.link, hashtags: from.hashtags });
    }
  };

  const input = (): PostInput | string => {
    if (!master.trim()) return 'Write the master text first.';
    if (selected.length === 0) return 'Choose at least one platform.';
    const attachments = attachmentsFor(media, selected);
    if (typeof attachments === 'string') return attachments;
    const body: PostInput = {
      campaign_id: campaignId,
      master_text: master,
      variants: selected.map((p) => {
        const v = variantOf(p);
        return {
          platform: p,
          text: v.text,
          link: v.link.trim(),
          first_comment: v.firstComment,
          hashtags: splitTags(v.hashtags),
        };
      }),
      media: attachments,
    };
    body.authorization_ids = authorizationIds;
    if (post === null) body.brand_id = brandId ?? undefined;
    if (post === null || post.status !== 'scheduled') {
      if (date) {
        body.scheduled_at = zonedToUtc(date, time || '09:00', zone);
        body.time_zone = zone;
      } else if (post !== null && post.scheduled_at) {
        body.scheduled_at = null;
      }
    }
    return body;
  };

  const save = async (): Promise<Post | null> => {
    const body = input();
    if (typeof body === 'string') {
      setError(body);
      return null;
    }
    const p = post === null ? await postsApi.create(body) : await postsApi.update(post.id, body);
    setPost(p);
    return p;
  };

  // A new post that repeats is saved as a series; its page lists the posts it made.
  const saveSeries = async () => {
    const body = input();
    if (typeof body === 'string') return setError(body);
    const rule = ruleFor(repeat, date, time, zone);
    if (typeof rule === 'string') return setError(rule);
    const s = await seriesApi.create({
      brand_id: brandId ?? 0,
      campaign_id: campaignId,
      rule,
      master_text: body.master_text,
      variants: body.variants,
    });
    navigate(`/series/${s.id}`, true);
  };

  const run = async (what: 'save' | 'submit') => {
    setBusy(true);
    setError('');
    setSaved('');
    try {
      if (post === null && repeat.kind !== 'none') {
        await saveSeries();
        return;
      }
      let p = await save();
      if (p === null) return;
      if (what === 'submit' && p.status === 'draft') {
        p = await postsApi.submit(p.id, submitComment.trim());
        setPost(p);
        setSubmitComment('');
      }
      setSaved(savedMessage(p));
      // A new post gets its own address (the page there starts from this post).
      if (postId === null) {
        handoff = { post: p, saved: savedMessage(p) };
        navigate(`/posts/${p.id}`, true);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{post === null ? 'Compose a post' : `Edit post ${post.id}`}</h1>
      <p class="lead">
        Write the post once, then adapt it for each platform. The guard reads along as you type and marks anything
        that must change before the post can go out.
      </p>
      {post !== null && <PostStatusLine post={post} />}
      {post !== null && (
        <ScheduleControl
          key={post.id}
          post={post}
          session={session}
          onScheduled={(p, message) => {
            setPost(p);
            setSaved(message);
          }}
        />
      )}
      {post !== null && post.series_id != null && <SeriesNote post={post} />}
      <div class="compose">
        <form
          class="compose-form"
          onSubmit={(e) => {
            e.preventDefault();
            run('save');
          }}
        >
          <div class="row">
            <div class="field">
              <label for="compose-brand">Brand</label>
              <select
                id="compose-brand"
                value={brandId ?? ''}
                disabled={post !== null || media.length > 0}
                onChange={(e) => {
                  setBrandId(Number(e.currentTarget.value));
                  setCampaignId(null);
                }}
              >
                {brands.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="compose-campaign">Campaign</label>
              <select
                id="compose-campaign"
                value={campaignId ?? ''}
                onChange={(e) => setCampaignId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
              >
                <option value="">No campaign</option>
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          </div>

          <div class="field">
            <label for="compose-master">Master text</label>
            <p class="hint" id="compose-master-hint">
              Used on every platform unless you write a platform’s own text below. Never name or describe a patient
              without a signed authorization.
            </p>
            <textarea
              id="compose-master"
              rows={6}
              value={master}
              aria-describedby="compose-master-hint"
              onInput={(e) => setMaster(e.currentTarget.value)}
            />
            <FieldFindings field="master" label="the master text" screened={effective.master} />
          </div>

          {authorizationChoices.length + authorizationIds.length > 0 && (
            <fieldset class="authorization-picker">
              <legend>Patient authorizations</legend>
              <p class="hint">
                Attach the signed authorization of each patient the post names or shows. Once saved, the guard sends what
                it covers to compliance for review instead of blocking it.
              </p>
              <ul class="plain">
                {authorizationChoices.map((a) => (
                  <li key={a.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={authorizationIds.includes(a.id)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setAuthorizationIds((ids) => (on ? [...ids, a.id] : ids.filter((x) => x !== a.id)));
                        }}
                      />{' '}
                      {authorizationLabel(a)}
                    </label>
                  </li>
                ))}
                {authorizationIds
                  .filter((id) => !authorizationChoices.some((a) => a.id === id))
                  .map((id) => (
                    <li key={id}>
                      <label>
                        <input
                          type="checkbox"
                          checked
                          onChange={() => setAuthorizationIds((ids) => ids.filter((x) => x !== id))}
                        />{' '}
                        Authorization {id} (no longer valid: it covers nothing)
                      </label>
                    </li>
                  ))}
              </ul>
            </fieldset>
          )}

          <fieldset class="platform-picker">
            <legend>Publish on</legend>
            <ul class="plain picker-list">
              {PLATFORMS.map((p) => (
                <li key={p}>
                  <label>
                    <input
                      type="checkbox"
                      checked={selected.includes(p)}
                      onChange={(e) => togglePlatform(p, e.currentTarget.checked)}
                    />{' '}
                    {PLATFORM_LABELS[p]}
                  </label>
                  {selected.includes(p) && <Counter platform={p} screened={effective[`${p}.text`]} />}
                </li>
              ))}
            </ul>
          </fieldset>

          {selected.length > 0 && (
            <PlatformTabs selected={selected} active={active} onSelect={setActive}>
              <VariantEditor
                platform={active}
                variant={variantOf(active)}
                master={master}
                onChange={(change) => setVariant(active, change)}
                screened={effective}
              />
            </PlatformTabs>
          )}

          <MediaAttachments
            brandId={brandId}
            drafts={media}
            onChange={setMedia}
            selected={selected}
            disabled={busy || !editable}
            findings={(i) => (
              <FieldFindings
                field={`media[${i}].alt_text`}
                label={`the alt text of attachment ${i + 1}`}
                screened={screened[`media[${i}].alt_text`]}
              />
            )}
          />

          <fieldset class="when">
            <legend>When</legend>
            <div class="row">
              <div class="field">
                <label for="compose-date">Date</label>
                <input id="compose-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="compose-time">Time</label>
                <input id="compose-time" type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="compose-zone">Time zone</label>
                <select id="compose-zone" value={zone} onChange={(e) => setZone(e.currentTarget.value)}>
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <p class="hint">
              The post goes out at this time on the wall clock in this zone, also after a daylight-saving change. Leave the
              date empty to plan it later.
            </p>
            {post === null && <RepeatControl value={repeat} onChange={setRepeat} />}
          </fieldset>

          <div class="field">
            <label for="compose-submit-comment">Note for the reviewers (optional)</label>
            <textarea
              id="compose-submit-comment"
              rows={2}
              value={submitComment}
              onInput={(e) => setSubmitComment(e.currentTarget.value)}
            />
          </div>
          {post !== null && post.status !== 'draft' && editable && (
            <p class="warning">Saving changes to a post that was sent for review makes a new revision and sends it back to review.</p>
          )}
          {verdict === 'block' && (
            <p class="warning">
              The guard blocks this post. You can save it and send it for review, but it cannot be scheduled until every
              blocking finding is fixed or compliance overrides it with a written reason.
            </p>
          )}
          <div class="button-row">
            <button type="submit" class="secondary" disabled={busy || !editable}>
              {busy ? 'Saving…' : 'Save draft'}
            </button>
            {(post === null || post.status === 'draft') && repeat.kind === 'none' && (
              <button type="button" disabled={busy || !editable} onClick={() => run('submit')}>
                Submit for review
              </button>
            )}
          </div>
          <ErrorAlert error={error} />
          <p role="status" class="saved">
            {saved}
          </p>
        </form>

        <aside class="compose-side" aria-label="Guard and preview">
          <GuardSummary verdict={verdict} findings={allFindings} needed={needed} error={screenError} />
          {selected.includes(active) && brand && (
            <section aria-labelledby="preview-heading">
              <h2 id="preview-heading">Preview on {PLATFORM_LABELS[active]}</h2>
              <PlatformPreview
                platform={active}
                brandName={brand.name}
                handle={brand.slug.replace(/-/g, '_')}
                text={variantOf(active).text || master}
                link={variantOf(active).link}
                firstComment={variantOf(active).firstComment}
                hashtags={splitTags(variantOf(active).hashtags)}
                length={effective[`${active}.text`]?.result.length}
                media={media
                  .filter((m) => m.info !== null && platformsOf(m, selected).includes(active))
                  .map((m) => ({ url: m.info!.content_url, alt: m.altText, kind: m.info!.kind }))}
              />
            </section>
          )}
        </aside>
      </div>
      {post !== null && <CommentsThread post={post} session={session} />}
    </>
  );
}

// The text the server screened for `field` of the saved post (plan_api.cc ScreenContent).
function savedText(p: Post, field: string): string | undefined {
  if (field === 'master') return p.master_text;
  const [platform, part] = field.split('.');
  const v = p.variants.find((x) => x.platform === platform);
  if (!v) return undefined;
  if (part === 'text') return v.text || p.master_text;
  if (part === 'first_comment') return v.first_comment;
  return undefined;
}

function savedMessage(p: Post): string {
  const who = p.required_approvals.map((a) => APPROVAL_LABELS[a]).join(' and ');
  if (p.status === 'in_review') return `Sent for review. It needs approval from ${who}.`;
  return `Saved (${STATUS_LABELS[p.status].toLowerCase()}, revision ${p.revision}).`;
}

function PostStatusLine({ post }: { post: Post }) {
  const missing = post.required_approvals.filter((a) => !post.approvals.some((g) => g.approval === a));
  return (
    <p class="post-status" data-status={post.status}>
      <span class={`badge status-${post.status}`}>{STATUS_LABELS[post.status]}</span> Revision {post.revision}.{' '}
      {post.status === 'in_review' && missing.length > 0 && (
        <>Waiting for {missing.map((a) => APPROVAL_LABELS[a]).join(' and ')}. </>
      )}
      {post.blocked && !post.override && <>A blocking finding keeps it from being scheduled. </>}
      {post.override && <>Compliance overrode the block: “{post.override.reason}”. </>}
    </p>
  );
}

// The verdict over every text of the post, and the approvals it will need.
function GuardSummary({
  verdict,
  findings,
  needed,
  error,
}: {
  verdict: ScreenResult['verdict'];
  findings: Finding[];
  needed: ReturnType<typeof approvalsFor>;
  error: string;
}) {
  const counts: Record<Severity, number> = { block: 0, review: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const v = VERDICTS[verdict];
  return (
    <section class="guard-summary" aria-labelledby="guard-heading">
      <h2 id="guard-heading">Guard</h2>
      <div aria-live="polite" aria-atomic="true">
        <div class={`verdict verdict-${verdict}`} data-verdict={verdict} data-testid="compose-verdict">
          <span class="verdict-icon" aria-hidden="true">
            {verdict === 'block' ? '✕' : verdict === 'review' ? '!' : '✓'}
          </span>
          <div>
            <p class="verdict-title">{v.title}</p>
            <p>
              {counts.block} blocking, {counts.review} to review, {counts.info} notes.
            </p>
          </div>
        </div>
        <p class="needs" data-testid="needed-approvals">
          Will need approval from: <strong>{needed.map((a) => APPROVAL_LABELS[a]).join(', ')}</strong>.
        </p>
      </div>
      <ErrorAlert error={error} prefix="The guard could not check the text: " />
    </section>
  );
}

// A platform's counter, as the platform counts (from the guard's measure).
function Counter({ platform, screened }: { platform: Platform; screened?: Screened }) {
  const length = screened?.result.length;
  if (!length) return null;
  const over = length.count > length.limit;
  const label = `${PLATFORM_LABELS[platform]}: ${length.count} of ${length.limit}`;
  return (
    <span class={`counter${over ? ' over' : ''}`} data-testid={`counter-${platform}`} data-over={over ? 'true' : 'false'}>
      <meter min={0} max={length.limit} low={length.limit * 0.9} high={length.limit} optimum={0} value={Math.min(length.count, length.limit)} aria-label={label} />{' '}
      {length.count}/{length.limit}
      {over && <strong> over by {length.count - length.limit}</strong>}
    </span>
  );
}

// The guard's findings for one field: the text with the passages marked, then the list.
function FieldFindings({
  field,
  label,
  screened,
  only,
}: {
  field: string;
  label: string;
  screened?: Screened;
  only?: (f: Finding) => boolean;
}) {
  if (!screened) return null;
  const findings = only ? screened.result.findings.filter(only) : screened.result.findings;
  if (findings.length === 0) return null;
  const prefix = `f-${field.replace(/\W/g, '-')}`;
  return (
    <div class="field-findings" data-field={field}>
      <p class="mirror-label" id={`${prefix}-label`}>
        How the guard reads {label} ({SEVERITY_LABELS[strongest(findings, findings.map((_, i) => i))].toLowerCase()}):
      </p>
      <HighlightedText text={screened.text} findings={findings} idPrefix={prefix} label={`Findings marked in ${label}`} />
      <ol class="findings" aria-labelledby={`${prefix}-label`}>
        {findings.map((f, i) => (
          <FindingItem key={i} index={i} finding={f} text={screened.text} idPrefix={prefix} />
        ))}
      </ol>
    </div>
  );
}

// ARIA tabs: arrow keys move between the platforms.
function PlatformTabs({
  selected,
  active,
  onSelect,
  children,
}: {
  selected: Platform[];
  active: Platform;
  onSelect: (p: Platform) => void;
  children: preact.ComponentChildren;
}) {
  const onKey = (e: KeyboardEvent) => {
    const i = selected.indexOf(active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % selected.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + selected.length) % selected.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = selected.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(selected[next]);
    document.getElementById(`tab-${selected[next]}`)?.focus();
  };
  return (
    <div class="platform-tabs">
      <div role="tablist" aria-label="Platform versions" onKeyDown={onKey}>
        {selected.map((p) => (
          <button
            key={p}
            type="button"
            role="tab"
            id={`tab-${p}`}
            class="tab"
            aria-selected={p === active}
            aria-controls="platform-panel"
            tabIndex={p === active ? 0 : -1}
            onClick={() => onSelect(p)}
          >
            {PLATFORM_LABELS[p]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="platform-panel" aria-labelledby={`tab-${active}`} class="tabpanel">
        {children}
      </div>
    </div>
  );
}

function VariantEditor({
  platform,
  variant,
  master,
  onChange,
  screened,
}: {
  platform: Platform;
  variant: VariantDraft;
  master: string;
  onChange: (change: Partial<VariantDraft>) => void;
  screened: Record<string, Screened>;
}) {
  const name = PLATFORM_LABELS[platform];
  const id = (what: string) => `variant-${what}`;
  const own = variant.text !== '';
  return (
    <>
      <div class="field">
        <label for={id('text')}>{name} text</label>
        <p class="hint" id={id('text-hint')}>
          Leave empty to use the master text on {name}.
        </p>
        <textarea
          id={id('text')}
          rows={4}
          value={variant.text}
          placeholder={master}
          aria-describedby={id('text-hint')}
          onInput={(e) => onChange({ text: e.currentTarget.value })}
        />
        <Counter platform={platform} screened={screened[`${platform}.text`]} />
        {/* Without its own text, the master text's findings show above; here only what
            this platform adds (its limits). */}
        <FieldFindings
          field={`${platform}.text`}
          label={own ? `the ${name} text` : `the master text on ${name}`}
          screened={screened[`${platform}.text`]}
          only={own ? undefined : (f) => addedByPlatform([f], master).length > 0}
        />
      </div>
      <div class="row">
        <div class="field">
          <label for={id('link')}>{name} link</label>
          <input id={id('link')} type="url" value={variant.link} onInput={(e) => onChange({ link: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={id('hashtags')}>{name} hashtags</label>
          <input
            id={id('hashtags')}
            value={variant.hashtags}
            placeholder="FluShot StayWell"
            onInput={(e) => onChange({ hashtags: e.currentTarget.value })}
          />
        </div>
      </div>
      <div class="field">
        <label for={id('comment')}>{name} first comment</label>
        <textarea
          id={id('comment')}
          rows={2}
          value={variant.firstComment}
          onInput={(e) => onChange({ firstComment: e.currentTarget.value })}
        />
        <FieldFindings
          field={`${platform}.first_comment`}
          label={`the ${name} first comment`}
          screened={screened[`${platform}.first_comment`]}
        />
      </div>
    </>
  );
}
