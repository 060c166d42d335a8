// The calendar's way in and out over HTTP, end to end (a real server on loopback, the
// real guard, real domain services on SQLite and PostgreSQL): CSV import all-or-nothing
// with problems by row and column, the guard on every imported post, export that
// imports back, and the iCalendar feed at a secret URL (parsed back with libical),
// its rotation, revocation, privacy default and organization boundary. Every calendar
// route answers as docs/openapi.yaml documents; the role matrix over every route lives
// in account_api_test.cc (its app carries these routes too).
#include "http/calendar_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/strings.h"
#include "http/api_testing.h"
#include "http/json_body.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestConnection;
using testing::TestResponse;

constexpr char kHeader[] = "date,time,time_zone,brand,campaign,platforms,text,hashtags\r\n";
constexpr char kClean[] = "Join us Saturday for the community health fair.";
constexpr char kPhiText[] = "Happy birthday to our patient, MRN 00-4471-29, home today!";

// A parsed iCalendar document, freed at the end of the scope.
struct Ical {
  explicit Ical(const std::string& text) : calendar(icalparser_parse_string(text.c_str())) {}
  ~Ical() {
    if (calendar != nullptr) icalcomponent_free(calendar);
  }
  Ical(const Ical&) = delete;
  Ical& operator=(const Ical&) = delete;

  std::vector<icalcomponent*> Events() const {
    std::vector<icalcomponent*> out;
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      out.push_back(c);
    }
    return out;
  }

  icalcomponent* calendar;
};

class CalendarApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("manager@example.org", domain::Role::kManager);
    AddUser("analyst@example.org", domain::Role::kAnalyst);
    AddUser("responder@example.org", domain::Role::kResponder);
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    admin = SignIn("admin@example.org");
    manager = SignIn("manager@example.org");
    analyst = SignIn("analyst@example.org");
    responder = SignIn("responder@example.org");
    author = SignIn("author@example.org");
  }

  TestResponse Import(const std::string& csv, const Client& as, const std::string& query = "") {
    return Send("POST", "/api/v1/calendar/import" + query, csv, &as, "", "text/csv");
  }

  // Every post of the organization the admin sees.
  json Posts() {
    const TestResponse r = Send("GET", "/api/v1/posts?limit=200", "", &admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["items"];
  }

  std::string Campaign(const std::string& name) {
    const TestResponse r = Send(
        "POST", "/api/v1/campaigns",
        json{{"brand_id", cardiology_}, {"name", name}, {"type", "awareness"}}.dump(), &manager);
    EXPECT_EQ(r.status, 201) << r.body;
    return name;
  }

  // A post of the author's, taken through review to scheduled `days` ahead.
  int64_t ScheduledPost(const std::string& text, int days) {
    TestResponse r =
        Send("POST", "/api/v1/posts",
             json{{"brand_id", cardiology_},
                  {"master_text", text},
                  {"variants", json::array({{{"platform", "facebook"}}, {{"platform", "x"}}})},
                  {"scheduled_at", Rfc3339(clock_.Now() + absl::Hours(24 * days))},
                  {"time_zone", "America/Chicago"}}
                 .dump(),
             &author);
    EXPECT_EQ(r.status, 201) << r.body;
    const int64_t id = json::parse(r.body)["id"];
    const std::string post = "/api/v1/posts/" + std::to_string(id);
    EXPECT_EQ(Send("POST", post + "/submit", "", &author).status, 200);
    EXPECT_EQ(Send("POST", post + "/approve", "", &manager).status, 200);
    r = Send("POST", post + "/schedule", "", &manager);
    EXPECT_EQ(r.status, 200) << r.body;
    return id;
  }

  // The feed URL's path ("/calendar/feed/<token>.ics") from POST /api/v1/calendar/feed.
  std::string NewFeed(const Client& as) {
    const TestResponse r = Send("POST", "/api/v1/calendar/feed", "", &as);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string url = json::parse(r.body)["url"];
    const std::string base = "https://carepost.example.org";
    EXPECT_EQ(url.substr(0, base.size()), base);
    return url.substr(base.size());
  }

  Client admin, manager, analyst, responder, author;
};

