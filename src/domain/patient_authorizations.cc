#include "domain/patient_authorizations.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/campaigns.h"
#include "domain/internal/plan_common.h"
#include "domain/media.h"
#include "plan/media.h"

namespace carepost::domain {
namespace {

using internal::OptionalInt;
using nlohmann::json;

constexpr size_t kMaxName = 200;
constexpr size_t kMaxScope = 4000;
constexpr size_t kMaxReason = 2000;

constexpr char kColumns[] =
    "id, organization_id, brand_id, sealed, key_id, expires_at, form_key, form_type, "
    "form_bytes, form_uploaded_at, recorded_by, created_at, revoked_at, revoked_by";

// The sealed part of a row: everything that names or describes the patient.
struct Sealed {
  std::string patient_name;
  std::vector<std::string> details;
  std::string scope;
  std::string revoke_reason;
};

std::string SealedJson(const Sealed& s) {
  return json{{"name", s.patient_name},
              {"details", s.details},
              {"scope", s.scope},
              {"revoke_reason", s.revoke_reason}}
      .dump();
}

absl::StatusOr<PatientAuthorization> FromRow(const store::Row& row, const SecretBox& box) {
  PatientAuthorization a;
  ASSIGN_OR_RETURN(a.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(a.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(a.brand_id, row.GetInt64("brand_id"));
  ASSIGN_OR_RETURN(std::string key_id, row.GetText("key_id"));
  if (key_id != box.key().Fingerprint()) {
    return absl::FailedPreconditionError(core::Cat(
        "patient authorization ", a.id, " was sealed under another server key (", key_id, ")"));
  }
  ASSIGN_OR_RETURN(std::string sealed, row.GetBlob("sealed"));
  absl::StatusOr<std::string> opened = box.Open(sealed);
  if (!opened.ok()) {
    return absl::DataLossError(
        core::Cat("patient authorization ", a.id, " cannot be opened: it was altered"));
  }
  const json j = json::parse(*opened, nullptr, false);
  if (!j.is_object() || !j.value("name", json()).is_string() ||
      !j.value("details", json()).is_array()) {
    return absl::DataLossError(core::Cat("patient authorization ", a.id, " is malformed"));
  }
  a.patient_name = j["name"].get<std::string>();
  for (const json& d : j["details"]) {
    if (d.is_string()) a.details.push_back(d.get<std::string>());
  }
  a.scope = j.value("scope", "");
  a.revoke_reason = j.value("revoke_reason", "");
  ASSIGN_OR_RETURN(int64_t expires, row.GetInt64("expires_at"));
  a.expires_at = absl::FromUnixMicros(expires);
  if (std::optional<int64_t> uploaded = OptionalInt(row, "form_uploaded_at")) {
    AuthorizationForm f;
    ASSIGN_OR_RETURN(f.content_type, row.GetText("form_type"));
    ASSIGN_OR_RETURN(f.bytes, row.GetInt64("form_bytes"));
    f.uploaded_at = absl::FromUnixMicros(*uploaded);
    a.form = f;
  }
  a.recorded_by = OptionalInt(row, "recorded_by");
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  a.created_at = absl::FromUnixMicros(created);
  if (std::optional<int64_t> revoked = OptionalInt(row, "revoked_at")) {
    a.revoked_at = absl::FromUnixMicros(*revoked);
  }
  a.revoked_by = OptionalInt(row, "revoked_by");
  return a;
}

absl::StatusOr<std::vector<PatientAuthorization>> Load(store::Executor& db, const SecretBox& box,
                                                       std::string_view where,
                                                       const std::vector<store::Value>& params) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query(core::Cat("SELECT ", kColumns, " FROM patient_authorizations WHERE ", where),
               params));
  std::vector<PatientAuthorization> out;
  std::vector<int64_t> ids;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(PatientAuthorization a, FromRow(row, box));
    ids.push_back(a.id);
    out.push_back(std::move(a));
  }
  if (out.empty()) return out;
  std::vector<store::Value> in;
  std::string sql =
      "SELECT authorization_id, media_id FROM patient_authorization_media WHERE 1 = 1";
  internal::AppendInList(&sql, &in, "authorization_id", ids);
  sql += " ORDER BY authorization_id, media_id";
  ASSIGN_OR_RETURN(store::Rows media, db.Query(sql, in));
  for (const store::Row& row : media) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("authorization_id"));
    ASSIGN_OR_RETURN(int64_t media_id, row.GetInt64("media_id"));
    for (PatientAuthorization& a : out) {
      if (a.id == id) a.media_ids.push_back(media_id);
    }
  }
  return out;
}

