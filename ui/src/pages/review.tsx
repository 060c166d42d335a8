// Review (/review): the posts waiting for an approval the signed-in reviewer may give,
// each with the guard's findings, what changed since the revision last submitted, the
// review conversation, and Approve / Request changes (and, for compliance, Override a
// block with a written reason). The server decides every action; its refusals (your
// own post, a role that cannot give the missing approval) are shown as it words them.
import { useEffect, useState } from 'preact/hooks';
import { api, type SessionInfo } from '../api';
import { wordDiff } from '../diff';
import {
  addedByPlatform,
  APPROVAL_LABELS,
  fieldLabel,
  PLATFORM_LABELS,
  postsApi,
  STATUS_LABELS,
  textAsPublished,
  type FieldFindings,
  type Post,
  type PostComment,
  type Revision,
} from '../posts';
import { onLinkClick } from '../router';
import { FindingItem, HighlightedText, VERDICTS } from './screen';
import { ErrorAlert, errorText } from './messages';
import { anchoredPassage, InlineComments } from './inline_comments';


// Display names by user id, when the caller may list users (else "user 12").
let names: Promise<Map<number, string>> | null = null;
function userNames(): Promise<Map<number, string>> {
  names ??= api
    .users(null, 200)
    .then((page) => new Map(page.items.map((u) => [u.id, u.display_name || u.email])))
    .catch(() => new Map());
  return names;
}

function useUserNames(): Map<number, string> {
  const [map, setMap] = useState(new Map<number, string>());
  useEffect(() => {
    userNames().then(setMap);
  }, []);
  return map;
}

export function nameOf(
  id: number | null,
  session: SessionInfo,
  known: Map<number, string>,
  post?: Post,
): string {
  if (id === null) return 'carepost';
  if (id === session.user.id) return 'You';
  const name = known.get(id);
  if (post && id === post.author_user_id) return name ? `${name} (the author)` : 'The author';
  return name ?? `User ${id}`;
}

export function ReviewPage({ session }: { session: SessionInfo }) {
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [error, setError] = useState('');

  const load = () =>
    postsApi
      .awaitingMyReview(null)
      .then((page) => setPosts(page.items))
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    load();
  }, []);

  return (
    <>
      <h1>Review</h1>
      <p class="lead">
        Posts waiting for your approval. Check the guard’s findings and what changed, then approve or ask the author for
        changes. Nobody approves their own post.
      </p>
      <ErrorAlert error={error} />
      {posts === null && !error && <p role="status">Loading the review queue…</p>}
      {posts !== null && posts.length === 0 && <p class="notice">Nothing is waiting for your review.</p>}
      {posts?.map((p) => (
        <ReviewCard key={p.id} post={p} session={session} onDone={load} />
      ))}
    </>
  );
}

