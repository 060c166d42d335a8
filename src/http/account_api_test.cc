// The HTTP API for sign-in, users, organization and audit, end to end: a real server on
// loopback, real domain services on SQLite and PostgreSQL. Includes the authorization
// matrix (every route of the whole API, plan routes included, x every role, allowed and
// denied, read from the permission table) and the check that every route is in
// docs/openapi.yaml and answers as it says.
#include "http/account_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/clock.h"
#include "domain/testing_db.h"
#include "guard/screener_testing.h"
#include "http/api_testing.h"
#include "http/idempotency_store.h"
#include "http/observance_api.h"
#include "http/server.h"
#include "http/session_auth.h"
#include "http/test_client.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::HasSubstr;
using testing::kPassword;
using ::testing::Not;
using testing::TestConnection;
using testing::TestResponse;

class AccountApiTest : public testing::ApiTest {};

INSTANTIATE_TEST_SUITE_P(Backends, AccountApiTest,
                         ::testing::Values(domain::testing::Backend::kSqliteMemory,
                                           domain::testing::Backend::kPostgres),
                         domain::testing::BackendName);

TEST_P(AccountApiTest, SignInSetsAStrictHttpOnlySecureCookie) {
  const TestResponse r =
      Send("POST", "/api/v1/session",
           json{{"email", " Admin@Example.org "}, {"password", kPassword}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string cookie = r.Header("set-cookie");
  EXPECT_THAT(cookie, HasSubstr("carepost_session="));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, HasSubstr("Secure"));
  EXPECT_THAT(cookie, HasSubstr("Path=/"));
  const json j = json::parse(r.body);
  EXPECT_EQ(j["user"]["email"], "admin@example.org");
  EXPECT_EQ(j["organization_id"], org_);
  EXPECT_EQ(j["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_THAT(j["actions"], ::testing::Contains("users.manage"));
  // The password never reaches the log or the audit trail.
  EXPECT_THAT(log_.str(), Not(HasSubstr(kPassword)));
}

TEST_P(AccountApiTest, WrongCredentialsAreVagueAndThrottled) {
  AddUser("ann@example.org", domain::Role::kAuthor, cardiology_);
  for (const auto& [email, password] : std::vector<std::pair<std::string, std::string>>{
           {"ann@example.org", "wrong password!!"}, {"nobody@example.org", kPassword}}) {
    const TestResponse r =
        Send("POST", "/api/v1/session", json{{"email", email}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(json::parse(r.body)["detail"], "email or password is incorrect");
    EXPECT_TRUE(r.Header("set-cookie").empty());
  }
  for (int i = 0; i < 3; ++i) {
    Send("POST", "/api/v1/session",
         json{{"email", "ann@example.org"}, {"password", "wrong password!!"}}.dump());
  }
  const TestResponse r = Send("POST", "/api/v1/session",
                              json{{"email", "ann@example.org"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body)["type"], "urn:carepost:problem:too-many-requests");
  EXPECT_FALSE(r.Header("retry-after").empty());
}

TEST_P(AccountApiTest, CrossSiteSignInIsRefused) {
  const std::string body = json{{"email", "admin@example.org"}, {"password", kPassword}}.dump();
  EXPECT_EQ(
      Send("POST", "/api/v1/session", body, nullptr, "Origin: https://evil.example\r\n").status,
      403);
  EXPECT_EQ(Send("POST", "/api/v1/session", body, nullptr, "Origin: http://127.0.0.1\r\n").status,
            201);
}

TEST_P(AccountApiTest, EveryProtectedRouteNeedsASessionAndStateChangesNeedTheCsrfToken) {
  const Client admin = SignIn("admin@example.org");
  for (const App::RouteInfo& route : app_->routes()) {
    if (route.access.kind == Access::Kind::kPublic) continue;
    std::string target = route.pattern;
    if (auto p = target.find("{id}"); p != std::string::npos) target.replace(p, 4, "1");
    const std::string body = route.method == "GET" ? "" : "{}";
    // No cookie; a made-up cookie.
    EXPECT_EQ(Send(route.method, target, body).status, 401) << route.method << " " << target;
    Client forged = admin;
    forged.cookie = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    EXPECT_EQ(Send(route.method, target, body, &forged).status, 401) << target;
    if (route.method == "GET") continue;
    // The session's cookie without the CSRF token, or with another session's token.
    Client no_csrf = admin;
    no_csrf.csrf = "";
    TestResponse r = Send(route.method, target, body, &no_csrf);
    EXPECT_EQ(r.status, 403) << route.method << " " << target;
    EXPECT_EQ(json::parse(r.body)["type"], "urn:carepost:problem:csrf") << target;
    Client wrong = admin;
    wrong.csrf = SignIn("admin@example.org").csrf;
    EXPECT_EQ(Send(route.method, target, body, &wrong).status, 403) << target;
  }
}

// Every route x every role: a user holding only that role (organization-wide) is refused
// with 403 exactly when the permission table says the role may not perform the route's
// action. An author granted for one brand is checked too.
TEST_P(AccountApiTest, AuthorizationMatrix) {
  std::vector<std::pair<std::string, domain::Grants>> people;
  for (domain::Role role : domain::AllRoles()) {
    const std::string email = std::string(domain::RoleName(role)) + "@matrix.example.org";
    AddUser(email, role);
    domain::Grants g;
    g.organization.insert(role);
    people.emplace_back(email, g);
  }
  AddUser("cardio-author@example.org", domain::Role::kAuthor, cardiology_);
  domain::Grants cardio;
  cardio.brand.insert({cardiology_, domain::Role::kAuthor});
  people.emplace_back("cardio-author@example.org", cardio);

  int allowed = 0, denied = 0;
  for (const auto& [email, grants] : people) {
    const Client c = SignIn(email);
    for (const App::RouteInfo& route : app_->routes()) {
      if (route.access.kind != Access::Kind::kAction) continue;
      std::string target = route.pattern;
      if (auto p = target.find("{id}"); p != std::string::npos) target.replace(p, 4, "1");
      // Bodies that are valid where one is needed but create nothing that matters.
      std::string body = route.method == "GET" ? "" : "{}";
      if (route.pattern == "/api/v1/screen") body = R"({"text":"Flu shots today."})";
      if (route.method == "GET" && route.pattern == "/api/v1/audit/export") target += "?format=csv";
      const TestResponse r = Send(route.method, target, body, &c);
      const bool expect_allowed = domain::AllowedSomewhere(grants, route.access.action);
      if (expect_allowed) {
        ++allowed;
        EXPECT_NE(r.status, 403) << email << " " << route.method << " " << target << " " << r.body;
        EXPECT_NE(r.status, 401) << email << " " << target;
      } else {
        ++denied;
        EXPECT_EQ(r.status, 403) << email << " " << route.method << " " << target;
        EXPECT_EQ(json::parse(r.body)["type"], "urn:carepost:problem:forbidden") << target;
      }
    }
  }
  // The matrix is not vacuous: both outcomes occur.
  EXPECT_GT(allowed, 10);
  EXPECT_GT(denied, 10);
}

// The calendar's observances: resolved for the range asked, bad ranges named.
TEST_P(AccountApiTest, ObservancesForTheCalendar) {
  AddUser("ann@example.org", domain::Role::kAuthor, cardiology_);
  const Client ann = SignIn("ann@example.org");
  TestResponse r = Send("GET", "/api/v1/observances?from=2027-02-01&to=2027-02-28", "", &ann);
  ASSERT_EQ(r.status, 200) << r.body;
  bool heart_month = false;
  const json listed = json::parse(r.body);
  for (const json& o : listed["items"]) {
    EXPECT_LE(o["start"].get<std::string>(), "2027-02-28") << o;
    EXPECT_GE(o["end"].get<std::string>(), "2027-02-01") << o;
    if (o["name"] == "American Heart Month") {
      heart_month = true;
      EXPECT_EQ(o["kind"], "month");
      EXPECT_EQ(o["start"], "2027-02-01");
      EXPECT_EQ(o["end"], "2027-02-28");
    }
  }
  EXPECT_TRUE(heart_month) << r.body;

  r = Send("GET", "/api/v1/observances?from=2027-02-01", "", &ann);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["field"], "to");
  r = Send("GET", "/api/v1/observances?from=2027-02-30&to=2027-03-01", "", &ann);
  EXPECT_EQ(json::parse(r.body)["field"], "from");
  EXPECT_EQ(Send("GET", "/api/v1/observances?from=2027-03-01&to=2027-02-01", "", &ann).status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/observances?from=2026-01-01&to=2027-12-31", "", &ann).status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/observances?from=2027-02-01&to=2027-02-28").status, 401);
}

TEST_P(AccountApiTest, SessionInfoAndSignOut) {
  AddUser("ann@example.org", domain::Role::kAuthor, cardiology_);
  const Client ann = SignIn("ann@example.org");
  TestResponse r = Send("GET", "/api/v1/session", "", &ann);
  ASSERT_EQ(r.status, 200);
  json j = json::parse(r.body);
  EXPECT_EQ(j["csrf_token"], ann.csrf);
  EXPECT_EQ(j["user"]["roles"],
            json::parse(R"([{"role":"author","brand_id":)" + std::to_string(cardiology_) + "}]"));
  EXPECT_THAT(j["actions"], ::testing::Contains("posts.draft"));
  EXPECT_THAT(j["actions"], Not(::testing::Contains("users.read")));
  r = Send("DELETE", "/api/v1/session", "", &ann);
  EXPECT_EQ(r.status, 204);
  EXPECT_THAT(r.Header("set-cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Send("GET", "/api/v1/session", "", &ann).status, 401);
  const std::vector<std::string> actions = AuditActions();
  EXPECT_THAT(actions, ::testing::Contains("session.sign_out"));
}

TEST_P(AccountApiTest, AdminManagesUsersInTheirOrganizationOnly) {
  const Client admin = SignIn("admin@example.org");
  const int64_t stranger =
      AddUser("stranger@example.org", domain::Role::kAdmin, std::nullopt, other_org_);
  // Add a user with a per-brand and an organization-wide role.
  TestResponse r =
      Send("POST", "/api/v1/users",
           json{{"email", "Bob@Example.org"},
                {"display_name", "Bob Reyes"},
                {"password", "a long enough password"},
                {"roles", {{{"role", "author"}, {"brand_id", oncology_}}, {{"role", "analyst"}}}}}
               .dump(),
           &admin);
  ASSERT_EQ(r.status, 201) << r.body;
  json bob = json::parse(r.body);
  EXPECT_EQ(bob["email"], "bob@example.org");
  EXPECT_EQ(bob["roles"].size(), 2u);
  const int64_t bob_id = bob["id"];

  // Bob can sign in and screen, but cannot read users.
  const Client bob_client = SignIn("bob@example.org", "a long enough password");
  EXPECT_EQ(Send("GET", "/api/v1/users", "", &bob_client).status, 403);

  // Problems name the field.
  struct Case {
    json body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"email", "bob@example.org"}, {"display_name", "B"}, {"password", "a long enough one"}},
       409,
       "email"},
      {{{"email", "c@example.org"}, {"display_name", "C"}, {"password", "short"}}, 422, "password"},
      {{{"email", "not-an-email"}, {"display_name", "C"}, {"password", "a long enough one"}},
       422,
       "email"},
      {{{"email", "c@example.org"},
        {"display_name", "C"},
        {"password", "a long enough one"},
        {"roles", {{{"role", "wizard"}}}}},
       422,
       "roles"},
      {{{"email", "c@example.org"},
        {"display_name", "C"},
        {"password", "a long enough one"},
        {"roles", {{{"role", "author"}, {"brand_id", 99999}}}}},
       422,
       "roles"},
      {{{"email", "c@example.org"}, {"password", "a long enough one"}}, 422, "display_name"},
  };
  for (const Case& c : cases) {
    r = Send("POST", "/api/v1/users", c.body.dump(), &admin);
    EXPECT_EQ(r.status, c.status) << c.body.dump() << r.body;
    EXPECT_EQ(json::parse(r.body)["field"], c.field) << c.body.dump();
  }
  // A bad request created nobody.
  EXPECT_FALSE(users_->FindUserByEmail("c@example.org").ok());

  // Pages by cursor cover every user of the organization exactly once.
  std::set<int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    r = Send("GET", "/api/v1/users?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), "",
             &admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const json j = json::parse(r.body);
    for (const json& u : j["items"]) EXPECT_TRUE(seen.insert(u["id"].get<int64_t>()).second);
    if (j["next_cursor"].is_null()) break;
    cursor = j["next_cursor"];
  }
  EXPECT_EQ(seen, (std::set<int64_t>{admin_id_, bob_id}));
  EXPECT_EQ(Send("GET", "/api/v1/users?limit=0", "", &admin).status, 422);
  EXPECT_EQ(Send("GET", "/api/v1/users?cursor=abc", "", &admin).status, 422);

  // Another organization's user is not there.
  EXPECT_EQ(Send("GET", "/api/v1/users/" + std::to_string(stranger), "", &admin).status, 404);
  EXPECT_EQ(
      Send("PATCH", "/api/v1/users/" + std::to_string(stranger), R"({"disabled":true})", &admin)
          .status,
      404);

  // Replace roles, rename, disable: Bob's session ends.
  r = Send("PATCH", "/api/v1/users/" + std::to_string(bob_id),
           json{{"display_name", "Robert Reyes"},
                {"roles", {{{"role", "responder"}, {"brand_id", cardiology_}}}},
                {"disabled", true}}
               .dump(),
           &admin);
  ASSERT_EQ(r.status, 200) << r.body;
  bob = json::parse(r.body);
  EXPECT_EQ(bob["display_name"], "Robert Reyes");
  EXPECT_EQ(bob["disabled"], true);
  EXPECT_EQ(bob["roles"], json::parse(R"([{"role":"responder","brand_id":)" +
                                      std::to_string(cardiology_) + "}]"));
  EXPECT_EQ(Send("GET", "/api/v1/session", "", &bob_client).status, 401);
  r = Send("PATCH", "/api/v1/users/" + std::to_string(bob_id), R"({"disabled":false})", &admin);
  EXPECT_EQ(json::parse(r.body)["disabled"], false);

  // An administrator cannot lock themselves out.
  r = Send("PATCH", "/api/v1/users/" + std::to_string(admin_id_), R"({"disabled":true})", &admin);
  EXPECT_EQ(r.status, 422);
  r = Send("PATCH", "/api/v1/users/" + std::to_string(admin_id_),
           R"({"roles":[{"role":"analyst"}]})", &admin);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "roles");

  const std::vector<std::string> actions = AuditActions();
  for (const char* a :
       {"user.create", "role.grant", "role.revoke", "user.rename", "user.disable", "user.enable"}) {
    EXPECT_THAT(actions, ::testing::Contains(a));
  }
}

TEST_P(AccountApiTest, OrganizationAndBrands) {
  const Client admin = SignIn("admin@example.org");
  TestResponse r = Send("POST", "/api/v1/brands", R"({"name":"Children's","slug":"kids"})", &admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Send("POST", "/api/v1/brands", R"({"name":"Kids","slug":"kids"})", &admin).status, 409);
  EXPECT_EQ(Send("POST", "/api/v1/brands", R"({"name":"Kids","slug":"Kids Ward"})", &admin).status,
            422);
  r = Send("GET", "/api/v1/organization", "", &admin);
  ASSERT_EQ(r.status, 200);
  const json j = json::parse(r.body);
  EXPECT_EQ(j["slug"], "st-example");
  ASSERT_EQ(j["brands"].size(), 3u);
  EXPECT_EQ(j["brands"][2]["slug"], "kids");
  // Someone with a role for one brand only reads the brands too.
  AddUser("ann@example.org", domain::Role::kAuthor, cardiology_);
  const Client ann = SignIn("ann@example.org");
  r = Send("GET", "/api/v1/organization", "", &ann);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["brands"].size(), 3u);
}

TEST_P(AccountApiTest, IdempotencyKeyReplaysTheFirstAnswer) {
  const Client admin = SignIn("admin@example.org");
  const std::string body =
      json{{"email", "dee@example.org"}, {"display_name", "Dee"}, {"password", "a long password"}}
          .dump();
  const std::string key = "Idempotency-Key: 5b1f-7c\r\n";
  TestResponse first = Send("POST", "/api/v1/users", body, &admin, key);
  ASSERT_EQ(first.status, 201) << first.body;
  TestResponse again = Send("POST", "/api/v1/users", body, &admin, key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  // Without the key the same body is a second attempt, refused as a duplicate.
  EXPECT_EQ(Send("POST", "/api/v1/users", body, &admin).status, 409);
  // The key with another body is refused.
  TestResponse other = Send(
      "POST", "/api/v1/users",
      json{{"email", "eve@example.org"}, {"display_name", "Eve"}, {"password", "a long password"}}
          .dump(),
      &admin, key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(json::parse(other.body)["type"], "urn:carepost:problem:idempotency-key");
  // Keys are per user: another admin's same key is a new request.
  AddUser("admin2@example.org", domain::Role::kAdmin);
  const Client admin2 = SignIn("admin2@example.org");
  EXPECT_EQ(Send("POST", "/api/v1/users", body, &admin2, key).status, 409);
}

TEST_P(AccountApiTest, AuditListFiltersExportAndVerify) {
  const Client admin = SignIn("admin@example.org");
  AddUser("ann@example.org", domain::Role::kCompliance);
  const Client ann = SignIn("ann@example.org");
  Send("POST", "/api/v1/session",
       json{{"email", "ann@example.org"}, {"password", "nope nope nope"}}.dump());
  clock_.Advance(absl::Minutes(10));
  Send("POST", "/api/v1/brands", R"({"name":"Kids","slug":"kids"})", &admin);

  TestResponse r = Send("GET", "/api/v1/audit?action=session.&limit=2", "", &ann);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_GT(j["items"][0]["seq"].get<int64_t>(), j["items"][1]["seq"].get<int64_t>());
  for (const json& e : j["items"]) {
    EXPECT_EQ(e["action"].get<std::string>().rfind("session.", 0), 0u);
  }
  ASSERT_FALSE(j["next_cursor"].is_null());
  r = Send("GET",
           "/api/v1/audit?action=session.&limit=200&cursor=" + j["next_cursor"].get<std::string>(),
           "", &ann);
  EXPECT_GE(json::parse(r.body)["items"].size(), 1u);

  // By actor and time: the brand was created after the clock moved.
  const std::string since =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", clock_.Now() - absl::Minutes(1), absl::UTCTimeZone());
  r = Send("GET", "/api/v1/audit?actor=admin%40example.org&since=" + since, "", &ann);
  j = json::parse(r.body);
  ASSERT_EQ(j["items"].size(), 1u) << r.body;
  EXPECT_EQ(j["items"][0]["action"], "brand.create");
  EXPECT_EQ(j["items"][0]["details"]["slug"], "kids");
  EXPECT_EQ(Send("GET", "/api/v1/audit?since=yesterday", "", &ann).status, 422);
  // LIKE wildcards in the filter are literal.
  r = Send("GET", "/api/v1/audit?action=%25.", "", &ann);
  EXPECT_TRUE(json::parse(r.body)["items"].empty()) << r.body;

  r = Send("GET", "/api/v1/audit/export?format=csv", "", &ann);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_THAT(r.Header("content-disposition"), HasSubstr("attachment"));
  EXPECT_THAT(r.body, HasSubstr("brand.create"));
  // The other organization's events are not exported.
  EXPECT_THAT(r.body, Not(HasSubstr("elsewhere")));
  r = Send("GET", "/api/v1/audit/export?format=jsonl", "", &ann);
  EXPECT_EQ(r.Header("content-type"), "application/x-ndjson");
  EXPECT_EQ(Send("GET", "/api/v1/audit/export?format=pdf", "", &ann).status, 422);

  r = Send("POST", "/api/v1/audit/verify", "", &ann);
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  EXPECT_EQ(j["ok"], true);
  EXPECT_GT(j["events_checked"].get<int64_t>(), 5);
  // Tampering is reported with the first broken event.
  ASSERT_TRUE(db().Execute("UPDATE audit_events SET actor = 'someone' WHERE seq = 3").ok());
  j = json::parse(Send("POST", "/api/v1/audit/verify", "", &ann).body);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["first_broken_seq"], 3);
}

// Every route the app serves is in docs/openapi.yaml, every documented operation is
// served, and each answers a valid request with a documented success status and
// content type (errors with documented problem statuses).
TEST_P(AccountApiTest, EveryRouteIsInTheOpenApiSpecAndAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  ASSERT_TRUE(spec.contains("paths"));
  const Client admin = SignIn("admin@example.org");
  const std::map<std::string, std::string> bodies = {
      {"POST /api/v1/session",
       json{{"email", "admin@example.org"}, {"password", kPassword}}.dump()},
      {"POST /api/v1/brands", R"({"name":"Kids","slug":"kids"})"},
      {"POST /api/v1/users",
       R"({"email":"x@example.org","display_name":"X","password":"a long password"})"},
      {"PATCH /api/v1/users/{id}", R"({"display_name":"Admin"})"},
      {"POST /api/v1/screen", R"({"text":"Flu shots today."})"},
  };
  size_t routes = 0;
  // DELETE /session ends the admin's session: do it last.
  std::vector<App::RouteInfo> ordered = app_->routes();
  std::stable_partition(ordered.begin(), ordered.end(),
                        [](const App::RouteInfo& r) { return r.method != "DELETE"; });
  for (const App::RouteInfo& route : ordered) {
    ++routes;
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(spec["paths"].contains(route.pattern)) << route.pattern;
    const json& op = spec["paths"][route.pattern];
    ASSERT_TRUE(op.contains(method)) << route.method << " " << route.pattern;
    // The plan, calendar, media, authorization, routing and series routes need campaigns
    // and posts in the right states or a file: plan_api_test, calendar_api_test,
    // media_api_test, authorization_api_test, routing_api_test and series_api_test check
    // how they answer.
    if (testing::IsPlanRoute(route.pattern) || testing::IsCalendarRoute(route.pattern) ||
        testing::IsMediaRoute(route.pattern) || testing::IsAuthorizationRoute(route.pattern) ||
        testing::IsRoutingRoute(route.pattern) || testing::IsSeriesRoute(route.pattern)) {
      continue;
    }
    std::string target = route.pattern;
    if (auto p = target.find("{id}"); p != std::string::npos) {
      target.replace(p, 4, std::to_string(admin_id_));
    }
    if (route.pattern == "/api/v1/audit/export") target += "?format=jsonl";
    if (route.pattern == "/api/v1/observances") target += "?from=2026-02-01&to=2026-02-28";
    const std::string key = route.method + " " + route.pattern;
    const std::string body = bodies.count(key) ? bodies.at(key) : "";
    const TestResponse r = Send(route.method, target, body, &admin);
    const std::string status = std::to_string(r.status);
    ASSERT_TRUE(op[method]["responses"].contains(status))
        << key << " answered " << status << " " << r.body;
    EXPECT_LT(r.status, 300) << key << " " << r.body;
    const json& documented = op[method]["responses"][status];
    if (!documented.contains("content")) {
      EXPECT_TRUE(r.body.empty()) << key;
      continue;
    }
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(documented["content"].contains(ct.substr(0, ct.find(';'))))
        << key << " content type " << ct;
    if (ct == "application/json") {
      EXPECT_TRUE(json::accept(r.body)) << key;
    }
  }
  size_t documented = 0;
  for (const auto& [path, ops] : spec["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (method == "parameters") continue;
      ++documented;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      EXPECT_NE(app_->router().Find(upper, path).handler, nullptr) << method << " " << path;
    }
  }
  EXPECT_EQ(routes, documented);
  // Documented error responses are problem+json.
  const Client again = SignIn("admin@example.org");
  const TestResponse r = Send("POST", "/api/v1/users", "{}", &again);
  const json& responses = spec["paths"]["/api/v1/users"]["post"]["responses"];
  ASSERT_TRUE(responses.contains(std::to_string(r.status))) << r.status;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
}

}  // namespace
}  // namespace carepost::http
