// File: domain/patient_authorizations.h
//
// Patient HIPAA authorizations: a patient's signed permission for the organization to
// tell their story. A compliance officer records one per patient and brand — who the
// patient is (name, and the other details the story may show: aliases, hometown,
// condition, ... as free strings), what it covers (scope), which uploaded media show
// the patient, when it expires, and the signed form — and may revoke it with a reason.
//
//   ASSIGN_OR_RETURN(int64_t id, authorizations.Record(compliance, {
//       .brand_id = 3, .patient_name = "Maria Lopez", .details = {"Springfield"},
//       .scope = "Her heart surgery story, 2026 campaign", .media_ids = {12},
//       .expires_at = absl::FromCivil(absl::CivilDay(2027, 6, 30), absl::UTCTimeZone())}));
//   RETURN_IF_ERROR(authorizations.AttachForm(compliance, id, pdf_bytes).status());
//
// An authorization is VALID while it has its signed form, is not revoked and has not
// expired (AuthorizationStatus). A post names the authorizations it relies on
// (PostContent::authorization_ids); the screening caller builds an AuthorizationCover
// from the valid ones (CoverFor) and downgrades the guard's PHI findings that name a
// covered detail from block to review, which routes the post to compliance instead of
// blocking it (GuardFinding::authorization_id marks them). When an authorization is
// revoked, or its expiry passes (ExpireDue, run periodically by the server; scheduling
// checks it too), every open post whose current revision relied on it gets a new
// revision with the block restored, goes back to in_review when it was approved or
// scheduled, and its author is notified (PostService::WithdrawAuthorizationInTx).
//
// PHI at rest: the patient's name, the details, the scope and the revocation reason are
// sealed together with SecretBox (a key of their own, KeyPurpose::kPatientData); the
// signed form is sealed too and kept in the MediaStore under the hash of the sealed
// bytes. In the clear are only the brand, the expiry instant (the sweep queries it;
// without the sealed part it identifies nobody), the form's type and size, and who did
// what when. Audit details, notifications and error messages carry ids and counts,
// never the sealed fields.
//
// Authorization: recording, attaching the form, reading the form and revoking need
// authorizations.manage for the brand (compliance); reading the list and one record
// (names included, so an author can pick the right one) authorizations.read. An
// authorization of a brand the caller may not read is "not found".
//
// Thread safety: AuthorizationService and AuthorizationCover (once built) are safe for
// concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/media_store.h"
#include "domain/posts.h"
#include "domain/secrets.h"
#include "store/database.h"

namespace carepost::domain {

inline constexpr size_t kMaxAuthorizationDetails = 20;
inline constexpr size_t kMaxAuthorizationMedia = 20;
inline constexpr size_t kMaxFormBytes = 20'000'000;

struct NewAuthorization {
  int64_t brand_id = 0;
  std::string patient_name;          // 1 to 200 bytes, one line
  std::vector<std::string> details;  // each 1 to 200 bytes, one line; at most 20
  std::string scope;                 // what it covers: 1 to 4000 bytes
  std::vector<int64_t> media_ids;    // media of the brand showing the patient; at most 20
  absl::Time expires_at;             // must lie in the future
};

enum class AuthorizationStatus { kPendingForm, kValid, kExpired, kRevoked };
// "pending_form", "valid", "expired", "revoked"
std::string_view AuthorizationStatusName(AuthorizationStatus status);

struct AuthorizationForm {
  std::string content_type;  // sniffed: application/pdf, image/jpeg, image/png
  int64_t bytes = 0;         // of the form as uploaded (after metadata stripping)
  absl::Time uploaded_at;
};

struct PatientAuthorization {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::string patient_name;
  std::vector<std::string> details;
  std::string scope;
  std::vector<int64_t> media_ids;
  absl::Time expires_at;
  std::optional<AuthorizationForm> form;
  std::optional<int64_t> recorded_by;
  absl::Time created_at;
  std::optional<absl::Time> revoked_at;
  std::optional<int64_t> revoked_by;
  std::string revoke_reason;

  // Revoked wins over expired, expired over a missing form.
  AuthorizationStatus StatusAt(absl::Time now) const;
};

struct AuthorizationQuery {
  std::optional<int64_t> brand_id;
  bool valid_only = false;  // only those valid now
  int64_t after_id = 0;
  int64_t limit = 50;
};

// The signed form's bytes as uploaded.
struct AuthorizationFormContent {
  std::string content_type;
  std::string bytes;
};

// The signed form's type by its content: "application/pdf" (starts with %PDF-1. or
// %PDF-2., ends with %%EOF), "image/jpeg" or "image/png" (a scan); InvalidArgument
// ("form: ...") for anything else.
[[nodiscard]] absl::StatusOr<std::string> SniffAuthorizationForm(std::string_view bytes);

// Which valid authorization, if any, covers a PHI finding.
struct CoverMatch {
  int64_t authorization_id = 0;
  absl::Time expires_at;
};

// A matcher over the details of valid authorizations: does a PHI finding's text name
// one of them? Tolerant of case (ASCII), punctuation and runs of spaces, a possessive
// ("Maria Lopez's", "Lopez'"), a courtesy title before a name ("Ms. Lopez"), and part
// of a detail (the finding "Maria" is covered by the name "Maria Lopez"). Text in an
// image's alt text is covered only by an authorization that covers that media.
class AuthorizationCover {
 public:
  // REQUIRES: `a` is valid (the caller checked it).
  void Add(const PatientAuthorization& a);
  bool empty() const { return entries_.empty(); }

