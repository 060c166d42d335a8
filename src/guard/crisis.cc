// The crisis stage: self-harm / suicide risk and medical emergencies, mostly in inbound
// comments and DMs (the team reference notes, shared/domain/crisis.md). A miss is the worst error the product
// can make, so it favours recall: one strong phrase is enough, and weaker distress
// phrases add up. What keeps it quiet on ordinary hospital traffic:
//
//   - phrases are specific ("kill myself", not "killing"), and idioms, negations and
//     names ("this wait is killing me", "Crisis Text Line") cancel the signals inside
//     them;
//   - a sentence that reads as awareness or education ("if you or someone you know",
//     "signs of a stroke", "#SuicidePreventionMonth") and names no one (no I, my, he,
//     she) does not count;
//   - weaker phrases count only about a person (a personal anchor in their sentence,
//     or in the text; a short message without awareness cues needs none), and
//     self-harm then needs one medium phrase or two different weak ones;
//   - a medical signal told as a past story ("last year", "turned out to be") does not
//     make an emergency;
//   - self-harm told as a recovery story ("I used to want to die, now I'm doing better":
//     every self-harm signal in a past or recovery sentence, none marked current, and a
//     recovery cue in the text) still makes a finding, at review instead of block.
//
// The phrase lists live in data/crisis_signals.txt (format documented there).
#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "guard/crisis_lexicon.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

constexpr std::string_view kSignalsFile = "crisis_signals.txt";

// At most this many findings per type; the last one stretches to the last signal.
constexpr size_t kMaxFindingsPerType = 8;
// A type fires when its strongest signal reaches kStrongWeight, or when the sum of its
// signals (each pattern counted once) reaches its threshold: self-harm at 2 (one medium
// phrase, or two different weak ones; recall first), a medical emergency at 3.
constexpr int kStrongWeight = 3;
constexpr int kSelfHarmSum = 2;
constexpr int kEmergencySum = 3;
// A message this short (a post-length comment) with no awareness cue needs no pronoun
// for its weaker signals to count.
constexpr size_t kShortMessageBytes = 280;
// A lexicon line that expands to more literals than this stays a regular expression.
constexpr size_t kMaxLiteralsPerLine = 4096;

constexpr std::string_view kSelfHarmMessage =
    "Possible suicide or self-harm risk: this message has signs of suicidal thoughts, "
    "self-harm, a plan or a goodbye, about the writer or someone they know. A person "
    "needs to see it now.";
constexpr std::string_view kSelfHarmSuggestion =
    "Escalate now to the on-call responder (crisis messages jump every queue). Reply "
    "briefly and warmly, then move to a private message and ask if they are safe right "
    "now. Offer the 988 Suicide & Crisis Lifeline: call or text 988, or chat at "
    "988lifeline.org (Spanish: press 2 or text AYUDA to 988; veterans: press 1 or text "
    "838255), and the Crisis Text Line: text HOME to 741741. If they may act on it now, "
    "an attempt is under way, or they have taken something, call 911 (and hospital "
    "security if they are on campus). Don't argue or promise secrecy, and keep health "
    "details and any sign that they are a patient out of the public reply.";
constexpr std::string_view kRecoveryMessage =
    "Past suicidal thoughts or self-harm, told as a recovery story: this reads as history, "
    "not a crisis now, but a person should read it and reply with care.";
constexpr std::string_view kRecoverySuggestion =
    "Route it to a responder (not the crisis page). Reply warmly and without judgement; "
    "thank them for sharing. If anything in the thread suggests the thoughts are back, "
    "treat it as a crisis. Offer the 988 Suicide & Crisis Lifeline (call or text 988, or "
    "chat at 988lifeline.org) and the Crisis Text Line (text HOME to 741741) in case they "
    "ever need it. Keep health details and any sign that they are a patient out of the "
    "public reply.";
constexpr std::string_view kEmergencyMessage =
    "Possible medical emergency: this message describes signs that may need 911 now "
    "(trouble breathing, stroke or heart-attack signs, severe bleeding, a severe allergic "
    "reaction, a seizure, someone who won't wake up, an overdose or a poisoning).";
constexpr std::string_view kEmergencySuggestion =
    "Escalate now. Reply: \"This sounds like an emergency. Please call 911 now. Don't "
    "wait for a reply here.\" Don't suggest driving to an emergency department for "
    "stroke or heart-attack signs: EMS is faster and starts care on the way. For a "
    "swallowed substance or a medicine mistake without danger signs: Poison Help "
    "1-800-222-1222; call 911 if the person is hard to wake, has trouble breathing or a "
    "seizure. If the person is on campus, also call hospital security or the rapid "
    "response line. If the message also signals self-harm, offer 988 as well.";

