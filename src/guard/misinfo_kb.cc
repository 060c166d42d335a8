#include "guard/misinfo_kb.h"

#include <toml++/toml.h>

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/strings.h"

namespace carepost::guard {
namespace {

constexpr std::string_view kQuestionStarters[] = {
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should",
    "has", "have",
};

// Negation cues, then debunking cues. Written as knowledge-base terms.
constexpr std::string_view kRefutationCues[] = {
    "not", "no", "never", "nor", "cannot", "can't", "cant", "don't", "dont", "doesn't", "doesnt",
    "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't", "werent",
    "won't", "wont", "wouldn't", "wouldnt", "shouldn't", "shouldnt", "haven't", "havent",
    "hasn't", "hasnt",
    // ^ kLocalNegations: these refute only near the claim (see Refuted).
    "no evidence", "no link",
    "myth*", "false", "falsely", "debunk*", "misinformation", "disinformation", "fake news",
    "not true", "untrue", "rumor*", "rumour*", "hoax claim*", "fact check*", "factcheck*",
    "there is no", "there's no", "contrary to",
    // Distancing frames: "posts claiming that ...", "you may have seen ...".
    "claiming", "you may have seen", "you might have seen", "you may have heard",
    "you might have heard",
};

// The first kLocalNegations cues are plain negations; the rest refute from anywhere in
// the sentence.
constexpr size_t kLocalNegations = 31;
static_assert(kRefutationCues[kLocalNegations] == "no evidence");

inline bool IsTermWordByte(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Splits a term into its words ("vaccin*" keeps the star). Returns the canonical form
// (words joined by one space) or an empty string when the term is unusable.
std::string CanonicalTerm(std::string_view term, std::string* error) {
  std::string canon;
  std::string word;
  auto flush = [&]() -> bool {
    if (word.empty()) return true;
    const size_t star = word.find('*');
    if (star != std::string::npos && star + 1 != word.size()) {
      *error = "'*' must end a word";
      return false;
    }
    if (star == 0) {
      *error = "'*' needs a word before it";
      return false;
    }
    if (!canon.empty()) canon += ' ';
    canon += word;
    word.clear();
    return true;
  };
  for (char c : term) {
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (IsTermWordByte(l) || l == '*') {
      word += l;
    } else if (static_cast<unsigned char>(l) >= 0x80) {
      *error = "terms must be ASCII (the text is matched after accents are stripped)";
      return {};
    } else if (!flush()) {
      return {};
    }
  }
  if (!flush()) return {};
  if (canon.empty()) *error = "term has no letters or digits";
  return canon;
}

absl::Status EntryError(size_t index, std::string_view id, std::string_view what) {
  return absl::InvalidArgumentError(core::Cat("misinformation knowledge base: claim #", index + 1,
                                              id.empty() ? "" : " (", id, id.empty() ? "" : ")",
                                              ": ", what));
}

bool StringList(const toml::node* node, std::vector<std::string>* out) {
  if (node == nullptr) return true;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return false;
  for (const toml::node& n : *arr) {
    const auto v = n.value<std::string>();
    if (!v) return false;
    out->push_back(*v);
  }
  return true;
}

struct Scratch {
  std::vector<uint64_t> masks;  // per alternative; all zero between calls
  std::vector<uint32_t> touched;
  std::vector<uint32_t> fired;  // claims fired in the current sentence
  std::vector<struct Match> word_hits;
  std::vector<struct Match> term_hits;
  std::vector<struct Match> sentence_hits;
};

}  // namespace

std::span<const std::string_view> MisinfoQuestionStarters() { return kQuestionStarters; }
std::span<const std::string_view> MisinfoRefutationCues() { return kRefutationCues; }

absl::StatusOr<std::unique_ptr<const MisinfoKb>> MisinfoKb::Load(std::string_view toml_text,
                                                                 StageBuilder& builder) {
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view("misinfo_kb.toml"));
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(core::Cat("misinformation knowledge base: line ",
                                                e.source().begin.line, ": ",
                                                std::string(e.description())));
  }
  auto kb = std::unique_ptr<MisinfoKb>(new MisinfoKb());
  const toml::array* entries = root["claim"].as_array();
  if (entries == nullptr || entries->empty()) {
    return absl::InvalidArgumentError("misinformation knowledge base: no [[claim]] entries");
  }

