// The only translation unit of the publish layer that includes Boost.Beast and OpenSSL.
#include "publish/http_client.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>

#include "absl/strings/cord.h"
#include "core/strings.h"

namespace carepost::publish {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// Marks a Send error whose request may have reached the server.
constexpr char kSentPayload[] = "carepost.publish/request-sent";

std::chrono::milliseconds Ms(absl::Duration d) {
  return std::chrono::milliseconds(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

absl::Status MarkSent(absl::Status s) {
  s.SetPayload(kSentPayload, absl::Cord("1"));
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Runs one asynchronous operation to completion on `ioc` and returns its error.
template <typename Start>
beast::error_code RunOp(net::io_context& ioc, Start start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

class BeastHttpClient final : public HttpClient {
 public:
  BeastHttpClient(const HttpClientOptions& options, std::unique_ptr<ssl::context> tls)
      : options_(options), tls_(std::move(tls)) {}

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    absl::StatusOr<Url> url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    const bool https = url->scheme == "https";
    if (!https && !(options_.allow_loopback_http && IsLoopbackHost(url->host))) {
      return absl::InvalidArgumentError(core::Cat("refusing plain http to ", url->host,
                                                  ": only https is allowed outside loopback"));
    }
    const std::string where =
        core::Cat(request.method, " ", url->scheme, "://", url->host, ":", url->port);

    bhttp::request<bhttp::string_body> req;
    req.method_string(request.method);
    req.target(url->target);
    req.version(11);
    const bool v6 = url->host.find(':') != std::string::npos;
    req.set(bhttp::field::host, core::Cat(v6 ? "[" : "", url->host, v6 ? "]" : "", ":", url->port));
    req.set(bhttp::field::user_agent, options_.user_agent);
    req.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      req.prepare_payload();
    }

    net::io_context ioc;
    try {
      if (https) {
        beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls_);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
          return absl::InternalError(core::Cat(where, ": cannot set the TLS server name"));
        }
        stream.set_verify_callback(ssl::host_name_verification(url->host));
        absl::Status s = Connect(where, ioc, beast::get_lowest_layer(stream), *url);
        if (!s.ok()) return s;
        beast::get_lowest_layer(stream).expires_after(Ms(options_.connect_timeout));
        beast::error_code ec = RunOp(
            ioc, [&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); });
        if (ec) return NotSent(where, ec, "TLS handshake");
        return Exchange(where, ioc, stream, beast::get_lowest_layer(stream), req);
      }
      beast::tcp_stream stream(ioc);
      absl::Status s = Connect(where, ioc, stream, *url);
      if (!s.ok()) return s;
      return Exchange(where, ioc, stream, stream, req);
    } catch (const std::exception& e) {
      // Beast reports errors through error codes; this is a bad header value or an
      // allocation failure, before anything was written.
      return absl::InternalError(core::Cat(where, ": ", e.what()));
    }
  }

 private:
  absl::Status NotSent(const std::string& where, beast::error_code ec, const char* step) {
    if (ec == beast::error::timeout) {
      return absl::DeadlineExceededError(core::Cat(where, ": timed out during ", step));
    }
    return absl::UnavailableError(core::Cat(where, ": ", step, " failed: ", ec.message()));
  }

  absl::Status Connect(const std::string& where, net::io_context& ioc, beast::tcp_stream& stream,
                       const Url& url) {
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    beast::error_code ec = RunOp(ioc, [&](auto handler) {
      resolver.async_resolve(
          url.host, std::to_string(url.port),
          [&endpoints, handler](beast::error_code e, tcp::resolver::results_type r) mutable {
            endpoints = std::move(r);
            handler(e);
          });
    });
    if (ec) return NotSent(where, ec, "resolve");
    stream.expires_after(Ms(options_.connect_timeout));
    ec = RunOp(ioc, [&](auto handler) { stream.async_connect(endpoints, handler); });
    if (ec) return NotSent(where, ec, "connect");
    return absl::OkStatus();
  }

