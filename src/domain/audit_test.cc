#include "domain/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "core/strings.h"
#include "domain/testing_db.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;

class AuditLogTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    testing::DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    log_ = std::make_unique<AuditLog>(db(), clock_, key_, Options());
  }

  AuditLogOptions Options() const {
    return {.checkpoint_every = 4, .checkpoint_file = dir() + "/audit-checkpoints.log"};
  }

  AuditEntry Entry(int i) const {
    return AuditEntry{.organization_id = 1,
                      .actor_user_id = i % 2 == 0 ? std::optional<int64_t>(7) : std::nullopt,
                      .actor = "admin@example.org",
                      .action = "thing.update",
                      .record_type = "thing",
                      .record_id = core::Cat(i),
                      .from_address = "10.0.0.1",
                      .details = core::Cat("{\"n\":", i, "}")};
  }

  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) {
      clock_.Advance(absl::Seconds(1));
      absl::StatusOr<int64_t> seq = log_->Append(Entry(i));
      ASSERT_TRUE(seq.ok()) << seq.status();
    }
  }

  AuditVerifyReport Verify() {
    absl::StatusOr<AuditVerifyReport> report = log_->Verify();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  void Exec(const std::string& sql) {
    absl::StatusOr<int64_t> n = db().Execute(sql);
    ASSERT_TRUE(n.ok()) << sql << ": " << n.status();
  }

  int CountFileLines() {
    std::ifstream in(Options().checkpoint_file);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  core::SimulatedClock clock_{absl::FromUnixSeconds(1'750'000'000)};
  SecretKey key_{std::string(32, 'a')};
  std::unique_ptr<AuditLog> log_;
};
INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, CAREPOST_ALL_BACKENDS);

TEST_P(AuditLogTest, IntactChainVerifies) {
  AuditVerifyReport empty = Verify();
  EXPECT_TRUE(empty.ok) << empty.problem;
  AppendN(10);
  AuditVerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.events_checked, 10);
  EXPECT_EQ(r.checkpoints_checked, 4);  // 4 and 8, in the database and in the file
  EXPECT_EQ(CountFileLines(), 2);
  absl::StatusOr<std::vector<AuditEvent>> events = log_->Read(1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 10u);
  EXPECT_EQ((*events)[0].prev_hash, std::string(32, '\0'));
  EXPECT_EQ((*events)[1].prev_hash, (*events)[0].hash);
  EXPECT_EQ((*events)[4].entry.details, "{\"n\":5}");
  EXPECT_EQ((*events)[3].entry.actor_user_id, 7);
  EXPECT_EQ((*events)[2].entry.actor_user_id, std::nullopt);
}

TEST_P(AuditLogTest, EditedEventIsNamed) {
  AppendN(10);
  Exec("UPDATE audit_events SET details = '{\"n\":0}' WHERE seq = 5");
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 5);
  EXPECT_THAT(r.problem, HasSubstr("event 5 was altered"));
}

TEST_P(AuditLogTest, EditedTimestampIsNamed) {
  AppendN(6);
  Exec("UPDATE audit_events SET at = at + 1 WHERE seq = 2");
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 2);
}

TEST_P(AuditLogTest, DeletedEventIsNamed) {
  AppendN(10);
  Exec("DELETE FROM audit_events WHERE seq = 6");
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 6);
  EXPECT_THAT(r.problem, HasSubstr("event 6 is missing"));
}

TEST_P(AuditLogTest, ReorderedEventsAreNamed) {
  AppendN(10);
  Exec("UPDATE audit_events SET seq = -1 WHERE seq = 3");
  Exec("UPDATE audit_events SET seq = 3 WHERE seq = 4");
  Exec("UPDATE audit_events SET seq = 4 WHERE seq = -1");
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 3);
}

TEST_P(AuditLogTest, CutOffTailIsCaughtByTheCheckpointFile) {
  AppendN(10);
  Exec("DELETE FROM audit_events WHERE seq >= 7");
  Exec("DELETE FROM audit_checkpoints WHERE seq >= 7");
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 7);
  EXPECT_THAT(r.problem, HasSubstr("tail was cut off"));
}

