// The only translation unit that includes Boost.Beast.
#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "core/strings.h"
#include "http/problem.h"

namespace carepost::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::chrono::milliseconds Ms(absl::Duration d) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(d));
}

class ServerImpl;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerImpl* server);
  ~Session();
  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }
  // Closes the connection if it is waiting for a request that has not begun.
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_ && self->parser_ && !self->parser_->got_some() &&
          self->buffer_.size() == 0) {
        self->stream_.socket().cancel();
      }
    });
  }

 private:
  void Read();
  void OnHeader(beast::error_code ec, std::size_t);
  void OnRead(beast::error_code ec, std::size_t);
  void Respond(Response r, bool keep_alive);
  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t);
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  ServerImpl* server_;
  std::string remote_;
  bool reading_ = false;   // on the strand only
  size_t body_limit_ = 0;  // of the request being read
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, Handler handler)
      : options_(options),
        handler_(std::move(handler)),
        ioc_(std::max(1, options.threads)),
        acceptor_(net::make_strand(ioc_)) {}

  ~ServerImpl() override {
    Shutdown();
    Wait();
  }

  absl::Status Bind(const std::string& host) {
    beast::error_code ec;
    const auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          core::Cat("cannot listen on '", host, "': not an IP address"));
    }
    const tcp::endpoint endpoint(address, options_.port);
    auto fail = [&](const char* what) {
      return absl::UnavailableError(
          core::Cat("cannot listen on ", host, ":", options_.port, ": ", what, ": ", ec.message()));
    };
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("set_option");
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    port_ = acceptor_.local_endpoint(ec).port();
    return absl::OkStatus();
  }

  void Run() {
    if (options_.handle_signals) {
      signals_.emplace(ioc_, SIGINT, SIGTERM);
      signals_->async_wait([this](beast::error_code ec, int) {
        if (!ec) Shutdown();
      });
    }
    Accept();
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
  }

  uint16_t port() const override { return port_; }
  bool shutting_down() const override { return stopping_.load(); }

  void Shutdown() override {
    if (stopping_.exchange(true)) return;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      if (signals_) signals_->cancel(ec);
      // Take references under the lock, use them outside it: dropping the last
      // reference destroys the session, whose destructor takes the lock.
      std::vector<std::shared_ptr<Session>> live;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [ptr, weak] : sessions_) {
          if (auto s = weak.lock()) live.push_back(std::move(s));
        }
      }
      for (const auto& s : live) s->CloseIfIdle();
    });
  }

  void Wait() override {
    std::lock_guard<std::mutex> lock(wait_mu_);
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

  const ServerOptions& options() const { return options_; }

  Response Call(Request& req) {
    try {
      return handler_(req);
    } catch (const std::exception&) {
      return Problem(500, ProblemType::kInternal,
                     "the server failed to answer this request; the error is logged");
    }
  }

  void Add(Session* s, std::weak_ptr<Session> weak) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[s] = std::move(weak);
  }
  void Remove(Session* s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(s);
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [this](beast::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || !acceptor_.is_open())
                               return;
                             if (!ec) {
                               if (stopping_.load()) {
                                 beast::error_code ignored;
                                 socket.close(ignored);
                               } else {
                                 auto session = std::make_shared<Session>(std::move(socket), this);
                                 Add(session.get(), session);
                                 session->Start();
                               }
                             }
                             Accept();
                           });
  }

  std::mutex mu_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  const ServerOptions options_;
  const Handler handler_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<net::signal_set> signals_;
  std::vector<std::thread> threads_;
  std::mutex wait_mu_;
  std::atomic<bool> stopping_{false};
  uint16_t port_ = 0;
};

Session::Session(tcp::socket socket, ServerImpl* server)
    : stream_(std::move(socket)), server_(server) {
  beast::error_code ec;
  const auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    const auto addr = ep.address();
    remote_ = addr.is_v6() && addr.to_v6().is_v4_mapped() ? addr.to_v6().to_v4().to_string()
                                                          : addr.to_string();
  }
}

Session::~Session() { server_->Remove(this); }

void Session::Read() {
  if (server_->shutting_down()) return Close();
  parser_.emplace();
  body_limit_ = server_->options().body_limit;
  // Beast checks Content-Length against the body limit while it parses the headers;
  // the route's limit is known only after them, so OnHeader applies and checks it.
  parser_->body_limit(boost::none);
  parser_->header_limit(static_cast<std::uint32_t>(server_->options().header_limit));
  stream_.expires_after(Ms(server_->options().read_timeout));
  reading_ = true;
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

// The headers are in: the route may allow a larger body (uploads); then the body.
void Session::OnHeader(beast::error_code ec, std::size_t n) {
  if (ec) return OnRead(ec, n);
  const auto& options = server_->options();
  if (options.body_limit_for) {
    const std::string_view target(parser_->get().target().data(), parser_->get().target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (const size_t limit = options.body_limit_for(parser_->get().method_string(), path)) {
      body_limit_ = limit;
    }
  }
  parser_->body_limit(body_limit_);  // for chunked bodies, checked as they arrive
  if (const auto length = parser_->content_length(); length && *length > body_limit_) {
    return OnRead(bhttp::error::body_limit, n);
  }
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Session::OnRead, shared_from_this()));
}

void Session::OnRead(beast::error_code ec, std::size_t) {
  reading_ = false;
  if (ec == bhttp::error::body_limit) {
    return Respond(Problem(413, ProblemType::kBodyTooLarge,
                           core::Cat("the request body exceeds the limit of ", body_limit_,
                                     " bytes; send less")),
                   false);
  }
  if (ec == bhttp::error::header_limit) {
    return Respond(Problem(431, ProblemType::kBadRequest,
                           "the request headers are too large; send fewer or shorter headers"),
                   false);
  }
  if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return Respond(Problem(400, ProblemType::kBadRequest,
                           "the request is not valid HTTP/1.1; check the request line and headers"),
                   false);
  }
  if (ec) return Close();  // closed, timed out, cancelled by Shutdown()

  auto& msg = parser_->get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  const size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += std::string(field.value());
    }
  }
  req.body = std::move(msg.body());
  req.remote_address = remote_;
  const bool keep_alive = msg.keep_alive();
  Respond(server_->Call(req), keep_alive);
}

void Session::Respond(Response r, bool keep_alive) {
  if (server_->shutting_down()) keep_alive = false;
  AddSecurityHeaders(&r);
  res_ = {};
  res_.version(11);
  res_.result(static_cast<unsigned>(r.status));
  res_.set(bhttp::field::server, "carepost");
  if (!r.content_type.empty()) res_.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res_.set(name, value);
  res_.body() = std::move(r.body);
  res_.keep_alive(keep_alive);
  res_.prepare_payload();
  stream_.expires_after(Ms(server_->options().write_timeout));
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
}

void Session::OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec || !keep_alive) return Close();
  Read();
}

}  // namespace

absl::StatusOr<std::pair<std::string, uint16_t>> SplitHostPort(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size()) {
    return absl::InvalidArgumentError(
        core::Cat("listen address '", listen, "' must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
      return absl::InvalidArgumentError(
          core::Cat("listen address '", listen, "' must end in a port number 0-65535"));
    }
    port = port * 10 + (c - '0');
  }
  if (port > 65535) {
    return absl::InvalidArgumentError(
        core::Cat("listen address '", listen, "' must end in a port number 0-65535"));
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      Handler handler) {
  auto server = std::make_unique<ServerImpl>(options, std::move(handler));
  if (absl::Status s = server->Bind(options.host); !s.ok()) return s;
  server->Run();
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace carepost::http