INSTANTIATE_TEST_SUITE_P(Backends, CalendarApiTest,
                         ::testing::Values(domain::testing::Backend::kSqliteMemory,
                                           domain::testing::Backend::kPostgres),
                         domain::testing::BackendName);

TEST_P(CalendarApiTest, ImportCreatesDraftsScreenedByTheGuardInOneGo) {
  Campaign("Heart Month");
  const std::string csv = std::string(kHeader) +
                          "2026-11-03,09:30,America/Chicago,Cardiology,heart month,"
                          "facebook;x,\"" +
                          kClean + "\",#heart health\r\n" +
                          "2026-11-04,10:00,UTC,cardiology,,instagram,\"" + kPhiText + "\",\r\n";
  const TestResponse r = Import(csv, author);
  ASSERT_EQ(r.status, 201) << r.body;
  const json j = json::parse(r.body);
  EXPECT_EQ(j["created"], 2);
  ASSERT_EQ(j["posts"].size(), 2u);
  EXPECT_EQ(j["posts"][0]["row"], 2);
  EXPECT_EQ(j["posts"][1]["row"], 3);
  // The second row's patient details are found exactly as POST /api/v1/posts finds them.
  EXPECT_EQ(j["posts"][0]["blocked"], false);
  EXPECT_THAT(j["posts"][1]["required_approvals"], Contains("compliance"));

  const TestResponse first =
      Send("GET", "/api/v1/posts/" + j["posts"][0]["id"].dump(), "", &author);
  ASSERT_EQ(first.status, 200);
  const json p = json::parse(first.body);
  EXPECT_EQ(p["status"], "draft");
  EXPECT_EQ(p["author_user_id"], author.user_id);
  EXPECT_EQ(p["brand_id"], cardiology_);
  EXPECT_FALSE(p["campaign_id"].is_null());
  EXPECT_EQ(p["scheduled_at"], "2026-11-03T15:30:00.000Z");  // 09:30 CST
  EXPECT_EQ(p["time_zone"], "America/Chicago");
  ASSERT_EQ(p["variants"].size(), 2u);
  EXPECT_EQ(p["variants"][0]["platform"], "facebook");
  EXPECT_EQ(p["variants"][0]["hashtags"], json::array({"heart", "health"}));
  const TestResponse second =
      Send("GET", "/api/v1/posts/" + j["posts"][1]["id"].dump(), "", &author);
  EXPECT_EQ(json::parse(second.body)["findings"]["master"]["verdict"], "block") << second.body;

  const std::vector<std::string> actions = AuditActions();
  EXPECT_THAT(actions, Contains("calendar.import"));
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "post.create"), 2);
}

TEST_P(CalendarApiTest, AFileLargerThanTheGeneralBodyLimitStillImports) {
  // 300 rows of about 4 KB: 1.2 MB, over the 1 MiB other routes take.
  std::string text;
  while (text.size() < 4000) text += std::string(kClean) + " ";
  std::string csv = kHeader;
  for (int i = 0; i < 300; ++i) {
    csv += "2026-11-03,09:30,UTC,Cardiology,,x,\"" + text + std::to_string(i) + "\",\r\n";
  }
  ASSERT_GT(csv.size(), size_t{1} << 20);
  const TestResponse r = Import(csv, author, "?dry_run=true");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(json::parse(r.body)["posts"].size(), 300u);
  // The route's own limit still holds, from the headers alone.
  TestConnection c(server_->port());
  ASSERT_TRUE(c.SendRaw(core::Cat("POST /api/v1/calendar/import HTTP/1.1\r\nHost: x\r\n",
                                  "Content-Length: ", kCalendarImportMaxBytes + 1, "\r\n\r\n")));
  EXPECT_EQ(c.Read().status, 413);
}

