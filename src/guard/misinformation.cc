// The misinformation stage: the knowledge base (misinfo_kb.h) first, then, for a text
// the knowledge base says nothing about, the statistical classifier (misinfo_model.h).
#include <algorithm>
#include <optional>

#include "core/strings.h"
#include "guard/embedded_data.h"
#include "guard/misinfo_features.h"
#include "guard/misinfo_kb.h"
#include "guard/misinfo_model.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

constexpr std::string_view kKbFile = "misinfo_kb.toml";
constexpr std::string_view kModelFile = "misinfo_model.bin";

// Words that make a text about health (diseases, treatments, substances, the body),
// as opposed to an organisation's own news (careers, events, awards). An outbound post
// must mention one before the classifier is consulted; see docs/misinfo-classifier.md.
constexpr std::string_view kHealthTopicTerms[] = {
    "covid*", "corona*", "virus*", "viral", "vaccin*", "vax*", "jab*", "pandemic*",
    "epidemic*", "outbreak*", "infect*", "disease*", "cure", "cures", "cured", "curing",
    "remed*", "treat*", "medicin*", "medication*", "drug*", "pill*", "sars", "flu",
    "influenza", "pneumonia", "immun*", "antibod*", "symptom*", "mask*", "lockdown*",
    "quarantin*", "cancer*", "tumor*", "tumour*", "chemo*", "death*", "died", "kill*",
    "herb*", "detox*", "toxin*", "toxic", "poison*", "vitamin*", "supplement*", "autism",
    "5g", "ivermectin", "hydroxychloroquine", "bleach", "garlic", "antibiotic*", "fluorid*",
    "diabet*", "insulin", "heart attack*", "stroke*", "steroid*", "dose*", "pharma*",
    "hiv", "aids", "measles", "polio", "ebola", "mpox", "monkeypox", "abortion*",
    "contracept*", "miscarr*", "infertil*", "steril*", "depress*", "anxiety", "ozone",
    "essential oil*", "colloidal silver", "miracle", "immune",
};

class MisinformationStage final : public Stage {
 public:
  std::string_view name() const override { return "misinformation"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    thread_local std::vector<KbHit> kb_hits;
    kb_hits.clear();
    kb_->Match(doc, hits, &kb_hits);
    const auto& sentences = doc.sentences();
    for (const KbHit& h : kb_hits) {
      const KbClaim& c = kb_->claims()[h.claim];
      Finding f;
      f.kind = Kind::kMisinformation;
      f.type = c.id;
      f.start = sentences[h.sentence].begin;
      f.end = sentences[h.sentence].end;
      f.severity = MisinformationSeverity(request.context, true);
      f.message = core::Cat("This sentence repeats a known false health claim: \"", c.claim,
                            "\"");
      f.suggestion = kb_suggestion_;
      f.rebuttal = c.rebuttal;
      f.sources = c.sources;
      out->push_back(std::move(f));
    }
    if (!kb_hits.empty() || !model_.has_value() || doc.tokens().empty()) return;
    if (request.context != Context::kInbound && !MentionsHealthTopic(hits)) return;
    thread_local std::vector<uint32_t> features;
    featurizer_.Extract(doc, &features);
    if (model_->Score(features) <= model_->threshold()) return;
    Finding f;
    f.kind = Kind::kMisinformation;
    f.type = "classifier";
    f.start = 0;
    f.end = static_cast<uint32_t>(doc.text().size());
    f.severity = MisinformationSeverity(request.context, false);
    f.message =
        "A statistical model thinks this text resembles known health misinformation; no "
        "specific claim from the knowledge base was recognised.";
    f.suggestion =
        "Check the health claims in this text against a trusted source (CDC, WHO, NIH) "
        "before publishing or answering it.";
    out->push_back(std::move(f));
  }

  absl::Status Init(const ScreenerOptions& options, StageBuilder& builder) {
    const std::string_view kb_text = EmbeddedFile(kKbFile);
    if (kb_text.empty()) {
      return absl::InternalError(core::Cat("misinformation: embedded ", kKbFile, " is missing"));
    }
    auto kb = MisinfoKb::Load(kb_text, builder);
    if (!kb.ok()) return kb.status();
    kb_ = std::move(*kb);
    for (std::string_view term : kHealthTopicTerms) {
      std::string re = "\\b";
      std::string_view w = term;
      const bool prefix = w.back() == '*';
      if (prefix) w.remove_suffix(1);
      for (char c : w) re += c == ' ' ? std::string_view("[^a-z0-9]+") : std::string_view(&c, 1);
      if (prefix) re += "[a-z0-9]*";
      re += "\\b";
      const uint32_t id = builder.Add(re, kPatternSingleMatch);
      if (gate_end_ == 0) gate_begin_ = id;
      gate_end_ = id + 1;
    }
    if (options.misinfo_classifier) {
      auto model = MisinfoModel::Parse(EmbeddedFile(kModelFile));
      if (!model.ok()) return model.status();
      model_ = std::move(*model);
      featurizer_ = MisinfoFeaturizer(model_->feature_options());
    }
    return absl::OkStatus();
  }

 private:
  bool MentionsHealthTopic(std::span<const Match> hits) const {
    return std::any_of(hits.begin(), hits.end(), [&](const Match& m) {
      return m.id >= gate_begin_ && m.id < gate_end_;
    });
  }

  std::unique_ptr<const MisinfoKb> kb_;
  std::optional<MisinfoModel> model_;
  MisinfoFeaturizer featurizer_;
  uint32_t gate_begin_ = 0, gate_end_ = 0;
  const std::string kb_suggestion_ =
      "Do not publish or repeat the claim (not even in a headline). In a reply, answer with "
      "the rebuttal and a source.";
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewMisinformationStage(const ScreenerOptions& options,
                                                              StageBuilder& builder) {
  auto stage = std::make_unique<MisinformationStage>();
  if (absl::Status s = stage->Init(options, builder); !s.ok()) return s;
  return std::unique_ptr<Stage>(std::move(stage));
}

}  // namespace carepost::guard
