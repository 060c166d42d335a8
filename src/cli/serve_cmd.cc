#include "cli/serve_cmd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

#include "cli/domain_env.h"
#include "core/log.h"
#include "core/periodic.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/audit.h"
#include "domain/campaigns.h"
#include "domain/demo.h"
#include "domain/media.h"
#include "domain/media_store.h"
#include "domain/notifications.h"
#include "domain/patient_authorizations.h"
#include "domain/posts.h"
#include "domain/routing_rules.h"
#include "domain/secrets.h"
#include "domain/series.h"
#include "domain/sessions.h"
#include "domain/users.h"
#include "guard/screener.h"
#include "http/account_api.h"
#include "http/app.h"
#include "http/authorization_api.h"
#include "http/body_limits.h"
#include "http/calendar_api.h"
#include "http/idempotency_store.h"
#include "http/media_api.h"
#include "http/observance_api.h"
#include "http/phi_redactor.h"
#include "http/plan_api.h"
#include "http/routing_api.h"
#include "http/series_api.h"
#include "http/server.h"
#include "http/session_auth.h"
#include "store/migrations.h"
#include "store/observed_database.h"
#include "store/open.h"
#include "webui/assets.h"

namespace carepost::cli {
namespace {

constexpr const char* kDevKeyFile = "dev-secret.key";
constexpr const char* kDemoCredentialsFile = "demo-credentials.txt";

// The demo accounts: created on first start (their passwords written to
// data_dir/demo-credentials.txt, mode 0600: tab-separated role, email, password, scope),
// read back from that file later.
absl::StatusOr<std::vector<domain::DemoAccount>> LoadDemo(domain::UserService& users,
                                                          const std::string& data_dir) {
  const std::string path = core::Cat(data_dir, "/", kDemoCredentialsFile);
  ASSIGN_OR_RETURN(auto made, domain::SeedDemo(users));
  if (made.has_value()) {
    std::string text;
    for (const domain::DemoAccount& a : *made) {
      core::Append(&text, domain::RoleName(a.role), "\t", a.email, "\t", a.password, "\t", a.scope,
                   "\n");
    }
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      if (fd >= 0) close(fd);
      return absl::UnavailableError(core::Cat("cannot write ", path, ": ", std::strerror(errno)));
    }
    close(fd);
    return std::move(*made);
  }
  std::vector<domain::DemoAccount> accounts;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    std::optional<domain::Role> role = domain::ParseRole(f[0]);
    if (f.size() != 4 || !role) continue;
    accounts.push_back({.role = *role, .email = f[1], .password = f[2], .scope = f[3]});
  }
  return accounts;
}

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
  http::Metrics metrics;
  std::unique_ptr<store::Database> observed =
      store::ObserveDatabase(std::move(*db), core::SystemClock::Get(),
                             [&metrics](std::string_view operation, bool ok, absl::Duration d) {
                               metrics.ObserveDatabase(operation, ok, absl::ToDoubleSeconds(d));
                             });
  store::Database& database = *observed;
  const domain::SecretKey& server_key = *key;
  domain::AuditLog audit(database, core::SystemClock::Get(),
                         server_key.Derive(domain::KeyPurpose::kAuditSignature),
                         {.checkpoint_file = CheckpointFile(config.data_dir)});
  domain::UserService users(database, core::SystemClock::Get(), audit, {});
  domain::SessionService sessions(database, core::SystemClock::Get(), audit, users,
                                  server_key.Derive(domain::KeyPurpose::kCsrf), {});
  domain::CampaignService campaigns(database, core::SystemClock::Get(), audit);
  domain::PostService posts(database, core::SystemClock::Get(), audit);
  domain::NotificationService notifications(database, core::SystemClock::Get());
  domain::CalendarFeedService feeds(database, core::SystemClock::Get(), audit);
  // Uploaded media: the cleaned bytes under data_dir/media, content-addressed.
  auto blobs = domain::OpenFileMediaStore(core::Cat(config.data_dir, "/media"));
  if (!blobs.ok()) {
    Fail(blobs.status());
    return 1;
  }
  const uint64_t max_upload_bytes = static_cast<uint64_t>(config.max_upload_mb) * 1'000'000;
  domain::MediaService media(database, core::SystemClock::Get(), audit, **blobs,
                             {.max_bytes = max_upload_bytes});
  // Patient authorizations: names and signed forms sealed under their own key.
  const domain::SecretBox patient_box(server_key.Derive(domain::KeyPurpose::kPatientData));
  domain::AuthorizationService authorizations(database, core::SystemClock::Get(), audit, **blobs,
                                              patient_box, posts);
  domain::RoutingRuleService routing_rules(database, core::SystemClock::Get(), audit);
  std::vector<domain::DemoAccount> demo;
  if (config.dev) {
    auto seeded = LoadDemo(users, config.data_dir);
    if (!seeded.ok()) {
      Fail(seeded.status());
      return 1;
    }
    demo = std::move(*seeded);
  }
  auto screener = guard::Screener::Create({});
  if (!screener.ok()) {
    Fail(screener.status());
    return 1;
  }

  if (config.dev) {
    // The demo calendar: campaigns and posts in every state (once; screened for real).
    const guard::Screener& guard = **screener;
    absl::StatusOr<int> planned = domain::SeedDemoPlan(
        users, campaigns, posts,
        [&guard](const domain::PostContent& c) { return http::ScreenPostContent(guard, c); },
        core::SystemClock::Get().Now());
    if (!planned.ok()) {
      Fail(planned.status());
      return 1;
    }
  }

  http::PhiRedactor redactor(**screener);
  auto logger = core::NewStderrLogger({.level = *level, .redactor = &redactor});
  if (!(*screener)->pattern_note().empty()) {
    logger->Warn("guard patterns compiled at start", {{"reason", (*screener)->pattern_note()}});
  }
  std::unique_ptr<http::Server> server;
  std::atomic<http::Server*> running{nullptr};  // read by server threads

  http::AppOptions app_options;
  app_options.screener = screener->get();
  app_options.metrics = &metrics;
  app_options.metrics_token = config.metrics_token;
  app_options.logger = logger.get();
  app_options.trusted_proxies = *proxies;
  http::SessionAuthenticator authenticator(sessions, users);
  http::DbIdempotencyKeys idempotency(database, core::SystemClock::Get());
  app_options.authenticator = &authenticator;
  app_options.idempotency = &idempotency;
  app_options.static_files = webui::Serve;
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
  // Cookies are Secure except in development without an https public URL (a browser
  // does not send Secure cookies over plain http to anything but localhost).
  const bool secure_cookies = !config.dev || config.public_url.rfind("https://", 0) == 0;
  std::string public_origin = config.public_url;
  while (!public_origin.empty() && public_origin.back() == '/') public_origin.pop_back();
  http::AddAccountRoutes(app, {.users = &users,
                               .sessions = &sessions,
                               .audit = &audit,
                               .secure_cookies = secure_cookies,
                               .public_origin = public_origin});
  http::AddObservanceRoutes(app);
  http::AddPlanRoutes(app, {.campaigns = &campaigns,
                            .posts = &posts,
                            .notifications = &notifications,
                            .screener = screener->get(),
                            .authorizations = &authorizations,
                            .metrics = &metrics});
  http::AddAuthorizationRoutes(app, {.authorizations = &authorizations});
  http::AddRoutingRoutes(app, {.rules = &routing_rules});
  http::AddCalendarRoutes(app, {.users = &users,
                                .campaigns = &campaigns,
                                .posts = &posts,
                                .feeds = &feeds,
                                .screener = screener->get(),
                                .metrics = &metrics,
                                .public_url = public_origin});
  http::AddMediaRoutes(app, {.media = &media});
  // Recurring series: occurrences materialize as posts over a rolling horizon; a worker
  // extends it every hour (and at start), reading time from the system clock.
  http::GuardContentScreener series_screener(*screener->get(), &metrics);
  domain::SeriesService series(database, core::SystemClock::Get(), audit, posts, users,
                               series_screener);
  http::AddSeriesRoutes(app, {.series = &series});
  core::Periodic series_worker(absl::Hours(1), [&] {
    absl::StatusOr<int64_t> made = series.MaterializeDue();
    if (!made.ok()) {
      // The code only: a status message could name a series' content in future.
      logger->Warn("series materialization failed",
                   {{"code", absl::StatusCodeToString(made.status().code())}});
    } else if (*made > 0) {
      logger->Info("series materialized", {{"posts", *made}});
    }
  });

  http::ServerOptions server_options{
      .host = host_port->first, .port = host_port->second, .handle_signals = true};
  server_options.body_limit_for = [max_upload_bytes](std::string_view method,
                                                     std::string_view path) -> size_t {
    return http::RouteBodyLimit(method, path, max_upload_bytes);
  };
  auto started =
      http::Server::Start(server_options, [&app](http::Request& r) { return app.Handle(r); });
  if (!started.ok()) {
    Fail(started.status());
    return 1;
  }
  server = std::move(*started);
  running.store(server.get());
  std::printf("carepost serve: listening on http://%s:%u%s (stop with Ctrl-C)\n",
              host_port->first.c_str(), static_cast<unsigned>(server->port()),
              config.dev ? " in development mode" : "");
  if (!demo.empty()) {
    std::printf(
        "\nDemo organization \"Riverside Health\" — sign in as any of these (also in "
        "%s/%s):\n",
        config.data_dir.c_str(), kDemoCredentialsFile);
    for (const domain::DemoAccount& a : demo) {
      std::printf("  %-18s %-34s %s  (%s)\n", std::string(domain::RoleName(a.role)).c_str(),
                  a.email.c_str(), a.password.c_str(), a.scope.c_str());
    }
    std::printf("\n");
  }
  std::fflush(stdout);
  logger->Info("started", {{"dev", config.dev},
                           {"database", std::string(store::DialectName(database.dialect()))}});
  // The expiry sweep: once a minute, authorizations whose expiry passed pull back the
  // posts that relied on them (scheduling checks expiry itself in between).
  core::Periodic sweeper(absl::Minutes(1), [&] {
    if (absl::StatusOr<int> n = authorizations.ExpireDue(); !n.ok()) {
      logger->Warn("authorization expiry sweep failed",
                   {{"code", absl::StatusCodeToString(n.status().code())}});
    } else if (*n > 0) {
      logger->Info("patient authorizations expired", {{"count", *n}});
    }
  });
  server->Wait();
  sweeper.Stop();
  series_worker.Stop();
  logger->Info("stopped");
  logger->Flush();
  return 0;
}

}  // namespace carepost::cli
