// Posts, their review and notifications as the web app uses them (docs/openapi.yaml,
// /api/v1/posts and /api/v1/notifications). Kept apart from api.ts, which holds the
// request plumbing and the older resources.
import { newIdempotencyKey, query, request, type Finding, type Page, type ScreenResult } from './api';

// guard/finding.h, as the API and the routes name them.
export const PLATFORMS = [
  'facebook',
  'instagram',
  'threads',
  'x',
  'linkedin',
  'youtube',
  'pinterest',
  'tiktok',
  'bluesky',
  'mastodon',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  threads: 'Threads',
  x: 'X',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  pinterest: 'Pinterest',
  tiktok: 'TikTok',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
};

// The states of a post and their labels are api.ts's (the calendar uses them too).
import type { PostStatus } from './api';
export type { PostStatus };
export { POST_STATUSES as STATUS_LABELS } from './api';

export type ApprovalName = 'manager' | 'clinical_reviewer' | 'compliance';

export const APPROVAL_LABELS: Record<ApprovalName, string> = {
  manager: 'a manager',
  clinical_reviewer: 'a clinical reviewer',
  compliance: 'compliance (privacy officer)',
};

export interface Variant {
  platform: Platform;
  text: string; // '' means the master text
  link: string;
  link_with_utm?: string;
  first_comment: string;
  hashtags: string[];
}

// An upload attached to a post: its alt text (required) and the platforms it goes to
// (empty: every platform of the post).
export interface MediaAttachment {
  media_id: number;
  alt_text: string;
  platforms: Platform[];
}

// An upload as GET /api/v1/media/{id} describes it, with each platform's verdict.
export interface MediaInfo {
  id: number;
  brand_id: number;
  content_type: string;
  kind: 'image' | 'video';
  bytes: number;
  width: number | null;
  height: number | null;
  filename: string;
  content_url: string;
  platforms: { platform: Platform; fits: boolean; reason: string | null }[];
}

// What the server's guard found in one field ("master", "x.text", "x.first_comment").
export interface FieldFindings {
  verdict: ScreenResult['verdict'];
  findings: Finding[];
}

export interface Post {
  id: number;
  brand_id: number;
  campaign_id: number | null;
  author_user_id: number;
  status: PostStatus;
  revision: number;
  edited_by: number | null;
  scheduled_at: string | null;
  time_zone: string;
  master_text: string;
  variants: Variant[];
  media: MediaAttachment[];
  authorization_ids: number[];
  findings: Record<string, FieldFindings>;
  required_approvals: ApprovalName[];
  blocked: boolean;
  approvals: { approval: ApprovalName; user_id: number; at: string }[];
  override: { user_id: number; reason: string; at: string } | null;
  series_id?: number | null; // an occurrence of this recurring series (series.ts)
  series_date?: string;
  series_note?: string;
  created_at: string;
  updated_at: string;
}

export interface PostInput {
  brand_id?: number;
  campaign_id?: number | null;
  master_text: string;
  variants: Omit<Variant, 'link_with_utm'>[];
  media?: MediaAttachment[];
  // Patient HIPAA authorizations the post relies on (ui/src/authorizations.ts).
  authorization_ids?: number[];
  scheduled_at?: string | null;
  time_zone?: string;
}

export interface Revision {
  revision: number;
  master_text: string;
  variants: Variant[];
  media: MediaAttachment[];
  findings: Record<string, FieldFindings>;
  required_approvals: ApprovalName[];
  blocked: boolean;
  edited_by: number | null;
  created_at: string;
  submitted_at: string | null;
}

// Where an inline comment points: a span of one text of one revision, in UTF-8 bytes
// (the offsets findings use). field: "master", "x.text", "x.first_comment",
// "media[0].alt_text".
export interface CommentAnchor {
  revision: number;
  field: string;
  start: number;
  end: number;
}

export interface PostComment {
  id: number;
  revision: number;
  user_id: number | null;
  kind: 'comment' | 'request_changes' | 'override';
  body: string;
  created_at: string;
  anchor: CommentAnchor | null;
}

export interface Campaign {
  id: number;
  brand_id: number;
  name: string;
}

export interface Notification {
  id: number;
  kind: 'review_requested' | 'approved' | 'changes_requested' | string;
  post_id: number | null;
  message: string;
  created_at: string;
  read_at: string | null;
}

const post = (id: number, action: string, body: Record<string, string>) =>
  request<Post>('POST', `/api/v1/posts/${id}/${action}`, { body });

