#include "http/account_api.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "core/strings.h"
#include "http/json_body.h"
#include "http/problem.h"
#include "http/session_auth.h"

namespace carepost::http {

namespace {

using nlohmann::json;

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 200;

domain::Actor ActorOf(const Request& r) {
  return domain::Actor{.user_id = r.principal->user_id,
                       .name = r.principal->email,
                       .from_address = r.client_address};
}

json GrantsJson(const domain::Grants& grants) {
  json roles = json::array();
  for (const domain::RoleGrant& g : domain::GrantList(grants)) {
    roles.push_back({{"role", domain::RoleName(g.role)},
                     {"brand_id", OptionalJson(g.brand_id)}});
  }
  return roles;
}

json UserJson(const domain::User& u, const domain::Grants& grants) {
  return {{"id", u.id},
          {"email", u.email},
          {"display_name", u.display_name},
          {"created_at", Rfc3339(u.created_at)},
          {"disabled", u.disabled_at.has_value()},
          {"roles", GrantsJson(grants)}};
}

// limit and cursor query parameters; a problem when either is malformed.
struct Page {
  int64_t limit = kDefaultLimit;
  int64_t cursor = 0;
};
std::optional<Response> ParsePage(const Request& r, Page* page) {
  if (auto v = QueryParam(r.query, "limit")) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(*v, &n) || n < 1 || n > kMaxLimit) {
      return Problem(422, ProblemType::kInvalidField,
                     core::Cat("limit must be a whole number from 1 to ", kMaxLimit), "limit");
    }
    page->limit = n;
  }
  if (auto v = QueryParam(r.query, "cursor"); v && !v->empty()) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(*v, &n) || n < 1) {
      return Problem(422, ProblemType::kInvalidField,
                     "cursor must be the next_cursor of the previous page", "cursor");
    }
    page->cursor = n;
  }
  return std::nullopt;
}

// The roles field of a request: a list of {role, brand_id?}, brands of `org`.
std::optional<Response> ParseRoles(const json& value, const domain::Organization& org,
                                   std::vector<domain::RoleGrant>* out) {
  if (!value.is_array()) {
    return Problem(422, ProblemType::kInvalidField,
                   "roles must be a list of {\"role\": ..., \"brand_id\": ...}", "roles");
  }
  std::set<int64_t> brands;
  for (const domain::Brand& b : org.brands) brands.insert(b.id);
  for (const json& item : value) {
    if (!item.is_object() || !item.contains("role") || !item["role"].is_string()) {
      return Problem(422, ProblemType::kInvalidField, "each role needs a \"role\" name", "roles");
    }
    for (const auto& [key, v] : item.items()) {
      if (key != "role" && key != "brand_id") {
        return Problem(422, ProblemType::kInvalidField,
                       "a role entry has only the fields role and brand_id", "roles");
      }
    }
    std::optional<domain::Role> role = domain::ParseRole(item["role"].get<std::string>());
    if (!role) {
      return Problem(422, ProblemType::kInvalidField,
                     "unknown role; the roles are admin, manager, author, clinical_reviewer, "
                     "compliance, responder, analyst",
                     "roles");
    }
    domain::RoleGrant g{.role = *role};
    if (auto b = item.find("brand_id"); b != item.end() && !b->is_null()) {
      if (!b->is_number_integer() || brands.count(b->get<int64_t>()) == 0) {
        return Problem(422, ProblemType::kInvalidField,
                       "brand_id must be the id of one of your organization's brands (GET "
                       "/api/v1/organization lists them), or null for organization-wide",
                       "roles");
      }
      g.brand_id = b->get<int64_t>();
    }
    out->push_back(g);
  }
  return std::nullopt;
}

struct State {
  AccountApiOptions options;

  // The user `id` of the principal's organization, or a problem.
  absl::StatusOr<domain::User> UserOfOrganization(const Request& r, int64_t id) {
    absl::StatusOr<domain::User> user = options.users->GetUser(id);
    if (!user.ok() || user->organization_id != r.principal->organization_id) {
      return absl::NotFoundError(core::Cat("no user with id ", id, " in your organization"));
    }
    return user;
  }

