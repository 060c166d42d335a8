#include "store/open.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "core/strings.h"

namespace carepost::store {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

absl::StatusOr<std::unique_ptr<Database>> OpenSqliteAt(const DatabaseOptions& options,
                                                       std::string path) {
  if (path != ":memory:") {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      path = (std::filesystem::path(path) / kSqliteFileName).string();
    }
  }
  SqliteOptions sqlite = options.sqlite;
  sqlite.path = std::move(path);
  return OpenSqlite(sqlite);
}

// "scheme:..." (RFC 3986 scheme syntax), as opposed to a file path or ":memory:".
bool LooksLikeUrl(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!alpha && !(i > 0 && other)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const DatabaseOptions& options) {
  const std::string_view url = options.url;
  if (url.empty()) {
    if (options.data_dir.empty()) {
      return absl::InvalidArgumentError("database: neither a URL nor a data directory given");
    }
    std::error_code ec;
    const std::filesystem::path dir(options.data_dir);
    if (!std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (ec) {
        return absl::UnavailableError(core::Cat("database: cannot create the data directory ",
                                                options.data_dir, ": ", ec.message()));
      }
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    } else if (!std::filesystem::is_directory(dir, ec)) {
      return absl::InvalidArgumentError(
          core::Cat("database: the data directory ", options.data_dir, " is not a directory"));
    }
    return OpenSqliteAt(options, (dir / kSqliteFileName).string());
  }
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) {
    PostgresOptions postgres = options.postgres;
    postgres.url = options.url;
    return OpenPostgres(postgres);
  }
  if (StartsWith(url, "sqlite:")) {
    std::string path(url.substr(7));
    if (StartsWith(path, "//")) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty()) {
      return absl::InvalidArgumentError(
          "database: 'sqlite:' needs a path, as in sqlite:/var/lib/carepost/carepost.db");
    }
    return OpenSqliteAt(options, path);
  }
  if (LooksLikeUrl(url)) {
    return absl::InvalidArgumentError(
        core::Cat("database: unsupported URL ", RedactDatabaseUrl(url),
                  "; use postgres://user@host/db, postgresql://..., sqlite:PATH or a file path"));
  }
  return OpenSqliteAt(options, std::string(url));
}

std::string RedactDatabaseUrl(std::string_view url) {
  std::string out(url);
  // user:password@host
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end_of_authority = out.find_first_of("/?#", start);
    const size_t at = out.rfind(
        '@', end_of_authority == std::string::npos ? std::string::npos : end_of_authority);
    if (at != std::string::npos && at > start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=... or &password=...
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&' && out[pos - 1] != ' ') continue;
    const size_t value = pos + 9;
    const size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

}  // namespace carepost::store