TEST_P(AuditLogTest, ChainRebuiltWithAnotherKeyIsCaught) {
  AppendN(10);
  Exec("DELETE FROM audit_events");
  Exec("DELETE FROM audit_checkpoints");
  // The attacker rewrites history consistently, but does not have the server key.
  AuditLog forger(db(), clock_, SecretKey(std::string(32, 'z')), {.checkpoint_every = 4});
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(forger.Append(Entry(i == 3 ? 99 : i)).ok());
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  // Hashes alone cannot tell a consistent rewrite: it shows at the first signed
  // checkpoint, whose database copy the forger could not sign.
  EXPECT_EQ(r.first_broken_seq, 4);
  EXPECT_THAT(r.problem, HasSubstr("checkpoint 4"));
}

TEST_P(AuditLogTest, ChainRebuiltWithoutCheckpointsIsCaughtByTheFile) {
  AppendN(10);
  Exec("DELETE FROM audit_events");
  Exec("DELETE FROM audit_checkpoints");
  AuditLog forger(db(), clock_, SecretKey(std::string(32, 'z')), {.checkpoint_every = 1000});
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(forger.Append(Entry(i)).ok());
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 4);
  EXPECT_THAT(r.problem, HasSubstr("checkpoint 4"));
}

TEST_P(AuditLogTest, ForgedCheckpointFileLineIsCaught) {
  AppendN(4);
  std::string text;
  {
    std::ifstream in(Options().checkpoint_file);
    std::getline(in, text);
  }
  ASSERT_FALSE(text.empty());
  text.back() = text.back() == '0' ? '1' : '0';  // flip the last signature digit
  std::ofstream(Options().checkpoint_file, std::ios::trunc) << text << "\n";
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 4);
  EXPECT_THAT(r.problem, HasSubstr("bad signature"));
}

TEST_P(AuditLogTest, VerifyWithoutFileWarns) {
  AuditLog no_file(db(), clock_, key_, {.checkpoint_every = 4});
  ASSERT_TRUE(no_file.Append(Entry(1)).ok());
  absl::StatusOr<AuditVerifyReport> r = no_file.Verify();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok);
  EXPECT_THAT(r->warning, HasSubstr("cut-off tail cannot be detected"));
}

TEST_P(AuditLogTest, ConcurrentWritersDoNotForkTheChain) {
  std::unique_ptr<store::Database> second;
  absl::StatusOr<std::unique_ptr<store::Database>> opened = Open();
  if (opened.ok()) second = *std::move(opened);
  store::Database& other = second != nullptr ? *second : db();
  AuditLog other_log(other, clock_, key_, Options());
  constexpr int kPerWriter = 25;
  std::vector<absl::Status> errors(2);
  std::thread a([&] {
    for (int i = 0; i < kPerWriter && errors[0].ok(); ++i) errors[0] = log_->Append(Entry(i)).status();
  });
  std::thread b([&] {
    for (int i = 0; i < kPerWriter && errors[1].ok(); ++i) {
      errors[1] = other_log.Append(Entry(100 + i)).status();
    }
  });
  a.join();
  b.join();
  EXPECT_TRUE(errors[0].ok()) << errors[0];
  EXPECT_TRUE(errors[1].ok()) << errors[1];
  AuditVerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.events_checked, 2 * kPerWriter);
  EXPECT_EQ(CountFileLines(), 2 * kPerWriter / 4);
}

