// Built instead of postgres_database.cc when CAREPOST_WITH_POSTGRES=OFF: opening fails
// loudly rather than the backend silently missing.
#include "store/postgres/postgres_database.h"

namespace carepost::store {

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions&) {
  return absl::UnimplementedError(
      "this carepost was built without PostgreSQL support (CAREPOST_WITH_POSTGRES=OFF); "
      "rebuild with -DCAREPOST_WITH_POSTGRES=ON or use SQLite");
}

}  // namespace carepost::store
