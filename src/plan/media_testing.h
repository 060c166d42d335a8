// File: plan/media_testing.h
//
// Test-only: real media for the suites that upload and strip it. A small gradient
// picture encoded as JPEG with libjpeg (link libjpeg), the Exif block with a GPS
// position a phone writes, JPEG segment building, and decoding back to pixels so a test
// can show a stripped file still decodes to the same picture.
#pragma once

#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace carepost::plan::testing {

inline constexpr int kW = 16;
inline constexpr int kH = 12;

// A small RGB test picture: gradients, so a broken decode shows.
inline std::vector<uint8_t> Pixels(int channels) {
  std::vector<uint8_t> p;
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      p.push_back(static_cast<uint8_t>(x * 16));
      p.push_back(static_cast<uint8_t>(y * 20));
      p.push_back(static_cast<uint8_t>((x + y) * 8));
      if (channels == 4) p.push_back(255);
    }
  }
  return p;
}

inline std::string Be16(uint32_t v) {
  return {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)};
}
inline std::string Be32(uint32_t v) { return Be16(v >> 16) + Be16(v & 0xFFFF); }
inline std::string Le32(uint32_t v) {
  std::string s;
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}

// The GPS position a phone writes: latitude 41° 52' 12.34" N in a TIFF GPS IFD.
inline const std::string kGpsLatitude =
    Be32(41) + Be32(1) + Be32(52) + Be32(1) + Be32(1234) + Be32(100);

inline std::string ExifWithGps() {
  std::string tiff = "MM" + Be16(42) + Be32(8);
  // IFD0: one entry, GPSInfo (0x8825, LONG) pointing at the GPS IFD at offset 26.
  tiff += Be16(1) + Be16(0x8825) + Be16(4) + Be32(1) + Be32(26) + Be32(0);
  // GPS IFD: GPSLatitudeRef "N", GPSLatitude (3 RATIONALs at offset 56).
  tiff += Be16(2);
  tiff += Be16(1) + Be16(2) + Be32(2) + std::string("N\0\0\0", 4);
  tiff += Be16(2) + Be16(5) + Be32(3) + Be32(56);
  tiff += Be32(0);
  tiff += kGpsLatitude;
  return std::string("Exif\0\0", 6) + tiff;
}

inline std::string JpegSegment(uint8_t marker, const std::string& payload) {
  return std::string{'\xFF', static_cast<char>(marker)} + Be16(payload.size() + 2) + payload;
}

inline std::string EncodeJpeg() {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  jpeg_mem_dest(&c, &buf, &len);
  c.image_width = kW;
  c.image_height = kH;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 90, TRUE);
  jpeg_simple_progression(&c);  // several scans with tables between them
  jpeg_start_compress(&c, TRUE);
  std::vector<uint8_t> px = Pixels(3);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = px.data() + c.next_scanline * kW * 3;
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  std::string out(reinterpret_cast<char*>(buf), len);
  jpeg_destroy_compress(&c);
  std::free(buf);
  return out;
}

inline std::vector<uint8_t> DecodeJpeg(const std::string& data) {
  jpeg_decompress_struct d;
  jpeg_error_mgr err;
  d.err = jpeg_std_error(&err);
  jpeg_create_decompress(&d);
  jpeg_mem_src(&d, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  EXPECT_EQ(jpeg_read_header(&d, TRUE), JPEG_HEADER_OK);
  jpeg_start_decompress(&d);
  std::vector<uint8_t> px(d.output_width * d.output_height * d.output_components);
  while (d.output_scanline < d.output_height) {
    JSAMPROW row = px.data() + d.output_scanline * d.output_width * d.output_components;
    jpeg_read_scanlines(&d, &row, 1);
  }
  jpeg_finish_decompress(&d);
  EXPECT_EQ(err.num_warnings, 0);
  jpeg_destroy_decompress(&d);
  return px;
}

// An APP1 Exif segment holding the GPS position.
inline std::string ExifGpsSegment() { return JpegSegment(0xE1, ExifWithGps()); }

// EncodeJpeg() with the Exif GPS segment right after SOI, as a phone writes it.
inline std::string JpegWithGps() {
  const std::string clean = EncodeJpeg();
  return clean.substr(0, 2) + ExifGpsSegment() + clean.substr(2);
}

// A JPEG of exactly `bytes` bytes (for size limits): EncodeJpeg() padded with ICC
// profile segments, which stripping keeps. REQUIRES: bytes > EncodeJpeg().size() + 18.
inline std::string JpegOfSize(size_t bytes) {
  const std::string clean = EncodeJpeg();
  std::string icc;
  while (clean.size() + icc.size() < bytes) {
    const size_t room = bytes - clean.size() - icc.size();
    const size_t payload = room < 60004 ? room - 4 : 60000;
    icc += JpegSegment(0xE2,
                       std::string("ICC_PROFILE\0\x01\x01", 14) + std::string(payload - 14, 'p'));
  }
  return clean.substr(0, 2) + icc + clean.substr(2);
}

}  // namespace carepost::plan::testing
