// File: http/app.h
//
// carepost's HTTP application: the routes, and the middleware every request passes
// through (request id, client address from trusted proxies, authorization hook,
// problem+json for unknown routes and methods, metrics, one log line per request).
// Plug App::Handle into http::Server:
//
//   http::App app(options);
//   ASSIGN_OR_RETURN(auto server, http::Server::Start(server_options,
//       [&app](http::Request& r) { return app.Handle(r); }));
//
// Routes:
//   GET  /healthz               200 {"status":"ok"} while the process runs
//   GET  /readyz                200 when AppOptions::ready says so, else 503
//   GET  /metrics               Prometheus text (http/metrics.h)
//   GET  /api/v1/openapi.json   the API description (docs/openapi.yaml as JSON)
//   POST /api/v1/screen         screens a text (needs screen.run)
// and whatever else is added with Add() (http/account_api.h adds sign-in, users,
// organization and audit). Every route declares its Access; the app asks the
// Authenticator before the handler of any route that is not public, so no handler can
// forget. GET requests no route matches go to AppOptions::static_files (the web app).
//
// POSTs to routes that create something (Access::idempotent) honour Idempotency-Key:
// the first answer is stored per user and key and replayed for a repeat with the same
// body; the same key with another body is refused (422).
//
// Logs carry the route template, status, duration and request id, never the raw path,
// query, headers or body (which may hold PHI); every string still passes through the
// logger's Redactor.
//
// Thread safety: Handle() is safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/log.h"
#include "guard/screener.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/router.h"
#include "http/scratch_pool.h"

namespace carepost::http {

// What a route requires of its caller.
struct Access {
  enum class Kind {
    kPublic,    // anyone (health, metrics, the OpenAPI document, signing in)
    kSignedIn,  // any signed-in user
    kAction,    // a signed-in user whose roles allow `action` somewhere
  };
  Kind kind = Kind::kPublic;
  // For kAction: a permission of domain/permissions.h ("users.manage").
  std::string_view action;
  // POST routes that create something: Idempotency-Key is honoured.
  bool idempotent = false;

  static Access Public() { return {}; }
  static Access SignedIn() { return {.kind = Kind::kSignedIn}; }
  static Access Action(std::string_view action, bool idempotent = false) {
    return {.kind = Kind::kAction, .action = action, .idempotent = idempotent};
  }
};

// Identifies callers and checks what they may do (http/session_auth.h implements it
// over domain sessions; tests may plug in their own).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // For a route that needs `access` (never kPublic): sets request.principal, checks the
  // CSRF token on state-changing methods and the permission. Returns the refusal (a
  // 401/403 problem), or nullopt to let the request through.
  virtual std::optional<Response> Check(Request& request, const Access& access) = 0;
};

// Remembers answers to POSTs sent with an Idempotency-Key (domain/idempotency.h keeps
// them in the database).
class IdempotencyKeys {
 public:
  virtual ~IdempotencyKeys() = default;
  struct Begun {
    enum class Outcome { kNew, kReplay, kMismatch, kInProgress } outcome = Outcome::kNew;
    int status = 0;    // for kReplay
    std::string body;  // for kReplay
  };
  // Claims `key` for `user_id` and this request (method, route and a hash of the body).
  virtual absl::StatusOr<Begun> Begin(int64_t user_id, std::string_view key,
                                      std::string_view method, std::string_view route,
                                      std::string_view request_hash) = 0;
  // Stores the answer to a claimed key (a 5xx answer releases the key instead).
  virtual void Finish(int64_t user_id, std::string_view key, const Response& response) = 0;
};

struct AppOptions {
  // Screens texts for POST /api/v1/screen. Required; must outlive the App.
  const guard::Screener* screener = nullptr;
  // Where request and guard metrics go. Required; must outlive the App.
  Metrics* metrics = nullptr;
  // GET /metrics requires "Authorization: Bearer <metrics_token>"; empty: it answers
  // loopback clients only.
  std::string metrics_token;
  // Where the request log goes. Required; must outlive the App.
  core::Logger* logger = nullptr;
  // Durations are measured with this clock (nullptr: the system clock).
  const core::Clock* clock = nullptr;
  // Whose X-Forwarded-For is believed.
  TrustedProxies trusted_proxies;
  // /readyz answers 200 while this returns OK (nullptr: always ready). Its message is
  // shown to the caller: it must not hold secrets or PHI.
  std::function<absl::Status()> ready;
  // Checks every route that is not public. nullptr: such routes answer 401.
  // Must outlive the App.
  Authenticator* authenticator = nullptr;
  // Idempotency-Key storage for idempotent routes. nullptr: the header is ignored.
  IdempotencyKeys* idempotency = nullptr;
  // Answers GET/HEAD requests that no route matches (the embedded web app); nullopt
  // falls through to 404. nullptr: none.
  std::function<std::optional<Response>(std::string_view path)> static_files;
  // Largest text POST /api/v1/screen accepts, in bytes.
  size_t max_text_bytes = 64 << 10;
};

class App {
 public:
  // REQUIRES: options.screener, options.metrics and options.logger are set.
  explicit App(AppOptions options);

  // Adds a route. REQUIRES: before serving; method + pattern not added yet.
  void Add(std::string method, std::string pattern, Access access, Handler handler);

  // Answers one request (the http::Server handler).
  Response Handle(Request& request);

  struct RouteInfo {
    std::string method;
    std::string pattern;
    Access access;
  };
  // Every route, in the order added.
  const std::vector<RouteInfo>& routes() const { return routes_; }
  const Router& router() const { return router_; }

 private:
  Response Screen(Request& request);
  // True when the request may read /metrics (see AppOptions::metrics_token).
  bool MetricsAllowed(const Request& request) const;
  // Runs the handler under the Idempotency-Key rules.
  Response Idempotent(Request& request, const std::string& route, const Handler& handler);

  AppOptions options_;
  const core::Clock& clock_;
  Router router_;
  std::vector<RouteInfo> routes_;
  std::map<std::string, Access> access_;  // "METHOD pattern" -> access
  ScratchPool pool_;
};

// The OpenAPI document (docs/openapi.yaml converted to JSON at build time).
std::string_view OpenApiJson();

// A JSON response.
Response JsonResponse(int status, std::string body);

}  // namespace carepost::http
