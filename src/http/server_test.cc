#include "http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <latch>
#include <thread>

#include "http/problem.h"
#include "http/test_client.h"

namespace carepost::http {
namespace {

using testing::Fetch;
using testing::TestConnection;

Response Echo(Request& req) {
  Response r;
  r.content_type = "text/plain";
  r.body = req.method + " " + req.path + " q=" + req.query + " body=" + req.body +
           " peer=" + req.remote_address;
  return r;
}

std::unique_ptr<Server> StartOrDie(ServerOptions options, Handler handler) {
  options.host = "127.0.0.1";
  options.port = 0;
  auto s = Server::Start(options, std::move(handler));
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(ServerTest, ServesRequestsWithKeepAliveAndSecurityHeaders) {
  auto server = StartOrDie({}, Echo);
  ASSERT_NE(server, nullptr);
  TestConnection c(server->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("GET", "/a/b?x=1"));
  auto r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /a/b q=x=1 body= peer=127.0.0.1");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("x-frame-options"), "DENY");
  // Second request on the same connection.
  ASSERT_TRUE(c.Send("POST", "/p", "hello"));
  r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /p q= body=hello peer=127.0.0.1");
  server->Shutdown();
  server->Wait();
}

TEST(ServerTest, RejectsTooLargeBodiesWith413ProblemJson) {
  auto server = StartOrDie({.body_limit = 10}, Echo);
  ASSERT_NE(server, nullptr);
  auto r = Fetch(server->port(), "POST", "/p", std::string(11, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_THAT(r.body, ::testing::HasSubstr("urn:carepost:problem:body-too-large"));
  r = Fetch(server->port(), "POST", "/p", std::string(10, 'x'));
  EXPECT_EQ(r.status, 200);
}

TEST(ServerTest, MalformedRequestGets400) {
  auto server = StartOrDie({}, Echo);
  ASSERT_NE(server, nullptr);
  TestConnection c(server->port());
  ASSERT_TRUE(c.SendRaw("GARBAGE\r\n\r\n"));
  const auto r = c.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
}

TEST(ServerTest, HandlerExceptionBecomes500WithoutDetails) {
  auto server = StartOrDie({}, [](Request&) -> Response { throw std::runtime_error("secret"); });
  ASSERT_NE(server, nullptr);
  const auto r = Fetch(server->port(), "GET", "/");
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.body, ::testing::Not(::testing::HasSubstr("secret")));
}

TEST(ServerTest, ReadTimeoutClosesSilentConnections) {
  auto server = StartOrDie({.read_timeout = absl::Milliseconds(50)}, Echo);
  ASSERT_NE(server, nullptr);
  TestConnection c(server->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.SendRaw("GET / HTTP/1.1\r\n"));  // never finishes the headers
  EXPECT_TRUE(c.ReadsEof());
}

TEST(ServerTest, BindFailureNamesTheAddress) {
  auto first = StartOrDie({}, Echo);
  ASSERT_NE(first, nullptr);
  auto second = Server::Start({.host = "127.0.0.1", .port = first->port()}, Echo);
  ASSERT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              ::testing::HasSubstr("127.0.0.1:" + std::to_string(first->port())));
  EXPECT_EQ(Server::Start({.host = "not-an-ip", .port = 0}, Echo).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// SIGTERM with a request in flight: the server stops accepting, closes idle
// keep-alive connections, finishes the in-flight request (Connection: close) and Wait()
// returns.
TEST(ServerTest, SigtermDrainsInFlightRequestsThenStops) {
  std::latch entered(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server = StartOrDie({.threads = 2, .handle_signals = true}, [&](Request& req) {
    if (req.path == "/slow") {
      entered.count_down();
      released.wait();
    }
    Response r;
    r.content_type = "text/plain";
    r.body = "done " + req.path;
    return r;
  });
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();

  TestConnection idle(port);  // a kept-alive connection between requests
  ASSERT_TRUE(idle.Send("GET", "/first"));
  ASSERT_EQ(idle.Read().status, 200);

  TestConnection busy(port);
  ASSERT_TRUE(busy.Send("GET", "/slow"));
  entered.wait();

  ASSERT_EQ(std::raise(SIGTERM), 0);
  // The idle connection is closed by the server.
  EXPECT_TRUE(idle.ReadsEof());
  EXPECT_TRUE(server->shutting_down());
  // New connections are refused once the listener is closed (closing the idle
  // connection above happened after it, on the same shutdown step).
  TestConnection late(port);
  EXPECT_FALSE(late.connected());

  release.set_value();
  const auto r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "done /slow");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(busy.ReadsEof());
  server->Wait();
}

TEST(SplitHostPortTest, Forms) {
  auto hp = SplitHostPort("127.0.0.1:8080");
  ASSERT_TRUE(hp.ok());
  EXPECT_EQ(hp->first, "127.0.0.1");
  EXPECT_EQ(hp->second, 8080);
  hp = SplitHostPort("[::1]:0");
  ASSERT_TRUE(hp.ok());
  EXPECT_EQ(hp->first, "::1");
  EXPECT_FALSE(SplitHostPort("localhost").ok());
  EXPECT_FALSE(SplitHostPort("h:99999").ok());
  EXPECT_FALSE(SplitHostPort("h:").ok());
}

}  // namespace
}  // namespace carepost::http
