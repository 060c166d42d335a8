#include "http/authorization_api.h"

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

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 200;

// The field a domain message is about: its first word, when it names a request field.
std::string_view FieldOf(const absl::Status& s) {
  static constexpr std::string_view kFields[] = {"brand_id",  "patient_name", "details", "scope",
                                                 "media_ids", "expires_at",   "reason",  "form"};
  return FieldNamed(s, kFields);
}

Response Fail(const absl::Status& s) { return ProblemFromStatus(s, FieldOf(s)); }

json AuthorizationJson(const domain::PatientAuthorization& a, const domain::Caller& caller,
                       absl::Time now) {
  json form = nullptr;
  if (a.form) {
    form = {{"content_type", a.form->content_type},
            {"bytes", a.form->bytes},
            {"uploaded_at", Rfc3339(a.form->uploaded_at)},
            {"url", core::Cat("/api/v1/authorizations/", a.id, "/form")}};
  }
  const bool manager = caller.Can("authorizations.manage", a.brand_id);
  return {{"id", a.id},
          {"brand_id", a.brand_id},
          {"patient_name", a.patient_name},
          {"details", a.details},
          {"scope", a.scope},
          {"media_ids", a.media_ids},
          {"expires_at", Rfc3339(a.expires_at)},
          {"status", domain::AuthorizationStatusName(a.StatusAt(now))},
          {"form", form},
          {"recorded_by", OptionalJson(a.recorded_by)},
          {"created_at", Rfc3339(a.created_at)},
          {"revoked_at", OptionalTimeJson(a.revoked_at)},
          {"revoked_by", OptionalJson(a.revoked_by)},
          {"revoke_reason", manager && a.revoked_at ? json(a.revoke_reason) : json(nullptr)}};
}

std::optional<Response> IdListField(const json& body, const char* field,
                                    std::vector<int64_t>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto bad = [&] {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field '", field, "' must be a list of ids"), field);
  };
  if (!it->is_array()) return bad();
  for (const json& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() < 1) return bad();
    out->push_back(v.get<int64_t>());
  }
  return std::nullopt;
}

struct State {
  AuthorizationApiOptions options;

  // The time statuses are judged at (the injected clock).
  absl::Time Now() const {
    return options.clock != nullptr ? options.clock->Now() : core::SystemClock::Get().Now();
  }

  Response One(int status, const domain::Caller& caller,
               const absl::StatusOr<domain::PatientAuthorization>& a, absl::Time now) {
    if (!a.ok()) return Fail(a.status());
    return JsonValueResponse(status, AuthorizationJson(*a, caller, now));
  }

