#include "webui/assets.h"

#include <string>

#include "webui/internal/embedded.h"

namespace carepost::webui {

namespace {

constexpr std::string_view kIndex = "/index.html";
constexpr std::string_view kHashedDir = "/assets/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

const internal::EmbeddedFile* Find(std::string_view path) {
  // A handful of files: a scan is as quick as a search and needs no sorted table.
  for (const internal::EmbeddedFile& f : internal::EmbeddedFiles()) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

http::Response FileResponse(const internal::EmbeddedFile& file) {
  http::Response r;
  r.status = 200;
  r.content_type = std::string(ContentTypeFor(file.path));
  r.body = std::string(file.body);
  const bool hashed = file.path.starts_with(kHashedDir);
  r.SetHeader("Cache-Control", std::string(hashed ? kImmutable : kRevalidate));
  return r;
}

// Paths that name a file rather than a page of the app: under /assets/, or with a dot
// in the last segment (favicon.ico, robots.txt).
bool LooksLikeFile(std::string_view path) {
  if (path.starts_with(kHashedDir)) return true;
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') != std::string_view::npos;
}

bool IsApi(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    if (path.ends_with(t.extension)) return t.content_type;
  }
  return "application/octet-stream";
}

bool Embedded() { return Find(kIndex) != nullptr; }

std::optional<http::Response> Serve(std::string_view path) {
  if (path.empty() || IsApi(path)) return std::nullopt;
  if (const internal::EmbeddedFile* file = Find(path == "/" ? kIndex : path)) {
    return FileResponse(*file);
  }
  if (LooksLikeFile(path)) return std::nullopt;
  if (const internal::EmbeddedFile* index = Find(kIndex)) return FileResponse(*index);
  return std::nullopt;
}

}  // namespace carepost::webui
