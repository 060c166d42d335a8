#include "http/app.h"

#include <nlohmann/json.hpp>
#include <random>

#include "core/strings.h"
#include "core/utf8.h"
#include "guard/finding_json.h"
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

bool IsJsonContentType(std::string_view ct) {
  const size_t semi = ct.find(';');
  std::string base(ct.substr(0, semi));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (char& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json";
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
  router_.Add("GET", "/healthz",
              [](Request&) { return JsonResponse(200, R"({"status":"ok"})"); });
  router_.Add("GET", "/readyz", [this](Request&) {
    if (options_.ready) {
      const absl::Status s = options_.ready();
      if (!s.ok()) {
        return Problem(503, ProblemType::kUnavailable,
                       core::Cat("not ready: ", std::string(s.message())));
      }
    }
    return JsonResponse(200, R"({"status":"ready"})");
  });
  router_.Add("GET", "/metrics", [this](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = options_.metrics->Render();
    return r;
  });
  router_.Add("GET", "/api/v1/openapi.json",
              [](Request&) { return JsonResponse(200, std::string(OpenApiJson())); });
  if (options_.enable_unauthenticated_routes) {
    router_.Add("POST", "/api/v1/screen", [this](Request& r) { return Screen(r); });
  }
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
    std::optional<Response> refused;
    if (options_.authorize && route.rfind("/api/v1/", 0) == 0 &&
        route != "/api/v1/openapi.json") {
      refused = options_.authorize(request, route);
    }
    response = refused ? std::move(*refused) : (*match.handler)(request);
  } else if (match.method_mismatch) {
    std::string allowed;
    for (const std::string& m : match.allowed_methods) {
      if (!allowed.empty()) allowed += ", ";
      allowed += m;
    }
    response = Problem(405, ProblemType::kMethodNotAllowed,
                       core::Cat("this route accepts ", allowed, "; use one of those methods"));
    response.SetHeader("Allow", allowed);
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

Response App::Screen(Request& request) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return Problem(415, ProblemType::kUnsupportedMedia,
                   "send the body as JSON with Content-Type: application/json");
  }
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return Problem(400, ProblemType::kInvalidJson,
                   core::Cat("the body is not valid JSON (error at byte ", e.byte,
                             "); send an object like {\"text\": \"...\"}"));
  }
  if (!body.is_object()) {
    return Problem(400, ProblemType::kInvalidJson,
                   "the body must be a JSON object like {\"text\": \"...\"}");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "text" && key != "context" && key != "platform" && key != "id" &&
        key != "redact") {
      return Problem(422, ProblemType::kInvalidField,
                     "unknown field; the fields are text, context, platform, id and redact",
                     key.size() <= 64 ? std::string_view(key) : std::string_view("(long name)"));
    }
  }
  const auto text_it = body.find("text");
  if (text_it == body.end() || !text_it->is_string()) {
    return Problem(422, ProblemType::kInvalidField, "field 'text' is required and must be a string",
                   "text");
  }
  const std::string& text = text_it->get_ref<const std::string&>();
  if (text.size() > options_.max_text_bytes) {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field 'text' is longer than ", options_.max_text_bytes,
                             " bytes; split it"),
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
  return JsonResponse(200, std::move(out));
}

}  // namespace carepost::http