TEST_P(CalendarApiTest, OneBadRowRefusesTheFileNamingRowAndColumnAndCreatesNothing) {
  const std::string csv = std::string(kHeader) +
                          "2026-11-03,09:30,UTC,Cardiology,,facebook,Fine row,\r\n"
                          "2026-02-30,09:30,UTC,Cardiology,,facebook,Another fine row,\r\n"
                          "2026-11-05,09:30,UTC,Secret Ward Seven,,facebook,Third row,\r\n"
                          "2026-11-06,09:30,UTC,Cardiology,No Such Drive,facebook,Fourth,\r\n";
  const TestResponse r = Import(csv, author);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["type"], "urn:carepost:problem:invalid-csv");
  // The codec stops at the first pass: the bad date is reported on its own.
  ASSERT_EQ(j["problems"].size(), 1u) << r.body;
  EXPECT_EQ(j["problems"][0]["row"], 3);
  EXPECT_EQ(j["problems"][0]["column"], "date");
  EXPECT_EQ(j["problems"][0]["column_letter"], "A");
  EXPECT_THAT(j["problems"][0]["text"].get<std::string>(), HasSubstr("row 3, column date (A)"));
  EXPECT_THAT(r.body, Not(HasSubstr("2026-02-30")));
  EXPECT_TRUE(Posts().empty());

  // With the date fixed, the rows the server resolves are named: brand and campaign.
  std::string fixed = csv;
  fixed.replace(fixed.find("2026-02-30"), 10, "2026-11-04");
  const TestResponse again = Import(fixed, author);
  ASSERT_EQ(again.status, 422) << again.body;
  const json k = json::parse(again.body);
  ASSERT_EQ(k["problems"].size(), 2u) << again.body;
  EXPECT_EQ(k["problems"][0]["row"], 4);
  EXPECT_EQ(k["problems"][0]["column"], "brand");
  EXPECT_EQ(k["problems"][0]["column_letter"], "D");
  EXPECT_EQ(k["problems"][1]["row"], 5);
  EXPECT_EQ(k["problems"][1]["column"], "campaign");
  EXPECT_EQ(k["problems"][1]["column_letter"], "E");
  // Never the cells' content: calendar text may hold PHI.
  EXPECT_THAT(again.body, Not(HasSubstr("Secret Ward")));
  EXPECT_THAT(again.body, Not(HasSubstr("No Such Drive")));
  EXPECT_TRUE(Posts().empty());
  EXPECT_THAT(AuditActions(), Not(Contains("calendar.import")));
}

TEST_P(CalendarApiTest, BrandsTheCallerMayNotWriteForAreProblemsNotLeaks) {
  // The author writes for Cardiology only; Oncology exists but is not theirs.
  const std::string csv = std::string(kHeader) +
                          "2026-11-03,09:30,UTC,oncology,,facebook,Row,\r\n"
                          "2026-11-03,09:30,UTC,Cardiology,,facebook,Row,\r\n";
  const TestResponse r = Import(csv, author);
  ASSERT_EQ(r.status, 422) << r.body;
  const json j = json::parse(r.body);
  ASSERT_EQ(j["problems"].size(), 1u);
  EXPECT_EQ(j["problems"][0]["row"], 2);
  EXPECT_EQ(j["problems"][0]["column"], "brand");
  EXPECT_TRUE(Posts().empty());
}

TEST_P(CalendarApiTest, DryRunValidatesAndScreensButCreatesNothing) {
  const std::string csv =
      std::string(kHeader) + "2026-11-03,09:30,UTC,Cardiology,,facebook,\"" + kPhiText + "\",\r\n";
  const TestResponse r = Import(csv, author, "?dry_run=true");
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  EXPECT_EQ(j["dry_run"], true);
  EXPECT_EQ(j["created"], 0);
  EXPECT_THAT(j["posts"][0]["required_approvals"], Contains("compliance"));
  EXPECT_TRUE(Posts().empty());
  EXPECT_EQ(Import(csv, author, "?dry_run=maybe").status, 422);
  EXPECT_EQ(Send("POST", "/api/v1/calendar/import", csv, &author).status, 415);
}

