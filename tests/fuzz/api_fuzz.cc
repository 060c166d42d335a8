// Fuzzes the HTTP application: any request (method, target, headers, body) that reaches
// carepost's routes, signed in as an administrator so the handlers behind the
// authorization check run too, gets an answer — never a crash, never a 5xx for bad
// input. The database is SQLite in memory with the real migrations and services; media
// bytes are kept in memory.
//
// Input format (so the seed corpus stays readable): the first line is
// "METHOD TARGET", then header lines "name: value" until an empty line, then the body.
#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/log.h"
#include "domain/audit.h"
#include "domain/calendar_feeds.h"
#include "domain/campaigns.h"
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
#include "http/calendar_api.h"
#include "http/idempotency_store.h"
#include "http/media_api.h"
#include "http/metrics.h"
#include "http/observance_api.h"
#include "http/plan_api.h"
#include "http/routing_api.h"
#include "http/series_api.h"
#include "http/session_auth.h"
#include "store/migrations.h"
#include "store/open.h"

namespace {

using namespace carepost;

struct World {
  World() {
    char dir_template[] = "/tmp/carepost-api-fuzz-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    if (dir == nullptr) abort();
    db = *store::OpenDatabase({.url = ":memory:"});
    if (!store::Migrate(*db, store::CarepostMigrations()).ok()) abort();
    const domain::SecretKey key(std::string(32, 'k'));
    audit = std::make_unique<domain::AuditLog>(
        *db, clock, key.Derive(domain::KeyPurpose::kAuditSignature),
        domain::AuditLogOptions{.checkpoint_every = 1000,
                                .checkpoint_file = std::string(dir) + "/cp.log"});
    users = std::make_unique<domain::UserService>(
        *db, clock, *audit,
        domain::UserServiceOptions{.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                                 .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
    sessions = std::make_unique<domain::SessionService>(*db, clock, *audit, *users,
                                                        key.Derive(domain::KeyPurpose::kCsrf),
                                                        domain::SessionOptions{});
    const domain::Actor cli = domain::Actor::Cli();
    const int64_t org = *users->CreateOrganization(cli, "Fuzz Health", "fuzz-health");
    if (!users->CreateBrand(cli, org, "Cardiology", "cardiology").ok()) abort();
    const int64_t admin = *users->CreateUser(cli, {.organization_id = org,
                                                   .email = "admin@fuzz.example",
                                                   .display_name = "Admin",
                                                   .password = "fuzzing password 1"});
    if (!users->GrantRole(cli, admin, domain::Role::kAdmin, std::nullopt).ok()) abort();
    SignIn();

    screener = *guard::Screener::Create({});
    authenticator = std::make_unique<http::SessionAuthenticator>(*sessions, *users);
    idempotency = std::make_unique<http::DbIdempotencyKeys>(*db, clock);
    logger = core::NewStreamLogger(&log, {.redactor = &core::NoRedaction()});
    http::AppOptions o;
    o.screener = screener.get();
    o.metrics = &metrics;
    o.logger = logger.get();
    o.clock = &clock;
    o.authenticator = authenticator.get();
    o.idempotency = idempotency.get();
    app = std::make_unique<http::App>(std::move(o));
    http::AddAccountRoutes(*app, {.users = users.get(),
                                  .sessions = sessions.get(),
                                  .audit = audit.get(),
                                  .secure_cookies = false});
    http::AddObservanceRoutes(*app);
    campaigns = std::make_unique<domain::CampaignService>(*db, clock, *audit);
    posts = std::make_unique<domain::PostService>(*db, clock, *audit);
    notifications = std::make_unique<domain::NotificationService>(*db, clock);
    blobs = domain::NewMemoryMediaStore();
    authorizations = std::make_unique<domain::AuthorizationService>(*db, clock, *audit, *blobs,
                                                                    patient_box, *posts);
    http::AddPlanRoutes(*app, {.campaigns = campaigns.get(),
                               .posts = posts.get(),
                               .notifications = notifications.get(),
                               .screener = screener.get(),
                               .authorizations = authorizations.get(),
                               .metrics = &metrics});
    http::AddAuthorizationRoutes(*app, {.authorizations = authorizations.get(), .clock = &clock});
    routing = std::make_unique<domain::RoutingRuleService>(*db, clock, *audit);
    http::AddRoutingRoutes(*app, {.rules = routing.get()});
    feeds = std::make_unique<domain::CalendarFeedService>(*db, clock, *audit);
    http::AddCalendarRoutes(*app, {.users = users.get(),
                                   .campaigns = campaigns.get(),
                                   .posts = posts.get(),
                                   .feeds = feeds.get(),
                                   .screener = screener.get(),
                                   .metrics = &metrics,
                                   .clock = &clock,
                                   .public_url = "https://carepost.fuzz.example"});
    media = std::make_unique<domain::MediaService>(*db, clock, *audit, *blobs);
    http::AddMediaRoutes(*app, {.media = media.get()});
    series_screener = std::make_unique<http::GuardContentScreener>(*screener, &metrics);
    series = std::make_unique<domain::SeriesService>(*db, clock, *audit, *posts, *users,
                                                     *series_screener);
    http::AddSeriesRoutes(*app, {.series = series.get()});
  }

  // (Again) after an input signed the administrator out.
  void SignIn() {
    absl::StatusOr<domain::NewSession> s =
        sessions->SignIn("admin@fuzz.example", "fuzzing password 1", "127.0.0.1", "fuzz");
    if (!s.ok()) return;  // e.g. throttled: the next input runs signed out
    token = s->token;
    cookie = std::string(http::kSessionCookie) + "=" + s->token;
    csrf = s->csrf_token;
  }

  core::SystemClock clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<domain::AuditLog> audit;
  std::unique_ptr<domain::UserService> users;
  std::unique_ptr<domain::SessionService> sessions;
  std::unique_ptr<const guard::Screener> screener;
  std::unique_ptr<http::SessionAuthenticator> authenticator;
  std::unique_ptr<http::DbIdempotencyKeys> idempotency;
  std::ostringstream log;
  std::unique_ptr<core::Logger> logger;
  http::Metrics metrics;
  std::unique_ptr<domain::CampaignService> campaigns;
  std::unique_ptr<domain::PostService> posts;
  std::unique_ptr<domain::NotificationService> notifications;
  std::unique_ptr<domain::CalendarFeedService> feeds;
  std::unique_ptr<domain::MediaStore> blobs;
  domain::SecretBox patient_box{
      domain::SecretKey(std::string(32, 'p')).Derive(domain::KeyPurpose::kPatientData)};
  std::unique_ptr<domain::AuthorizationService> authorizations;
  std::unique_ptr<domain::RoutingRuleService> routing;
  std::unique_ptr<http::GuardContentScreener> series_screener;
  std::unique_ptr<domain::SeriesService> series;
  std::unique_ptr<domain::MediaService> media;
  std::unique_ptr<http::App> app;
  std::string token;
  std::string cookie;
  std::string csrf;
};

std::string_view NextLine(std::string_view& rest) {
  const size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  if (!world->sessions->Authenticate(world->token).ok()) world->SignIn();
  std::string_view rest(reinterpret_cast<const char*>(data), size);

  http::Request req;
  const std::string_view first = NextLine(rest);
  const size_t space = first.find(' ');
  req.method = std::string(first.substr(0, space));
  const std::string_view target =
      space == std::string_view::npos ? std::string_view("/") : first.substr(space + 1);
  const size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  req.remote_address = "127.0.0.1";
  req.headers["cookie"] = world->cookie;
  req.headers["x-csrf-token"] = world->csrf;
  while (!rest.empty()) {
    const std::string_view line = NextLine(rest);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers[name] = std::string(value);
  }
  req.body = std::string(rest);

  const http::Response r = world->app->Handle(req);
  // A 500 means a handler met input it did not expect: a bug to fix, not an answer.
  if (r.status < 100 || r.status >= 600 || r.status == 500) abort();
  return 0;
}
