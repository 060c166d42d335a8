#include "domain/media.h"

#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/plan_common.h"

namespace carepost::domain {
namespace {

using internal::OptionalInt;
using nlohmann::json;

constexpr char kMediaColumns[] =
    "id, organization_id, brand_id, uploaded_by, sha256, content_type, bytes, width, height, "
    "metadata_stripped, original_filename, created_at";

std::string_view Extension(plan::MediaType type) {
  static constexpr std::string_view kExtensions[] = {"jpg", "png", "gif", "webp", "mp4", "mov"};
  return kExtensions[static_cast<size_t>(type)];
}

std::optional<plan::MediaType> TypeOfMime(std::string_view mime) {
  for (plan::MediaType t : {plan::MediaType::kJpeg, plan::MediaType::kPng, plan::MediaType::kGif,
                            plan::MediaType::kWebp, plan::MediaType::kMp4, plan::MediaType::kMov}) {
    if (plan::MediaTypeMime(t) == mime) return t;
  }
  return std::nullopt;
}

absl::StatusOr<Media> MediaFromRow(const store::Row& row) {
  Media m;
  ASSIGN_OR_RETURN(m.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(m.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(m.brand_id, row.GetInt64("brand_id"));
  m.uploaded_by = OptionalInt(row, "uploaded_by");
  ASSIGN_OR_RETURN(m.sha256, row.GetText("sha256"));
  ASSIGN_OR_RETURN(std::string mime, row.GetText("content_type"));
  std::optional<plan::MediaType> type = TypeOfMime(mime);
  if (!type) return absl::InternalError(core::Cat("media ", m.id, " has an unknown type"));
  m.type = *type;
  ASSIGN_OR_RETURN(m.bytes, row.GetInt64("bytes"));
  m.width = OptionalInt(row, "width");
  m.height = OptionalInt(row, "height");
  ASSIGN_OR_RETURN(int64_t stripped, row.GetInt64("metadata_stripped"));
  m.metadata_stripped = stripped != 0;
  ASSIGN_OR_RETURN(m.filename, row.GetText("original_filename"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  m.created_at = absl::FromUnixMicros(created);
  return m;
}

absl::StatusOr<Media> ReadVisibleMedia(store::Executor& db, const Caller& caller, int64_t id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query(core::Cat("SELECT ", kMediaColumns, " FROM media WHERE id = $1"), {id}));
  if (rows.empty()) return absl::NotFoundError(core::Cat("no media with id ", id));
  ASSIGN_OR_RETURN(Media m, MediaFromRow(rows[0]));
  if (m.organization_id != caller.organization_id || !caller.Can("posts.read", m.brand_id)) {
    return absl::NotFoundError(core::Cat("no media with id ", id));
  }
  return m;
}

AuditEntry MediaEntry(const Caller& caller, std::string_view action, const Media& m, json details) {
  AuditEntry e = EntryFor(caller.actor, action);
  e.organization_id = m.organization_id;
  e.record_type = "media";
  e.record_id = core::Cat(m.id);
  details["brand_id"] = m.brand_id;
  details["content_type"] = plan::MediaTypeMime(m.type);
  details["bytes"] = m.bytes;
  details["sha256"] = m.sha256;
  e.details = details.dump();
  return e;
}

}  // namespace

std::vector<PlatformFit> MediaFitness(const Media& media) {
  std::vector<PlatformFit> out;
  for (plan::Platform p : plan::kAllPlatforms) {
    absl::Status s = plan::CheckMediaForPlatform(media.type, static_cast<uint64_t>(media.bytes), p);
    out.push_back({.platform = std::string(plan::PlatformName(p)),
                   .fits = s.ok(),
                   .reason = std::string(s.message())});
  }
  return out;
}

std::string SanitizeFilename(std::string_view name, plan::MediaType type) {
  if (size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  std::string stem;
  for (char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    const char out = safe ? c : '_';
    if (out == '_' && !stem.empty() && stem.back() == '_') continue;
    if (out == '.' && stem.empty()) continue;
    stem.push_back(out);
  }
  while (!stem.empty() && (stem.back() == '_' || stem.back() == '.')) stem.pop_back();
  while (!stem.empty() && stem.front() == '_') stem.erase(0, 1);
  if (stem.size() > 75) stem.resize(75);
  if (stem.empty()) stem = "upload";
  return core::Cat(stem, ".", Extension(type));
}

MediaService::MediaService(store::Database& db, core::Clock& clock, AuditLog& audit,
                           MediaStore& blobs, MediaOptions options)
    : db_(db), clock_(clock), audit_(audit), blobs_(blobs), options_(options) {}

absl::StatusOr<Uploaded> MediaService::Upload(const Caller& caller, int64_t brand_id,
                                              std::string_view bytes, std::string_view filename) {
  RETURN_IF_ERROR(internal::CheckBrandOfOrganization(db_, brand_id, caller.organization_id));
  if (!caller.Can("posts.draft", brand_id)) {
    return absl::PermissionDeniedError(
        "your roles do not allow uploading media for this brand (posts.draft)");
  }
  if (bytes.size() > options_.max_bytes) {
    return absl::OutOfRangeError(core::Cat("the file is ", bytes.size(),
                                           " bytes; uploads are limited to ", options_.max_bytes,
                                           " bytes"));
  }
  ASSIGN_OR_RETURN(plan::StrippedMedia clean, plan::StripMetadata(bytes));
  Uploaded out;
  Media& m = out.media;
  m.organization_id = caller.organization_id;
  m.brand_id = brand_id;
  m.uploaded_by = caller.user_id();
  m.type = clean.type;
  m.bytes = static_cast<int64_t>(clean.data.size());
  if (std::optional<plan::ImageSize> size = plan::ImageDimensions(clean.type, clean.data)) {
    m.width = size->width;
    m.height = size->height;
  }
  m.metadata_stripped = clean.stripped;
  m.filename = SanitizeFilename(filename, clean.type);
  out.metadata_removed = clean.removed;
  const absl::Time now = clock_.Now();
  m.created_at = absl::FromUnixMicros(absl::ToUnixMicros(now));
  {
    std::lock_guard<std::mutex> lock(blob_mu_);
    ASSIGN_OR_RETURN(m.sha256, blobs_.Put(clean.data));
    RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Row row,
          tx.QueryRow("INSERT INTO media (organization_id, brand_id, uploaded_by, sha256, "
                      "content_type, bytes, width, height, metadata_stripped, "
                      "original_filename, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                      "$9, $10, $11) RETURNING id",
                      {m.organization_id, m.brand_id, caller.user_id(), m.sha256,
                       plan::MediaTypeMime(m.type), m.bytes, m.width, m.height,
                       m.metadata_stripped ? 1 : 0, m.filename, absl::ToUnixMicros(now)}));
      ASSIGN_OR_RETURN(m.id, row.GetInt64("id"));
      return audit_
          .AppendInTx(tx, MediaEntry(caller, "media.upload", m,
                                     {{"metadata_stripped", m.metadata_stripped},
                                      {"metadata_removed", clean.removed}}))
          .status();
    }));
  }
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return out;
}