AuditEntry Entry(const Actor& actor, std::string_view action, const PatientAuthorization& a,
                 json extra = json::object()) {
  AuditEntry e = EntryFor(actor, action);
  e.organization_id = a.organization_id;
  e.record_type = "patient_authorization";
  e.record_id = core::Cat(a.id);
  extra["brand_id"] = a.brand_id;
  e.details = extra.dump();
  return e;
}

bool IsTitle(const std::string& w) {
  return w == "mr" || w == "mrs" || w == "ms" || w == "miss" || w == "mx" || w == "dr";
}

// True when `needle` is a non-empty run of consecutive words of `hay`.
bool ContainsRun(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<ptrdiff_t>(i))) {
      return true;
    }
  }
  return false;
}

std::string_view Worst(std::string_view a, std::string_view b) {
  const auto rank = [](std::string_view s) { return s == "block" ? 2 : s == "review" ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace

absl::StatusOr<std::string> SniffAuthorizationForm(std::string_view bytes) {
  if (bytes.size() >= 8 && bytes.substr(0, 5) == "%PDF-" && bytes[5] >= '1' && bytes[5] <= '2') {
    const std::string_view tail = bytes.substr(bytes.size() - std::min<size_t>(bytes.size(), 1024));
    if (tail.find("%%EOF") == std::string_view::npos) {
      return absl::InvalidArgumentError("form: the PDF is truncated (no %%EOF marker at its end)");
    }
    return std::string("application/pdf");
  }
  absl::StatusOr<plan::MediaType> type = plan::SniffMedia(bytes);
  if (type.ok() && (*type == plan::MediaType::kJpeg || *type == plan::MediaType::kPng)) {
    return std::string(plan::MediaTypeMime(*type));
  }
  return absl::InvalidArgumentError(
      "form: the signed form must be a PDF, or a scan as JPEG or PNG (judged by its content)");
}

std::string_view AuthorizationStatusName(AuthorizationStatus status) {
  switch (status) {
    case AuthorizationStatus::kPendingForm:
      return "pending_form";
    case AuthorizationStatus::kValid:
      return "valid";
    case AuthorizationStatus::kExpired:
      return "expired";
    case AuthorizationStatus::kRevoked:
      return "revoked";
  }
  return "unknown";
}

AuthorizationStatus PatientAuthorization::StatusAt(absl::Time now) const {
  if (revoked_at) return AuthorizationStatus::kRevoked;
  if (expires_at <= now) return AuthorizationStatus::kExpired;
  if (!form) return AuthorizationStatus::kPendingForm;
  return AuthorizationStatus::kValid;
}

std::vector<std::string> CoverWords(std::string_view text) {
  std::string flat;
  flat.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (text.substr(i, 3) == "\xE2\x80\x99") {  // ’ counts as '
      flat.push_back('\'');
      i += 2;
    } else if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '\'') {
      flat.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      flat.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      flat.push_back(' ');
    }
  }
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < flat.size()) {
    const size_t end = std::min(flat.find(' ', pos), flat.size());
    std::string w = flat.substr(pos, end - pos);
    pos = end + 1;
    // Possessives: "lopez's" -> "lopez", "lopez'" -> "lopez"; quotes around a word go.
    if (w.size() > 2 && w.compare(w.size() - 2, 2, "'s") == 0) w.resize(w.size() - 2);
    while (!w.empty() && w.back() == '\'') w.pop_back();
    while (!w.empty() && w.front() == '\'') w.erase(0, 1);
    if (!w.empty()) words.push_back(std::move(w));
  }
  return words;
}

