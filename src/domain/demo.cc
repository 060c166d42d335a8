#include "domain/demo.h"

#include "absl/time/civil_time.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

// 20 characters from an alphabet without look-alikes (about 115 bits).
std::string RandomPassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  constexpr size_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  while (out.size() < 20) {
    for (unsigned char b : internal::RandomBytes(32)) {
      // Rejection sampling keeps every character equally likely.
      if (b < 256 - (256 % kSize) && out.size() < 20) out.push_back(kAlphabet[b % kSize]);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::optional<std::vector<DemoAccount>>> SeedDemo(UserService& users) {
  if (users.FindOrganization(kDemoOrganizationSlug).ok()) {
    return std::optional<std::vector<DemoAccount>>();
  }
  const Actor actor{.name = "system", .from_address = "demo"};
  ASSIGN_OR_RETURN(int64_t org,
                   users.CreateOrganization(actor, "Riverside Health", kDemoOrganizationSlug));
  ASSIGN_OR_RETURN(int64_t cardiology, users.CreateBrand(actor, org, "Cardiology", "cardiology"));
  RETURN_IF_ERROR(users.CreateBrand(actor, org, "Oncology", "oncology").status());
  RETURN_IF_ERROR(
      users.CreateBrand(actor, org, "Children's Hospital", "childrens-hospital").status());

  std::vector<DemoAccount> accounts;
  for (Role role : AllRoles()) {
    DemoAccount a{.role = role, .password = RandomPassword(), .scope = "organization"};
    std::string local(RoleName(role));
    for (char& c : local) {
      if (c == '_') c = '-';
    }
    a.email = core::Cat(local, "@riverside.example");
    std::string display(RoleName(role));
    display[0] = static_cast<char>(display[0] - 'a' + 'A');
    for (char& c : display) {
      if (c == '_') c = ' ';
    }
    ASSIGN_OR_RETURN(int64_t id, users.CreateUser(actor, {.organization_id = org,
                                                          .email = a.email,
                                                          .display_name = "Demo " + display,
                                                          .password = a.password}));
    if (role == Role::kAuthor) {
      RETURN_IF_ERROR(users.GrantRole(actor, id, role, cardiology));
      a.scope = "Cardiology";
    } else {
      RETURN_IF_ERROR(users.GrantRole(actor, id, role));
    }
    accounts.push_back(std::move(a));
  }
  return std::optional<std::vector<DemoAccount>>(std::move(accounts));
}

}  // namespace carepost::domain

namespace carepost::domain {

namespace {

// The demo account of `role` as a Caller.
absl::StatusOr<Caller> DemoCaller(UserService& users, int64_t org, std::string_view local) {
  const std::string email = core::Cat(local, "@riverside.example");
  ASSIGN_OR_RETURN(User u, users.FindUserByEmail(email));
  ASSIGN_OR_RETURN(Grants g, users.GetGrants(u.id));
  return Caller{.actor = {.user_id = u.id, .name = email, .from_address = "demo"},
                .organization_id = org,
                .grants = std::move(g)};
}

struct DemoPost {
  std::string text;
  std::vector<Variant> variants;
  absl::Duration in;  // from the start of the campaign's first day
  PostStatus status;  // how far to take it
};

}  // namespace

absl::StatusOr<int> SeedDemoPlan(UserService& users, CampaignService& campaigns, PostService& posts,
                                 const ScreenContent& screen, absl::Time now) {
  ASSIGN_OR_RETURN(int64_t org, users.FindOrganization(kDemoOrganizationSlug));
  ASSIGN_OR_RETURN(int64_t cardiology, users.FindBrand(org, "cardiology"));
  ASSIGN_OR_RETURN(Caller manager, DemoCaller(users, org, "manager"));
  ASSIGN_OR_RETURN(Caller author, DemoCaller(users, org, "author"));
  ASSIGN_OR_RETURN(Caller clinical, DemoCaller(users, org, "clinical-reviewer"));
  ASSIGN_OR_RETURN(Caller compliance, DemoCaller(users, org, "compliance"));
  ASSIGN_OR_RETURN(std::vector<Campaign> existing, campaigns.List(manager, {.limit = 1}));
  if (!existing.empty()) return 0;

  const absl::TimeZone ny = [] {
    absl::TimeZone z;
    return absl::LoadTimeZone("America/New_York", &z) ? z : absl::UTCTimeZone();
  }();
  const absl::CivilDay today = absl::ToCivilDay(now, ny);
  const absl::CivilDay flu_start = today + 1;
  const absl::CivilYear heart_year(absl::ToCivilYear(now, ny).year() +
                                   (today.month() >= 2 ? 1 : 0));
  const absl::CivilDay heart_start(heart_year.year(), 2, 1);
  const auto day_text = [](absl::CivilDay d) {
    return absl::FormatCivilTime(d);  // YYYY-MM-DD
  };
  ASSIGN_OR_RETURN(int64_t flu,
                   campaigns.Create(manager, {.brand_id = cardiology,
                                              .name = "Flu shots for heart patients",
                                              .type = CampaignType::kSeasonal,
                                              .goal = "2,000 flu shots for cardiology patients",
                                              .start_date = day_text(flu_start),
                                              .end_date = day_text(flu_start + 30),
                                              .tags = {"flu", "vaccines"},
                                              .observance_key = "nivw"}));
  ASSIGN_OR_RETURN(int64_t heart,
                   campaigns.Create(manager, {.brand_id = cardiology,
                                              .name = "Heart Month",
                                              .type = CampaignType::kAwareness,
                                              .goal = "Blood pressure checks for 500 neighbours",
                                              .start_date = day_text(heart_start),
                                              .end_date = day_text(heart_start + 27),
                                              .tags = {"heart", "blood-pressure"},
                                              .observance_key = "american-heart-month"}));
  const std::vector<std::pair<int64_t, std::vector<DemoPost>>> plan = {
      {flu,
       {{"Flu shots are free for Riverside cardiology patients at every clinic this Saturday, "
         "9 to 3. No appointment needed.",
         {{.platform = "facebook", .link = "https://riverside.example/flu"},
          {.platform = "instagram", .hashtags = {"FluShot", "HeartHealth"}},
          {.platform = "x",
           .text = "Free flu shots for our heart patients this Saturday, 9-3.",
           .link = "https://riverside.example/flu"}},
         absl::Hours(9),
         PostStatus::kScheduled},
        {"Living with heart disease? A yearly flu shot is part of your care plan. Ask us at "
         "your next visit.",
         {{.platform = "facebook"}, {.platform = "bluesky"}},
         absl::Hours(24 * 3 + 9),
         PostStatus::kApproved},
        {"Two weeks after a flu shot, your body builds protection. Get yours before the "
         "holidays.",
         {{.platform = "linkedin", .link = "https://riverside.example/flu"}},
         absl::Hours(24 * 6 + 9),
         PostStatus::kInReview},
        {"Our Saturday flu clinic is back next week. Bring a friend!",
         {{.platform = "threads"}},
         absl::Hours(24 * 8 + 10),
         PostStatus::kInReview},
        {"Reminder: flu shots are still available at our heart clinic.",
         {{.platform = "mastodon"}},
         absl::Hours(24 * 12 + 9),
         PostStatus::kDraft}}},
      {heart,
       {{"February is Heart Month. Know your numbers: free blood pressure checks in the "
         "Riverside lobby every Tuesday.",
         {{.platform = "facebook", .link = "https://riverside.example/heart"},
          {.platform = "instagram", .hashtags = {"HeartMonth"}}},
         absl::Hours(9),
         PostStatus::kScheduled},
        {"Wear red this Friday to support heart health in our community.",
         {{.platform = "x"}, {.platform = "tiktok"}},
         absl::Hours(24 * 6 + 9),
         PostStatus::kDraft}}},
  };
  int made = 0;
  for (const auto& [campaign, list] : plan) {
    const absl::CivilDay first = campaign == flu ? flu_start : heart_start;
    for (const DemoPost& d : list) {
      const PostContent content{.master_text = d.text, .variants = d.variants};
      ASSIGN_OR_RETURN(int64_t id,
                       posts.Create(author, {.brand_id = cardiology,
                                             .campaign_id = campaign,
                                             .content = content,
                                             .guard = screen(content),
                                             .scheduled_at = absl::FromCivil(first, ny) + d.in,
                                             .time_zone = "America/New_York"}));
      ++made;
      if (d.status == PostStatus::kDraft) continue;
      ASSIGN_OR_RETURN(Post p, posts.Submit(author, id));
      if (d.status == PostStatus::kInReview) continue;
      // Whoever the findings call for approves (the guard decides, not this list).
      for (const Caller* reviewer : {&manager, &clinical, &compliance}) {
        if (p.status != PostStatus::kInReview) break;
        absl::StatusOr<Post> approved = posts.Approve(*reviewer, id);
        if (approved.ok()) {
          p = *std::move(approved);
        } else if (approved.status().code() != absl::StatusCode::kPermissionDenied) {
          return approved.status();
        }
      }
      if (d.status == PostStatus::kScheduled && p.status == PostStatus::kApproved &&
          !p.routing.blocked) {
        RETURN_IF_ERROR(posts.Schedule(manager, id).status());
      }
    }
  }
  return made;
}

}  // namespace carepost::domain
