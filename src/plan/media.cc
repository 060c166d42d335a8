#include "plan/media.h"

#include <cstddef>
#include <cstdio>

#include "core/strings.h"

namespace carepost::plan {
namespace {

using core::Cat;

constexpr uint64_t kMB = 1000 * 1000;  // platforms state decimal megabytes
constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kGB = 1000 * kMB;

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";
constexpr std::string_view kAccepted = "JPEG, PNG, GIF, WebP, MP4 or MOV";

uint8_t Byte(std::string_view d, size_t i) { return static_cast<uint8_t>(d[i]); }

uint32_t Be16(std::string_view d, size_t i) { return (uint32_t{Byte(d, i)} << 8) | Byte(d, i + 1); }

uint32_t Be32(std::string_view d, size_t i) {
  return (uint32_t{Byte(d, i)} << 24) | (uint32_t{Byte(d, i + 1)} << 16) |
         (uint32_t{Byte(d, i + 2)} << 8) | Byte(d, i + 3);
}

uint32_t Le32(std::string_view d, size_t i) {
  return uint32_t{Byte(d, i)} | (uint32_t{Byte(d, i + 1)} << 8) | (uint32_t{Byte(d, i + 2)} << 16) |
         (uint32_t{Byte(d, i + 3)} << 24);
}

void PutLe32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string Hex2(uint32_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFF);
  return buf;
}

absl::Status Malformed(std::string_view format, size_t offset, std::string_view problem) {
  return absl::InvalidArgumentError(
      Cat(format, " file is malformed at byte ", offset, ": ", problem));
}

std::string FormatSize(uint64_t bytes) {
  const auto one_decimal = [](uint64_t v, uint64_t unit) {
    const uint64_t tenths = (v * 10 + unit / 2) / unit;
    return Cat(tenths / 10, '.', tenths % 10);
  };
  if (bytes >= kGB) return Cat(one_decimal(bytes, kGB), " GB");
  if (bytes >= kMB) return Cat(one_decimal(bytes, kMB), " MB");
  if (bytes >= 1000) return Cat(one_decimal(bytes, 1000), " kB");
  return Cat(bytes, " bytes");
}

// CRC-32 as PNG uses it (ISO 3309, reflected polynomial 0xEDB88320).
class Crc32Table {
 public:
  constexpr Crc32Table() : table_() {
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table_[n] = c;
    }
  }
  uint32_t Compute(std::string_view data) const {
    uint32_t c = 0xFFFFFFFFu;
    for (char ch : data) c = table_[(c ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
  }

 private:
  uint32_t table_[256];
};
constexpr Crc32Table kCrc32;

bool IsIsoVideoBrand(std::string_view b) {
  static constexpr std::string_view kBrands[] = {"isom", "iso2", "iso3", "iso4", "iso5", "iso6",
                                                 "mp41", "mp42", "avc1", "M4V ", "M4VP", "dash",
                                                 "mmp4", "f4v ", "MSNV", "XAVC"};
  for (std::string_view k : kBrands) {
    if (b == k) return true;
  }
  return false;
}

bool IsIsoImageBrand(std::string_view b) {
  static constexpr std::string_view kBrands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis",
                                                 "mif1", "msf1", "avif", "avis", "crx "};
  for (std::string_view k : kBrands) {
    if (b == k) return true;
  }
  return false;
}

// ---- JPEG -----------------------------------------------------------------------------

bool IsStandaloneJpegMarker(uint8_t m) { return m == 0x01 || (m >= 0xD0 && m <= 0xD7); }

bool IsJpegFrameMarker(uint8_t m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

// Whether a segment is kept, and a short name for the audit log when it is not.
bool KeepJpegSegment(uint8_t marker, std::string_view payload, std::string* name) {
  if (marker == 0xFE) {
    *name = "COM (comment)";
    return false;
  }
  if (marker < 0xE0 || marker > 0xEF) return true;  // tables, frame, scan, restart interval
  if (marker == 0xE0) return true;                  // JFIF / JFXX
  if (marker == 0xE2 && payload.starts_with(std::string_view("ICC_PROFILE\0", 12))) return true;
  if (marker == 0xEE && payload.starts_with("Adobe")) return true;  // colour transform
  const int n = marker - 0xE0;
  if (marker == 0xE1 && payload.starts_with(std::string_view("Exif\0", 5))) {
    *name = "APP1 Exif";
  } else if (marker == 0xE1 && payload.starts_with("http://ns.adobe.com/")) {
    *name = "APP1 XMP";
  } else if (marker == 0xED) {
    *name = "APP13 IPTC";
  } else if (marker == 0xE2 && payload.starts_with(std::string_view("MPF\0", 4))) {
    *name = "APP2 MPF";
  } else {
    *name = Cat("APP", n);
  }
  return false;
}

absl::StatusOr<StrippedMedia> StripJpeg(std::string_view in) {
  constexpr std::string_view kFmt = "JPEG";
  StrippedMedia out;
  out.type = MediaType::kJpeg;
  out.stripped = true;
  out.data.reserve(in.size());
  out.data.append("\xFF\xD8");
  size_t pos = 2;
  bool frame = false;
  bool scan = false;
  while (true) {
    if (pos >= in.size())
      return Malformed(kFmt, pos, "the file ends before its end-of-image marker");
    if (Byte(in, pos) != 0xFF) {
      return Malformed(kFmt, pos, Cat("expected a marker (0xFF), found ", Hex2(Byte(in, pos))));
    }
    const size_t segment_start = pos;
    while (pos < in.size() && Byte(in, pos) == 0xFF) ++pos;  // fill bytes
    if (pos >= in.size()) return Malformed(kFmt, pos, "the file ends inside a marker");
    const uint8_t marker = Byte(in, pos++);
    if (marker == 0xD9) {  // end of image
      if (!scan) return Malformed(kFmt, segment_start, "the image has no scan (no image data)");
      out.data.append("\xFF\xD9");
      if (pos < in.size()) {
        out.removed.push_back(
            Cat("bytes after the end of the image (", in.size() - pos, " bytes)"));
      }
      return out;
    }
    if (marker == 0x00)
      return Malformed(kFmt, segment_start, "a stuffed 0xFF00 outside image data");
    if (marker == 0xD8) return Malformed(kFmt, segment_start, "a second start-of-image marker");
    if (IsStandaloneJpegMarker(marker)) {
      out.data.push_back('\xFF');
      out.data.push_back(static_cast<char>(marker));
      continue;
    }
    if (in.size() - pos < 2) {
      return Malformed(kFmt, pos, Cat("segment ", Hex2(marker), " has no length"));
    }
    const uint32_t length = Be16(in, pos);
    if (length < 2) {
      return Malformed(kFmt, pos,
                       Cat("segment ", Hex2(marker), " has length ", length, " (below 2)"));
    }
    if (length > in.size() - pos) {
      return Malformed(
          kFmt, pos,
          Cat("segment ", Hex2(marker), " of ", length, " bytes runs past the end of the file"));
    }
    const std::string_view payload = in.substr(pos + 2, length - 2);
    std::string name;
    if (KeepJpegSegment(marker, payload, &name)) {
      out.data.push_back('\xFF');
      out.data.push_back(static_cast<char>(marker));
      out.data.append(in.substr(pos, length));
    } else {
      out.removed.push_back(Cat("JPEG ", name, " (", length + 2, " bytes)"));
    }
    pos += length;
    if (IsJpegFrameMarker(marker)) frame = true;
    if (marker != 0xDA) continue;
    // Start of scan: entropy-coded data follows, up to the next marker that is neither a
    // stuffed 0xFF00 nor a restart marker.
    if (!frame) return Malformed(kFmt, segment_start, "a scan comes before the frame header");
    scan = true;
    size_t s = pos;
    while (true) {
      const size_t ff = in.find('\xFF', s);
      if (ff == std::string_view::npos || ff + 1 >= in.size()) {
        return Malformed(kFmt, in.size(), "the file ends inside image data (truncated upload?)");
      }
      const uint8_t next = Byte(in, ff + 1);
      if (next == 0x00 || next == 0xFF || (next >= 0xD0 && next <= 0xD7)) {
        s = ff + 1;
        continue;
      }
      out.data.append(in.substr(pos, ff - pos));
      pos = ff;
      break;
    }
  }
}

// ---- PNG ------------------------------------------------------------------------------

bool IsPngMetadataChunk(std::string_view type) {
  return type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "tIME";
}

absl::StatusOr<StrippedMedia> StripPng(std::string_view in) {
  constexpr std::string_view kFmt = "PNG";
  StrippedMedia out;
  out.type = MediaType::kPng;
  out.stripped = true;
  out.data.reserve(in.size());
  out.data.append(kPngSignature);
  size_t pos = kPngSignature.size();
  bool first = true;
  bool data = false;
  while (true) {
    if (pos >= in.size()) return Malformed(kFmt, pos, "the file ends before its IEND chunk");
    if (in.size() - pos < 12)
      return Malformed(kFmt, pos, "a chunk header runs past the end of the file");
    const uint32_t length = Be32(in, pos);
    if (length > 0x7FFFFFFFu) return Malformed(kFmt, pos, "a chunk length is above 2^31-1");
    if (length > in.size() - pos - 12) {
      return Malformed(kFmt, pos,
                       Cat("a chunk of ", length, " bytes runs past the end of the file"));
    }
    const std::string_view type = in.substr(pos + 4, 4);
    for (char c : type) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return Malformed(kFmt, pos + 4, "a chunk type is not four ASCII letters");
      }
    }
    const uint32_t crc = Be32(in, pos + 8 + length);
    if (crc != kCrc32.Compute(in.substr(pos + 4, 4 + length))) {
      return Malformed(kFmt, pos, Cat("chunk ", type, " has a wrong CRC"));
    }
    if (first && (type != "IHDR" || length != 13)) {
      return Malformed(kFmt, pos, "the first chunk is not a 13-byte IHDR");
    }
    if (!first && type == "IHDR") return Malformed(kFmt, pos, "a second IHDR chunk");
    first = false;
    if (type == "IDAT") data = true;
    if (IsPngMetadataChunk(type)) {
      out.removed.push_back(Cat("PNG ", type, " (", length + 12, " bytes)"));
    } else {
      out.data.append(in.substr(pos, length + 12));
    }
    pos += length + 12;
    if (type == "IEND") {
      if (!data) return Malformed(kFmt, pos, "the image has no IDAT chunk (no image data)");
      if (pos < in.size()) {
        out.removed.push_back(
            Cat("bytes after the end of the image (", in.size() - pos, " bytes)"));
      }
      return out;
    }
  }
}

