// The alarmist-wording stage: anxiety-raising phrases in what the organization sends
// (posts and replies), each with a calmer alternative, and the safe-messaging rules for
// posts about suicide. Inbound text is not ours to rewrite and is skipped.
//
// The phrase list is data (data/alarmist_phrases.tsv, see guard/alarmist_rules.h); this
// file adds what a list cannot say: context markers (is the text about suicide, does
// it give the 988 Lifeline, is it about a real emergency or a deadline), quoted myths,
// overlap resolution, and the whole-text "add 988" finding.
#include <algorithm>
#include <string>

#include "core/strings.h"
#include "guard/alarmist_rules.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

// Context markers registered next to the phrase rules.
enum Marker : int {
  kMarkSuicideTopic = -1,  // the text talks about suicide or self-harm
  kMark988 = -2,           // the text gives the 988 Lifeline
  kMarkEmergency = -3,     // the text is about a real emergency (stroke, 911, ...)
  kMarkDeadline = -4,      // the sentence names a deadline
};

struct MarkerPattern {
  Marker marker;
  std::string_view regex;
};

constexpr MarkerPattern kMarkers[] = {
    {kMarkSuicideTopic, R"(\bsuicid(e|es|al|ality)\b)"},
    {kMarkSuicideTopic, R"(\b(took|take|takes|taking) (his|her|their|my|your) own li(fe|ves)\b)"},
    {kMarkSuicideTopic, R"(\bkill(s|ed|ing)? (him|her|them|my|your)sel(f|ves)\b)"},
    {kMarkSuicideTopic, R"(\bend(s|ed|ing)? (his|her|their|my|your) (own )?li(fe|ves)\b)"},
    {kMarkSuicideTopic, R"(\bself[\s\-]?harm(s|ing)?\b)"},
    {kMark988, R"(\b988\b)"},
    {kMark988, R"(988lifeline)"},
    {kMarkEmergency,
     R"(\b(911|strokes?|heart attacks?|cardiac arrest|cpr|aed|be fast|befast|anaphylaxis|anaphylactic|sepsis|chest pain|seizures?|overdoses?|naloxone|narcan)\b)"},
    {kMarkDeadline,
     R"(\b(deadlines?|enroll|enrollment|register|registration|apply|applications?|sign up|signup|ends|closes|closing|due|rsvp|last day|expires?)\b)"},
    {kMarkDeadline,
     R"(\b(by|before|until|through) (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight|\d))"},
};

std::string_view FamilyMessage(std::string_view family) {
  if (family == "fear_word") {
    return "Fear word: wording like this raises anxiety without telling people what to do.";
  }
  if (family == "catastrophizing") {
    return "Catastrophizing: this paints the worst case instead of the facts and the trend.";
  }
  if (family == "absolute") {
    return "Absolute wording: it promises or threatens more than anyone can know.";
  }
  if (family == "urgency") {
    return "Pressure wording: urgency without a real emergency or deadline pushes people away.";
  }
  if (family == "sensational") {
    return "Sensational headline: clickbait wording spends the trust people place in a hospital.";
  }
  if (family == "shouting") {
    return "Shouting: alarm emoji, all-caps alerts and stacked exclamation marks read as panic.";
  }
  if (family == "stigmatizing") {
    return "Stigmatizing word: it defines people by a condition; use person-first words.";
  }
  if (family == "safe_messaging") {
    return "Safe messaging about suicide: this wording goes against the guidelines for "
           "talking about suicide (reportingonsuicide.org).";
  }
  return "Alarmist wording: this may raise anxiety; state the risk plainly and pair it with "
         "what to do.";
}

class AlarmistStage final : public Stage {
 public:
  static absl::StatusOr<std::unique_ptr<Stage>> Create(StageBuilder& b) {
    auto rules = LoadPhraseRules("alarmist_phrases.tsv");
    if (!rules.ok()) return rules.status();
    std::unique_ptr<AlarmistStage> s(new AlarmistStage());
    s->rules_.AddRules(std::move(*rules), b);
    for (const MarkerPattern& m : kMarkers) s->rules_.AddMarker(m.regex, m.marker, b);
    return std::unique_ptr<Stage>(std::move(s));
  }