  Response List(Request& r) {
    domain::AuthorizationQuery q;
    int64_t limit = kDefaultLimit;
    if (auto v = QueryParam(r.query, "limit")) {
      if (!absl::SimpleAtoi(*v, &limit) || limit < 1 || limit > kMaxLimit) {
        return Problem(422, ProblemType::kInvalidField,
                       core::Cat("limit must be a whole number from 1 to ", kMaxLimit), "limit");
      }
    }
    if (auto v = QueryParam(r.query, "cursor"); v && !v->empty()) {
      if (!absl::SimpleAtoi(*v, &q.after_id) || q.after_id < 1) {
        return Problem(422, ProblemType::kInvalidField,
                       "cursor must be the next_cursor of the previous page", "cursor");
      }
    }
    if (auto v = QueryParam(r.query, "brand_id"); v && !v->empty()) {
      int64_t brand = 0;
      if (!absl::SimpleAtoi(*v, &brand) || brand < 1) {
        return Problem(422, ProblemType::kInvalidField, "brand_id must be an id", "brand_id");
      }
      q.brand_id = brand;
    }
    if (auto v = QueryParam(r.query, "status"); v && !v->empty()) {
      if (*v != "valid") {
        return Problem(422, ProblemType::kInvalidField,
                       "status=valid lists only the authorizations a post can rely on now",
                       "status");
      }
      q.valid_only = true;
    }
    q.limit = limit + 1;
    const domain::Caller caller = CallerOf(r);
    const absl::Time now = Now();
    absl::StatusOr<std::vector<domain::PatientAuthorization>> list =
        options.authorizations->List(caller, q);
    if (!list.ok()) return Fail(list.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < list->size(); ++i) {
      if (static_cast<int64_t>(i) == limit) {
        next = core::Cat((*list)[i - 1].id);
        break;
      }
      items.push_back(AuthorizationJson((*list)[i], caller, now));
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response Create(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(
            r, {"brand_id", "patient_name", "details", "scope", "media_ids", "expires_at"},
            &body)) {
      return *refused;
    }
    domain::NewAuthorization a;
    auto brand = body.find("brand_id");
    if (brand == body.end() || !brand->is_number_integer() || brand->get<int64_t>() < 1) {
      return Problem(422, ProblemType::kInvalidField, "field 'brand_id' is required: an id",
                     "brand_id");
    }
    a.brand_id = brand->get<int64_t>();
    for (const auto& [field, target] :
         {std::pair<const char*, std::string*>{"patient_name", &a.patient_name},
          {"scope", &a.scope}}) {
      auto it = body.find(field);
      if (it == body.end() || !it->is_string()) {
        return Problem(422, ProblemType::kInvalidField,
                       core::Cat("field '", field, "' is required and must be a string"), field);
      }
      *target = it->get<std::string>();
    }
    if (auto it = body.find("details"); it != body.end() && !it->is_null()) {
      bool ok = it->is_array();
      for (const json& d : ok ? *it : json::array()) {
        ok = ok && d.is_string();
        if (ok) a.details.push_back(d.get<std::string>());
      }
      if (!ok) {
        return Problem(422, ProblemType::kInvalidField,
                       "field 'details' must be a list of strings (aliases, hometown, condition, "
                       "...)",
                       "details");
      }
    }
    if (auto refused = IdListField(body, "media_ids", &a.media_ids)) return *refused;
    std::optional<absl::Time> expires;
    if (auto it = body.find("expires_at"); it != body.end() && it->is_string()) {
      expires = ParseRfc3339(it->get<std::string>());
    }
    if (!expires) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'expires_at' is required: an RFC 3339 time with an offset "
                     "(2027-06-30T23:59:59Z)",
                     "expires_at");
    }
    a.expires_at = *expires;
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<int64_t> id = options.authorizations->Record(caller, a);
    if (!id.ok()) return Fail(id.status());
    Response out = One(201, caller, options.authorizations->Get(caller, *id), Now());
    out.SetHeader("Location", core::Cat("/api/v1/authorizations/", *id));
    return out;
  }

  Response Get(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    const domain::Caller caller = CallerOf(r);
    return One(200, caller, options.authorizations->Get(caller, id), Now());
  }

  Response PutForm(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    if (r.body.empty()) {
      return Problem(422, ProblemType::kInvalidField,
                     "the request body must be the signed form (PDF, or a JPEG or PNG scan)",
                     "body");
    }
    if (absl::StatusOr<std::string> type = domain::SniffAuthorizationForm(r.body); !type.ok()) {
      return Problem(415, ProblemType::kUnsupportedMedia, std::string(type.status().message()),
                     "body");
    }
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<domain::PatientAuthorization> a =
        options.authorizations->AttachForm(caller, id, r.body);
    if (!a.ok() && a.status().code() == absl::StatusCode::kOutOfRange) {
      return Problem(413, ProblemType::kBodyTooLarge, std::string(a.status().message()));
    }
    return One(200, caller, a, Now());
  }

  Response GetForm(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<domain::AuthorizationFormContent> form =
        options.authorizations->Form(CallerOf(r), id);
    if (!form.ok()) return Fail(form.status());
    Response out;
    out.status = 200;
    out.content_type = form->content_type;
    out.body = std::move(form->bytes);
    const std::string_view ext = form->content_type == "application/pdf" ? "pdf"
                                 : form->content_type == "image/png"     ? "png"
                                                                         : "jpg";
    out.SetHeader("Content-Disposition",
                  core::Cat("attachment; filename=\"authorization-", id, ".", ext, "\""));
    out.SetHeader("X-Content-Type-Options", "nosniff");
    return out;
  }

  Response Revoke(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r, {"reason"}, &body)) return *refused;
    auto it = body.find("reason");
    if (it == body.end() || !it->is_string()) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'reason' is required: why the authorization is revoked", "reason");
    }
    const domain::Caller caller = CallerOf(r);
    return One(200, caller, options.authorizations->Revoke(caller, id, it->get<std::string>()),
               Now());
  }
};

}  // namespace

bool IsAuthorizationFormUpload(std::string_view method, std::string_view path) {
  constexpr std::string_view kPrefix = "/api/v1/authorizations/";
  constexpr std::string_view kSuffix = "/form";
  return method == "PUT" && path.size() > kPrefix.size() + kSuffix.size() &&
         path.substr(0, kPrefix.size()) == kPrefix &&
         path.substr(path.size() - kSuffix.size()) == kSuffix;
}

void AddAuthorizationRoutes(App& app, AuthorizationApiOptions options) {
  auto state = std::make_shared<State>();
  state->options = options;
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("GET", "/api/v1/authorizations", Access::Action("authorizations.read"),
          bind(&State::List));
  // Not idempotent on purpose: the idempotency store keeps the first answer in the clear,
  // and this one names the patient.
  app.Add("POST", "/api/v1/authorizations", Access::Action("authorizations.manage"),
          bind(&State::Create));
  app.Add("GET", "/api/v1/authorizations/{id}", Access::Action("authorizations.read"),
          bind(&State::Get));
  app.Add("PUT", "/api/v1/authorizations/{id}/form", Access::Action("authorizations.manage"),
          bind(&State::PutForm));
  app.Add("GET", "/api/v1/authorizations/{id}/form", Access::Action("authorizations.manage"),
          bind(&State::GetForm));
  app.Add("POST", "/api/v1/authorizations/{id}/revoke", Access::Action("authorizations.manage"),
          bind(&State::Revoke));
}

}  // namespace carepost::http
