#include "cli/user_cmd.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "core/clock.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/permissions.h"
#include "domain/sessions.h"

namespace carepost::cli {

namespace {

std::string RoleList() {
  std::string out;
  for (domain::Role r : domain::AllRoles()) {
    if (!out.empty()) out += ", ";
    out += domain::RoleName(r);
  }
  return out;
}

void StripNewline(std::string* s) {
  while (!s->empty() && (s->back() == '\n' || s->back() == '\r')) s->pop_back();
}

// Reads one line from the terminal with echo off.
std::string ReadHidden(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  StripNewline(&line);
  return line;
}

absl::StatusOr<std::string> ReadPassword(const std::string& file) {
  std::string password;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return absl::NotFoundError(core::Cat("cannot read password file ", file));
    std::getline(in, password);
    StripNewline(&password);
  } else if (isatty(STDIN_FILENO)) {
    password = ReadHidden("Password: ");
    if (ReadHidden("Repeat password: ") != password) {
      return absl::InvalidArgumentError("the two passwords differ");
    }
  } else {
    std::getline(std::cin, password);
    StripNewline(&password);
  }
  if (password.empty()) return absl::InvalidArgumentError("no password given");
  return password;
}

absl::Status UserAdd(const UserAddOptions& o) {
  const std::optional<domain::Role> role = domain::ParseRole(o.role);
  if (!role.has_value()) {
    return absl::InvalidArgumentError(
        core::Cat("unknown role '", o.role, "'; roles are: ", RoleList()));
  }
  ASSIGN_OR_RETURN(std::string password, ReadPassword(o.password_file));
  ASSIGN_OR_RETURN(DomainEnv env, OpenDomainEnv(o.flags));
  const domain::Actor actor = domain::Actor::Cli();
  absl::StatusOr<int64_t> org = env.users->FindOrganization(o.organization);
  if (org.status().code() == absl::StatusCode::kNotFound) {
    org = env.users->CreateOrganization(actor, o.organization_name, o.organization);
    if (org.ok()) std::printf("created organization '%s'\n", o.organization.c_str());
  }
  RETURN_IF_ERROR(org.status());
  std::optional<int64_t> brand;
  if (!o.brand.empty()) {
    absl::StatusOr<int64_t> b = env.users->FindBrand(*org, o.brand);
    if (b.status().code() == absl::StatusCode::kNotFound) {
      b = env.users->CreateBrand(actor, *org, o.brand, o.brand);
      if (b.ok()) std::printf("created brand '%s'\n", o.brand.c_str());
    }
    RETURN_IF_ERROR(b.status());
    brand = *b;
  }
  ASSIGN_OR_RETURN(int64_t id, env.users->CreateUser(actor, {.organization_id = *org,
                                                             .email = o.email,
                                                             .display_name = o.display_name,
                                                             .password = password}));
  RETURN_IF_ERROR(env.users->GrantRole(actor, id, *role, brand));
  ASSIGN_OR_RETURN(domain::User user, env.users->GetUser(id));
  std::printf("added user %s (id %lld) as %s %s\n", user.email.c_str(),
              static_cast<long long>(id), o.role.c_str(),
              brand.has_value() ? core::Cat("for brand '", o.brand, "'").c_str()
                                : "for the whole organization");
  return absl::OkStatus();
}

absl::Status UserList(const UserManageOptions& o) {
  ASSIGN_OR_RETURN(DomainEnv env, OpenDomainEnv(o.flags));
  ASSIGN_OR_RETURN(int64_t org, env.users->FindOrganization(o.organization));
  ASSIGN_OR_RETURN(domain::Organization organization, env.users->GetOrganization(org));
  std::map<int64_t, std::string> brand_slugs;
  for (const domain::Brand& b : organization.brands) brand_slugs[b.id] = b.slug;
  int64_t after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<domain::User> page, env.users->ListUsers(org, after, 200));
    if (page.empty()) break;
    for (const domain::User& u : page) {
      ASSIGN_OR_RETURN(domain::Grants grants, env.users->GetGrants(u.id));
      std::string roles;
      auto add = [&roles](std::string_view role, std::string_view brand) {
        if (!roles.empty()) roles += ",";
        roles += role;
        if (!brand.empty()) roles += core::Cat("@", brand);
      };
      for (domain::Role r : grants.organization) add(domain::RoleName(r), "");
      for (const auto& [brand, r] : grants.brand) add(domain::RoleName(r), brand_slugs[brand]);
      std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(u.id), u.email.c_str(),
                  u.disabled_at.has_value() ? "disabled" : "active",
                  roles.empty() ? "-" : roles.c_str());
      after = u.id;
    }
  }
  return absl::OkStatus();
}

