// Built instead of sqlite_database.cc when CAREPOST_WITH_SQLITE=OFF: opening fails
// loudly rather than the backend silently missing.
#include "store/sqlite/sqlite_database.h"

namespace carepost::store {

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions&) {
  return absl::UnimplementedError(
      "this carepost was built without SQLite support (CAREPOST_WITH_SQLITE=OFF); rebuild "
      "with -DCAREPOST_WITH_SQLITE=ON or use a postgres:// URL");
}

}  // namespace carepost::store