void AuthorizationCover::Add(const PatientAuthorization& a) {
  Entry e{.match = {.authorization_id = a.id, .expires_at = a.expires_at},
          .media_ids = a.media_ids};
  e.terms.push_back(CoverWords(a.patient_name));
  for (const std::string& d : a.details) e.terms.push_back(CoverWords(d));
  entries_.push_back(std::move(e));
}

std::optional<CoverMatch> AuthorizationCover::Match(std::string_view span,
                                                    std::optional<int64_t> media_id) const {
  std::vector<std::string> words = CoverWords(span);
  while (words.size() > 1 && IsTitle(words.front())) words.erase(words.begin());
  if (words.empty()) return std::nullopt;
  for (const Entry& e : entries_) {
    if (media_id &&
        std::find(e.media_ids.begin(), e.media_ids.end(), *media_id) == e.media_ids.end()) {
      continue;
    }
    for (const std::vector<std::string>& term : e.terms) {
      if (ContainsRun(term, words)) return e.match;
    }
  }
  return std::nullopt;
}

std::string RestoreFindingsJson(std::string_view findings_json, int64_t authorization_id) {
  json j = json::parse(findings_json, nullptr, false);
  if (!j.is_object()) return std::string(findings_json);
  for (auto& [field, text] : j.items()) {
    if (!text.is_object() || !text.contains("findings") || !text["findings"].is_array()) continue;
    std::string verdict = "pass";
    for (json& f : text["findings"]) {
      if (!f.is_object()) continue;
      if (f.contains("authorization") && f["authorization"].is_object() &&
          f["authorization"].value("id", int64_t{0}) == authorization_id) {
        const json original = f["authorization"];
        f["severity"] = original.value("severity", "block");
        if (original.contains("message")) f["message"] = original["message"];
        f.erase("authorization");
      }
      const std::string severity = f.value("severity", "info");
      if (severity != "info") verdict = std::string(Worst(verdict, severity));
    }
    text["verdict"] = verdict;
  }
  return j.dump();
}

