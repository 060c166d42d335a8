// File: guard/crisis_lexicon.h
//
// The shipped phrase lists of the crisis and patient-confirmation stages are small text
// files in src/guard/data/ (crisis_signals.txt, patient_confirmation_patterns.txt), one
// pattern per line:
//
//   TAG WEIGHT REGEX        # e.g.  self 3 \bkill my ?self\b
//
// TAG names what the line is for (each stage defines its own tags), WEIGHT is a digit
// optionally followed by `a` ("needs a personal anchor in its sentence") or `-` for
// none, and REGEX is the rest of the line in Hyperscan syntax. Blank lines and lines
// starting with `#` are comments. ParseLexicon only splits and validates the lines;
// the stages interpret them.
//
// Also here: the personal-anchor test both stages share. A sentence has an anchor when
// it names a person as the one concerned: first person (I, me, my, ...) or a third
// person (he, she, his, her, ...), including the common apostrophe-less spellings
// (im, ive) and Spanish (yo, mi, me).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "guard/document.h"

namespace carepost::guard {

struct LexiconLine {
  std::string_view tag;
  int weight = 0;         // 0 when the weight column is `-`
  bool anchored = false;  // weight had a trailing `a`
  std::string_view rest;  // the regex (or, for tags that take arguments, the arguments)
  int line = 0;           // 1-based line number, for error messages
};

// Splits `text` (the contents of the embedded file `file_name`) into lines. Fails on a
// line with fewer than three fields or a malformed weight, naming the file and line.
// The views point into `text`.
absl::StatusOr<std::vector<LexiconLine>> ParseLexicon(std::string_view file_name,
                                                      std::string_view text);

// The file's bytes, or NotFound when it is not embedded (a build defect).
absl::StatusOr<std::string_view> LexiconFile(std::string_view file_name);

// True when sentence `s` of `doc` contains a personal anchor word (see above).
bool HasPersonalAnchor(const Document& doc, const Sentence& s);

}  // namespace carepost::guard

namespace carepost::guard {

// Splits a lexicon regex into the exact literals it matches (for
// StageBuilder::AddLiteral, Hyperscan's fast path) and the parts that must stay regular
// expressions. The expander understands literal characters, escaped punctuation, `\d`,
// simple classes (`[- ]`, `[1-9]`), groups `(a|b)`, `x?` and top-level `|`; `\b` may
// appear only at the ends of a phrase, and a phrase becomes literals only when each end
// has `\b` exactly where the literal's end character is a word character ([a-z0-9]),
// which is the boundary AddLiteral checks. A branch that uses anything else (`\w+`,
// `.`, `{n,m}`, `[^...]`) or expands to more than `max_literals` strings stays a regex;
// a line `\b(A|B|...)\b` is split per alternative first, so one wildcard alternative
// does not keep its siblings out of the literal path. Together `literals` and `regexes`
// match exactly what `regex` matches, at the same end offsets.
void SplitIntoLiterals(std::string_view regex, size_t max_literals,
                       std::vector<std::string>* literals, std::vector<std::string>* regexes);

}  // namespace carepost::guard
