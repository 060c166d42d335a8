// File: plan/media.h
//
// Checks for media uploaded in the composer, before anything is stored:
//
//   1. SniffMedia: the real type, from the bytes (never the file name or the client's
//      Content-Type). JPEG, PNG, GIF, WebP, MP4 and QuickTime MOV are accepted;
//      everything else is refused, including SVG and HTML (script in an "image") and
//      HEIC/AVIF (ISO media that is not video).
//   2. CheckMediaForPlatform: the platform takes this type at this size
//      (kPlatformMediaLimits; figures and sources in docs/media-limits.md).
//   3. StripMetadata: a copy of the file without the metadata where a phone puts the
//      GPS position, the camera owner, dates and editing history: JPEG APP1 (Exif, XMP),
//      APP13 (IPTC) and comments; PNG eXIf and text chunks; WebP EXIF and XMP chunks;
//      GIF comments and XMP. The image data itself is copied byte for byte.
//
//   ASSIGN_OR_RETURN(plan::MediaType type, plan::SniffMedia(upload));
//   for (Platform p : post.platforms) RETURN_IF_ERROR(plan::CheckMediaForPlatform(type,
//   upload.size(), p)); ASSIGN_OR_RETURN(plan::StrippedMedia clean, plan::StripMetadata(upload));
//   // store clean.data; audit clean.removed
//
// The parsers are written for hostile input: every length is checked against the bytes
// that remain, and a malformed file is an InvalidArgument naming the format, the offset
// and the problem (never the file's content). No I/O; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "plan/vocabulary.h"

namespace carepost::plan {

enum class MediaType : uint8_t { kJpeg, kPng, kGif, kWebp, kMp4, kMov };

// "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime".
std::string_view MediaTypeMime(MediaType t);
// "JPEG", "PNG", "GIF", "WebP", "MP4", "MOV".
std::string_view MediaTypeLabel(MediaType t);
bool IsVideo(MediaType t);

// The type of `bytes` by content. InvalidArgument says what the bytes look like when it
// can (markup such as SVG or HTML, PDF, HEIC, an unsupported image) and lists what is
// accepted.
[[nodiscard]] absl::StatusOr<MediaType> SniffMedia(std::string_view bytes);

// What one platform takes. Sizes are bytes; 0 means "does not take this kind".
struct PlatformMediaLimits {
  Platform platform;
  std::array<bool, 6> accepts;  // indexed by MediaType
  uint64_t max_image_bytes;     // JPEG, PNG, WebP
  uint64_t max_gif_bytes;
  uint64_t max_video_bytes;  // MP4, MOV
};
// One row per platform, in kAllPlatforms order.
extern const std::array<PlatformMediaLimits, 10> kPlatformMediaLimits;
const PlatformMediaLimits& MediaLimitsFor(Platform p);

// OK when `platform` takes a file of this type and size; InvalidArgument otherwise,
// saying what the platform takes ("X takes GIF files up to 15 MB; this one is 16.2 MB").
[[nodiscard]] absl::Status CheckMediaForPlatform(MediaType type, uint64_t size_bytes,
                                                 Platform platform);

struct StrippedMedia {
  MediaType type = MediaType::kJpeg;
  std::string data;
  // False for the types whose metadata this library does not remove (MP4, MOV):
  // `data` is then the input unchanged. See docs/media-limits.md.
  bool stripped = false;
  // What was removed, for the audit log: "JPEG APP1 Exif (1534 bytes)", "PNG tEXt
  // (40 bytes)", "bytes after the end of the image (120 bytes)". Never content.
  std::vector<std::string> removed;
};

// Sniffs `bytes` and returns a copy without metadata. JPEG keeps APP0 (JFIF), APP2
// ICC_PROFILE and APP14 (Adobe colour transform) and drops every other APPn segment,
// COM, and anything after EOI (which may hold more images with their own Exif). PNG
// drops eXIf, tEXt, zTXt, iTXt and tIME, and anything after IEND; the CRC of every kept
// chunk is verified. WebP drops EXIF and XMP chunks, clears the VP8X flags that announce
// them, and rewrites the RIFF size. GIF drops comment extensions and application
// extensions other than looping (NETSCAPE2.0, ANIMEXTS1.0) and the colour profile, and
// anything after the trailer. InvalidArgument for a malformed file.
[[nodiscard]] absl::StatusOr<StrippedMedia> StripMetadata(std::string_view bytes);

// Pixel dimensions of an image, read from its header (JPEG frame header, PNG IHDR, GIF
// logical screen, WebP VP8/VP8L/VP8X). nullopt for video and for a header it cannot
// read; never decodes the image.
struct ImageSize {
  uint32_t width = 0;
  uint32_t height = 0;
};
std::optional<ImageSize> ImageDimensions(MediaType type, std::string_view bytes);

}  // namespace carepost::plan
