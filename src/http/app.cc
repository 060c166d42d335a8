#include "http/app.h"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <random>

#include "core/strings.h"
#include "core/utf8.h"
#include "guard/finding_json.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace carepost::http {
namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t v = rng();
    for (int i = 0; i < 16; ++i, v >>= 4) id[half * 16 + i] = kHex[v & 0xf];
  }
  return id;
}

}  // namespace

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

App::App(AppOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : core::SystemClock::Get()),
      pool_(*options_.screener) {
  Add("GET", "/healthz", Access::Public(),
      [](Request&) { return JsonResponse(200, R"({"status":"ok"})"); });
  Add("GET", "/readyz", Access::Public(), [this](Request&) {
    if (options_.ready) {
      const absl::Status s = options_.ready();
      if (!s.ok()) {
        return Problem(503, ProblemType::kUnavailable,
                       core::Cat("not ready: ", std::string(s.message())));
      }
    }
    return JsonResponse(200, R"({"status":"ready"})");
  });
  // Metrics carry route templates, statuses and timings, never request content; still,
  // they describe the installation, so only the scraper (token) or the host may read them.
  Add("GET", "/metrics", Access::Public(), [this](Request& request) {
    if (!MetricsAllowed(request)) {
      return Problem(403, ProblemType::kForbidden,
                     options_.metrics_token.empty()
                         ? "metrics answer loopback clients only; set metrics_token to scrape "
                           "them from elsewhere"
                         : "send the metrics token as 'Authorization: Bearer <token>'");
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = options_.metrics->Render();
    return r;
  });
  Add("GET", "/api/v1/openapi.json", Access::Public(),
      [](Request&) { return JsonResponse(200, std::string(OpenApiJson())); });
  Add("POST", "/api/v1/screen", Access::Action("screen.run"),
      [this](Request& r) { return Screen(r); });
}

bool App::MetricsAllowed(const Request& request) const {
  if (options_.metrics_token.empty()) {
    const std::string_view a = request.client_address;
    return a.rfind("127.", 0) == 0 || a == "::1" || a.rfind("::ffff:127.", 0) == 0;
  }
  const std::string_view header = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() != kBearer.size() + options_.metrics_token.size() ||
      header.substr(0, kBearer.size()) != kBearer) {
    return false;
  }
  return sodium_memcmp(header.data() + kBearer.size(), options_.metrics_token.data(),
                       options_.metrics_token.size()) == 0;
}

void App::Add(std::string method, std::string pattern, Access access, Handler handler) {
  access_[core::Cat(method, " ", pattern)] = access;
  routes_.push_back({.method = method, .pattern = pattern, .access = access});
  router_.Add(std::move(method), std::move(pattern), std::move(handler));
}

Response App::Handle(Request& request) {
  const absl::Time start = clock_.Now();
  request.request_id = NewRequestId();
  request.client_address = options_.trusted_proxies.ClientAddress(
      request.remote_address, request.Header("x-forwarded-for"));

  Router::Match match = router_.Find(request.method, request.path);
  Response response;
  std::string route = match.route.empty() ? "unmatched" : match.route;
  if (match.handler != nullptr) {
    request.path_params = std::move(match.params);
    const Access& access = access_.at(core::Cat(request.method, " ", match.route));
    std::optional<Response> refused;
    if (access.kind != Access::Kind::kPublic) {
      refused =
          options_.authenticator != nullptr
              ? options_.authenticator->Check(request, access)
              : Problem(401, ProblemType::kUnauthorized, "this server has no sign-in configured");
    }
    if (refused) {
      response = std::move(*refused);
    } else if (access.idempotent && options_.idempotency != nullptr &&
               request.principal.has_value() && !request.Header("idempotency-key").empty()) {
      response = Idempotent(request, route, *match.handler);
    } else {
      response = (*match.handler)(request);
    }
  } else if (match.method_mismatch) {
    std::string allowed;
    for (const std::string& m : match.allowed_methods) {
      if (!allowed.empty()) allowed += ", ";
      allowed += m;
    }
    response = Problem(405, ProblemType::kMethodNotAllowed,
                       core::Cat("this route accepts ", allowed, "; use one of those methods"));
    response.SetHeader("Allow", allowed);
  } else if (std::optional<Response> file; (request.method == "GET" || request.method == "HEAD") &&
                                           options_.static_files &&
                                           (file = options_.static_files(request.path))) {
    route = "static";
    response = std::move(*file);
  } else {
    response = Problem(404, ProblemType::kNotFound,
                       "no such route; see /api/v1/openapi.json for the routes carepost serves");
  }
  response.SetHeader("X-Request-Id", request.request_id);

  const double seconds = absl::ToDoubleSeconds(clock_.Now() - start);
  options_.metrics->ObserveRequest(request.method, route, response.status, seconds);
  options_.logger->Info("request", {{"request_id", request.request_id},
                                    {"method", request.method},
                                    {"route", route},
                                    {"status", response.status},
                                    {"duration_ms", seconds * 1000.0},
                                    {"client", request.client_address}});
  return response;
}

