#include "domain/audit.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

constexpr int64_t kPageSize = 1000;
// Any constant: the key of the PostgreSQL advisory lock that serializes chain writers.
constexpr int64_t kChainLockKey = 0x636172656175;  // "careau"
constexpr char kEventColumns[] =
    "seq, prev_hash, hash, at, organization_id, actor_user_id, actor, action, record_type, "
    "record_id, from_address, details";

void AppendField(std::string* out, std::string_view field) {
  const uint64_t n = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(n >> shift));
  out->append(field);
}

std::string OptionalInt(const std::optional<int64_t>& v) {
  return v.has_value() ? core::Cat(*v) : std::string();
}

absl::StatusOr<std::optional<int64_t>> GetOptionalInt(const store::Row& row,
                                                      std::string_view column) {
  ASSIGN_OR_RETURN(bool null, row.IsNull(column));
  if (null) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t v, row.GetInt64(column));
  return std::optional<int64_t>(v);
}

absl::StatusOr<AuditEvent> EventFromRow(const store::Row& row) {
  AuditEvent e;
  ASSIGN_OR_RETURN(e.seq, row.GetInt64("seq"));
  ASSIGN_OR_RETURN(e.prev_hash, row.GetBlob("prev_hash"));
  ASSIGN_OR_RETURN(e.hash, row.GetBlob("hash"));
  ASSIGN_OR_RETURN(int64_t at, row.GetInt64("at"));
  e.at = absl::FromUnixMicros(at);
  ASSIGN_OR_RETURN(e.entry.organization_id, GetOptionalInt(row, "organization_id"));
  ASSIGN_OR_RETURN(e.entry.actor_user_id, GetOptionalInt(row, "actor_user_id"));
  ASSIGN_OR_RETURN(e.entry.actor, row.GetText("actor"));
  ASSIGN_OR_RETURN(e.entry.action, row.GetText("action"));
  ASSIGN_OR_RETURN(e.entry.record_type, row.GetText("record_type"));
  ASSIGN_OR_RETURN(e.entry.record_id, row.GetText("record_id"));
  ASSIGN_OR_RETURN(e.entry.from_address, row.GetText("from_address"));
  ASSIGN_OR_RETURN(e.entry.details, row.GetText("details"));
  return e;
}

std::string IsoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

// One CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula gets a
// leading apostrophe.
std::string CsvCell(std::string_view s) {
  std::string v(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

struct Checkpoint {
  std::string head_hash;
  std::string signature;
  int line = 0;  // file line, 0 for database rows
};

// Parses the checkpoint file: lines "v1 SEQ HEAD_HEX SIG_HEX". A missing file is empty.
absl::StatusOr<std::map<int64_t, Checkpoint>> ReadCheckpointFile(const std::string& path,
                                                                 std::string* malformed) {
  std::map<int64_t, Checkpoint> out;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return out;
  std::ifstream in(path);
  if (!in) {
    return absl::UnavailableError(core::Cat("cannot read checkpoint file ", path));
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::istringstream fields(line);
    std::string version, head_hex, sig_hex;
    int64_t seq = 0;
    fields >> version >> seq >> head_hex >> sig_hex;
    absl::StatusOr<std::string> head = internal::FromHex(head_hex, "head");
    absl::StatusOr<std::string> sig = internal::FromHex(sig_hex, "signature");
    if (!fields || version != "v1" || seq <= 0 || !head.ok() || !sig.ok() ||
        head->size() != 32 || sig->size() != 32) {
      if (malformed->empty()) {
        *malformed = core::Cat("checkpoint file ", path, " line ", n, " is malformed");
      }
      continue;
    }
    out[seq] = Checkpoint{*head, *sig, n};
  }
  return out;
}

}  // namespace

AuditLog::AuditLog(store::Database& db, core::Clock& clock, SecretKey key,
                   AuditLogOptions options)
    : db_(db), clock_(clock), key_(std::move(key)), options_(std::move(options)) {}

std::string AuditLog::CanonicalEncoding(int64_t seq, int64_t at_micros, const AuditEntry& e,
                                        std::string_view prev_hash) {
  std::string out;
  AppendField(&out, "carepost-audit-event-v1");
  AppendField(&out, core::Cat(seq));
  AppendField(&out, prev_hash);
  AppendField(&out, core::Cat(at_micros));
  AppendField(&out, OptionalInt(e.organization_id));
  AppendField(&out, OptionalInt(e.actor_user_id));
  AppendField(&out, e.actor);
  AppendField(&out, e.action);
  AppendField(&out, e.record_type);
  AppendField(&out, e.record_id);
  AppendField(&out, e.from_address);
  AppendField(&out, e.details);
  return out;
}

std::string AuditLog::CheckpointSignature(int64_t seq, std::string_view head_hash) const {
  std::string msg;
  AppendField(&msg, "carepost-audit-checkpoint-v1");
  AppendField(&msg, core::Cat(seq));
  AppendField(&msg, head_hash);
  return internal::HmacSha256(key_.data(), msg);
}

absl::StatusOr<int64_t> AuditLog::AppendInTx(store::Tx& tx, const AuditEntry& entry) {
  if (entry.action.empty()) return absl::InvalidArgumentError("audit event has no action");
  if (tx.dialect() == store::Dialect::kPostgres) {
    RETURN_IF_ERROR(tx.Execute("SELECT pg_advisory_xact_lock($1)", {kChainLockKey}).status());
  }
  ASSIGN_OR_RETURN(store::Rows last,
                   tx.Query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
  int64_t seq = 1;
  std::string prev_hash(32, '\0');
  if (!last.empty()) {
    ASSIGN_OR_RETURN(int64_t last_seq, last[0].GetInt64("seq"));
    ASSIGN_OR_RETURN(prev_hash, last[0].GetBlob("hash"));
    seq = last_seq + 1;
  }
  const int64_t at = absl::ToUnixMicros(clock_.Now());
  const std::string hash = internal::Sha256(CanonicalEncoding(seq, at, entry, prev_hash));
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO audit_events (seq, prev_hash, hash, at, organization_id, "
                 "actor_user_id, actor, action, record_type, record_id, from_address, details) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                 {seq, store::Blob{prev_hash}, store::Blob{hash}, at, entry.organization_id,
                  entry.actor_user_id, entry.actor, entry.action, entry.record_type,
                  entry.record_id, entry.from_address, entry.details})
          .status());
  if (options_.checkpoint_every > 0 && seq % options_.checkpoint_every == 0) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO audit_checkpoints (seq, head_hash, signature, at) "
                               "VALUES ($1, $2, $3, $4)",
                               {seq, store::Blob{hash},
                                store::Blob{CheckpointSignature(seq, hash)}, at})
                        .status());
  }
  return seq;
}

