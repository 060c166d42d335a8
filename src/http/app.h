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
//   POST /api/v1/screen         screens a text (only when enable_unauthenticated_routes:
//                               sign-in does not exist yet; see AppOptions::authorize)
//
// Logs carry the route template, status, duration and request id, never the raw path,
// query, headers or body (which may hold PHI); every string still passes through the
// logger's Redactor.
//
// Thread safety: Handle() is safe to call from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "core/clock.h"
#include "core/log.h"
#include "guard/screener.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/router.h"
#include "http/scratch_pool.h"

namespace carepost::http {

// The authorization middleware hook. Called before the handler of every route under
// /api/v1 except the OpenAPI document; returns a response (401/403 problem) to refuse
// the request, or nullopt to let it through. Sessions and roles plug in here.
using Authorizer =
    std::function<std::optional<Response>(const Request& request, std::string_view route)>;

struct AppOptions {
  // Screens texts for POST /api/v1/screen. Required; must outlive the App.
  const guard::Screener* screener = nullptr;
  // Where request and guard metrics go. Required; must outlive the App.
  Metrics* metrics = nullptr;
  // Where the request log goes. Required; must outlive the App.
  core::Logger* logger = nullptr;
  // Durations are measured with this clock (nullptr: the system clock).
  const core::Clock* clock = nullptr;
  // Whose X-Forwarded-For is believed.
  TrustedProxies trusted_proxies;
  // /readyz answers 200 while this returns OK (nullptr: always ready). Its message is
  // shown to the caller: it must not hold secrets or PHI.
  std::function<absl::Status()> ready;
  // Authorization hook (see Authorizer). nullptr: no authorization yet, which is why
  // routes that need it are registered only with enable_unauthenticated_routes.
  Authorizer authorize;
  // Registers routes that must not be exposed without sign-in (POST /api/v1/screen)
  // even though sign-in does not exist yet. Development mode only.
  bool enable_unauthenticated_routes = false;
  // Largest text POST /api/v1/screen accepts, in bytes.
  size_t max_text_bytes = 64 << 10;
};

class App {
 public:
  // REQUIRES: options.screener, options.metrics and options.logger are set.
  explicit App(AppOptions options);

  // Answers one request (the http::Server handler).
  Response Handle(Request& request);

  const Router& router() const { return router_; }

 private:
  Response Screen(Request& request);

  AppOptions options_;
  const core::Clock& clock_;
  Router router_;
  ScratchPool pool_;
};

// The OpenAPI document (docs/openapi.yaml converted to JSON at build time).
std::string_view OpenApiJson();

// A JSON response.
Response JsonResponse(int status, std::string body);

}  // namespace carepost::http