Response App::Idempotent(Request& request, const std::string& route, const Handler& handler) {
  const std::string key(request.Header("idempotency-key"));
  if (key.size() > 255) {
    return Problem(422, ProblemType::kIdempotencyKey,
                   "Idempotency-Key must be at most 255 characters (a UUID is typical)");
  }
  const int64_t user = request.principal->user_id;
  absl::StatusOr<IdempotencyKeys::Begun> begun = options_.idempotency->Begin(
      user, key, request.method, route, core::Cat(request.path, "\n", request.body));
  if (!begun.ok()) {
    return Problem(503, ProblemType::kUnavailable, "could not check the Idempotency-Key; retry");
  }
  switch (begun->outcome) {
    case IdempotencyKeys::Begun::Outcome::kReplay: {
      Response r = JsonResponse(begun->status, std::move(begun->body));
      if (r.status >= 400) r.content_type = "application/problem+json";
      r.SetHeader("Idempotent-Replayed", "true");
      return r;
    }
    case IdempotencyKeys::Begun::Outcome::kMismatch:
      return Problem(422, ProblemType::kIdempotencyKey,
                     "this Idempotency-Key was used for a different request; use a new key");
    case IdempotencyKeys::Begun::Outcome::kInProgress:
      return Problem(409, ProblemType::kIdempotencyKey,
                     "a request with this Idempotency-Key is still running; retry shortly");
    case IdempotencyKeys::Begun::Outcome::kNew:
      break;
  }
  Response response = handler(request);
  options_.idempotency->Finish(user, key, response);
  return response;
}

Response App::Screen(Request& request) {
  nlohmann::json body;
  if (auto refused =
          ParseJsonObject(request, {"text", "context", "platform", "id", "redact"}, &body)) {
    return *refused;
  }
  const auto text_it = body.find("text");
  if (text_it == body.end() || !text_it->is_string()) {
    return Problem(422, ProblemType::kInvalidField, "field 'text' is required and must be a string",
                   "text");
  }
  const std::string& text = text_it->get_ref<const std::string&>();
  if (text.size() > options_.max_text_bytes) {
    return Problem(
        422, ProblemType::kInvalidField,
        core::Cat("field 'text' is longer than ", options_.max_text_bytes, " bytes; split it"),
        "text");
  }
  if (text.find('\0') != std::string::npos) {
    return Problem(422, ProblemType::kInvalidField, "field 'text' must not contain NUL characters",
                   "text");
  }
  // nlohmann accepts only valid UTF-8, but check: the guard requires it.
  if (const core::Utf8Check u = core::ValidateUtf8(text); !u.ok) {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field 'text' is not valid UTF-8 at byte ", u.error_offset), "text");
  }
  guard::ScreenRequest req;
  if (auto it = body.find("context"); it != body.end()) {
    std::optional<guard::Context> c;
    if (it->is_string()) c = guard::ParseContext(it->get_ref<const std::string&>());
    if (!c) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'context' must be one of post, reply, inbound", "context");
    }
    req.context = *c;
  }
  if (auto it = body.find("platform"); it != body.end() && !it->is_null()) {
    std::optional<guard::Platform> p;
    if (it->is_string()) p = guard::ParsePlatform(it->get_ref<const std::string&>());
    if (!p) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'platform' must be one of facebook, instagram, threads, x, linkedin, "
                     "youtube, pinterest, tiktok, bluesky, mastodon",
                     "platform");
    }
    req.platform = *p;
  }
  bool redact = false;
  if (auto it = body.find("redact"); it != body.end()) {
    if (!it->is_boolean()) {
      return Problem(422, ProblemType::kInvalidField, "field 'redact' must be true or false",
                     "redact");
    }
    redact = it->get<bool>();
  }
  std::string id_json = "null";
  if (auto it = body.find("id"); it != body.end()) {
    if (!it->is_string() && !it->is_number_integer() && !it->is_null()) {
      return Problem(422, ProblemType::kInvalidField, "field 'id' must be a string or an integer",
                     "id");
    }
    id_json = it->dump();
  }

  const absl::Time start = clock_.Now();
  const guard::ScreenResult result = pool_.Screen(text, req);
  options_.metrics->ObserveScreen(text.size(), absl::ToDoubleSeconds(clock_.Now() - start));
  std::string redacted;
  if (redact) redacted = guard::Redact(text, result.findings);
  std::string out;
  guard::AppendResultJson(&out, id_json, result, redact ? &redacted : nullptr);
  if (result.length) {
    out.pop_back();  // the result's closing brace: the length goes inside
    out +=
        core::Cat(",\"length\":{\"count\":", result.length->count,
                  ",\"limit\":", result.length->limit, ",\"unit\":\"", result.length->unit, "\"}}");
  }
  return JsonResponse(200, std::move(out));
}

}  // namespace carepost::http
