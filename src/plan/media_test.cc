#include "plan/media.h"

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zlib.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plan/media_testing.h"

namespace carepost::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::Be16;
using testing::Be32;
using testing::DecodeJpeg;
using testing::EncodeJpeg;
using testing::ExifWithGps;
using testing::JpegSegment;
using testing::kGpsLatitude;
using testing::kH;
using testing::kW;
using testing::Le32;
using testing::Pixels;

TEST(StripMetadata, JpegLosesExifGpsXmpIptcCommentsAndTrailer) {
  const std::string clean = EncodeJpeg();
  ASSERT_TRUE(clean.starts_with("\xFF\xD8\xFF\xE0"));
  const std::string icc =
      JpegSegment(0xE2, std::string("ICC_PROFILE\0\x01\x01", 14) + "fake profile");
  const std::string exif = JpegSegment(0xE1, ExifWithGps());
  const std::string xmp =
      JpegSegment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                            "<x:xmpmeta><exif:GPSLatitude>41,52.2N</exif:GPSLatitude></x:xmpmeta>");
  const std::string iptc =
      JpegSegment(0xED, std::string("Photoshop 3.0\08BIM\x04\x04", 20) + "Jane");
  const std::string comment = JpegSegment(0xFE, "patient Jane Doe, room 4");
  const std::string mpf = JpegSegment(0xE2, std::string("MPF\0", 4) + "index");
  // As a phone writes it: Exif right after SOI, before JFIF; a comment among the tables.
  const size_t after_app0 = 4 + ((uint8_t(clean[4]) << 8) | uint8_t(clean[5]));
  std::string dirty = clean.substr(0, 2) + exif + xmp + clean.substr(2, after_app0 - 2) + icc +
                      iptc + mpf + comment + clean.substr(after_app0) +
                      "<html><script>alert(1)</script></html>";

  absl::StatusOr<StrippedMedia> out = StripMetadata(dirty);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->type, MediaType::kJpeg);
  EXPECT_TRUE(out->stripped);
  // Exactly the encoder's bytes plus the colour profile: image data copied byte for byte.
  EXPECT_EQ(out->data, clean.substr(0, after_app0) + icc + clean.substr(after_app0));
  EXPECT_EQ(out->data.find(kGpsLatitude), std::string::npos);
  EXPECT_THAT(out->data, Not(HasSubstr("Jane")));
  EXPECT_THAT(out->data, Not(HasSubstr("GPSLatitude")));
  EXPECT_THAT(out->removed,
              ElementsAre(HasSubstr("JPEG APP1 Exif ("), HasSubstr("JPEG APP1 XMP ("),
                          HasSubstr("JPEG APP13 IPTC ("), HasSubstr("JPEG APP2 MPF ("),
                          HasSubstr("JPEG COM (comment) ("),
                          "bytes after the end of the image (38 bytes)"));
  EXPECT_EQ(DecodeJpeg(out->data), DecodeJpeg(clean));
  // Stripping is idempotent.
  absl::StatusOr<StrippedMedia> again = StripMetadata(out->data);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->data, out->data);
  EXPECT_TRUE(again->removed.empty());
}

std::string PngChunk(const std::string& type, const std::string& data) {
  std::string body = type + data;
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
  return Be32(data.size()) + body + Be32(static_cast<uint32_t>(crc));
}

std::string EncodePng() {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = kW;
  image.height = kH;
  image.format = PNG_FORMAT_RGB;
  std::vector<uint8_t> px = Pixels(3);
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&image, nullptr, &size, 0, px.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0, px.data(), 0, nullptr));
  out.resize(size);
  return out;
}

std::vector<uint8_t> DecodePng(const std::string& data) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data.data(), data.size())) {
    ADD_FAILURE() << image.message;
    return {};
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<uint8_t> px(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, px.data(), 0, nullptr))
    ADD_FAILURE() << image.message;
  return px;
}

TEST(StripMetadata, PngLosesExifTextAndTime) {
  const std::string clean = EncodePng();
  const size_t after_ihdr = 8 + 25;
  ASSERT_EQ(clean.substr(12, 4), "IHDR");
  const std::string gamma = PngChunk("gAMA", Be32(45455));
  std::string dirty = clean.substr(0, after_ihdr) + gamma +
                      PngChunk("eXIf", ExifWithGps().substr(6)) +
                      PngChunk("tEXt", std::string("Author\0Jane Doe", 15)) +
                      PngChunk("zTXt", std::string("Comment\0\0x\x9c\x03\0\0\0\0\x01", 18)) +
                      PngChunk("iTXt", std::string("Description\0\0\0\0\0room 4", 22)) +
                      PngChunk("tIME", std::string("\x07\xEA\x0C\x05\x0C\x00\x00", 7)) +
                      clean.substr(after_ihdr) + "trailing bytes";
  absl::StatusOr<StrippedMedia> out = StripMetadata(dirty);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->type, MediaType::kPng);
  EXPECT_EQ(out->data, clean.substr(0, after_ihdr) + gamma + clean.substr(after_ihdr));
  EXPECT_EQ(out->data.find(kGpsLatitude), std::string::npos);
  EXPECT_THAT(out->removed,
              ElementsAre(HasSubstr("PNG eXIf ("), "PNG tEXt (27 bytes)", HasSubstr("PNG zTXt ("),
                          HasSubstr("PNG iTXt ("), "PNG tIME (19 bytes)",
                          "bytes after the end of the image (14 bytes)"));
  EXPECT_EQ(DecodePng(out->data), DecodePng(clean));
}

