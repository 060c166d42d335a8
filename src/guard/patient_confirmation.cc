// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class PatientConfirmationStage final : public Stage {
 public:
  std::string_view name() const override { return "patient_confirmation"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPatientConfirmationStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<PatientConfirmationStage>();
}

}  // namespace carepost::guard
