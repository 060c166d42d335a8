// The planning API end to end (a real server on loopback, the real guard, real domain
// services on SQLite and PostgreSQL): composing screened posts, the approval workflow
// over HTTP, calendar filters, brand scoping, problem details that name the field, and
// every plan route answering as docs/openapi.yaml documents. The authorization matrix
// over every route lives in account_api_test.cc (its app carries the plan routes too).
#include "http/plan_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api_testing.h"
#include "http/json_body.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::TestResponse;

constexpr char kClean[] = "Join us Saturday for the community health fair.";
constexpr char kPhiText[] = "Happy birthday to our patient, MRN 00-4471-29, home today!";
constexpr char kClaimText[] = "Flu season is here. Vitamin D cures depression. Stop by!";

class PlanApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    for (const auto& [email, role] : std::vector<std::pair<std::string, domain::Role>>{
             {"manager@example.org", domain::Role::kManager},
             {"manager2@example.org", domain::Role::kManager},
             {"clinical@example.org", domain::Role::kClinicalReviewer},
             {"compliance@example.org", domain::Role::kCompliance},
             {"analyst@example.org", domain::Role::kAnalyst}}) {
      AddUser(email, role);
    }
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    admin = SignIn("admin@example.org");
    manager = SignIn("manager@example.org");
    manager2 = SignIn("manager2@example.org");
    clinical = SignIn("clinical@example.org");
    compliance = SignIn("compliance@example.org");
    analyst = SignIn("analyst@example.org");
    author = SignIn("author@example.org");
  }

  // A post by the author in Cardiology; its JSON.
  json NewPost(const std::string& text, json extra = json::object()) {
    extra["brand_id"] = cardiology_;
    extra["master_text"] = text;
    const TestResponse r = Send("POST", "/api/v1/posts", extra.dump(), &author);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body) : json::object();
  }

  TestResponse Act(const std::string& verb, int64_t id, const json& body, const Client& as) {
    return Send("POST", "/api/v1/posts/" + std::to_string(id) + "/" + verb, body.dump(), &as);
  }

  std::string Future(int days) { return Rfc3339(clock_.Now() + absl::Hours(24 * days)); }

  Client admin, manager, manager2, clinical, compliance, analyst, author;
};

INSTANTIATE_TEST_SUITE_P(Backends, PlanApiTest,
                         ::testing::Values(domain::testing::Backend::kSqliteMemory,
                                           domain::testing::Backend::kPostgres),
                         domain::testing::BackendName);

TEST_P(PlanApiTest, ThePostIsScreenedAndRoutedByItsFindings) {
  json p = NewPost(kClean, {{"variants", json::array({{{"platform", "x"}}})}});
  EXPECT_EQ(p["status"], "draft");
  EXPECT_EQ(p["required_approvals"], json::array({"manager"}));
  EXPECT_EQ(p["blocked"], false);
  EXPECT_EQ(p["findings"]["master"]["verdict"], "pass");
  EXPECT_TRUE(p["findings"].contains("x.text"));  // the master text, screened for X

  p = NewPost(kClaimText);
  EXPECT_THAT(p["required_approvals"], Contains("clinical_reviewer"));
  p = NewPost(kPhiText);
  EXPECT_THAT(p["required_approvals"], Contains("compliance"));
  EXPECT_EQ(p["blocked"], true);
  bool phi = false;
  for (const json& f : p["findings"]["master"]["findings"]) phi = phi || f["kind"] == "phi";
  EXPECT_TRUE(phi) << p["findings"].dump();
  // The post text stays out of the log.
  EXPECT_THAT(log_.str(), ::testing::Not(HasSubstr("00-4471-29")));

  // The first comment and a variant's own text are screened too.
  p = NewPost(
      kClean,
      {{"variants",
        json::array({{{"platform", "facebook"}, {"text", kClean}, {"first_comment", kPhiText}}})}});
  EXPECT_EQ(p["blocked"], true);
  EXPECT_THAT(p["required_approvals"], Contains("compliance"));
  EXPECT_EQ(p["findings"]["facebook.first_comment"]["verdict"], "block");
}

