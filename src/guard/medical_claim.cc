// The medical-claim stage: statements in what the organization sends (posts and
// replies) that a clinician should check before they go out — what a treatment does
// (`efficacy`), what happens to people (`outcome`), numbers about health (`statistic`),
// doses (`dosage`), safety promises (`risk`) and comparisons (`comparative`).
//
// Claim patterns are data (data/medical_claim_phrases.tsv, format in
// guard/alarmist_rules.h). A "weak" pattern ("prevents", "is safe", "better than",
// "40%") is a claim only in a sentence that also names a health topic
// (data/medical_claim_terms.txt), so logistics, careers, events and greetings ("40% off
// parking", "the best place to work", "safer than ever to visit") stay quiet. One
// finding per sentence: the sentence is what a reviewer reads, and its type is the most
// specific family found in it.
#include <algorithm>
#include <array>
#include <string>

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

constexpr int kTermMarker = -1;
constexpr size_t kTermsPerPattern = 24;

// "blood pressure" -> "blood[\s\-]+pressure"; other non-word bytes are escaped.
std::string TermRegex(std::string_view term) {
  std::string re;
  for (char c : term) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) {
      re += c;
    } else if (c == ' ') {
      re += "[\\s\\-]+";
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", u);
      re += buf;
    }
  }
  return re;
}

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
    s->rules_ = std::move(*rules);
    for (size_t i = 0; i < s->rules_.size(); ++i) {
      const auto it = std::find(kFamilies.begin(), kFamilies.end(), s->rules_[i].family);
      if (it == kFamilies.end()) {
        return absl::InvalidArgumentError(core::Cat("medical_claim_phrases.tsv: unknown claim "
                                                    "family '", s->rules_[i].family, "'"));
      }
      s->rank_.push_back(static_cast<int>(it - kFamilies.begin()));
      s->Register(b.Add(s->rules_[i].regex), static_cast<int>(i));
    }
    // Health topics, a few alternations rather than one pattern per word.
    const std::string_view terms = EmbeddedFile("medical_claim_terms.txt");
    if (terms.empty()) {
      return absl::NotFoundError("embedded data file medical_claim_terms.txt is missing");
    }
    std::string alt;
    size_t in_alt = 0;
    auto flush = [&] {
      if (in_alt == 0) return;
      s->Register(b.Add(core::Cat("\\b(", alt, ")\\b")), kTermMarker);
      alt.clear();
      in_alt = 0;
    };
    size_t pos = 0;
    while (pos < terms.size()) {
      size_t end = terms.find('\n', pos);
      if (end == std::string_view::npos) end = terms.size();
      std::string_view line = terms.substr(pos, end - pos);
      pos = end + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      if (!alt.empty()) alt += '|';
      alt += TermRegex(line);
      if (++in_alt == kTermsPerPattern) flush();
    }
    flush();
    return std::unique_ptr<Stage>(std::move(s));
  }

  std::string_view name() const override { return "medical_claim"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound || hits.empty()) return;
    const auto& sentences = doc.sentences();
    // Sentences that name a health topic; sentences past 63 share the last bit.
    uint64_t health = 0;
    for (const Match& m : hits) {
      if (rule_of_[m.id] == kTermMarker) {
        health |= uint64_t{1} << std::min<uint32_t>(doc.SentenceAt(m.from), 63);
      }
    }
    // Best (lowest) family rank per sentence, in sentence order.
    struct Claim {
      uint32_t sentence;
      int rank;
    };
    std::vector<Claim> claims;
    for (const Match& m : hits) {
      const int r = rule_of_[m.id];
      if (r < 0) continue;
      const PhraseRule& rule = rules_[r];
      const uint32_t s = doc.SentenceAt(m.from);
      if (s >= sentences.size()) continue;
      if (rule.Has(kRuleWeak) && !(health & (uint64_t{1} << std::min<uint32_t>(s, 63)))) continue;
      if (sentences[s].question && !StartsWithDidYouKnow(doc, sentences[s])) continue;
      if (IsMythSentence(doc, s) || InsideQuotes(doc, m.from)) continue;
      if (RuleSkipped(doc, m, rule)) continue;
      auto it = std::find_if(claims.begin(), claims.end(),
                             [s](const Claim& c) { return c.sentence == s; });
      if (it == claims.end()) {
        claims.push_back({s, rank_[r]});
      } else {
        it->rank = std::min(it->rank, rank_[r]);
      }
    }
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

  void Register(uint32_t id, int what) {
    if (rule_of_.size() <= id) rule_of_.resize(id + 1, kTermMarker);
    rule_of_[id] = what;
  }

  std::vector<PhraseRule> rules_;
  std::vector<int> rank_;     // rule index -> family rank
  std::vector<int> rule_of_;  // pattern id -> rule index, or kTermMarker
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewMedicalClaimStage(const ScreenerOptions&,
                                                            StageBuilder& b) {
  return MedicalClaimStage::Create(b);
}

}  // namespace carepost::guard