  absl::flat_hash_map<std::string, uint32_t> term_index;
  std::vector<std::string> term_canon;
  struct RawSlot {
    uint32_t term, alt;
    uint64_t bit;
  };
  std::vector<RawSlot> raw_slots;
  std::vector<bool> is_cue;
  auto intern = [&](const std::string& canon) -> uint32_t {
    auto [it, inserted] = term_index.try_emplace(canon, static_cast<uint32_t>(term_canon.size()));
    if (inserted) {
      term_canon.push_back(canon);
      is_cue.push_back(false);
    }
    return it->second;
  };
  absl::flat_hash_set<std::string> ids;

  kb->unless_begin_.push_back(0);
  for (size_t e = 0; e < entries->size(); ++e) {
    const toml::table* t = entries->get(e)->as_table();
    if (t == nullptr) return EntryError(e, "", "is not a table");
    KbClaim c;
    auto str = [&](std::string_view key, std::string* out) {
      if (auto v = (*t)[key].value<std::string>()) *out = *v;
    };
    str("id", &c.id);
    str("topic", &c.topic);
    str("claim", &c.claim);
    str("rebuttal", &c.rebuttal);
    if (c.id.empty()) return EntryError(e, "", "missing id");
    if (!ids.insert(c.id).second) return EntryError(e, c.id, "duplicate id");
    if (c.claim.empty() || c.rebuttal.empty()) return EntryError(e, c.id, "missing claim or rebuttal");
    if (const toml::array* srcs = (*t)["sources"].as_array()) {
      for (const toml::node& n : *srcs) {
        const toml::table* st = n.as_table();
        if (st == nullptr) return EntryError(e, c.id, "a source is not {title, url}");
        Source s;
        if (auto v = (*st)["title"].value<std::string>()) s.title = *v;
        if (auto v = (*st)["url"].value<std::string>()) s.url = *v;
        if (s.url.empty()) return EntryError(e, c.id, "a source has no url");
        c.sources.push_back(std::move(s));
      }
    }
    if (!StringList(t->get("examples"), &c.examples) ||
        !StringList(t->get("counterexamples"), &c.counterexamples)) {
      return EntryError(e, c.id, "examples and counterexamples must be lists of strings");
    }
    const uint32_t claim_index = static_cast<uint32_t>(kb->claims_.size());

    const toml::array* match = (*t)["match"].as_array();
    if (match == nullptr || match->empty()) return EntryError(e, c.id, "missing match");
    for (size_t a = 0; a < match->size(); ++a) {
      const toml::array* groups = match->get(a)->as_array();
      if (groups == nullptr || groups->empty()) {
        return EntryError(e, c.id, core::Cat("match[", a, "] must be a list of groups"));
      }
      if (groups->size() > 64) {
        return EntryError(e, c.id, core::Cat("match[", a, "] has more than 64 groups"));
      }
      const uint32_t alt_index = static_cast<uint32_t>(kb->alts_.size());
      Alt alt{claim_index, 0};
      for (size_t g = 0; g < groups->size(); ++g) {
        std::vector<std::string> terms;
        if (!StringList(groups->get(g), &terms) || terms.empty()) {
          return EntryError(e, c.id,
                            core::Cat("match[", a, "] group ", g, " must be a list of terms"));
        }
        const uint64_t bit = uint64_t{1} << g;
        alt.full |= bit;
        for (const std::string& term : terms) {
          std::string error;
          const std::string canon = CanonicalTerm(term, &error);
          if (canon.empty()) {
            return EntryError(e, c.id, core::Cat("match[", a, "] group ", g, ": ", error));
          }
          raw_slots.push_back({intern(canon), alt_index, bit});
        }
      }
      kb->alts_.push_back(alt);
    }
    std::vector<std::string> unless;
    if (!StringList(t->get("unless"), &unless)) {
      return EntryError(e, c.id, "unless must be a list of terms");
    }
    for (const std::string& term : unless) {
      std::string error;
      const std::string canon = CanonicalTerm(term, &error);
      if (canon.empty()) return EntryError(e, c.id, core::Cat("unless: ", error));
      kb->unless_terms_.push_back(intern(canon));
    }
    kb->unless_begin_.push_back(static_cast<uint32_t>(kb->unless_terms_.size()));
    kb->claims_.push_back(std::move(c));
  }
  std::vector<bool> is_local;
  for (size_t c = 0; c < std::size(kRefutationCues); ++c) {
    const std::string_view cue = kRefutationCues[c];
    std::string error;
    const uint32_t term = intern(CanonicalTerm(cue, &error));
    is_cue[term] = true;
    if (is_local.size() <= term) is_local.resize(term + 1, false);
    is_local[term] = c < kLocalNegations;
  }