TEST_P(PlanApiTest, BlockedPostIsApprovedByComplianceAndScheduledOnlyAfterAnOverride) {
  const json p =
      NewPost(kPhiText, {{"scheduled_at", Future(2)}, {"time_zone", "America/New_York"}});
  const int64_t id = p["id"];
  ASSERT_EQ(Act("submit", id, json::object(), author).status, 200);
  // The compliance officer is told; the author cannot approve their own post.
  TestResponse r = Send("GET", "/api/v1/notifications?unread=true", "", &compliance);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["unread"], 1);
  EXPECT_EQ(json::parse(r.body)["items"][0]["kind"], "review_requested");
  EXPECT_EQ(Act("approve", id, json::object(), author).status, 403);  // no posts.review
  r = Act("approve", id, json::object(), manager);
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("compliance"));
  r = Act("approve", id, {{"comment", "Authorization on file."}}, compliance);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "approved");
  r = Act("schedule", id, json::object(), manager);
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("blocks"));
  EXPECT_EQ(Act("override", id, {{"reason", "I say so, trust me."}}, manager).status, 403);
  r = Act("override", id, json::object(), compliance);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "reason");
  r = Act("override", id, {{"reason", "HIPAA authorization 2026-114 on file."}}, compliance);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["override"]["reason"], "HIPAA authorization 2026-114 on file.");
  r = Act("schedule", id, json::object(), manager);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "scheduled");
  EXPECT_EQ(json::parse(r.body)["time_zone"], "America/New_York");
  // The author was told of the approval.
  r = Send("GET", "/api/v1/notifications", "", &author);
  const json n = json::parse(r.body);
  ASSERT_EQ(n["items"].size(), 1u);
  EXPECT_EQ(n["items"][0]["kind"], "approved");
  EXPECT_EQ(
      Send("POST", "/api/v1/notifications/" + n["items"][0]["id"].dump() + "/read", "", &author)
          .status,
      204);
  EXPECT_EQ(
      Send("POST", "/api/v1/notifications/" + n["items"][0]["id"].dump() + "/read", "", &manager)
          .status,
      404);
  EXPECT_EQ(
      json::parse(Send("GET", "/api/v1/notifications?unread=true", "", &author).body)["unread"], 0);
  const std::vector<std::string> actions = AuditActions();
  for (const char* a :
       {"post.create", "post.submit", "post.approve", "guard.override", "post.schedule"}) {
    EXPECT_THAT(actions, Contains(a));
  }
}

TEST_P(PlanApiTest, EditingAnApprovedPostSendsItBackWithTheOldRevisionKept) {
  const json p = NewPost(kClean, {{"scheduled_at", Future(3)}, {"time_zone", "UTC"}});
  const int64_t id = p["id"];
  const std::string path = "/api/v1/posts/" + std::to_string(id);
  ASSERT_EQ(Act("submit", id, json::object(), author).status, 200);
  ASSERT_EQ(Act("approve", id, json::object(), manager).status, 200);
  TestResponse r = Send("PATCH", path, json{{"master_text", kClaimText}}.dump(), &author);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["status"], "in_review");
  EXPECT_EQ(j["revision"], 2);
  EXPECT_THAT(j["required_approvals"], Contains("clinical_reviewer"));
  r = Send("GET", path + "/revisions", "", &clinical);
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["master_text"], kClean);
  EXPECT_EQ(j["items"][1]["master_text"], kClaimText);
  // Request changes, with the comment the author reads.
  r = Act("request-changes", id, json::object(), clinical);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "comment");
  ASSERT_EQ(Act("request-changes", id, {{"comment", "Cite the study."}}, clinical).status, 200);
  r = Send("GET", path + "/comments", "", &author);
  j = json::parse(r.body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["kind"], "request_changes");
  EXPECT_EQ(j["items"][0]["body"], "Cite the study.");
  r = Send("POST", path + "/comments", json{{"body", "Done, see revision 3."}}.dump(), &author);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Send("POST", path + "/comments", json{{"body", "hm"}}.dump(), &analyst).status, 403);
}

