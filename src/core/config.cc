#include "core/config.h"

#include <arpa/inet.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "core/status_macros.h"
#include "core/strings.h"

extern char** environ;

namespace carepost::core {
namespace {

// A setting's value; which member is meaningful depends on the SettingType. (Not a
// std::variant: GCC 12 warns maybe-uninitialized on it under the sanitizers.)
struct Value {
  std::string text;
  bool flag = false;
  std::vector<std::string> list;
};
Value Text(std::string s) { return Value{.text = std::move(s)}; }
Value Flag(bool b) { return Value{.flag = b}; }
Value List(std::vector<std::string> l) { return Value{.list = std::move(l)}; }

const SettingSpec* FindSpec(std::string_view name) {
  for (const SettingSpec& s : Settings()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string KnownList() {
  std::string out;
  for (const SettingSpec& s : Settings()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Parses a value written as text (environment, flag, default).
absl::StatusOr<Value> ParseText(const SettingSpec& spec, std::string_view text,
                                std::string_view where) {
  switch (spec.type) {
    case SettingType::kString:
      return Text(std::string(text));
    case SettingType::kBool: {
      const std::string t = Trim(text);
      if (t == "true" || t == "1" || t == "yes" || t == "on") return Flag(true);
      if (t == "false" || t == "0" || t == "no" || t == "off" || t.empty()) return Flag(false);
      return absl::InvalidArgumentError(
          Cat(where, ": setting '", spec.name, "' must be true or false"));
    }
    case SettingType::kStringList: {
      std::vector<std::string> items;
      size_t start = 0;
      while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::string item = Trim(text.substr(start, comma - start));
        if (!item.empty()) items.push_back(std::move(item));
        start = comma + 1;
      }
      return List(std::move(items));
    }
  }
  return absl::InternalError("unknown setting type");
}

absl::StatusOr<Value> FromToml(const SettingSpec& spec, const toml::node& node,
                               std::string_view where) {
  switch (spec.type) {
    case SettingType::kString:
      if (const auto* s = node.as_string()) return Text(s->get());
      return absl::InvalidArgumentError(
          Cat(where, ": setting '", spec.name, "' must be a string (in double quotes)"));
    case SettingType::kBool:
      if (const auto* b = node.as_boolean()) return Flag(b->get());
      return absl::InvalidArgumentError(
          Cat(where, ": setting '", spec.name, "' must be true or false"));
    case SettingType::kStringList: {
      const toml::array* arr = node.as_array();
      if (arr == nullptr) {
        return absl::InvalidArgumentError(Cat(where, ": setting '", spec.name,
                                              "' must be a list of strings, e.g. [\"10.0.0.1\"]"));
      }
      std::vector<std::string> items;
      for (const toml::node& item : *arr) {
        const auto* s = item.as_string();
        if (s == nullptr) {
          return absl::InvalidArgumentError(
              Cat(where, ": setting '", spec.name, "' must be a list of strings"));
        }
        items.push_back(s->get());
      }
      return List(std::move(items));
    }
  }
  return absl::InternalError("unknown setting type");
}

bool ValidIp(const std::string& s, int* max_prefix) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    *max_prefix = 32;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    *max_prefix = 128;
    return true;
  }
  return false;
}

bool ValidProxy(const std::string& entry) {
  const size_t slash = entry.find('/');
  int max_prefix = 0;
  if (!ValidIp(entry.substr(0, slash), &max_prefix)) return false;
  if (slash == std::string::npos) return true;
  const std::string prefix = entry.substr(slash + 1);
  if (prefix.empty() || prefix.size() > 3) return false;
  for (char c : prefix) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return std::stoi(prefix) <= max_prefix;
}

// Checks a value and stores it in `config`.
absl::Status Apply(const SettingSpec& spec, const Value& value, std::string_view where,
                   Config* config) {
  auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(Cat(where, ": setting '", spec.name, "' ", what));
  };
  const std::string_view name = spec.name;
  if (name == "listen") {
    const std::string& v = value.text;
    const size_t colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) {
      return bad("must be HOST:PORT, e.g. 127.0.0.1:8080");
    }
    const std::string port = v.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits || std::stoi(port) > 65535) {
      return bad("must end in a port number 0-65535, e.g. 127.0.0.1:8080");
    }
    config->listen = v;
  } else if (name == "data_dir") {
    const std::string& v = value.text;
    if (v.empty()) return bad("must not be empty");
    config->data_dir = v;
  } else if (name == "db") {
    config->db = value.text;
  } else if (name == "secret_key_file") {
    config->secret_key_file = value.text;
  } else if (name == "secret_key") {
    config->secret_key = value.text;
  } else if (name == "public_url") {
    const std::string& v = value.text;
    if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
      return bad("must start with http:// or https://");
    }
    config->public_url = v;
  } else if (name == "dev") {
    config->dev = value.flag;
  } else if (name == "trusted_proxies") {
    const std::vector<std::string>& v = value.list;
    for (const std::string& p : v) {
      if (!ValidProxy(p)) {
        return bad(Cat("has '", p, "', which is not an IP address or CIDR range (10.0.0.0/8)"));
      }
    }
    config->trusted_proxies = v;
  } else if (name == "log_level") {
    const std::string& v = value.text;
    if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error" && v != "off") {
      return bad("must be one of trace, debug, info, warn, error, off");
    }
    config->log_level = v;
  } else if (name == "metrics_token") {
    const std::string& v = value.text;
    if (!v.empty() && v.size() < 16) return bad("must be at least 16 characters, or empty");
    config->metrics_token = v;
  } else if (name == "max_upload_mb") {
    const std::string& v = value.text;
    int64_t mb = 0;
    if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos ||
        (mb = std::stoll(v)) < 1 || mb > 10000) {
      return bad("must be a whole number of megabytes from 1 to 10000");
    }
    config->max_upload_mb = mb;
  } else {
    return absl::InternalError(Cat("setting '", name, "' has no field in Config"));
  }
  return absl::OkStatus();
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

