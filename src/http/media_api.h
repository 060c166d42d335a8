// File: http/media_api.h
//
// The API routes for media uploaded in the composer (docs/openapi.yaml has the
// contract; domain/media.h the rules):
//
//   POST   /api/v1/media?brand_id=&filename=   upload: the body is the file       posts.draft
//   GET    /api/v1/media/{id}                  type, size, dimensions, fitness    posts.read
//   GET    /api/v1/media/{id}/content          the stored (cleaned) bytes         posts.read
//   DELETE /api/v1/media/{id}                  delete an unattached upload        posts.draft
//
// An upload is the raw file as the request body (what `fetch(url, {method: "POST",
// body: file})` sends from a file input), with the brand and the original file name in
// the query. Its type comes from the content alone: the Content-Type header and the
// name's extension are ignored, and a file that is none of JPEG, PNG, GIF, WebP, MP4 or
// MOV is refused with 415. A malformed image is 422; a file over the media service's
// limit 413 (the server refuses larger bodies before reading them: kMediaUploadPath is
// the route the server gives the larger body limit). The answer says, per platform,
// whether it takes the file and why not.
//
// Content is served with the sniffed Content-Type, nosniff, `Content-Disposition:
// inline` with the sanitized name, and `Cache-Control: private` (browsers may keep it,
// shared caches may not).
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include <string_view>

#include "domain/media.h"
#include "http/app.h"

namespace carepost::http {

// The upload route's path (POST), for the server's per-route body limit.
inline constexpr std::string_view kMediaUploadPath = "/api/v1/media";

struct MediaApiOptions {
  // Required; must outlive the App.
  domain::MediaService* media = nullptr;
};

// Adds the routes above to `app`.
void AddMediaRoutes(App& app, MediaApiOptions options);

}  // namespace carepost::http