TEST_P(PlanApiTest, TimesInThePastAreRefusedWith422NamingScheduledAt) {
  const json p = NewPost(kClean, {{"scheduled_at", Future(2)}, {"time_zone", "UTC"}});
  const int64_t id = p["id"];
  const std::string path = "/api/v1/posts/" + std::to_string(id);
  const std::string past = Rfc3339(clock_.Now() - absl::Minutes(5));
  TestResponse r = Send("PATCH", path, json{{"scheduled_at", past}}.dump(), &author);
  ASSERT_EQ(r.status, 422) << r.body;
  json problem = json::parse(r.body);
  EXPECT_EQ(problem["field"], "scheduled_at");
  EXPECT_THAT(problem["detail"].get<std::string>(), HasSubstr("future"));
  // The planned time stayed.
  r = Send("GET", path, "", &author);
  EXPECT_EQ(json::parse(r.body)["scheduled_at"], p["scheduled_at"]);
  // Schedule says the same for an approved post.
  ASSERT_EQ(Act("submit", id, json::object(), author).status, 200);
  ASSERT_EQ(Act("approve", id, json::object(), manager).status, 200);
  r = Act("schedule", id, {{"scheduled_at", past}, {"time_zone", "UTC"}}, manager);
  ASSERT_EQ(r.status, 422) << r.body;
  problem = json::parse(r.body);
  EXPECT_EQ(problem["field"], "scheduled_at");
  EXPECT_THAT(problem["detail"].get<std::string>(), HasSubstr("future"));
  EXPECT_EQ(json::parse(Send("GET", path, "", &author).body)["status"], "approved");
}

// Hashtags are appended to the text when published, so they count toward the platform's
// limit: the length /api/v1/screen reports for the text as published (what the composer's
// counter shows) and the limit finding stored on save agree.
TEST_P(PlanApiTest, HashtagsCountTowardThePlatformLimitAsScreenCountsThem) {
  std::string text = kClean;
  for (int i = 0; i < 4; ++i) text += std::string(" ") + kClean;  // 239 characters
  const json tags = {"CommunityHealth", "HealthFair", "Saturday", "StayWell"};
  const std::string published = text + "\n\n#CommunityHealth #HealthFair #Saturday #StayWell";
  auto x_limit_findings = [](const json& post) {
    int n = 0;
    for (const json& f : post["findings"]["x.text"]["findings"]) n += f["kind"] == "platform_limit";
    return n;
  };
  const json without = NewPost(text, {{"variants", json::array({{{"platform", "x"}}})}});
  EXPECT_EQ(x_limit_findings(without), 0) << without["findings"].dump();
  const json with =
      NewPost(text, {{"variants", json::array({{{"platform", "x"}, {"hashtags", tags}}})}});
  EXPECT_EQ(x_limit_findings(with), 1) << with["findings"].dump();

  TestResponse r =
      Send("POST", "/api/v1/screen",
           json{{"text", published}, {"context", "post"}, {"platform", "x"}}.dump(), &author);
  ASSERT_EQ(r.status, 200) << r.body;
  const json screened = json::parse(r.body);
  EXPECT_EQ(screened["length"]["count"], 289);
  EXPECT_EQ(screened["length"]["limit"], 280);
  // The same text as stored: the findings' offsets point into the text as published.
  for (const json& f : with["findings"]["x.text"]["findings"]) {
    EXPECT_LE(f["end"].get<size_t>(), published.size());
  }
  // The domain builds exactly that text.
  domain::PostContent content{
      .master_text = text,
      .variants = {{.platform = "x", .hashtags = tags.get<std::vector<std::string>>()}}};
  EXPECT_EQ(domain::TextAsPublished(content, content.variants[0]), published);
  EXPECT_EQ(domain::TextAsPublished(content, {.platform = "x", .text = "Own."}), "Own.");
}

