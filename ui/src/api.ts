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
  idempotencyKey?: string;
  // Sign-in answers 401 for a wrong password: that is not a session ending.
  quiet401?: boolean;
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
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