TEST_P(CalendarApiTest, ExportImportsBackUnchangedAndGuardsFormulas) {
  const std::string formula = "=HYPERLINK(\"\"https://evil.example\"\",\"\"Win\"\")";
  const std::string csv = std::string(kHeader) +
                          "2026-11-03,09:30,America/New_York,Cardiology,,facebook;bluesky,\"'" +
                          formula + "\",flu\r\n" +
                          "2026-11-04,18:00,Europe/London,Cardiology,,linkedin,\"Two\nlines, "
                          "\"\"quoted\"\"\",\r\n";
  ASSERT_EQ(Import(csv, author).status, 201);
  json before = Posts();
  ASSERT_EQ(before.size(), 2u);
  // The apostrophe that kept the spreadsheet from running the formula is gone.
  EXPECT_EQ(before[0]["master_text"], "=HYPERLINK(\"https://evil.example\",\"Win\")");

  const TestResponse out = Send("GET",
                                "/api/v1/calendar/export?from=2026-11-01&to=2026-12-01&brand_id=" +
                                    std::to_string(cardiology_),
                                "", &analyst);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_THAT(out.Header("content-type"), HasSubstr("text/csv"));
  EXPECT_THAT(out.Header("content-disposition"), HasSubstr("attachment"));
  // Written with the apostrophe again: the spreadsheet shows text, not a formula.
  EXPECT_THAT(out.body, HasSubstr("\"'=HYPERLINK("));
  EXPECT_THAT(out.body, Not(HasSubstr(",=HYPERLINK")));
  EXPECT_THAT(out.body, HasSubstr("2026-11-03,09:30,America/New_York"));

  ASSERT_EQ(Import(out.body, author).status, 201);
  const json after = Posts();
  ASSERT_EQ(after.size(), 4u);
  for (size_t i = 0; i < 2; ++i) {
    for (const char* field : {"master_text", "scheduled_at", "time_zone", "brand_id"}) {
      EXPECT_EQ(after[i + 2][field], before[i][field]) << field;
    }
    EXPECT_EQ(after[i + 2]["variants"].size(), before[i]["variants"].size());
  }
  // A range with nothing in it is a file with only the header.
  const TestResponse empty = Send("GET", "/api/v1/calendar/export?from=2030-01-01", "", &analyst);
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(std::count(empty.body.begin(), empty.body.end(), '\n'), 1);
  EXPECT_EQ(Send("GET", "/api/v1/calendar/export?from=soon", "", &analyst).status, 422);
}

TEST_P(CalendarApiTest, TheFeedIsICalendarWithoutPostTextUnlessTheOrganizationAllowsIt) {
  const int64_t id = ScheduledPost(kClean, 3);
  ScheduledPost("A post far in the future.", 500);  // outside the year ahead
  const std::string path = NewFeed(analyst);
  EXPECT_THAT(path, HasSubstr("/calendar/feed/"));
  TestResponse r = Send("GET", path);  // no cookie: the URL is the credential
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.Header("content-type"), HasSubstr("text/calendar"));
  EXPECT_THAT(r.body, Not(HasSubstr("community health fair")));
  {
    Ical ical(r.body);
    ASSERT_NE(ical.calendar, nullptr);
    ASSERT_EQ(icalcomponent_isa(ical.calendar), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_count_errors(ical.calendar), 0);
    const std::vector<icalcomponent*> events = ical.Events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(std::string(icalcomponent_get_uid(events[0])),
              "post-" + std::to_string(id) + "@carepost.example.org");
    EXPECT_THAT(std::string(icalcomponent_get_summary(events[0])), HasSubstr("Facebook, X"));
    // The description holds the status and the link back, not the text.
    const char* description = icalcomponent_get_description(events[0]);
    ASSERT_NE(description, nullptr);
    EXPECT_THAT(std::string(description), Not(HasSubstr("health fair")));
    EXPECT_THAT(std::string(description), HasSubstr("/posts/" + std::to_string(id)));
  }
  // The status says a feed exists, and never repeats the token.
  TestResponse status = Send("GET", "/api/v1/calendar/feed", "", &analyst);
  ASSERT_EQ(status.status, 200);
  json s = json::parse(status.body);
  EXPECT_EQ(s["exists"], true);
  EXPECT_EQ(s["include_text"], false);
  EXPECT_FALSE(s["last_used_at"].is_null());
  EXPECT_THAT(status.body, Not(HasSubstr(path.substr(15, 20))));

  // Only an administrator may let post text into feeds.
  EXPECT_EQ(
      Send("PUT", "/api/v1/calendar/feed/settings", R"({"include_text":true})", &manager).status,
      403);
  ASSERT_EQ(
      Send("PUT", "/api/v1/calendar/feed/settings", R"({"include_text":true})", &admin).status,
      200);
  r = Send("GET", path);
  ASSERT_EQ(r.status, 200);
  {
    Ical ical(r.body);
    ASSERT_NE(ical.calendar, nullptr);
    const std::vector<icalcomponent*> events = ical.Events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_THAT(std::string(icalcomponent_get_description(events[0])), HasSubstr(kClean));
  }
  EXPECT_THAT(AuditActions(), Contains("organization.calendar_feed_text"));
}

