// The patient-confirmation stage: outbound replies (and posts) that confirm someone is
// or was a patient, or add a detail of their care — the mistake behind the OCR
// review-reply settlements (the team reference notes, shared/domain/hipaa-social-media.md, section 4). The fact
// that someone is a patient is itself PHI, even when they said so first.
//
// A sentence confirms care when it has
//   - a `strong` phrase ("we've checked your chart", "you were seen in our ED", "our
//     records show"), or a `reply` phrase in a reply ("thanks for trusting us with your
//     care"); or
//   - a `medium` phrase ("your test results") and no general or how-to cue ("if your
//     ...", "you can view your ..."); or, in a reply,
//   - one person's care `object` ("your stay", "your son's X-ray") together with an
//     `action` ("was read by"), a `sympathy` ("sorry", "glad", "hope") or a `time`
//     ("last week"), and no general cue (a how-to cue only counts without sympathy);
//     or
//   - in a reply, an identifier only a care relationship gives, found by the PHI
//     stage: a medical record or health-plan number, or an account or device number
//     in a sentence that also speaks of care.
// Inbound messages never fire: a patient may talk about their own care.
//
// The phrase lists live in data/patient_confirmation_patterns.txt.
#include <algorithm>
#include <string>

#include "core/status_macros.h"
#include "core/strings.h"
#include "guard/crisis_lexicon.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

constexpr std::string_view kPatternsFile = "patient_confirmation_patterns.txt";
// A pattern line that expands to more literals than this stays a regular expression.
constexpr size_t kMaxLiteralsPerLine = 4096;

constexpr std::string_view kMessage =
    "This text confirms that someone is or was a patient, or adds a detail of their "
    "care (a visit, a record, a result, a treatment, a bill). That fact is PHI even when "
    "the person shared it first; public replies like this led to HIPAA settlements.";
constexpr std::string_view kSuggestion =
    "Acknowledge without confirming, and move the conversation to a private channel. "
    "For example: \"Thank you for sharing this; we'd like to learn more. We can't discuss "
    "anyone's care here to protect their privacy. Please call our Patient Experience "
    "team at [main number] or send us a private message.\" Don't mention visits, dates, "
    "records, results, treatments or bills, and don't name or tag the person.";

enum Cue : uint16_t {
  kStrong = 1 << 0,
  kReplyOnly = 1 << 1,
  kMedium = 1 << 2,
  kObject = 1 << 3,
  kAction = 1 << 4,
  kSympathy = 1 << 5,
  kTime = 1 << 6,
  kGeneral = 1 << 7,
  kInstruction = 1 << 8,
};
constexpr uint16_t kCareCues = kStrong | kReplyOnly | kMedium | kObject | kAction | kSympathy | kTime;

struct Scratch {
  std::vector<uint16_t> cues;  // per sentence
  std::vector<uint32_t> firing;
};

// PHI types that only a care relationship gives a hospital: stating them in a reply
// confirms the relationship. Medical record and health-plan numbers do on their own;
// account and device numbers when the sentence also speaks of care (any cue below).
enum class CareId : uint8_t { kNone, kAlone, kWithCue };
CareId CareIdentifier(std::string_view phi_type) {
  if (phi_type == "MRN" || phi_type == "HEALTH_PLAN") return CareId::kAlone;
  if (phi_type == "ACCOUNT" || phi_type == "DEVICE") return CareId::kWithCue;
  return CareId::kNone;
}

class PatientConfirmationStage final : public Stage {
 public:
  std::string_view name() const override { return "patient_confirmation"; }

