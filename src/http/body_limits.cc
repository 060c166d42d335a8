#include "http/body_limits.h"

#include "http/authorization_api.h"
#include "http/media_api.h"

namespace carepost::http {

namespace {
constexpr std::string_view kCalendarImportPath = "/api/v1/calendar/import";
}  // namespace

size_t RouteBodyLimit(std::string_view method, std::string_view path, uint64_t max_upload_bytes) {
  if (IsAuthorizationFormUpload(method, path)) return static_cast<size_t>(max_upload_bytes);
  if (method != "POST") return 0;
  if (path == kMediaUploadPath) return static_cast<size_t>(max_upload_bytes);
  if (path == kCalendarImportPath) return kCalendarImportMaxBytes;
  return 0;
}

}  // namespace carepost::http
