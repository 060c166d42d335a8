// platformsim's server (Boost.Beast, blocking I/O, one thread per connection) and its
// emulation of Mastodon and Bluesky. The only translation unit of platformsim that
// includes Beast.
#include "platformsim/platformsim.h"

#include <sys/socket.h>
#include <utf8proc.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "core/strings.h"

namespace carepost::platformsim {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Json = nlohmann::json;

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

struct Reply {
  enum Action { kRespond, kHang, kReset };
  Action action = kRespond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

Reply JsonReply(int status, const Json& body) {
  Reply r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = body.dump();
  return r;
}

Reply MastodonError(int status, const std::string& message) {
  return JsonReply(status, Json{{"error", message}});
}

Reply XrpcError(int status, const std::string& error, const std::string& message) {
  return JsonReply(status, Json{{"error", error}, {"message", message}});
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t i = 0;
  const auto n = static_cast<utf8proc_ssize_t>(s.size());
  while (i < n) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) return false;
    i += len;
  }
  return true;
}

// Extended grapheme clusters (UAX #29), as Bluesky's lexicon counts maxGraphemes.
int64_t Graphemes(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  utf8proc_int32_t prev = -1;
  utf8proc_int32_t state = 0;
  int64_t count = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) return -1;
    if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) ++count;
    prev = cp;
    i += len;
  }
  return count;
}

// Mastodon's status length: characters (code points), every http(s) URL counting as 23.
int64_t MastodonLength(std::string_view s) {
  int64_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    const bool at_word = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\t';
    if (at_word && (s.substr(i, 8) == "https://" || s.substr(i, 7) == "http://")) {
      while (i < s.size() && s[i] != ' ' && s[i] != '\n' && s[i] != '\t') ++i;
      count += 23;
      continue;
    }
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++count;
    ++i;
  }
  return count;
}

bool IsCharBoundary(std::string_view s, size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// TID syntax: 13 characters of base32-sortable.
bool IsTid(std::string_view s) {
  static constexpr std::string_view kAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
  if (s.size() != 13) return false;
  if (std::string_view("234567abcdefghij").find(s[0]) == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return kAlphabet.find(c) != std::string_view::npos; });
}

std::string NextTid(int64_t micros, int seq) {
  static constexpr char kAlphabet[] = "234567abcdefghijklmnopqrstuvwxyz";
  uint64_t v = (static_cast<uint64_t>(micros) << 10) | static_cast<uint64_t>(seq & 0x3FF);
  v &= ~(uint64_t{1} << 63);
  std::string out(13, '2');
  for (int i = 12; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kAlphabet[v & 31];
    v >>= 5;
  }
  return out;
}

std::string FakeCid(std::string_view prefix, std::string_view data) {
  const size_t h = std::hash<std::string_view>()(data);
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out(prefix);
  uint64_t v = h;
  for (int i = 0; i < 52; ++i) {
    out.push_back(kAlphabet[(v ^ static_cast<uint64_t>(i * 2654435761u)) & 31]);
    v = (v >> 5) | (v << 59);
  }
  return out;
}

// One part of a multipart/form-data body.
struct Part {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

std::optional<std::vector<Part>> ParseMultipart(const std::string& content_type,
                                                const std::string& body) {
  const size_t b = content_type.find("boundary=");
  if (content_type.rfind("multipart/form-data", 0) != 0 || b == std::string::npos)
    return std::nullopt;
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  const std::string delim = "--" + boundary;
  std::vector<Part> parts;
  size_t pos = body.find(delim);
  if (pos == std::string::npos) return std::nullopt;
  while (true) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;
    if (body.compare(pos, 2, "\r\n") != 0) return std::nullopt;
    pos += 2;
    const size_t header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string::npos) return std::nullopt;
    Part part;
    std::string_view headers(body.data() + pos, header_end - pos);
    auto field = [&](std::string_view key) -> std::string {
      const size_t k = headers.find(key);
      if (k == std::string_view::npos) return {};
      const size_t start = k + key.size();
      const size_t end = headers.find('"', start);
      return std::string(headers.substr(start, end - start));
    };
    part.name = field("name=\"");
    part.filename = field("filename=\"");
    const size_t ct = headers.find("Content-Type: ");
    if (ct != std::string_view::npos) {
      const size_t end = headers.find("\r\n", ct);
      part.content_type = std::string(headers.substr(
          ct + 14, end == std::string_view::npos ? std::string_view::npos : end - ct - 14));
    }
    const size_t data_start = header_end + 4;
    const size_t next = body.find("\r\n" + delim, data_start);
    if (next == std::string::npos) return std::nullopt;
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

// ---------------------------------------------------------------------------------

struct MastodonMedia {
  std::string id;
  std::string description;
  std::string mime;
  int polls_until_ready = 0;  // > 0: still processing
  bool attached = false;
};

struct BlueskySession {
  std::string did;
  std::string handle;
};

class PlatformSimImpl final : public PlatformSim {
 public:
  explicit PlatformSimImpl(const Options& options) : options_(options), acceptor_(ioc_) {}
  ~PlatformSimImpl() override { Stop(); }

  absl::Status Bind() {
    beast::error_code ec;
    const auto address =
        net::ip::make_address(options_.host == "localhost" ? "127.0.0.1" : options_.host, ec);
    if (ec)
      return absl::InvalidArgumentError(
          core::Cat("platformsim: '", options_.host, "' is not an IP address"));
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(core::Cat("platformsim: cannot listen on ", options_.host, ":",
                                              options_.port, ": ", ec.message()));
    }
    port_ = acceptor_.local_endpoint(ec).port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
    return absl::OkStatus();
  }

  uint16_t port() const override { return port_; }
  std::string base_url() const override { return core::Cat("http://", options_.host, ":", port_); }

