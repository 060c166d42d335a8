#include "cli/serve_cmd.h"

#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "core/log.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/secrets.h"
#include "guard/screener.h"
#include "http/app.h"
#include "http/phi_redactor.h"
#include "http/server.h"
#include "store/migrations.h"
#include "store/open.h"

namespace carepost::cli {
namespace {

constexpr const char* kDevKeyFile = "dev-secret.key";

void Fail(const absl::Status& status) {
  std::fprintf(stderr, "carepost serve: %s\n", std::string(status.message()).c_str());
}

absl::Status MakeDataDir(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(
        core::Cat("cannot create data directory ", dir, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// The server key: from secret_key_file, else secret_key, else (dev only) the local
// development key, created on first use.
absl::StatusOr<domain::SecretKey> LoadKey(const core::Config& config) {
  if (!config.secret_key_file.empty()) return domain::LoadSecretKeyFile(config.secret_key_file);
  if (!config.secret_key.empty()) return domain::ParseHexKey(config.secret_key, "secret_key");
  if (!config.dev) {
    return absl::FailedPreconditionError(
        "production mode needs the server's secret key: give --secret-key-file FILE (or "
        "CAREPOST_SECRET_KEY_FILE, or secret_key_file in the --config file; create one with "
        "`head -c 32 /dev/urandom > FILE && chmod 600 FILE`), or run `carepost serve --dev` "
        "for local development");
  }
  RETURN_IF_ERROR(MakeDataDir(config.data_dir));
  const std::string path = core::Cat(config.data_dir, "/", kDevKeyFile);
  auto created = domain::CreateSecretKeyFile(path);
  if (created.ok() || created.status().code() != absl::StatusCode::kAlreadyExists) {
    return created;
  }
  return domain::LoadSecretKeyFile(path);
}

}  // namespace

void AddServeCommand(CLI::App& app, ServeCommand* command) {
  command->serve = app.add_subcommand(
      "serve", "Run the carepost web server (see docs/configuration.md for every setting)");
  AddSettingFlags(command->serve, &command->flags);
}

int RunServeCommand(const ServeCommand& command) {
  auto loaded = LoadSettings(command.flags);
  if (!loaded.ok()) {
    Fail(loaded.status());
    return 2;
  }
  const core::Config& config = loaded->config;
  auto host_port = http::SplitHostPort(config.listen);
  auto proxies = http::TrustedProxies::Parse(config.trusted_proxies);
  auto level = core::ParseLogLevel(config.log_level);
  for (const absl::Status& s : {host_port.status(), proxies.status(), level.status()}) {
    if (!s.ok()) {
      Fail(s);
      return 2;
    }
  }

  auto key = LoadKey(config);
  if (!key.ok()) {
    Fail(key.status());
    return 1;
  }
  if (absl::Status s = MakeDataDir(config.data_dir); !s.ok()) {
    Fail(s);
    return 1;
  }
  auto db = store::OpenDatabase({.url = config.db, .data_dir = config.data_dir});
  if (!db.ok()) {
    Fail(db.status());
    return 1;
  }
  if (auto applied = store::Migrate(**db, store::CarepostMigrations()); !applied.ok()) {
    Fail(applied.status());
    return 1;
  }
  auto screener = guard::Screener::Create({});
  if (!screener.ok()) {
    Fail(screener.status());
    return 1;
  }

  http::PhiRedactor redactor(**screener);
  auto logger = core::NewStderrLogger({.level = *level, .redactor = &redactor});
  http::Metrics metrics;
  std::unique_ptr<http::Server> server;
  std::atomic<http::Server*> running{nullptr};  // read by server threads
  store::Database& database = **db;

  http::AppOptions app_options;
  app_options.screener = screener->get();
  app_options.metrics = &metrics;
  app_options.logger = logger.get();
  app_options.trusted_proxies = *proxies;
  // AUTH HOOK: sign-in (domain sessions) plugs in as app_options.authorize. Until it
  // does, routes that need it are served only in development mode.
  app_options.enable_unauthenticated_routes = config.dev;
  app_options.ready = [&running, &database]() -> absl::Status {
    const http::Server* s = running.load();
    if (s != nullptr && s->shutting_down()) {
      return absl::UnavailableError("shutting down");
    }
    auto rows = database.Query("SELECT 1");
    if (!rows.ok()) return absl::UnavailableError("the database does not answer");
    return absl::OkStatus();
  };
  http::App app(std::move(app_options));

  auto started = http::Server::Start(
      {.host = host_port->first, .port = host_port->second, .handle_signals = true},
      [&app](http::Request& r) { return app.Handle(r); });
  if (!started.ok()) {
    Fail(started.status());
    return 1;
  }
  server = std::move(*started);
  running.store(server.get());
  std::printf("carepost serve: listening on http://%s:%u%s (stop with Ctrl-C)\n",
              host_port->first.c_str(), static_cast<unsigned>(server->port()),
              config.dev ? " in development mode" : "");
  std::fflush(stdout);
  logger->Info("started", {{"dev", config.dev},
                           {"database", std::string(store::DialectName(database.dialect()))}});
  server->Wait();
  logger->Info("stopped");
  logger->Flush();
  return 0;
}

}  // namespace carepost::cli