enum class Tag : uint8_t {
  kSelf, kMed, kBoth, kPart, kCancel, kGeneric, kPast, kRecovery, kCurrent
};

struct Pattern {
  Tag tag = Tag::kSelf;
  uint8_t weight = 0;
  bool anchored = false;
  int16_t part = -1;  // for kPart: index into parts
  bool located_by_end = false;  // compiled without start offsets (see Located)
};

struct Combo {
  int16_t a = 0;
  int16_t b = 0;
};

// Per-sentence facts, computed only for sentences that have hits.
enum SentenceBits : uint8_t {
  kHasGeneric = 1 << 0,
  kHasPast = 1 << 1,
  kAnchorKnown = 1 << 2,
  kHasAnchor = 1 << 3,
  kHasRecovery = 1 << 4,
  kHasCurrent = 1 << 5,
};

// Working memory reused across calls on one thread (no allocation once warmed up).
struct Scratch {
  std::vector<uint8_t> sentence_bits;
  std::vector<std::pair<uint32_t, uint32_t>> cancels;
  std::vector<uint8_t> seen;  // per pattern: counted for self (1) / med (2)
  struct Hit {
    uint32_t sentence;
    uint8_t weight;
    bool medical;
  };
  std::vector<Hit> hits;
  std::vector<uint32_t> sentences;
};

class CrisisStage final : public Stage {
 public:
  std::string_view name() const override { return "crisis"; }

  absl::Status Init(StageBuilder& b) {
    ASSIGN_OR_RETURN(std::string_view text, LexiconFile(kSignalsFile));
    ASSIGN_OR_RETURN(std::vector<LexiconLine> lines, ParseLexicon(kSignalsFile, text));
    absl::flat_hash_map<std::string_view, int16_t> part_index;
    auto part_of = [&](std::string_view name) {
      auto [it, inserted] = part_index.try_emplace(name, static_cast<int16_t>(part_index.size()));
      return it->second;
    };
    std::vector<std::pair<std::string_view, std::string_view>> combo_names;
    std::vector<std::string> literals, regexes;
    for (const LexiconLine& l : lines) {
      Pattern p;
      p.weight = static_cast<uint8_t>(l.weight);
      p.anchored = l.anchored;
      if (l.tag == "combo") {
        std::string_view args = l.rest;
        const size_t sp = args.find(' ');
        if (sp == std::string_view::npos) {
          return absl::InvalidArgumentError(
              core::Cat(kSignalsFile, " line ", l.line, ": combo needs two part names"));
        }
        combo_names.emplace_back(args.substr(0, sp), args.substr(sp + 1));
        continue;
      }
      if (l.tag == "self") {
        p.tag = Tag::kSelf;
      } else if (l.tag == "med") {
        p.tag = Tag::kMed;
      } else if (l.tag == "both") {
        p.tag = Tag::kBoth;
      } else if (l.tag.starts_with("part:")) {
        p.tag = Tag::kPart;
        p.part = part_of(l.tag.substr(5));
      } else if (l.tag == "cancel") {
        p.tag = Tag::kCancel;
      } else if (l.tag == "generic") {
        p.tag = Tag::kGeneric;
      } else if (l.tag == "past") {
        p.tag = Tag::kPast;
      } else if (l.tag == "recovery") {
        p.tag = Tag::kRecovery;
      } else if (l.tag == "current") {
        p.tag = Tag::kCurrent;
      } else {
        return absl::InvalidArgumentError(
            core::Cat(kSignalsFile, " line ", l.line, ": unknown tag '", l.tag, "'"));
      }
      const bool is_signal = p.tag == Tag::kSelf || p.tag == Tag::kMed || p.tag == Tag::kBoth;
      if (is_signal && (p.weight < 1 || p.weight > kStrongWeight)) {
        return absl::InvalidArgumentError(core::Cat(kSignalsFile, " line ", l.line,
                                                    ": signal weight must be 1 to ",
                                                    kStrongWeight));
      }
      // Only cancels need where a match starts (they must contain the signals they
      // cancel); everything else is placed by its end, which is much cheaper to scan.
      p.located_by_end = p.tag != Tag::kCancel;
      // Phrase lists become exact literals (Hyperscan's fast path); only what needs
      // wildcards stays a regex.
      literals.clear();
      regexes.clear();
      SplitIntoLiterals(l.rest, kMaxLiteralsPerLine, &literals, &regexes);
      const auto index = static_cast<uint16_t>(patterns_.size());
      for (const std::string& lit : literals) {
        if (b.AddLiteral(lit, kLiteralRegexBoundary) != pattern_of_.size()) {
          return absl::InternalError("crisis: pattern ids are not sequential");
        }
        pattern_of_.push_back(index);
      }
      for (const std::string& re : regexes) {
        if (b.Add(re, p.located_by_end ? kPatternNoStart : kPatternDefault) !=
            pattern_of_.size()) {
          return absl::InternalError("crisis: pattern ids are not sequential");
        }
        pattern_of_.push_back(index);
      }
      patterns_.push_back(p);
    }
    for (const auto& [a, bname] : combo_names) {
      auto ia = part_index.find(a);
      auto ib = part_index.find(bname);
      if (ia == part_index.end() || ib == part_index.end()) {
        return absl::InvalidArgumentError(core::Cat(kSignalsFile, ": combo ", a, " ", bname,
                                                    " names a part with no patterns"));
      }
      combos_.push_back({ia->second, ib->second});
    }
    if (part_index.size() > 64) {
      return absl::InvalidArgumentError(core::Cat(kSignalsFile, ": more than 64 parts"));
    }
    return absl::OkStatus();
  }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (hits.empty()) return;
    thread_local Scratch scratch;
    Scratch& s = scratch;
    const std::vector<Sentence>& sentences = doc.sentences();
    if (sentences.empty()) return;

