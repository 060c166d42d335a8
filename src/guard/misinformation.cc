// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class MisinformationStage final : public Stage {
 public:
  std::string_view name() const override { return "misinformation"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewMisinformationStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<MisinformationStage>();
}

}  // namespace carepost::guard
