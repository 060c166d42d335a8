// The media API end to end (a real server on loopback, real domain services on SQLite
// and PostgreSQL, media bytes in memory): uploads typed by content and stripped of
// their GPS, the clean copy served with safe headers, per-platform fitness and the
// schedule check, alt text required and screened, brand and organization scoping, the
// per-route body limit, and every media route answering as docs/openapi.yaml says.
// The authorization matrix over every route lives in account_api_test.cc.
#include "http/media_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api_testing.h"
#include "http/json_body.h"
#include "plan/media_testing.h"

namespace carepost::http {
namespace {

using nlohmann::json;
using testing::Client;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestConnection;
using testing::TestResponse;

class MediaApiTest : public testing::ApiTest {
 protected:
  void SetUp() override {
    testing::ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("author@example.org", domain::Role::kAuthor, cardiology_);
    AddUser("onco-author@example.org", domain::Role::kAuthor, oncology_);
    AddUser("manager@example.org", domain::Role::kManager);
    AddUser("analyst@example.org", domain::Role::kAnalyst);
    AddUser("outsider@example.org", domain::Role::kAdmin, std::nullopt, other_org_);
    admin = SignIn("admin@example.org");
    author = SignIn("author@example.org");
    onco_author = SignIn("onco-author@example.org");
    manager = SignIn("manager@example.org");
    analyst = SignIn("analyst@example.org");
    outsider = SignIn("outsider@example.org");
  }

  TestResponse Upload(const std::string& bytes, const Client& as, int64_t brand = 0,
                      const std::string& filename = "IMG_0042.JPG") {
    return Send("POST",
                "/api/v1/media?brand_id=" + std::to_string(brand ? brand : cardiology_) +
                    "&filename=" + filename,
                bytes, &as);
  }

  int64_t Uploaded(const std::string& bytes, const Client& as, int64_t brand = 0) {
    const TestResponse r = Upload(bytes, as, brand);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<int64_t>() : 0;
  }

  std::string Future(int days) { return Rfc3339(clock_.Now() + absl::Hours(24 * days)); }

  Client admin, author, onco_author, manager, analyst, outsider;
};

INSTANTIATE_TEST_SUITE_P(Backends, MediaApiTest,
                         ::testing::Values(domain::testing::Backend::kSqliteMemory,
                                           domain::testing::Backend::kPostgres),
                         domain::testing::BackendName);

TEST_P(MediaApiTest, UploadLosesItsGpsAndTheCleanCopyIsServedSafely) {
  const std::string dirty = plan::testing::JpegWithGps();
  TestResponse r = Upload(dirty, author, 0, "Jane%20Doe%20room%204.png");
  ASSERT_EQ(r.status, 201) << r.body;
  const json m = json::parse(r.body);
  EXPECT_EQ(m["content_type"], "image/jpeg");  // by content, not by the name
  EXPECT_EQ(m["kind"], "image");
  EXPECT_EQ(m["width"], plan::testing::kW);
  EXPECT_EQ(m["height"], plan::testing::kH);
  EXPECT_EQ(m["metadata_stripped"], true);
  EXPECT_EQ(m["filename"], "Jane_Doe_room_4.jpg");
  EXPECT_THAT(m["metadata_removed"].dump(), HasSubstr("Exif"));
  EXPECT_EQ(r.Header("location"), "/api/v1/media/" + m["id"].dump());
  EXPECT_THAT(AuditActions(), Contains("media.upload"));
  EXPECT_THAT(log_.str(), Not(HasSubstr("Jane")));

  r = Send("GET", m["content_url"].get<std::string>(), "", &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "image/jpeg");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("content-disposition"), "inline; filename=\"Jane_Doe_room_4.jpg\"");
  EXPECT_THAT(r.Header("cache-control"), HasSubstr("private"));
  EXPECT_EQ(r.body.size(), m["bytes"].get<size_t>());
  EXPECT_EQ(r.body.find(plan::testing::kGpsLatitude), std::string::npos);
  EXPECT_EQ(r.body.find("Exif"), std::string::npos);
  EXPECT_EQ(plan::testing::DecodeJpeg(r.body),
            plan::testing::DecodeJpeg(plan::testing::EncodeJpeg()));

  r = Send("GET", "/api/v1/media/" + m["id"].dump(), "", &analyst);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["sha256"], m["sha256"]);
}