// ---- WebP -----------------------------------------------------------------------------

absl::StatusOr<StrippedMedia> StripWebp(std::string_view in) {
  constexpr std::string_view kFmt = "WebP";
  StrippedMedia out;
  out.type = MediaType::kWebp;
  out.stripped = true;
  const uint32_t riff_size = Le32(in, 4);
  if (riff_size < 4 || riff_size > in.size() - 8) {
    return Malformed(
        kFmt, 4,
        Cat("the RIFF size (", riff_size, ") does not fit the file (", in.size(), " bytes)"));
  }
  const size_t end = 8 + size_t{riff_size};
  std::string chunks;
  chunks.reserve(riff_size);
  size_t pos = 12;
  size_t vp8x_flags_at = std::string::npos;  // offset of the VP8X flags byte in `chunks`
  bool image = false;
  bool first = true;
  while (pos < end) {
    if (end - pos < 8)
      return Malformed(kFmt, pos, "a chunk header runs past the end of the RIFF data");
    const std::string_view fourcc = in.substr(pos, 4);
    const uint32_t size = Le32(in, pos + 4);
    const size_t padded = size_t{size} + (size & 1);
    if (padded > end - pos - 8) {
      return Malformed(kFmt, pos,
                       Cat("a chunk of ", size, " bytes runs past the end of the RIFF data"));
    }
    if (first && fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X") {
      return Malformed(kFmt, pos, "the first chunk is not VP8, VP8L or VP8X");
    }
    if (fourcc == "VP8X") {
      if (!first) return Malformed(kFmt, pos, "a VP8X chunk that is not the first");
      if (size < 10) return Malformed(kFmt, pos, "a VP8X chunk shorter than 10 bytes");
      vp8x_flags_at = chunks.size() + 8;
    }
    first = false;
    if (fourcc == "VP8 " || fourcc == "VP8L" || fourcc == "ANMF") image = true;
    if (fourcc == "EXIF" || fourcc == "XMP ") {
      out.removed.push_back(
          Cat("WebP ", fourcc == "EXIF" ? "EXIF" : "XMP", " (", padded + 8, " bytes)"));
    } else {
      chunks.append(in.substr(pos, 8 + padded));
    }
    pos += 8 + padded;
  }
  if (!image) return Malformed(kFmt, 12, "the file has no image data (VP8, VP8L or ANMF chunk)");
  if (vp8x_flags_at != std::string::npos) {
    // VP8X flags: bit 3 announces EXIF, bit 2 XMP; both chunks are gone.
    chunks[vp8x_flags_at] = static_cast<char>(Byte(chunks, vp8x_flags_at) & ~0x0Cu);
  }
  out.data.reserve(12 + chunks.size());
  out.data.append("RIFF");
  PutLe32(&out.data, static_cast<uint32_t>(4 + chunks.size()));
  out.data.append("WEBP");
  out.data.append(chunks);
  if (end < in.size()) {
    out.removed.push_back(Cat("bytes after the end of the image (", in.size() - end, " bytes)"));
  }
  return out;
}

