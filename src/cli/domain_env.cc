#include "cli/domain_env.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/clock.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "store/migrations.h"
#include "store/open.h"

namespace carepost::cli {

void AddDomainFlags(CLI::App* cmd, DomainFlags* flags, bool with_key) {
  cmd->add_option("--db", flags->db,
                  "database URL: postgres://... or a SQLite path (default: carepost.db in the "
                  "data directory)")
      ->envname("CAREPOST_DB");
  cmd->add_option("--data-dir", flags->data_dir,
                  "data directory (default carepost-data/): SQLite file, audit checkpoints")
      ->envname("CAREPOST_DATA_DIR");
  if (with_key) {
    cmd->add_option("--secret-key-file", flags->secret_key_file,
                    "server key file (32 bytes or 64 hex digits, mode 600); default: "
                    "$CAREPOST_SECRET_KEY_FILE, then $CAREPOST_SECRET_KEY (hex)");
  }
}

std::string CheckpointFile(const std::string& data_dir) {
  return data_dir + "/audit-checkpoints.log";
}

absl::StatusOr<DomainEnv> OpenDomainEnv(const DomainFlags& flags) {
  DomainEnv env;
  ASSIGN_OR_RETURN(env.key, domain::LoadSecretKey({.file = flags.secret_key_file}));
  if (mkdir(flags.data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(core::Cat("cannot create data directory ", flags.data_dir,
                                            ": ", std::strerror(errno)));
  }
  ASSIGN_OR_RETURN(env.db, store::OpenDatabase({.url = flags.db, .data_dir = flags.data_dir}));
  RETURN_IF_ERROR(store::Migrate(*env.db, store::CarepostMigrations()).status());
  env.audit = std::make_unique<domain::AuditLog>(
      *env.db, core::SystemClock::Get(), env.key->Derive(domain::KeyPurpose::kAuditSignature),
      domain::AuditLogOptions{.checkpoint_file = CheckpointFile(flags.data_dir)});
  env.users = std::make_unique<domain::UserService>(*env.db, core::SystemClock::Get(), *env.audit,
                                                    domain::UserServiceOptions{});
  return env;
}

void PrintError(const absl::Status& status) {
  std::fprintf(stderr, "carepost: %s\n", std::string(status.message()).c_str());
}

}  // namespace carepost::cli
