// File: domain/embedded_data.h
//
// The domain's shipped data (the health observances) is compiled into the binary from
// src/domain/data/ (carepost_embed_data in cmake/CarepostHelpers.cmake); the product
// never reads data files at run time.
#pragma once

#include <string_view>

namespace carepost::domain {

// The bytes of the embedded file `name` (its file name in src/domain/data/), or an empty
// view when there is no such file. The bytes live for the whole process.
std::string_view EmbeddedFile(std::string_view name);

}  // namespace carepost::domain