  // Slots grouped by term (CSR).
  std::stable_sort(raw_slots.begin(), raw_slots.end(),
                   [](const RawSlot& x, const RawSlot& y) { return x.term < y.term; });
  kb->terms_.resize(term_canon.size());
  size_t k = 0;
  for (uint32_t term = 0; term < term_canon.size(); ++term) {
    kb->terms_[term].slots_begin = static_cast<uint32_t>(k);
    while (k < raw_slots.size() && raw_slots[k].term == term) {
      kb->slots_.push_back({raw_slots[k].alt, raw_slots[k].bit});
      ++k;
    }
    kb->terms_[term].slots_end = static_cast<uint32_t>(k);
    kb->terms_[term].cue = is_cue[term];
    kb->terms_[term].local_negation = term < is_local.size() && is_local[term];
  }
  // One pattern per distinct WORD of any term ("vaccin*", "autism"); terms of several
  // words are assembled from consecutive words at match time (AssembleTerms). Thousands
  // of multi-word regexes in the shared database made it compile and scan several
  // times slower; single words go through Hyperscan's literal matchers.
  absl::flat_hash_map<std::string, uint32_t> word_index;
  std::vector<std::vector<uint32_t>> by_first;
  for (uint32_t term = 0; term < term_canon.size(); ++term) {
    kb->terms_[term].words_begin = static_cast<uint32_t>(kb->term_words_.size());
    std::string_view canon = term_canon[term];
    size_t i = 0;
    while (i <= canon.size()) {
      size_t j = canon.find(' ', i);
      if (j == std::string_view::npos) j = canon.size();
      const std::string w(canon.substr(i, j - i));
      auto [it, inserted] = word_index.try_emplace(w, static_cast<uint32_t>(kb->words_.size()));
      if (inserted) {
        Word word;
        word.prefix = !w.empty() && w.back() == '*';
        word.stem = word.prefix ? w.substr(0, w.size() - 1) : w;
        kb->words_.push_back(std::move(word));
        by_first.emplace_back();
      }
      if (kb->term_words_.size() == kb->terms_[term].words_begin) by_first[it->second].push_back(term);
      kb->term_words_.push_back(it->second);
      i = j + 1;
    }
    kb->terms_[term].words_end = static_cast<uint32_t>(kb->term_words_.size());
  }
  kb->first_terms_begin_.push_back(0);
  for (const auto& terms : by_first) {
    kb->first_terms_.insert(kb->first_terms_.end(), terms.begin(), terms.end());
    kb->first_terms_begin_.push_back(static_cast<uint32_t>(kb->first_terms_.size()));
  }
  // Long words are plain literals in the shared scan (Hyperscan's fastest path; word
  // boundaries are checked in AssembleTerms). Short ones ("t" of "don't", "no", "flu")
  // would match inside too many words and, as `\b` patterns, slow the whole scan many
  // times over; they are looked up per word of the text instead (FindShortWords).
  for (uint32_t w = 0; w < kb->words_.size(); ++w) {
    const Word& word = kb->words_[w];
    if (word.stem.size() <= kShortWord) {
      (word.prefix ? kb->short_prefix_ : kb->short_exact_).emplace(word.stem, w);
      continue;
    }
    const uint32_t id = builder.Add(word.stem, kPatternNoStart);
    if (kb->pattern_word_.empty()) kb->first_pattern_ = id;
    if (id != kb->first_pattern_ + kb->pattern_word_.size()) {
      return absl::InternalError("misinformation knowledge base: pattern ids are not consecutive");
    }
    kb->pattern_word_.push_back(w);
  }
  return std::unique_ptr<const MisinfoKb>(std::move(kb));
}