  void AddFault(const Fault& fault) override {
    std::lock_guard<std::mutex> lock(mu_);
    faults_.push_back(fault);
  }
  void ClearFaults() override {
    std::lock_guard<std::mutex> lock(mu_);
    faults_.clear();
  }
  std::vector<StoredPost> Posts(std::string_view platform) const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<StoredPost> out;
    for (const StoredPost& p : posts_) {
      if (platform.empty() || p.platform == platform) out.push_back(p);
    }
    return out;
  }

  void Stop() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    hang_cv_.notify_all();
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (accept_thread_.joinable()) accept_thread_.join();
    std::map<int64_t, std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(connection_threads_);
    }
    for (auto& [id, t] : threads) t.join();
    beast::error_code ec;
    acceptor_.close(ec);
  }

 private:
  void AcceptLoop() {
    while (true) {
      beast::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      if (ec) continue;
      open_fds_.insert(socket.native_handle());
      // Join the threads of connections that have ended, so a long run does not pile
      // them up.
      for (int64_t id : finished_) {
        auto it = connection_threads_.find(id);
        if (it != connection_threads_.end()) {
          it->second.join();  // its Serve has returned; only the exit is left
          connection_threads_.erase(it);
        }
      }
      finished_.clear();
      const int64_t id = next_connection_++;
      connection_threads_.emplace(
          id, std::thread([this, id, s = std::make_shared<tcp::socket>(std::move(socket))] {
            Serve(*s);
            std::lock_guard<std::mutex> done(mu_);
            finished_.push_back(id);
          }));
    }
  }

  void Serve(tcp::socket& socket) {
    const int fd = socket.native_handle();
    beast::flat_buffer buffer;
    while (true) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(64 << 20);
      beast::error_code ec;
      bhttp::read(socket, buffer, parser, ec);
      if (ec) break;
      const auto& raw = parser.get();
      Request req;
      req.method = std::string(raw.method_string());
      std::string_view target = raw.target();
      const size_t q = target.find('?');
      req.path = std::string(target.substr(0, q));
      if (q != std::string_view::npos) {
        std::string_view query = target.substr(q + 1);
        while (!query.empty()) {
          const size_t amp = query.find('&');
          std::string_view pair = query.substr(0, amp);
          const size_t eq = pair.find('=');
          req.query[PercentDecode(pair.substr(0, eq))] =
              eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
          if (amp == std::string_view::npos) break;
          query.remove_prefix(amp + 1);
        }
      }
      for (const auto& f : raw) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        req.headers[name] = std::string(f.value());
      }
      req.body = raw.body();
      const bool keep_alive = raw.keep_alive();

      Reply reply;
      try {
        reply = Handle(req);
      } catch (const std::exception& e) {
        // A body with a field of an unexpected type (nlohmann throws on get/value).
        reply = JsonReply(400, Json{{"error", "InvalidRequest"},
                                    {"message", std::string("malformed request: ") + e.what()}});
      }
      if (reply.action == Reply::kHang) {
        std::unique_lock<std::mutex> lock(mu_);
        hang_cv_.wait_for(lock,
                          std::chrono::milliseconds(absl::ToInt64Milliseconds(options_.hang_for)),
                          [this] { return stopping_; });
        break;
      }
      if (reply.action == Reply::kReset) {
        // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        socket.set_option(net::socket_base::linger(true, 0), ec);
        break;
      }
      bhttp::response<bhttp::string_body> res;
      res.version(11);
      res.result(static_cast<unsigned>(reply.status));
      for (const auto& [n, v] : reply.headers) res.set(n, v);
      res.body() = std::move(reply.body);
      res.keep_alive(keep_alive);
      res.prepare_payload();
      bhttp::write(socket, res, ec);
      if (ec || !keep_alive) break;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_fds_.erase(fd);
    }
    beast::error_code ec;
    socket.close(ec);
  }

  // Finds and consumes a fault for (platform, endpoint).
  std::optional<Fault> TakeFault(const std::string& platform, const std::string& endpoint) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if ((it->platform == platform || it->platform == "*") &&
          (it->endpoint == endpoint || it->endpoint == "*")) {
        Fault f = *it;
        // media_processing's count is the number of polls of one upload.
        if (f.fault == Fault::kMediaProcessing || --it->count <= 0) faults_.erase(it);
        return f;
      }
    }
    return std::nullopt;
  }

  Reply Handle(const Request& req) {
    if (req.path.rfind("/_sim/", 0) == 0) return Control(req);
    if (req.path.rfind("/api/", 0) == 0) return Mastodon(req);
    if (req.path.rfind("/xrpc/", 0) == 0) return Bluesky(req);
    if (req.path.rfind("/2/", 0) == 0) return X(req);
    return JsonReply(404, Json{{"error", "Not Found"}});
  }

  // --- control API -------------------------------------------------------------

  Reply Control(const Request& req) {
    if (req.path == "/_sim/faults" && req.method == "POST") {
      Json body = Json::parse(req.body, nullptr, false);
      Fault f;
      if (!body.is_object() || !body.value("platform", Json()).is_string() ||
          !body.value("endpoint", Json()).is_string() || !body.value("fault", Json()).is_string()) {
        return JsonReply(
            400, Json{{"error", "expected {platform, endpoint, fault, count?, retry_after?}"}});
      }
      f.platform = body["platform"].get<std::string>();
      f.endpoint = body["endpoint"].get<std::string>();
      if (!ParseFaultName(body["fault"].get<std::string>(), &f.fault)) {
        return JsonReply(400, Json{{"error", "unknown fault " + body["fault"].get<std::string>()}});
      }
      f.count = body.value("count", 1);
      f.retry_after = body.value("retry_after", 5);
      AddFault(f);
      return JsonReply(200, Json::object());
    }
    if (req.path == "/_sim/faults" && req.method == "DELETE") {
      ClearFaults();
      return JsonReply(200, Json::object());
    }
    if (req.path == "/_sim/posts" && req.method == "GET") {
      Json list = Json::array();
      for (const StoredPost& p : Posts(req.Query("platform"))) {
        list.push_back(Json{{"platform", p.platform},
                            {"id", p.id},
                            {"text", p.text},
                            {"deleted", p.deleted},
                            {"stored", Json::parse(p.json, nullptr, false)}});
      }
      return JsonReply(200, Json{{"posts", list}});
    }
    if (req.path == "/_sim/reset" && req.method == "POST") {
      std::lock_guard<std::mutex> lock(mu_);
      faults_.clear();
      posts_.clear();
      media_.clear();
      idempotency_.clear();
      access_tokens_.clear();
      refresh_tokens_.clear();
      blobs_.clear();
      x_access_tokens_ = {kXAccessToken};
      x_refresh_tokens_ = {kXRefreshToken};
      return JsonReply(200, Json::object());
    }
    return JsonReply(404, Json{{"error", "no such control endpoint"}});
  }

  // Applies a fault that answers instead of the endpoint. Returns nullopt to go on
  // (also for kResetAfterAccept, which the caller applies after doing the work).
  std::optional<Reply> FaultReply(const Fault& f, const std::string& platform) {
    const bool bluesky = platform == "bluesky";
    const bool x = platform == "x";
    switch (f.fault) {
      case Fault::kRateLimit: {
        const int64_t reset = absl::ToUnixSeconds(absl::Now()) + f.retry_after;
        if (x) {
          // X sends no Retry-After; x-rate-limit-reset is the epoch second of the reset.
          Reply r = XProblem(429, "Too Many Requests", "Too Many Requests");
          r.headers.emplace_back("x-rate-limit-limit", "100");
          r.headers.emplace_back("x-rate-limit-remaining", "0");
          r.headers.emplace_back("x-rate-limit-reset", std::to_string(reset));
          return r;
        }
        Reply r = bluesky ? XrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded")
                          : MastodonError(429, "Too many requests");
        r.headers.emplace_back("Retry-After", std::to_string(f.retry_after));
        if (bluesky) {
          r.headers.emplace_back("RateLimit-Limit", "3000");
          r.headers.emplace_back("RateLimit-Remaining", "0");
          r.headers.emplace_back("RateLimit-Reset", std::to_string(reset));
        } else {
          r.headers.emplace_back("X-RateLimit-Limit", "300");
          r.headers.emplace_back("X-RateLimit-Remaining", "0");
          r.headers.emplace_back("X-RateLimit-Reset", Rfc3339(absl::FromUnixSeconds(reset)));
        }
        return r;
      }
      case Fault::kServerError:
        if (x) return XProblem(503, "Service Unavailable", "Service Unavailable");
        return bluesky ? XrpcError(503, "InternalServerError", "Service temporarily unavailable")
                       : MastodonError(503, "Service Unavailable");
      case Fault::kHang: {
        Reply r;
        r.action = Reply::kHang;
        return r;
      }
      case Fault::kDuplicate:
        if (x) return std::nullopt;  // POST /2/tweets answers X's own duplicate refusal
        return bluesky
                   ? XrpcError(400, "InvalidRequest", "duplicate post: identical to a recent post")
                   : MastodonError(422,
                                   "Validation failed: this post is a duplicate of a recent post");
      case Fault::kExpiredToken:
      case Fault::kResetAfterAccept:
      case Fault::kMediaProcessing:
        return std::nullopt;
    }
    return std::nullopt;
  }

  // --- Mastodon ------------------------------------------------------------------

  Reply Mastodon(const Request& req) {
    // Route: the endpoint name with ids replaced by ":id".
    std::string endpoint;
    std::string id;
    auto under = [&](const std::string& prefix) {
      if (req.path.rfind(prefix, 0) != 0 || req.path.size() == prefix.size()) return false;
      id = req.path.substr(prefix.size());
      return id.find('/') == std::string::npos;
    };
    if (req.path == "/api/v1/statuses" && req.method == "POST")
      endpoint = "POST /api/v1/statuses";
    else if (req.path == "/api/v2/media" && req.method == "POST")
      endpoint = "POST /api/v2/media";
    else if (req.path == "/api/v1/accounts/verify_credentials" && req.method == "GET")
      endpoint = "GET /api/v1/accounts/verify_credentials";
    else if (under("/api/v1/media/") && req.method == "GET")
      endpoint = "GET /api/v1/media/:id";
    else if (under("/api/v1/statuses/") && req.method == "DELETE")
      endpoint = "DELETE /api/v1/statuses/:id";
    else if (under("/api/v1/statuses/") && req.method == "GET")
      endpoint = "GET /api/v1/statuses/:id";
    else if (req.path.rfind("/api/v1/accounts/", 0) == 0 && req.path.size() > 26 &&
             req.path.compare(req.path.size() - 9, 9, "/statuses") == 0 && req.method == "GET") {
      id = req.path.substr(17, req.path.size() - 17 - 9);
      endpoint = "GET /api/v1/accounts/:id/statuses";
    } else {
      return MastodonError(404, "Record not found");
    }

    std::optional<Fault> fault = TakeFault("mastodon", endpoint);
    if (fault) {
      if (auto r = FaultReply(*fault, "mastodon")) return *r;
      if (fault->fault == Fault::kExpiredToken)
        return MastodonError(401, "The access token is invalid");
    }
    if (req.Header("authorization") != core::Cat("Bearer ", kMastodonToken)) {
      return MastodonError(401, "The access token is invalid");
    }
    Reply reply;
    if (endpoint == "POST /api/v1/statuses")
      reply = MastodonPost(req);
    else if (endpoint == "POST /api/v2/media")
      reply = MastodonUpload(req, fault);
    else if (endpoint == "GET /api/v1/media/:id")
      reply = MastodonMediaGet(id);
    else if (endpoint == "DELETE /api/v1/statuses/:id")
      reply = MastodonDelete(id);
    else if (endpoint == "GET /api/v1/statuses/:id")
      reply = MastodonGet(id);
    else if (endpoint == "GET /api/v1/accounts/verify_credentials")
      reply = JsonReply(200, MastodonAccount());
    else
      reply = MastodonAccountStatuses(req, id);
    if (fault && fault->fault == Fault::kResetAfterAccept) reply.action = Reply::kReset;
    return reply;
  }

  Json MastodonAccount() const {
    return Json{{"id", "1"},
                {"username", kMastodonUsername},
                {"acct", kMastodonUsername},
                {"display_name", "carepost (platformsim)"},
                {"url", base_url() + "/@" + kMastodonUsername}};
  }

  Json MastodonMediaJson(const MastodonMedia& m) const {
    const bool ready = m.polls_until_ready <= 0;
    return Json{{"id", m.id},
                {"type", m.mime.rfind("video/", 0) == 0 ? "video" : "image"},
                {"url", ready ? Json(base_url() + "/media/" + m.id) : Json(nullptr)},
                {"preview_url", base_url() + "/media/" + m.id + "/small"},
                {"description", m.description.empty() ? Json(nullptr) : Json(m.description)}};
  }

  Reply MastodonUpload(const Request& req, const std::optional<Fault>& fault) {
    auto parts = ParseMultipart(req.Header("content-type"), req.body);
    if (!parts) return MastodonError(422, "Validation failed: File can't be blank");
    MastodonMedia m;
    bool has_file = false;
    for (const Part& p : *parts) {
      if (p.name == "file") {
        has_file = !p.data.empty();
        m.mime = p.content_type;
      } else if (p.name == "description") {
        m.description = p.data;
      }
    }
    if (!has_file) return MastodonError(422, "Validation failed: File can't be blank");
    if (m.mime.rfind("image/", 0) != 0 && m.mime.rfind("video/", 0) != 0) {
      return MastodonError(422, "Validation failed: File content type is invalid");
    }
    if (m.description.size() > 1500) {
      return MastodonError(
          422, "Validation failed: Description is too long (maximum is 1500 characters)");
    }
    std::lock_guard<std::mutex> lock(mu_);
    m.id = std::to_string(next_id_++);
    if (fault && fault->fault == Fault::kMediaProcessing)
      m.polls_until_ready = std::max(1, fault->count);
    media_[m.id] = m;
    // 200 when processed synchronously (small images), 202 when processing goes on.
    return JsonReply(m.polls_until_ready > 0 ? 202 : 200, MastodonMediaJson(m));
  }

  Reply MastodonMediaGet(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = media_.find(id);
    if (it == media_.end()) return MastodonError(404, "Record not found");
    MastodonMedia& m = it->second;
    if (m.polls_until_ready > 0) {
      --m.polls_until_ready;
      return JsonReply(206,
                       MastodonMediaJson(MastodonMedia{m.id, m.description, m.mime, 1, false}));
    }
    return JsonReply(200, MastodonMediaJson(m));
  }

  Reply MastodonPost(const Request& req) {
    const std::string ct = req.Header("content-type");
    if (ct.rfind("application/json", 0) != 0) {
      return MastodonError(422, "platformsim accepts JSON status bodies only");
    }
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object()) return MastodonError(422, "Validation failed: Text can't be blank");
    std::string text = body.value("status", Json("")).is_string()
                           ? body.value("status", std::string())
                           : std::string();
    std::vector<std::string> media_ids;
    if (body.contains("media_ids")) {
      if (!body["media_ids"].is_array()) return MastodonError(422, "media_ids must be an array");
      for (const Json& v : body["media_ids"]) {
        if (!v.is_string()) return MastodonError(422, "media_ids must be strings");
        media_ids.push_back(v.get<std::string>());
      }
    }
    const std::string key = req.Header("idempotency-key");
    std::lock_guard<std::mutex> lock(mu_);
    if (!key.empty()) {
      auto it = idempotency_.find(key);
      if (it != idempotency_.end()) {
        for (const StoredPost& p : posts_) {
          if (p.platform == "mastodon" && p.id == it->second)
            return JsonReply(200, Json::parse(p.json));
        }
      }
    }
    if (text.empty() && media_ids.empty())
      return MastodonError(422, "Validation failed: Text can't be blank");
    if (!ValidUtf8(text)) return MastodonError(422, "Validation failed: Text is not valid UTF-8");
    if (MastodonLength(text) > 500)
      return MastodonError(422, "Validation failed: Text character limit of 500 exceeded");
    if (media_ids.size() > 4)
      return MastodonError(422, "Validation failed: Media attachments are limited to 4");
    Json attachments = Json::array();
    for (const std::string& mid : media_ids) {
      auto it = media_.find(mid);
      if (it == media_.end() || it->second.attached)
        return MastodonError(422, "Validation failed: media not found");
      if (it->second.polls_until_ready > 0) {
        return MastodonError(
            422, "Cannot attach files that have not finished processing. Try again in a moment!");
      }
      attachments.push_back(MastodonMediaJson(it->second));
    }
    for (const std::string& mid : media_ids) media_[mid].attached = true;
    const std::string id = std::to_string(next_id_++);
    const std::string url = core::Cat(base_url(), "/@", kMastodonUsername, "/", id);
    Json status = {{"id", id},
                   {"created_at", Rfc3339(absl::Now())},
                   {"uri", core::Cat(base_url(), "/users/", kMastodonUsername, "/statuses/", id)},
                   {"url", url},
                   {"visibility", body.value("visibility", std::string("public"))},
                   {"content", "<p>" + HtmlEscape(text) + "</p>"},
                   {"media_attachments", attachments},
                   {"account", MastodonAccount()}};
    posts_.push_back(StoredPost{"mastodon", id, text, status.dump(), false});
    if (!key.empty()) idempotency_[key] = id;
    return JsonReply(200, status);
  }

  const StoredPost* FindPost(const std::string& platform, const std::string& id) const {
    for (const StoredPost& p : posts_) {
      if (p.platform == platform && p.id == id && !p.deleted) return &p;
    }
    return nullptr;
  }

  Reply MastodonGet(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    const StoredPost* p = FindPost("mastodon", id);
    if (p == nullptr) return MastodonError(404, "Record not found");
    return JsonReply(200, Json::parse(p->json));
  }

  Reply MastodonDelete(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    for (StoredPost& p : posts_) {
      if (p.platform == "mastodon" && p.id == id && !p.deleted) {
        p.deleted = true;
        Json status = Json::parse(p.json);
        status["text"] = p.text;  // DELETE answers with the source text, for redrafting
        return JsonReply(200, status);
      }
    }
    return MastodonError(404, "Record not found");
  }

  Reply MastodonAccountStatuses(const Request& req, const std::string& account_id) {
    if (account_id != "1") return MastodonError(404, "Record not found");
    int limit = 20;
    if (!req.Query("limit").empty())
      limit = std::clamp(std::atoi(req.Query("limit").c_str()), 1, 40);
    std::lock_guard<std::mutex> lock(mu_);
    Json list = Json::array();
    for (auto it = posts_.rbegin(); it != posts_.rend() && static_cast<int>(list.size()) < limit;
         ++it) {
      if (it->platform == "mastodon" && !it->deleted) list.push_back(Json::parse(it->json));
    }
    return JsonReply(200, list);
  }

  // --- X -------------------------------------------------------------------------

  static Reply XProblem(int status, const std::string& title, const std::string& detail,
                        const std::string& type = "about:blank") {
    return JsonReply(
        status, Json{{"title", title}, {"detail", detail}, {"type", type}, {"status", status}});
  }

  // X rewrites every link to a t.co one in the text it answers with.
  static std::string XRewriteLinks(std::string_view text) {
    std::string out;
    size_t i = 0;
    int n = 0;
    while (i < text.size()) {
      const bool at_word = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n';
      if (at_word && (text.substr(i, 8) == "https://" || text.substr(i, 7) == "http://")) {
        while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
        out += core::Cat("https://t.co/sim", ++n);
        continue;
      }
      out.push_back(text[i++]);
    }
    return out;
  }

  Reply X(const Request& req) {
    std::string endpoint;
    std::string id;
    if (req.path == "/2/tweets" && req.method == "POST") {
      endpoint = "POST /2/tweets";
    } else if (req.path.rfind("/2/tweets/", 0) == 0 && req.path.size() > 10 &&
               (req.method == "DELETE" || req.method == "GET")) {
      id = req.path.substr(10);
      endpoint = req.method + " /2/tweets/:id";
    } else if (req.path == "/2/users/me" && req.method == "GET") {
      endpoint = "GET /2/users/me";
    } else if (req.path.rfind("/2/users/", 0) == 0 && req.path.size() > 16 &&
               req.path.compare(req.path.size() - 7, 7, "/tweets") == 0 && req.method == "GET") {
      id = req.path.substr(9, req.path.size() - 9 - 7);
      endpoint = "GET /2/users/:id/tweets";
    } else if (req.path == "/2/oauth2/token" && req.method == "POST") {
      endpoint = "POST /2/oauth2/token";
    } else {
      return XProblem(404, "Not Found Error", "no such endpoint in platformsim");
    }
    std::optional<Fault> fault = TakeFault("x", endpoint);
    if (fault) {
      if (auto r = FaultReply(*fault, "x")) return *r;
    }
    if (endpoint == "POST /2/oauth2/token") return XToken(req);
    {
      std::lock_guard<std::mutex> lock(mu_);
      const std::string h = req.Header("authorization");
      const std::string token = h.rfind("Bearer ", 0) == 0 ? h.substr(7) : std::string();
      if (fault && fault->fault == Fault::kExpiredToken) x_access_tokens_.erase(token);
      if (!x_access_tokens_.contains(token)) return XProblem(401, "Unauthorized", "Unauthorized");
    }
    Reply reply;
    if (endpoint == "POST /2/tweets")
      reply = XPost(req, fault);
    else if (endpoint == "DELETE /2/tweets/:id")
      reply = XDelete(id);
    else if (endpoint == "GET /2/tweets/:id")
      reply = XGet(id);
    else if (endpoint == "GET /2/users/me") {
      reply = JsonReply(
          200,
          Json{{"data",
                {{"id", kXUserId}, {"name", "carepost (platformsim)"}, {"username", kXUsername}}}});
    } else {
      reply = XUserTweets(req, id);
    }
    if (fault && fault->fault == Fault::kResetAfterAccept) reply.action = Reply::kReset;
    return reply;
  }

  Reply XToken(const Request& req) {
    std::map<std::string, std::string> form;
    std::string_view body = req.body;
    while (!body.empty()) {
      const size_t amp = body.find('&');
      std::string_view pair = body.substr(0, amp);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos)
        form[PercentDecode(pair.substr(0, eq))] = PercentDecode(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      body.remove_prefix(amp + 1);
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (form["grant_type"] != "refresh_token" || form["client_id"] != kXClientId ||
        !x_refresh_tokens_.contains(form["refresh_token"])) {
      return JsonReply(400, Json{{"error", "invalid_request"},
                                 {"error_description", "Value passed for the token was invalid."}});
    }
    x_refresh_tokens_.erase(form["refresh_token"]);  // refresh tokens are single use
    const std::string access = core::Cat("sim-x-access-", next_id_++);
    const std::string refresh = core::Cat("sim-x-refresh-", next_id_++);
    x_access_tokens_.insert(access);
    x_refresh_tokens_.insert(refresh);
    return JsonReply(200, Json{{"token_type", "bearer"},
                               {"expires_in", 7200},
                               {"access_token", access},
                               {"scope", "tweet.write tweet.read users.read offline.access"},
                               {"refresh_token", refresh}});
  }

  Reply XPost(const Request& req, const std::optional<Fault>& fault) {
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object() || (!body.value("text", Json()).is_string() && !body.contains("media"))) {
      return JsonReply(
          400, Json{{"errors",
                     Json::array({{{"message", "$.text is required unless media is present"}}})},
                    {"title", "Invalid Request"},
                    {"detail", "One or more parameters to your request was invalid."},
                    {"type", "https://api.twitter.com/2/problems/invalid-request"}});
    }
    const std::string text = body.value("text", std::string());
    if (!ValidUtf8(text) || MastodonLength(text) > 280) {
      return JsonReply(400,
                       Json{{"errors", Json::array({{{"message", "Tweet text is too long."}}})},
                            {"title", "Invalid Request"},
                            {"detail", "One or more parameters to your request was invalid."},
                            {"type", "https://api.twitter.com/2/problems/invalid-request"}});
    }
    std::lock_guard<std::mutex> lock(mu_);
    const bool duplicate = std::any_of(posts_.begin(), posts_.end(), [&](const StoredPost& p) {
      return p.platform == "x" && !p.deleted && p.text == text;
    });
    if (duplicate || (fault && fault->fault == Fault::kDuplicate)) {
      return XProblem(403, "Forbidden",
                      "You are not allowed to create a Tweet with duplicate content.");
    }
    const std::string id = std::to_string(next_id_++);
    Json data = {{"id", id},
                 {"text", XRewriteLinks(text)},
                 {"created_at", Rfc3339(absl::Now())},
                 {"edit_history_tweet_ids", Json::array({id})}};
    posts_.push_back(StoredPost{"x", id, text, data.dump(), false});
    return JsonReply(201, Json{{"data",
                                {{"id", id},
                                 {"text", data["text"]},
                                 {"edit_history_tweet_ids", data["edit_history_tweet_ids"]}}}});
  }

  Reply XDelete(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    for (StoredPost& p : posts_) {
      if (p.platform == "x" && p.id == id && !p.deleted) {
        p.deleted = true;
        return JsonReply(200, Json{{"data", {{"deleted", true}}}});
      }
    }
    return JsonReply(200, Json{{"data", {{"deleted", false}}}});
  }

  Reply XGet(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    const StoredPost* p = FindPost("x", id);
    if (p == nullptr) {
      return JsonReply(
          200, Json{{"errors",
                     Json::array(
                         {{{"value", id},
                           {"detail", "Could not find tweet with id: [" + id + "]."},
                           {"title", "Not Found Error"},
                           {"resource_type", "tweet"},
                           {"parameter", "id"},
                           {"resource_id", id},
                           {"type", "https://api.twitter.com/2/problems/resource-not-found"}}})}});
    }
    Json data = Json::parse(p->json);
    return JsonReply(200, Json{{"data",
                                {{"id", data["id"]},
                                 {"text", data["text"]},
                                 {"edit_history_tweet_ids", data["edit_history_tweet_ids"]}}}});
  }

  Reply XUserTweets(const Request& req, const std::string& user) {
    if (user != kXUserId) return XProblem(404, "Not Found Error", "Could not find user");
    int limit = 10;
    if (!req.Query("max_results").empty())
      limit = std::clamp(std::atoi(req.Query("max_results").c_str()), 5, 100);
    absl::Time since = absl::InfinitePast();
    std::string err;
    if (!req.Query("start_time").empty() &&
        !absl::ParseTime(absl::RFC3339_full, req.Query("start_time"), &since, &err)) {
      return XProblem(400, "Invalid Request", "start_time is not an RFC 3339 time");
    }
    std::lock_guard<std::mutex> lock(mu_);
    Json data = Json::array();
    for (auto it = posts_.rbegin(); it != posts_.rend() && static_cast<int>(data.size()) < limit;
         ++it) {
      if (it->platform != "x" || it->deleted) continue;
      Json t = Json::parse(it->json);
      absl::Time created;
      if (absl::ParseTime(absl::RFC3339_full, t["created_at"].get<std::string>(), &created, &err) &&
          created < since)
        continue;
      data.push_back(Json{{"id", t["id"]},
                          {"text", t["text"]},
                          {"edit_history_tweet_ids", t["edit_history_tweet_ids"]}});
    }
    if (data.empty()) return JsonReply(200, Json{{"meta", {{"result_count", 0}}}});
    return JsonReply(200, Json{{"data", data},
                               {"meta",
                                {{"result_count", data.size()},
                                 {"newest_id", data.front()["id"]},
                                 {"oldest_id", data.back()["id"]}}}});
  }

  // --- Bluesky -------------------------------------------------------------------

  Reply Bluesky(const Request& req) {
    const std::string nsid = req.path.substr(6);
    std::optional<Fault> fault = TakeFault("bluesky", nsid);
    if (fault) {
      if (auto r = FaultReply(*fault, "bluesky")) return *r;
    }
    Reply reply;
    if (nsid == "com.atproto.server.createSession" && req.method == "POST") {
      reply = CreateSession(req);
    } else if (nsid == "com.atproto.server.refreshSession" && req.method == "POST") {
      reply = RefreshSession(req);
    } else if (nsid == "com.atproto.identity.resolveHandle" && req.method == "GET") {
      reply = ResolveHandle(req);
    } else {
      // Everything else needs the access token.
      std::optional<BlueskySession> session;
      if (fault && fault->fault == Fault::kExpiredToken) {
        std::lock_guard<std::mutex> lock(mu_);
        access_tokens_.erase(Bearer(req));
        return XrpcError(400, "ExpiredToken", "Token has expired");
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = access_tokens_.find(Bearer(req));
        if (it != access_tokens_.end()) session = it->second;
      }
      if (!session) return XrpcError(401, "AuthenticationRequired", "Authentication Required");
      if (nsid == "com.atproto.repo.uploadBlob" && req.method == "POST")
        reply = UploadBlob(req);
      else if (nsid == "com.atproto.repo.createRecord" && req.method == "POST")
        reply = CreateRecord(req, *session);
      else if (nsid == "com.atproto.repo.deleteRecord" && req.method == "POST")
        reply = DeleteRecord(req, *session);
      else if (nsid == "com.atproto.repo.getRecord" && req.method == "GET")
        reply = GetRecord(req);
      else if (nsid == "com.atproto.repo.listRecords" && req.method == "GET")
        reply = ListRecords(req);
      else
        return XrpcError(501, "MethodNotImplemented", "Method Not Implemented");
    }
    if (fault && fault->fault == Fault::kResetAfterAccept) reply.action = Reply::kReset;
    return reply;
  }

  static std::string Bearer(const Request& req) {
    const std::string h = req.Header("authorization");
    return h.rfind("Bearer ", 0) == 0 ? h.substr(7) : std::string();
  }

  Json NewSession(const BlueskySession& s) {
    // Caller holds mu_.
    const std::string access = core::Cat("sim-access-", next_id_++);
    const std::string refresh = core::Cat("sim-refresh-", next_id_++);
    access_tokens_[access] = s;
    refresh_tokens_[refresh] = s;
    return Json{{"accessJwt", access},
                {"refreshJwt", refresh},
                {"handle", s.handle},
                {"did", s.did},
                {"active", true}};
  }

  Reply CreateSession(const Request& req) {
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.value("identifier", Json()).is_string() ||
        !body.value("password", Json()).is_string()) {
      return XrpcError(400, "InvalidRequest",
                       "Input must have the properties \"identifier\", \"password\"");
    }
    const std::string id = body["identifier"].get<std::string>();
    if ((id != kBlueskyHandle && id != kBlueskyDid) ||
        body["password"].get<std::string>() != kBlueskyAppPassword) {
      return XrpcError(401, "AuthenticationRequired", "Invalid identifier or password");
    }
    std::lock_guard<std::mutex> lock(mu_);
    return JsonReply(200, NewSession({kBlueskyDid, kBlueskyHandle}));
  }

  Reply RefreshSession(const Request& req) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = refresh_tokens_.find(Bearer(req));
    if (it == refresh_tokens_.end())
      return XrpcError(400, "ExpiredToken", "Token has been revoked");
    const BlueskySession s = it->second;
    refresh_tokens_.erase(it);  // refresh tokens are single use
    return JsonReply(200, NewSession(s));
  }

  Reply ResolveHandle(const Request& req) {
    const std::string handle = req.Query("handle");
    if (handle.empty())
      return XrpcError(400, "InvalidRequest", "Error: Params must have the property \"handle\"");
    if (handle == kBlueskyHandle) return JsonReply(200, Json{{"did", kBlueskyDid}});
    if (handle == kBlueskyOtherHandle) return JsonReply(200, Json{{"did", kBlueskyOtherDid}});
    return XrpcError(400, "InvalidRequest", "Unable to resolve handle");
  }

  Reply UploadBlob(const Request& req) {
    const std::string mime = req.Header("content-type");
    if (req.body.empty()) return XrpcError(400, "InvalidRequest", "request body is empty");
    if (req.body.size() > 1'000'000)
      return XrpcError(400, "BlobTooLarge", "This file is too large. It is 1.00MB max.");
    std::lock_guard<std::mutex> lock(mu_);
    const std::string cid = FakeCid("bafkrei", req.body);
    blobs_[cid] = req.body.size();
    return JsonReply(200, Json{{"blob",
                                {{"$type", "blob"},
                                 {"ref", {{"$link", cid}}},
                                 {"mimeType", mime.empty() ? "application/octet-stream" : mime},
                                 {"size", req.body.size()}}}});
  }

  // Validates an app.bsky.feed.post record; "" when valid.
  std::string ValidatePost(const Json& record) {
    if (!record.is_object()) return "Invalid app.bsky.feed.post record: Record must be an object";
    if (record.value("$type", std::string()) != "app.bsky.feed.post")
      return "Invalid app.bsky.feed.post record: Record/$type must be app.bsky.feed.post";
    if (!record.value("text", Json()).is_string())
      return "Invalid app.bsky.feed.post record: Record must have the property \"text\"";
    if (!record.value("createdAt", Json()).is_string())
      return "Invalid app.bsky.feed.post record: Record must have the property \"createdAt\"";
    absl::Time t;
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, record["createdAt"].get<std::string>(), &t, &err)) {
      return "Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto "
             "datetime";
    }
    const std::string text = record["text"].get<std::string>();
    if (!ValidUtf8(text))
      return "Invalid app.bsky.feed.post record: Record/text is not valid UTF-8";
    if (text.size() > 3000)
      return "Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 "
             "characters";
    if (Graphemes(text) > 300)
      return "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes";
    if (record.contains("facets")) {
      if (!record["facets"].is_array())
        return "Invalid app.bsky.feed.post record: Record/facets must be an array";
      for (const Json& facet : record["facets"]) {
        const Json index = facet.value("index", Json());
        if (!index.is_object() || !index.value("byteStart", Json()).is_number_integer() ||
            !index.value("byteEnd", Json()).is_number_integer()) {
          return "Invalid app.bsky.feed.post record: Record/facets/index must have byteStart and "
                 "byteEnd";
        }
        const int64_t start = index["byteStart"].get<int64_t>();
        const int64_t end = index["byteEnd"].get<int64_t>();
        if (start < 0 || end <= start || end > static_cast<int64_t>(text.size())) {
          return "Invalid app.bsky.feed.post record: facet byte range is outside the text";
        }
        if (!IsCharBoundary(text, static_cast<size_t>(start)) ||
            !IsCharBoundary(text, static_cast<size_t>(end))) {
          return "Invalid app.bsky.feed.post record: facet byte range splits a UTF-8 character";
        }
        const Json features = facet.value("features", Json());
        if (!features.is_array() || features.empty())
          return "Invalid app.bsky.feed.post record: Record/facets/features must be a non-empty "
                 "array";
        for (const Json& f : features) {
          const std::string type = f.value("$type", std::string());
          if (type == "app.bsky.richtext.facet#link") {
            const std::string uri = f.value("uri", std::string());
            if (uri.find(':') == std::string::npos)
              return "Invalid app.bsky.feed.post record: link uri must be a URI";
          } else if (type == "app.bsky.richtext.facet#mention") {
            if (f.value("did", std::string()).rfind("did:", 0) != 0)
              return "Invalid app.bsky.feed.post record: mention did must be a DID";
          } else if (type == "app.bsky.richtext.facet#tag") {
            const std::string tag = f.value("tag", std::string());
            if (tag.empty() || tag.size() > 640 || Graphemes(tag) > 64)
              return "Invalid app.bsky.feed.post record: tag must be 1-64 graphemes";
          } else {
            return "Invalid app.bsky.feed.post record: unknown facet feature " + type;
          }
        }
      }
    }
    if (record.contains("embed")) {
      const Json& embed = record["embed"];
      if (embed.value("$type", std::string()) != "app.bsky.embed.images")
        return "platformsim supports only app.bsky.embed.images embeds";
      const Json images = embed.value("images", Json());
      if (!images.is_array() || images.empty() || images.size() > 4)
        return "Invalid app.bsky.feed.post record: Record/embed/images must have 1-4 items";
      for (const Json& img : images) {
        if (!img.value("alt", Json()).is_string())
          return "Invalid app.bsky.feed.post record: Record/embed/images/0 must have the property "
                 "\"alt\"";
        const std::string link = img.value("image", Json::object())
                                     .value("ref", Json::object())
                                     .value("$link", std::string());
        if (!blobs_.contains(link)) return "Could not find blob: " + link;
      }
    }
    return "";
  }

  Reply CreateRecord(const Request& req, const BlueskySession& session) {
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.value("repo", Json()).is_string() ||
        !body.value("collection", Json()).is_string() || !body.contains("record")) {
      return XrpcError(400, "InvalidRequest",
                       "Input must have the properties \"repo\", \"collection\", \"record\"");
    }
    const std::string repo = body["repo"].get<std::string>();
    if (repo != session.did && repo != session.handle)
      return XrpcError(403, "InvalidRequest", "Invalid repo");
    if (body["collection"] != "app.bsky.feed.post")
      return XrpcError(400, "InvalidRequest", "platformsim stores app.bsky.feed.post only");
    std::lock_guard<std::mutex> lock(mu_);
    if (std::string err = ValidatePost(body["record"]); !err.empty())
      return XrpcError(400, "InvalidRequest", err);
    std::string rkey;
    if (body.contains("rkey")) {
      if (!body["rkey"].is_string() || !IsTid(body["rkey"].get<std::string>())) {
        return XrpcError(400, "InvalidRequest",
                         "Invalid rkey: app.bsky.feed.post record keys must be TIDs");
      }
      rkey = body["rkey"].get<std::string>();
    } else {
      rkey = NextTid(absl::ToUnixMicros(absl::Now()), static_cast<int>(next_id_++));
    }
    const std::string uri = core::Cat("at://", session.did, "/app.bsky.feed.post/", rkey);
    for (const StoredPost& p : posts_) {
      if (p.platform == "bluesky" && p.id == uri)
        return XrpcError(400, "InvalidRequest", "Record already exists at this rkey");
    }
    const std::string cid = FakeCid("bafyrei", body["record"].dump());
    Json stored = {{"uri", uri}, {"cid", cid}, {"value", body["record"]}};
    posts_.push_back(StoredPost{"bluesky", uri, body["record"]["text"].get<std::string>(),
                                stored.dump(), false});
    return JsonReply(200, Json{{"uri", uri},
                               {"cid", cid},
                               {"commit", {{"cid", FakeCid("bafyrei", uri)}, {"rev", rkey}}},
                               {"validationStatus", "valid"}});
  }

  Reply DeleteRecord(const Request& req, const BlueskySession& session) {
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.value("repo", Json()).is_string() ||
        !body.value("collection", Json()).is_string() || !body.value("rkey", Json()).is_string()) {
      return XrpcError(400, "InvalidRequest",
                       "Input must have the properties \"repo\", \"collection\", \"rkey\"");
    }
    if (body["repo"] != session.did && body["repo"] != session.handle)
      return XrpcError(403, "InvalidRequest", "Invalid repo");
    const std::string uri =
        core::Cat("at://", session.did, "/", body["collection"].get<std::string>(), "/",
                  body["rkey"].get<std::string>());
    std::lock_guard<std::mutex> lock(mu_);
    for (StoredPost& p : posts_) {
      if (p.platform == "bluesky" && p.id == uri) p.deleted = true;
    }
    return JsonReply(200,
                     Json{{"commit", {{"cid", FakeCid("bafyrei", uri + "#del")}, {"rev", "sim"}}}});
  }

  std::string RepoDid(const std::string& repo) const {
    return repo == kBlueskyHandle ? std::string(kBlueskyDid) : repo;
  }

  Reply GetRecord(const Request& req) {
    const std::string uri = core::Cat("at://", RepoDid(req.Query("repo")), "/",
                                      req.Query("collection"), "/", req.Query("rkey"));
    std::lock_guard<std::mutex> lock(mu_);
    const StoredPost* p = FindPost("bluesky", uri);
    if (p == nullptr) return XrpcError(400, "RecordNotFound", "Could not locate record: " + uri);
    return JsonReply(200, Json::parse(p->json));
  }

  Reply ListRecords(const Request& req) {
    const std::string prefix =
        core::Cat("at://", RepoDid(req.Query("repo")), "/", req.Query("collection"), "/");
    int limit = 50;
    if (!req.Query("limit").empty())
      limit = std::clamp(std::atoi(req.Query("limit").c_str()), 1, 100);
    std::lock_guard<std::mutex> lock(mu_);
    Json records = Json::array();
    // Newest first (rkeys are TIDs; insertion order stands in for their order).
    for (auto it = posts_.rbegin(); it != posts_.rend() && static_cast<int>(records.size()) < limit;
         ++it) {
      if (it->platform == "bluesky" && !it->deleted && it->id.rfind(prefix, 0) == 0) {
        records.push_back(Json::parse(it->json));
      }
    }
    return JsonReply(200, Json{{"records", records}});
  }

  const Options options_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::condition_variable hang_cv_;
  bool stopping_ = false;                              // guarded by mu_
  std::set<int> open_fds_;                             // guarded by mu_
  std::map<int64_t, std::thread> connection_threads_;  // guarded by mu_
  std::vector<int64_t> finished_;               // connections whose Serve returned; guarded by mu_
  int64_t next_connection_ = 0;                 // guarded by mu_
  std::vector<Fault> faults_;                   // guarded by mu_
  std::vector<StoredPost> posts_;               // guarded by mu_
  std::map<std::string, MastodonMedia> media_;  // guarded by mu_
  std::map<std::string, std::string> idempotency_;          // key -> status id; guarded by mu_
  std::map<std::string, BlueskySession> access_tokens_;     // guarded by mu_
  std::map<std::string, BlueskySession> refresh_tokens_;    // guarded by mu_
  std::set<std::string> x_access_tokens_{kXAccessToken};    // guarded by mu_
  std::set<std::string> x_refresh_tokens_{kXRefreshToken};  // guarded by mu_
  std::map<std::string, size_t> blobs_;                     // cid -> size; guarded by mu_
  int64_t next_id_ = 109'000'000'000'000'001;               // guarded by mu_
};

}  // namespace

std::string_view FaultName(Fault::Kind kind) {
  switch (kind) {
    case Fault::kRateLimit:
      return "rate_limit";
    case Fault::kServerError:
      return "server_error";
    case Fault::kHang:
      return "hang";
    case Fault::kResetAfterAccept:
      return "reset_after_accept";
    case Fault::kExpiredToken:
      return "expired_token";
    case Fault::kDuplicate:
      return "duplicate";
    case Fault::kMediaProcessing:
      return "media_processing";
  }
  return "";
}

bool ParseFaultName(std::string_view name, Fault::Kind* kind) {
  for (Fault::Kind k :
       {Fault::kRateLimit, Fault::kServerError, Fault::kHang, Fault::kResetAfterAccept,
        Fault::kExpiredToken, Fault::kDuplicate, Fault::kMediaProcessing}) {
    if (FaultName(k) == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::unique_ptr<PlatformSim>> PlatformSim::Start(const Options& options) {
  auto sim = std::make_unique<PlatformSimImpl>(options);
  absl::Status s = sim->Bind();
  if (!s.ok()) return s;
  return std::unique_ptr<PlatformSim>(std::move(sim));
}

}  // namespace carepost::platformsim
