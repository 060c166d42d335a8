#include "guard/phi_lexicon.h"

#include "core/strings.h"
#include "guard/embedded_data.h"

namespace carepost::guard {

absl::Status PhiLexicon::Load() {
  const std::string_view lex = EmbeddedFile("phi_lexicon.tsv");
  const std::string_view places = EmbeddedFile("phi_places.txt");
  if (lex.empty() || places.empty()) {
    return absl::InternalError("PHI gazetteer data (phi_lexicon.tsv, phi_places.txt) is missing");
  }
  words_.reserve(lex.size() / 12);
  size_t line_no = 0;
  for (size_t pos = 0; pos < lex.size();) {
    size_t eol = lex.find('\n', pos);
    if (eol == std::string_view::npos) eol = lex.size();
    const std::string_view line = lex.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      return absl::InternalError(core::Cat("phi_lexicon.tsv:", line_no, ": expected word<TAB>flags"));
    }
    uint16_t bits = 0;
    const std::string_view flags = line.substr(tab + 1);
    for (size_t i = 0; i < flags.size(); ++i) {
      const char c = flags[i];
      const int digit = i + 1 < flags.size() && flags[i + 1] >= '0' && flags[i + 1] <= '9'
                            ? flags[i + 1] - '0'
                            : -1;
      switch (c) {
        case 'F':
          bits |= static_cast<uint16_t>(digit < 0 ? 1 : digit + 1);
          ++i;
          break;
        case 'S':
          bits |= static_cast<uint16_t>((digit < 1 ? 1 : digit) << LexEntry::kSurShift);
          ++i;
          break;
        case 'W': bits |= LexEntry::kWord; break;
        case 'C': bits |= LexEntry::kCity; break;
        case 'X': bits |= LexEntry::kNever; break;
        case 'E': bits |= LexEntry::kEponym; break;
        case 'P': bits |= LexEntry::kPlace; break;
        default:
          return absl::InternalError(
              core::Cat("phi_lexicon.tsv:", line_no, ": unknown flag '", std::string(1, c), "'"));
      }
    }
    words_[line.substr(0, tab)] = bits;
  }
  bloom_.assign(kBloomBits / 64, 0);
  for (const auto& [word, bits] : words_) {
    const LexEntry e{bits};
    if (e.first_name() >= 4 && !e.word() && !e.never()) SetBits(word);
  }
  for (size_t pos = 0; pos < places.size();) {
    size_t eol = places.find('\n', pos);
    if (eol == std::string_view::npos) eol = places.size();
    if (eol > pos) places_.insert(places.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return absl::OkStatus();
}

}  // namespace carepost::guard