TEST_P(PlanApiTest, InlineCommentsCarryAnAnchorCheckedAgainstTheRevision) {
  const json p = NewPost(kClean);
  const int64_t id = p["id"];
  const std::string comments = "/api/v1/posts/" + std::to_string(id) + "/comments";
  ASSERT_EQ(Act("submit", id, json::object(), author).status, 200);
  // "community health fair" in the master text.
  const size_t start = std::string(kClean).find("community");
  const json anchor = {{"field", "master"}, {"start", start}, {"end", start + 21}};
  TestResponse r =
      Send("POST", comments, json{{"body", "Which park?"}, {"anchor", anchor}}.dump(), &clinical);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["anchor"]["revision"], 1);
  EXPECT_EQ(json::parse(r.body)["anchor"]["end"], start + 21);
  // A whole-post comment still has none.
  r = Send("POST", comments, json{{"body", "Looks fine otherwise."}}.dump(), &clinical);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(json::parse(r.body)["anchor"].is_null());

  struct Case {
    json anchor;
    const char* detail;
  };
  for (const Case& k : {
           Case{{{"field", "master"}, {"start", 0}, {"end", 4000}}, "anchor.end"},
           Case{{{"field", "master"}, {"start", -1}, {"end", 3}}, "anchor.start"},
           Case{{{"field", "tiktok.text"}, {"start", 0}, {"end", 3}}, "anchor.field"},
           Case{{{"field", "master"}, {"start", 0}, {"end", 3}, {"revision", 9}},
                "anchor.revision"},
           Case{{{"field", "master"}, {"start", 0}}, "anchor needs"},
           Case{{{"field", 3}, {"start", 0}, {"end", 3}}, "anchor.field"},
           Case{json::array(), "anchor must be"},
       }) {
    r = Send("POST", comments, json{{"body", "x"}, {"anchor", k.anchor}}.dump(), &clinical);
    EXPECT_EQ(r.status, 422) << k.anchor.dump() << r.body;
    const json problem = json::parse(r.body);
    EXPECT_EQ(problem["field"], "anchor") << r.body;
    EXPECT_THAT(problem["detail"].get<std::string>(), ::testing::StartsWith(k.detail)) << r.body;
  }
  r = Send("GET", comments, "", &author);
  ASSERT_EQ(r.status, 200) << r.body;
  const json items = json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["anchor"]["field"], "master");
  EXPECT_EQ(items[0]["anchor"]["start"], start);
  EXPECT_TRUE(items[1]["anchor"].is_null());
}

TEST_P(PlanApiTest, UnscheduledListsOnlyPostsWithoutATime) {
  const int64_t planned =
      NewPost(kClean, {{"scheduled_at", Future(2)}, {"time_zone", "UTC"}})["id"];
  const int64_t loose = NewPost(kClean)["id"];
  TestResponse r = Send("GET", "/api/v1/posts?view=calendar&unscheduled=true", "", &manager);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<int64_t> ids;
  const json listed = json::parse(r.body);
  for (const json& p : listed["items"]) {
    ids.push_back(p["id"]);
    EXPECT_TRUE(p["scheduled_at"].is_null());
  }
  EXPECT_THAT(ids, Contains(loose));
  EXPECT_THAT(ids, ::testing::Not(Contains(planned)));
  r = Send("GET", "/api/v1/posts?unscheduled=false", "", &manager);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"].size(), 2u);
  for (const char* bad : {"unscheduled=yes", "unscheduled=true&from=2026-01-01T00:00:00Z"}) {
    r = Send("GET", std::string("/api/v1/posts?") + bad, "", &manager);
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_EQ(json::parse(r.body)["field"], "unscheduled") << bad;
  }
}

