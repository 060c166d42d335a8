#include "http/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "guard/screener_testing.h"
#include "http/phi_redactor.h"
#include "http/problem.h"
#include "http/server.h"
#include "http/test_client.h"

namespace carepost::http {
namespace {

using testing::Fetch;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestResponse;

// PHI a hospital must never log, as it might arrive in a request.
constexpr const char* kPhi[] = {"Margaret Okonkwo", "MRN 4839201", "(555) 867-5309", "123-45-6789",
                                "03/14/1962"};
constexpr const char* kPhiText =
    "Patient Margaret Okonkwo, DOB 03/14/1962, MRN 4839201, SSN 123-45-6789, call her at "
    "(555) 867-5309 about her chemotherapy.";

// One Screener per test binary (building one compiles every pattern).
const guard::Screener& SharedScreener() { return guard::SharedTestScreener(); }

// Lets every request through as user 1, or refuses every one with 401.
class FixedAuthenticator : public Authenticator {
 public:
  explicit FixedAuthenticator(bool signed_in) : signed_in_(signed_in) {}
  std::optional<Response> Check(Request& request, const Access&) override {
    if (!signed_in_) return Problem(401, ProblemType::kUnauthorized, "sign in first");
    request.principal = Principal{.user_id = 1, .organization_id = 1, .email = "a@example.org"};
    return std::nullopt;
  }

 private:
  bool signed_in_;
};

class AppTest : public ::testing::Test {
 protected:
  void StartApp(bool signed_in, std::function<absl::Status()> ready = nullptr,
                std::vector<std::string> proxies = {}) {
    authenticator_ = std::make_unique<FixedAuthenticator>(signed_in);
    redactor_ = std::make_unique<PhiRedactor>(SharedScreener());
    logger_ =
        core::NewStreamLogger(&log_, {.level = core::LogLevel::kInfo, .redactor = redactor_.get()});
    AppOptions o;
    o.screener = &SharedScreener();
    o.metrics = &metrics_;
    o.logger = logger_.get();
    o.ready = std::move(ready);
    o.authenticator = authenticator_.get();
    o.trusted_proxies = *TrustedProxies::Parse(proxies);
    app_ = std::make_unique<App>(std::move(o));
    auto s = Server::Start({.host = "127.0.0.1", .port = 0},
                           [this](Request& r) { return app_->Handle(r); });
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      server_->Wait();
    }
  }
  TestResponse Screen(const std::string& body) {
    return Fetch(server_->port(), "POST", "/api/v1/screen", body);
  }
  std::string Log() {
    logger_->Flush();
    return log_.str();
  }

