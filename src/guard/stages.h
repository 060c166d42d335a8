// File: guard/stages.h
//
// Factories for the Screener's stages, in the order they run. Each registers its
// patterns through `b` and returns the stage, or an error naming the broken data.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "guard/screener.h"
#include "guard/stage.h"

namespace carepost::guard {

absl::StatusOr<std::unique_ptr<Stage>> NewPhiStage(const ScreenerOptions& o, StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewPatientConfirmationStage(const ScreenerOptions& o,
                                                                   StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewMisinformationStage(const ScreenerOptions& o,
                                                              StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewAlarmistStage(const ScreenerOptions& o, StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewMedicalClaimStage(const ScreenerOptions& o,
                                                            StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewReadingLevelStage(const ScreenerOptions& o,
                                                            StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewCrisisStage(const ScreenerOptions& o, StageBuilder& b);
absl::StatusOr<std::unique_ptr<Stage>> NewPlatformLimitStage(const ScreenerOptions& o,
                                                             StageBuilder& b);

}  // namespace carepost::guard