TEST_P(PlanApiTest, CampaignsAndTheCalendarFilters) {
  TestResponse r = Send("POST", "/api/v1/campaigns",
                        json{{"brand_id", cardiology_},
                             {"name", "Flu Shots 2026"},
                             {"type", "seasonal"},
                             {"start_date", "2026-10-01"},
                             {"end_date", "2026-11-30"},
                             {"tags", {"flu"}}}
                            .dump(),
                        &manager);
  ASSERT_EQ(r.status, 201) << r.body;
  const json campaign = json::parse(r.body);
  EXPECT_EQ(campaign["utm_campaign"], "flu-shots-2026");
  EXPECT_EQ(Send("POST", "/api/v1/campaigns",
                 json{{"brand_id", cardiology_}, {"name", "x"}, {"type", "party"}}.dump(), &manager)
                .status,
            422);
  EXPECT_EQ(Send("POST", "/api/v1/campaigns",
                 json{{"brand_id", cardiology_}, {"name", "x"}, {"type", "event"}}.dump(), &author)
                .status,
            403);

  const json a = NewPost(
      kClean,
      {{"campaign_id", campaign["id"]},
       {"variants", json::array({{{"platform", "facebook"}, {"link", "https://e.org/flu"}}})},
       {"scheduled_at", Future(1)},
       {"time_zone", "UTC"}});
  EXPECT_EQ(a["variants"][0]["link_with_utm"],
            "https://e.org/flu?utm_source=facebook&utm_medium=social&utm_campaign=flu-shots-2026&"
            "utm_content=post-" +
                a["id"].dump());
  const json b = NewPost(kClean, {{"variants", json::array({{{"platform", "bluesky"}}})},
                                  {"scheduled_at", Future(10)},
                                  {"time_zone", "UTC"}});
  const auto ids = [&](const std::string& query, const Client& as) {
    const TestResponse res = Send("GET", "/api/v1/posts" + query, "", &as);
    EXPECT_EQ(res.status, 200) << query << " " << res.body;
    std::vector<int64_t> out;
    if (res.status == 200) {
      const json body = json::parse(res.body);  // kept alive while iterating
      for (const json& p : body["items"]) out.push_back(p["id"]);
    }
    return out;
  };
  const int64_t ia = a["id"], ib = b["id"];
  EXPECT_EQ(ids("", analyst), (std::vector<int64_t>{ia, ib}));
  EXPECT_EQ(ids("?campaign_id=" + campaign["id"].dump(), analyst), std::vector<int64_t>{ia});
  EXPECT_EQ(ids("?platform=bluesky", analyst), std::vector<int64_t>{ib});
  EXPECT_EQ(ids("?from=" + Future(0) + "&to=" + Future(5), analyst), std::vector<int64_t>{ia});
  EXPECT_EQ(ids("?status=draft&brand_id=" + std::to_string(cardiology_), analyst),
            (std::vector<int64_t>{ia, ib}));
  EXPECT_TRUE(ids("?brand_id=" + std::to_string(oncology_), analyst).empty());
  TestResponse page = Send("GET", "/api/v1/posts?limit=1", "", &analyst);
  EXPECT_EQ(json::parse(page.body)["next_cursor"], std::to_string(ia));
  EXPECT_EQ(ids("?limit=1&cursor=" + std::to_string(ia), analyst), std::vector<int64_t>{ib});
  ASSERT_EQ(Act("submit", ib, json::object(), author).status, 200);
  EXPECT_EQ(ids("?queue=mine", manager), std::vector<int64_t>{ib});
  EXPECT_TRUE(ids("?queue=mine", clinical).empty());
  for (const char* bad : {"?platform=myspace", "?status=done", "?from=yesterday", "?queue=all",
                          "?limit=500", "?brand_id=x"}) {
    const TestResponse res = Send("GET", std::string("/api/v1/posts") + bad, "", &analyst);
    EXPECT_EQ(res.status, 422) << bad;
  }
  // The calendar's summary view: a line of text and the platforms, no findings, and
  // pages of up to 1000.
  page = Send("GET", "/api/v1/posts?view=calendar&limit=1000&platform=facebook", "", &analyst);
  ASSERT_EQ(page.status, 200) << page.body;
  const json summary = json::parse(page.body)["items"];
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0]["id"], ia);
  EXPECT_EQ(summary[0]["platforms"], json::array({"facebook"}));
  EXPECT_EQ(summary[0]["excerpt"], kClean);
  EXPECT_EQ(summary[0]["campaign_id"], campaign["id"]);
  EXPECT_EQ(summary[0]["time_zone"], "UTC");
  EXPECT_FALSE(summary[0].contains("findings"));
  EXPECT_FALSE(summary[0].contains("master_text"));
  EXPECT_EQ(Send("GET", "/api/v1/posts?view=grid", "", &analyst).status, 422);
  EXPECT_EQ(Send("GET", "/api/v1/posts?limit=1000", "", &analyst).status, 422);
  // 99 bytes, then a two-byte character that would cross 100 bytes: cut before it.
  const json long_post = NewPost(std::string(99, 'a') + "\u00e9 and more");
  page = Send("GET", "/api/v1/posts?view=calendar&status=draft", "", &analyst);
  int found = 0;
  const json drafts = json::parse(page.body);  // kept alive while iterating
  for (const json& item : drafts["items"]) {
    if (item["id"] != long_post["id"]) continue;
    ++found;
    EXPECT_EQ(item["excerpt"], std::string(99, 'a') + "\u2026");
  }
  EXPECT_EQ(found, 1);
  // Campaign list, paged and filtered by brand.
  r = Send("GET", "/api/v1/campaigns?brand_id=" + std::to_string(cardiology_), "", &author);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["items"].size(), 1u);
  // A campaign with posts is not deleted.
  EXPECT_EQ(Send("DELETE", "/api/v1/campaigns/" + campaign["id"].dump(), "", &manager).status, 409);
}

