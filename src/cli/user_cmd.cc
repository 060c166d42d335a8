#include "cli/user_cmd.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/permissions.h"

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
}

int RunUserCommand(const UserCommand& c) {
  if (*c.add) {
    absl::Status s = UserAdd(c.add_options);
    if (!s.ok()) {
      PrintError(s);
      return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
    }
    return 0;
  }
  return 2;
}

}  // namespace carepost::cli