  absl::Status Init(StageBuilder& b) {
    ASSIGN_OR_RETURN(std::string_view text, LexiconFile(kPatternsFile));
    ASSIGN_OR_RETURN(std::vector<LexiconLine> lines, ParseLexicon(kPatternsFile, text));
    static constexpr std::pair<std::string_view, Cue> kTags[] = {
        {"strong", kStrong},   {"reply", kReplyOnly},   {"medium", kMedium},
        {"object", kObject},   {"action", kAction},     {"sympathy", kSympathy},
        {"time", kTime},       {"general", kGeneral},       {"instruction", kInstruction},
    };
    std::vector<std::string> literals, regexes;
    for (const LexiconLine& l : lines) {
      uint16_t cue = 0;
      for (const auto& [tag, c] : kTags) {
        if (l.tag == tag) cue = c;
      }
      if (cue == 0) {
        return absl::InvalidArgumentError(
            core::Cat(kPatternsFile, " line ", l.line, ": unknown tag '", l.tag, "'"));
      }
      // Only the sentence of a match matters: place it by its end, which is much
      // cheaper to scan than tracking where it starts. Phrase lists become exact
      // literals (Hyperscan's fast path); only what needs wildcards stays a regex.
      literals.clear();
      regexes.clear();
      SplitIntoLiterals(l.rest, kMaxLiteralsPerLine, &literals, &regexes);
      for (const std::string& lit : literals) {
        if (b.AddLiteral(lit, kLiteralRegexBoundary) != cue_of_.size()) {
          return absl::InternalError("patient_confirmation: pattern ids are not sequential");
        }
        cue_of_.push_back(cue);
      }
      for (const std::string& re : regexes) {
        if (b.Add(re, kPatternNoStart) != cue_of_.size()) {
          return absl::InternalError("patient_confirmation: pattern ids are not sequential");
        }
        cue_of_.push_back(cue);
      }
    }
    return absl::OkStatus();
  }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound) return;
    const bool reply = request.context == Context::kReply;
    const std::vector<Sentence>& sentences = doc.sentences();
    if (sentences.empty()) return;
    bool care_identifier = false;
    if (reply) {
      for (const Finding& f : *out) {
        if (f.kind == Kind::kPhi && CareIdentifier(f.type) != CareId::kNone) {
          care_identifier = true;
        }
      }
    }
    if (hits.empty() && !care_identifier) return;

    thread_local Scratch scratch;
    Scratch& s = scratch;
    s.cues.assign(sentences.size(), 0);
    for (const Match& m : hits) {
      if (m.to > 0) s.cues[doc.SentenceAt(m.to - 1)] |= cue_of_[m.id];
    }
    s.firing.clear();
    for (uint32_t i = 0; i < sentences.size(); ++i) {
      const uint16_t c = s.cues[i];
      const bool general = c & kGeneral;
      const bool instruction = c & kInstruction;
      bool fires = (c & kStrong) || (reply && (c & kReplyOnly)) ||
                   ((c & kMedium) && !general && !instruction);
      if (reply && !general && (!instruction || (c & kSympathy)) && (c & kObject) &&
          (c & (kAction | kSympathy | kTime))) {
        fires = true;
      }
      if (fires) s.firing.push_back(i);
    }
    if (care_identifier) {
      const size_t before = s.firing.size();
      for (const Finding& f : *out) {
        const CareId id = f.kind == Kind::kPhi ? CareIdentifier(f.type) : CareId::kNone;
        if (id == CareId::kNone) continue;
        for (uint32_t i = 0; i < sentences.size(); ++i) {
          if (sentences[i].begin <= f.start && f.start < std::max(sentences[i].end,
                                                                   sentences[i].begin + 1)) {
            if (id == CareId::kAlone || (s.cues[i] & kCareCues)) s.firing.push_back(i);
            break;
          }
        }
      }
      if (s.firing.size() != before) {
        std::sort(s.firing.begin(), s.firing.end());
        s.firing.erase(std::unique(s.firing.begin(), s.firing.end()), s.firing.end());
      }
    }
    // One finding per run of consecutive confirming sentences.
    for (size_t i = 0; i < s.firing.size();) {
      size_t j = i;
      while (j + 1 < s.firing.size() && s.firing[j + 1] == s.firing[j] + 1) ++j;
      Finding f;
      f.kind = Kind::kPatientConfirmation;
      f.type = "reply";
      f.start = sentences[s.firing[i]].begin;
      f.end = sentences[s.firing[j]].end;
      f.severity = PatientConfirmationSeverity(request.context);
      f.message = kMessage;
      f.suggestion = kSuggestion;
      out->push_back(std::move(f));
      i = j + 1;
    }
  }

 private:
  std::vector<uint16_t> cue_of_;  // pattern id -> cue bit
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPatientConfirmationStage(const ScreenerOptions&,
                                                                   StageBuilder& b) {
  auto stage = std::make_unique<PatientConfirmationStage>();
  RETURN_IF_ERROR(stage->Init(b));
  return stage;
}

}  // namespace carepost::guard
