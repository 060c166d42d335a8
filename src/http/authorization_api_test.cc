// The patient authorization API end to end (a real server on loopback, the real guard,
// real domain services on SQLite and PostgreSQL): compliance records Maria Lopez's
// authorization and attaches the signed form; a post naming her is blocked until it
// names the authorization, then its PHI finding is routed to compliance for review while
// a name it does not cover still blocks; revoking brings the block back; the form is
// served only to compliance; and every route answers as docs/openapi.yaml says. The
// authorization matrix over every route lives in account_api_test.cc.
#include "http/authorization_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api_testing.h"
#include "http/json_body.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestResponse;

const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

class AuthorizationApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    AddUser("compliance@example.org", domain::Role::kCompliance);
    AddUser("manager@example.org", domain::Role::kManager);
    AddUser("analyst@example.org", domain::Role::kAnalyst);
    author = SignIn("author@example.org");
    compliance = SignIn("compliance@example.org");
    manager = SignIn("manager@example.org");
    analyst = SignIn("analyst@example.org");
  }

  TestResponse Record(const Client& as, const std::string& name = "Maria Lopez") {
    return Send("POST", "/api/v1/authorizations",
                json{{"brand_id", cardiology_},
                     {"patient_name", name},
                     {"details", {"Springfield"}},
                     {"scope", "Her heart surgery story for Heart Month"},
                     {"expires_at", "2027-06-30T23:59:59Z"}}
                    .dump(),
                &as);
  }

  // A valid authorization (recorded, form attached); its id.
  int64_t Valid(const std::string& name = "Maria Lopez") {
    const TestResponse r = Record(compliance, name);
    EXPECT_EQ(r.status, 201) << r.body;
    const int64_t id = json::parse(r.body)["id"];
    const TestResponse f = Send("PUT", "/api/v1/authorizations/" + std::to_string(id) + "/form",
                                kPdf, &compliance, "", "application/pdf");
    EXPECT_EQ(f.status, 200) << f.body;
    return id;
  }

  // The findings of the post's master text (a reference into `post`: a range-for over
  // a temporary's member would outlive it).
  static const json& Master(const json& post) { return post.at("findings").at("master"); }

  Client author, compliance, manager, analyst;
};

TEST_P(AuthorizationApiTest, ComplianceRecordsAndAttachesTheSignedForm) {
  EXPECT_EQ(Record(author).status, 403);
  EXPECT_EQ(Record(manager).status, 403);
  TestResponse r = Record(compliance);
  ASSERT_EQ(r.status, 201) << r.body;
  json a = json::parse(r.body);
  EXPECT_EQ(a["patient_name"], "Maria Lopez");
  EXPECT_EQ(a["status"], "pending_form");
  EXPECT_EQ(a["form"], nullptr);
  EXPECT_EQ(r.Header("location"), "/api/v1/authorizations/" + a["id"].dump());
  const std::string path = "/api/v1/authorizations/" + a["id"].dump();

  // Bad input names the field.
  r = Send("POST", "/api/v1/authorizations",
           json{{"brand_id", cardiology_}, {"patient_name", "X"}, {"scope", "s"}}.dump(),
           &compliance);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "expires_at");
  r = Send("POST", "/api/v1/authorizations",
           json{{"brand_id", cardiology_},
                {"patient_name", "X"},
                {"scope", "s"},
                {"expires_at", "2020-01-01T00:00:00Z"}}
               .dump(),
           &compliance);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "expires_at");

  // The form is judged by content.
  r = Send("PUT", path + "/form", "Maria Lopez signed this", &compliance, "", "application/pdf");
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_THAT(r.body, Not(HasSubstr("Maria")));
  EXPECT_EQ(Send("PUT", path + "/form", kPdf, &author, "", "application/pdf").status, 403);
  r = Send("PUT", path + "/form", kPdf, &compliance, "", "application/pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  a = json::parse(r.body);
  EXPECT_EQ(a["status"], "valid");
  EXPECT_EQ(a["form"]["content_type"], "application/pdf");
  EXPECT_EQ(Send("PUT", path + "/form", kPdf, &compliance, "", "application/pdf").status, 409);

  // Authors of the brand read it (to attach it); analysts do not.
  r = Send("GET", "/api/v1/authorizations?status=valid", "", &author);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(json::parse(r.body)["items"].size(), 1u);
  EXPECT_EQ(Send("GET", path, "", &analyst).status, 403);
  // The signed form: compliance only, as an attachment, audited.
  EXPECT_EQ(Send("GET", path + "/form", "", &author).status, 403);
  r = Send("GET", path + "/form", "", &compliance);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kPdf);
  EXPECT_EQ(r.Header("content-type"), "application/pdf");
  EXPECT_THAT(r.Header("content-disposition"), HasSubstr("attachment"));
  EXPECT_THAT(AuditActions(), ::testing::Contains("authorization.view_form"));
}

