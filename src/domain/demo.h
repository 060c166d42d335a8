// File: domain/demo.h
//
// The demo organization `carepost serve --dev` loads so a new user has something to
// sign in to: "Riverside Health" with three brands and one account per role.
//
//   ASSIGN_OR_RETURN(std::optional<std::vector<DemoAccount>> made, SeedDemo(users));
//   if (made) { ... show and keep the passwords: they are not stored anywhere else ... }
//   RETURN_IF_ERROR(SeedDemoPlan(users, campaigns, posts, screen, clock.Now()).status());
//
// Passwords are random (never a well-known default, even in development) and are
// returned only when the accounts are created; the caller keeps them.
//
// Thread safety: call once, at start-up.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/campaigns.h"
#include "domain/permissions.h"
#include "domain/posts.h"
#include "domain/users.h"

namespace carepost::domain {

// The demo organization's slug.
inline constexpr char kDemoOrganizationSlug[] = "riverside-health";

struct DemoAccount {
  Role role = Role::kAdmin;
  std::string email;     // "<role>@riverside.example" (underscores become dashes)
  std::string password;  // 20 random characters
  std::string scope;     // "organization" or the brand's name
};

// Creates the demo organization, its brands (Cardiology, Oncology, Children's
// Hospital) and one user per role (the author is an author for Cardiology only; every
// other role is organization-wide). Returns nullopt when the demo organization exists
// already (nothing is changed).
[[nodiscard]] absl::StatusOr<std::optional<std::vector<DemoAccount>>> SeedDemo(
    UserService& users);

// Screens a post's texts (the guard lives above the domain; the server passes it in).
using ScreenContent = std::function<GuardReport(const PostContent&)>;

// Plans the demo organization's calendar, once (nothing happens when it has campaigns
// already): a seasonal flu-shot campaign with posts over the coming two weeks and a
// Heart Month campaign for the next February, written by the Cardiology author and
// taken through review by the demo reviewers, so posts are in every state (draft,
// in_review for a manager and for the clinical reviewer, approved, scheduled). Times
// are 9:00-ish America/New_York, relative to `now`. Returns how many posts it made.
[[nodiscard]] absl::StatusOr<int> SeedDemoPlan(UserService& users, CampaignService& campaigns,
                                               PostService& posts, const ScreenContent& screen,
                                               absl::Time now);

}  // namespace carepost::domain
