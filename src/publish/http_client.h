// File: publish/http_client.h
//
// The outbound HTTP seam of the publish layer. Connectors talk to the platforms only
// through an HttpClient, so tests can point them at platformsim (or a fake) and no test
// touches the network.
//
//   ASSIGN_OR_RETURN(auto client, NewHttpClient({.read_timeout = absl::Seconds(20)}));
//   HttpRequest req{.method = "POST", .url = "https://mastodon.example/api/v1/statuses"};
//   req.headers.emplace_back("Authorization", "Bearer " + token);
//   absl::StatusOr<HttpResponse> res = client->Send(req);
//   if (!res.ok() && RequestMayHaveBeenSent(res.status())) { /* outcome unknown */ }
//
// A response with any HTTP status (404, 429, 500) is a successful exchange: Send returns
// it and the caller decides what the status means. Send fails only when no complete
// response arrived, and then says whether the request may have reached the server:
//
//   - Unavailable, not sent: the host did not resolve, the connection was refused, TLS
//     failed (certificate not trusted, wrong host name). The server saw nothing.
//   - DeadlineExceeded: a timeout. Not sent when it struck while connecting, sent when
//     it struck after the request was written (the server may be working on it).
//   - DataLoss, sent: the connection was reset or closed after (part of) the request
//     was written and before a complete response arrived.
//   - InvalidArgument, not sent: a malformed URL, or plain http to a host that is not
//     loopback.
//   - ResourceExhausted, sent: the response was larger than Options::max_response_body.
//
// Error messages name the method, the scheme://host:port and the step that failed; they
// never quote headers, bodies or query strings (tokens and post text stay out of logs).
//
// Thread safety: an HttpClient is safe for concurrent use; each Send is independent
// (one connection per request, no pooling yet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace carepost::publish {

struct HttpRequest {
  std::string method = "GET";
  // Absolute URL: https://host[:port]/path?query (http only for loopback hosts).
  std::string url;
  // Sent as given, in order. Host, Content-Length and User-Agent are added.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  // Header names lower-cased, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (lower-case), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and reads the whole response. See the file comment for errors.
  [[nodiscard]] virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct HttpClientOptions {
  // Time allowed for connecting, and again for the TLS handshake. Resolving the host
  // name is bounded only by the system resolver's own timeouts (resolv.conf): Asio's
  // resolver runs getaddrinfo, which cannot be interrupted.
  absl::Duration connect_timeout = absl::Seconds(10);
  // Time allowed to write the request and read the complete response. A platform
  // that is slow to answer a post costs a worker this long before the outcome becomes
  // unknown.
  absl::Duration read_timeout = absl::Seconds(30);
  // Largest response body accepted (platform answers are small JSON documents).
  size_t max_response_body = 4 << 20;
  // Allow plain http:// to loopback hosts (127.0.0.0/8, ::1, localhost): platformsim
  // and a local Bluesky PDS. Plain http to any other host is always refused.
  bool allow_loopback_http = true;
  // Extra PEM file of trusted CA certificates, in addition to the system store
  // (/etc/ssl/certs). Empty: the system store only.
  std::string extra_ca_file;
  std::string user_agent = "carepost/0.1";
};

// The Boost.Beast + OpenSSL client: TLS 1.2+ with certificate and host-name
// verification against the system store, SNI. Fails only when the TLS context cannot
// be set up (system store unreadable).
[[nodiscard]] absl::StatusOr<std::unique_ptr<HttpClient>> NewHttpClient(
    const HttpClientOptions& options = {});

// True when a Send error means the request may have reached the server (the outcome
// of a POST is then unknown); false for errors where nothing was sent, and for OK.
bool RequestMayHaveBeenSent(const absl::Status& status);

// A parsed absolute URL. Exposed for the connectors and tests.
struct Url {
  std::string scheme;  // "https" or "http"
  std::string host;    // without brackets for IPv6
  uint16_t port = 0;   // explicit or the scheme's default
  std::string target;  // path and query, at least "/"
};
// InvalidArgument naming what is wrong (never quoting the query).
[[nodiscard]] absl::StatusOr<Url> ParseUrl(std::string_view url);
// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);
// Percent-encodes a query parameter value or path segment (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view s);

}  // namespace carepost::publish