  template <typename Stream>
  absl::StatusOr<HttpResponse> Exchange(const std::string& where, net::io_context& ioc,
                                        Stream& stream, beast::tcp_stream& lowest,
                                        bhttp::request<bhttp::string_body>& req) {
    lowest.expires_after(Ms(options_.read_timeout));
    beast::error_code ec =
        RunOp(ioc, [&](auto handler) { bhttp::async_write(stream, req, handler); });
    // From here on the server may have seen the request, even when writing failed part
    // way: the outcome is unknown.
    if (ec) return Sent(where, ec, "writing the request");
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options_.max_response_body);
    ec = RunOp(ioc, [&](auto handler) { bhttp::async_read(stream, buffer, parser, handler); });
    if (ec == bhttp::error::body_limit) {
      return MarkSent(absl::ResourceExhaustedError(core::Cat(
          where, ": the response body is larger than ", options_.max_response_body, " bytes")));
    }
    if (ec) return Sent(where, ec, "reading the response");
    const auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
    }
    out.body = res.body();
    // Best effort: the connection is closed either way.
    lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
  }

  absl::Status Sent(const std::string& where, beast::error_code ec, const char* step) {
    if (ec == beast::error::timeout) {
      return MarkSent(absl::DeadlineExceededError(
          core::Cat(where, ": timed out ", step, "; the request may have been processed")));
    }
    return MarkSent(
        absl::DataLossError(core::Cat(where, ": connection lost while ", step, " (", ec.message(),
                                      "); the request may have been processed")));
  }

  const HttpClientOptions options_;
  std::unique_ptr<ssl::context> tls_;
};

}  // namespace

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

absl::StatusOr<std::unique_ptr<HttpClient>> NewHttpClient(const HttpClientOptions& options) {
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_client);
  beast::error_code ec;
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  tls->set_default_verify_paths(ec);
  if (ec) {
    return absl::FailedPreconditionError(
        core::Cat("cannot load the system's trusted certificates: ", ec.message()));
  }
  if (!options.extra_ca_file.empty()) {
    tls->load_verify_file(options.extra_ca_file, ec);
    if (ec) {
      return absl::FailedPreconditionError(core::Cat("cannot load CA certificates from ",
                                                     options.extra_ca_file, ": ", ec.message()));
    }
  }
  tls->set_verify_mode(ssl::verify_peer);
  return std::unique_ptr<HttpClient>(new BeastHttpClient(options, std::move(tls)));
}

bool RequestMayHaveBeenSent(const absl::Status& status) {
  return !status.ok() && status.GetPayload(kSentPayload).has_value();
}

absl::StatusOr<Url> ParseUrl(std::string_view url) {
  Url out;
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError("URL has no scheme (expected https://host/path)");
  }
  out.scheme = Lower(url.substr(0, colon));
  if (out.scheme != "https" && out.scheme != "http") {
    return absl::InvalidArgumentError(core::Cat("URL scheme '", out.scheme, "' is not http(s)"));
  }
  std::string_view rest = url.substr(colon + 3);
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (const size_t hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  if (out.target.empty() || out.target[0] != '/') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return absl::InvalidArgumentError("URL must not carry credentials before the host");
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return absl::InvalidArgumentError("URL has an unclosed '['");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return absl::InvalidArgumentError("URL has junk after the IPv6 host");
      port = after.substr(1);
    }
  } else {
    const size_t c = authority.rfind(':');
    out.host = std::string(authority.substr(0, c));
    if (c != std::string_view::npos) port = authority.substr(c + 1);
  }
  if (out.host.empty()) return absl::InvalidArgumentError("URL has no host");
  out.host = Lower(out.host);
  if (port.empty()) {
    out.port = out.scheme == "https" ? 443 : 80;
  } else {
    unsigned value = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), value);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return absl::InvalidArgumentError(core::Cat("URL port '", port, "' is not a number 1-65535"));
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  beast::error_code ec;
  const auto address = net::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace carepost::publish