export const postsApi = {
  get: (id: number) => request<Post>('GET', `/api/v1/posts/${id}`),
  // The review queue: posts waiting for an approval the caller may give.
  awaitingMyReview: (cursor: string | null) =>
    request<Page<Post>>('GET', `/api/v1/posts?${query({ queue: 'mine', limit: '50', cursor })}`),
  create: (input: PostInput) =>
    request<Post>('POST', '/api/v1/posts', { body: input, idempotencyKey: newIdempotencyKey() }),
  update: (id: number, input: PostInput) => request<Post>('PATCH', `/api/v1/posts/${id}`, { body: input }),
  submit: (id: number, comment: string) => post(id, 'submit', comment ? { comment } : {}),
  approve: (id: number, comment: string) => post(id, 'approve', comment ? { comment } : {}),
  requestChanges: (id: number, comment: string) => post(id, 'request-changes', { comment }),
  override: (id: number, reason: string) => post(id, 'override', { reason }),
  // approved -> scheduled, or moves a scheduled post (posts.schedule).
  schedule: (id: number, scheduledAt: string, timeZone: string) =>
    post(id, 'schedule', { scheduled_at: scheduledAt, time_zone: timeZone }),
  revisions: (id: number) => request<{ items: Revision[] }>('GET', `/api/v1/posts/${id}/revisions`),
  comments: (id: number) => request<{ items: PostComment[] }>('GET', `/api/v1/posts/${id}/comments`),
  addComment: (id: number, body: string, anchor?: CommentAnchor) =>
    request<PostComment>('POST', `/api/v1/posts/${id}/comments`, { body: anchor ? { body, anchor } : { body } }),
  campaigns: (brandId: number) =>
    request<Page<Campaign>>('GET', `/api/v1/campaigns?${query({ brand_id: String(brandId), limit: '200' })}`),
};

export const mediaApi = {
  // The body is the file itself; the server sniffs its type and strips its metadata.
  upload: (brandId: number, file: File) =>
    request<MediaInfo>('POST', `/api/v1/media?${query({ brand_id: String(brandId), filename: file.name })}`, {
      raw: file,
      idempotencyKey: newIdempotencyKey(),
    }),
  get: (id: number) => request<MediaInfo>('GET', `/api/v1/media/${id}`),
  remove: (id: number) => request<void>('DELETE', `/api/v1/media/${id}`),
};

export const notificationsApi = {
  list: (unreadOnly = false) =>
    request<Page<Notification> & { unread: number }>(
      'GET',
      `/api/v1/notifications?${query({ limit: '50', unread: unreadOnly ? 'true' : null })}`,
    ),
  markRead: (id: number) => request<void>('POST', `/api/v1/notifications/${id}/read`),
  markAllRead: () => request<{ marked: number }>('POST', '/api/v1/notifications/read-all'),
};

// Which approvals findings call for, as domain/posts.cc RouteFindings decides (shown
// while writing; the server decides again on save).
export function approvalsFor(findings: Finding[]): ApprovalName[] {
  const kinds = new Set(findings.map((f) => f.kind));
  const out: ApprovalName[] = [];
  if (kinds.has('medical_claim') || kinds.has('misinformation')) out.push('clinical_reviewer');
  if (kinds.has('phi') || kinds.has('patient_confirmation')) out.push('compliance');
  if (out.length === 0) out.push('manager');
  return out;
}

// The text a platform gets, as publishing sends it and the platform counts it: the text,
// then the hashtags after a blank line (domain/posts.h TextAsPublished).
export function textAsPublished(text: string, hashtags: string[]): string {
  const tags = hashtags.map((t) => t.trim().replace(/^#+/, '')).filter(Boolean);
  return tags.length === 0 ? text : `${text}\n\n${tags.map((t) => '#' + t).join(' ')}`;
}

// UTF-8 length of a string, for comparing with the guard's byte offsets.
export const utf8Length = (s: string) => new TextEncoder().encode(s).length;

// Findings on "<platform>.text" worth showing for a platform that uses the master text:
// its limits, and anything in the hashtags it adds (the master text's own are shown once).
export function addedByPlatform(findings: Finding[], master: string): Finding[] {
  const end = utf8Length(master);
  return findings.filter((f) => f.kind === 'platform_limit' || f.start >= end);
}

// "master" -> "Master text", "x.first_comment" -> "X first comment".
export function fieldLabel(field: string): string {
  if (field === 'master') return 'Master text';
  const media = /^media\[(\d+)\]\.alt_text$/.exec(field);
  if (media) return `Alt text of attachment ${Number(media[1]) + 1}`;
  const [platform, part] = field.split('.');
  const name = PLATFORM_LABELS[platform as Platform] ?? platform;
  return part === 'first_comment' ? `${name} first comment` : `${name} text`;
}
