#include "domain/post_media.h"

#include <set>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/campaigns.h"
#include "domain/internal/plan_common.h"
#include "domain/media.h"
#include "plan/media.h"
#include "plan/vocabulary.h"

namespace carepost::domain {
namespace {

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Name(size_t i) { return core::Cat("media[", i, "]"); }

// The platforms attachment `a` goes to: its own list, or every variant's platform.
std::vector<std::string> PlatformsOf(const MediaAttachment& a, const PostContent& content) {
  if (!a.platforms.empty()) return a.platforms;
  std::vector<std::string> out;
  for (const Variant& v : content.variants) out.push_back(v.platform);
  return out;
}

std::vector<int64_t> Ids(const std::vector<MediaAttachment>& media) {
  std::vector<int64_t> ids;
  for (const MediaAttachment& a : media) ids.push_back(a.media_id);
  return ids;
}

}  // namespace

absl::Status CheckPostMedia(const PostContent& content) {
  if (content.media.size() > kMaxPostMedia) {
    return absl::InvalidArgumentError(
        core::Cat("media: at most ", kMaxPostMedia, " attachments per post"));
  }
  std::set<std::string> variants;
  for (const Variant& v : content.variants) variants.insert(v.platform);
  for (size_t i = 0; i < content.media.size(); ++i) {
    const MediaAttachment& a = content.media[i];
    if (a.media_id < 1) {
      return absl::InvalidArgumentError(core::Cat(Name(i), ".media_id must be a media id"));
    }
    const std::string field = core::Cat(Name(i), ".alt_text");
    RETURN_IF_ERROR(CheckText(field, a.alt_text, 0, kMaxAltTextChars * 4, false));
    if (a.alt_text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return absl::InvalidArgumentError(
          core::Cat(field,
                    " is required: describe what the image or video shows (and any words in it) "
                    "for people who use screen readers"));
    }
    if (CodePoints(a.alt_text) > kMaxAltTextChars) {
      return absl::InvalidArgumentError(core::Cat(field, " is ", CodePoints(a.alt_text),
                                                  " characters; at most ", kMaxAltTextChars));
    }
    std::set<std::string> seen;
    for (const std::string& p : a.platforms) {
      if (!IsPostPlatform(p)) {
        return absl::InvalidArgumentError(
            core::Cat(Name(i),
                      ".platforms: each must be one of facebook, instagram, threads, x, "
                      "linkedin, youtube, pinterest, tiktok, bluesky, mastodon"));
      }
      if (!seen.insert(p).second) {
        return absl::InvalidArgumentError(core::Cat(Name(i), ".platforms names ", p, " twice"));
      }
      if (variants.count(p) == 0) {
        return absl::InvalidArgumentError(
            core::Cat(Name(i), ".platforms names ", p, ", which the post has no variant for"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMediaOfBrand(store::Executor& db, const std::vector<MediaAttachment>& media,
                               int64_t organization_id, int64_t brand_id) {
  ASSIGN_OR_RETURN(std::vector<Media> found,
                   ReadMediaOfBrand(db, Ids(media), organization_id, brand_id));
  std::set<int64_t> ok;
  for (const Media& m : found) ok.insert(m.id);
  for (size_t i = 0; i < media.size(); ++i) {
    if (ok.count(media[i].media_id) == 0) {
      return absl::InvalidArgumentError(core::Cat(Name(i), ".media_id: no media with id ",
                                                  media[i].media_id, " for this post's brand"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMediaFitsPlatforms(store::Executor& db, const PostContent& content,
                                     int64_t organization_id, int64_t brand_id) {
  ASSIGN_OR_RETURN(std::vector<Media> found,
                   ReadMediaOfBrand(db, Ids(content.media), organization_id, brand_id));
  std::map<int64_t, const Media*> by_id;
  for (const Media& m : found) by_id[m.id] = &m;
  for (size_t i = 0; i < content.media.size(); ++i) {
    const MediaAttachment& a = content.media[i];
    auto it = by_id.find(a.media_id);
    if (it == by_id.end()) {
      return absl::FailedPreconditionError(
          core::Cat(Name(i), ": media ", a.media_id, " is no longer there"));
    }
    const Media& m = *it->second;
    for (const std::string& name : PlatformsOf(a, content)) {
      std::optional<plan::Platform> platform = plan::ParsePlatform(name);
      if (!platform) continue;
      if (absl::Status s =
              plan::CheckMediaForPlatform(m.type, static_cast<uint64_t>(m.bytes), *platform);
          !s.ok()) {
        return absl::FailedPreconditionError(core::Cat(
            Name(i), " (media ", m.id, ") cannot go to ", name, ": ", std::string(s.message()),
            ". Attach another file, or leave ", name, " out of its platforms"));
      }
      for (const AltTextLimit& limit : kAltTextLimits) {
        const size_t n = CodePoints(a.alt_text);
        if (limit.platform == name && n > limit.max_chars) {
          return absl::FailedPreconditionError(
              core::Cat(Name(i), ".alt_text is ", n, " characters; ",
                        plan::PlatformLabel(*platform), " takes alt text up to ", limit.max_chars));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status InsertPostMedia(store::Tx& tx, int64_t post_id, int64_t revision,
                             const std::vector<MediaAttachment>& media) {
  for (size_t i = 0; i < media.size(); ++i) {
    const MediaAttachment& a = media[i];
    RETURN_IF_ERROR(tx.Execute("INSERT INTO post_media (post_id, revision, position, media_id, "
                               "alt_text, platforms) VALUES ($1, $2, $3, $4, $5, $6)",
                               {post_id, revision, static_cast<int64_t>(i), a.media_id, a.alt_text,
                                internal::JsonStringList(a.platforms)})
                        .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<PostMediaMap> ReadPostMedia(store::Executor& db,
                                           const std::vector<int64_t>& post_ids,
                                           bool current_only) {
  PostMediaMap out;
  if (post_ids.empty()) return out;
  std::vector<store::Value> params;
  std::string sql =
      "SELECT t.post_id, t.revision, t.media_id, t.alt_text, t.platforms FROM post_media t";
  if (current_only) sql += " JOIN posts p ON p.id = t.post_id AND p.revision = t.revision";
  sql += " WHERE 1 = 1";
  internal::AppendInList(&sql, &params, "t.post_id", post_ids);
  sql += " ORDER BY t.post_id, t.revision, t.position";
  ASSIGN_OR_RETURN(store::Rows rows, db.Query(sql, params));
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t post, row.GetInt64("post_id"));
    ASSIGN_OR_RETURN(int64_t revision, row.GetInt64("revision"));
    MediaAttachment a;
    ASSIGN_OR_RETURN(a.media_id, row.GetInt64("media_id"));
    ASSIGN_OR_RETURN(a.alt_text, row.GetText("alt_text"));
    ASSIGN_OR_RETURN(std::string platforms, row.GetText("platforms"));
    ASSIGN_OR_RETURN(a.platforms, internal::ParseJsonStringList("platforms", platforms));
    out[{post, revision}].push_back(std::move(a));
  }
  return out;
}

bool SameMedia(const std::vector<MediaAttachment>& a, const std::vector<MediaAttachment>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].media_id != b[i].media_id || a[i].alt_text != b[i].alt_text ||
        a[i].platforms != b[i].platforms) {
      return false;
    }
  }
  return true;
}

}  // namespace carepost::domain
