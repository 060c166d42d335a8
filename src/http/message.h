// File: http/message.h
//
// Plain HTTP request and response values. Handlers see only these; Boost.Beast stays
// inside http/server.cc.
//
// Thread safety: plain values; no internal synchronization.
#pragma once

#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "domain/permissions.h"

namespace carepost::http {

// The signed-in user a request acts for, as the authenticator found them.
struct Principal {
  int64_t user_id = 0;
  int64_t organization_id = 0;
  std::string email;
  domain::Grants grants;
  std::string session_token;  // the cookie's token (never logged)
  absl::Time session_expires_at;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // target before '?'
  std::string query;   // target after '?', without it
  // Header names are lower-case; a repeated header keeps its values comma-joined.
  std::map<std::string, std::string> headers;
  std::string body;
  // The TCP peer's address ("127.0.0.1").
  std::string remote_address;
  // The client as far as trusted proxies say (see http/proxy.h); set by the app.
  std::string client_address;
  // Set by the app for every request; echoed in X-Request-Id and in logs.
  std::string request_id;
  // Path parameters of the matched route ("id" -> "42" for /posts/{id}).
  std::map<std::string, std::string> path_params;
  // Who is signed in; set by the app before a handler that needs it runs.
  std::optional<Principal> principal;

  // The header's value, or "" when absent. `name` must be lower-case.
  std::string_view Header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  // Extra headers (name, value), written in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value) {
    for (auto& [n, v] : headers) {
      if (n == name) {
        v = std::move(value);
        return;
      }
    }
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Answers one request. Called on a server thread; must be safe to call concurrently.
using Handler = std::function<Response(Request&)>;

// Adds the headers every carepost response carries: a CSP without inline script,
// nosniff, frame-ancestors 'none' and X-Frame-Options DENY, Referrer-Policy and
// Cache-Control no-store (responses may hold PHI) unless the response already has a
// Cache-Control of its own (the web app's static files).
void AddSecurityHeaders(Response* response);

}  // namespace carepost::http
