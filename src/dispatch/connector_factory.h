// File: dispatch/connector_factory.h
//
// How the dispatcher gets a publish::Connector acting for one platform account. The
// factory is the seam in front of the network: production builds the real connectors
// over an HttpClient; tests do the same pointed at an in-process platformsim (the
// account's base_url), or return fakes.
//
//   ASSIGN_OR_RETURN(auto http, publish::NewHttpClient({}));
//   std::unique_ptr<ConnectorFactory> factory = NewConnectorFactory(*http, clock);
//   ASSIGN_OR_RETURN(auto connector, factory->ForAccount(account, credentials));
//
// Thread safety: ForAccount may be called from several workers at once; each
// connector it returns is used by one worker.
#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "core/clock.h"
#include "domain/platform_accounts.h"
#include "publish/connector.h"
#include "publish/http_client.h"

namespace carepost::dispatch {

class ConnectorFactory {
 public:
  virtual ~ConnectorFactory() = default;
  // A connector for `account`. Unimplemented, naming the platform, when carepost has no
  // connector for it yet.
  [[nodiscard]] virtual absl::StatusOr<std::unique_ptr<publish::Connector>> ForAccount(
      const domain::PlatformAccount& account, const domain::AccountCredentials& credentials) = 0;
};

// Called with an account's renewed credentials (X's token pair after a refresh) and
// how long the new access token lasts; it should store them
// (domain::SaveAccountCredentials). Connectors cannot report its failure.
using SaveCredentials = std::function<void(int64_t account_id, const domain::AccountCredentials&,
                                           absl::Duration expires_in)>;

// Mastodon (access_token), Bluesky (handle + app_password) and X (access_token,
// refresh_token, client_id) over `http`, which must outlive the factory and its
// connectors. X's renewed tokens go to `save` (none: they last as long as the
// connector).
std::unique_ptr<ConnectorFactory> NewConnectorFactory(publish::HttpClient& http, core::Clock& clock,
                                                      SaveCredentials save = {});

}  // namespace carepost::dispatch
