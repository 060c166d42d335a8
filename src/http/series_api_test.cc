// The series API end to end (a real server on loopback, the real guard, real domain
// services on SQLite and PostgreSQL): a weekday series materialized as screened posts
// that show their series, changes from now on, problems that name the field, and every
// series route answering as docs/openapi.yaml documents. The authorization matrix over
// every route lives in account_api_test.cc (its app carries the series routes too).
#include "http/series_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "http/api_testing.h"
#include "http/json_body.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::HasSubstr;
using testing::TestResponse;

constexpr char kClaimText[] = "Flu season is here. Vitamin D cures depression. Stop by!";

class SeriesApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("analyst@example.org", domain::Role::kAnalyst);
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    analyst = SignIn("analyst@example.org");
    author = SignIn("author@example.org");
  }

  json WeekdaySeries(const std::string& text) {
    return {{"brand_id", cardiology_},
            {"master_text", text},
            {"variants", {{{"platform", "facebook"}}}},
            {"rule",
             {{"frequency", "weekly"},
              {"weekdays", {"monday", "tuesday", "wednesday", "thursday", "friday"}},
              {"time", "09:00"},
              {"time_zone", "America/Los_Angeles"},
              {"start_date", "2026-06-01"}}}};
  }

  Client analyst, author;
};

TEST_P(SeriesApiTest, WeekdaySeriesBecomesScreenedPostsThatShowTheirSeries) {
  TestResponse r = Send("POST", "/api/v1/series", WeekdaySeries(kClaimText).dump(), &author);
  ASSERT_EQ(r.status, 201) << r.body;
  const json s = json::parse(r.body);
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["rule"]["time"], "09:00");
  EXPECT_EQ(s["rule"]["weekdays"].size(), 5u);
  EXPECT_EQ(s["description"], "every weekday at 09:00 America/Los_Angeles");
  const std::string id = s["id"].dump();
  r = Send("GET", "/api/v1/series/" + id + "/occurrences", "", &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  const json occ = json::parse(r.body)["items"];
  ASSERT_FALSE(occ.empty());
  EXPECT_EQ(occ[0]["series_date"], "2026-06-01");
  EXPECT_EQ(occ[0]["scheduled_at"], "2026-06-01T16:00:00.000Z");  // 09:00 PDT
  EXPECT_EQ(occ[0]["series_state"], "linked");
  // Each occurrence is a post screened like any other: the claim needs a clinician.
  r = Send("GET", "/api/v1/posts/" + occ[0]["post_id"].dump(), "", &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  const json post = json::parse(r.body);
  EXPECT_EQ(post["series_id"], s["id"]);
  EXPECT_EQ(post["series_date"], "2026-06-01");
  EXPECT_EQ(post["required_approvals"], json({"clinical_reviewer"}));
  EXPECT_EQ(post["time_zone"], "America/Los_Angeles");
  r = Send("GET", "/api/v1/posts?view=calendar&brand_id=" + std::to_string(cardiology_), "",
           &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"][0]["series_id"], s["id"]);
}

TEST_P(SeriesApiTest, ProblemsNameTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"rule", {{"frequency", "hourly"}}}}, "frequency"},
      {{{"rule", {{"time_zone", "Nowhere/Land"}}}}, "time_zone"},
      {{{"rule", {{"start_date", "2026-02-30"}}}}, "start_date"},
      {{{"rule", {{"weekdays", {"funday"}}}}}, "weekdays"},
      {{{"rule", {{"time", "25:00"}}}}, "time"},
      {{{"master_text", ""}}, "master_text"},
      {{{"brand_id", "x"}}, "brand_id"},
  };
  for (const auto& [patch, field] : cases) {
    json body = WeekdaySeries("Heart tip of the day.");
    body.merge_patch(patch);
    const TestResponse r = Send("POST", "/api/v1/series", body.dump(), &author);
    EXPECT_EQ(r.status, 422) << patch.dump() << " " << r.body;
    if (r.status == 422) {
      EXPECT_EQ(json::parse(r.body)["field"], field) << patch.dump();
    }
  }
  // Another brand than the author's: refused by the domain.
  json other = WeekdaySeries("Heart tip of the day.");
  other["brand_id"] = oncology_;
  EXPECT_EQ(Send("POST", "/api/v1/series", other.dump(), &author).status, 403);
}

// Every series route, in an order that makes each request valid, answers with a status
// and content type docs/openapi.yaml documents for it.
TEST_P(SeriesApiTest, EverySeriesRouteAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  std::set<std::string> seen;
  const auto call = [&](const std::string& method, const std::string& pattern,
                        const std::string& target, const json& body, const Client& as) {
    const TestResponse r = Send(method, target, body.is_null() ? "" : body.dump(), &as);
    std::string m = method;
    for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string key = method + " " + pattern;
    seen.insert(key);
    EXPECT_LT(r.status, 300) << key << " " << r.body;
    const json& op = spec["paths"][pattern][m];
    const std::string status = std::to_string(r.status);
    EXPECT_TRUE(op["responses"].contains(status)) << key << " answered " << status;
    if (!op["responses"].contains(status)) return json();
    const json& documented = op["responses"][status];
    if (!documented.contains("content")) {
      EXPECT_TRUE(r.body.empty()) << key;
      return json();
    }
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(documented["content"].contains(ct.substr(0, ct.find(';')))) << key << " " << ct;
    return json::parse(r.body, nullptr, false);
  };
  json s = call("POST", "/api/v1/series", "/api/v1/series", WeekdaySeries("Heart tip of the day."),
                author);
  const std::string path = "/api/v1/series/" + s["id"].dump();
  call("GET", "/api/v1/series", "/api/v1/series", nullptr, analyst);
  call("GET", "/api/v1/series/{id}", path, nullptr, analyst);
  json patched = call("PATCH", "/api/v1/series/{id}", path,
                      {{"master_text", "Heart tip of the day, new edition."}}, author);
  EXPECT_EQ(patched["master_text"], "Heart tip of the day, new edition.");
  json moved = call("POST", "/api/v1/series/{id}/zone-change", path + "/zone-change",
                    {{"from", "2026-06-15"}, {"time_zone", "America/New_York"}}, author);
  EXPECT_EQ(moved["rule"]["zone_changes"][0]["time_zone"], "America/New_York");
  json occ =
      call("GET", "/api/v1/series/{id}/occurrences", path + "/occurrences", nullptr, analyst);
  bool new_york = false;
  for (const json& o : occ["items"]) {
    if (o["status"] == "cancelled") continue;
    if (o["series_date"] >= "2026-06-15") {
      EXPECT_EQ(o["time_zone"], "America/New_York") << o;
      EXPECT_EQ(o["scheduled_at"].get<std::string>().substr(11, 5), "13:00") << o;
      new_york = true;
    }
  }
  EXPECT_TRUE(new_york);
  json ended = call("POST", "/api/v1/series/{id}/end", path + "/end", nullptr, author);
  EXPECT_EQ(ended["status"], "ended");
  for (const App::RouteInfo& route : app_->routes()) {
    if (!testing::IsSeriesRoute(route.pattern)) continue;
    EXPECT_TRUE(seen.count(route.method + " " + route.pattern))
        << route.method << " " << route.pattern;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesApiTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::http