std::string RiffChunk(const std::string& fourcc, const std::string& data) {
  std::string s = fourcc + Le32(data.size()) + data;
  if (data.size() % 2 == 1) s.push_back('\0');
  return s;
}

TEST(StripMetadata, WebpLosesExifAndXmpAndFixesHeader) {
  std::vector<uint8_t> px = Pixels(4);
  uint8_t* encoded = nullptr;
  const size_t n = WebPEncodeLosslessRGBA(px.data(), kW, kH, kW * 4, &encoded);
  ASSERT_GT(n, 12u);
  const std::string simple(reinterpret_cast<char*>(encoded), n);
  WebPFree(encoded);
  ASSERT_EQ(simple.substr(12, 4), "VP8L");
  const std::string image_chunk = simple.substr(12);

  // The extended format: VP8X announcing EXIF and XMP, the image, then both (XMP of odd
  // length, so a padding byte follows it), and an unknown chunk kept as it is.
  std::string vp8x;
  vp8x.push_back('\x0C');  // EXIF + XMP flags
  vp8x.append(3, '\0');
  vp8x += std::string{static_cast<char>(kW - 1), 0, 0, static_cast<char>(kH - 1), 0, 0};
  const std::string unknown = RiffChunk("ZZZZ", "abc");
  std::string body = "WEBP" + RiffChunk("VP8X", vp8x) + image_chunk + unknown +
                     RiffChunk("EXIF", ExifWithGps().substr(6)) +
                     RiffChunk("XMP ", "<x:xmpmeta>Jane Doe</x:xmpmeta>");
  const std::string dirty = "RIFF" + Le32(body.size()) + body;

  absl::StatusOr<StrippedMedia> out = StripMetadata(dirty);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->type, MediaType::kWebp);
  vp8x[0] = 0;
  const std::string want_body = "WEBP" + RiffChunk("VP8X", vp8x) + image_chunk + unknown;
  EXPECT_EQ(out->data, "RIFF" + Le32(want_body.size()) + want_body);
  EXPECT_THAT(out->removed, ElementsAre(HasSubstr("WebP EXIF ("), "WebP XMP (40 bytes)"));

  int w = 0, h = 0;
  uint8_t* decoded =
      WebPDecodeRGBA(reinterpret_cast<const uint8_t*>(out->data.data()), out->data.size(), &w, &h);
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(w, kW);
  EXPECT_EQ(h, kH);
  EXPECT_EQ(std::vector<uint8_t>(decoded, decoded + w * h * 4), px);
  WebPFree(decoded);
}

TEST(StripMetadata, GifLosesCommentsAndXmpButKeepsLooping) {
  const std::string head = std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13) +
                           std::string("\x00\x00\x00\xFF\xFF\xFF", 6);
  const std::string loop = std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);
  const std::string comment = std::string("\x21\xFE\x08Jane Doe\x00", 12);
  const std::string xmp = std::string("\x21\xFF\x0BXMP DataXMP\x05<x/>!\x00", 21);
  const std::string control = std::string("\x21\xF9\x04\x00\x00\x00\x00\x00", 8);
  const std::string image =
      std::string("\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00", 15);
  const std::string dirty = head + loop + comment + xmp + control + image + ";" + "<html>";
  absl::StatusOr<StrippedMedia> out = StripMetadata(dirty);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->type, MediaType::kGif);
  EXPECT_TRUE(out->stripped);
  EXPECT_EQ(out->data, head + loop + control + image + ";");
  EXPECT_THAT(out->removed, ElementsAre("GIF comment extension (12 bytes)",
                                        "GIF XMP application extension (21 bytes)",
                                        "bytes after the end of the image (6 bytes)"));
  EXPECT_THAT(std::string(StripMetadata(head + image).status().message()),
              HasSubstr("ends before its trailer"));
  EXPECT_THAT(std::string(StripMetadata(head + ";").status().message()), HasSubstr("no image"));
}