TEST_P(MediaApiTest, TypeComesFromTheContent) {
  TestResponse r = Upload("This is a text file, whatever its name says.", author, 0, "photo.png");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(json::parse(r.body)["type"], "urn:carepost:problem:unsupported-media-type");
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("JPEG, PNG"));
  r = Upload("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>", author, 0, "a.jpg");
  EXPECT_EQ(r.status, 415);
  // A JPEG cut short is a broken file: 422 naming the offset.
  r = Upload(plan::testing::EncodeJpeg().substr(0, 40), author);
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("malformed at byte"));
  r = Send("POST", "/api/v1/media?filename=a.jpg", plan::testing::EncodeJpeg(), &author);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "brand_id");
  EXPECT_EQ(Upload("", author).status, 422);
  EXPECT_THAT(AuditActions(), Not(Contains("media.upload")));
}

TEST_P(MediaApiTest, UploadsHaveTheirOwnBodyLimit) {
  // 2 MB is over the 1 MiB every other route takes, and fine here.
  EXPECT_EQ(Upload(plan::testing::JpegOfSize(2'000'000), author).status, 201);
  // (Only the headers are sent where the body is refused: the server closes the
  // connection once it has answered.)
  TestConnection posts(server_->port());
  ASSERT_TRUE(
      posts.SendRaw("POST /api/v1/posts HTTP/1.1\r\nHost: x\r\n"
                    "Content-Length: 2000000\r\n\r\n"));
  EXPECT_EQ(posts.Read().status, 413);
  // Over the service's limit (8 MB in this fixture): 413 from the service.
  TestResponse r = Upload(plan::testing::JpegOfSize(9'000'000), author);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["type"], "urn:carepost:problem:body-too-large");
  // Over the server's limit for the route (10 MB): refused from the headers alone.
  TestConnection c(server_->port());
  ASSERT_TRUE(
      c.SendRaw("POST /api/v1/media?brand_id=1 HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 11000000\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 413);
}

TEST_P(MediaApiTest, OnlyTheBrandsReadersSeeTheMedia) {
  const int64_t id = Uploaded(plan::testing::EncodeJpeg(), author);
  const std::string path = "/api/v1/media/" + std::to_string(id);
  for (const Client* c : {&outsider, &onco_author}) {
    EXPECT_EQ(Send("GET", path, "", c).status, 404);
    EXPECT_EQ(Send("GET", path + "/content", "", c).status, 404);
    EXPECT_EQ(Send("DELETE", path, "", c).status, 404);
  }
  EXPECT_EQ(Send("GET", path + "/content").status, 401);
  EXPECT_EQ(Upload(plan::testing::EncodeJpeg(), author, oncology_).status, 403);
  EXPECT_EQ(Send("DELETE", path, "", &analyst).status, 403);
  EXPECT_EQ(Send("DELETE", path, "", &author).status, 204);
  EXPECT_EQ(Send("GET", path, "", &author).status, 404);
}

TEST_P(MediaApiTest, AnotherBrandsMediaCannotBeAttached) {
  const int64_t cardio = Uploaded(plan::testing::EncodeJpeg(), author);
  const int64_t onco = Uploaded(plan::testing::EncodeJpeg(), admin, oncology_);
  for (const auto& [as, brand, media] : std::vector<std::tuple<Client, int64_t, int64_t>>{
           {onco_author, oncology_, cardio}, {author, cardiology_, onco}}) {
    const TestResponse r =
        Send("POST", "/api/v1/posts",
             json{{"brand_id", brand},
                  {"master_text", "Flu shots this week."},
                  {"media", json::array({{{"media_id", media}, {"alt_text", "A nurse smiles."}}})}}
                 .dump(),
             &as);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(), HasSubstr("media[0].media_id"));
    EXPECT_EQ(json::parse(r.body)["field"], "media");
  }
  // An attached upload cannot be deleted.
  const TestResponse p =
      Send("POST", "/api/v1/posts",
           json{{"brand_id", cardiology_},
                {"master_text", "Flu shots this week."},
                {"media", json::array({{{"media_id", cardio}, {"alt_text", "A nurse smiles."}}})}}
               .dump(),
           &author);
  ASSERT_EQ(p.status, 201) << p.body;
  EXPECT_EQ(json::parse(p.body)["media"][0]["media_id"], cardio);
  EXPECT_EQ(Send("DELETE", "/api/v1/media/" + std::to_string(cardio), "", &author).status, 409);
}