TEST_P(AuditLogTest, ExportJsonlSince) {
  AppendN(5);  // at t0+1s .. t0+5s
  std::string out;
  absl::StatusOr<int64_t> n = log_->Export(absl::FromUnixSeconds(1'750'000'004),
                                           ExportFormat::kJsonl,
                                           [&](std::string_view s) { out.append(s); });
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  std::istringstream lines(out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["seq"], 4);
  EXPECT_EQ(rows[0]["at"], "2025-06-15T15:06:44.000000Z");
  EXPECT_EQ(rows[0]["details"]["n"], 4);
  EXPECT_EQ(rows[0]["actor_user_id"], 7);
  EXPECT_TRUE(rows[1]["actor_user_id"].is_null());
  EXPECT_EQ(rows[1]["action"], "thing.update");
  EXPECT_EQ(rows[1]["hash"].get<std::string>().size(), 64u);
}

TEST_P(AuditLogTest, ExportCsvQuotesAndDefusesFormulas) {
  AuditEntry e = Entry(1);
  e.actor = "=HYPERLINK(\"x\")";
  e.record_id = "a,b";
  ASSERT_TRUE(log_->Append(e).ok());
  std::string out;
  ASSERT_TRUE(
      log_->Export(absl::InfinitePast(), ExportFormat::kCsv, [&](std::string_view s) { out.append(s); })
          .ok());
  EXPECT_THAT(out, HasSubstr("seq,at,organization_id,actor_user_id,actor,action"));
  EXPECT_THAT(out, HasSubstr(",\"'=HYPERLINK(\"\"x\"\")\",thing.update,thing,\"a,b\",10.0.0.1,"
                             "\"{\"\"n\"\":1}\","));
}

}  // namespace
}  // namespace carepost::domain

namespace carepost::domain {
namespace {

TEST_P(AuditLogTest, QueryFiltersNewestFirst) {
  const absl::Time start = clock_.Now();
  struct E {
    int64_t org;
    const char* actor;
    const char* action;
  };
  const E entries[] = {{1, "ann@example.org", "session.sign_in"},
                       {1, "bob@example.org", "session.sign_in"},
                       {1, "ann@example.org", "user.create"},
                       {2, "eve@other.org", "session.sign_in"},
                       {1, "ann@example.org", "session%x.odd"},
                       {1, "ann@example.org", "session.sign_out"}};
  for (const E& e : entries) {
    clock_.Advance(absl::Minutes(1));
    ASSERT_TRUE(log_->Append({.organization_id = e.org, .actor = e.actor, .action = e.action}).ok());
  }
  auto seqs = [&](const AuditQuery& q) {
    std::vector<int64_t> out;
    absl::StatusOr<std::vector<AuditEvent>> events = log_->Query(q);
    EXPECT_TRUE(events.ok()) << events.status();
    if (events.ok()) {
      for (const AuditEvent& e : *events) out.push_back(e.seq);
    }
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(seqs({.organization_id = 1}), (V{6, 5, 3, 2, 1}));
  EXPECT_EQ(seqs({.organization_id = 1, .action = "session."}), (V{6, 2, 1}));
  EXPECT_EQ(seqs({.action = "session."}), (V{6, 4, 2, 1}));
  // '%' and '_' in a prefix are literal characters, not wildcards.
  EXPECT_EQ(seqs({.action = "session%x."}), (V{5}));
  EXPECT_EQ(seqs({.action = "session_sign."}), (V{}));
  EXPECT_EQ(seqs({.action = "user.create"}), (V{3}));
  EXPECT_EQ(seqs({.actor = "ann@example.org", .limit = 2}), (V{6, 5}));
  EXPECT_EQ(seqs({.actor = "ann@example.org", .before_seq = 5}), (V{3, 1}));
  EXPECT_EQ(seqs({.since = start + absl::Minutes(2), .until = start + absl::Minutes(4)}),
            (V{3, 2}));
}

TEST_P(AuditLogTest, ExportOfOneOrganization) {
  ASSERT_TRUE(log_->Append({.organization_id = 1, .actor = "a", .action = "x.one"}).ok());
  ASSERT_TRUE(log_->Append({.organization_id = 2, .actor = "b", .action = "x.two"}).ok());
  std::string out;
  absl::StatusOr<int64_t> n = log_->Export(
      absl::UnixEpoch(), ExportFormat::kJsonl, [&](std::string_view s) { out += s; }, 2);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  EXPECT_NE(out.find("x.two"), std::string::npos);
  EXPECT_EQ(out.find("x.one"), std::string::npos);
}

}  // namespace
}  // namespace carepost::domain