TEST_P(CalendarApiTest, RotationAndRevocationEndTheOldUrl) {
  ScheduledPost(kClean, 2);
  const std::string first = NewFeed(analyst);
  EXPECT_EQ(Send("GET", first).status, 200);
  const std::string second = NewFeed(analyst);
  EXPECT_NE(first, second);
  EXPECT_EQ(Send("GET", first).status, 404);
  EXPECT_EQ(Send("GET", second).status, 200);
  EXPECT_EQ(Send("DELETE", "/api/v1/calendar/feed", "", &analyst).status, 204);
  const TestResponse gone = Send("GET", second);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(json::parse(gone.body)["type"], "urn:carepost:problem:not-found");
  EXPECT_EQ(json::parse(Send("GET", "/api/v1/calendar/feed", "", &analyst).body)["exists"], false);
  // Revoking again is fine; made-up and malformed tokens are just as unknown.
  EXPECT_EQ(Send("DELETE", "/api/v1/calendar/feed", "", &analyst).status, 204);
  EXPECT_EQ(Send("GET", "/calendar/feed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics").status,
            404);
  EXPECT_EQ(Send("GET", "/calendar/feed/%00.ics").status, 404);
  EXPECT_EQ(Send("GET", second.substr(0, second.size() - 4)).status, 404);  // no .ics
  const std::vector<std::string> actions = AuditActions();
  EXPECT_THAT(actions, Contains("calendar_feed.create"));
  EXPECT_THAT(actions, Contains("calendar_feed.rotate"));
  EXPECT_THAT(actions, Contains("calendar_feed.revoke"));
}

TEST_P(CalendarApiTest, ADisabledUsersFeedStopsWorking) {
  ScheduledPost(kClean, 2);
  const std::string path = NewFeed(analyst);
  ASSERT_EQ(Send("GET", path).status, 200);
  ASSERT_TRUE(users_->DisableUser(domain::Actor::Cli(), analyst.user_id).ok());
  EXPECT_EQ(Send("GET", path).status, 404);
}

TEST_P(CalendarApiTest, AFeedShowsOnlyWhatItsOwnerMayRead) {
  ScheduledPost(kClean, 2);
  // Another organization's administrator sees none of this organization's posts.
  AddUser("boss@elsewhere.example", domain::Role::kAdmin, std::nullopt, other_org_);
  const Client boss = SignIn("boss@elsewhere.example");
  TestResponse r = Send("GET", NewFeed(boss));
  ASSERT_EQ(r.status, 200);
  {
    Ical ical(r.body);
    ASSERT_NE(ical.calendar, nullptr);
    EXPECT_TRUE(ical.Events().empty()) << r.body;
  }
  // An author of Oncology does not see Cardiology's posts either.
  AddUser("onco@example.org", domain::Role::kAuthor, oncology_);
  r = Send("GET", NewFeed(SignIn("onco@example.org")));
  ASSERT_EQ(r.status, 200);
  Ical ical(r.body);
  ASSERT_NE(ical.calendar, nullptr);
  EXPECT_TRUE(ical.Events().empty()) << r.body;
}

