// Built with CAREPOST_WEBUI=OFF (the fuzz build): no web app, so Serve() answers
// nothing and every non-API path is a 404.
#include "webui/internal/embedded.h"

namespace carepost::webui::internal {

std::span<const EmbeddedFile> EmbeddedFiles() { return {}; }

}  // namespace carepost::webui::internal
