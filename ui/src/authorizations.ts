// Patient HIPAA authorizations as the web app uses them (docs/openapi.yaml,
// /api/v1/authorizations): compliance records and revokes them; authors attach a valid
// one to a post that tells the patient's story.
import { query, request, type Page } from './api';

export type AuthorizationStatus = 'pending_form' | 'valid' | 'expired' | 'revoked';

export const AUTHORIZATION_STATUS_LABELS: Record<AuthorizationStatus, string> = {
  pending_form: 'Waiting for the signed form',
  valid: 'Valid',
  expired: 'Expired',
  revoked: 'Revoked',
};

export interface PatientAuthorization {
  id: number;
  brand_id: number;
  patient_name: string;
  details: string[];
  scope: string;
  media_ids: number[];
  expires_at: string;
  status: AuthorizationStatus;
  form: { content_type: string; bytes: number; uploaded_at: string; url: string } | null;
  recorded_by: number | null;
  created_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
}

export interface NewAuthorization {
  brand_id: number;
  patient_name: string;
  details: string[];
  scope: string;
  media_ids?: number[];
  expires_at: string;
}

export const authorizationsApi = {
  list: (filter: { brand_id?: number; valid?: boolean } = {}) =>
    request<Page<PatientAuthorization>>(
      'GET',
      `/api/v1/authorizations?${query({
        brand_id: filter.brand_id ? String(filter.brand_id) : null,
        status: filter.valid ? 'valid' : null,
        limit: '200',
      })}`,
    ),
  // No Idempotency-Key: the server does not keep this answer (it names the patient).
  record: (input: NewAuthorization) => request<PatientAuthorization>('POST', '/api/v1/authorizations', { body: input }),
  attachForm: (id: number, file: Blob) =>
    request<PatientAuthorization>('PUT', `/api/v1/authorizations/${id}/form`, { raw: file }),
  revoke: (id: number, reason: string) =>
    request<PatientAuthorization>('POST', `/api/v1/authorizations/${id}/revoke`, { body: { reason } }),
};

// "Maria Lopez (valid until 30 Jun 2027)" for pickers.
export function authorizationLabel(a: PatientAuthorization): string {
  const until = new Date(a.expires_at).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return `${a.patient_name} (authorization ${a.id}, valid until ${until})`;
}