// The issue's story: a post naming a patient is blocked; naming her valid authorization
// routes the finding to compliance instead; a name it does not cover still blocks.
TEST_P(AuthorizationApiTest, ValidAuthorizationTurnsTheBlockIntoComplianceReview) {
  const int64_t maria = Valid();
  TestResponse r =
      Send("POST", "/api/v1/posts",
           json{{"brand_id", cardiology_},
                {"master_text", "Maria Lopez is back on her bike six months after heart surgery."}}
               .dump(),
           &author);
  ASSERT_EQ(r.status, 201) << r.body;
  json post = json::parse(r.body);
  ASSERT_EQ(Master(post)["verdict"], "block") << post["findings"];
  EXPECT_TRUE(post["blocked"].get<bool>());
  const std::string path = "/api/v1/posts/" + post["id"].dump();

  r = Send("PATCH", path, json{{"authorization_ids", {maria}}}.dump(), &author);
  ASSERT_EQ(r.status, 200) << r.body;
  post = json::parse(r.body);
  EXPECT_EQ(post["authorization_ids"], json::array({maria}));
  EXPECT_FALSE(post["blocked"].get<bool>()) << post["findings"];
  EXPECT_EQ(Master(post)["verdict"], "review");
  EXPECT_THAT(post["required_approvals"].get<std::vector<std::string>>(),
              ::testing::Contains("compliance"));
  bool covered = false;
  for (const json& f : Master(post)["findings"]) {
    if (f["kind"] != "phi") continue;
    EXPECT_EQ(f["severity"], "review") << f;
    EXPECT_THAT(f["message"].get<std::string>(),
                HasSubstr("patient authorization " + std::to_string(maria)));
    EXPECT_EQ(f["authorization"]["id"], maria);
    covered = true;
  }
  EXPECT_TRUE(covered) << post["findings"].dump();

  // Tolerant of a possessive; a second patient it does not name still blocks.
  r = Send("PATCH", path,
           json{{"master_text", "Maria Lopez's story after heart surgery, and Ava Martinez's too."}}
               .dump(),
           &author);
  ASSERT_EQ(r.status, 200) << r.body;
  post = json::parse(r.body);
  EXPECT_TRUE(post["blocked"].get<bool>());
  int reviewed = 0, blocked = 0;
  for (const json& f : Master(post)["findings"]) {
    if (f["kind"] != "phi") continue;
    if (f["severity"] == "review") ++reviewed;
    if (f["severity"] == "block") ++blocked;
  }
  EXPECT_GE(reviewed, 1) << post["findings"].dump();
  EXPECT_GE(blocked, 1) << Master(post);

  // An authorization of another brand, or none at all, is refused by name.
  r = Send("PATCH", path, json{{"authorization_ids", {maria + 100}}}.dump(), &author);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "authorization_ids");
  r = Send("PATCH", path, json{{"authorization_ids", "1"}}.dump(), &author);
  EXPECT_EQ(r.status, 422);
}

TEST_P(AuthorizationApiTest, RevokingRestoresTheBlock) {
  const int64_t maria = Valid();
  TestResponse r = Send("POST", "/api/v1/posts",
                        json{{"brand_id", cardiology_},
                             {"master_text", "Maria Lopez is back on her bike."},
                             {"authorization_ids", {maria}}}
                            .dump(),
                        &author);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string post = "/api/v1/posts/" + json::parse(r.body)["id"].dump();
  ASSERT_FALSE(json::parse(r.body)["blocked"].get<bool>()) << r.body;
  ASSERT_EQ(Send("POST", post + "/submit", "", &author).status, 200);
  const std::string path = "/api/v1/authorizations/" + std::to_string(maria);
  EXPECT_EQ(Send("POST", path + "/revoke", R"({"reason":"x"})", &manager).status, 403);
  EXPECT_EQ(Send("POST", path + "/revoke", "{}", &compliance).status, 422);
  r = Send("POST", path + "/revoke", R"({"reason":"She withdrew her consent"})", &compliance);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "revoked");
  EXPECT_EQ(json::parse(r.body)["revoke_reason"], "She withdrew her consent");
  // Authors see that it is revoked, not why.
  EXPECT_EQ(json::parse(Send("GET", path, "", &author).body)["revoke_reason"], nullptr);
  const json p = json::parse(Send("GET", post, "", &author).body);
  EXPECT_TRUE(p["blocked"].get<bool>());
  EXPECT_EQ(p["status"], "in_review");
  EXPECT_EQ(p["revision"], 2);
  EXPECT_EQ(Master(p)["verdict"], "block");
  EXPECT_EQ(Send("POST", path + "/revoke", R"({"reason":"again"})", &compliance).status, 409);
}

// Every authorization route, in an order that makes each request valid, answers with a
// status and content type docs/openapi.yaml documents for it.
TEST_P(AuthorizationApiTest, EveryAuthorizationRouteAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  const TestResponse created = Record(compliance);
  const std::string path = "/api/v1/authorizations/" + json::parse(created.body)["id"].dump();
  const std::vector<std::tuple<std::string, std::string, TestResponse>> calls = {
      {"post", "/api/v1/authorizations", created},
      {"put", "/api/v1/authorizations/{id}/form",
       Send("PUT", path + "/form", kPdf, &compliance, "", "application/pdf")},
      {"get", "/api/v1/authorizations", Send("GET", "/api/v1/authorizations", "", &author)},
      {"get", "/api/v1/authorizations/{id}", Send("GET", path, "", &author)},
      {"get", "/api/v1/authorizations/{id}/form", Send("GET", path + "/form", "", &compliance)},
      {"post", "/api/v1/authorizations/{id}/revoke",
       Send("POST", path + "/revoke", R"({"reason":"ended"})", &compliance)},
  };
  size_t routes = 0;
  for (const App::RouteInfo& route : app_->routes()) {
    routes += testing::IsAuthorizationRoute(route.pattern);
  }
  EXPECT_EQ(routes, calls.size());
  for (const auto& [method, pattern, r] : calls) {
    const std::string key = method + " " + pattern;
    EXPECT_LT(r.status, 300) << key << " " << r.body;
    const json& responses = spec["paths"][pattern][method]["responses"];
    ASSERT_TRUE(responses.contains(std::to_string(r.status))) << key << " " << r.status;
    const json& documented = responses[std::to_string(r.status)];
    if (!documented.contains("content")) {
      EXPECT_TRUE(r.body.empty()) << key;
      continue;
    }
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(documented["content"].contains(ct.substr(0, ct.find(';')))) << key << " " << ct;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthorizationApiTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::http
