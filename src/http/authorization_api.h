// File: http/authorization_api.h
//
// The API routes for patient HIPAA authorizations (docs/openapi.yaml has the contract;
// domain/patient_authorizations.h the rules):
//
//   GET  /api/v1/authorizations               list (brand_id, status=valid, pages)
//   authorizations.read POST /api/v1/authorizations               record one (pending its form)
//   authorizations.manage GET  /api/v1/authorizations/{id}          one, with its status
//   authorizations.read PUT  /api/v1/authorizations/{id}/form     attach the signed form: the body
//   authorizations.manage GET  /api/v1/authorizations/{id}/form     the signed form (audited)
//   authorizations.manage POST /api/v1/authorizations/{id}/revoke   revoke with a reason
//   authorizations.manage
//
// The form is the raw file as the request body (PDF, or a JPEG/PNG scan), judged by its
// content (415 for anything else), like a media upload; the server gives that route
// the upload body limit (IsAuthorizationFormUpload). The form is served as an
// attachment with nosniff and no caching. A record's revocation reason is shown only
// to those who may manage the brand's authorizations.
//
// POST /api/v1/authorizations does not honour Idempotency-Key: the idempotency store
// keeps answers in the clear, and this answer names the patient.
//
// Posts name the authorizations they rely on in `authorization_ids` (plan_api.h);
// screening then routes covered PHI findings to compliance instead of blocking.
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "domain/patient_authorizations.h"
#include "http/app.h"

namespace carepost::http {

struct AuthorizationApiOptions {
  // Required; must outlive the App.
  domain::AuthorizationService* authorizations = nullptr;
  // The time an authorization's status is judged at (nullptr: the system clock).
  const core::Clock* clock = nullptr;
};

// Adds the routes above to `app`.
void AddAuthorizationRoutes(App& app, AuthorizationApiOptions options);

// True for the form upload (PUT /api/v1/authorizations/{id}/form), for the server's
// per-route body limit.
bool IsAuthorizationFormUpload(std::string_view method, std::string_view path);

}  // namespace carepost::http