const std::vector<SettingSpec>& Settings() {
  static const auto* kSettings = new std::vector<SettingSpec>{
      {"listen", SettingType::kString, "127.0.0.1:8080", "HOST:PORT the HTTP server listens on.",
       false},
      {"data_dir", SettingType::kString, "carepost-data",
       "Directory for the SQLite database, the development key and other local state.", false},
      {"db", SettingType::kString, "",
       "Database URL: empty for SQLite in data_dir, sqlite:PATH, or postgres://...", true},
      {"secret_key_file", SettingType::kString, "",
       "File holding the server's secret key (required unless dev).", false},
      {"secret_key", SettingType::kString, "",
       "The server's secret key as 64 hex digits, instead of secret_key_file.", true, false},
      {"public_url", SettingType::kString, "",
       "The URL users reach carepost at, e.g. https://carepost.example.org.", false},
      {"dev", SettingType::kBool, "false",
       "Development mode: generates a local key in data_dir, loads the demo organization "
       "and allows session cookies over plain http. Never in production.",
       false},
      {"trusted_proxies", SettingType::kStringList, "",
       "Reverse proxies (IP addresses or CIDR ranges) whose X-Forwarded-For is believed.", false},
      {"log_level", SettingType::kString, "info",
       "Minimum log level: trace, debug, info, warn, error or off.", false},
      {"metrics_token", SettingType::kString, "",
       "Bearer token a Prometheus scraper sends for GET /metrics (16+ characters); empty: "
       "/metrics answers clients on the loopback address only.",
       true, false},
      {"max_upload_mb", SettingType::kString, "100",
       "Largest media upload accepted (POST /api/v1/media), in megabytes of 1,000,000 bytes; "
       "every other request body stays limited to 1 MiB.",
       false},
  };
  return *kSettings;
}

