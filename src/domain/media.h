// File: domain/media.h
//
// Media uploaded for posts: images and videos of a brand, checked before they are kept.
// An upload is typed by its content (plan::SniffMedia; the file name and the client's
// Content-Type are never believed), its metadata is removed (plan::StripMetadata: Exif
// with the GPS position, XMP, IPTC, comments — video keeps its metadata for now and
// says so), and only the cleaned bytes are stored, in a MediaStore under their SHA-256.
// The row in `media` says who uploaded what, for which brand, its type, size, pixel
// dimensions and a sanitized file name.
//
//   MediaService media(db, clock, audit, *blobs, {.max_bytes = 100'000'000});
//   ASSIGN_OR_RETURN(Uploaded up, media.Upload(caller, brand_id, body, "IMG_0042.JPG"));
//   for (const PlatformFit& fit : MediaFitness(up.media)) ...  // X: too large, ...
//
// Posts attach media by id, each with its alt text (domain/posts.h, MediaAttachment).
//
// Authorization (permissions.h, for the media's brand): uploading and deleting need
// posts.draft, reading posts.read; media the caller may not read is "not found", as is
// any of another organization. Uploads and deletions are audited (type, size, what
// metadata was removed — never the file name, which may name a patient), and so is
// every fetch of the bytes (Content: media.view; a fetch that cannot be recorded fails).
//
// Thread safety: MediaService is safe for concurrent use.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/media_store.h"
#include "plan/media.h"
#include "store/database.h"

namespace carepost::domain {

struct Media {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::optional<int64_t> uploaded_by;
  std::string sha256;  // the MediaStore key of the stored (cleaned) bytes
  plan::MediaType type = plan::MediaType::kJpeg;
  int64_t bytes = 0;             // size of the stored bytes
  std::optional<int64_t> width;  // pixels; nullopt for video
  std::optional<int64_t> height;
  bool metadata_stripped = false;  // false for video (MP4/MOV keep their metadata)
  std::string filename;            // sanitized (SanitizeFilename)
  absl::Time created_at;
};

// Whether one platform takes a file, and why not (plan::CheckMediaForPlatform's words).
struct PlatformFit {
  std::string platform;  // "x", "facebook", ...
  bool fits = false;
  std::string reason;  // '' when it fits
};
// Every platform, in plan::kAllPlatforms order.
std::vector<PlatformFit> MediaFitness(const Media& media);

// A file name safe to store and to send back in Content-Disposition: the last path
// component, letters, digits, '.', '-' and '_' only (anything else becomes '_'), at most
// 80 bytes, no leading dot, and the extension of the type the content has ("scan.jpg"
// holding a PNG is "scan.png"). "upload.<ext>" when nothing is left.
std::string SanitizeFilename(std::string_view name, plan::MediaType type);

struct MediaOptions {
  // Largest upload accepted, in bytes (the HTTP server refuses larger bodies first).
  uint64_t max_bytes = 100'000'000;
};

// What Upload returns: the stored media and what was removed from it (for the caller
// to show; the same list is in the audit event).
struct Uploaded {
  Media media;
  std::vector<std::string> metadata_removed;
};

class MediaService {
 public:
  // Everything passed in must outlive the service.
  MediaService(store::Database& db, core::Clock& clock, AuditLog& audit, MediaStore& blobs,
               MediaOptions options = {});

  // Checks, cleans and stores `bytes` for `brand_id` (posts.draft). InvalidArgument for
  // a type not accepted or a malformed file (plan/media.h's message), OutOfRange when
  // larger than max_bytes, NotFound for a brand of another organization.
  [[nodiscard]] absl::StatusOr<Uploaded> Upload(const Caller& caller, int64_t brand_id,
                                                std::string_view bytes, std::string_view filename);
  // NotFound when there is none the caller may read.
  [[nodiscard]] absl::StatusOr<Media> Get(const Caller& caller, int64_t id);
  // The stored bytes of media `id` (as Get decides who may read them); audited.
  [[nodiscard]] absl::StatusOr<std::string> Content(const Caller& caller, int64_t id);
  // Deletes media no post revision uses (posts.draft); FailedPrecondition naming the
  // post when one does. The bytes go when no other upload has the same content.
  [[nodiscard]] absl::Status Delete(const Caller& caller, int64_t id);

 private:
  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  MediaStore& blobs_;
  const MediaOptions options_;
  // Serializes storing and removing blobs with the rows that use them, so a blob is
  // never removed while an upload of the same bytes is being recorded (one process).
  std::mutex blob_mu_;
};

// The media of `ids` that belong to `organization_id` and `brand_id`, by id. Used by
// posts to check and fit their attachments.
[[nodiscard]] absl::StatusOr<std::vector<Media>> ReadMediaOfBrand(store::Executor& db,
                                                                  const std::vector<int64_t>& ids,
                                                                  int64_t organization_id,
                                                                  int64_t brand_id);

}  // namespace carepost::domain
