// The REST API as the web app uses it (docs/openapi.yaml is the contract). Every
// request sends the session cookie; every state-changing one also sends the CSRF token
// the server handed out at sign-in. Errors are application/problem+json: ApiError
// carries the server's `detail`, which is written for the user to read.

export type Role =
  | 'admin'
  | 'manager'
  | 'author'
  | 'clinical_reviewer'
  | 'compliance'
  | 'responder'
  | 'analyst';

export const ROLES: Role[] = [
  'admin',
  'manager',
  'author',
  'clinical_reviewer',
  'compliance',
  'responder',
  'analyst',
];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  author: 'Author',
  clinical_reviewer: 'Clinical reviewer',
  compliance: 'Compliance',
  responder: 'Responder',
  analyst: 'Analyst',
};

export interface RoleGrant {
  role: Role;
  brand_id?: number | null;
}

export interface User {
  id: number;
  email: string;
  display_name: string;
  created_at: string;
  disabled: boolean;
  roles: RoleGrant[];
}

export interface SessionInfo {
  user: User;
  organization_id: number;
  csrf_token: string;
  expires_at: string;
  actions: string[];
}

export interface Brand {
  id: number;
  name: string;
  slug: string;
}

export interface Organization {
  id: number;
  name: string;
  slug: string;
  brands: Brand[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  record_type: string;
  record_id: string;
  from_address: string;
  details: Record<string, unknown>;
}

export interface AuditVerifyReport {
  ok: boolean;
  events_checked: number;
  checkpoints_checked: number;
  first_broken_seq: number;
  problem: string;
  warning: string;
}

export type Severity = 'block' | 'review' | 'info';

export interface Finding {
  kind: string;
  type: string;
  start: number; // UTF-8 byte offset into the screened text
  end: number; // exclusive
  severity: Severity;
  message: string;
  suggestion?: string;
  rebuttal?: string;
  sources?: { title: string; url: string }[];
  // Set when a patient authorization the post relies on turned a block into review.
  authorization?: { id: number; severity: Severity; message: string };
}

export interface ScreenResult {
  id: unknown;
  verdict: 'block' | 'review' | 'pass';
  findings: Finding[];
  redacted?: string;
  // With a platform, for a post or reply: the length as that platform counts it.
  length?: { count: number; limit: number; unit: string };
}

export interface Observance {
  name: string;
  kind: 'day' | 'week' | 'month';
  start: string; // YYYY-MM-DD
  end: string; // inclusive
  sponsor: string;
  hashtags: string[];
  url: string;
  safe_messaging: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

// The token from the session the server last reported.
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when any request answers 401: the session ended (expired, signed out
// elsewhere, account disabled).
export function onSessionEnded(callback: () => void): void {
  onSignedOut = callback;
}

// A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts, and a
// hospital may reach carepost over plain http inside its network.
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface RequestOptions {
  body?: unknown;
  // Sent as it is (a file upload) instead of `body` as JSON.
  raw?: Blob;
  idempotencyKey?: string;
  // Sign-in answers 401 for a wrong password: that is not a session ending.
  quiet401?: boolean;
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.raw !== undefined) headers['Content-Type'] = options.raw.type || 'application/octet-stream';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError(0, 'carepost could not be reached. Check the connection and try again.');
  }
  if (response.ok) return response;
  let detail = `The server answered ${response.status} ${response.statusText}.`;
  let field: string | undefined;
  try {
    const problem = (await response.json()) as { detail?: string; field?: string };
    if (problem.detail) detail = problem.detail;
    field = problem.field;
  } catch {
    // Not problem+json (a proxy's error page): keep the generic message.
  }
  if (response.status === 401 && !options.quiet401) onSignedOut();
  throw new ApiError(response.status, detail, field);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

// A download (audit export): the body as a Blob and the file name the server suggests.
export async function download(path: string): Promise<{ blob: Blob; filename: string }> {
  const response = await send('GET', path);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : 'download' };
}

export const api = {
  session: () => request<SessionInfo>('GET', '/api/v1/session', { quiet401: true }),
  signIn: (email: string, password: string) =>
    request<SessionInfo>('POST', '/api/v1/session', { body: { email, password }, quiet401: true }),
  signOut: () => request<void>('DELETE', '/api/v1/session', { quiet401: true }),
  organization: () => request<Organization>('GET', '/api/v1/organization'),
  users: (cursor: string | null, limit = 50) =>
    request<Page<User>>('GET', `/api/v1/users?${query({ limit: String(limit), cursor })}`),
  addUser: (
    user: { email: string; display_name: string; password: string; roles: RoleGrant[] },
    idempotencyKey: string,
  ) => request<User>('POST', '/api/v1/users', { body: user, idempotencyKey }),
  patchUser: (id: number, change: { display_name?: string; disabled?: boolean; roles?: RoleGrant[] }) =>
    request<User>('PATCH', `/api/v1/users/${id}`, { body: change }),
  audit: (filter: Record<string, string | null>) =>
    request<Page<AuditEvent>>('GET', `/api/v1/audit?${query(filter)}`),
  auditExport: (format: 'csv' | 'jsonl', since: string | null) =>
    download(`/api/v1/audit/export?${query({ format, since })}`),
  auditVerify: () => request<AuditVerifyReport>('POST', '/api/v1/audit/verify'),
  observances: (from: string, to: string) =>
    request<{ items: Observance[] }>('GET', `/api/v1/observances?${query({ from, to })}`),
  screen: (body: { text: string; context: string; platform?: string; redact?: boolean }) =>
    request<ScreenResult>('POST', '/api/v1/screen', { body }),
};

// A query string of the parameters that have a value.
export function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  return q.toString();
}