std::string EnvironmentVariableName(std::string_view setting) {
  std::string out = "CAREPOST_";
  for (char c : setting)
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string FlagName(std::string_view setting) {
  std::string out = "--";
  for (char c : setting) out.push_back(c == '_' ? '-' : c);
  return out;
}

std::string_view SettingSourceName(SettingSource source) {
  switch (source) {
    case SettingSource::kDefault:
      return "default";
    case SettingSource::kFile:
      return "file";
    case SettingSource::kEnvironment:
      return "environment";
    case SettingSource::kFlag:
      return "flag";
  }
  return "?";
}

absl::StatusOr<LoadedConfig> LoadConfig(const ConfigSources& sources) {
  LoadedConfig loaded;
  for (const SettingSpec& spec : Settings()) {
    ASSIGN_OR_RETURN(Value v, ParseText(spec, spec.default_value, "default"));
    RETURN_IF_ERROR(Apply(spec, v, "default", &loaded.config));
    loaded.origins[std::string(spec.name)] = {SettingSource::kDefault, "default"};
  }

  // File.
  if (!sources.file_path.empty()) {
    toml::table table;
    try {
      table = toml::parse(sources.file_text, sources.file_path);
    } catch (const toml::parse_error& err) {
      return absl::InvalidArgumentError(Cat(sources.file_path, ":", err.source().begin.line, ": ",
                                            std::string(err.description())));
    }
    for (const auto& [key, node] : table) {
      const std::string where = Cat(sources.file_path, ":", node.source().begin.line);
      const SettingSpec* spec = FindSpec(key.str());
      if (spec == nullptr) {
        return absl::InvalidArgumentError(
            Cat(where, ": unknown setting '", key.str(), "' (known settings: ", KnownList(), ")"));
      }
      ASSIGN_OR_RETURN(Value v, FromToml(*spec, node, where));
      RETURN_IF_ERROR(Apply(*spec, v, where, &loaded.config));
      loaded.origins[std::string(spec->name)] = {SettingSource::kFile, where};
    }
  }

  // Environment: unknown CAREPOST_* names are errors too (a typo would otherwise be
  // silently ignored).
  for (const auto& [name, text] : sources.environment) {
    if (name.rfind("CAREPOST_", 0) != 0) continue;
    const SettingSpec* spec = nullptr;
    for (const SettingSpec& s : Settings()) {
      if (EnvironmentVariableName(s.name) == name) spec = &s;
    }
    if (spec == nullptr) {
      // Variables the test harness and other tools use are not settings.
      if (name.rfind("CAREPOST_TEST_", 0) == 0) continue;
      return absl::InvalidArgumentError(Cat(
          "environment variable ", name, ": unknown setting (known settings: ", KnownList(), ")"));
    }
    ASSIGN_OR_RETURN(Value v, ParseText(*spec, text, name));
    RETURN_IF_ERROR(Apply(*spec, v, name, &loaded.config));
    loaded.origins[std::string(spec->name)] = {SettingSource::kEnvironment, name};
  }

  // Flags.
  for (const auto& [name, text] : sources.flags) {
    const SettingSpec* spec = FindSpec(name);
    if (spec == nullptr || !spec->has_flag) {
      return absl::InvalidArgumentError(Cat("flag ", FlagName(name), ": unknown setting"));
    }
    const std::string where = FlagName(name);
    ASSIGN_OR_RETURN(Value v, ParseText(*spec, text, where));
    RETURN_IF_ERROR(Apply(*spec, v, where, &loaded.config));
    loaded.origins[std::string(spec->name)] = {SettingSource::kFlag, where};
  }
  return loaded;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("CAREPOST_", 0) != 0) continue;
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  return env;
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string msg = Cat("cannot read configuration file ", path, ": ", std::strerror(err));
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::NotFoundError(msg);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string SettingValueText(const Config& config, std::string_view name) {
  if (name == "listen") return config.listen;
  if (name == "data_dir") return config.data_dir;
  if (name == "db") return config.db;
  if (name == "secret_key_file") return config.secret_key_file;
  if (name == "secret_key") return config.secret_key;
  if (name == "public_url") return config.public_url;
  if (name == "dev") return config.dev ? "true" : "false";
  if (name == "log_level") return config.log_level;
  if (name == "metrics_token") return config.metrics_token;
  if (name == "max_upload_mb") return std::to_string(config.max_upload_mb);
  if (name == "trusted_proxies") {
    std::string out;
    for (const std::string& p : config.trusted_proxies) {
      if (!out.empty()) out += ",";
      out += p;
    }
    return out;
  }
  return "";
}

std::string ShowConfig(const LoadedConfig& loaded, const SecretMasker& mask) {
  std::string out;
  for (const SettingSpec& spec : Settings()) {
    std::string value = SettingValueText(loaded.config, spec.name);
    if (spec.secret && !value.empty()) {
      value = mask ? mask(spec.name, value) : std::string("********");
    }
    std::string written;
    if (spec.type == SettingType::kBool) {
      written = value;
    } else if (spec.type == SettingType::kStringList) {
      written = "[";
      for (const std::string& p : loaded.config.trusted_proxies) {
        if (written.size() > 1) written += ", ";
        written += Quote(p);
      }
      written += "]";
    } else {
      written = Quote(value);
    }
    const auto it = loaded.origins.find(std::string(spec.name));
    const std::string where = it == loaded.origins.end() ? "default" : it->second.where;
    Append(&out, spec.name, " = ", written, "  # ", where, "\n");
  }
  return out;
}

}  // namespace carepost::core