function ReviewCard({ post, session, onDone }: { post: Post; session: SessionInfo; onDone: () => void }) {
  const [current, setCurrent] = useState(post);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [revisions, setRevisions] = useState<Revision[]>([]);
  const [comments, setComments] = useState<PostComment[]>([]);
  const [commentsVersion, setCommentsVersion] = useState(0);
  const names = useUserNames();
  const canOverride = session.actions.includes('guard.override');
  const heading = `post-${post.id}-heading`;

  useEffect(() => {
    postsApi
      .revisions(post.id)
      .then((r) => setRevisions(r.items))
      .catch(() => setRevisions([]));
  }, [post.id, post.revision]);
  useEffect(() => {
    postsApi
      .comments(post.id)
      .then((r) => setComments(r.items))
      .catch(() => setComments([]));
  }, [post.id, current.revision, current.status, commentsVersion]);

  const act = async (what: 'approve' | 'request' | 'override') => {
    setError('');
    setDone('');
    if (what === 'request' && !comment.trim()) {
      setError('Write what the author should change: the comment is required to request changes.');
      return;
    }
    if (what === 'override' && reason.trim().length < 10) {
      setError('Write why the block may be overridden (at least 10 characters); it goes into the audit log.');
      return;
    }
    setBusy(true);
    try {
      const p =
        what === 'approve'
          ? await postsApi.approve(post.id, comment.trim())
          : what === 'request'
            ? await postsApi.requestChanges(post.id, comment.trim())
            : await postsApi.override(post.id, reason.trim());
      setCurrent(p);
      setComment('');
      setReason('');
      setDone(
        what === 'approve'
          ? p.status === 'approved'
            ? 'Approved. The author has been told.'
            : 'Your approval is recorded; the post still needs another approval.'
          : what === 'request'
            ? 'Changes requested. The post went back to its author.'
            : 'Block overridden for this revision. The reason is in the audit log.',
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  // The revision last submitted before this one: what the reviewer may have seen.
  const previous = revisions
    .filter((r) => r.revision < current.revision && r.submitted_at !== null)
    .sort((a, b) => b.revision - a.revision)[0];
  const missing = current.required_approvals.filter((a) => !current.approvals.some((g) => g.approval === a));
  // The master text first; a platform that uses the master text adds only its limits.
  const fields = Object.entries(current.findings)
    .map(([field, f]): [string, FieldFindings] => {
      const [platform, part] = field.split('.');
      const usesMaster = part === 'text' && !current.variants.find((v) => v.platform === platform)?.text;
      return [field, usesMaster ? { ...f, findings: addedByPlatform(f.findings, current.master_text) } : f];
    })
    .filter(([, f]) => f.findings.length > 0)
    .sort(([a], [b]) => (a === 'master' ? -1 : b === 'master' ? 1 : a.localeCompare(b)));
  const textOf = (field: string): string => {
    if (field === 'master') return current.master_text;
    const alt = /^media\[(\d+)\]\.alt_text$/.exec(field);
    if (alt) return current.media?.[Number(alt[1])]?.alt_text ?? '';
    const [platform, part] = field.split('.');
    const v = current.variants.find((x) => x.platform === platform);
    if (!v) return '';
    return part === 'first_comment' ? v.first_comment : textAsPublished(v.text || current.master_text, v.hashtags);
  };

  return (
    <article class="card review-card" aria-labelledby={heading} data-post-id={post.id}>
      <h2 id={heading}>
        Post {post.id}: {current.master_text.length > 60 ? current.master_text.slice(0, 57) + '…' : current.master_text}
      </h2>
      <p class="post-status" data-status={current.status}>
        <span class={`badge status-${current.status}`}>{STATUS_LABELS[current.status]}</span> Revision{' '}
        {current.revision} by {nameOf(current.edited_by ?? current.author_user_id, session, names, current)}.{' '}
        {missing.length > 0 && current.status === 'in_review' && (
          <>Needs approval from {missing.map((a) => APPROVAL_LABELS[a]).join(' and ')}. </>
        )}
        {current.blocked && !current.override && <strong>Blocked by the guard. </strong>}
        {current.override && <>Block overridden: “{current.override.reason}”. </>}
        {current.scheduled_at && (
          <>
            Planned for {new Date(current.scheduled_at).toLocaleString(undefined, { timeZone: current.time_zone || undefined })}{' '}
            ({current.time_zone}).
          </>
        )}
      </p>

      <h3>Text</h3>
      {previous ? (
        <>
          <p class="hint">Changes since revision {previous.revision}, the one last sent for review:</p>
          <Diff before={previous.master_text} after={current.master_text} label="Master text" />
          {current.variants
            .filter((v) => {
              const old = previous.variants.find((o) => o.platform === v.platform);
              return (old?.text ?? '') !== v.text && v.text !== '';
            })
            .map((v) => (
              <Diff
                key={v.platform}
                before={previous.variants.find((o) => o.platform === v.platform)?.text || previous.master_text}
                after={v.text}
                label={`${PLATFORM_LABELS[v.platform]} text`}
              />
            ))}
        </>
      ) : (
        <p class="post-text">{current.master_text}</p>
      )}
      <p class="hint">
        Platforms:{' '}
        {current.variants
          .map((v) => PLATFORM_LABELS[v.platform] + (v.text ? ' (own text)' : ''))
          .join(', ') || 'none'}
        .
      </p>

      <h3>Findings</h3>
      {fields.length === 0 ? (
        <p>{VERDICTS.pass.text}</p>
      ) : (
        fields.map(([field, f]) => {
          const prefix = `p${post.id}-${field.replace(/\W/g, '-')}`;
          const text = textOf(field);
          return (
            <div key={field} class="field-findings">
              <h4>
                {fieldLabel(field)}: {VERDICTS[f.verdict].title}
              </h4>
              <HighlightedText text={text} findings={f.findings} idPrefix={prefix} label={`Findings in ${fieldLabel(field)}`} />
              <ol class="findings">
                {f.findings.map((finding, i) => (
                  <FindingItem key={i} index={i} finding={finding} text={text} idPrefix={prefix} />
                ))}
              </ol>
            </div>
          );
        })
      )}

      {current.status === 'in_review' && (
        <InlineComments post={current} comments={comments} onAdded={() => setCommentsVersion((v) => v + 1)} />
      )}

      <CommentsThread post={current} session={session} linkToComposer refresh={commentsVersion} />

      {current.status === 'in_review' && (
        <form class="review-actions" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for={`review-comment-${post.id}`}>Comment for the author</label>
            <p class="hint" id={`review-comment-hint-${post.id}`}>
              Optional when you approve; required when you request changes.
            </p>
            <textarea
              id={`review-comment-${post.id}`}
              rows={3}
              value={comment}
              aria-describedby={`review-comment-hint-${post.id}`}
              onInput={(e) => setComment(e.currentTarget.value)}
            />
          </div>
          <div class="button-row">
            <button type="button" disabled={busy} onClick={() => act('approve')}>
              Approve
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => act('request')}>
              Request changes
            </button>
          </div>
          {canOverride && current.blocked && !current.override && (
            <div class="override">
              <div class="field">
                <label for={`override-reason-${post.id}`}>Reason to override the block</label>
                <p class="hint" id={`override-reason-hint-${post.id}`}>
                  Only when the post may go out as written, for example with the patient’s signed HIPAA authorization on
                  file. The reason is audited.
                </p>
                <textarea
                  id={`override-reason-${post.id}`}
                  rows={2}
                  value={reason}
                  aria-describedby={`override-reason-hint-${post.id}`}
                  onInput={(e) => setReason(e.currentTarget.value)}
                />
              </div>
              <button type="button" class="danger" disabled={busy} onClick={() => act('override')}>
                Override the block
              </button>
            </div>
          )}
        </form>
      )}
      <ErrorAlert error={error} />
      <p role="status">{done}</p>
      {done && (
        <p>
          <button type="button" class="secondary" onClick={onDone}>
            Refresh the queue
          </button>
        </p>
      )}
    </article>
  );
}

// Word-level changes, marked with <del>/<ins> and words for screen readers, not colour.
function Diff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = wordDiff(before, after);
  const changed = parts.some((p) => p.kind !== 'same');
  return (
    <div class="diff" role="group" aria-label={`${label}, changes`} data-testid="diff">
      <p class="diff-label">{label}:</p>
      <p class="diff-text">
        {!changed && <span class="hint">(unchanged) </span>}
        {parts.map((p, i) =>
          p.kind === 'same' ? (
            <span key={i}>{p.text}</span>
          ) : p.kind === 'added' ? (
            <ins key={i}>
              <span class="visually-hidden">[added: </span>
              {p.text}
              <span class="visually-hidden">]</span>
            </ins>
          ) : (
            <del key={i}>
              <span class="visually-hidden">[removed: </span>
              {p.text}
              <span class="visually-hidden">]</span>
            </del>
          ),
        )}
      </p>
    </div>
  );
}

const COMMENT_KINDS: Record<PostComment['kind'], string> = {
  comment: 'commented',
  request_changes: 'requested changes',
  override: 'overrode the block',
};

// The review conversation on a post, with a box to add to it.
export function CommentsThread({
  post,
  session,
  linkToComposer = false,
  refresh = 0,
}: {
  post: Post;
  session: SessionInfo;
  linkToComposer?: boolean;
  // Changes when comments were added elsewhere on the page (inline comments).
  refresh?: number;
}) {
  const [comments, setComments] = useState<PostComment[]>([]);
  const [revisions, setRevisions] = useState<Revision[]>([]);
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const names = useUserNames();
  const load = () =>
    postsApi
      .comments(post.id)
      .then((r) => setComments(r.items))
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    load();
  }, [post.id, post.status, post.revision, refresh]);
  // Inline comments quote their passage, from the revision they point into.
  const anchored = comments.some((c) => c.anchor !== null && c.anchor.revision !== post.revision);
  useEffect(() => {
    if (!anchored) return;
    postsApi
      .revisions(post.id)
      .then((r) => setRevisions(r.items))
      .catch(() => setRevisions([]));
  }, [post.id, post.revision, anchored]);

  const add = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) {
      setError('Write a comment first.');
      return;
    }
    setError('');
    try {
      await postsApi.addComment(post.id, body.trim());
      setBody('');
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const id = `comments-${post.id}`;
  return (
    <section class="comments" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Conversation</h3>
      {comments.length === 0 ? (
        <p class="hint">No comments yet.</p>
      ) : (
        <ol class="plain comment-list">
          {comments.map((c) => (
            <li key={c.id} class={`comment comment-${c.kind}`}>
              <p class="comment-head">
                <strong>{nameOf(c.user_id, session, names, post)}</strong> {COMMENT_KINDS[c.kind] ?? c.kind} on revision{' '}
                {c.revision}, <time dateTime={c.created_at}>{new Date(c.created_at).toLocaleString()}</time>
              </p>
              {c.anchor && (
                <p class="comment-quote" data-testid="comment-anchor">
                  On {fieldLabel(c.anchor.field)}
                  {c.anchor.revision !== post.revision && <> (revision {c.anchor.revision})</>}:{' '}
                  <mark class="comment-mark">{anchoredPassage(c.anchor, revisions, post) ?? '…'}</mark>
                </p>
              )}
              <p>{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form class="comment-form" onSubmit={add}>
        <label for={`${id}-body`}>Add a comment</label>
        <textarea id={`${id}-body`} rows={2} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <button type="submit" class="secondary">
          Add comment
        </button>
      </form>
      <ErrorAlert error={error} />
      {linkToComposer && session.actions.includes('posts.draft') && (
        <p>
          <a href={`/posts/${post.id}`} onClick={onLinkClick}>
            Open post {post.id} in the composer
          </a>
        </p>
      )}
    </section>
  );
}
