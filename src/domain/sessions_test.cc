#include "domain/sessions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sodium.h>

#include "core/strings.h"
#include "domain/testing_db.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "correct horse battery";
constexpr char kEmail[] = "ann@example.org";

class SessionServiceTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    testing::DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    const SecretKey key(std::string(32, 's'));
    audit_ = std::make_unique<AuditLog>(db(), clock_, key.Derive(KeyPurpose::kAuditSignature),
                                        AuditLogOptions{.checkpoint_every = 5,
                                                        .checkpoint_file = dir() + "/cp.log"});
    users_ = std::make_unique<UserService>(
        db(), clock_, *audit_,
        UserServiceOptions{.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                         .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
    sessions_ = std::make_unique<SessionService>(db(), clock_, *audit_, *users_,
                                                 key.Derive(KeyPurpose::kCsrf), Options());
    org_ = *users_->CreateOrganization(Actor::Cli(), "St. Example", "st-example");
    absl::StatusOr<int64_t> ann = users_->CreateUser(
        Actor::Cli(), {.organization_id = org_, .email = kEmail, .password = kPassword});
    ASSERT_TRUE(ann.ok()) << ann.status();
    ann_ = *ann;
  }

  static SessionOptions Options() {
    return {.absolute_ttl = absl::Hours(8),
            .idle_ttl = absl::Minutes(30),
            .touch_interval = absl::Minutes(1),
            .max_failures_per_account = 3,
            .max_failures_per_address = 5,
            .throttle_window = absl::Minutes(15)};
  }

  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<AuditEvent>> events = audit_->Read(1, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return out;
    for (const AuditEvent& e : *events) out.push_back(e.entry.action);
    return out;
  }

  core::SimulatedClock clock_{absl::FromUnixSeconds(1'750'000'000)};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<SessionService> sessions_;
  int64_t org_ = 0, ann_ = 0;
};
INSTANTIATE_TEST_SUITE_P(Backends, SessionServiceTest, CAREPOST_ALL_BACKENDS);

TEST_P(SessionServiceTest, SignInAuthenticateSignOut) {
  absl::StatusOr<NewSession> s = sessions_->SignIn("ANN@example.org", kPassword, "10.1.1.1", "ua");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->user_id, ann_);
  EXPECT_EQ(s->token.size(), 43u);
  EXPECT_EQ(s->expires_at, clock_.Now() + absl::Hours(8));
  absl::StatusOr<Session> who = sessions_->Authenticate(s->token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->user_id, ann_);
  EXPECT_EQ(who->organization_id, org_);
  EXPECT_EQ(who->email, kEmail);

  // Only the token's hash is stored.
  absl::StatusOr<store::Rows> rows = db().Query("SELECT token_hash FROM sessions");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetBlob("token_hash")->size(), 32u);
  EXPECT_EQ((*rows)[0].GetBlob("token_hash")->find(s->token), std::string::npos);

  ASSERT_TRUE(sessions_->SignOut(s->token, "10.1.1.1").ok());
  EXPECT_EQ(sessions_->Authenticate(s->token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(Actions(), ::testing::ElementsAre("organization.create", "user.create",
                                                "session.sign_in", "session.sign_out"));
}

TEST_P(SessionServiceTest, FailuresAreGenericAndAudited) {
  absl::StatusOr<NewSession> wrong = sessions_->SignIn(kEmail, "wrong password!!", "10.1.1.1", "");
  absl::StatusOr<NewSession> unknown =
      sessions_->SignIn("Jane Patient MRN 12345", kPassword, "10.1.1.1", "");
  EXPECT_EQ(wrong.status(), unknown.status());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(std::string(wrong.status().message()), "email or password is incorrect");
  absl::StatusOr<std::vector<AuditEvent>> read = audit_->Read(1, 100);
  ASSERT_TRUE(read.ok()) << read.status();
  const std::vector<AuditEvent>& events = *read;
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].entry.action, "session.sign_in_failed");
  EXPECT_EQ(events[2].entry.actor_user_id, ann_);
  EXPECT_THAT(events[2].entry.details, HasSubstr("wrong_password"));
  EXPECT_EQ(events[3].entry.action, "session.sign_in_failed");
  EXPECT_EQ(events[3].entry.actor, "(unknown account)");
  for (const AuditEvent& e : events) {
    EXPECT_THAT(e.entry.actor + e.entry.details, Not(HasSubstr("Patient"))) << e.seq;
    EXPECT_THAT(e.entry.actor + e.entry.details, Not(HasSubstr("horse"))) << e.seq;
  }
}

