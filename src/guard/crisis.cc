// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class CrisisStage final : public Stage {
 public:
  std::string_view name() const override { return "crisis"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewCrisisStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<CrisisStage>();
}

}  // namespace carepost::guard
