// The medical-claim stage: statements in what the organization sends (posts and
// replies) that a clinician should check before they go out — what a treatment does
// (`efficacy`), what happens to people (`outcome`), numbers about health (`statistic`),
// doses (`dosage`), safety promises (`risk`) and comparisons (`comparative`).
//
// Claim patterns are data (data/medical_claim_phrases.tsv, format in
// guard/alarmist_rules.h); numbers are read from the tokens here ("40%", "1 in 3",
// "2 times more", "500 mg", "8 in 10 adults"), which keeps digit-led patterns out of the
// shared scan. A "weak" claim ("prevents", "is safe", "better than", "40%") counts only
// in a sentence that also names a health topic (data/medical_claim_terms.txt, looked up
// only for sentences that need it), so logistics, careers, events and greetings ("40%
// off parking", "the best place to work", "safer than ever to visit") stay quiet. One
// finding per sentence: the sentence is what a reviewer reads, and its type is the most
// specific family found in it.
#include <algorithm>
#include <array>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "core/strings.h"
#include "guard/alarmist_rules.h"
#include "guard/embedded_data.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

// Most specific first: a sentence with a dose and a statistic is a dosage claim.
constexpr std::array<std::string_view, 6> kFamilies = {"dosage",    "risk",    "efficacy",
                                                       "statistic", "outcome", "comparative"};

struct FamilyText {
  std::string_view message;
  std::string_view suggestion;
};

constexpr std::array<FamilyText, 6> kFamilyText = {{
    {"Medical claim (dosage): dose advice needs review by a clinician or pharmacist; the right "
     "dose depends on the person.",
     "Confirm the dose with a pharmacist or clinician, or say \"ask your doctor or pharmacist "
     "how much is right for you\"."},
    {"Medical claim (risk): a statement about safety or side effects needs a clinician's "
     "review before it is published.",
     "Describe common side effects honestly and who should talk to a doctor first; avoid "
     "promises such as \"completely safe\" or \"no side effects\"."},
    {"Medical claim (efficacy): what a treatment, product or habit does needs a clinician's "
     "review before it is published.",
     "Check it against a current source and cite it; prefer \"can help\" or \"lowers the "
     "chance of\" to \"cures\" or \"prevents\"."},
    {"Medical claim (statistic): a number about health needs a clinician's review before it is "
     "published.",
     "Confirm the number and its source, say who it applies to, and explain it in words "
     "(\"about 1 in 3 adults\")."},
    {"Medical claim (outcome): a statement about risks or results for people needs a "
     "clinician's review before it is published.",
     "Confirm it with a current source, say who it applies to, and pair it with what people "
     "can do."},
    {"Medical claim (comparison): calling a treatment better or the best needs evidence and a "
     "clinician's review.",
     "Name what it is compared with and cite the evidence, or drop the superlative."},
}};

constexpr int kRankDosage = 0;
constexpr int kRankStatistic = 3;

bool InWords(std::string_view w, std::span<const std::string_view> words) {
  for (std::string_view x : words) {
    if (w == x) return true;
  }
  return false;
}

// Units that make a number a dose; what may follow a unit and makes it a lab value or a
// concentration instead ("100 mg/dL", "0.7 mg/L").
constexpr std::string_view kUnits[] = {"mg",         "mcg",        "ug",          "iu",
                                       "ml",         "milligram",  "milligrams",  "microgram",
                                       "micrograms", "milliliter", "milliliters", "units"};
constexpr std::string_view kNotDoseAfter[] = {"dl", "l", "blood", "housing", "apartments"};
// A percentage followed by these is a price, a donation or a fabric, not a health number.
constexpr std::string_view kNotStatAfter[] = {"off",       "discount", "discounts", "proceeds",
                                              "match",     "matched",  "funded",    "free",
                                              "renewable", "cotton"};
constexpr std::string_view kScales[] = {"hundred", "thousand", "million", "billion"};
constexpr std::string_view kComparisons[] = {"more", "less", "as", "higher", "lower"};
constexpr std::string_view kPeople[] = {"americans", "adults", "people",   "deaths", "cases",
                                        "women",     "men",    "children", "kids",   "babies",
                                        "infants",   "lives",  "teens",    "seniors"};

bool StartsWithDidYouKnow(const Document& doc, const Sentence& s) {
  static constexpr std::string_view kWords[] = {"did", "you", "know"};
  if (s.last_token - s.first_token < 3) return false;
  for (uint32_t k = 0; k < 3; ++k) {
    if (doc.Norm(doc.tokens()[s.first_token + k]) != kWords[k]) return false;
  }
  return true;
}

