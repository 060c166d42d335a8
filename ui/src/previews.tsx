// Per-platform previews of a post: the header each platform shows (avatar, name,
// handle), the text with links, hashtags and mentions styled as the platform styles
// them, the images attached for that platform (with their alt text), the first comment
// under it, and the "… more" where the platform folds a long text. A picture of the
// post for the author, not a promise of pixels.
import { PLATFORM_LABELS, textAsPublished, type Platform } from './posts';

// Where each platform folds a long text in the feed, and what it says there.
const FOLD: Partial<Record<Platform, { at: number; more: string }>> = {
  facebook: { at: 477, more: 'See more' },
  instagram: { at: 125, more: 'more' },
  linkedin: { at: 210, more: 'see more' },
  threads: { at: 500, more: 'more' },
  tiktok: { at: 100, more: 'more' },
  youtube: { at: 157, more: '...more' },
  pinterest: { at: 50, more: 'more' },
};

const TOKEN = /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+|#[\p{L}\p{N}_]+|@[\w.]+(?:@[\w.-]+)?)/gu;

// The text as spans: links, hashtags and mentions get their own class.
function Styled({ text }: { text: string }) {
  const parts = text.split(TOKEN);
  return (
    <>
      {parts.map((p, i) => {
        if (i % 2 === 0) return p;
        const kind = p.startsWith('#') ? 'hashtag' : p.startsWith('@') ? 'mention' : 'link';
        return (
          <span key={i} class={`pv-${kind}`}>
            {p}
          </span>
        );
      })}
    </>
  );
}

export interface PreviewProps {
  platform: Platform;
  brandName: string;
  handle: string;
  text: string;
  link: string;
  firstComment: string;
  hashtags: string[];
  // The platform's count and limit, when the guard measured them.
  length?: { count: number; limit: number };
  // The attachments that go to this platform, in order.
  media?: { url: string; alt: string; kind: 'image' | 'video' }[];
}

export function PlatformPreview(p: PreviewProps) {
  const body = textAsPublished(p.text, p.hashtags);
  const fold = FOLD[p.platform];
  const chars = Array.from(body);
  const folded = fold !== undefined && chars.length > fold.at;
  const shown = folded ? chars.slice(0, fold.at).join('').trimEnd() : body;
  const initials = p.brandName
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const over = p.length !== undefined && p.length.count > p.length.limit;
  return (
    <figure class={`preview preview-${p.platform}`} data-platform={p.platform}>
      <figcaption class="visually-hidden">Preview on {PLATFORM_LABELS[p.platform]}</figcaption>
      <div class="pv-head">
        <span class="pv-avatar" aria-hidden="true">
          {initials}
        </span>
        <span class="pv-names">
          <strong>{p.brandName}</strong>
          <span class="pv-handle">{p.platform === 'mastodon' ? `@${p.handle}@social.example` : `@${p.handle}`}</span>
        </span>
        <span class="pv-platform">{PLATFORM_LABELS[p.platform]}</span>
      </div>
      <p class="pv-text">
        <Styled text={shown} />
        {folded && (
          <>
            {'… '}
            <span class="pv-more" data-testid="preview-more">
              {fold.more}
            </span>
          </>
        )}
      </p>
      {p.media && p.media.length > 0 && (
        <div class={`pv-media pv-media-${Math.min(p.media.length, 4)}`} data-testid="preview-media">
          {p.media.slice(0, 4).map((m, i) =>
            m.kind === 'image' ? (
              <img key={i} src={m.url} alt={m.alt} />
            ) : (
              <span key={i} class="pv-video" role="img" aria-label={`Video: ${m.alt}`}>
                ▶
              </span>
            ),
          )}
        </div>
      )}
      {p.link && (
        <p class="pv-card">
          <span class="pv-link">{p.link}</span>
        </p>
      )}
      {over && (
        <p class="pv-over">
          <span aria-hidden="true">⚠ </span>
          {PLATFORM_LABELS[p.platform]} would refuse this post: it is {p.length!.count - p.length!.limit} over the
          limit.
        </p>
      )}
      {p.firstComment && (
        <div class="pv-comment">
          <span class="pv-avatar small" aria-hidden="true">
            {initials}
          </span>
          <p>
            <strong>{p.brandName}</strong> <span class="visually-hidden">(first comment)</span>
            <Styled text={p.firstComment} />
          </p>
        </div>
      )}
    </figure>
  );
}