    // Pass 1: cancels and per-sentence cues.
    s.sentence_bits.assign(sentences.size(), 0);
    s.cancels.clear();
    bool any_signal = false;
    bool any_recovery = false;
    for (const Match& hit : hits) {
      const Match m = Located(hit);
      const Pattern& p = patterns_[m.id];
      switch (p.tag) {
        case Tag::kCancel:
          s.cancels.emplace_back(m.from, m.to);
          break;
        case Tag::kGeneric:
          s.sentence_bits[doc.SentenceAt(m.from)] |= kHasGeneric;
          break;
        case Tag::kPast:
          s.sentence_bits[doc.SentenceAt(m.from)] |= kHasPast;
          break;
        case Tag::kRecovery:
          s.sentence_bits[doc.SentenceAt(m.from)] |= kHasRecovery;
          any_recovery = true;
          break;
        case Tag::kCurrent:
          s.sentence_bits[doc.SentenceAt(m.from)] |= kHasCurrent;
          break;
        default:
          any_signal = true;
      }
    }
    if (!any_signal) return;
    const bool short_text = doc.text().size() <= kShortMessageBytes;
    bool any_generic = false;
    for (uint8_t bits : s.sentence_bits) any_generic |= (bits & kHasGeneric) != 0;

    // Pass 2: surviving signals.
    s.seen.assign(patterns_.size(), 0);
    s.hits.clear();
    uint64_t parts_present = 0;  // bit per part (at most 64 parts)
    int doc_anchor = -1;         // unknown
    int self_sum = 0, med_sum = 0, self_max = 0, med_max = 0;
    // Every self-harm signal so far sits in a past or recovery sentence with no current cue.
    bool self_all_historic = true;
    for (const Match& hit : hits) {
      const Match m = Located(hit);
      const Pattern& p = patterns_[m.id];
      if (p.tag != Tag::kSelf && p.tag != Tag::kMed && p.tag != Tag::kBoth &&
          p.tag != Tag::kPart) {
        continue;
      }
      if (Cancelled(s, m)) continue;
      const uint32_t si = doc.SentenceAt(m.from);
      uint8_t& bits = s.sentence_bits[si];
      // An awareness / education sentence counts only when it names someone. An
      // anchored (weaker) signal needs a person in its sentence or, failing that, in
      // the text — or a short message with no awareness cue at all ("hopeless", "so
      // alone"): people in crisis often drop the "I".
      const bool generic = bits & kHasGeneric;
      if (generic || p.anchored) {
        if (!(bits & kAnchorKnown)) {
          bits |= kAnchorKnown;
          if (HasPersonalAnchor(doc, sentences[si])) bits |= kHasAnchor;
        }
        if (!(bits & kHasAnchor)) {
          if (generic) continue;
          if (doc_anchor < 0) doc_anchor = HasPersonalAnchor(doc, AllOf(doc)) ? 1 : 0;
          if (doc_anchor == 0 && !(short_text && !any_generic)) continue;
        }
      }
      const bool past = bits & kHasPast;
      if (p.tag == Tag::kPart) {
        if (past) continue;
        parts_present |= uint64_t{1} << p.part;
        s.hits.push_back({si, 0, true});
        continue;
      }
      if (p.tag == Tag::kSelf || p.tag == Tag::kBoth) {
        const bool historic = (bits & (kHasPast | kHasRecovery)) && !(bits & kHasCurrent);
        if (!historic) self_all_historic = false;
        if (!(s.seen[m.id] & 1)) {
          s.seen[m.id] |= 1;
          self_sum += p.weight;
          self_max = std::max<int>(self_max, p.weight);
        }
        s.hits.push_back({si, p.weight, false});
      }
      if ((p.tag == Tag::kMed || p.tag == Tag::kBoth) && !past) {
        if (!(s.seen[m.id] & 2)) {
          s.seen[m.id] |= 2;
          med_sum += p.weight;
          med_max = std::max<int>(med_max, p.weight);
        }
        s.hits.push_back({si, p.weight, true});
      }
    }
    bool combo = false;
    for (const Combo& c : combos_) {
      if ((parts_present >> c.a & 1) && (parts_present >> c.b & 1)) combo = true;
    }
    const bool medical = med_max >= kStrongWeight || med_sum >= kEmergencySum || combo;
    const bool self_harm = self_max >= kStrongWeight || self_sum >= kSelfHarmSum;
    // A message that is both (an overdose with suicidal intent) is a medical emergency
    // first: its finding comes first.
    if (medical) {
      // Combination parts only count as evidence when a combination fired.
      const int min_weight = med_max >= kStrongWeight ? 2 : (combo ? 0 : 1);
      Emit(doc, s, /*medical=*/true, min_weight, CrisisSeverity(request.context),
           kEmergencyMessage, kEmergencySuggestion, out);
    }
    if (self_harm) {
      // A recovery story: still surfaced, at review (policy.h), with its own wording.
      const bool recovery = any_recovery && self_all_historic;
      Emit(doc, s, /*medical=*/false, std::min(self_max, 2),
           recovery ? CrisisRecoverySeverity(request.context) : CrisisSeverity(request.context),
           recovery ? kRecoveryMessage : kSelfHarmMessage,
           recovery ? kRecoverySuggestion : kSelfHarmSuggestion, out);
    }
  }

 private:
  // A match compiled without its start is located by its last byte.
  // The returned id is the index of the lexicon line (several Hyperscan patterns may
  // come from one line).
  Match Located(const Match& hit) const {
    const uint32_t id = pattern_of_[hit.id];
    if (!patterns_[id].located_by_end || hit.to == 0) return Match{id, hit.from, hit.to};
    return Match{id, hit.to - 1, hit.to};
  }

  // A cancel phrase (an idiom, a negation, a name) neutralises the signals that end
  // inside it.
  static bool Cancelled(const Scratch& s, const Match& m) {
    for (const auto& [from, to] : s.cancels) {
      if (from < m.to && m.to <= to) return true;
    }
    return false;
  }

  // The whole text as one sentence, for the text-level anchor test.
  static Sentence AllOf(const Document& doc) {
    Sentence all;
    all.first_token = 0;
    all.last_token = static_cast<uint32_t>(doc.tokens().size());
    return all;
  }

  // One finding per run of consecutive sentences that carry signals of this type with at
  // least `min_weight` (parts carry weight 0).
  void Emit(const Document& doc, Scratch& s, bool medical, int min_weight, Severity severity,
            std::string_view message, std::string_view suggestion,
            std::vector<Finding>* out) const {
    s.sentences.clear();
    for (const Scratch::Hit& h : s.hits) {
      if (h.medical == medical && h.weight >= min_weight) s.sentences.push_back(h.sentence);
    }
    if (s.sentences.empty()) return;
    std::sort(s.sentences.begin(), s.sentences.end());
    s.sentences.erase(std::unique(s.sentences.begin(), s.sentences.end()), s.sentences.end());
    const std::vector<Sentence>& sentences = doc.sentences();
    size_t emitted = 0;
    for (size_t i = 0; i < s.sentences.size();) {
      size_t j = i;
      while (j + 1 < s.sentences.size() && s.sentences[j + 1] == s.sentences[j] + 1) ++j;
      if (emitted + 1 == kMaxFindingsPerType) j = s.sentences.size() - 1;
      Finding f;
      f.kind = Kind::kCrisis;
      f.type = medical ? "medical_emergency" : "self_harm";
      f.start = sentences[s.sentences[i]].begin;
      f.end = sentences[s.sentences[j]].end;
      f.severity = severity;
      f.message = message;
      f.suggestion = suggestion;
      out->push_back(std::move(f));
      ++emitted;
      i = j + 1;
    }
  }

  std::vector<Pattern> patterns_;      // per lexicon line
  std::vector<uint16_t> pattern_of_;   // matcher id -> lexicon line
  std::vector<Combo> combos_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewCrisisStage(const ScreenerOptions&, StageBuilder& b) {
  auto stage = std::make_unique<CrisisStage>();
  RETURN_IF_ERROR(stage->Init(b));
  return stage;
}

}  // namespace carepost::guard