absl::Status CheckAuthorizationIds(const std::vector<int64_t>& ids) {
  if (ids.size() > kMaxPostAuthorizations) {
    return absl::InvalidArgumentError(
        core::Cat("authorization_ids: at most ", kMaxPostAuthorizations, " per post"));
  }
  std::set<int64_t> seen;
  for (int64_t id : ids) {
    if (id < 1) return absl::InvalidArgumentError("authorization_ids: each must be an id");
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError(
          core::Cat("authorization_ids: authorization ", id, " is named twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAuthorizationsOfBrand(store::Executor& db, const std::vector<int64_t>& ids,
                                        int64_t organization_id, int64_t brand_id) {
  RETURN_IF_ERROR(CheckAuthorizationIds(ids));
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(store::Rows rows,
                     db.Query("SELECT id FROM patient_authorizations WHERE id = $1 AND "
                              "organization_id = $2 AND brand_id = $3",
                              {id, organization_id, brand_id}));
    if (rows.empty()) {
      return absl::InvalidArgumentError(core::Cat(
          "authorization_ids: no patient authorization with id ", id, " for this post's brand"));
    }
  }
  return absl::OkStatus();
}

AuthorizationService::AuthorizationService(store::Database& db, core::Clock& clock, AuditLog& audit,
                                           MediaStore& blobs, const SecretBox& box,
                                           PostService& posts)
    : db_(db), clock_(clock), audit_(audit), blobs_(blobs), box_(box), posts_(posts) {}

absl::StatusOr<PatientAuthorization> AuthorizationService::ReadVisible(store::Executor& db,
                                                                       const Caller& caller,
                                                                       int64_t id,
                                                                       std::string_view action) {
  ASSIGN_OR_RETURN(
      std::vector<PatientAuthorization> found,
      Load(db, box_, "id = $1 AND organization_id = $2", {id, caller.organization_id}));
  if (found.empty() || !caller.Can("authorizations.read", found[0].brand_id)) {
    return absl::NotFoundError(core::Cat("no patient authorization with id ", id));
  }
  if (!caller.Can(action, found[0].brand_id)) {
    return absl::PermissionDeniedError(core::Cat(
        "your roles do not allow this for the brand's patient authorizations (", action, ")"));
  }
  return std::move(found[0]);
}

absl::StatusOr<int64_t> AuthorizationService::Record(const Caller& caller,
                                                     const NewAuthorization& in) {
  RETURN_IF_ERROR(CheckText("patient_name", in.patient_name, 1, kMaxName, true));
  if (CoverWords(in.patient_name).empty()) {
    return absl::InvalidArgumentError("patient_name must contain letters or digits");
  }
  if (in.details.size() > kMaxAuthorizationDetails) {
    return absl::InvalidArgumentError(
        core::Cat("details: at most ", kMaxAuthorizationDetails, " per authorization"));
  }
  for (size_t i = 0; i < in.details.size(); ++i) {
    RETURN_IF_ERROR(CheckText(core::Cat("details[", i, "]"), in.details[i], 1, kMaxName, true));
    if (CoverWords(in.details[i]).empty()) {
      return absl::InvalidArgumentError(
          core::Cat("details[", i, "] must contain letters or digits"));
    }
  }
  RETURN_IF_ERROR(CheckText("scope", in.scope, 1, kMaxScope, false));
  if (in.media_ids.size() > kMaxAuthorizationMedia) {
    return absl::InvalidArgumentError(
        core::Cat("media_ids: at most ", kMaxAuthorizationMedia, " per authorization"));
  }
  const std::set<int64_t> media(in.media_ids.begin(), in.media_ids.end());
  if (media.size() != in.media_ids.size()) {
    return absl::InvalidArgumentError("media_ids: each media item once");
  }
  const absl::Time now = clock_.Now();
  if (in.expires_at <= now) {
    return absl::InvalidArgumentError("expires_at must be in the future");
  }
  int64_t id = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(internal::CheckBrandOfOrganization(tx, in.brand_id, caller.organization_id));
    if (!caller.Can("authorizations.manage", in.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow recording patient authorizations for this brand "
          "(authorizations.manage)");
    }
    ASSIGN_OR_RETURN(std::vector<Media> found,
                     ReadMediaOfBrand(tx, in.media_ids, caller.organization_id, in.brand_id));
    if (found.size() != media.size()) {
      return absl::InvalidArgumentError(
          "media_ids: each must be an upload of the authorization's brand");
    }
    const Sealed sealed{.patient_name = in.patient_name, .details = in.details, .scope = in.scope};
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow(
            "INSERT INTO patient_authorizations (organization_id, brand_id, sealed, "
            "key_id, expires_at, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, "
            "$6, $7) RETURNING id",
            {caller.organization_id, in.brand_id, store::Blob{box_.Seal(SealedJson(sealed))},
             box_.key().Fingerprint(), absl::ToUnixMicros(in.expires_at), caller.user_id(),
             absl::ToUnixMicros(now)}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    for (int64_t m : media) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO patient_authorization_media (authorization_id, "
                                 "media_id) VALUES ($1, $2)",
                                 {id, m})
                          .status());
    }
    PatientAuthorization a{
        .id = id, .organization_id = caller.organization_id, .brand_id = in.brand_id};
    return audit_
        .AppendInTx(tx, Entry(caller.actor, "authorization.record", a,
                              {{"details", in.details.size()},
                               {"media", in.media_ids.size()},
                               {"expires_at", absl::ToUnixMicros(in.expires_at)}}))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return id;
}

absl::StatusOr<PatientAuthorization> AuthorizationService::AttachForm(const Caller& caller,
                                                                      int64_t id,
                                                                      std::string_view bytes) {
  if (bytes.size() > kMaxFormBytes) {
    return absl::OutOfRangeError(
        core::Cat("form: the signed form is larger than ", kMaxFormBytes / 1'000'000, " MB"));
  }
  ASSIGN_OR_RETURN(std::string type, SniffAuthorizationForm(bytes));
  std::string clean(bytes);
  if (type != "application/pdf") {
    ASSIGN_OR_RETURN(plan::StrippedMedia stripped, plan::StripMetadata(bytes));
    clean = std::move(stripped.data);
  }
  // The sealed bytes are unique (random nonce), so no other record shares the blob.
  ASSIGN_OR_RETURN(std::string key, blobs_.Put(box_.Seal(clean)));
  absl::Status done = db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(PatientAuthorization a, ReadVisible(tx, caller, id, "authorizations.manage"));
    if (a.revoked_at) {
      return absl::FailedPreconditionError(
          core::Cat("patient authorization ", id, " is revoked: record a new one"));
    }
    // A signed authorization is kept as signed (HIPAA retention): never replaced.
    if (a.form) {
      return absl::FailedPreconditionError(core::Cat(
          "patient authorization ", id, " has its signed form already: record a new one"));
    }
    RETURN_IF_ERROR(tx.Execute("UPDATE patient_authorizations SET form_key = $1, form_type = $2, "
                               "form_bytes = $3, form_uploaded_at = $4 WHERE id = $5",
                               {key, type, static_cast<int64_t>(clean.size()),
                                absl::ToUnixMicros(clock_.Now()), id})
                        .status());
    return audit_
        .AppendInTx(tx, Entry(caller.actor, "authorization.attach_form", a,
                              {{"content_type", type}, {"bytes", clean.size()}}))
        .status();
  });
  if (!done.ok()) {
    (void)blobs_.Remove(key);
    return done;
  }
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return Get(caller, id);
}