  std::string_view name() const override { return "alarmist"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound) return;
    bool topic = false, has988 = false, emergency = false;
    uint64_t deadline_sentences = 0;  // bit per sentence (sentences past 63 share bit 63)
    for (const Match& m : hits) {
      switch (rules_.MarkerOf(m)) {
        case kMarkSuicideTopic:
          topic = true;
          break;
        case kMark988:
          has988 = true;
          break;
        case kMarkEmergency:
          emergency = true;
          break;
        case kMarkDeadline:
          deadline_sentences |= uint64_t{1} << std::min<uint32_t>(doc.SentenceAt(m.from), 63);
          break;
        default:
          break;
      }
    }
    std::vector<RuleHit> rule_hits;
    rules_.Resolve(doc, hits, &rule_hits);
    if (!rule_hits.empty()) {
      std::vector<RuleHit> cands;
      for (const RuleHit& h : rule_hits) {
        const PhraseRule& rule = rules_.rule(h.rule);
        if (rule.Has(kRuleSuicideTopic) && !topic) continue;
        if (rule.Has(kRuleNotEmergency) && emergency) continue;
        const uint32_t sentence = doc.SentenceAt(h.from);
        if (rule.Has(kRuleNotDeadline) &&
            (deadline_sentences & (uint64_t{1} << std::min<uint32_t>(sentence, 63)))) {
          continue;
        }
        if (RuleSkipped(doc, h, rule)) continue;
        if (InsideQuotes(doc, h.from) || IsMythSentence(doc, sentence) ||
            AttributedToOthers(doc, h.from)) {
          continue;
        }
        cands.push_back(h);
      }
      // Leftmost-longest: a phrase inside a longer one ("killer" in "silent killer", the
      // shorter ends Hyperscan reports for "!!!!") is dropped.
      std::sort(cands.begin(), cands.end(), [](const RuleHit& a, const RuleHit& b) {
        return a.from != b.from ? a.from < b.from : a.to > b.to;
      });
      bool any_primary = false;
      uint32_t covered = 0;
      size_t kept = 0;
      for (const RuleHit& c : cands) {
        if (kept > 0 && c.from < covered) continue;
        cands[kept++] = c;
        covered = c.to;
        any_primary |= !rules_.rule(c.rule).Has(kRuleCooccur);
      }
      cands.resize(kept);
      for (const RuleHit& c : cands) {
        const PhraseRule& rule = rules_.rule(c.rule);
        if (rule.Has(kRuleCooccur) && !any_primary) continue;
        const Span span = doc.ToOriginal(c.from, c.to);
        Finding f;
        f.kind = Kind::kAlarmist;
        f.type = rule.family;
        f.start = span.begin;
        f.end = span.end;
        f.severity = AlarmistSeverity(request.context);
        f.message = std::string(FamilyMessage(rule.family));
        f.suggestion = rule.suggestion;
        out->push_back(std::move(f));
      }
    }
    if (topic && !has988) {
      Finding f;
      f.kind = Kind::kAlarmist;
      f.type = "safe_messaging";
      f.start = 0;
      f.end = static_cast<uint32_t>(doc.text().size());
      f.severity = AlarmistSeverity(request.context);
      f.message =
          "This text talks about suicide or self-harm but does not give the 988 Suicide & "
          "Crisis Lifeline.";
      f.suggestion =
          "Add a line such as: \"If you or someone you know is struggling, call or text 988 "
          "or chat at 988lifeline.org.\"";
      out->push_back(std::move(f));
    }
  }

 private:
  AlarmistStage() = default;

  CompiledRules rules_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewAlarmistStage(const ScreenerOptions&, StageBuilder& b) {
  return AlarmistStage::Create(b);
}

}  // namespace carepost::guard
