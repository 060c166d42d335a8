// File: guard/policy.h
//
// Severity by kind and context: the one table every stage uses (see the contract in
// docs/findings.md). Keep it here so the CLI, the API and the approval routing agree.
#pragma once

#include "guard/finding.h"

namespace carepost::guard {

// PHI blocks what the organization sends; in inbound text (a patient exposing their
// own details) it is triaged, not refused.
inline Severity PhiSeverity(Context c) {
  return c == Context::kInbound ? Severity::kReview : Severity::kBlock;
}
// A link to a site that is neither the organization's own nor a known public one, and
// whose address does not point to a person (a profile, a fundraiser, a portal record):
// someone checks it, but it does not stop the post.
inline Severity OtherLinkSeverity(Context) { return Severity::kReview; }
// A reply (or post) that confirms someone is a patient.
inline Severity PatientConfirmationSeverity(Context) { return Severity::kBlock; }
// A knowledge-base match blocks outbound text; a classifier-only hit asks for review.
inline Severity MisinformationSeverity(Context c, bool knowledge_base) {
  if (!knowledge_base) return Severity::kReview;
  return c == Context::kInbound ? Severity::kReview : Severity::kBlock;
}
inline Severity CrisisSeverity(Context c) {
  return c == Context::kInbound ? Severity::kBlock : Severity::kReview;
}
// Self-harm told only as a recovery story ("I used to want to die, now I'm doing
// better"): a person still reads it, but it does not page the crisis responder.
inline Severity CrisisRecoverySeverity(Context) { return Severity::kReview; }
// The platform refuses a post or reply past its limits, so both block; inbound text
// is never checked.
inline Severity PlatformLimitSeverity(Context c) {
  return c == Context::kInbound ? Severity::kReview : Severity::kBlock;
}
inline Severity AlarmistSeverity(Context) { return Severity::kReview; }
inline Severity MedicalClaimSeverity(Context) { return Severity::kReview; }
// Reading level is advice unless the text is far above the target.
inline Severity ReadingLevelSeverity(double grade, double target) {
  return grade > target + 4.0 ? Severity::kReview : Severity::kInfo;
}

}  // namespace carepost::guard