absl::StatusOr<AuthorizationFormContent> AuthorizationService::Form(const Caller& caller,
                                                                    int64_t id) {
  std::string key;
  AuthorizationFormContent out;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(PatientAuthorization a, ReadVisible(tx, caller, id, "authorizations.manage"));
    if (!a.form) {
      return absl::NotFoundError(
          core::Cat("patient authorization ", id, " has no signed form yet"));
    }
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow("SELECT form_key FROM patient_authorizations WHERE id = $1", {id}));
    ASSIGN_OR_RETURN(key, row.GetText("form_key"));
    out.content_type = a.form->content_type;
    // Reading a signed form is a view of PHI: audited.
    return audit_.AppendInTx(tx, Entry(caller.actor, "authorization.view_form", a)).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  ASSIGN_OR_RETURN(std::string sealed, blobs_.Get(key));
  absl::StatusOr<std::string> opened = box_.Open(sealed);
  if (!opened.ok()) {
    return absl::DataLossError(
        core::Cat("the signed form of patient authorization ", id, " cannot be opened"));
  }
  out.bytes = *std::move(opened);
  return out;
}

absl::StatusOr<PatientAuthorization> AuthorizationService::Get(const Caller& caller, int64_t id) {
  return ReadVisible(db_, caller, id, "authorizations.read");
}

absl::StatusOr<std::vector<PatientAuthorization>> AuthorizationService::List(
    const Caller& caller, const AuthorizationQuery& query) {
  std::vector<store::Value> params = {caller.organization_id, query.after_id};
  std::string where = "organization_id = $1 AND id > $2";
  if (query.brand_id) {
    core::Append(&where, " AND brand_id = ", internal::NextParam(params));
    params.push_back(*query.brand_id);
  }
  if (query.valid_only) {
    core::Append(&where,
                 " AND revoked_at IS NULL AND form_uploaded_at IS NOT NULL AND "
                 "expires_at > ",
                 internal::NextParam(params));
    params.push_back(absl::ToUnixMicros(clock_.Now()));
  }
  if (std::optional<std::vector<int64_t>> brands =
          internal::BrandsAllowing(caller, "authorizations.read")) {
    internal::AppendInList(&where, &params, "brand_id", *brands);
  }
  core::Append(&where, " ORDER BY id LIMIT ", internal::NextParam(params));
  params.push_back(query.limit);
  return Load(db_, box_, where, params);
}

