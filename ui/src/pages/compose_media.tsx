// The composer's attachments: images and video uploaded to POST /api/v1/media (file
// picker or drop), each shown as a thumbnail with its required alt text (screened by the
// guard like the post's text, as "media[<i>].alt_text"), the platforms it goes to, and
// what the server said about it — an upload refused for its type or size, or a platform
// that will not take the file (the per-platform fitness of GET /api/v1/media/{id}).
// The composer keeps the list (MediaDraft[]) and sends it with the post.
import { useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { mediaApi, PLATFORM_LABELS, type MediaAttachment, type MediaInfo, type Platform, type Post } from '../posts';
import { errorText } from './messages';

// domain/post_media.h: kMaxPostMedia, kMaxAltTextChars.
export const MAX_MEDIA = 10;
export const MAX_ALT_TEXT = 1500;
const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime';

// One attachment as the composer edits it.
export interface MediaDraft {
  key: string; // stable across edits (React-style key)
  mediaId: number | null; // null while uploading or after a refused upload
  fileName: string;
  altText: string;
  platforms: Platform[]; // the platforms it goes to; [] = every platform of the post
  info: MediaInfo | null;
  uploading: boolean;
  error: string; // the server's refusal of the upload
  uploadedHere: boolean; // uploaded in this visit: removing it deletes the upload too
}

let nextKey = 0;
const newKey = () => `m${++nextKey}`;

// The attachments of a saved post, their details loaded from the server.
export async function draftsFromPost(post: Post): Promise<MediaDraft[]> {
  return Promise.all(
    (post.media ?? []).map(async (m) => {
      let info: MediaInfo | null = null;
      let error = '';
      try {
        info = await mediaApi.get(m.media_id);
      } catch (e) {
        error = errorText(e);
      }
      return {
        key: newKey(),
        mediaId: m.media_id,
        fileName: info?.filename ?? `upload ${m.media_id}`,
        altText: m.alt_text,
        platforms: m.platforms,
        info,
        uploading: false,
        error,
        uploadedHere: false,
      };
    }),
  );
}

// The platforms an attachment goes to, among those the post is written for.
export const platformsOf = (d: MediaDraft, selected: Platform[]): Platform[] =>
  d.platforms.length === 0 ? selected : d.platforms.filter((p) => selected.includes(p));

// The list as the API takes it, or what must be fixed first.
export function attachmentsFor(drafts: MediaDraft[], selected: Platform[]): MediaAttachment[] | string {
  const out: MediaAttachment[] = [];
  for (const [i, d] of drafts.entries()) {
    const which = `Attachment ${i + 1} (${d.fileName})`;
    if (d.uploading) return `${which} is still uploading.`;
    if (d.mediaId === null) return `${which} was not uploaded: remove it or try again.`;
    if (!d.altText.trim()) return `${which} needs alt text: describe it for people who cannot see it.`;
    if (Array.from(d.altText).length > MAX_ALT_TEXT) return `${which}: alt text is longer than ${MAX_ALT_TEXT} characters.`;
    const platforms = d.platforms.filter((p) => selected.includes(p));
    if (d.platforms.length > 0 && platforms.length === 0) return `${which} goes to none of the post's platforms.`;
    out.push({ media_id: d.mediaId, alt_text: d.altText, platforms });
  }
  return out;
}

// The thumbnails, alt texts and platforms; `findings(i)` renders the guard's findings on
// attachment i's alt text.
export function MediaAttachments({
  brandId,
  drafts,
  onChange,
  selected,
  disabled,
  findings,
}: {
  brandId: number | null;
  drafts: MediaDraft[];
  onChange: (update: (prev: MediaDraft[]) => MediaDraft[]) => void;
  selected: Platform[];
  disabled: boolean;
  findings: (index: number) => ComponentChildren;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState('');

  const change = (key: string, patch: Partial<MediaDraft>) =>
    onChange((prev) => prev.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  const upload = (files: File[]) => {
    setNotice('');
    if (brandId === null || files.length === 0) return;
    const room = MAX_MEDIA - drafts.length;
    if (files.length > room) setNotice(`A post takes at most ${MAX_MEDIA} attachments; ${files.length - Math.max(room, 0)} not added.`);
    for (const file of files.slice(0, Math.max(room, 0))) {
      const key = newKey();
      const draft: MediaDraft = {
        key,
        mediaId: null,
        fileName: file.name,
        altText: '',
        platforms: [],
        info: null,
        uploading: true,
        error: '',
        uploadedHere: true,
      };
      onChange((prev) => [...prev, draft]);
      mediaApi
        .upload(brandId, file)
        .then((info) => change(key, { mediaId: info.id, info, fileName: info.filename, uploading: false }))
        .catch((e: unknown) => change(key, { uploading: false, error: errorText(e) }));
    }
  };

  const remove = (d: MediaDraft) => {
    onChange((prev) => prev.filter((x) => x.key !== d.key));
    // An upload made here and never saved with the post is deleted; the server refuses
    // (and we ignore) the delete of one a revision still uses.
    if (d.uploadedHere && d.mediaId !== null) mediaApi.remove(d.mediaId).catch(() => {});
  };

  return (
    <fieldset class="media-attachments">
      <legend>Images and video</legend>
      <div
        class={`media-drop${dragging ? ' dragging' : ''}`}
        data-testid="media-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!disabled) upload(Array.from(e.dataTransfer?.files ?? []));
        }}
      >
        <label for="media-file">Add images or video</label>
        <input
          id="media-file"
          ref={input}
          type="file"
          accept={ACCEPT}
          multiple
          disabled={disabled || brandId === null || drafts.length >= MAX_MEDIA}
          aria-describedby="media-file-hint"
          onChange={(e) => {
            upload(Array.from(e.currentTarget.files ?? []));
            e.currentTarget.value = '';
          }}
        />
        <p class="hint" id="media-file-hint">
          Or drop files here. JPEG, PNG, GIF, WebP, MP4 or MOV; location and camera data are removed on upload. Each
          attachment needs alt text.
        </p>
      </div>
      {notice && <p class="warning">{notice}</p>}
      {drafts.length > 0 && (
        <ol class="plain media-list">
          {drafts.map((d, i) => (
            <MediaItem
              key={d.key}
              index={i}
              draft={d}
              selected={selected}
              disabled={disabled}
              onChange={(patch) => change(d.key, patch)}
              onRemove={() => remove(d)}
              findings={findings(i)}
            />
          ))}
        </ol>
      )}
    </fieldset>
  );
}

function MediaItem({
  index,
  draft: d,
  selected,
  disabled,
  onChange,
  onRemove,
  findings,
}: {
  index: number;
  draft: MediaDraft;
  selected: Platform[];
  disabled: boolean;
  onChange: (patch: Partial<MediaDraft>) => void;
  onRemove: () => void;
  findings: ComponentChildren;
}) {
  const id = (what: string) => `media-${index}-${what}`;
  const goesTo = platformsOf(d, selected);
  const refusals = (d.info?.platforms ?? []).filter((f) => !f.fits && goesTo.includes(f.platform));
  const chars = Array.from(d.altText).length;
  const toggle = (p: Platform, on: boolean) => {
    const current = platformsOf(d, selected);
    const next = on ? selected.filter((q) => current.includes(q) || q === p) : current.filter((q) => q !== p);
    // Every platform of the post: stored as "all", so a platform added later gets it too.
    onChange({ platforms: next.length === selected.length ? [] : next });
  };
  return (
    <li class="media-item" data-testid={`media-item-${index}`} data-state={d.uploading ? 'uploading' : d.error ? 'failed' : 'ready'}>
      <div class="media-thumb-box">
        {d.info?.kind === 'image' ? (
          <img class="media-thumb" src={d.info.content_url} alt="" />
        ) : (
          <span class="media-thumb media-placeholder" aria-hidden="true">
            {d.uploading ? '…' : d.info?.kind === 'video' ? '▶' : '!'}
          </span>
        )}
      </div>
      <div class="media-body">
        <p class="media-name">
          <strong>{d.fileName}</strong>{' '}
          {d.uploading && <span role="status">Uploading…</span>}
          {d.info && (
            <span class="hint">
              {d.info.kind === 'video' ? 'Video' : 'Image'}
              {d.info.width && d.info.height ? `, ${d.info.width}×${d.info.height}` : ''}, {formatBytes(d.info.bytes)}
            </span>
          )}
        </p>
        {d.error && (
          <p class="error" role="alert" data-testid={`media-error-${index}`}>
            Not uploaded: {d.error}
          </p>
        )}
        {d.mediaId !== null && (
          <>
            <div class="field">
              <label for={id('alt')}>Alt text for {d.fileName}</label>
              <textarea
                id={id('alt')}
                rows={2}
                aria-required="true"
                value={d.altText}
                disabled={disabled}
                aria-describedby={id('alt-hint')}
                onInput={(e) => onChange({ altText: e.currentTarget.value })}
              />
              <p class="hint" id={id('alt-hint')}>
                Required. Describe what it shows for people who cannot see it ({chars}/{MAX_ALT_TEXT}); never a
                patient’s name.
              </p>
              {findings}
            </div>
            {selected.length > 1 && (
              <fieldset class="media-platforms">
                <legend>Post {d.fileName} on</legend>
                <ul class="plain picker-list">
                  {selected.map((p) => (
                    <li key={p}>
                      <label>
                        <input
                          type="checkbox"
                          checked={goesTo.includes(p)}
                          disabled={disabled}
                          onChange={(e) => toggle(p, e.currentTarget.checked)}
                        />{' '}
                        {PLATFORM_LABELS[p]}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            )}
            {goesTo.length === 0 && <p class="warning">This attachment goes to none of the post’s platforms.</p>}
          </>
        )}
        {refusals.length > 0 && (
          <ul class="media-refusals" data-testid={`media-refusals-${index}`}>
            {refusals.map((f) => (
              <li key={f.platform} class="error">
                {PLATFORM_LABELS[f.platform]} will not take this file: {f.reason}
              </li>
            ))}
          </ul>
        )}
        <button type="button" class="secondary" disabled={disabled || d.uploading} onClick={onRemove}>
          Remove<span class="visually-hidden"> {d.fileName}</span>
        </button>
      </div>
    </li>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
