#include "cli/migrate_cmd.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/strings.h"
#include "store/migrations.h"
#include "store/open.h"

namespace carepost::cli {

void AddMigrateCommand(CLI::App& app, MigrateCommand* c) {
  c->migrate = app.add_subcommand("migrate", "Apply database schema migrations");
  AddDomainFlags(c->migrate, &c->flags, /*with_key=*/false);
}

int RunMigrateCommand(const MigrateCommand& c) {
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::OpenDatabase({.url = c.flags.db, .data_dir = c.flags.data_dir});
  if (!db.ok()) {
    PrintError(db.status());
    return 1;
  }
  absl::StatusOr<int> applied = store::Migrate(**db, store::CarepostMigrations());
  if (!applied.ok()) {
    PrintError(applied.status());
    return 1;
  }
  absl::StatusOr<int64_t> version = store::SchemaVersion(**db);
  if (!version.ok()) {
    PrintError(version.status());
    return 1;
  }
  std::printf("applied %d migration(s); schema version %lld (%s)\n", *applied,
              static_cast<long long>(*version),
              store::RedactDatabaseUrl(c.flags.db.empty() ? core::Cat(c.flags.data_dir, "/",
                                                                      store::kSqliteFileName)
                                                          : c.flags.db)
                  .c_str());
  return 0;
}

}  // namespace carepost::cli
