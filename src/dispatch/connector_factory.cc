#include "dispatch/connector_factory.h"

#include "core/strings.h"
#include "publish/bluesky.h"
#include "publish/mastodon.h"
#include "publish/x.h"

namespace carepost::dispatch {

namespace {

class DefaultFactory final : public ConnectorFactory {
 public:
  DefaultFactory(publish::HttpClient& http, core::Clock& clock, SaveCredentials save)
      : http_(http), clock_(clock), save_(std::move(save)) {}

  absl::StatusOr<std::unique_ptr<publish::Connector>> ForAccount(
      const domain::PlatformAccount& account,
      const domain::AccountCredentials& credentials) override {
    if (account.platform == "mastodon") {
      return std::unique_ptr<publish::Connector>(
          new publish::MastodonConnector(http_, {.base_url = account.base_url,
                                                 .access_token = credentials.access_token,
                                                 .clock = &clock_}));
    }
    if (account.platform == "bluesky") {
      return std::unique_ptr<publish::Connector>(
          new publish::BlueskyConnector(http_, {.service_url = account.base_url,
                                                .identifier = account.handle,
                                                .app_password = credentials.app_password,
                                                .clock = &clock_}));
    }
    if (account.platform == "x") {
      auto on_tokens = [save = save_, id = account.id, credentials](const publish::XTokens& t) {
        if (!save) return;
        domain::AccountCredentials renewed = credentials;
        renewed.access_token = t.access_token;
        renewed.refresh_token = t.refresh_token;
        save(id, renewed, t.expires_in);
      };
      return std::unique_ptr<publish::Connector>(
          new publish::XConnector(http_, {.base_url = account.base_url,
                                          .access_token = credentials.access_token,
                                          .refresh_token = credentials.refresh_token,
                                          .client_id = credentials.client_id,
                                          .on_tokens = std::move(on_tokens),
                                          .clock = &clock_}));
    }
    return absl::UnimplementedError(core::Cat("carepost cannot publish to ", account.platform,
                                              " yet (platform account ", account.id, ")"));
  }

 private:
  publish::HttpClient& http_;
  core::Clock& clock_;
  SaveCredentials save_;
};

}  // namespace

std::unique_ptr<ConnectorFactory> NewConnectorFactory(publish::HttpClient& http, core::Clock& clock,
                                                      SaveCredentials save) {
  return std::make_unique<DefaultFactory>(http, clock, std::move(save));
}

}  // namespace carepost::dispatch