TEST_P(SessionServiceTest, DisabledUserCannotSignInAndLosesSessions) {
  absl::StatusOr<NewSession> s = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(users_->DisableUser(Actor::Cli(), ann_).ok());
  EXPECT_EQ(sessions_->Authenticate(s->token).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(SessionServiceTest, IdleAndAbsoluteExpiry) {
  absl::StatusOr<NewSession> s = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  ASSERT_TRUE(s.ok());
  // Active every 20 minutes: survives past the idle limit, until the absolute limit.
  for (int i = 0; i < 23; ++i) {
    clock_.Advance(absl::Minutes(20));
    ASSERT_TRUE(sessions_->Authenticate(s->token).ok()) << i;
  }
  clock_.Advance(absl::Minutes(20));  // 8 hours since sign-in
  absl::StatusOr<Session> late = sessions_->Authenticate(s->token);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(late.status().message()), HasSubstr("expired"));

  absl::StatusOr<NewSession> idle = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  ASSERT_TRUE(idle.ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(sessions_->Authenticate(idle->token).ok());
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(sessions_->Authenticate(idle->token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(SessionServiceTest, HostileHeaderTextDoesNotBreakSignIn) {
  std::string agent = "Mozilla \xff\xfe";
  agent.push_back('\0');
  agent += std::string(2000, 'x');
  absl::StatusOr<NewSession> s = sessions_->SignIn(kEmail, kPassword, "10.1.1.1\n", agent);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<store::Row> row = db().QueryRow("SELECT user_agent, from_address FROM sessions");
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->GetText("user_agent")->size(), 512u);
  EXPECT_THAT(*row->GetText("user_agent"), ::testing::StartsWith("Mozilla ???x"));
  EXPECT_EQ(*row->GetText("from_address"), "10.1.1.1?");
}

TEST_P(SessionServiceTest, GarbageTokensAreUnauthenticated) {
  for (const char* t : {"", "abc", "not base64 !!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_EQ(sessions_->Authenticate(t).status().code(), absl::StatusCode::kUnauthenticated) << t;
  }
}

TEST_P(SessionServiceTest, CsrfTokenBelongsToItsSession) {
  absl::StatusOr<NewSession> a = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  absl::StatusOr<NewSession> b = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(sessions_->CsrfToken(a->token), a->csrf_token);
  EXPECT_TRUE(sessions_->CheckCsrf(a->token, a->csrf_token));
  EXPECT_FALSE(sessions_->CheckCsrf(a->token, b->csrf_token));
  EXPECT_FALSE(sessions_->CheckCsrf(a->token, ""));
  EXPECT_FALSE(sessions_->CheckCsrf("garbage", sessions_->CsrfToken("garbage")));
}

TEST_P(SessionServiceTest, ThrottlesPerAccount) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sessions_->SignIn(kEmail, "wrong password!!", core::Cat("10.0.0.", i), "")
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  // Even the right password is refused now, from a fresh address.
  absl::StatusOr<NewSession> s = sessions_->SignIn(kEmail, kPassword, "10.9.9.9", "");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(Actions().back(), "session.sign_in_throttled");
  clock_.Advance(absl::Minutes(16));
  EXPECT_TRUE(sessions_->SignIn(kEmail, kPassword, "10.9.9.9", "").ok());
}

TEST_P(SessionServiceTest, ThrottlesPerAddress) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sessions_->SignIn(core::Cat("user", i, "@example.org"), kPassword, "10.6.6.6", "")
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(sessions_->SignIn(kEmail, kPassword, "10.6.6.6", "").status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(sessions_->SignIn(kEmail, kPassword, "10.7.7.7", "").ok());
}

TEST_P(SessionServiceTest, ThrottleMemoryIsBounded) {
  SessionOptions options = Options();
  options.max_tracked = 4;
  options.max_failures_per_address = 1000;
  SessionService bounded(db(), clock_, *audit_, *users_, SecretKey(std::string(32, 'c')), options);
  // Ann fails 3 times (locked), then a spray of made-up accounts pushes her out of memory.
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(bounded.SignIn(kEmail, "wrong password!!", "10.0.0.1", "").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  ASSERT_EQ(bounded.SignIn(kEmail, kPassword, "10.0.0.1", "").status().code(),
            absl::StatusCode::kResourceExhausted);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(bounded.SignIn(core::Cat("zz", i, "@example.org"), "x", "10.0.0.1", "")
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  // "ann@..." sorts before "zz...@..." and was dropped first: the bound held.
  EXPECT_TRUE(bounded.SignIn(kEmail, kPassword, "10.0.0.1", "").ok());
}

TEST_P(SessionServiceTest, RevokeAllAndDeleteExpired) {
  ASSERT_TRUE(sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "").ok());
  absl::StatusOr<NewSession> s = sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "");
  ASSERT_TRUE(s.ok());
  absl::StatusOr<int64_t> n = sessions_->RevokeAll(Actor::Cli(), ann_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(sessions_->Authenticate(s->token).status().code(), absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(sessions_->SignIn(kEmail, kPassword, "10.1.1.1", "").ok());
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(*sessions_->DeleteExpired(), 1);
  absl::StatusOr<AuditVerifyReport> r = audit_->Verify();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok) << r->problem;
}

}  // namespace
}  // namespace carepost::domain
