# Writes OUT_CC: every file under DIST_DIR (the Vite output) as a byte array, listed by
# its URL path, for carepost::webui::internal::EmbeddedAssets(). Run at build time:
#   cmake -DDIST_DIR=... -DOUT_CC=... -P embed_ui.cmake
# Content types and cache rules are decided in assets.cc, not here.
cmake_minimum_required(VERSION 3.25)

foreach(var DIST_DIR OUT_CC)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_ui.cmake: ${var} is not set")
  endif()
endforeach()

file(GLOB_RECURSE files RELATIVE "${DIST_DIR}" "${DIST_DIR}/*")
list(SORT files)  # a stable order keeps the generated file unchanged
if(NOT "index.html" IN_LIST files)
  message(FATAL_ERROR "embed_ui.cmake: ${DIST_DIR} has no index.html")
endif()

set(arrays "")
set(table "")
set(i 0)
foreach(rel IN LISTS files)
  if(rel MATCHES "[\"\\\\]")
    message(FATAL_ERROR "embed_ui.cmake: unexpected character in file name ${rel}")
  endif()
  file(READ "${DIST_DIR}/${rel}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  if(size EQUAL 0)
    set(bytes "0x00")
  else()
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  endif()
  string(APPEND arrays "// ${rel}\nconstexpr unsigned char kFile${i}[] = {${bytes}};\n")
  string(APPEND table
    "    {\"/${rel}\", std::string_view(reinterpret_cast<const char*>(kFile${i}), ${size})},\n")
  math(EXPR i "${i} + 1")
endforeach()

set(content "// Generated from the Vite output by src/webui/embed_ui.cmake; do not edit.
#include \"webui/internal/embedded.h\"

namespace carepost::webui::internal {
namespace {
${arrays}
const EmbeddedFile kFiles[] = {
${table}};
}  // namespace

std::span<const EmbeddedFile> EmbeddedFiles() { return kFiles; }

}  // namespace carepost::webui::internal
")
# Rewrite only on change, so an unchanged UI does not recompile the C++.
if(EXISTS "${OUT_CC}")
  file(READ "${OUT_CC}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUT_CC}" "${content}")