// Deletes every session of `user_id`, audited; what disable and set-password end with.
absl::StatusOr<int64_t> EndSessions(DomainEnv& env, int64_t user_id) {
  domain::SessionService sessions(*env.db, core::SystemClock::Get(), *env.audit, *env.users,
                                  env.key->Derive(domain::KeyPurpose::kCsrf), {});
  return sessions.RevokeAll(domain::Actor::Cli(), user_id);
}

enum class Change { kSetPassword, kDisable, kEnable };

absl::Status UserChange(const UserManageOptions& o, Change change) {
  std::string password;
  if (change == Change::kSetPassword) {
    ASSIGN_OR_RETURN(password, ReadPassword(o.password_file));
  }
  ASSIGN_OR_RETURN(DomainEnv env, OpenDomainEnv(o.flags));
  ASSIGN_OR_RETURN(domain::User user, env.users->FindUserByEmail(o.email));
  const domain::Actor actor = domain::Actor::Cli();
  if (change == Change::kEnable) {
    RETURN_IF_ERROR(env.users->EnableUser(actor, user.id));
    std::printf("%s enabled\n", user.email.c_str());
    return absl::OkStatus();
  }
  if (change == Change::kSetPassword) {
    RETURN_IF_ERROR(env.users->SetPassword(actor, user.id, password));
  } else {
    RETURN_IF_ERROR(env.users->DisableUser(actor, user.id));
  }
  ASSIGN_OR_RETURN(int64_t ended, EndSessions(env, user.id));
  std::printf(change == Change::kSetPassword ? "password of %s replaced; %lld session(s) ended\n"
                                             : "%s disabled; %lld session(s) ended\n",
              user.email.c_str(), static_cast<long long>(ended));
  return absl::OkStatus();
}

int ExitStatus(const absl::Status& s) {
  if (s.ok()) return 0;
  PrintError(s);
  return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

void AddUserCommand(CLI::App& app, UserCommand* c) {
  c->user = app.add_subcommand("user", "Manage the people who sign in");
  c->user->require_subcommand(1);
  c->add = c->user->add_subcommand("add", "Add a user and grant a role (e.g. the first admin)");
  UserAddOptions& o = c->add_options;
  c->add->add_option("--email", o.email, "sign-in email (stored lower-case)")->required();
  c->add->add_option("--role", o.role, core::Cat("role to grant: ", RoleList()))->required();
  c->add->add_option("--brand", o.brand,
                     "brand slug the role is for (created when missing); default: the whole "
                     "organization");
  c->add->add_option("--name", o.display_name, "display name");
  c->add->add_option("--org", o.organization,
                     "organization slug (default 'default'; created when missing)");
  c->add->add_option("--org-name", o.organization_name,
                     "name of the organization when it is created");
  c->add->add_option("--password-file", o.password_file,
                     "file whose first line is the password; default: read standard input");
  AddDomainFlags(c->add, &o.flags, /*with_key=*/true);

  UserManageOptions& m = c->manage_options;
  c->list = c->user->add_subcommand("list", "List an organization's users and their roles");
  c->list->add_option("--org", m.organization, "organization slug (default 'default')");
  AddDomainFlags(c->list, &m.flags, /*with_key=*/true);
  c->set_password = c->user->add_subcommand(
      "set-password", "Replace a user's password and end their sessions");
  c->set_password->add_option("--password-file", m.password_file,
                              "file whose first line is the password; default: read standard "
                              "input");
  c->disable = c->user->add_subcommand("disable", "Stop a user signing in; ends their sessions");
  c->enable = c->user->add_subcommand("enable", "Let a disabled user sign in again");
  for (CLI::App* sub : {c->set_password, c->disable, c->enable}) {
    sub->add_option("--email", m.email, "the user's sign-in email")->required();
    AddDomainFlags(sub, &m.flags, /*with_key=*/true);
  }
}

int RunUserCommand(const UserCommand& c) {
  if (*c.add) return ExitStatus(UserAdd(c.add_options));
  if (*c.list) return ExitStatus(UserList(c.manage_options));
  if (*c.set_password) return ExitStatus(UserChange(c.manage_options, Change::kSetPassword));
  if (*c.disable) return ExitStatus(UserChange(c.manage_options, Change::kDisable));
  if (*c.enable) return ExitStatus(UserChange(c.manage_options, Change::kEnable));
  return 2;
}

}  // namespace carepost::cli
