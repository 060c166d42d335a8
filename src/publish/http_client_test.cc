#include "publish/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace carepost::publish {
namespace {

// A one-connection TCP server on 127.0.0.1 driven by raw sockets, so each test
// decides exactly what the peer does after the request arrives.
class LoopbackPeer {
 public:
  explicit LoopbackPeer(std::function<void(int fd)> on_connection) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, on_connection] {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) on_connection(fd);
    });
  }
  ~LoopbackPeer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/api/x?token=secret";
  }

 private:
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

// Reads until the end of the request headers (the tests send no body).
std::string ReadRequest(int fd) {
  std::string got;
  char buf[4096];
  while (got.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

void WriteAll(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n <= 0) return;
    s.remove_prefix(static_cast<size_t>(n));
  }
}

void ResetConnection(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

std::unique_ptr<HttpClient> Client(absl::Duration read_timeout = absl::Seconds(5),
                                   size_t max_body = 1 << 20) {
  auto client = NewHttpClient({.connect_timeout = absl::Seconds(5),
                               .read_timeout = read_timeout,
                               .max_response_body = max_body});
  EXPECT_TRUE(client.ok()) << client.status();
  return std::move(*client);
}

TEST(HttpClientTest, ReadsAResponse) {
  std::string request;
  {
    LoopbackPeer peer([&](int fd) {
      request = ReadRequest(fd);
      WriteAll(fd, "HTTP/1.1 201 Created\r\nX-Thing: yes\r\nContent-Length: 5\r\n\r\nhello");
      ::close(fd);
    });
    auto res = Client()->Send(
        {.method = "GET", .url = peer.url(), .headers = {{"Authorization", "Bearer t"}}});
    ASSERT_TRUE(res.ok()) << res.status();
    EXPECT_EQ(res->status, 201);
    EXPECT_EQ(res->Header("x-thing"), "yes");
    EXPECT_EQ(res->body, "hello");
  }
  EXPECT_NE(request.find("GET /api/x?token=secret HTTP/1.1"), std::string::npos);
  EXPECT_NE(request.find("Authorization: Bearer t"), std::string::npos);
}

TEST(HttpClientTest, ConnectionRefusedMeansNothingWasSent) {
  // Bind a port, then close it: nothing listens there.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/?token=secret";
  auto res = Client()->Send({.method = "POST", .url = url, .body = "x"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kUnavailable) << res.status();
  EXPECT_FALSE(RequestMayHaveBeenSent(res.status()));
  EXPECT_NE(res.status().message().find("connect"), absl::string_view::npos);
  EXPECT_EQ(res.status().message().find("secret"), absl::string_view::npos);
}

TEST(HttpClientTest, ResetAfterTheRequestMeansOutcomeUnknown) {
  LoopbackPeer peer([](int fd) {
    ReadRequest(fd);
    ResetConnection(fd);
  });
  auto res = Client()->Send({.method = "POST", .url = peer.url(), .body = ""});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kDataLoss) << res.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(res.status()));
  EXPECT_EQ(res.status().message().find("secret"), absl::string_view::npos);
}

TEST(HttpClientTest, PartialResponseMeansOutcomeUnknown) {
  LoopbackPeer peer([](int fd) {
    ReadRequest(fd);
    WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
    ::close(fd);
  });
  auto res = Client()->Send({.method = "POST", .url = peer.url()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kDataLoss) << res.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(res.status()));
}

TEST(HttpClientTest, SilentPeerTimesOutAfterSending) {
  LoopbackPeer peer([](int fd) {
    ReadRequest(fd);
    // Hold the connection without answering until the client gives up.
    char c;
    while (::read(fd, &c, 1) > 0) {
    }
    ::close(fd);
  });
  auto res = Client(absl::Milliseconds(200))->Send({.method = "POST", .url = peer.url()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kDeadlineExceeded) << res.status();
  EXPECT_TRUE(RequestMayHaveBeenSent(res.status()));
}

TEST(HttpClientTest, ResponseBodyIsCapped) {
  LoopbackPeer peer([](int fd) {
    ReadRequest(fd);
    WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'a'));
    ::close(fd);
  });
  auto res = Client(absl::Seconds(5), 10)->Send({.method = "GET", .url = peer.url()});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kResourceExhausted) << res.status();
}

TEST(HttpClientTest, RefusesPlainHttpOutsideLoopback) {
  auto res = Client()->Send({.method = "GET", .url = "http://example.com/api"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(RequestMayHaveBeenSent(res.status()));
}

TEST(HttpClientTest, TlsFailureIsNotSent) {
  // A plain-text peer on loopback: the TLS handshake cannot succeed.
  LoopbackPeer peer([](int fd) {
    char buf[512];
    (void)::read(fd, buf, sizeof buf);
    WriteAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    ::close(fd);
  });
  std::string url = peer.url();
  url.replace(0, 4, "https");
  auto res = Client()->Send({.method = "POST", .url = url});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kUnavailable) << res.status();
  EXPECT_FALSE(RequestMayHaveBeenSent(res.status()));
  EXPECT_NE(res.status().message().find("TLS"), absl::string_view::npos);
}

TEST(ParseUrlTest, SplitsTheParts) {
  auto u = ParseUrl("https://Bsky.Social/xrpc/x?a=1#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "bsky.social");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/xrpc/x?a=1");
  auto v6 = ParseUrl("http://[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(v6->target, "/");
  EXPECT_FALSE(ParseUrl("ftp://x/").ok());
  EXPECT_FALSE(ParseUrl("https://user:pw@x/").ok());
  EXPECT_FALSE(ParseUrl("https://x:99999/").ok());
  EXPECT_FALSE(ParseUrl("x/y").ok());
}

TEST(ParseUrlTest, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.8.9.10"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example.com"));
}

TEST(ParseUrlTest, UrlEncode) {
  EXPECT_EQ(UrlEncode("did:plc:a b/é"), "did%3Aplc%3Aa%20b%2F%C3%A9");
}

}  // namespace
}  // namespace carepost::publish
