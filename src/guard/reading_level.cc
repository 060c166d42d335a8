// PLACEHOLDER: replaced by the real stage in this session.
#include "guard/stages.h"

namespace carepost::guard {
namespace {

class ReadingLevelStage final : public Stage {
 public:
  std::string_view name() const override { return "reading_level"; }
  void Screen(const Document&, std::span<const Match>, const ScreenRequest&,
              std::vector<Finding>*) const override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewReadingLevelStage(const ScreenerOptions&, StageBuilder&) {
  return std::make_unique<ReadingLevelStage>();
}

}  // namespace carepost::guard
