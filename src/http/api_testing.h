// File: http/api_testing.h
//
// Test-only: the fixture of the HTTP API suites. A real server on loopback with the
// whole API (account, plan, calendar and media routes), real domain services on the database
// backend under test (SQLite in memory and PostgreSQL), a simulated clock, and helpers to add
// users, sign in and send requests as them. The organization "St. Example" has the
// brands Cardiology and Oncology and an organization-wide admin; "Elsewhere" is another
// organization.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/calendar_feeds.h"
#include "domain/campaigns.h"
#include "domain/media.h"
#include "domain/media_store.h"
#include "domain/notifications.h"
#include "domain/patient_authorizations.h"
#include "domain/posts.h"
#include "domain/series.h"
#include "domain/testing_db.h"
#include "guard/screener_testing.h"
#include "http/account_api.h"
#include "http/authorization_api.h"
#include "http/body_limits.h"
#include "http/calendar_api.h"
#include "http/idempotency_store.h"
#include "http/media_api.h"
#include "http/observance_api.h"
#include "http/plan_api.h"
#include "http/routing_api.h"
#include "http/series_api.h"
#include "http/server.h"
#include "http/session_auth.h"
#include "http/test_client.h"

namespace carepost::http::testing {

using nlohmann::json;

// True for the routes http/calendar_api.h adds (calendar_api_test drives them).
inline bool IsCalendarRoute(std::string_view pattern) {
  for (std::string_view prefix : {"/api/v1/calendar/", "/calendar/feed/"}) {
    if (pattern.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// True for the routes http/plan_api.h adds.
inline bool IsPlanRoute(std::string_view pattern) {
  for (std::string_view prefix : {"/api/v1/campaigns", "/api/v1/posts", "/api/v1/notifications"}) {
    if (pattern.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// True for the routes http/media_api.h adds.
inline bool IsSeriesRoute(std::string_view pattern) {
  return pattern.substr(0, 14) == "/api/v1/series";
}

inline bool IsMediaRoute(std::string_view pattern) {
  return pattern.substr(0, 13) == "/api/v1/media";
}

// True for the routes http/routing_api.h adds (routing_api_test drives them).
inline bool IsRoutingRoute(std::string_view pattern) {
  return pattern == "/api/v1/brands/{id}/routing";
}

// True for the routes http/authorization_api.h adds (authorization_api_test drives them).
inline bool IsAuthorizationRoute(std::string_view pattern) {
  return pattern.substr(0, 22) == "/api/v1/authorizations";
}

inline constexpr char kPassword[] = "correct horse battery";

// One Screener per test binary (building one compiles every pattern).
inline const guard::Screener& SharedScreener() { return guard::SharedTestScreener(); }

// A signed-in client: its cookie and CSRF token.
struct Client {
  std::string cookie;
  std::string csrf;
  int64_t user_id = 0;
};

class ApiTest : public domain::testing::DatabaseTest {
 protected:
  void SetUp() override {
    domain::testing::DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    const domain::SecretKey key(std::string(32, 'k'));
    audit_ = std::make_unique<domain::AuditLog>(
        db(), clock_, key.Derive(domain::KeyPurpose::kAuditSignature),
        domain::AuditLogOptions{.checkpoint_every = 10, .checkpoint_file = dir() + "/cp.log"});
    users_ = std::make_unique<domain::UserService>(
        db(), clock_, *audit_,
        domain::UserServiceOptions{.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                                 .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
    sessions_ = std::make_unique<domain::SessionService>(
        db(), clock_, *audit_, *users_, key.Derive(domain::KeyPurpose::kCsrf),
        domain::SessionOptions{.max_failures_per_account = 3});
    const domain::Actor cli = domain::Actor::Cli();
    org_ = *users_->CreateOrganization(cli, "St. Example", "st-example");
    cardiology_ = *users_->CreateBrand(cli, org_, "Cardiology", "cardiology");
    oncology_ = *users_->CreateBrand(cli, org_, "Oncology", "oncology");
    other_org_ = *users_->CreateOrganization(cli, "Elsewhere", "elsewhere");
    admin_id_ = AddUser("admin@example.org", domain::Role::kAdmin);

    authenticator_ = std::make_unique<SessionAuthenticator>(*sessions_, *users_);
    idempotency_ = std::make_unique<DbIdempotencyKeys>(db(), clock_);
    logger_ = core::NewStreamLogger(&log_, {.redactor = &core::NoRedaction()});
    AppOptions o;
    o.screener = &SharedScreener();
    o.metrics = &metrics_;
    o.logger = logger_.get();
    o.clock = &clock_;
    o.authenticator = authenticator_.get();
    o.idempotency = idempotency_.get();
    app_ = std::make_unique<App>(std::move(o));
    AddAccountRoutes(*app_, {.users = users_.get(),
                             .sessions = sessions_.get(),
                             .audit = audit_.get(),
                             .secure_cookies = true});
    AddObservanceRoutes(*app_);
    campaigns_ = std::make_unique<domain::CampaignService>(db(), clock_, *audit_);
    posts_ = std::make_unique<domain::PostService>(db(), clock_, *audit_);
    notifications_ = std::make_unique<domain::NotificationService>(db(), clock_);
    blobs_ = domain::NewMemoryMediaStore();
    authorizations_ = std::make_unique<domain::AuthorizationService>(db(), clock_, *audit_, *blobs_,
                                                                     patient_box_, *posts_);
    AddPlanRoutes(*app_, {.campaigns = campaigns_.get(),
                          .posts = posts_.get(),
                          .notifications = notifications_.get(),
                          .screener = &SharedScreener(),
                          .authorizations = authorizations_.get(),
                          .metrics = &metrics_});
    AddAuthorizationRoutes(*app_, {.authorizations = authorizations_.get(), .clock = &clock_});
    routing_ = std::make_unique<domain::RoutingRuleService>(db(), clock_, *audit_);
    AddRoutingRoutes(*app_, {.rules = routing_.get()});
    feeds_ = std::make_unique<domain::CalendarFeedService>(db(), clock_, *audit_);
    AddCalendarRoutes(*app_, {.users = users_.get(),
                              .campaigns = campaigns_.get(),
                              .posts = posts_.get(),
                              .feeds = feeds_.get(),
                              .screener = &SharedScreener(),
                              .metrics = &metrics_,
                              .clock = &clock_,
                              .public_url = "https://carepost.example.org/"});
    media_ = std::make_unique<domain::MediaService>(db(), clock_, *audit_, *blobs_,
                                                    domain::MediaOptions{.max_bytes = 8'000'000});
    AddMediaRoutes(*app_, {.media = media_.get()});
    series_screener_ = std::make_unique<GuardContentScreener>(SharedScreener(), &metrics_);
    series_ = std::make_unique<domain::SeriesService>(db(), clock_, *audit_, *posts_, *users_,
                                                      *series_screener_);
    AddSeriesRoutes(*app_, {.series = series_.get()});
    ServerOptions server_options{.host = "127.0.0.1", .port = 0};
    server_options.body_limit_for = [](std::string_view method, std::string_view path) {
      return RouteBodyLimit(method, path, 10'000'000);
    };
    auto s = Server::Start(server_options, [this](Request& r) { return app_->Handle(r); });
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      server_->Wait();
    }
    server_.reset();
    app_.reset();
    domain::testing::DatabaseTest::TearDown();
  }

  int64_t AddUser(const std::string& email, std::optional<domain::Role> role,
                  std::optional<int64_t> brand = std::nullopt, int64_t org = 0) {
    absl::StatusOr<int64_t> id =
        users_->CreateUser(domain::Actor::Cli(), {.organization_id = org ? org : org_,
                                                  .email = email,
                                                  .display_name = "Test",
                                                  .password = kPassword});
    EXPECT_TRUE(id.ok()) << id.status();
    if (role) {
      EXPECT_TRUE(users_->GrantRole(domain::Actor::Cli(), *id, *role, brand).ok());
    }
    return *id;
  }

  // TestResponse Send(...): one request as `as` (cookie and CSRF token).
  TestResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const Client* as = nullptr,
                    std::string extra = "", const std::string& content_type = "application/json") {
    if (as != nullptr) {
      extra += "Cookie: other=1; " + std::string(kSessionCookie) + "=" + as->cookie + "\r\n";
      if (method != "GET") extra += "X-CSRF-Token: " + as->csrf + "\r\n";
    }
    TestConnection c(server_->port());
    if (!c.connected() || !c.Send(method, target, body, extra, content_type)) return {};
    return c.Read();
  }

  Client SignIn(const std::string& email, const std::string& password = kPassword) {
    const TestResponse r =
        Send("POST", "/api/v1/session", json{{"email", email}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    Client c;
    const std::string set = r.Header("set-cookie");
    const size_t eq = set.find('='), semi = set.find(';');
    if (eq != std::string::npos) c.cookie = set.substr(eq + 1, semi - eq - 1);
    if (r.status == 201) {
      const json j = json::parse(r.body);
      c.csrf = j["csrf_token"];
      c.user_id = j["user"]["id"];
    }
    return c;
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    // Held in a variable: a range-for over *Read(...) would iterate a vector that died
    // with the temporary StatusOr (no lifetime extension through operator* before C++23).
    absl::StatusOr<std::vector<domain::AuditEvent>> events = audit_->Read(1, 10000);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return out;
    for (const domain::AuditEvent& e : *events) out.push_back(e.entry.action);
    return out;
  }

  core::SimulatedClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<domain::AuditLog> audit_;
  std::unique_ptr<domain::UserService> users_;
  std::unique_ptr<domain::SessionService> sessions_;
  std::unique_ptr<domain::CampaignService> campaigns_;
  std::unique_ptr<domain::PostService> posts_;
  std::unique_ptr<domain::NotificationService> notifications_;
  std::unique_ptr<domain::CalendarFeedService> feeds_;
  std::unique_ptr<domain::MediaStore> blobs_;
  std::unique_ptr<domain::MediaService> media_;
  domain::SecretBox patient_box_{
      domain::SecretKey(std::string(32, 'p')).Derive(domain::KeyPurpose::kPatientData)};
  std::unique_ptr<domain::AuthorizationService> authorizations_;
  std::unique_ptr<domain::RoutingRuleService> routing_;
  std::unique_ptr<GuardContentScreener> series_screener_;
  std::unique_ptr<domain::SeriesService> series_;
  std::unique_ptr<SessionAuthenticator> authenticator_;
  std::unique_ptr<DbIdempotencyKeys> idempotency_;
  std::ostringstream log_;
  std::unique_ptr<core::Logger> logger_;
  Metrics metrics_;
  std::unique_ptr<App> app_;
  std::unique_ptr<Server> server_;
  int64_t org_ = 0, other_org_ = 0, cardiology_ = 0, oncology_ = 0, admin_id_ = 0;
};

}  // namespace carepost::http::testing