// ---- GIF ------------------------------------------------------------------------------

// Skips a chain of data sub-blocks (length byte, bytes; a zero length ends it) starting
// at *pos. Returns false when it runs past the end.
bool SkipGifSubBlocks(std::string_view in, size_t* pos) {
  while (*pos < in.size()) {
    const size_t n = Byte(in, (*pos)++);
    if (n == 0) return true;
    if (n > in.size() - *pos) return false;
    *pos += n;
  }
  return false;
}

absl::StatusOr<StrippedMedia> StripGif(std::string_view in) {
  constexpr std::string_view kFmt = "GIF";
  StrippedMedia out;
  out.type = MediaType::kGif;
  out.stripped = true;
  out.data.reserve(in.size());
  // Header (6) and logical screen descriptor (7), then the global colour table.
  size_t pos = 13;
  const uint8_t screen_flags = Byte(in, 10);
  if (screen_flags & 0x80) {
    const size_t table = 3 * (size_t{1} << ((screen_flags & 0x07) + 1));
    if (table > in.size() - pos)
      return Malformed(kFmt, pos, "the global colour table runs past the end");
    pos += table;
  }
  out.data.append(in.substr(0, pos));
  bool image = false;
  while (true) {
    if (pos >= in.size()) return Malformed(kFmt, pos, "the file ends before its trailer (0x3B)");
    const size_t block = pos;
    const uint8_t introducer = Byte(in, pos++);
    if (introducer == 0x3B) {
      if (!image) return Malformed(kFmt, block, "the file has no image");
      out.data.push_back(';');
      if (pos < in.size()) {
        out.removed.push_back(
            Cat("bytes after the end of the image (", in.size() - pos, " bytes)"));
      }
      return out;
    }
    if (introducer == 0x2C) {  // image descriptor, local colour table, LZW data
      if (in.size() - pos < 10)
        return Malformed(kFmt, block, "an image descriptor runs past the end");
      const uint8_t flags = Byte(in, pos + 8);
      pos += 9;
      if (flags & 0x80) {
        const size_t table = 3 * (size_t{1} << ((flags & 0x07) + 1));
        if (table > in.size() - pos)
          return Malformed(kFmt, pos, "a local colour table runs past the end");
        pos += table;
      }
      ++pos;  // LZW minimum code size
      if (pos > in.size() || !SkipGifSubBlocks(in, &pos)) {
        return Malformed(kFmt, block, "image data runs past the end of the file");
      }
      image = true;
      out.data.append(in.substr(block, pos - block));
      continue;
    }
    if (introducer != 0x21) {
      return Malformed(kFmt, block,
                       Cat("expected a block (0x21, 0x2C or 0x3B), found ", Hex2(introducer)));
    }
    if (pos >= in.size()) return Malformed(kFmt, block, "an extension has no label");
    const uint8_t label = Byte(in, pos++);
    const size_t data_start = pos;
    if (!SkipGifSubBlocks(in, &pos))
      return Malformed(kFmt, block, "an extension runs past the end of the file");
    std::string name;
    if (label == 0xFE) {
      name = "comment extension";
    } else if (label == 0xFF) {
      // Application extension: an 11-byte identifier in the first sub-block. Looping
      // (NETSCAPE2.0, ANIMEXTS1.0) and the colour profile (ICCRGBG1012) are kept; the
      // rest, XMP ("XMP DataXMP") among them, is metadata.
      const std::string_view id = (Byte(in, data_start) == 11 && pos - data_start > 12)
                                      ? in.substr(data_start + 1, 11)
                                      : std::string_view();
      if (id != "NETSCAPE2.0" && id != "ANIMEXTS1.0" && id != "ICCRGBG1012") {
        name = id == "XMP DataXMP" ? "XMP application extension" : "application extension";
      }
    }
    if (name.empty()) {
      out.data.append(in.substr(block, pos - block));
    } else {
      out.removed.push_back(Cat("GIF ", name, " (", pos - block, " bytes)"));
    }
  }
}

}  // namespace