TEST(StripMetadata, VideoIsReturnedAsItIs) {
  const std::string mp4 = Be32(24) + "ftypisom" + Be32(512) + "isomavc1" + Be32(8) + "free";
  absl::StatusOr<StrippedMedia> out = StripMetadata(mp4);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->type, MediaType::kMp4);
  EXPECT_FALSE(out->stripped);
  EXPECT_EQ(out->data, mp4);
}

TEST(StripMetadata, MalformedFilesNameTheOffset) {
  const std::string jpeg = EncodeJpeg();
  const auto message = [](const std::string& data) {
    absl::StatusOr<StrippedMedia> r = StripMetadata(data);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  EXPECT_THAT(message(jpeg.substr(0, jpeg.size() - 2)),
              HasSubstr("JPEG file is malformed at byte"));
  EXPECT_THAT(message(jpeg.substr(0, 300)), HasSubstr("malformed"));
  EXPECT_THAT(message("\xFF\xD8\xFF\xE1\xFF\xFF" + std::string(10, 'x')),
              "JPEG file is malformed at byte 4: segment 0xE1 of 65535 bytes runs past the end "
              "of the file");
  EXPECT_THAT(message(std::string("\xFF\xD8\xFF\xE1\x00\x01", 6)),
              HasSubstr("has length 1 (below 2)"));
  EXPECT_THAT(message(std::string("\xFF\xD8\xFF\xDA\x00\x02\x00", 7)),
              HasSubstr("a scan comes before the frame header"));

  std::string png = EncodePng();
  png[png.size() - 1] ^= 1;  // IEND's CRC
  EXPECT_THAT(message(png), HasSubstr("chunk IEND has a wrong CRC"));
  png = EncodePng();
  EXPECT_THAT(message(png.substr(0, png.size() - 12)), HasSubstr("ends before its IEND chunk"));
  EXPECT_THAT(message(std::string("\x89PNG\r\n\x1a\n") + Be32(0x7FFFFFF0) + "IHDR"),
              HasSubstr("runs past the end of the file"));

  EXPECT_THAT(message("RIFF" + Le32(1000) + "WEBPVP8L" + Le32(2) + "ab"),
              HasSubstr("the RIFF size (1000) does not fit the file"));
  EXPECT_THAT(message("RIFF" + Le32(14) + "WEBPVP8L" + Le32(200) + "ab"),
              HasSubstr("WebP file is malformed at byte 12: a chunk of 200 bytes runs past"));
}

TEST(StripMetadata, SurvivesEveryTruncationAndBitFlip) {
  std::vector<std::string> samples = {
      EncodeJpeg(), EncodePng(),
      std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xFF\xFF\xFF"
                  "\x21\xFE\x02hi\x00\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44"
                  "\x01\x00;",
                  41)};
  std::vector<uint8_t> px = Pixels(4);
  uint8_t* webp = nullptr;
  const size_t webp_size = WebPEncodeLosslessRGBA(px.data(), kW, kH, kW * 4, &webp);
  samples.emplace_back(reinterpret_cast<char*>(webp), webp_size);
  WebPFree(webp);
  ASSERT_TRUE(StripMetadata(samples[2]).ok());
  ASSERT_TRUE(StripMetadata(samples[3]).ok());
  for (const std::string& s : samples) {
    for (size_t len = 0; len <= s.size(); ++len) {
      absl::StatusOr<StrippedMedia> r = StripMetadata(s.substr(0, len));
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
      }
    }
    for (size_t i = 0; i < s.size(); ++i) {
      std::string flipped = s;
      flipped[i] = static_cast<char>(flipped[i] ^ 0xA5);
      absl::StatusOr<StrippedMedia> r = StripMetadata(flipped);
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
        EXPECT_FALSE(r.status().message().empty());
      }
    }
  }
}