TEST_P(PlanApiTest, BrandScopingAndFieldNamingProblems) {
  // The author writes for Cardiology only.
  TestResponse r = Send("POST", "/api/v1/posts",
                        json{{"brand_id", oncology_}, {"master_text", kClean}}.dump(), &author);
  EXPECT_EQ(r.status, 403);
  r = Send("POST", "/api/v1/posts", json{{"brand_id", oncology_}, {"master_text", kClean}}.dump(),
           &manager);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string onc = "/api/v1/posts/" + json::parse(r.body)["id"].dump();
  EXPECT_EQ(Send("GET", onc, "", &author).status, 404);
  EXPECT_EQ(Send("GET", onc + "/revisions", "", &author).status, 404);
  EXPECT_EQ(Send("GET", onc, "", &analyst).status, 200);

  const std::vector<std::pair<json, std::string>> cases = {
      {{{"master_text", kClean}}, "brand_id"},
      {{{"brand_id", cardiology_}}, "master_text"},
      {{{"brand_id", cardiology_}, {"master_text", ""}}, "master_text"},
      {{{"brand_id", cardiology_}, {"master_text", kClean}, {"variants", {{{"platform", "aol"}}}}},
       "variants"},
      {{{"brand_id", cardiology_},
        {"master_text", kClean},
        {"variants", {{{"platform", "x"}, {"link", "javascript:alert(1)"}}}}},
       "variants"},
      {{{"brand_id", cardiology_}, {"master_text", kClean}, {"scheduled_at", "tomorrow"}},
       "scheduled_at"},
      {{{"brand_id", cardiology_}, {"master_text", kClean}, {"scheduled_at", Future(1)}},
       "time_zone"},
      {{{"brand_id", cardiology_},
        {"master_text", kClean},
        {"scheduled_at", Future(1)},
        {"time_zone", "Pacific Time"}},
       "time_zone"},
      {{{"brand_id", cardiology_},
        {"master_text", kClean},
        {"scheduled_at", Future(1)},
        {"time_zone", "America/Springfield"}},
       "time_zone"},
      {{{"brand_id", cardiology_}, {"master_text", kClean}, {"campaign_id", 999}}, "campaign_id"},
      {{{"brand_id", cardiology_}, {"master_text", kClean}, {"color", "red"}}, "color"},
  };
  for (const auto& [body, field] : cases) {
    r = Send("POST", "/api/v1/posts", body.dump(), &author);
    EXPECT_EQ(r.status, 422) << body.dump() << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    if (r.status == 422) {
      EXPECT_EQ(json::parse(r.body)["field"], field) << body.dump();
    }
  }
}