absl::StatusOr<Media> MediaService::Get(const Caller& caller, int64_t id) {
  return ReadVisibleMedia(db_, caller, id);
}

absl::StatusOr<std::string> MediaService::Content(const Caller& caller, int64_t id) {
  ASSIGN_OR_RETURN(Media m, ReadVisibleMedia(db_, caller, id));
  ASSIGN_OR_RETURN(std::string bytes, blobs_.Get(m.sha256));
  // A photo can show a patient: who fetched it is part of the audit trail, and a fetch
  // that cannot be recorded is refused.
  absl::StatusOr<int64_t> seq = audit_.Append(MediaEntry(caller, "media.view", m, json::object()));
  if (!seq.ok()) {
    return absl::UnavailableError(
        core::Cat("the media read could not be audited: ", std::string(seq.status().message())));
  }
  return bytes;
}

absl::Status MediaService::Delete(const Caller& caller, int64_t id) {
  std::lock_guard<std::mutex> lock(blob_mu_);
  bool last_copy = false;
  Media m;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(m, ReadVisibleMedia(tx, caller, id));
    if (!caller.Can("posts.draft", m.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow deleting media of this brand (posts.draft)");
    }
    ASSIGN_OR_RETURN(store::Rows used,
                     tx.Query("SELECT post_id FROM post_media WHERE media_id = $1 "
                              "ORDER BY post_id LIMIT 1",
                              {id}));
    if (!used.empty()) {
      ASSIGN_OR_RETURN(int64_t post, used[0].GetInt64("post_id"));
      return absl::FailedPreconditionError(
          core::Cat("media ", id, " is attached to post ", post,
                    " (a revision keeps it); it cannot be deleted"));
    }
    RETURN_IF_ERROR(tx.Execute("DELETE FROM media WHERE id = $1", {id}).status());
    ASSIGN_OR_RETURN(store::Row others,
                     tx.QueryRow("SELECT COUNT(*) AS n FROM media WHERE sha256 = $1", {m.sha256}));
    ASSIGN_OR_RETURN(int64_t n, others.GetInt64("n"));
    last_copy = n == 0;
    return audit_.AppendInTx(tx, MediaEntry(caller, "media.delete", m, json::object())).status();
  }));
  if (last_copy) RETURN_IF_ERROR(blobs_.Remove(m.sha256));
  return audit_.FlushCheckpoints();
}

absl::StatusOr<std::vector<Media>> ReadMediaOfBrand(store::Executor& db,
                                                    const std::vector<int64_t>& ids,
                                                    int64_t organization_id, int64_t brand_id) {
  std::vector<Media> out;
  if (ids.empty()) return out;
  std::vector<store::Value> params = {organization_id, brand_id};
  std::string sql = core::Cat("SELECT ", kMediaColumns,
                              " FROM media WHERE organization_id = $1 AND brand_id = $2");
  internal::AppendInList(&sql, &params, "id", ids);
  sql += " ORDER BY id";
  ASSIGN_OR_RETURN(store::Rows rows, db.Query(sql, params));
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(Media m, MediaFromRow(row));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace carepost::domain