bool MisinfoKb::Vetoed(uint32_t claim, std::span<const struct Match> sentence_hits) const {
  const uint32_t b = unless_begin_[claim], e = unless_begin_[claim + 1];
  if (b == e) return false;
  for (const struct Match& h : sentence_hits) {
    const uint32_t term = h.id;
    for (uint32_t u = b; u < e; ++u) {
      if (unless_terms_[u] == term) return true;
    }
  }
  return false;
}

bool MisinfoKb::Refuted(const Document& doc, uint32_t alt,
                        std::span<const struct Match> sentence_hits) const {
  auto in_alt = [&](const struct Match& h) {
    const Term& t = terms_[h.id];
    for (uint32_t s = t.slots_begin; s < t.slots_end; ++s) {
      if (slots_[s].alt == alt) return true;
    }
    return false;
  };
  // Where the claim is stated: from its first matched term to its last.
  uint32_t claim_from = UINT32_MAX, claim_to = 0;
  for (const struct Match& h : sentence_hits) {
    if (!terms_[h.id].cue && in_alt(h)) {
      claim_from = std::min(claim_from, h.from);
      claim_to = std::max(claim_to, h.to);
    }
  }
  const std::string_view norm = doc.norm();
  for (const struct Match& cue : sentence_hits) {
    const Term& ct = terms_[cue.id];
    if (!ct.cue) continue;
    bool inside_claim = false;
    for (const struct Match& h : sentence_hits) {
      if (h.from <= cue.from && cue.to <= h.to && in_alt(h)) {
        inside_claim = true;
        break;
      }
    }
    if (inside_claim) continue;
    if (!ct.local_negation || claim_from == UINT32_MAX) return true;
    // A plain negation refutes the claim only inside it ("vaccines don't cause autism")
    // or just before it ("I don't think vaccines cause autism"), not in another clause
    // ("HCQ is the treatment that works and big pharma doesn't want you to know").
    if (cue.from >= claim_from && cue.to <= claim_to) return true;
    if (cue.to <= claim_from) {
      int words = 0;
      for (uint32_t p = cue.to; p < claim_from; ++p) {
        if (IsTermWordByte(norm[p]) && (p == cue.to || !IsTermWordByte(norm[p - 1]))) ++words;
      }
      if (words <= 3) return true;
    }
  }
  return false;
}

void MisinfoKb::FindShortWords(std::string_view norm, std::vector<struct Match>* out) const {
  if (short_exact_.empty() && short_prefix_.empty()) return;
  const uint32_t n = static_cast<uint32_t>(norm.size());
  uint32_t i = 0;
  while (i < n) {
    if (!IsTermWordByte(norm[i])) {
      ++i;
      continue;
    }
    uint32_t j = i + 1;
    while (j < n && IsTermWordByte(norm[j])) ++j;
    const std::string_view run = norm.substr(i, j - i);
    // A short word matches a run equal to it, or (as a prefix) a run starting with it.
    if (run.size() <= kShortWord) {
      if (auto it = short_exact_.find(run); it != short_exact_.end()) {
        out->push_back({it->second, i, j});
      }
    }
    for (size_t len = 1; len <= kShortWord && len <= run.size(); ++len) {
      if (auto it = short_prefix_.find(run.substr(0, len)); it != short_prefix_.end()) {
        out->push_back({it->second, i, i + static_cast<uint32_t>(len)});
      }
    }
    i = j;
  }
}

void MisinfoKb::AssembleTerms(std::string_view norm, std::span<const struct Match> hits,
                              std::vector<struct Match>* terms) const {
  const uint32_t n = static_cast<uint32_t>(norm.size());
  for (const struct Match& h : hits) {
    if (h.to == 0 || h.to > n) continue;
    const uint32_t word = h.id;
    const Word& wd = words_[word];
    // The literal must start a word, and end one unless it is a prefix.
    const uint32_t start = h.to - static_cast<uint32_t>(wd.stem.size());
    if (start > 0 && IsTermWordByte(norm[start - 1])) continue;
    uint32_t end = h.to;
    if (wd.prefix) {
      while (end < n && IsTermWordByte(norm[end])) ++end;
    } else if (end < n && IsTermWordByte(norm[end])) {
      continue;
    }
    for (uint32_t k = first_terms_begin_[word]; k < first_terms_begin_[word + 1]; ++k) {
      const uint32_t term = first_terms_[k];
      const Term& t = terms_[term];
      uint32_t pos = end;
      bool ok = true;
      for (uint32_t w = t.words_begin + 1; w < t.words_end && ok; ++w) {
        uint32_t q = pos;
        while (q < n && !IsTermWordByte(norm[q])) ++q;
        uint32_t r = q;
        while (r < n && IsTermWordByte(norm[r])) ++r;
        const std::string_view token = norm.substr(q, r - q);
        const Word& next = words_[term_words_[w]];
        ok = q > pos && (next.prefix ? token.substr(0, next.stem.size()) == next.stem &&
                                           token.size() >= next.stem.size()
                                     : token == next.stem);
        pos = r;
      }
      if (ok) terms->push_back({term, start, pos});
    }
  }
  std::sort(terms->begin(), terms->end(), [](const struct Match& a, const struct Match& b) {
    return a.to != b.to ? a.to < b.to : a.from < b.from;
  });
}