absl::StatusOr<PatientAuthorization> AuthorizationService::Revoke(const Caller& caller, int64_t id,
                                                                  std::string_view reason) {
  RETURN_IF_ERROR(CheckText("reason", reason, 1, kMaxReason, false));
  int pulled = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    if (tx.dialect() == store::Dialect::kPostgres) {
      RETURN_IF_ERROR(
          tx.Query("SELECT id FROM patient_authorizations WHERE id = $1 FOR UPDATE", {id})
              .status());
    }
    ASSIGN_OR_RETURN(PatientAuthorization a, ReadVisible(tx, caller, id, "authorizations.manage"));
    if (a.revoked_at) {
      return absl::FailedPreconditionError(
          core::Cat("patient authorization ", id, " is revoked already"));
    }
    const Sealed sealed{.patient_name = a.patient_name,
                        .details = a.details,
                        .scope = a.scope,
                        .revoke_reason = std::string(reason)};
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(
        tx.Execute("UPDATE patient_authorizations SET revoked_at = $1, revoked_by = "
                   "$2, sealed = $3 WHERE id = $4",
                   {now, caller.user_id(), store::Blob{box_.Seal(SealedJson(sealed))}, id})
            .status());
    ASSIGN_OR_RETURN(pulled, posts_.WithdrawAuthorizationInTx(tx, caller.actor, a.organization_id,
                                                              id, "revoked"));
    // The reason stays sealed: it is free text and may name the patient.
    return audit_
        .AppendInTx(tx, Entry(caller.actor, "authorization.revoke", a,
                              {{"reason_bytes", reason.size()}, {"posts_pulled_back", pulled}}))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return Get(caller, id);
}

absl::StatusOr<AuthorizationCover> AuthorizationService::CoverFor(const Caller& caller,
                                                                  int64_t brand_id,
                                                                  const std::vector<int64_t>& ids) {
  RETURN_IF_ERROR(CheckAuthorizationIds(ids));
  AuthorizationCover cover;
  if (ids.empty()) return cover;
  std::vector<store::Value> params = {caller.organization_id, brand_id};
  std::string where = "organization_id = $1 AND brand_id = $2";
  internal::AppendInList(&where, &params, "id", ids);
  ASSIGN_OR_RETURN(std::vector<PatientAuthorization> found, Load(db_, box_, where, params));
  if (found.size() != ids.size() || !caller.Can("authorizations.read", brand_id)) {
    for (int64_t id : ids) {
      bool ok = false;
      for (const PatientAuthorization& a : found) ok = ok || a.id == id;
      if (!ok || !caller.Can("authorizations.read", brand_id)) {
        return absl::InvalidArgumentError(core::Cat(
            "authorization_ids: no patient authorization with id ", id, " for this post's brand"));
      }
    }
  }
  const absl::Time now = clock_.Now();
  // In the order the post names them, so the first named covers a shared detail.
  for (int64_t id : ids) {
    for (const PatientAuthorization& a : found) {
      if (a.id == id && a.StatusAt(now) == AuthorizationStatus::kValid) cover.Add(a);
    }
  }
  return cover;
}

absl::StatusOr<int> AuthorizationService::ExpireDue() {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(store::Rows due,
                   db_.Query("SELECT id FROM patient_authorizations WHERE expires_at <= $1 AND "
                             "revoked_at IS NULL AND expiry_processed_at IS NULL ORDER BY id",
                             {now}));
  int expired = 0;
  for (const store::Row& row : due) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
    bool mine = false;
    RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      // Claimed by the update: another node sweeping at once updates no row and moves on.
      ASSIGN_OR_RETURN(int64_t claimed,
                       tx.Execute("UPDATE patient_authorizations SET expiry_processed_at = $1 "
                                  "WHERE id = $2 AND expiry_processed_at IS NULL AND revoked_at "
                                  "IS NULL",
                                  {now, id}));
      mine = claimed == 1;
      if (!mine) return absl::OkStatus();
      ASSIGN_OR_RETURN(store::Row r, tx.QueryRow("SELECT organization_id, brand_id FROM "
                                                 "patient_authorizations WHERE id = $1",
                                                 {id}));
      PatientAuthorization a{.id = id};
      ASSIGN_OR_RETURN(a.organization_id, r.GetInt64("organization_id"));
      ASSIGN_OR_RETURN(a.brand_id, r.GetInt64("brand_id"));
      const Actor system{.name = "system", .from_address = "system"};
      ASSIGN_OR_RETURN(int pulled, posts_.WithdrawAuthorizationInTx(tx, system, a.organization_id,
                                                                    id, "expired"));
      return audit_
          .AppendInTx(tx, Entry(system, "authorization.expire", a, {{"posts_pulled_back", pulled}}))
          .status();
    }));
    if (mine) ++expired;
  }
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return expired;
}

}  // namespace carepost::domain
