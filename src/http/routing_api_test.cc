// The routing rules API end to end (a real server on loopback, real domain services on
// SQLite and PostgreSQL): a manager sets a brand's rules, a bad rule is refused by name,
// an author cannot change them, a post follows them, and both routes answer as
// docs/openapi.yaml says. The authorization matrix over every route lives in
// account_api_test.cc.
#include "http/routing_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api_testing.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::HasSubstr;
using testing::TestResponse;

class RoutingApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    AddUser("manager@example.org", domain::Role::kManager);
    author = SignIn("author@example.org");
    manager = SignIn("manager@example.org");
    path = "/api/v1/brands/" + std::to_string(cardiology_) + "/routing";
  }
  Client author, manager;
  std::string path;
};

TEST_P(RoutingApiTest, ManagerSetsRulesAndPostsFollowThem) {
  const std::string tiktok = R"({"rules":[{"platform":"tiktok","require":"compliance"}]})";
  EXPECT_EQ(Send("PUT", path, tiktok, &author).status, 403);
  TestResponse r =
      Send("PUT", path, R"({"rules":[{"platform":"myspace","require":"manager"}]})", &manager);
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("rules[0].platform"));
  r = Send("PUT", path, tiktok, &manager);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(tiktok));
  r = Send("GET", path, "", &author);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(tiktok));
  r = Send("POST", "/api/v1/posts",
           json{{"brand_id", cardiology_},
                {"master_text", "Flu shots this Saturday at the main clinic."},
                {"variants", {{{"platform", "tiktok"}}}}}
               .dump(),
           &author);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["required_approvals"], json::array({"compliance"}));
  EXPECT_THAT(AuditActions(), ::testing::Contains("routing.update"));
}

// Both routes answer with a status and content type docs/openapi.yaml documents.
TEST_P(RoutingApiTest, EveryRoutingRouteAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  const std::vector<std::tuple<std::string, TestResponse>> calls = {
      {"put", Send("PUT", path, R"({"rules":[]})", &manager)},
      {"get", Send("GET", path, "", &author)},
  };
  size_t routes = 0;
  for (const App::RouteInfo& route : app_->routes())
    routes += testing::IsRoutingRoute(route.pattern);
  EXPECT_EQ(routes, calls.size());
  for (const auto& [method, r] : calls) {
    EXPECT_EQ(r.status, 200) << method << " " << r.body;
    const json& responses = spec["paths"]["/api/v1/brands/{id}/routing"][method]["responses"];
    ASSERT_TRUE(responses.contains(std::to_string(r.status))) << method;
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(responses[std::to_string(r.status)]["content"].contains(ct.substr(0, ct.find(';'))))
        << method << " " << ct;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RoutingApiTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::http
