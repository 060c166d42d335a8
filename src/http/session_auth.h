// File: http/session_auth.h
//
// Sign-in for the HTTP API: the Authenticator that App asks before every route that is
// not public, over domain::SessionService. A request is let through when
//   1. its `carepost_session` cookie opens a live session (else 401),
//   2. it is GET/HEAD, or it carries the session's CSRF token in X-CSRF-Token
//      (else 403 urn:carepost:problem:csrf), and
//   3. for an action route, the user's roles allow the action organization-wide or for
//      at least one brand (else 403 urn:carepost:problem:forbidden); handlers that act
//      on one brand check that brand themselves.
// The cookie is HttpOnly and SameSite=Strict, Secure unless the server runs in
// development mode without TLS.
//
// Thread safety: safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "domain/sessions.h"
#include "domain/users.h"
#include "http/app.h"

namespace carepost::http {

inline constexpr char kSessionCookie[] = "carepost_session";

// The value of cookie `name` in a Cookie header, or "" when absent.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value that stores `token` until `expires_at` (or, with an empty token,
// deletes the cookie).
std::string SessionCookie(std::string_view token, absl::Time expires_at, bool secure);

class SessionAuthenticator : public Authenticator {
 public:
  // Both services must outlive the authenticator.
  SessionAuthenticator(domain::SessionService& sessions, domain::UserService& users);

  std::optional<Response> Check(Request& request, const Access& access) override;

 private:
  domain::SessionService& sessions_;
  domain::UserService& users_;
};

}  // namespace carepost::http