  std::ostringstream log_;
  Metrics metrics_;
  std::unique_ptr<FixedAuthenticator> authenticator_;
  std::unique_ptr<PhiRedactor> redactor_;
  std::unique_ptr<core::Logger> logger_;
  std::unique_ptr<App> app_;
  std::unique_ptr<Server> server_;
};

TEST_F(AppTest, HealthReadyAndMetrics) {
  bool ready = false;
  StartApp(false, [&] {
    return ready ? absl::OkStatus() : absl::UnavailableError("the database does not answer");
  });
  auto r = Fetch(server_->port(), "GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(r.Header("x-request-id").size(), 32u);
  r = Fetch(server_->port(), "GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("the database does not answer"));
  ready = true;
  EXPECT_EQ(Fetch(server_->port(), "GET", "/readyz").status, 200);
  Fetch(server_->port(), "GET", "/no/such/42");
  r = Fetch(server_->port(), "GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(
      r.body,
      HasSubstr(R"(carepost_http_requests_total{method="GET",route="/readyz",status="503"} 1)"));
  EXPECT_THAT(r.body, HasSubstr(R"(route="unmatched",status="404"} 1)"));
  EXPECT_THAT(r.body, Not(HasSubstr("/no/such")));
}

TEST_F(AppTest, UnknownRouteAndWrongMethodAreProblems) {
  StartApp(false);
  auto r = Fetch(server_->port(), "GET", "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(r.body)["type"], "urn:carepost:problem:not-found");
  r = Fetch(server_->port(), "POST", "/healthz", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET");
}

TEST_F(AppTest, ScreenNeedsTheAuthenticatorsConsent) {
  StartApp(false);
  EXPECT_EQ(Screen(R"({"text":"hello"})").status, 401);
  // Public routes do not ask.
  EXPECT_EQ(Fetch(server_->port(), "GET", "/api/v1/openapi.json").status, 200);
  EXPECT_EQ(Fetch(server_->port(), "GET", "/healthz").status, 200);
}

TEST_F(AppTest, WithoutAnAuthenticatorProtectedRoutesRefuse) {
  redactor_ = std::make_unique<PhiRedactor>(SharedScreener());
  logger_ = core::NewStreamLogger(&log_, {.redactor = redactor_.get()});
  AppOptions o;
  o.screener = &SharedScreener();
  o.metrics = &metrics_;
  o.logger = logger_.get();
  App app(std::move(o));
  Request req;
  req.method = "POST";
  req.path = "/api/v1/screen";
  req.body = R"({"text":"x"})";
  EXPECT_EQ(app.Handle(req).status, 401);
}

TEST_F(AppTest, MetricsAnswerLoopbackOrTheScraperToken) {
  redactor_ = std::make_unique<PhiRedactor>(SharedScreener());
  logger_ = core::NewStreamLogger(&log_, {.redactor = redactor_.get()});
  auto make = [this](std::string token) {
    AppOptions o;
    o.screener = &SharedScreener();
    o.metrics = &metrics_;
    o.logger = logger_.get();
    o.metrics_token = std::move(token);
    return std::make_unique<App>(std::move(o));
  };
  auto get = [](App& app, std::string from, std::string authorization = "") {
    Request req;
    req.method = "GET";
    req.path = "/metrics";
    req.remote_address = std::move(from);
    if (!authorization.empty()) req.headers["authorization"] = authorization;
    return app.Handle(req);
  };
  std::unique_ptr<App> open = make("");
  EXPECT_EQ(get(*open, "127.0.0.1").status, 200);
  EXPECT_EQ(get(*open, "::1").status, 200);
  const Response refused = get(*open, "10.1.2.3");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("metrics_token"));

  std::unique_ptr<App> tokened = make("s3cret-scraper-token");
  EXPECT_EQ(get(*tokened, "10.1.2.3", "Bearer s3cret-scraper-token").status, 200);
  EXPECT_EQ(get(*tokened, "10.1.2.3", "Bearer s3cret-scraper-tokem").status, 403);
  EXPECT_EQ(get(*tokened, "10.1.2.3", "Bearer s3cret").status, 403);
  EXPECT_EQ(get(*tokened, "10.1.2.3", "s3cret-scraper-token").status, 403);
  // With a token set, loopback needs it too (a proxy on the host would otherwise open it).
  EXPECT_EQ(get(*tokened, "127.0.0.1").status, 403);
}

TEST_F(AppTest, UnmatchedGetsGoToTheStaticFiles) {
  redactor_ = std::make_unique<PhiRedactor>(SharedScreener());
  logger_ = core::NewStreamLogger(&log_, {.redactor = redactor_.get()});
  AppOptions o;
  o.screener = &SharedScreener();
  o.metrics = &metrics_;
  o.logger = logger_.get();
  o.static_files = [](std::string_view path) -> std::optional<Response> {
    if (path.rfind("/api/", 0) == 0) return std::nullopt;
    Response r;
    r.content_type = "text/html";
    r.body = "<!doctype html>";
    return r;
  };
  App app(std::move(o));
  Request req;
  req.method = "GET";
  req.path = "/users";
  Response r = app.Handle(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html");
  req.path = "/api/v1/nothing";
  EXPECT_EQ(app.Handle(req).status, 404);
  req.method = "POST";
  req.path = "/users";
  EXPECT_EQ(app.Handle(req).status, 404);
}

TEST_F(AppTest, ScreenReturnsTheCheckResultSchema) {
  StartApp(true);
  auto r = Screen(std::string(R"({"text":")") + kPhiText +
                  R"(","context":"reply","platform":"x","id":"a1","redact":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["id"], "a1");
  EXPECT_EQ(j["verdict"], "block");
  ASSERT_TRUE(j["findings"].is_array());
  EXPECT_FALSE(j["findings"].empty());
  EXPECT_THAT(j["redacted"].get<std::string>(), Not(HasSubstr("4839201")));
  EXPECT_EQ(j["length"]["limit"], 280);
  EXPECT_EQ(j["length"]["unit"], "x_weighted");

  r = Screen(R"({"text":"Our flu clinic is open Saturday."})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(nlohmann::json::parse(r.body)["id"].is_null());
  EXPECT_FALSE(nlohmann::json::parse(r.body).contains("redacted"));
  // No platform, no length.
  EXPECT_FALSE(nlohmann::json::parse(r.body).contains("length"));

  r = Fetch(server_->port(), "GET", "/metrics");
  EXPECT_THAT(r.body, HasSubstr("carepost_guard_texts_screened_total 2\n"));
}

// The length a character counter shows is the platform's own count: X weighs a link as
// 23 however long it is and an emoji as 2; Bluesky counts "👍🏽" as one grapheme.
TEST_F(AppTest, ScreenCountsLengthTheWayThePlatformDoes) {
  StartApp(true);
  const std::string link = "https://www.example.org/a/very/long/path/that/is/much/longer/than/23";
  auto r = Screen(R"({"text":"Flu shots )" + link + R"( 👍","platform":"x"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["length"]["count"], 10 + 23 + 1 + 2) << r.body;
  EXPECT_EQ(j["length"]["limit"], 280);
  r = Screen(R"({"text":"Flu 👍🏽","platform":"bluesky"})");
  j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["length"]["count"], 5) << r.body;
  EXPECT_EQ(j["length"]["limit"], 300);
  EXPECT_EQ(j["length"]["unit"], "graphemes");
  // Inbound text goes nowhere: no limit applies.
  r = Screen(R"({"text":"Flu","platform":"x","context":"inbound"})");
  EXPECT_FALSE(nlohmann::json::parse(r.body).contains("length")) << r.body;
}

TEST_F(AppTest, ScreenBadInputNamesTheField) {
  StartApp(true);
  struct Case {
    std::string body;
    int status;
    std::string type, field;
  };
  const Case cases[] = {
      {"{not json", 400, "invalid-json", ""},
      {"[1]", 400, "invalid-json", ""},
      {"{}", 422, "invalid-field", "text"},
      {R"({"text":5})", 422, "invalid-field", "text"},
      {R"({"text":"a","context":"tweet"})", 422, "invalid-field", "context"},
      {R"({"text":"a","platform":"myspace"})", 422, "invalid-field", "platform"},
      {R"({"text":"a","redact":"yes"})", 422, "invalid-field", "redact"},
      {R"({"text":"a","id":[1]})", 422, "invalid-field", "id"},
      {R"({"text":"a","colour":"red"})", 422, "invalid-field", "colour"},
      {R"({"text":"a\u0000b"})", 422, "invalid-field", "text"},
  };
  for (const Case& c : cases) {
    const auto r = Screen(c.body);
    EXPECT_EQ(r.status, c.status) << c.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.body;
    const auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["type"], "urn:carepost:problem:" + c.type) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(j["field"], c.field) << c.body;
    }
    EXPECT_FALSE(j["detail"].get<std::string>().empty());
  }
  testing::TestConnection conn(server_->port());
  ASSERT_TRUE(conn.Send("POST", "/api/v1/screen", R"({"text":"a"})", "", "text/plain"));
  EXPECT_EQ(conn.Read().status, 415);
}

// The client address middleware computes (what the authorization hook, and later
// audit and throttling, see). Logs show it only as [IP]: addresses are identifiers.
std::string ClientSeenByHook(std::vector<std::string> proxies, std::string peer,
                             std::string forwarded_for) {
  Metrics metrics;
  std::ostringstream out;
  auto logger = core::NewStreamLogger(&out, {.redactor = &core::NoRedaction()});
  struct Recorder : Authenticator {
    std::string seen;
    std::optional<Response> Check(Request& r, const Access&) override {
      seen = r.client_address;
      return Problem(401, ProblemType::kUnauthorized, "sign in first");
    }
  } recorder;
  AppOptions o;
  o.screener = &SharedScreener();
  o.metrics = &metrics;
  o.logger = logger.get();
  o.trusted_proxies = *TrustedProxies::Parse(proxies);
  o.authenticator = &recorder;
  App app(std::move(o));
  Request req;
  req.method = "POST";
  req.path = "/api/v1/screen";
  req.remote_address = peer;
  if (!forwarded_for.empty()) req.headers["x-forwarded-for"] = forwarded_for;
  EXPECT_EQ(app.Handle(req).status, 401);
  return recorder.seen;
}

TEST(AppClientAddressTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  EXPECT_EQ(ClientSeenByHook({"127.0.0.1"}, "127.0.0.1", "198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(ClientSeenByHook({}, "127.0.0.1", "198.51.100.7"), "127.0.0.1");
  EXPECT_EQ(ClientSeenByHook({"10.0.0.0/8"}, "203.0.113.5", "198.51.100.7"), "203.0.113.5");
}

TEST_F(AppTest, ClientAddressesAreRedactedInTheLog) {
  StartApp(false);
  Fetch(server_->port(), "GET", "/healthz", "", "X-Forwarded-For: 198.51.100.7\r\n");
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr(R"("route":"/healthz")"));
  EXPECT_THAT(log, Not(HasSubstr("127.0.0.1")));
  EXPECT_THAT(log, Not(HasSubstr("198.51.100.7")));
}

// PHI sent in bodies, paths, queries and headers never reaches the log.
TEST_F(AppTest, PhiNeverReachesTheLog) {
  StartApp(true);
  const std::string phi_json = std::string(R"({"text":")") + kPhiText + R"("})";
  EXPECT_EQ(Screen(phi_json).status, 200);
  EXPECT_EQ(Screen(std::string(R"({"text":")") + kPhiText + R"(","context":"nope"})").status, 422);
  Fetch(server_->port(), "GET", "/api/v1/patients/Margaret%20Okonkwo?mrn=MRN%204839201");
  Fetch(server_->port(), "GET", "/healthz?name=Margaret+Okonkwo&ssn=123-45-6789", "",
        "User-Agent: Margaret Okonkwo (555) 867-5309\r\nX-Forwarded-For: 123-45-6789\r\n");
  // And a string logged by code passes the PHI redactor.
  logger_->Warn(kPhiText, {{"detail", kPhiText}});
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr(R"("route":"/api/v1/screen")"));
  for (const char* phi : kPhi) {
    EXPECT_THAT(log, Not(HasSubstr(phi))) << phi;
  }
  EXPECT_THAT(log, Not(HasSubstr("4839201")));
  EXPECT_THAT(log, Not(HasSubstr("Okonkwo")));
}

}  // namespace
}  // namespace carepost::http