TEST_P(CalendarApiTest, PermissionsAreEnforced) {
  const std::string csv =
      std::string(kHeader) + "2026-11-03,09:30,UTC,Cardiology,,facebook,Row,\r\n";
  EXPECT_EQ(Import(csv, analyst).status, 403);    // no posts.draft anywhere
  EXPECT_EQ(Import(csv, responder).status, 403);  // nor posts.read
  EXPECT_EQ(Send("GET", "/api/v1/calendar/export", "", &responder).status, 403);
  EXPECT_EQ(Send("POST", "/api/v1/calendar/feed", "", &responder).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/calendar/feed", "", &responder).status, 403);
  EXPECT_EQ(Send("DELETE", "/api/v1/calendar/feed", "", &responder).status, 403);
  EXPECT_EQ(Import(csv, author).status, 201);
  EXPECT_EQ(Import(csv, Client{}).status, 401);
}

// Every calendar route answers a valid request with a status and content type that
// docs/openapi.yaml documents for it.
TEST_P(CalendarApiTest, EveryCalendarRouteAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  std::set<std::string> seen;
  const auto check = [&](const std::string& method, const std::string& pattern,
                         const TestResponse& r) {
    std::string m = method;
    for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    seen.insert(method + " " + pattern);
    ASSERT_TRUE(spec["paths"].contains(pattern)) << pattern;
    const json& op = spec["paths"][pattern][m];
    const std::string status = std::to_string(r.status);
    ASSERT_TRUE(op["responses"].contains(status)) << method << " " << pattern << " " << status;
    json documented = op["responses"][status];
    if (documented.contains("$ref")) {  // "#/components/responses/Problem"
      const std::string ref = documented["$ref"];
      documented = spec["components"]["responses"][ref.substr(ref.rfind('/') + 1)];
    }
    if (!documented.contains("content")) {
      EXPECT_TRUE(r.body.empty()) << pattern;
      return;
    }
    const std::string ct = r.Header("content-type");
    EXPECT_TRUE(documented["content"].contains(ct.substr(0, ct.find(';'))))
        << method << " " << pattern << " " << ct;
  };
  ScheduledPost(kClean, 2);
  const std::string good =
      std::string(kHeader) + "2026-11-03,09:30,UTC,Cardiology,,facebook,Row,\r\n";
  const std::string bad = std::string(kHeader) + "2026-11-03,09:30,UTC,Cardiology,,,Row,\r\n";
  check("POST", "/api/v1/calendar/import", Import(good, author));
  check("POST", "/api/v1/calendar/import", Import(good, author, "?dry_run=true"));
  check("POST", "/api/v1/calendar/import", Import(bad, author));
  check("GET", "/api/v1/calendar/export", Send("GET", "/api/v1/calendar/export", "", &analyst));
  check("GET", "/api/v1/calendar/feed", Send("GET", "/api/v1/calendar/feed", "", &analyst));
  const TestResponse made = Send("POST", "/api/v1/calendar/feed", "", &analyst);
  check("POST", "/api/v1/calendar/feed", made);
  const std::string url = json::parse(made.body)["url"];
  const std::string path = url.substr(url.find("/calendar/feed/"));
  check("GET", "/calendar/feed/{file}", Send("GET", path));
  check("PUT", "/api/v1/calendar/feed/settings",
        Send("PUT", "/api/v1/calendar/feed/settings", R"({"include_text":false})", &admin));
  check("DELETE", "/api/v1/calendar/feed", Send("DELETE", "/api/v1/calendar/feed", "", &analyst));
  check("GET", "/calendar/feed/{file}", Send("GET", path));
  for (const App::RouteInfo& route : app_->routes()) {
    if (!testing::IsCalendarRoute(route.pattern)) continue;
    EXPECT_TRUE(seen.count(route.method + " " + route.pattern))
        << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace carepost::http
