// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class MedicalClaimStage final : public Stage {
 public:
  std::string_view name() const override { return "medical_claim"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewMedicalClaimStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<MedicalClaimStage>();
}

}  // namespace carepost::guard
