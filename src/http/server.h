// File: http/server.h
//
// An HTTP/1.1 server (Boost.Beast/Asio underneath; only server.cc includes them).
// Keep-alive, a body size limit, read/write timeouts, and graceful shutdown: Shutdown()
// stops accepting, closes idle keep-alive connections, lets requests already being
// handled finish (their responses carry Connection: close), and Wait() returns when the
// last connection is gone.
//
//   ASSIGN_OR_RETURN(auto server, Server::Start({.host = "127.0.0.1", .port = 8080,
//                                                .handle_signals = true}, handler));
//   server->Wait();   // returns after SIGTERM/SIGINT (or Shutdown()) and the drain
//
// Every response, including the server's own errors (400 malformed, 413 too large, 500
// when a handler throws), carries the security headers (http/message.h) and is
// problem+json when it is an error.
//
// Thread safety: Shutdown(), port() and Wait() may be called from any thread. The handler
// runs on `threads` server threads concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/message.h"

namespace carepost::http {

struct ServerOptions {
  // Address to bind: an IP address or "localhost". IPv6 may be bracketed.
  std::string host = "127.0.0.1";
  // Port to bind; 0 picks a free one (see Server::port()).
  uint16_t port = 8080;
  // Threads running the event loop and the handler. A handler that blocks (the guard,
  // the database) holds one thread; at least 2 keeps health checks answering.
  int threads = 2;
  // Largest request body accepted; larger ones get 413 and the connection is closed.
  size_t body_limit = 1 << 20;
  // Routes allowed another body limit (uploads): called with the method and path once
  // a request's headers are in; a non-zero answer replaces body_limit for it.
  std::function<size_t(std::string_view method, std::string_view path)> body_limit_for;
  // Largest request line + headers accepted.
  size_t header_limit = 16 << 10;
  // How long a connection may take to send a complete request, including the wait for
  // the next request on a kept-alive connection. Bounds slow clients.
  absl::Duration read_timeout = absl::Seconds(30);
  // How long writing a response may take.
  absl::Duration write_timeout = absl::Seconds(30);
  // Install SIGTERM and SIGINT handlers that call Shutdown().
  bool handle_signals = false;
};

class Server {
 public:
  // Binds and starts serving. Unavailable naming the address when it cannot bind.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                                     Handler handler);
  // Shuts down and waits.
  virtual ~Server() = default;
  // The bound port.
  virtual uint16_t port() const = 0;
  // Begins a graceful shutdown; returns at once. Idempotent.
  virtual void Shutdown() = 0;
  // True once Shutdown() was called (or a signal arrived).
  virtual bool shutting_down() const = 0;
  // Blocks until the server has shut down and every connection is closed.
  virtual void Wait() = 0;
};

// Splits "host:port" ("[::1]:8080" for IPv6); InvalidArgument when malformed.
[[nodiscard]] absl::StatusOr<std::pair<std::string, uint16_t>> SplitHostPort(
    std::string_view listen);

}  // namespace carepost::http
