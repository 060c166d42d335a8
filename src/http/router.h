// File: http/router.h
//
// Maps METHOD + path to a handler. Patterns are literal segments and `{name}`
// parameters, which match one non-empty segment:
//
//   Router router;
//   router.Add("GET", "/api/v1/posts/{id}", [](const Request& req) {
//     return Json(200, {{"id", req.path_params.at("id")}});
//   });
//   Router::Match m = router.Find("GET", "/api/v1/posts/42");
//   // m.handler != nullptr, m.route == "/api/v1/posts/{id}", m.params["id"] == "42"
//
// Metrics and logs label requests by `route` (the pattern), never the raw path.
//
// Thread safety: Add() before serving; Find() is then safe from many threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace carepost::http {

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
  };
  struct Match {
    const Handler* handler = nullptr;  // null when nothing matched
    std::string route;                 // the matched pattern ("" when none)
    std::map<std::string, std::string> params;
    // True when the path matched some route but not with this method.
    bool method_mismatch = false;
    std::vector<std::string> allowed_methods;  // set with method_mismatch
  };

  // REQUIRES: pattern starts with '/', and method+pattern is not already added.
  void Add(std::string method, std::string pattern, Handler handler);
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits "/a/b/" into {"a", "b"} (empty segments dropped only at the end).
std::vector<std::string_view> PathSegments(std::string_view path);

}  // namespace carepost::http
