#include "domain/demo.h"

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
