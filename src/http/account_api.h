// File: http/account_api.h
//
// The API routes for people and the audit trail (docs/openapi.yaml has the contract):
//
//   POST   /api/v1/session        sign in (public; sets the session cookie)
//   GET    /api/v1/session        who am I, what may I do, my CSRF token
//   DELETE /api/v1/session        sign out
//   GET    /api/v1/organization   the organization and its brands      org.read
//   POST   /api/v1/brands         add a brand                          org.manage
//   GET    /api/v1/users          list users (cursor pages)            users.read
//   POST   /api/v1/users          add a user with roles                users.manage
//   GET    /api/v1/users/{id}     one user                             users.read
//   PATCH  /api/v1/users/{id}     rename, disable/enable, set roles    users.manage
//   GET    /api/v1/audit          filtered audit events, newest first  audit.read
//   GET    /api/v1/audit/export   CSV or JSONL download                audit.export
//   POST   /api/v1/audit/verify   check the chain                      audit.verify
//
// Everything is scoped to the signed-in user's organization: another organization's
// users and events are "not found". Every change goes through domain services, which
// write the audit event in the same transaction.
//
//   AddAccountRoutes(app, {.users = &users, .sessions = &sessions, .audit = &audit,
//                          .secure_cookies = !dev});
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include <string>

#include "domain/audit.h"
#include "domain/sessions.h"
#include "domain/users.h"
#include "http/app.h"

namespace carepost::http {

struct AccountApiOptions {
  // Required; must outlive the App.
  domain::UserService* users = nullptr;
  domain::SessionService* sessions = nullptr;
  domain::AuditLog* audit = nullptr;
  // Mark the session cookie Secure (every deployment behind TLS; off only in --dev).
  bool secure_cookies = true;
  // The server's public origin ("https://carepost.example.org"). When set, a sign-in
  // whose Origin header names another origin is refused; when empty, the Origin must
  // match the Host header.
  std::string public_origin;
};

// Adds the routes above to `app`.
void AddAccountRoutes(App& app, AccountApiOptions options);

}  // namespace carepost::http
