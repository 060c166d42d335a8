// File: webui/internal/embedded.h
//
// The web app's files as compiled into the binary: generated at build time from the
// Vite output (embed_ui.cmake), or empty when the build has CAREPOST_WEBUI=OFF
// (no_assets.cc). Only webui/assets.cc uses this.
//
// Thread safety: immutable data.
#pragma once

#include <span>
#include <string_view>

namespace carepost::webui::internal {

struct EmbeddedFile {
  std::string_view path;  // the URL path: "/index.html", "/assets/index-B0xZ9R2N.js"
  std::string_view body;
};

// Every embedded file.
std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace carepost::webui::internal
