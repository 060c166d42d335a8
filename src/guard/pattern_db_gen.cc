// Build-time host tool: compiles the guard's built-in patterns into a Hyperscan database
// and writes it as a C++ source that defines guard::BuiltinPatternDatabase().
//
//   carepost_guard_pattern_db_gen OUT.cc
//
// It links the same guard objects as the product, so the patterns it compiles are the
// ones a Screener registers (builtin_patterns.h). OUT.cc is rewritten only when its
// contents change, so an unchanged database does not recompile its dependents.
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "guard/builtin_patterns.h"

namespace carepost::guard {

// The generator runs before there is a database to embed.
const SerializedPatterns& BuiltinPatternDatabase() {
  static const SerializedPatterns kNone;
  return kNone;
}

namespace {

// `bytes` as adjacent C++ string literals, 32 bytes a line; octal escapes always have
// three digits so a following digit cannot join them.
void WriteLiteral(std::string_view bytes, std::string* out) {
  for (size_t i = 0; i < bytes.size(); i += 32) {
    *out += "    \"";
    for (size_t j = i; j < bytes.size() && j < i + 32; ++j) {
      const auto c = static_cast<unsigned char>(bytes[j]);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
        *out += static_cast<char>(c);
      } else {
        char buf[8];
        snprintf(buf, sizeof buf, "\\%03o", c);
        *out += buf;
      }
    }
    *out += "\"\n";
  }
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " OUT.cc\n";
    return 2;
  }
  auto patterns = BuiltinPatterns();
  if (!patterns.ok()) {
    std::cerr << argv[0] << ": " << patterns.status() << "\n";
    return 1;
  }
  if (patterns->builtin_size() != patterns->size()) {
    std::cerr << argv[0] << ": default options registered org-profile patterns\n";
    return 1;
  }
  auto bytes = Matcher::SerializeBuiltin(*patterns);
  if (!bytes.ok()) {
    std::cerr << argv[0] << ": " << bytes.status() << "\n";
    return 1;
  }
  std::string src =
      "// Generated at build time by carepost_guard_pattern_db_gen (src/guard/pattern_db_gen.cc)\n"
      "// from the guard's built-in patterns; do not edit.\n"
      "#include \"guard/builtin_patterns.h\"\n\n"
      "namespace carepost::guard {\n"
      "namespace {\n"
      "alignas(8) constexpr char kBytes[] =\n";
  WriteLiteral(*bytes, &src);
  if (bytes->empty()) src += "    \"\"\n";
  char tail[512];
  snprintf(tail, sizeof tail,
           "    ;\n"
           "}  // namespace\n\n"
           "const SerializedPatterns& BuiltinPatternDatabase() {\n"
           "  static const SerializedPatterns kDatabase{\n"
           "      std::string_view(kBytes, %zuu), 0x%016" PRIx64
           "ull, %zuu};\n"
           "  return kDatabase;\n"
           "}\n\n"
           "}  // namespace carepost::guard\n",
           bytes->size(), patterns->BuiltinFingerprint(), patterns->builtin_size());
  src += tail;

  std::ifstream old(argv[1], std::ios::binary);
  std::stringstream current;
  if (old) current << old.rdbuf();
  if (old && current.str() == src) return 0;
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << src;
  if (!out.flush()) {
    std::cerr << argv[0] << ": cannot write " << argv[1] << "\n";
    return 1;
  }
  std::cout << "built-in pattern database: " << patterns->builtin_size() << " patterns, "
            << bytes->size() << " bytes\n";
  return 0;
}

}  // namespace
}  // namespace carepost::guard

int main(int argc, char** argv) { return carepost::guard::Main(argc, argv); }