  Response UserResponse(int status, int64_t id) {
    absl::StatusOr<domain::User> user = options.users->GetUser(id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    absl::StatusOr<domain::Grants> grants = options.users->GetGrants(id);
    if (!grants.ok()) return ProblemFromStatus(grants.status());
    return JsonValueResponse(status, UserJson(*user, *grants));
  }

  Response SessionInfo(int status, int64_t user_id, const domain::Grants& grants,
                       std::string_view token, absl::Time expires_at) {
    absl::StatusOr<domain::User> user = options.users->GetUser(user_id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    json actions = json::array();
    for (const domain::Permission& p : domain::AllPermissions()) {
      if (domain::AllowedSomewhere(grants, p.action)) actions.push_back(p.action);
    }
    return JsonValueResponse(status, {{"user", UserJson(*user, grants)},
                                      {"organization_id", user->organization_id},
                                      {"csrf_token", options.sessions->CsrfToken(token)},
                                      {"expires_at", Rfc3339(expires_at)},
                                      {"actions", std::move(actions)}});
  }

  bool OriginAllowed(const Request& r) const {
    const std::string_view origin = r.Header("origin");
    if (origin.empty()) return true;  // not a browser cross-site request
    if (!options.public_origin.empty()) return origin == options.public_origin;
    const std::string_view host = r.Header("host");
    return origin == core::Cat("http://", host) || origin == core::Cat("https://", host);
  }

  Response SignIn(Request& r) {
    if (!OriginAllowed(r)) {
      return Problem(403, ProblemType::kForbidden,
                     "sign in from carepost's own page (cross-site sign-in is refused)");
    }
    json body;
    if (auto refused = ParseJsonObject(r, {"email", "password"}, &body)) return *refused;
    for (const char* field : {"email", "password"}) {
      if (!body.contains(field) || !body[field].is_string()) {
        return Problem(422, ProblemType::kInvalidField,
                       core::Cat("field '", field, "' is required and must be a string"), field);
      }
    }
    absl::StatusOr<domain::NewSession> s = options.sessions->SignIn(
        body["email"].get<std::string>(), body["password"].get<std::string>(), r.client_address,
        r.Header("user-agent").substr(0, 256));
    if (!s.ok()) return ProblemFromStatus(s.status());
    absl::StatusOr<domain::Grants> grants = options.users->GetGrants(s->user_id);
    if (!grants.ok()) return ProblemFromStatus(grants.status());
    Response out = SessionInfo(201, s->user_id, *grants, s->token, s->expires_at);
    out.SetHeader("Set-Cookie", SessionCookie(s->token, s->expires_at, options.secure_cookies));
    return out;
  }

  Response SignOut(Request& r) {
    if (absl::Status s = options.sessions->SignOut(r.principal->session_token, r.client_address);
        !s.ok()) {
      return ProblemFromStatus(s);
    }
    Response out;
    out.status = 204;
    out.content_type.clear();
    out.SetHeader("Set-Cookie", SessionCookie("", absl::InfinitePast(), options.secure_cookies));
    return out;
  }

  Response Organization(Request& r) {
    absl::StatusOr<domain::Organization> org =
        options.users->GetOrganization(r.principal->organization_id);
    if (!org.ok()) return ProblemFromStatus(org.status());
    json brands = json::array();
    for (const domain::Brand& b : org->brands) {
      brands.push_back({{"id", b.id}, {"name", b.name}, {"slug", b.slug}});
    }
    return JsonValueResponse(
        200, {{"id", org->id}, {"name", org->name}, {"slug", org->slug}, {"brands", brands}});
  }

  Response CreateBrand(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(r, {"name", "slug"}, &body)) return *refused;
    for (const char* field : {"name", "slug"}) {
      if (!body.contains(field) || !body[field].is_string()) {
        return Problem(422, ProblemType::kInvalidField,
                       core::Cat("field '", field, "' is required and must be a string"), field);
      }
    }
    const std::string name = body["name"].get<std::string>();
    const std::string slug = body["slug"].get<std::string>();
    absl::StatusOr<int64_t> id =
        options.users->CreateBrand(ActorOf(r), r.principal->organization_id, name, slug);
    if (!id.ok()) return ProblemFromStatus(id.status(), "slug");
    return JsonValueResponse(201, {{"id", *id}, {"name", name}, {"slug", slug}});
  }

  Response ListUsers(Request& r) {
    Page page;
    if (auto refused = ParsePage(r, &page)) return *refused;
    absl::StatusOr<std::vector<domain::User>> users =
        options.users->ListUsers(r.principal->organization_id, page.cursor, page.limit + 1);
    if (!users.ok()) return ProblemFromStatus(users.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < users->size(); ++i) {
      const domain::User& u = (*users)[i];
      if (static_cast<int64_t>(i) == page.limit) {
        next = core::Cat((*users)[i - 1].id);
        break;
      }
      absl::StatusOr<domain::Grants> grants = options.users->GetGrants(u.id);
      if (!grants.ok()) return ProblemFromStatus(grants.status());
      items.push_back(UserJson(u, *grants));
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response CreateUser(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(r, {"email", "display_name", "password", "roles"}, &body)) {
      return *refused;
    }
    for (const char* field : {"email", "display_name", "password"}) {
      if (!body.contains(field) || !body[field].is_string()) {
        return Problem(422, ProblemType::kInvalidField,
                       core::Cat("field '", field, "' is required and must be a string"), field);
      }
    }
    absl::StatusOr<domain::Organization> org =
        options.users->GetOrganization(r.principal->organization_id);
    if (!org.ok()) return ProblemFromStatus(org.status());
    std::vector<domain::RoleGrant> roles;
    if (body.contains("roles")) {
      if (auto refused = ParseRoles(body["roles"], *org, &roles)) return *refused;
    }
    // Check the password before anything is written, so a weak one creates nothing.
    const std::string password = body["password"].get<std::string>();
    const domain::PasswordOptions& po = options.users->password_options();
    if (password.size() < po.min_length || password.size() > po.max_length) {
      return Problem(422, ProblemType::kInvalidField,
                     core::Cat("password must be ", po.min_length, " to ", po.max_length,
                               " characters long"),
                     "password");
    }
    const domain::Actor actor = ActorOf(r);
    absl::StatusOr<int64_t> id = options.users->CreateUser(
        actor, {.organization_id = r.principal->organization_id,
                .email = body["email"].get<std::string>(),
                .display_name = body["display_name"].get<std::string>(),
                .password = password});
    if (!id.ok()) {
      const std::string msg(id.status().message());
      return ProblemFromStatus(id.status(), msg.find("display name") != std::string::npos
                                                ? "display_name"
                                            : msg.find("password") != std::string::npos
                                                ? "password"
                                                : "email");
    }
    if (absl::Status s = options.users->ReplaceGrants(actor, *id, roles); !s.ok()) {
      return ProblemFromStatus(s, "roles");
    }
    return UserResponse(201, *id);
  }

  Response GetUser(Request& r) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(r.path_params["id"], &id)) {
      return Problem(404, ProblemType::kNotFound, "user ids are whole numbers");
    }
    absl::StatusOr<domain::User> user = UserOfOrganization(r, id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    return UserResponse(200, id);
  }

  Response PatchUser(Request& r) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(r.path_params["id"], &id)) {
      return Problem(404, ProblemType::kNotFound, "user ids are whole numbers");
    }
    absl::StatusOr<domain::User> user = UserOfOrganization(r, id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    json body;
    if (auto refused = ParseJsonObject(r, {"display_name", "disabled", "roles"}, &body)) {
      return *refused;
    }
    const bool self = id == r.principal->user_id;
    std::optional<std::vector<domain::RoleGrant>> roles;
    if (body.contains("roles")) {
      absl::StatusOr<domain::Organization> org =
          options.users->GetOrganization(r.principal->organization_id);
      if (!org.ok()) return ProblemFromStatus(org.status());
      roles.emplace();
      if (auto refused = ParseRoles(body["roles"], *org, &*roles)) return *refused;
      if (self && std::find(roles->begin(), roles->end(),
                            domain::RoleGrant{.role = domain::Role::kAdmin}) == roles->end()) {
        return Problem(422, ProblemType::kInvalidField,
                       "you cannot remove your own organization-wide admin role; ask another "
                       "administrator",
                       "roles");
      }
    }
    if (body.contains("display_name") && !body["display_name"].is_string()) {
      return Problem(422, ProblemType::kInvalidField, "display_name must be a string",
                     "display_name");
    }
    if (body.contains("disabled")) {
      if (!body["disabled"].is_boolean()) {
        return Problem(422, ProblemType::kInvalidField, "disabled must be true or false",
                       "disabled");
      }
      if (self && body["disabled"].get<bool>()) {
        return Problem(422, ProblemType::kInvalidField, "you cannot disable your own account",
                       "disabled");
      }
    }
    const domain::Actor actor = ActorOf(r);
    if (body.contains("display_name")) {
      if (absl::Status s =
              options.users->SetDisplayName(actor, id, body["display_name"].get<std::string>());
          !s.ok()) {
        return ProblemFromStatus(s, "display_name");
      }
    }
    if (roles) {
      if (absl::Status s = options.users->ReplaceGrants(actor, id, *roles); !s.ok()) {
        return ProblemFromStatus(s, "roles");
      }
    }
    if (body.contains("disabled")) {
      absl::Status s = body["disabled"].get<bool>() ? options.users->DisableUser(actor, id)
                                                    : options.users->EnableUser(actor, id);
      if (!s.ok()) return ProblemFromStatus(s, "disabled");
    }
    return UserResponse(200, id);
  }