  // The first added authorization covering `span`; `media_id` is set when the span is
  // in the alt text of that media.
  std::optional<CoverMatch> Match(std::string_view span,
                                  std::optional<int64_t> media_id = std::nullopt) const;

 private:
  struct Entry {
    CoverMatch match;
    std::vector<std::vector<std::string>> terms;  // normalized words of each detail
    std::vector<int64_t> media_ids;
  };
  std::vector<Entry> entries_;
};

// The words a detail or a finding's text is compared by (see AuthorizationCover).
std::vector<std::string> CoverWords(std::string_view text);

// Undoes the downgrade of the findings that relied on `authorization_id` in a revision's
// findings JSON (the http layer keeps each downgraded finding's original severity and
// message under "authorization"); verdicts are recomputed. Text that is not such JSON
// comes back unchanged.
std::string RestoreFindingsJson(std::string_view findings_json, int64_t authorization_id);

class AuthorizationService {
 public:
  // Everything passed in must outlive the service. `box` seals the PHI (a key derived
  // for KeyPurpose::kPatientData); `posts` pulls back the posts that relied on an
  // authorization that stops being valid.
  AuthorizationService(store::Database& db, core::Clock& clock, AuditLog& audit, MediaStore& blobs,
                       const SecretBox& box, PostService& posts);

  // Records an authorization (authorizations.manage for the brand), pending until its
  // form is attached. InvalidArgument naming the field.
  [[nodiscard]] absl::StatusOr<int64_t> Record(const Caller& caller, const NewAuthorization& a);
  // Attaches the signed form: PDF, JPEG or PNG, by content (images lose their
  // metadata). InvalidArgument for another type, OutOfRange over kMaxFormBytes,
  // FailedPrecondition for a revoked authorization or one that has its form already (a
  // signed form is retained as signed, never replaced: record a new authorization).
  [[nodiscard]] absl::StatusOr<PatientAuthorization> AttachForm(const Caller& caller, int64_t id,
                                                                std::string_view bytes);
  // The signed form (authorizations.manage); each reading is audited. NotFound when
  // none was attached.
  [[nodiscard]] absl::StatusOr<AuthorizationFormContent> Form(const Caller& caller, int64_t id);
  // NotFound when there is none the caller may read (authorizations.read).
  [[nodiscard]] absl::StatusOr<PatientAuthorization> Get(const Caller& caller, int64_t id);
  // The authorizations of the brands the caller may read, by id.
  [[nodiscard]] absl::StatusOr<std::vector<PatientAuthorization>> List(
      const Caller& caller, const AuthorizationQuery& query);
  // Revokes with a reason (1 to 2000 bytes; sealed, not audited) and pulls back the posts
  // that relied on it. FailedPrecondition when revoked already.
  [[nodiscard]] absl::StatusOr<PatientAuthorization> Revoke(const Caller& caller, int64_t id,
                                                            std::string_view reason);

  // What a post of `brand_id` that names `ids` may rely on: the cover of those that are
  // valid now. InvalidArgument ("authorization_ids: ...") for an id that is not an
  // authorization of that brand the caller may read.
  [[nodiscard]] absl::StatusOr<AuthorizationCover> CoverFor(const Caller& caller, int64_t brand_id,
                                                            const std::vector<int64_t>& ids);

  // Processes every authorization whose expiry has passed since the last sweep: pulls
  // back the posts that relied on it, audited as authorization.expire by "system".
  // Returns how many authorizations expired. Safe to run from several nodes at once.
  [[nodiscard]] absl::StatusOr<int> ExpireDue();

 private:
  absl::StatusOr<PatientAuthorization> ReadVisible(store::Executor& db, const Caller& caller,
                                                   int64_t id, std::string_view action);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  MediaStore& blobs_;
  const SecretBox& box_;
  PostService& posts_;
};

// For PostService: InvalidArgument naming the id unless every id is an authorization
// of `brand_id` in `organization_id`; at most kMaxPostAuthorizations, each once.
inline constexpr size_t kMaxPostAuthorizations = 5;
[[nodiscard]] absl::Status CheckAuthorizationIds(const std::vector<int64_t>& ids);
[[nodiscard]] absl::Status CheckAuthorizationsOfBrand(store::Executor& db,
                                                      const std::vector<int64_t>& ids,
                                                      int64_t organization_id, int64_t brand_id);

}  // namespace carepost::domain