std::string_view MediaTypeMime(MediaType t) {
  switch (t) {
    case MediaType::kJpeg:
      return "image/jpeg";
    case MediaType::kPng:
      return "image/png";
    case MediaType::kGif:
      return "image/gif";
    case MediaType::kWebp:
      return "image/webp";
    case MediaType::kMp4:
      return "video/mp4";
    case MediaType::kMov:
      return "video/quicktime";
  }
  return "application/octet-stream";
}

std::string_view MediaTypeLabel(MediaType t) {
  static constexpr std::string_view kLabels[] = {"JPEG", "PNG", "GIF", "WebP", "MP4", "MOV"};
  return kLabels[static_cast<size_t>(t)];
}

bool IsVideo(MediaType t) { return t == MediaType::kMp4 || t == MediaType::kMov; }

absl::StatusOr<MediaType> SniffMedia(std::string_view b) {
  if (b.empty()) return absl::InvalidArgumentError("the file is empty");
  if (b.size() >= 3 && b.starts_with("\xFF\xD8\xFF")) return MediaType::kJpeg;
  if (b.starts_with(kPngSignature)) return MediaType::kPng;
  if (b.size() >= 13 && (b.starts_with("GIF87a") || b.starts_with("GIF89a")))
    return MediaType::kGif;
  if (b.size() >= 16 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") {
    const std::string_view first = b.substr(12, 4);
    if (first == "VP8 " || first == "VP8L" || first == "VP8X") return MediaType::kWebp;
  }
  if (b.size() >= 16 && b.substr(4, 4) == "ftyp" && Be32(b, 0) >= 16) {
    const std::string_view brand = b.substr(8, 4);
    if (brand == "qt  ") return MediaType::kMov;
    if (IsIsoVideoBrand(brand)) return MediaType::kMp4;
    if (IsIsoImageBrand(brand)) {
      return absl::InvalidArgumentError(
          Cat("HEIC, HEIF and AVIF images are not accepted; export the photo as JPEG (accepted: ",
              kAccepted, ")"));
    }
    return absl::InvalidArgumentError(Cat(
        "this ISO media file is not MP4 or MOV video (it may be audio); accepted: ", kAccepted));
  }
  // Markup in disguise: SVG and HTML can carry script, whatever the file is called.
  std::string_view t = b;
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() &&
         (t.front() == ' ' || t.front() == '\t' || t.front() == '\r' || t.front() == '\n')) {
    t.remove_prefix(1);
  }
  if (t.starts_with("<")) {
    return absl::InvalidArgumentError(
        Cat("the file is markup (SVG, HTML or XML), not an image; accepted: ", kAccepted));
  }
  if (b.starts_with("%PDF")) {
    return absl::InvalidArgumentError(Cat("the file is a PDF document; accepted: ", kAccepted));
  }
  if (b.starts_with("BM") || b.starts_with(std::string_view("II*\0", 4)) ||
      b.starts_with(std::string_view("MM\0*", 4))) {
    return absl::InvalidArgumentError(
        Cat("BMP and TIFF images are not accepted; convert to JPEG or PNG (accepted: ", kAccepted,
            ")"));
  }
  return absl::InvalidArgumentError(Cat("the file is not a ", kAccepted, " file"));
}

