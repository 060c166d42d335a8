// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class AlarmistStage final : public Stage {
 public:
  std::string_view name() const override { return "alarmist"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewAlarmistStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<AlarmistStage>();
}

}  // namespace carepost::guard
