// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class PhiStage final : public Stage {
 public:
  std::string_view name() const override { return "phi"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPhiStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<PhiStage>();
}

}  // namespace carepost::guard
