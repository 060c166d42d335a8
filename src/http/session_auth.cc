#include "http/session_auth.h"

#include "core/strings.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace carepost::http {

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return value;
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

std::string SessionCookie(std::string_view token, absl::Time expires_at, bool secure) {
  std::string c = core::Cat(kSessionCookie, "=", token, "; Path=/; HttpOnly; SameSite=Strict");
  if (token.empty()) {
    c += "; Max-Age=0";
  } else {
    c += "; Expires=" +
         absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", expires_at, absl::UTCTimeZone());
  }
  if (secure) c += "; Secure";
  return c;
}

SessionAuthenticator::SessionAuthenticator(domain::SessionService& sessions,
                                           domain::UserService& users)
    : sessions_(sessions), users_(users) {}

std::optional<Response> SessionAuthenticator::Check(Request& request, const Access& access) {
  const std::string_view token = CookieValue(request.Header("cookie"), kSessionCookie);
  if (token.empty()) {
    return Problem(401, ProblemType::kUnauthorized,
                   "sign in first (POST /api/v1/session sets the session cookie)");
  }
  absl::StatusOr<domain::Session> session = sessions_.Authenticate(token);
  if (!session.ok()) {
    if (session.status().code() == absl::StatusCode::kUnauthenticated) {
      return Problem(401, ProblemType::kUnauthorized,
                     "your session has ended or is not valid; sign in again");
    }
    return ProblemFromStatus(session.status());
  }
  if (request.method != "GET" && request.method != "HEAD" &&
      !sessions_.CheckCsrf(token, request.Header("x-csrf-token"))) {
    return Problem(403, ProblemType::kCsrf,
                   "send the csrf_token from GET /api/v1/session in an X-CSRF-Token header");
  }
  absl::StatusOr<domain::Grants> grants = users_.GetGrants(session->user_id);
  if (!grants.ok()) return ProblemFromStatus(grants.status());
  if (access.kind == Access::Kind::kAction &&
      !domain::AllowedSomewhere(*grants, access.action)) {
    const domain::Permission* p = domain::FindPermission(access.action);
    return Problem(403, ProblemType::kForbidden,
                   core::Cat("your roles do not allow you to ",
                             p != nullptr ? p->summary : std::string_view("do this"),
                             "; ask an administrator"));
  }
  request.principal = Principal{.user_id = session->user_id,
                                .organization_id = session->organization_id,
                                .email = session->email,
                                .grants = std::move(*grants),
                                .session_token = std::string(token),
                                .session_expires_at = session->expires_at};
  return std::nullopt;
}

}  // namespace carepost::http