// Figures and their sources: docs/media-limits.md. Where sources disagree, the lower
// figure is used, so a file that passes here is not refused by the platform for size.
//                                              JPEG   PNG    GIF    WebP   MP4    MOV
const std::array<PlatformMediaLimits, 10> kPlatformMediaLimits = {{
    {Platform::kFacebook, {true, true, true, false, true, true}, 10 * kMB, 10 * kMB, 4 * kGB},
    {Platform::kInstagram, {true, false, false, false, true, true}, 8 * kMB, 0, 300 * kMB},
    {Platform::kThreads, {true, true, false, false, true, true}, 8 * kMB, 0, 1 * kGB},
    {Platform::kX, {true, true, true, true, true, true}, 5 * kMB, 15 * kMB, 512 * kMB},
    {Platform::kLinkedIn, {true, true, true, false, true, false}, 5 * kMB, 5 * kMB, 200 * kMB},
    {Platform::kYouTube, {false, false, false, false, true, true}, 0, 0, 256 * kGB},
    {Platform::kPinterest, {true, true, true, true, true, true}, 20 * kMB, 20 * kMB, 1 * kGB},
    {Platform::kTikTok, {true, false, false, true, true, true}, 20 * kMB, 0, 4 * kGB},
    {Platform::kBluesky, {true, true, true, true, true, true}, 1 * kMB, 1 * kMB, 100 * kMB},
    {Platform::kMastodon, {true, true, true, true, true, true}, 16 * kMiB, 16 * kMiB, 99 * kMiB},
}};

