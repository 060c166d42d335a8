// File: webui/assets.h
//
// The web app (ui/), built by Vite and embedded in the binary at build time, served
// by `carepost serve` for GET requests no API route matches:
//
//   http::AppOptions options;
//   options.static_files = webui::Serve;
//
// - A file the build produced is served with its Content-Type. Files under /assets/
//   have content hashes in their names and are cached for a year ("immutable");
//   everything else, index.html above all, is revalidated on every load ("no-cache"),
//   so a new release is picked up at once.
// - Any other path that does not look like a file (/audit, /users/42) is answered
//   with index.html: the app routes on the client, so bookmarks and reloads work.
// - /api/... never falls back to the app (an unknown API path stays a 404 problem),
//   nor does a missing file (/assets/old-hash.js, /robots.txt).
//
// Thread safety: Serve() is safe to call from many threads at once.
#pragma once

#include <optional>
#include <string_view>

#include "http/message.h"

namespace carepost::webui {

// The response for `path` (the request path, without the query), or nullopt when
// the web app has nothing at that path.
std::optional<http::Response> Serve(std::string_view path);

// The Content-Type for a file name, from its extension.
std::string_view ContentTypeFor(std::string_view path);

// Whether the binary holds a web app at all (false when built with CAREPOST_WEBUI=OFF).
bool Embedded();

}  // namespace carepost::webui