// ---- Calendar import, export and subscription feed (/api/v1/calendar/...) ----

// One thing wrong with an uploaded calendar file: the row as a spreadsheet shows it
// (the header is row 1; 0 for the whole file), the column, and what is wrong.
export interface CsvProblem {
  row: number;
  column: string | null;
  column_letter: string | null;
  message: string;
  text: string;
}

export interface CalendarImportResult {
  dry_run: boolean;
  created: number;
  posts: { row: number; id: number | null; brand_id: number; blocked: boolean; required_approvals: string[] }[];
}

// A refused import: the server's summary and every problem it listed.
export class CsvImportError extends ApiError {
  constructor(
    detail: string,
    readonly problems: CsvProblem[],
    readonly problemsLeftOff: number,
  ) {
    super(422, detail);
  }
}

export interface CalendarFeedStatus {
  exists: boolean;
  created_at: string | null;
  last_used_at: string | null;
  include_text: boolean;
}

// Sends the file's text as text/csv. A 422 with a problem list becomes CsvImportError.
export async function importCalendar(csv: string, dryRun: boolean): Promise<CalendarImportResult> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/calendar/import${dryRun ? '?dry_run=true' : ''}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'text/csv', 'X-CSRF-Token': csrfToken },
      credentials: 'same-origin',
      body: csv,
    });
  } catch {
    throw new ApiError(0, 'carepost could not be reached. Check the connection and try again.');
  }
  let body: { detail?: string; problems?: CsvProblem[]; problems_left_off?: number } & Partial<CalendarImportResult> = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (response.ok) return body as CalendarImportResult;
  if (response.status === 401) onSignedOut();
  const detail = body.detail ?? `The server answered ${response.status} ${response.statusText}.`;
  if (body.problems) throw new CsvImportError(detail, body.problems, body.problems_left_off ?? 0);
  throw new ApiError(response.status, detail);
}

export const calendarApi = {
  exportUrl: (from: string, to: string, brandId: string) =>
    `/api/v1/calendar/export?${query({ from, to, brand_id: brandId })}`,
  feedStatus: () => request<CalendarFeedStatus>('GET', '/api/v1/calendar/feed'),
  issueFeed: () => request<{ url: string; include_text: boolean }>('POST', '/api/v1/calendar/feed'),
  revokeFeed: () => request<void>('DELETE', '/api/v1/calendar/feed'),
};

// ---- Planning: campaigns and the calendar's posts (calendar and campaign pages) ----

