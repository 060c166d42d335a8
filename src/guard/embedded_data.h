// File: guard/embedded_data.h
//
// The guard's shipped data (knowledge base, gazetteers, model) is compiled into the
// binary from src/guard/data/ — the product never reads data files at run time.
#pragma once

#include <string_view>

namespace carepost::guard {

// The bytes of the embedded file `name` (its file name in src/guard/data/), or an empty
// view when there is no such file. The bytes live for the whole process.
std::string_view EmbeddedFile(std::string_view name);

}  // namespace carepost::guard