TEST(SniffMedia, ByContentNotByName) {
  EXPECT_EQ(SniffMedia(EncodeJpeg()).value(), MediaType::kJpeg);
  EXPECT_EQ(SniffMedia(EncodePng()).value(), MediaType::kPng);
  EXPECT_EQ(SniffMedia(std::string("GIF87a\x01\x00\x01\x00\x00\x00\x00", 13)).value(),
            MediaType::kGif);
  EXPECT_EQ(SniffMedia("RIFF" + Le32(20) + "WEBPVP8 " + Le32(0) + "xxxx").value(),
            MediaType::kWebp);
  EXPECT_EQ(SniffMedia(Be32(24) + "ftypisom" + Be32(512) + "isomavc1").value(), MediaType::kMp4);
  EXPECT_EQ(SniffMedia(Be32(20) + "ftypqt  " + Be32(512) + "qt  ").value(), MediaType::kMov);

  const auto refused = [](const std::string& data) {
    absl::StatusOr<MediaType> r = SniffMedia(data);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  EXPECT_THAT(refused("\xEF\xBB\xBF  <svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"),
              HasSubstr("markup (SVG, HTML or XML)"));
  EXPECT_THAT(refused("\n<!DOCTYPE html><img src=x onerror=alert(1)>"), HasSubstr("markup"));
  EXPECT_THAT(refused("%PDF-1.7\n"), HasSubstr("PDF"));
  EXPECT_THAT(refused(Be32(24) + "ftypheic" + Be32(0) + "mif1heic"), HasSubstr("HEIC"));
  EXPECT_THAT(refused(Be32(24) + "ftypM4A " + Be32(0) + "M4A mp42"), HasSubstr("not MP4 or MOV"));
  EXPECT_THAT(refused("BM\x36\x00\x00\x00"), HasSubstr("BMP and TIFF"));
  EXPECT_THAT(refused(""), "the file is empty");
  EXPECT_THAT(refused("GIF89a"), HasSubstr("is not a JPEG, PNG, GIF, WebP, MP4 or MOV file"));
  EXPECT_THAT(refused("\xFF\xD8"), HasSubstr("is not a"));
}

TEST(ImageDimensions, ReadFromTheHeaderOfEveryImageType) {
  const auto size_of = [](MediaType type, const std::string& data) {
    std::optional<ImageSize> s = ImageDimensions(type, data);
    return s ? std::to_string(s->width) + "x" + std::to_string(s->height) : std::string("none");
  };
  EXPECT_EQ(size_of(MediaType::kJpeg, EncodeJpeg()), "16x12");
  // Exif before the frame header is skipped.
  const std::string jpeg = EncodeJpeg();
  EXPECT_EQ(size_of(MediaType::kJpeg,
                    jpeg.substr(0, 2) + JpegSegment(0xE1, ExifWithGps()) + jpeg.substr(2)),
            "16x12");
  EXPECT_EQ(size_of(MediaType::kPng, EncodePng()), "16x12");
  std::vector<uint8_t> px = Pixels(4);
  uint8_t* encoded = nullptr;
  size_t n = WebPEncodeLosslessRGBA(px.data(), kW, kH, kW * 4, &encoded);
  EXPECT_EQ(size_of(MediaType::kWebp, std::string(reinterpret_cast<char*>(encoded), n)), "16x12");
  WebPFree(encoded);
  n = WebPEncodeRGBA(px.data(), kW, kH, kW * 4, 80, &encoded);
  const std::string lossy(reinterpret_cast<char*>(encoded), n);
  WebPFree(encoded);
  ASSERT_EQ(lossy.substr(12, 4), "VP8 ");
  EXPECT_EQ(size_of(MediaType::kWebp, lossy), "16x12");
  EXPECT_EQ(size_of(MediaType::kGif, std::string("GIF89a\x20\x01\x0A\x00\x80\x00\x00", 13)),
            "288x10");
  EXPECT_EQ(size_of(MediaType::kMp4, std::string(64, 'x')), "none");
  // Cut short: no answer rather than a guess.
  EXPECT_EQ(size_of(MediaType::kJpeg, jpeg.substr(0, 20)), "none");
  EXPECT_EQ(size_of(MediaType::kPng, EncodePng().substr(0, 20)), "none");
}

TEST(MediaLimits, PerPlatform) {
  for (size_t i = 0; i < kAllPlatforms.size(); ++i) {
    EXPECT_EQ(kPlatformMediaLimits[i].platform, kAllPlatforms[i]);
  }
  EXPECT_TRUE(CheckMediaForPlatform(MediaType::kJpeg, 5'000'000, Platform::kX).ok());
  EXPECT_EQ(std::string(CheckMediaForPlatform(MediaType::kJpeg, 5'000'001, Platform::kX).message()),
            "X takes JPEG files up to 5.0 MB; this one is 5.0 MB");
  EXPECT_EQ(std::string(CheckMediaForPlatform(MediaType::kGif, 16'200'000, Platform::kX).message()),
            "X takes GIF files up to 15.0 MB; this one is 16.2 MB");
  EXPECT_EQ(std::string(CheckMediaForPlatform(MediaType::kPng, 10, Platform::kInstagram).message()),
            "Instagram does not take PNG files; it takes JPEG, MP4, MOV");
  EXPECT_THAT(
      std::string(CheckMediaForPlatform(MediaType::kJpeg, 10, Platform::kYouTube).message()),
      HasSubstr("YouTube does not take JPEG files"));
  EXPECT_FALSE(CheckMediaForPlatform(MediaType::kPng, 1'000'001, Platform::kBluesky).ok());
  EXPECT_TRUE(CheckMediaForPlatform(MediaType::kMp4, 99 * 1024 * 1024, Platform::kMastodon).ok());
  EXPECT_EQ(MediaTypeMime(MediaType::kMov), "video/quicktime");
}

}  // namespace
}  // namespace carepost::plan