const PlatformMediaLimits& MediaLimitsFor(Platform p) {
  return kPlatformMediaLimits[static_cast<size_t>(p)];
}

absl::Status CheckMediaForPlatform(MediaType type, uint64_t size_bytes, Platform platform) {
  const PlatformMediaLimits& limits = MediaLimitsFor(platform);
  if (!limits.accepts[static_cast<size_t>(type)]) {
    std::string takes;
    for (size_t i = 0; i < limits.accepts.size(); ++i) {
      if (limits.accepts[i]) {
        core::Append(&takes, takes.empty() ? "" : ", ", MediaTypeLabel(static_cast<MediaType>(i)));
      }
    }
    return absl::InvalidArgumentError(Cat(PlatformLabel(platform), " does not take ",
                                          MediaTypeLabel(type), " files; it takes ", takes));
  }
  const uint64_t max = IsVideo(type)             ? limits.max_video_bytes
                       : type == MediaType::kGif ? limits.max_gif_bytes
                                                 : limits.max_image_bytes;
  if (size_bytes > max) {
    return absl::InvalidArgumentError(Cat(PlatformLabel(platform), " takes ", MediaTypeLabel(type),
                                          " files up to ", FormatSize(max), "; this one is ",
                                          FormatSize(size_bytes)));
  }
  return absl::OkStatus();
}

std::optional<ImageSize> ImageDimensions(MediaType type, std::string_view b) {
  const auto le16 = [&](size_t i) {
    return uint32_t{Byte(b, i)} | (uint32_t{Byte(b, i + 1)} << 8);
  };
  const auto le24 = [&](size_t i) { return le16(i) | (uint32_t{Byte(b, i + 2)} << 16); };
  switch (type) {
    case MediaType::kPng:
      if (b.size() < 24 || b.substr(12, 4) != "IHDR") return std::nullopt;
      return ImageSize{Be32(b, 16), Be32(b, 20)};
    case MediaType::kGif:
      if (b.size() < 10) return std::nullopt;
      return ImageSize{le16(6), le16(8)};
    case MediaType::kJpeg:
      for (size_t pos = 2; pos + 4 <= b.size();) {
        if (Byte(b, pos) != 0xFF) return std::nullopt;
        const uint8_t marker = Byte(b, pos + 1);
        if (marker == 0xFF) {  // fill byte
          ++pos;
          continue;
        }
        if (IsStandaloneJpegMarker(marker)) {
          pos += 2;
          continue;
        }
        if (marker == 0xDA || marker == 0xD9) return std::nullopt;  // scan before a frame
        if (IsJpegFrameMarker(marker)) {
          if (pos + 9 > b.size()) return std::nullopt;
          return ImageSize{Be16(b, pos + 7), Be16(b, pos + 5)};
        }
        pos += 2 + Be16(b, pos + 2);
      }
      return std::nullopt;
    case MediaType::kWebp: {
      if (b.size() < 30) return std::nullopt;
      const std::string_view chunk = b.substr(12, 4);
      if (chunk == "VP8X") return ImageSize{le24(24) + 1, le24(27) + 1};
      if (chunk == "VP8L") {
        if (Byte(b, 20) != 0x2F) return std::nullopt;
        const uint32_t bits = Le32(b, 21);
        return ImageSize{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
      }
      if (chunk == "VP8 ") {
        if (b.substr(23, 3) != "\x9D\x01\x2A") return std::nullopt;
        return ImageSize{le16(26) & 0x3FFF, le16(28) & 0x3FFF};
      }
      return std::nullopt;
    }
    case MediaType::kMp4:
    case MediaType::kMov:
      break;
  }
  return std::nullopt;
}

absl::StatusOr<StrippedMedia> StripMetadata(std::string_view bytes) {
  absl::StatusOr<MediaType> type = SniffMedia(bytes);
  if (!type.ok()) return type.status();
  switch (*type) {
    case MediaType::kJpeg:
      return StripJpeg(bytes);
    case MediaType::kPng:
      return StripPng(bytes);
    case MediaType::kWebp:
      return StripWebp(bytes);
    case MediaType::kGif:
      return StripGif(bytes);
    case MediaType::kMp4:
    case MediaType::kMov:
      break;
  }
  StrippedMedia out;
  out.type = *type;
  out.data = std::string(bytes);
  out.stripped = false;
  return out;
}

}  // namespace carepost::plan