class MedicalClaimStage final : public Stage {
 public:
  static absl::StatusOr<std::unique_ptr<Stage>> Create(StageBuilder& b) {
    auto rules = LoadPhraseRules("medical_claim_phrases.tsv");
    if (!rules.ok()) return rules.status();
    std::unique_ptr<MedicalClaimStage> s(new MedicalClaimStage());
    for (const PhraseRule& r : *rules) {
      const auto it = std::find(kFamilies.begin(), kFamilies.end(), r.family);
      if (it == kFamilies.end()) {
        return absl::InvalidArgumentError(
            core::Cat("medical_claim_phrases.tsv: unknown claim family '", r.family, "'"));
      }
      s->rank_.push_back(static_cast<int>(it - kFamilies.begin()));
    }
    s->rules_.AddRules(std::move(*rules), b);
    // Health topics: looked up only for sentences with a weak claim.
    const std::string_view terms = EmbeddedFile("medical_claim_terms.txt");
    if (terms.empty()) {
      return absl::NotFoundError("embedded data file medical_claim_terms.txt is missing");
    }
    size_t pos = 0;
    while (pos < terms.size()) {
      size_t end = terms.find('\n', pos);
      if (end == std::string_view::npos) end = terms.size();
      std::string_view line = terms.substr(pos, end - pos);
      pos = end + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      s->terms_.insert(line);  // views into the embedded file
      if (const size_t space = line.find(' '); space != std::string_view::npos) {
        s->pair_starts_.insert(line.substr(0, space));
      }
    }
    return std::unique_ptr<Stage>(std::move(s));
  }

