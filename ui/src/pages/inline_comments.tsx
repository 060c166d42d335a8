// Inline review comments: a reviewer selects a passage of one of the post's texts and
// comments on it; the comment keeps where it points (revision, field, UTF-8 byte span:
// POST /api/v1/posts/{id}/comments with `anchor`) and is shown marked at that span. The
// texts and offsets are the ones the guard's findings use (domain/comment_anchor.h), so
// "x.text" is the text as published, hashtags included.
//
// Selecting: each text sits in a read-only text box, so a passage can be selected with
// the mouse or the keyboard (Ctrl+A, then Shift and the arrow keys to narrow it; a
// read-only box shows no caret to start from); the marked copy under it shows the
// comments already made on the current revision.
import { useEffect, useState } from 'preact/hooks';
import { byteToIndex } from '../highlight';
import {
  fieldLabel,
  postsApi,
  textAsPublished,
  utf8Length,
  type CommentAnchor,
  type Post,
  type PostComment,
  type Revision,
} from '../posts';
import { ErrorAlert, errorText } from './messages';

type Content = Pick<Revision, 'master_text' | 'variants' | 'media'>;

// The text `field` names in a revision, as the server reads it ('' when it has none).
export function anchorText(content: Content, field: string): string {
  if (field === 'master') return content.master_text;
  const alt = /^media\[(\d+)\]\.alt_text$/.exec(field);
  if (alt) return content.media?.[Number(alt[1])]?.alt_text ?? '';
  const [platform, part] = field.split('.');
  const v = content.variants.find((x) => x.platform === platform);
  if (!v) return '';
  if (part === 'first_comment') return v.first_comment;
  return part === 'text' ? textAsPublished(v.text || content.master_text, v.hashtags) : '';
}

// The passage an anchor points at, or null when the revision is not at hand.
export function anchoredPassage(anchor: CommentAnchor, revisions: Revision[], current?: Content & { revision: number }): string | null {
  const rev = current && current.revision === anchor.revision ? current : revisions.find((r) => r.revision === anchor.revision);
  if (!rev) return null;
  const text = anchorText(rev, anchor.field);
  const at = byteToIndex(text);
  return text.slice(at(anchor.start), at(anchor.end));
}

// The fields a reviewer may comment on: the master text, each platform's own text (or
// the master text with its hashtags), each first comment, each alt text.
function commentableFields(post: Post): string[] {
  const out = ['master'];
  for (const v of post.variants) {
    if (v.text || v.hashtags.length > 0) out.push(`${v.platform}.text`);
    if (v.first_comment) out.push(`${v.platform}.first_comment`);
  }
  (post.media ?? []).forEach((_, i) => out.push(`media[${i}].alt_text`));
  return out;
}

interface Selection {
  field: string;
  start: number; // UTF-16 indexes into the field's text
  end: number;
}

export function InlineComments({
  post,
  comments,
  onAdded,
}: {
  post: Post;
  comments: PostComment[];
  onAdded: () => void;
}) {
  const [selection, setSelection] = useState<Selection | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setSelection(null), [post.id, post.revision]);

  const fields = commentableFields(post);
  const prefix = `inline-${post.id}`;
  const read = (field: string, el: HTMLTextAreaElement) => {
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? 0;
    if (end > start) setSelection({ field, start, end });
  };

  const add = async (e: Event) => {
    e.preventDefault();
    if (!selection) return;
    if (!body.trim()) {
      setError('Write the comment first.');
      return;
    }
    const text = anchorText(post, selection.field);
    setBusy(true);
    setError('');
    try {
      await postsApi.addComment(post.id, body.trim(), {
        revision: post.revision,
        field: selection.field,
        start: utf8Length(text.slice(0, selection.start)),
        end: utf8Length(text.slice(0, selection.end)),
      });
      setBody('');
      setSelection(null);
      onAdded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const selected = selection ? anchorText(post, selection.field).slice(selection.start, selection.end) : '';
  return (
    <section class="inline-comments" aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`}>Comment on a passage</h3>
      <p class="hint">Select words in a text below (with the mouse, or Ctrl+A and then Shift and the arrow keys), then write your comment.</p>
      {fields.map((field) => {
        const text = anchorText(post, field);
        const id = `${prefix}-${field.replace(/\W/g, '-')}`;
        const mine = comments.filter((c) => c.anchor && c.anchor.revision === post.revision && c.anchor.field === field);
        return (
          <div key={field} class="commentable" data-field={field}>
            <label for={id}>{fieldLabel(field)}</label>
            <textarea
              id={id}
              readOnly
              rows={Math.min(6, Math.max(2, Math.ceil(text.length / 80)))}
              value={text}
              onSelect={(e) => read(field, e.currentTarget)}
              onMouseUp={(e) => read(field, e.currentTarget)}
              onKeyUp={(e) => read(field, e.currentTarget)}
            />
            {mine.length > 0 && <MarkedText text={text} comments={mine} label={`Comments in ${fieldLabel(field)}`} />}
          </div>
        );
      })}
      {selection && (
        <form class="inline-comment-form" onSubmit={add}>
          <p>
            On {fieldLabel(selection.field)}: <q data-testid="inline-selection">{selected}</q>
          </p>
          <label for={`${prefix}-body`}>Comment on the selected passage</label>
          <textarea id={`${prefix}-body`} rows={2} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          <div class="button-row">
            <button type="submit" class="secondary" disabled={busy}>
              Comment on the passage
            </button>
            <button type="button" class="link-button" onClick={() => setSelection(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorAlert error={error} />
    </section>
  );
}

// `text` with each comment's span marked, the comment's words after it.
export function MarkedText({ text, comments, label }: { text: string; comments: PostComment[]; label: string }) {
  const at = byteToIndex(text);
  // Boundaries at every span's ends; each run lists the comments covering it.
  const spans = comments.map((c) => ({ c, start: at(c.anchor!.start), end: at(c.anchor!.end) }));
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const parts: preact.ComponentChildren[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const covering = spans.filter((s) => s.start <= from && s.end >= to);
    const piece = text.slice(from, to);
    if (covering.length === 0) {
      parts.push(<span key={i}>{piece}</span>);
      continue;
    }
    parts.push(
      <mark key={i} class="comment-mark" data-comment-ids={covering.map((s) => s.c.id).join(' ')}>
        {piece}
      </mark>,
    );
    for (const s of spans.filter((x) => x.end === to)) {
      parts.push(
        <span key={`c${s.c.id}`} class="comment-note">
          <span class="visually-hidden"> [comment: </span>
          <span aria-hidden="true"> 💬 </span>
          {s.c.body}
          <span class="visually-hidden">] </span>
        </span>,
      );
    }
  }
  return (
    <p class="marked-text" role="group" aria-label={label} data-testid="marked-text">
      {parts}
    </p>
  );
}