void MisinfoKb::Match(const Document& doc, std::span<const struct Match> hits,
                      std::vector<KbHit>* out) const {
  thread_local Scratch scratch;
  if (scratch.masks.size() < alts_.size()) scratch.masks.resize(alts_.size(), 0);
  const auto& sentences = doc.sentences();
  const auto& tokens = doc.tokens();
  // Word hits (id = word index): the long words from the shared scan, the short ones
  // looked up here.
  scratch.word_hits.clear();
  const uint32_t first = first_pattern_, last = first_pattern_ + num_patterns();
  for (const struct Match& h : hits) {
    if (h.id >= first && h.id < last) scratch.word_hits.push_back({pattern_word_[h.id - first], 0, h.to});
  }
  FindShortWords(doc.norm(), &scratch.word_hits);
  scratch.term_hits.clear();
  AssembleTerms(doc.norm(), scratch.word_hits, &scratch.term_hits);
  const std::vector<struct Match>& term_hits = scratch.term_hits;  // id = term, sorted by end

  size_t i = 0;
  while (i < term_hits.size()) {
    // Collect the term hits that end in the same sentence.
    const uint32_t sentence = doc.SentenceAt(term_hits[i].to - 1);
    scratch.sentence_hits.clear();
    for (; i < term_hits.size(); ++i) {
      const struct Match& h = term_hits[i];
      if (doc.SentenceAt(h.to - 1) != sentence) break;
      if (h.from < sentences[sentence].norm_begin) continue;  // straddles a sentence break
      scratch.sentence_hits.push_back(h);
    }

    for (const struct Match& h : scratch.sentence_hits) {
      const Term& t = terms_[h.id];
      for (uint32_t s = t.slots_begin; s < t.slots_end; ++s) {
        const Slot& slot = slots_[s];
        if (scratch.masks[slot.alt] == 0) scratch.touched.push_back(slot.alt);
        scratch.masks[slot.alt] |= slot.bit;
      }
    }
    if (scratch.touched.empty()) continue;
    std::sort(scratch.touched.begin(), scratch.touched.end());

    int question = -1;  // computed on first need
    auto is_question = [&]() {
      if (question < 0) {
        const Sentence& s = sentences[sentence];
        bool q = s.question;
        if (!q && s.first_token < s.last_token && s.first_token < tokens.size()) {
          std::string_view w = doc.Norm(tokens[s.first_token]);
          size_t n = 0;
          while (n < w.size() && IsTermWordByte(w[n])) ++n;
          w = w.substr(0, n);
          for (std::string_view starter : kQuestionStarters) q |= w == starter;
        }
        question = q ? 1 : 0;
      }
      return question == 1;
    };

    scratch.fired.clear();
    for (uint32_t alt : scratch.touched) {
      const uint64_t mask = scratch.masks[alt];
      scratch.masks[alt] = 0;
      if (mask != alts_[alt].full) continue;
      const uint32_t claim = alts_[alt].claim;
      if (std::find(scratch.fired.begin(), scratch.fired.end(), claim) != scratch.fired.end()) {
        continue;
      }
      if (Vetoed(claim, scratch.sentence_hits) || is_question() ||
          Refuted(doc, alt, scratch.sentence_hits)) {
        continue;
      }
      scratch.fired.push_back(claim);
      out->push_back(KbHit{claim, sentence});
    }
    scratch.touched.clear();
  }
}

}  // namespace carepost::guard