export type CampaignType =
  | 'awareness'
  | 'seasonal'
  | 'misinformation_response'
  | 'careers'
  | 'event'
  | 'series'
  | 'other';

export const CAMPAIGN_TYPES: Record<CampaignType, string> = {
  awareness: 'Awareness',
  seasonal: 'Seasonal',
  misinformation_response: 'Misinformation response',
  careers: 'Careers',
  event: 'Event',
  series: 'Series',
  other: 'Other',
};

export interface Campaign {
  id: number;
  brand_id: number;
  name: string;
  type: CampaignType;
  goal: string;
  start_date: string | null;
  end_date: string | null;
  owner_user_id: number | null;
  tags: string[];
  observance_key: string;
  utm_campaign: string;
  created_at: string;
  updated_at: string;
}

export type CampaignInput = Partial<Omit<Campaign, 'id' | 'created_at' | 'updated_at'>>;

export type PostStatus =
  | 'draft'
  | 'in_review'
  | 'approved'
  | 'scheduled'
  | 'publishing'
  | 'published'
  | 'failed'
  | 'cancelled';

export const POST_STATUSES: Record<PostStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const PLATFORMS: Record<string, { name: string; short: string }> = {
  facebook: { name: 'Facebook', short: 'FB' },
  instagram: { name: 'Instagram', short: 'IG' },
  threads: { name: 'Threads', short: 'Threads' },
  x: { name: 'X', short: 'X' },
  linkedin: { name: 'LinkedIn', short: 'LI' },
  youtube: { name: 'YouTube', short: 'YT' },
  pinterest: { name: 'Pinterest', short: 'Pin' },
  tiktok: { name: 'TikTok', short: 'TikTok' },
  bluesky: { name: 'Bluesky', short: 'Bsky' },
  mastodon: { name: 'Mastodon', short: 'Masto' },
};

// A post as GET /api/v1/posts?view=calendar gives it.
export interface PostSummary {
  id: number;
  brand_id: number;
  campaign_id: number | null;
  status: PostStatus;
  scheduled_at: string | null;
  time_zone: string;
  platforms: string[];
  excerpt: string;
  blocked: boolean;
  overridden: boolean;
  series_id?: number | null; // an occurrence of this recurring series
  series_note?: string; // its DST note, '' when none
}

export interface PostFilter {
  brand_id?: string | null;
  campaign_id?: string | null;
  platform?: string | null;
  status?: string | null;
  from?: string | null;
  to?: string | null;
  unscheduled?: 'true' | null; // only posts without a time
}

// Every page of a list, following next_cursor (at most `maxPages` pages).
async function allPages<T>(path: string, params: Record<string, string | null | undefined>, maxPages: number) {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await request<Page<T>>('GET', `${path}?${query({ ...params, cursor })}`);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

export const planApi = {
  campaigns: () => allPages<Campaign>('/api/v1/campaigns', { limit: '200' }, 20),
  campaign: (id: number) => request<Campaign>('GET', `/api/v1/campaigns/${id}`),
  createCampaign: (c: CampaignInput, idempotencyKey: string) =>
    request<Campaign>('POST', '/api/v1/campaigns', { body: c, idempotencyKey }),
  patchCampaign: (id: number, c: CampaignInput) =>
    request<Campaign>('PATCH', `/api/v1/campaigns/${id}`, { body: c }),
  // The calendar's posts: 1,000 a page, up to 20 pages.
  calendarPosts: (filter: PostFilter) =>
    allPages<PostSummary>('/api/v1/posts', { ...filter, view: 'calendar', limit: '1000' }, 20),
  schedulePost: (id: number, scheduledAt: string, timeZone: string) =>
    request<unknown>('POST', `/api/v1/posts/${id}/schedule`, {
      body: { scheduled_at: scheduledAt, time_zone: timeZone },
    }),
  movePlannedPost: (id: number, scheduledAt: string, timeZone: string) =>
    request<unknown>('PATCH', `/api/v1/posts/${id}`, {
      body: { scheduled_at: scheduledAt, time_zone: timeZone },
    }),
};

// Where a post opens (the composer).
export const postHref = (id: number) => `/posts/${id}`;