TEST_P(MediaApiTest, AltTextIsRequiredAndScreenedLikeThePostText) {
  const int64_t id = Uploaded(plan::testing::EncodeJpeg(), author);
  json post = {{"brand_id", cardiology_},
               {"master_text", "Join us Saturday for the community health fair."},
               {"media", json::array({{{"media_id", id}, {"alt_text", ""}}})}};
  TestResponse r = Send("POST", "/api/v1/posts", post.dump(), &author);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["field"], "media");
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(),
              HasSubstr("media[0].alt_text is required"));

  post["media"][0]["alt_text"] = "Our patient Maria Gonzalez, MRN 00-4471-29, rings the bell.";
  r = Send("POST", "/api/v1/posts", post.dump(), &author);
  ASSERT_EQ(r.status, 201) << r.body;
  const json p = json::parse(r.body);
  EXPECT_EQ(p["findings"]["master"]["verdict"], "pass");
  EXPECT_EQ(p["findings"]["media[0].alt_text"]["verdict"], "block") << p["findings"].dump();
  bool phi = false;
  for (const json& f : p["findings"]["media[0].alt_text"]["findings"]) {
    phi = phi || f["kind"] == "phi";
  }
  EXPECT_TRUE(phi);
  EXPECT_EQ(p["blocked"], true);
  EXPECT_THAT(p["required_approvals"], Contains("compliance"));
  EXPECT_THAT(log_.str(), Not(HasSubstr("Gonzalez")));

  // Fixing the alt text is an edit like any other: the block goes.
  r = Send(
      "PATCH", "/api/v1/posts/" + p["id"].dump(),
      json{{"media", json::array({{{"media_id", id},
                                   {"alt_text", "A bell on the wall of the cancer center."}}})}}
          .dump(),
      &author);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["blocked"], false);
  EXPECT_EQ(json::parse(r.body)["media"][0]["alt_text"],
            "A bell on the wall of the cancer center.");
}

TEST_P(MediaApiTest, TooLargeForXFineForFacebookAndSchedulingSaysSo) {
  TestResponse r = Upload(plan::testing::JpegOfSize(6'000'000), author);
  ASSERT_EQ(r.status, 201) << r.body;
  const json m = json::parse(r.body);
  std::map<std::string, json> fit;
  for (const json& f : m["platforms"]) fit[f["platform"]] = f;
  EXPECT_EQ(fit["x"]["fits"], false);
  EXPECT_EQ(fit["x"]["reason"], "X takes JPEG files up to 5.0 MB; this one is 6.0 MB");
  EXPECT_EQ(fit["facebook"]["fits"], true);
  EXPECT_EQ(fit["facebook"]["reason"], nullptr);
  EXPECT_EQ(fit["bluesky"]["fits"], false);

  r = Send(
      "POST", "/api/v1/posts",
      json{{"brand_id", cardiology_},
           {"master_text", "Join us Saturday for the community health fair."},
           {"variants", json::array({{{"platform", "x"}}, {{"platform", "facebook"}}})},
           {"media",
            json::array({{{"media_id", m["id"]}, {"alt_text", "A chart of flu cases by week."}}})},
           {"scheduled_at", Future(2)},
           {"time_zone", "America/New_York"}}
          .dump(),
      &author);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string post = "/api/v1/posts/" + json::parse(r.body)["id"].dump();
  ASSERT_EQ(Send("POST", post + "/submit", "", &author).status, 200);
  ASSERT_EQ(Send("POST", post + "/approve", "", &manager).status, 200);
  r = Send("POST", post + "/schedule", "", &manager);
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(json::parse(r.body)["detail"].get<std::string>(),
              HasSubstr("cannot go to x: X takes JPEG files up to 5.0 MB"));
}

// Every media route, in an order that makes each request valid, answers with a status and
// content type docs/openapi.yaml documents for it.
TEST_P(MediaApiTest, EveryMediaRouteAnswersAsDocumented) {
  const json spec = json::parse(OpenApiJson());
  const TestResponse up = Upload(plan::testing::EncodeJpeg(), author);
  const std::string path = "/api/v1/media/" + json::parse(up.body)["id"].dump();
  const std::vector<std::tuple<std::string, std::string, TestResponse>> calls = {
      {"post", "/api/v1/media", up},
      {"get", "/api/v1/media/{id}", Send("GET", path, "", &analyst)},
      {"get", "/api/v1/media/{id}/content", Send("GET", path + "/content", "", &analyst)},
      {"delete", "/api/v1/media/{id}", Send("DELETE", path, "", &author)},
  };
  size_t routes = 0;
  for (const App::RouteInfo& route : app_->routes()) routes += testing::IsMediaRoute(route.pattern);
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

}  // namespace
}  // namespace carepost::http