  // since/until/actor/action filters shared by the list and the export.
  std::optional<Response> ParseAuditFilter(const Request& r, domain::AuditQuery* q) {
    for (const char* name : {"since", "until"}) {
      if (auto v = QueryParam(r.query, name); v && !v->empty()) {
        std::optional<absl::Time> t = ParseRfc3339(*v);
        if (!t) {
          return Problem(422, ProblemType::kInvalidField,
                         core::Cat(name, " must be a date (2026-12-04) or an RFC 3339 time "
                                         "(2026-12-04T09:00:00Z)"),
                         name);
        }
        (std::string_view(name) == "since" ? q->since : q->until) = *t;
      }
    }
    if (auto v = QueryParam(r.query, "actor")) q->actor = *v;
    if (auto v = QueryParam(r.query, "action")) q->action = *v;
    q->organization_id = r.principal->organization_id;
    return std::nullopt;
  }

  Response ListAudit(Request& r) {
    Page page;
    if (auto refused = ParsePage(r, &page)) return *refused;
    domain::AuditQuery q{.before_seq = page.cursor, .limit = page.limit + 1};
    if (auto refused = ParseAuditFilter(r, &q)) return *refused;
    absl::StatusOr<std::vector<domain::AuditEvent>> events = options.audit->Query(q);
    if (!events.ok()) return ProblemFromStatus(events.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < events->size(); ++i) {
      if (static_cast<int64_t>(i) == page.limit) {
        next = core::Cat((*events)[i - 1].seq);
        break;
      }
      const domain::AuditEvent& e = (*events)[i];
      json details = json::parse(e.entry.details, nullptr, false);
      items.push_back({{"seq", e.seq},
                       {"at", Rfc3339(e.at)},
                       {"actor", e.entry.actor},
                       {"action", e.entry.action},
                       {"record_type", e.entry.record_type},
                       {"record_id", e.entry.record_id},
                       {"from_address", e.entry.from_address},
                       {"details", details.is_object() ? details : json::object()}});
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response ExportAudit(Request& r) {
    const std::optional<std::string> format = QueryParam(r.query, "format");
    if (!format || (*format != "csv" && *format != "jsonl")) {
      return Problem(422, ProblemType::kInvalidField, "format must be csv or jsonl", "format");
    }
    domain::AuditQuery q;
    if (auto refused = ParseAuditFilter(r, &q)) return *refused;
    Response out;
    absl::StatusOr<int64_t> n = options.audit->Export(
        q.since.value_or(absl::UnixEpoch()),
        *format == "csv" ? domain::ExportFormat::kCsv : domain::ExportFormat::kJsonl,
        [&out](std::string_view chunk) { out.body.append(chunk); }, q.organization_id);
    if (!n.ok()) return ProblemFromStatus(n.status());
    out.content_type = *format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    out.SetHeader("Content-Disposition",
                  core::Cat("attachment; filename=\"carepost-audit.", *format, "\""));
    return out;
  }

  Response VerifyAudit(Request&) {
    absl::StatusOr<domain::AuditVerifyReport> report = options.audit->Verify();
    if (!report.ok()) return ProblemFromStatus(report.status());
    return JsonValueResponse(200, {{"ok", report->ok},
                                   {"events_checked", report->events_checked},
                                   {"checkpoints_checked", report->checkpoints_checked},
                                   {"first_broken_seq", report->first_broken_seq},
                                   {"problem", report->problem},
                                   {"warning", report->warning}});
  }
};

}  // namespace

void AddAccountRoutes(App& app, AccountApiOptions options) {
  auto state = std::make_shared<State>(State{std::move(options)});
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("POST", "/api/v1/session", Access::Public(), bind(&State::SignIn));
  app.Add("GET", "/api/v1/session", Access::SignedIn(), [state](Request& r) {
    return state->SessionInfo(200, r.principal->user_id, r.principal->grants,
                              r.principal->session_token, r.principal->session_expires_at);
  });
  app.Add("DELETE", "/api/v1/session", Access::SignedIn(), bind(&State::SignOut));
  app.Add("GET", "/api/v1/organization", Access::Action("org.read"), bind(&State::Organization));
  app.Add("POST", "/api/v1/brands", Access::Action("org.manage", /*idempotent=*/true),
          bind(&State::CreateBrand));
  app.Add("GET", "/api/v1/users", Access::Action("users.read"), bind(&State::ListUsers));
  app.Add("POST", "/api/v1/users", Access::Action("users.manage", /*idempotent=*/true),
          bind(&State::CreateUser));
  app.Add("GET", "/api/v1/users/{id}", Access::Action("users.read"), bind(&State::GetUser));
  app.Add("PATCH", "/api/v1/users/{id}", Access::Action("users.manage"), bind(&State::PatchUser));
  app.Add("GET", "/api/v1/audit", Access::Action("audit.read"), bind(&State::ListAudit));
  app.Add("GET", "/api/v1/audit/export", Access::Action("audit.export"),
          bind(&State::ExportAudit));
  app.Add("POST", "/api/v1/audit/verify", Access::Action("audit.verify"),
          bind(&State::VerifyAudit));
}

}  // namespace carepost::http