absl::StatusOr<int64_t> AuditLog::Append(const AuditEntry& entry) {
  absl::Status last_error;
  for (int attempt = 0; attempt < std::max(1, options_.max_attempts); ++attempt) {
    int64_t seq = 0;
    last_error = db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(seq, AppendInTx(tx, entry));
      return absl::OkStatus();
    });
    if (last_error.ok()) {
      RETURN_IF_ERROR(FlushCheckpoints());
      return seq;
    }
    if (last_error.code() != absl::StatusCode::kAborted &&
        last_error.code() != absl::StatusCode::kAlreadyExists) {
      return last_error;
    }
  }
  return last_error;
}

absl::Status AuditLog::FlushCheckpoints() {
  if (options_.checkpoint_file.empty()) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(file_mu_);
  const std::string& path = options_.checkpoint_file;
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        core::Cat("cannot open checkpoint file ", path, ": ", std::strerror(errno)));
  }
  // Other processes append too: hold an exclusive lock while reading the last line and
  // appending after it.
  flock(fd, LOCK_EX);
  absl::Status status = [&]() -> absl::Status {
    std::string malformed;
    ASSIGN_OR_RETURN(auto in_file, ReadCheckpointFile(path, &malformed));
    const int64_t last = in_file.empty() ? 0 : in_file.rbegin()->first;
    ASSIGN_OR_RETURN(store::Rows rows,
                     db_.Query("SELECT seq, head_hash, signature FROM audit_checkpoints "
                               "WHERE seq > $1 ORDER BY seq",
                               {last}));
    std::string text;
    for (const store::Row& row : rows) {
      ASSIGN_OR_RETURN(int64_t seq, row.GetInt64("seq"));
      ASSIGN_OR_RETURN(std::string head, row.GetBlob("head_hash"));
      ASSIGN_OR_RETURN(std::string sig, row.GetBlob("signature"));
      core::Append(&text, "v1 ", seq, ' ', internal::ToHex(head), ' ', internal::ToHex(sig),
                   '\n');
    }
    if (text.empty()) return absl::OkStatus();
    if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
        fsync(fd) != 0) {
      return absl::UnavailableError(core::Cat("cannot write checkpoint file ", path));
    }
    return absl::OkStatus();
  }();
  flock(fd, LOCK_UN);
  close(fd);
  return status;
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::Query(const AuditQuery& query) {
  std::string sql = core::Cat("SELECT ", kEventColumns, " FROM audit_events WHERE 1 = 1");
  std::vector<store::Value> params;
  auto where = [&](std::string_view clause, store::Value value) {
    params.push_back(std::move(value));
    // Each clause has one placeholder, written as '?' here.
    const size_t q = clause.find('?');
    sql += core::Cat(" AND ", clause.substr(0, q), "$", params.size(), clause.substr(q + 1));
  };
  if (query.organization_id) where("organization_id = ?", *query.organization_id);
  if (query.since) where("at >= ?", absl::ToUnixMicros(*query.since));
  if (query.until) where("at < ?", absl::ToUnixMicros(*query.until));
  if (!query.actor.empty()) where("actor = ?", query.actor);
  if (!query.action.empty()) {
    if (query.action.back() == '.') {
      std::string pattern;
      for (char c : query.action) {
        if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
        pattern.push_back(c);
      }
      where("action LIKE ? ESCAPE '\\'", pattern + "%");
    } else {
      where("action = ?", query.action);
    }
  }
  if (query.before_seq > 0) where("seq < ?", query.before_seq);
  params.push_back(query.limit);
  sql += core::Cat(" ORDER BY seq DESC LIMIT $", params.size());
  ASSIGN_OR_RETURN(store::Rows rows, db_.Query(sql, params));
  std::vector<AuditEvent> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(AuditEvent e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::Read(int64_t first, int64_t limit) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query(core::Cat("SELECT ", kEventColumns,
                                       " FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2"),
                             {first, limit}));
  std::vector<AuditEvent> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(AuditEvent e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<AuditVerifyReport> AuditLog::Verify() {
  AuditVerifyReport report;
  auto fail = [&](int64_t seq, std::string problem) {
    if (report.ok || seq < report.first_broken_seq) {
      report.ok = false;
      report.first_broken_seq = seq;
      report.problem = std::move(problem);
    }
  };

  // Checkpoints in the database.
  std::map<int64_t, Checkpoint> in_db;
  ASSIGN_OR_RETURN(store::Rows cps,
                   db_.Query("SELECT seq, head_hash, signature FROM audit_checkpoints ORDER BY seq"));
  for (const store::Row& row : cps) {
    ASSIGN_OR_RETURN(int64_t seq, row.GetInt64("seq"));
    Checkpoint cp;
    ASSIGN_OR_RETURN(cp.head_hash, row.GetBlob("head_hash"));
    ASSIGN_OR_RETURN(cp.signature, row.GetBlob("signature"));
    if (!internal::ConstantTimeEquals(cp.signature, CheckpointSignature(seq, cp.head_hash))) {
      fail(seq, core::Cat("checkpoint ", seq,
                          " in the database has a bad signature (forged, or another key)"));
    }
    ++report.checkpoints_checked;
    in_db[seq] = std::move(cp);
  }

  // Checkpoints in the file.
  std::map<int64_t, Checkpoint> in_file;
  if (options_.checkpoint_file.empty()) {
    report.warning = "no checkpoint file configured: a cut-off tail cannot be detected";
  } else {
    std::string malformed;
    ASSIGN_OR_RETURN(in_file, ReadCheckpointFile(options_.checkpoint_file, &malformed));
    if (!malformed.empty()) fail(1, malformed);
    for (const auto& [seq, cp] : in_file) {
      if (!internal::ConstantTimeEquals(cp.signature, CheckpointSignature(seq, cp.head_hash))) {
        fail(seq, core::Cat("checkpoint file line ", cp.line, " (event ", seq,
                            ") has a bad signature (altered, or another key)"));
      }
      ++report.checkpoints_checked;
      auto it = in_db.find(seq);
      if (it == in_db.end()) {
        fail(seq, core::Cat("checkpoint ", seq,
                            " is in the checkpoint file but was removed from the database"));
      } else if (!internal::ConstantTimeEquals(it->second.head_hash, cp.head_hash)) {
        fail(seq, core::Cat("checkpoint ", seq, " differs between the database and the file"));
      }
    }
  }

  // The chain.
  std::string prev_hash(32, '\0');
  int64_t expected = 1;
  bool chain_broken = false;
  while (!chain_broken) {
    ASSIGN_OR_RETURN(std::vector<AuditEvent> page, Read(expected, kPageSize));
    for (const AuditEvent& e : page) {
      if (e.seq != expected) {
        fail(expected, core::Cat("event ", expected, " is missing (deleted or renumbered)"));
        chain_broken = true;
        break;
      }
      if (!internal::ConstantTimeEquals(e.prev_hash, prev_hash)) {
        fail(e.seq, core::Cat("event ", e.seq,
                              " does not link to event ", e.seq - 1,
                              " (an earlier event was changed, removed or reordered)"));
        chain_broken = true;
        break;
      }
      const std::string hash = internal::Sha256(
          CanonicalEncoding(e.seq, absl::ToUnixMicros(e.at), e.entry, e.prev_hash));
      if (!internal::ConstantTimeEquals(hash, e.hash)) {
        fail(e.seq, core::Cat("event ", e.seq, " was altered: its contents do not match its hash"));
        chain_broken = true;
        break;
      }
      for (const auto* cps_map : {&in_db, &in_file}) {
        auto it = cps_map->find(e.seq);
        if (it != cps_map->end() && !internal::ConstantTimeEquals(it->second.head_hash, e.hash)) {
          fail(e.seq, core::Cat("event ", e.seq, " does not match the signed checkpoint ", e.seq,
                                " (the chain was rebuilt or altered)"));
          chain_broken = true;
        }
      }
      if (chain_broken) break;
      if (options_.checkpoint_every > 0 && e.seq % options_.checkpoint_every == 0) {
        if (!in_db.contains(e.seq)) {
          fail(e.seq, core::Cat("checkpoint ", e.seq, " is missing from the database"));
        }
        if (!options_.checkpoint_file.empty() && !in_file.contains(e.seq)) {
          fail(e.seq, core::Cat("checkpoint ", e.seq, " is missing from the checkpoint file"));
        }
      }
      prev_hash = e.hash;
      ++report.events_checked;
      ++expected;
    }
    if (static_cast<int64_t>(page.size()) < kPageSize) break;
  }
  if (!chain_broken) {
    const int64_t count = expected - 1;
    for (const auto* cps_map : {&in_db, &in_file}) {
      if (!cps_map->empty() && cps_map->rbegin()->first > count) {
        fail(count + 1, core::Cat("events from ", count + 1, " on are missing: a checkpoint ",
                                  "records ", cps_map->rbegin()->first,
                                  " events (the tail was cut off)"));
      }
    }
  }
  return report;
}

absl::StatusOr<int64_t> AuditLog::Export(absl::Time since, ExportFormat format,
                                         const std::function<void(std::string_view)>& out,
                                         std::optional<int64_t> organization_id) {
  if (format == ExportFormat::kCsv) {
    out("seq,at,organization_id,actor_user_id,actor,action,record_type,record_id,"
        "from_address,details,hash\r\n");
  }
  int64_t count = 0;
  int64_t next = 1;
  const int64_t since_micros = absl::ToUnixMicros(since);
  while (true) {
    absl::StatusOr<store::Rows> page =
        organization_id.has_value()
            ? db_.Query(core::Cat("SELECT ", kEventColumns,
                                  " FROM audit_events WHERE seq >= $1 AND at >= $2 AND "
                                  "organization_id = $4 ORDER BY seq LIMIT $3"),
                        {next, since_micros, kPageSize, *organization_id})
            : db_.Query(core::Cat("SELECT ", kEventColumns,
                                  " FROM audit_events WHERE seq >= $1 AND at >= $2 "
                                  "ORDER BY seq LIMIT $3"),
                        {next, since_micros, kPageSize});
    ASSIGN_OR_RETURN(store::Rows rows, std::move(page));
    for (const store::Row& row : rows) {
      ASSIGN_OR_RETURN(AuditEvent e, EventFromRow(row));
      next = e.seq + 1;
      ++count;
      if (format == ExportFormat::kCsv) {
        std::string line;
        core::Append(&line, e.seq, ',', IsoTime(e.at), ',', OptionalInt(e.entry.organization_id),
                     ',', OptionalInt(e.entry.actor_user_id), ',', CsvCell(e.entry.actor), ',',
                     CsvCell(e.entry.action), ',', CsvCell(e.entry.record_type), ',',
                     CsvCell(e.entry.record_id), ',', CsvCell(e.entry.from_address), ',',
                     CsvCell(e.entry.details), ',', internal::ToHex(e.hash), "\r\n");
        out(line);
      } else {
        nlohmann::json j;
        j["seq"] = e.seq;
        j["at"] = IsoTime(e.at);
        j["organization_id"] = e.entry.organization_id.has_value()
                                   ? nlohmann::json(*e.entry.organization_id)
                                   : nlohmann::json(nullptr);
        j["actor_user_id"] = e.entry.actor_user_id.has_value()
                                 ? nlohmann::json(*e.entry.actor_user_id)
                                 : nlohmann::json(nullptr);
        j["actor"] = e.entry.actor;
        j["action"] = e.entry.action;
        j["record_type"] = e.entry.record_type;
        j["record_id"] = e.entry.record_id;
        j["from_address"] = e.entry.from_address;
        nlohmann::json details = nlohmann::json::parse(e.entry.details, nullptr, false);
        j["details"] = details.is_discarded() ? nlohmann::json(e.entry.details) : details;
        j["hash"] = internal::ToHex(e.hash);
        out(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      }
    }
    if (static_cast<int64_t>(rows.size()) < kPageSize) break;
  }
  return count;
}

}  // namespace carepost::domain
