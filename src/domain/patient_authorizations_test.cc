#include "domain/patient_authorizations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/plan_testing.h"

namespace carepost::domain {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Duration kDay = absl::Hours(24);
const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

PatientAuthorization Maria(int64_t id = 7) {
  return PatientAuthorization{.id = id,
                              .patient_name = "Maria  Lopez",
                              .details = {"Springfield", "Mari", "breast cancer"},
                              .media_ids = {12},
                              .expires_at = absl::FromUnixSeconds(2'000'000'000)};
}

TEST(CoverWordsTest, CaseSpacesPunctuationAndPossessives) {
  EXPECT_THAT(CoverWords("  Maria\tLOPEZ's "), ElementsAre("maria", "lopez"));
  EXPECT_THAT(CoverWords("Maria Lopez\xE2\x80\x99s"), ElementsAre("maria", "lopez"));
  EXPECT_THAT(CoverWords("the Lopez' family"), ElementsAre("the", "lopez", "family"));
  EXPECT_THAT(CoverWords("O'Brien"), ElementsAre("o'brien"));
  EXPECT_THAT(CoverWords("Jos\xC3\xA9-Luis"), ElementsAre("jos\xC3\xA9", "luis"));
  EXPECT_THAT(CoverWords(" .,;- "), ElementsAre());
}

TEST(AuthorizationCoverTest, MatchesTheCoveredDetailsTolerantly) {
  AuthorizationCover cover;
  EXPECT_TRUE(cover.empty());
  cover.Add(Maria());
  EXPECT_FALSE(cover.empty());
  for (const char* span :
       {"Maria Lopez", "maria lopez", "MARIA   LOPEZ", "Maria Lopez's", "Maria\nLopez", "Ms. Lopez",
        "Maria", "Lopez's", "springfield", "Mari", "Breast Cancer"}) {
    std::optional<CoverMatch> m = cover.Match(span);
    ASSERT_TRUE(m.has_value()) << span;
    EXPECT_EQ(m->authorization_id, 7) << span;
  }
  for (const char* span : {"Mario Lopez", "Maria Lopes", "John Smith", "Lopez Maria",
                           "Maria Lopez Garcia", "Shelbyville", "Ms.", "", "Marianne"}) {
    EXPECT_FALSE(cover.Match(span).has_value()) << span;
  }
}

TEST(AuthorizationCoverTest, AltTextNeedsTheMediaCovered) {
  AuthorizationCover cover;
  cover.Add(Maria());
  EXPECT_TRUE(cover.Match("Maria Lopez", 12).has_value());
  EXPECT_FALSE(cover.Match("Maria Lopez", 13).has_value());
  // A second authorization that covers the other photo.
  PatientAuthorization other = Maria(8);
  other.media_ids = {13};
  cover.Add(other);
  EXPECT_EQ(cover.Match("Maria Lopez", 13)->authorization_id, 8);
  EXPECT_EQ(cover.Match("Maria Lopez")->authorization_id, 7);
}

TEST(AuthorizationStatusTest, RevokedBeatsExpiredBeatsPending) {
  const absl::Time now = absl::FromUnixSeconds(1'900'000'000);
  PatientAuthorization a = Maria();
  EXPECT_EQ(a.StatusAt(now), AuthorizationStatus::kPendingForm);
  a.form = AuthorizationForm{.content_type = "application/pdf", .bytes = 10};
  EXPECT_EQ(a.StatusAt(now), AuthorizationStatus::kValid);
  EXPECT_EQ(a.StatusAt(a.expires_at), AuthorizationStatus::kExpired);
  a.revoked_at = now;
  EXPECT_EQ(a.StatusAt(now), AuthorizationStatus::kRevoked);
  EXPECT_EQ(AuthorizationStatusName(AuthorizationStatus::kPendingForm), "pending_form");
}

std::string CoveredFindings(int64_t authorization_id) {
  return json{
      {"master",
       {{"verdict", "review"},
        {"findings",
         {{{"kind", "phi"},
           {"type", "NAME"},
           {"start", 0},
           {"end", 11},
           {"severity", "review"},
           {"message", "covered by patient authorization"},
           {"authorization",
            {{"id", authorization_id}, {"severity", "block"}, {"message", "a person's name"}}}},
          {{"kind", "reading_level"}, {"severity", "info"}, {"message", "grade 5"}}}}}},
      {"x.text", {{"verdict", "pass"}, {"findings", json::array()}}}}
      .dump();
}

TEST(RestoreFindingsJsonTest, PutsTheOriginalSeverityBack) {
  const json restored = json::parse(RestoreFindingsJson(CoveredFindings(4), 4));
  EXPECT_EQ(restored["master"]["verdict"], "block");
  EXPECT_EQ(restored["master"]["findings"][0]["severity"], "block");
  EXPECT_EQ(restored["master"]["findings"][0]["message"], "a person's name");
  EXPECT_FALSE(restored["master"]["findings"][0].contains("authorization"));
  EXPECT_EQ(restored["master"]["findings"][1]["severity"], "info");
  EXPECT_EQ(restored["x.text"]["verdict"], "pass");
  // Another authorization's findings stay downgraded; junk comes back unchanged.
  EXPECT_EQ(json::parse(RestoreFindingsJson(CoveredFindings(4), 5))["master"]["verdict"], "review");
  EXPECT_EQ(RestoreFindingsJson("not json", 4), "not json");
}

class AuthorizationServiceTest : public testing::PlanTest {
 protected:
  void SetUp() override {
    PlanTest::SetUp();
    if (HasFatalFailure()) return;
    blobs_ = NewMemoryMediaStore();
    authorizations_ =
        std::make_unique<AuthorizationService>(db(), clock_, *audit_, *blobs_, box_, *posts_);
  }

  NewAuthorization MariaInput() {
    return NewAuthorization{.brand_id = cardiology_,
                            .patient_name = "Maria Lopez",
                            .details = {"Springfield"},
                            .scope = "Her heart surgery story for Heart Month",
                            .expires_at = clock_.Now() + 30 * kDay};
  }

  // A valid authorization for Maria Lopez (recorded and signed).
  int64_t ValidMaria() {
    absl::StatusOr<int64_t> id = authorizations_->Record(as("compliance"), MariaInput());
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(authorizations_->AttachForm(as("compliance"), *id, kPdf).ok());
    return *id;
  }

  // A post naming Maria whose PHI finding `authorization` downgraded to review.
  int64_t CoveredPost(int64_t authorization) {
    NewPost post{.brand_id = cardiology_,
                 .content = {.master_text = "Maria Lopez is back on her bike.",
                             .authorization_ids = {authorization}},
                 .guard = {.findings = {{.field = "master",
                                         .kind = "phi",
                                         .type = "NAME",
                                         .severity = "review",
                                         .authorization_id = authorization}},
                           .display_json = CoveredFindings(authorization)}};
    absl::StatusOr<int64_t> id = posts_->Create(as("author"), post);
    EXPECT_TRUE(id.ok()) << id.status();
    return *id;
  }

  // The post, submitted and approved by compliance.
  Post Approved(int64_t post) {
    EXPECT_TRUE(posts_->Submit(as("author"), post).ok());
    absl::StatusOr<Post> p = posts_->Approve(as("compliance"), post);
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }

  SecretBox box_{SecretKey(std::string(32, 'p')).Derive(KeyPurpose::kPatientData)};
  std::unique_ptr<MediaStore> blobs_;
  std::unique_ptr<AuthorizationService> authorizations_;
};

TEST_P(AuthorizationServiceTest, ComplianceRecordsAndTheNameIsSealedAtRest) {
  absl::StatusOr<int64_t> id = authorizations_->Record(as("compliance"), MariaInput());
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<PatientAuthorization> a = authorizations_->Get(as("author"), *id);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->patient_name, "Maria Lopez");
  EXPECT_THAT(a->details, ElementsAre("Springfield"));
  EXPECT_EQ(a->StatusAt(clock_.Now()), AuthorizationStatus::kPendingForm);
  // The row holds no readable name; neither does the audit log.
  absl::StatusOr<store::Row> row =
      db().QueryRow("SELECT sealed FROM patient_authorizations WHERE id = $1", {*id});
  ASSERT_TRUE(row.ok());
  const std::string sealed = *row->GetBlob("sealed");
  EXPECT_EQ(sealed.find("Maria"), std::string::npos);
  EXPECT_EQ(sealed.find("Springfield"), std::string::npos);
  const std::vector<AuditEvent> events = Events("authorization.record");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].entry.details, Not(HasSubstr("Maria")));
  EXPECT_THAT(events[0].entry.details, Not(HasSubstr("Springfield")));
  // Another key cannot read it, and says so.
  SecretBox other{SecretKey(std::string(32, 'q')).Derive(KeyPurpose::kPatientData)};
  AuthorizationService wrong(db(), clock_, *audit_, *blobs_, other, *posts_);
  EXPECT_EQ(wrong.Get(as("author"), *id).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(AuthorizationServiceTest, OnlyComplianceRecordsAndRevokes) {
  for (const char* who : {"admin", "manager", "author", "clinical_reviewer"}) {
    EXPECT_EQ(authorizations_->Record(as(who), MariaInput()).status().code(),
              absl::StatusCode::kPermissionDenied)
        << who;
  }
  const int64_t id = ValidMaria();
  EXPECT_EQ(authorizations_->Revoke(as("manager"), id, "patient asked").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(authorizations_->Form(as("author"), id).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Readers without authorizations.read, and other organizations, see nothing.
  EXPECT_EQ(authorizations_->Get(as("analyst"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(authorizations_->Get(as("outsider"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(authorizations_->List(as("outsider"), {})->size(), 0u);
  EXPECT_EQ(authorizations_->List(as("cardio_author"), {})->size(), 1u);
}

TEST_P(AuthorizationServiceTest, InputIsCheckedFieldByField) {
  NewAuthorization a = MariaInput();
  a.patient_name = "";
  EXPECT_THAT(std::string(authorizations_->Record(as("compliance"), a).status().message()),
              HasSubstr("patient_name"));
  a = MariaInput();
  a.expires_at = clock_.Now();
  EXPECT_THAT(std::string(authorizations_->Record(as("compliance"), a).status().message()),
              HasSubstr("expires_at"));
  a = MariaInput();
  a.details = {"ok", "  "};
  EXPECT_THAT(std::string(authorizations_->Record(as("compliance"), a).status().message()),
              HasSubstr("details[1]"));
  a = MariaInput();
  a.media_ids = {999};
  EXPECT_THAT(std::string(authorizations_->Record(as("compliance"), a).status().message()),
              HasSubstr("media_ids"));
}

TEST_P(AuthorizationServiceTest, FormIsSniffedSealedKeptAndAudited) {
  const int64_t id = *authorizations_->Record(as("compliance"), MariaInput());
  EXPECT_EQ(authorizations_->AttachForm(as("compliance"), id, "Maria Lopez signed").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(authorizations_->AttachForm(as("compliance"), id, "%PDF-1.7 cut").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<PatientAuthorization> a = authorizations_->AttachForm(as("compliance"), id, kPdf);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(a->form.has_value());
  EXPECT_EQ(a->form->content_type, "application/pdf");
  EXPECT_EQ(a->StatusAt(clock_.Now()), AuthorizationStatus::kValid);
  // A signed form is retained as signed.
  EXPECT_EQ(authorizations_->AttachForm(as("compliance"), id, kPdf).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Stored sealed: the blob is not the PDF.
  absl::StatusOr<store::Row> row =
      db().QueryRow("SELECT form_key FROM patient_authorizations WHERE id = $1", {id});
  ASSERT_TRUE(row.ok());
  absl::StatusOr<std::string> stored = blobs_->Get(*row->GetText("form_key"));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->find("%PDF"), std::string::npos);
  absl::StatusOr<AuthorizationFormContent> form = authorizations_->Form(as("compliance"), id);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->bytes, kPdf);
  EXPECT_EQ(Events("authorization.view_form").size(), 1u);
  EXPECT_EQ(Events("authorization.attach_form").size(), 1u);
}

TEST_P(AuthorizationServiceTest, CoverForUsesOnlyValidAuthorizationsOfTheBrand) {
  const int64_t valid = ValidMaria();
  const int64_t pending = *authorizations_->Record(as("compliance"), MariaInput());
  absl::StatusOr<AuthorizationCover> cover =
      authorizations_->CoverFor(as("author"), cardiology_, {pending, valid});
  ASSERT_TRUE(cover.ok()) << cover.status();
  ASSERT_TRUE(cover->Match("Maria").has_value());
  EXPECT_EQ(cover->Match("Maria")->authorization_id, valid);
  EXPECT_TRUE(authorizations_->CoverFor(as("author"), cardiology_, {pending})->empty());
  EXPECT_THAT(
      std::string(authorizations_->CoverFor(as("author"), oncology_, {valid}).status().message()),
      HasSubstr("authorization_ids"));
  EXPECT_EQ(authorizations_->CoverFor(as("analyst"), cardiology_, {valid}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A post of another brand cannot name it either.
  NewPost post{.brand_id = oncology_,
               .content = {.master_text = "Hi", .authorization_ids = {valid}}};
  EXPECT_THAT(std::string(posts_->Create(as("author"), post).status().message()),
              HasSubstr("authorization_ids"));
}

TEST_P(AuthorizationServiceTest, CoveredPostGoesToComplianceAndIsNotBlocked) {
  const int64_t auth = ValidMaria();
  const int64_t id = CoveredPost(auth);
  absl::StatusOr<Post> p = posts_->Get(as("author"), id);
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->content.authorization_ids, ElementsAre(auth));
  EXPECT_THAT(p->routing.required, ElementsAre(Approval::kCompliance));
  EXPECT_FALSE(p->routing.blocked);
  Approved(id);
  absl::StatusOr<Post> scheduled =
      posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "America/New_York");
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_EQ(scheduled->status, PostStatus::kScheduled);
}

TEST_P(AuthorizationServiceTest, RevokingPullsScheduledPostsBackToReviewBlocked) {
  const int64_t auth = ValidMaria();
  const int64_t id = CoveredPost(auth);
  const int64_t unrelated = CoveredPost(auth);  // names it, but stays a draft
  Approved(id);
  ASSERT_TRUE(posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "America/New_York").ok());
  EXPECT_EQ(authorizations_->Revoke(as("compliance"), auth, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<PatientAuthorization> revoked =
      authorizations_->Revoke(as("compliance"), auth, "Maria Lopez withdrew her consent");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->StatusAt(clock_.Now()), AuthorizationStatus::kRevoked);
  EXPECT_EQ(revoked->revoke_reason, "Maria Lopez withdrew her consent");

  absl::StatusOr<Post> p = posts_->Get(as("author"), id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PostStatus::kInReview);
  EXPECT_TRUE(p->routing.blocked);
  EXPECT_EQ(p->revision, 2);
  EXPECT_TRUE(p->approvals.empty());
  EXPECT_EQ(json::parse(p->findings_json)["master"]["verdict"], "block");
  EXPECT_THAT(p->content.authorization_ids, ElementsAre(auth));
  // The draft was pulled too (blocked again), but stays a draft.
  absl::StatusOr<Post> draft = posts_->Get(as("author"), unrelated);
  EXPECT_EQ(draft->status, PostStatus::kDraft);
  EXPECT_TRUE(draft->routing.blocked);
  // Scheduling is refused while the block stands.
  EXPECT_EQ(posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "UTC").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The author heard of it; the audit log has it without the reason.
  absl::StatusOr<std::vector<Notification>> notes =
      notifications_->List(as("author").user_id(), {});
  ASSERT_TRUE(notes.ok());
  bool told = false;
  for (const Notification& n : *notes) told = told || n.kind == "authorization_withdrawn";
  EXPECT_TRUE(told);
  EXPECT_EQ(Events("post.authorization_withdrawn").size(), 2u);
  const std::vector<AuditEvent> revokes = Events("authorization.revoke");
  ASSERT_EQ(revokes.size(), 1u);
  EXPECT_THAT(revokes[0].entry.details, Not(HasSubstr("Maria")));
  EXPECT_THAT(revokes[0].entry.details, HasSubstr("\"posts_pulled_back\":2"));
  EXPECT_EQ(authorizations_->Revoke(as("compliance"), auth, "again").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Publishing marks a post failed when one platform refuses it for good, while its jobs
// for other platforms may still wait; revoking must reach it too.
TEST_P(AuthorizationServiceTest, RevokingReachesAPostThatFailedOnOnePlatform) {
  const int64_t auth = ValidMaria();
  const int64_t id = CoveredPost(auth);
  Approved(id);
  ASSERT_TRUE(posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "UTC").ok());
  ASSERT_TRUE(db().Execute("UPDATE posts SET status = 'failed' WHERE id = $1", {id})
                  .ok());  // as publishing does
  ASSERT_TRUE(authorizations_->Revoke(as("compliance"), auth, "Consent withdrawn").ok());
  absl::StatusOr<Post> p = posts_->Get(as("author"), id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PostStatus::kFailed);
  EXPECT_TRUE(p->routing.blocked);
  EXPECT_EQ(p->revision, 2);
  EXPECT_EQ(Events("post.authorization_withdrawn").size(), 1u);
}

TEST_P(AuthorizationServiceTest, ExpirySweepOnTheClockPullsPostsBackOnce) {
  const int64_t auth = ValidMaria();
  const int64_t id = CoveredPost(auth);
  Approved(id);
  ASSERT_TRUE(posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "UTC").ok());
  EXPECT_EQ(*authorizations_->ExpireDue(), 0);
  clock_.Advance(31 * kDay);
  EXPECT_EQ(*authorizations_->ExpireDue(), 1);
  EXPECT_EQ(*authorizations_->ExpireDue(), 0);
  absl::StatusOr<Post> p = posts_->Get(as("author"), id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PostStatus::kInReview);
  EXPECT_TRUE(p->routing.blocked);
  const std::vector<AuditEvent> expired = Events("authorization.expire");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].entry.actor, "system");
  EXPECT_EQ(authorizations_->Get(as("author"), auth)->StatusAt(clock_.Now()),
            AuthorizationStatus::kExpired);
}

TEST_P(AuthorizationServiceTest, ScheduleChecksTheExpiryItself) {
  const int64_t auth = ValidMaria();  // expires in 30 days
  const int64_t id = CoveredPost(auth);
  Approved(id);
  // Not after the authorization ends.
  absl::Status late = posts_->Schedule(as("manager"), id, clock_.Now() + 40 * kDay, "UTC").status();
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(late.message()), HasSubstr("before the scheduled time"));
  // Expired but not swept yet: scheduling pulls the post back itself.
  clock_.Advance(30 * kDay);
  absl::Status expired = posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "UTC").status();
  EXPECT_EQ(expired.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(expired.message()), HasSubstr("expired"));
  absl::StatusOr<Post> p = posts_->Get(as("author"), id);
  EXPECT_EQ(p->status, PostStatus::kInReview);
  EXPECT_TRUE(p->routing.blocked);
  // The sweep still records the expiry, with nothing left to pull back.
  EXPECT_EQ(*authorizations_->ExpireDue(), 1);
  EXPECT_THAT(Events("authorization.expire")[0].entry.details,
              HasSubstr("\"posts_pulled_back\":0"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthorizationServiceTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::domain
