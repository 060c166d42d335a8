#include "http/media_api.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "core/strings.h"
#include "http/json_body.h"
#include "http/problem.h"
#include "http/route_helpers.h"

namespace carepost::http {
namespace {

using nlohmann::json;

json MediaJson(const domain::Media& m) {
  json platforms = json::array();
  for (const domain::PlatformFit& fit : domain::MediaFitness(m)) {
    platforms.push_back({{"platform", fit.platform},
                         {"fits", fit.fits},
                         {"reason", fit.fits ? json(nullptr) : json(fit.reason)}});
  }
  return {{"id", m.id},
          {"brand_id", m.brand_id},
          {"uploaded_by", OptionalJson(m.uploaded_by)},
          {"content_type", plan::MediaTypeMime(m.type)},
          {"kind", plan::IsVideo(m.type) ? "video" : "image"},
          {"bytes", m.bytes},
          {"width", OptionalJson(m.width)},
          {"height", OptionalJson(m.height)},
          {"filename", m.filename},
          {"sha256", m.sha256},
          {"metadata_stripped", m.metadata_stripped},
          {"content_url", core::Cat("/api/v1/media/", m.id, "/content")},
          {"platforms", platforms},
          {"created_at", Rfc3339(m.created_at)}};
}

Response NoContent() {
  Response out;
  out.status = 204;
  out.content_type.clear();
  return out;
}

struct State {
  MediaApiOptions options;

  Response Upload(Request& r) {
    int64_t brand = 0;
    std::optional<std::string> brand_text = QueryParam(r.query, "brand_id");
    if (!brand_text || !absl::SimpleAtoi(*brand_text, &brand) || brand < 1) {
      return Problem(422, ProblemType::kInvalidField,
                     "brand_id is required in the query: the brand the upload is for", "brand_id");
    }
    const std::string filename = QueryParam(r.query, "filename").value_or("");
    if (r.body.empty()) {
      return Problem(422, ProblemType::kInvalidField,
                     "the request body must be the file (JPEG, PNG, GIF, WebP, MP4 or MOV)",
                     "body");
    }
    // The type by content; refused before anything else looks at the bytes.
    if (absl::StatusOr<plan::MediaType> type = plan::SniffMedia(r.body); !type.ok()) {
      return Problem(415, ProblemType::kUnsupportedMedia, std::string(type.status().message()),
                     "body");
    }
    absl::StatusOr<domain::Uploaded> up =
        options.media->Upload(CallerOf(r), brand, r.body, filename);
    if (!up.ok()) {
      if (up.status().code() == absl::StatusCode::kOutOfRange) {
        return Problem(413, ProblemType::kBodyTooLarge, std::string(up.status().message()));
      }
      const bool brand_problem = up.status().code() == absl::StatusCode::kNotFound;
      return ProblemFromStatus(up.status(), brand_problem ? "brand_id" : "body");
    }
    json body = MediaJson(up->media);
    body["metadata_removed"] = up->metadata_removed;
    Response out = JsonValueResponse(201, body);
    out.SetHeader("Location", core::Cat("/api/v1/media/", up->media.id));
    return out;
  }

  Response Get(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<domain::Media> m = options.media->Get(CallerOf(r), id);
    if (!m.ok()) return ProblemFromStatus(m.status(), {});
    return JsonValueResponse(200, MediaJson(*m));
  }

  Response Content(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<domain::Media> m = options.media->Get(caller, id);
    if (!m.ok()) return ProblemFromStatus(m.status(), {});
    absl::StatusOr<std::string> bytes = options.media->Content(caller, id);
    if (!bytes.ok()) return ProblemFromStatus(bytes.status(), {});
    Response out;
    out.status = 200;
    out.content_type = std::string(plan::MediaTypeMime(m->type));
    out.body = std::move(*bytes);
    // The name is sanitized ([A-Za-z0-9._-]), so it needs no quoting beyond the quotes.
    out.SetHeader("Content-Disposition", core::Cat("inline; filename=\"", m->filename, "\""));
    out.SetHeader("X-Content-Type-Options", "nosniff");
    out.SetHeader("Cache-Control", "private, max-age=3600");
    return out;
  }

  Response Delete(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    if (absl::Status s = options.media->Delete(CallerOf(r), id); !s.ok()) {
      return ProblemFromStatus(s, {});
    }
    return NoContent();
  }
};

}  // namespace

void AddMediaRoutes(App& app, MediaApiOptions options) {
  auto state = std::make_shared<State>();
  state->options = options;
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("POST", std::string(kMediaUploadPath), Access::Action("posts.draft", /*idempotent=*/true),
          bind(&State::Upload));
  app.Add("GET", "/api/v1/media/{id}", Access::Action("posts.read"), bind(&State::Get));
  app.Add("GET", "/api/v1/media/{id}/content", Access::Action("posts.read"), bind(&State::Content));
  app.Add("DELETE", "/api/v1/media/{id}", Access::Action("posts.draft"), bind(&State::Delete));
}

}  // namespace carepost::http
