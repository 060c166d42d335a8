// File: http/body_limits.h
//
// The request bodies larger than the server's general limit (ServerOptions::body_limit,
// 1 MiB) that some routes take: media uploads and signed authorization forms up to the
// configured max_upload_mb, and calendar files up to the CSV codec's 16 MiB. The server asks before reading a body,
// so every other route still refuses a large body with 413 unread.
//
//   server_options.body_limit_for = [upload](std::string_view m, std::string_view p) {
//     return http::RouteBodyLimit(m, p, upload);
//   };
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace carepost::http {

// The largest calendar file POST /api/v1/calendar/import reads (the codec's
// plan::CsvImportOptions::max_file_bytes is set to it).
inline constexpr size_t kCalendarImportMaxBytes = 16 * 1024 * 1024;

// The body limit for `method` and `path` (no query), or 0 for the general one.
size_t RouteBodyLimit(std::string_view method, std::string_view path, uint64_t max_upload_bytes);

}  // namespace carepost::http
