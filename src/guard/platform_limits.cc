// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class PlatformLimitStage final : public Stage {
 public:
  std::string_view name() const override { return "platform_limits"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPlatformLimitStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<PlatformLimitStage>();
}

}  // namespace carepost::guard