// Every plan route, in an order that makes each request valid, answers with a status
// and content type docs/openapi.yaml documents for it.
TEST_P(PlanApiTest, EveryPlanRouteAnswersAsDocumented) {
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
    json documented = op["responses"][status];
    if (documented.contains("$ref")) {  // "#/components/responses/Post"
      const std::string ref = documented["$ref"];
      documented = spec["components"]["responses"][ref.substr(ref.rfind('/') + 1)];
    }
    if (!documented.contains("content")) {
      EXPECT_TRUE(r.body.empty()) << key;
      return json();
    }
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(documented["content"].contains(ct.substr(0, ct.find(';')))) << key << " " << ct;
    return json::parse(r.body, nullptr, false);
  };
  json c =
      call("POST", "/api/v1/campaigns", "/api/v1/campaigns",
           {{"brand_id", cardiology_}, {"name", "Heart Month"}, {"type", "awareness"}}, manager);
  const std::string cid = c["id"].dump();
  call("GET", "/api/v1/campaigns", "/api/v1/campaigns", nullptr, analyst);
  call("GET", "/api/v1/campaigns/{id}", "/api/v1/campaigns/" + cid, nullptr, analyst);
  call("PATCH", "/api/v1/campaigns/{id}", "/api/v1/campaigns/" + cid, {{"goal", "Screenings"}},
       manager);
  json p = call("POST", "/api/v1/posts", "/api/v1/posts",
                {{"brand_id", cardiology_},
                 {"master_text", kPhiText},
                 {"scheduled_at", Future(2)},
                 {"time_zone", "UTC"}},
                author);
  const std::string pid = p["id"].dump(), post = "/api/v1/posts/" + pid;
  call("GET", "/api/v1/posts", "/api/v1/posts", nullptr, analyst);
  call("GET", "/api/v1/posts/{id}", post, nullptr, analyst);
  call("PATCH", "/api/v1/posts/{id}", post, {{"campaign_id", c["id"]}}, author);
  call("POST", "/api/v1/posts/{id}/submit", post + "/submit", nullptr, author);
  call("POST", "/api/v1/posts/{id}/request-changes", post + "/request-changes",
       {{"comment", "Remove the record number."}}, compliance);
  call("POST", "/api/v1/posts/{id}/submit", post + "/submit", {{"comment", "As is."}}, author);
  call("POST", "/api/v1/posts/{id}/approve", post + "/approve", nullptr, compliance);
  call("POST", "/api/v1/posts/{id}/override", post + "/override",
       {{"reason", "Authorization on file."}}, compliance);
  call("POST", "/api/v1/posts/{id}/schedule", post + "/schedule", nullptr, manager);
  call("GET", "/api/v1/posts/{id}/revisions", post + "/revisions", nullptr, analyst);
  call("POST", "/api/v1/posts/{id}/comments", post + "/comments", {{"body", "Nice."}}, manager);
  call("GET", "/api/v1/posts/{id}/comments", post + "/comments", nullptr, analyst);
  call("POST", "/api/v1/posts/{id}/cancel", post + "/cancel", {{"reason", "Event moved."}},
       manager);
  json n = call("GET", "/api/v1/notifications", "/api/v1/notifications", nullptr, author);
  ASSERT_FALSE(n["items"].empty());
  call("POST", "/api/v1/notifications/{id}/read",
       "/api/v1/notifications/" + n["items"][0]["id"].dump() + "/read", nullptr, author);
  call("POST", "/api/v1/notifications/read-all", "/api/v1/notifications/read-all", nullptr, author);
  json d = call("POST", "/api/v1/posts", "/api/v1/posts",
                {{"brand_id", cardiology_}, {"master_text", kClean}}, author);
  call("DELETE", "/api/v1/posts/{id}", "/api/v1/posts/" + d["id"].dump(), nullptr, author);
  json c2 = call("POST", "/api/v1/campaigns", "/api/v1/campaigns",
                 {{"brand_id", cardiology_}, {"name", "Spare"}, {"type", "other"}}, manager);
  call("DELETE", "/api/v1/campaigns/{id}", "/api/v1/campaigns/" + c2["id"].dump(), nullptr,
       manager);
  // Every plan route was exercised.
  for (const App::RouteInfo& route : app_->routes()) {
    if (!testing::IsPlanRoute(route.pattern)) continue;
    EXPECT_TRUE(seen.count(route.method + " " + route.pattern))
        << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace carepost::http
