// File: platformsim/platformsim.h
//
// platformsim: a local emulator of the platform APIs carepost publishes through, with
// scriptable faults. Plain HTTP/1.1 on a loopback port; every platform lives on the
// same port under its own paths (Mastodon /api/..., Bluesky /xrpc/..., X /2/..., control
// /_sim/...). Each endpoint follows the platform's documented request and response
// shapes and validates requests the way the platform does (docs/publishing.md names
// the reference page of each one).
//
//   ASSIGN_OR_RETURN(auto sim, platformsim::PlatformSim::Start({}));   // port 0: any
//   MastodonConnector mastodon(http, {.base_url = sim->base_url(),
//                                     .access_token = platformsim::kMastodonToken});
//   sim->AddFault({.platform = "mastodon", .endpoint = "POST /api/v1/statuses",
//                  .fault = Fault::kResetAfterAccept});
//   ... sim->Posts("mastodon").size() ...
//
// The same faults can be scripted over HTTP (the `carepost-platformsim` binary):
//   POST   /_sim/faults  {"platform":"bluesky","endpoint":"com.atproto.repo.createRecord",
//                         "fault":"rate_limit","count":2,"retry_after":7}
//   DELETE /_sim/faults  clears them;  GET /_sim/posts[?platform=x] lists what was
//   published;  POST /_sim/reset forgets every post, session and fault.
//
// Thread safety: all methods may be called from any thread while the server runs;
// requests are served one thread per connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace carepost::platformsim {

// The accounts every platformsim starts with.
inline constexpr char kMastodonToken[] = "sim-mastodon-token";
inline constexpr char kMastodonUsername[] = "carepost";
inline constexpr char kBlueskyHandle[] = "carepost.sim.test";
inline constexpr char kBlueskyAppPassword[] = "sim-app-pass-word";
inline constexpr char kBlueskyDid[] = "did:plc:carepostsim00000000000001";
// Another Bluesky account, for mentions.
inline constexpr char kBlueskyOtherHandle[] = "alice.sim.test";
inline constexpr char kBlueskyOtherDid[] = "did:plc:alicesim000000000000000002";

// The X account: an OAuth 2.0 user-context token pair and the app's client id.
inline constexpr char kXAccessToken[] = "sim-x-access-token";
inline constexpr char kXRefreshToken[] = "sim-x-refresh-token";
inline constexpr char kXClientId[] = "sim-x-client-id";
inline constexpr char kXUserId[] = "2244994945";
inline constexpr char kXUsername[] = "carepost_sim";

struct Fault {
  enum Kind {
    kRateLimit,         // 429 with Retry-After (and the platform's rate-limit headers)
    kServerError,       // 503 in the platform's error shape
    kHang,              // read the request, never answer (until Options::hang_for)
    kResetAfterAccept,  // do what the request asks (store the post), then reset the
                        // connection without a response
    kExpiredToken,      // Mastodon 401; Bluesky 400 ExpiredToken and X 401, and the
                        // access token stops working (Bluesky refreshSession and X
                        // /2/oauth2/token renew it)
    kDuplicate,         // the platform refuses the post as a duplicate of a recent one
                        // (X also does so by itself for identical text)
    kMediaProcessing,   // Mastodon: the upload answers 202 and GET /api/v1/media/:id
                        // answers 206 for `count` polls
  };
  std::string platform;  // "mastodon", "bluesky", "x" or "*"
  // "POST /api/v1/statuses", "POST /api/v2/media", "GET /api/v1/media/:id",
  // "DELETE /api/v1/statuses/:id", ...; for Bluesky the NSID
  // ("com.atproto.repo.createRecord"); for X "POST /2/tweets" etc.; "*" for every
  // endpoint of the platform.
  std::string endpoint;
  Kind fault = kServerError;
  int count = 1;        // how many requests it affects (kMediaProcessing: how many
                        // polls of the one upload it affects answer 206)
  int retry_after = 5;  // seconds, for kRateLimit
};
// "rate_limit", "server_error", "hang", "reset_after_accept", "expired_token",
// "duplicate", "media_processing".
std::string_view FaultName(Fault::Kind kind);
bool ParseFaultName(std::string_view name, Fault::Kind* kind);

// A post as the emulated platform stored it.
struct StoredPost {
  std::string platform;
  std::string id;  // Mastodon status id; Bluesky at:// URI
  std::string text;
  std::string json;  // the stored status or record, as the platform would return it
  bool deleted = false;
};

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port
  // How long a kHang fault holds the connection before closing it.
  absl::Duration hang_for = absl::Seconds(30);
};

class PlatformSim {
 public:
  // Binds and starts serving. Unavailable naming the address when it cannot bind.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<PlatformSim>> Start(const Options& options);
  // Stops (closing every connection) and waits.
  virtual ~PlatformSim() = default;
  virtual uint16_t port() const = 0;
  // "http://127.0.0.1:<port>"
  virtual std::string base_url() const = 0;
  virtual void AddFault(const Fault& fault) = 0;
  virtual void ClearFaults() = 0;
  // Posts of `platform` ("" for all), oldest first, deleted ones included.
  virtual std::vector<StoredPost> Posts(std::string_view platform) const = 0;
  // Stops accepting, closes connections (hung ones too) and joins the threads.
  virtual void Stop() = 0;
};

}  // namespace carepost::platformsim