  std::string_view name() const override { return "medical_claim"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound) return;
    const auto& sentences = doc.sentences();
    struct Claim {
      uint32_t sentence;
      int rank;
    };
    std::vector<Claim> claims;
    // Sentences known to name (bit set in `health`) or not name (in `checked` only) a
    // health topic; sentences past 63 share the last bit and are checked each time.
    uint64_t health = 0, checked = 0;
    auto names_health = [&](uint32_t s) {
      const uint64_t bit = uint64_t{1} << std::min<uint32_t>(s, 63);
      if (s < 63 && (checked & bit)) return (health & bit) != 0;
      const bool yes = SentenceNamesHealth(doc, sentences[s]);
      checked |= bit;
      if (yes) health |= bit;
      return yes;
    };
    auto consider = [&](uint32_t from, int rank, bool weak) {
      const uint32_t s = doc.SentenceAt(from);
      if (s >= sentences.size()) return;
      if (sentences[s].question && !StartsWithDidYouKnow(doc, sentences[s])) return;
      if (IsMythSentence(doc, s) || InsideQuotes(doc, from) || AttributedToOthers(doc, from)) {
        return;
      }
      if (weak && !names_health(s)) return;
      auto it = std::find_if(claims.begin(), claims.end(),
                             [s](const Claim& c) { return c.sentence == s; });
      if (it == claims.end()) {
        claims.push_back({s, rank});
      } else {
        it->rank = std::min(it->rank, rank);
      }
    };
    if (!hits.empty()) {
      std::vector<RuleHit> rule_hits;
      rules_.Resolve(doc, hits, &rule_hits);
      for (const RuleHit& h : rule_hits) {
        const PhraseRule& rule = rules_.rule(h.rule);
        if (RuleSkipped(doc, h, rule)) continue;
        consider(h.from, rank_[h.rule], rule.Has(kRuleWeak));
      }
    }
    NumberClaims(doc, consider);
    std::sort(claims.begin(), claims.end(),
              [](const Claim& a, const Claim& b) { return a.sentence < b.sentence; });
    for (const Claim& c : claims) {
      const Sentence& s = sentences[c.sentence];
      Finding f;
      f.kind = Kind::kMedicalClaim;
      f.type = std::string(kFamilies[c.rank]);
      f.start = s.begin;
      f.end = s.end;
      f.severity = MedicalClaimSeverity(request.context);
      f.message = std::string(kFamilyText[c.rank].message);
      f.suggestion = std::string(kFamilyText[c.rank].suggestion);
      out->push_back(std::move(f));
    }
  }

 private:
  MedicalClaimStage() = default;

  // True when the sentence names a health topic (one word or two).
  bool SentenceNamesHealth(const Document& doc, const Sentence& s) const {
    const auto& toks = doc.tokens();
    char pair[64];
    for (uint32_t t = s.first_token; t < s.last_token; ++t) {
      const std::string_view w = doc.Norm(toks[t]);
      if (terms_.contains(w)) return true;
      if (t + 1 < s.last_token && pair_starts_.contains(w)) {
        const std::string_view next = doc.Norm(toks[t + 1]);
        if (w.size() + 1 + next.size() <= sizeof pair) {
          std::copy(w.begin(), w.end(), pair);
          pair[w.size()] = ' ';
          std::copy(next.begin(), next.end(), pair + w.size() + 1);
          if (terms_.contains(std::string_view(pair, w.size() + 1 + next.size()))) return true;
        }
      }
    }
    return false;
  }

  // Claims carried by numbers: "40%", "40 percent", "1 in 3", "9 out of 10", "2 times
  // more", "500 mg", "200mg", "8 adults". Calls consider(norm offset, rank, weak).
  template <typename Consider>
  static void NumberClaims(const Document& doc, Consider&& consider) {
    const auto& toks = doc.tokens();
    const std::string_view norm = doc.norm();
    const uint32_t nt = static_cast<uint32_t>(toks.size());
    auto word = [&](uint32_t i) { return i < nt ? doc.Norm(toks[i]) : std::string_view(); };
    for (uint32_t i = 0; i < nt; ++i) {
      const Token& t = toks[i];
      if (!t.Has(kTokDigit)) {
        // Only "one" to "ten" can start a claim without digits; most words are skipped on
        // their length alone.
        const uint32_t len = t.norm_end - t.norm_begin;
        if (len < 3 || len > 5 || !IsNumberToken(doc, t)) continue;
      }
      // The number in a name ("COVID-19 cases", "K-12 schools") is not a count.
      if (i > 0 && t.norm_begin > 0 && norm[t.norm_begin - 1] == '-' &&
          toks[i - 1].norm_end + 1 == t.norm_begin && toks[i - 1].Has(kTokAlpha)) {
        continue;
      }
      const std::string_view w = doc.Norm(t);
      if (t.Has(kTokAlpha) && t.Has(kTokDigit)) {
        // "200mg": digits then a unit.
        size_t d = 0;
        while (d < w.size() && w[d] >= '0' && w[d] <= '9') ++d;
        if (d > 0 && InWords(w.substr(d), kUnits) && !InWords(word(i + 1), kNotDoseAfter)) {
          consider(t.norm_begin, kRankDosage, false);
        }
        continue;
      }
      const bool digits = t.Has(kTokDigit);
      // "40%" / "40 %" / "40 percent"
      uint32_t p = t.norm_end;
      if (p < norm.size() && norm[p] == ' ') ++p;
      const bool percent =
          (digits && p < norm.size() && norm[p] == '%') || word(i + 1) == "percent";
      if (percent) {
        const uint32_t after = word(i + 1) == "percent" ? i + 2 : i + 1;
        if (!InWords(word(after), kNotStatAfter) &&
            !(word(after) == "of" && word(after + 1) == "proceeds")) {
          consider(t.norm_begin, kRankStatistic, true);
        }
        continue;
      }
      const std::string_view next = word(i + 1);
      if (next == "in" || (next == "out" && word(i + 2) == "of")) {
        uint32_t j = next == "in" ? i + 2 : i + 3;
        if (word(j) == "every") ++j;
        if (j < nt && IsNumberToken(doc, toks[j])) consider(t.norm_begin, kRankStatistic, false);
        continue;
      }
      if (next == "times" && InWords(word(i + 2), kComparisons)) {
        consider(t.norm_begin, kRankStatistic, false);
        continue;
      }
      if (digits && InWords(next, kUnits) && !InWords(word(i + 2), kNotDoseAfter)) {
        consider(t.norm_begin, kRankDosage, false);
        continue;
      }
      // "8 adults", "38 million Americans"
      const bool scale = InWords(next, kScales);
      if (digits && InWords(scale ? word(i + 2) : next, kPeople)) {
        consider(t.norm_begin, kRankStatistic, true);
      }
    }
  }

  CompiledRules rules_;
  std::vector<int> rank_;                              // rule index -> family rank
  absl::flat_hash_set<std::string_view> terms_;        // one or two words, space-separated
  absl::flat_hash_set<std::string_view> pair_starts_;  // first words of two-word terms
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewMedicalClaimStage(const ScreenerOptions&,
                                                            StageBuilder& b) {
  return MedicalClaimStage::Create(b);
}

}  // namespace carepost::guard
