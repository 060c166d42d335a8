#include "domain/campaigns.h"

#include <array>
#include <nlohmann/json.hpp>

#include "absl/time/civil_time.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "domain/internal/plan_common.h"

namespace carepost::domain {

namespace internal {

std::optional<std::vector<int64_t>> BrandsAllowing(const Caller& caller, std::string_view action) {
  if (Allowed(caller.grants, action)) return std::nullopt;
  std::vector<int64_t> out;
  for (const auto& [brand, role] : caller.grants.brand) {
    if (Allowed(caller.grants, action, brand) && (out.empty() || out.back() != brand)) {
      out.push_back(brand);
    }
  }
  return out;
}

std::string NextParam(const std::vector<store::Value>& params) {
  return core::Cat("$", params.size() + 1);
}

void AppendInList(std::string* sql, std::vector<store::Value>* params, std::string_view column,
                  const std::vector<int64_t>& ids) {
  if (ids.empty()) {
    sql->append(" AND 1 = 0");
    return;
  }
  core::Append(sql, " AND ", column, " IN (");
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) sql->append(", ");
    sql->append(NextParam(*params));
    params->emplace_back(ids[i]);
  }
  sql->append(")");
}

absl::Status CheckBrandOfOrganization(store::Executor& db, int64_t brand_id,
                                      int64_t organization_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT organization_id FROM brands WHERE id = $1", {brand_id}));
  if (rows.empty() || *rows[0].GetInt64("organization_id") != organization_id) {
    return absl::NotFoundError(core::Cat("no brand with id ", brand_id, " in your organization"));
  }
  return absl::OkStatus();
}

absl::Status CheckUserOfOrganization(store::Executor& db, int64_t user_id,
                                     int64_t organization_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT organization_id FROM users WHERE id = $1", {user_id}));
  if (rows.empty() || *rows[0].GetInt64("organization_id") != organization_id) {
    return absl::NotFoundError(core::Cat("no user with id ", user_id, " in your organization"));
  }
  return absl::OkStatus();
}

std::string JsonStringList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

absl::StatusOr<std::vector<std::string>> ParseJsonStringList(std::string_view field,
                                                             std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return absl::InvalidArgumentError(core::Cat(field, " is not a list"));
  std::vector<std::string> out;
  for (const nlohmann::json& item : j) {
    if (!item.is_string()) {
      return absl::InvalidArgumentError(core::Cat(field, " holds a value that is not a string"));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<int64_t> OptionalInt(const store::Row& row, std::string_view column) {
  absl::StatusOr<bool> null = row.IsNull(column);
  if (!null.ok() || *null) return std::nullopt;
  absl::StatusOr<int64_t> v = row.GetInt64(column);
  if (!v.ok()) return std::nullopt;
  return *v;
}

}  // namespace internal

namespace {

constexpr std::array<CampaignType, 7> kTypes = {
    CampaignType::kAwareness, CampaignType::kSeasonal, CampaignType::kMisinformationResponse,
    CampaignType::kCareers,   CampaignType::kEvent,    CampaignType::kSeries,
    CampaignType::kOther};
constexpr std::array<std::string_view, 7> kTypeNames = {
    "awareness", "seasonal", "misinformation_response", "careers", "event", "series", "other"};

constexpr char kColumns[] =
    "id, organization_id, brand_id, name, type, goal, start_date, end_date, owner_user_id, "
    "tags, observance_key, utm_campaign, created_at, updated_at";

absl::StatusOr<Campaign> CampaignFromRow(const store::Row& row) {
  Campaign c;
  ASSIGN_OR_RETURN(c.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(c.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(c.brand_id, row.GetInt64("brand_id"));
  ASSIGN_OR_RETURN(c.name, row.GetText("name"));
  ASSIGN_OR_RETURN(std::string type, row.GetText("type"));
  c.type = ParseCampaignType(type).value_or(CampaignType::kOther);
  ASSIGN_OR_RETURN(c.goal, row.GetText("goal"));
  ASSIGN_OR_RETURN(c.start_date, row.GetText("start_date"));
  ASSIGN_OR_RETURN(c.end_date, row.GetText("end_date"));
  ASSIGN_OR_RETURN(bool no_owner, row.IsNull("owner_user_id"));
  if (!no_owner) {
    ASSIGN_OR_RETURN(int64_t owner, row.GetInt64("owner_user_id"));
    c.owner_user_id = owner;
  }
  ASSIGN_OR_RETURN(std::string tags, row.GetText("tags"));
  ASSIGN_OR_RETURN(c.tags, internal::ParseJsonStringList("tags", tags));
  ASSIGN_OR_RETURN(c.observance_key, row.GetText("observance_key"));
  ASSIGN_OR_RETURN(c.utm_campaign, row.GetText("utm_campaign"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  ASSIGN_OR_RETURN(int64_t updated, row.GetInt64("updated_at"));
  c.created_at = absl::FromUnixMicros(created);
  c.updated_at = absl::FromUnixMicros(updated);
  return c;
}

absl::Status CheckKey(std::string_view field, std::string_view key, size_t max,
                      bool allow_upper_and_dot) {
  if (key.size() > max) {
    return absl::InvalidArgumentError(core::Cat(field, " must be at most ", max, " characters"));
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (allow_upper_and_dot && ((c >= 'A' && c <= 'Z') || c == '.'));
    if (!ok) {
      return absl::InvalidArgumentError(
          core::Cat(field, allow_upper_and_dot ? " may hold only A-Z, a-z, 0-9, '.', '_' and '-'"
                                               : " may hold only a-z, 0-9, '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

// Checks every field of a campaign as it will be stored.
absl::Status CheckCampaign(const Campaign& c) {
  RETURN_IF_ERROR(CheckText("name", c.name, 1, 200, true));
  RETURN_IF_ERROR(CheckText("goal", c.goal, 0, 2000, false));
  if (!c.start_date.empty()) RETURN_IF_ERROR(CheckDate("start_date", c.start_date));
  if (!c.end_date.empty()) RETURN_IF_ERROR(CheckDate("end_date", c.end_date));
  if (!c.start_date.empty() && !c.end_date.empty() && c.end_date < c.start_date) {
    return absl::InvalidArgumentError("end_date must not be before start_date");
  }
  if (c.tags.size() > 20) return absl::InvalidArgumentError("tags: at most 20 tags");
  for (const std::string& t : c.tags) RETURN_IF_ERROR(CheckText("tags", t, 1, 50, true));
  RETURN_IF_ERROR(CheckKey("observance_key", c.observance_key, 64, false));
  RETURN_IF_ERROR(CheckKey("utm_campaign", c.utm_campaign, 100, true));
  return absl::OkStatus();
}

nlohmann::json AuditDetails(const Campaign& c) {
  // Ids and the type only: names and goals are free text.
  return {{"brand_id", c.brand_id},
          {"type", CampaignTypeName(c.type)},
          {"owner_user_id", c.owner_user_id ? nlohmann::json(*c.owner_user_id) : nullptr}};
}

absl::StatusOr<Campaign> ReadCampaign(store::Executor& db, int64_t id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query(core::Cat("SELECT ", kColumns, " FROM campaigns WHERE id = $1"), {id}));
  if (rows.empty()) return absl::NotFoundError(core::Cat("no campaign with id ", id));
  return CampaignFromRow(rows[0]);
}

// The campaign when the caller may read it, else NotFound.
absl::StatusOr<Campaign> ReadVisible(store::Executor& db, const Caller& caller, int64_t id) {
  absl::StatusOr<Campaign> c = ReadCampaign(db, id);
  if (!c.ok() || c->organization_id != caller.organization_id ||
      !caller.Can("posts.read", c->brand_id)) {
    if (c.ok() || c.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(core::Cat("no campaign with id ", id));
    }
    return c.status();
  }
  return c;
}

}  // namespace

std::span<const CampaignType> AllCampaignTypes() { return kTypes; }

std::string_view CampaignTypeName(CampaignType type) {
  return kTypeNames[static_cast<size_t>(type)];
}

std::optional<CampaignType> ParseCampaignType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return kTypes[i];
  }
  return std::nullopt;
}

absl::Status CheckDate(std::string_view field, std::string_view date) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(core::Cat(field, " must be a date written YYYY-MM-DD"));
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t k = starts[i]; k < starts[i] + lens[i]; ++k) {
      if (date[k] < '0' || date[k] > '9') return bad();
      parts[i] = parts[i] * 10 + (date[k] - '0');
    }
  }
  const absl::CivilDay day(parts[0], parts[1], parts[2]);
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2] ||
      parts[0] < 1900) {
    return absl::InvalidArgumentError(core::Cat(field, " is not a real calendar day"));
  }
  return absl::OkStatus();
}

absl::Status CheckText(std::string_view field, std::string_view text, size_t min_bytes,
                       size_t max_bytes, bool single_line) {
  if (text.size() < min_bytes || text.size() > max_bytes) {
    return min_bytes == 0 ? absl::InvalidArgumentError(
                                core::Cat(field, " must be at most ", max_bytes, " bytes"))
                          : absl::InvalidArgumentError(core::Cat(field, " must be ", min_bytes,
                                                                 " to ", max_bytes, " bytes"));
  }
  if (const core::Utf8Check u = core::ValidateUtf8(text); !u.ok) {
    return absl::InvalidArgumentError(
        core::Cat(field, " is not valid UTF-8 at byte ", u.error_offset));
  }
  for (unsigned char c : text) {
    if (c == 0 || (single_line && (c < 0x20 || c == 0x7f))) {
      return absl::InvalidArgumentError(core::Cat(field, " holds a control character"));
    }
  }
  return absl::OkStatus();
}

std::string UtmSlug(std::string_view name) {
  std::string out;
  bool dash = false;
  for (unsigned char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      dash = true;
    }
    if (out.size() >= 100) break;
  }
  return out.substr(0, 100);
}

namespace {

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string WithUtm(std::string_view link, const UtmParams& params) {
  if (params.campaign.empty() ||
      !(StartsWithNoCase(link, "http://") || StartsWithNoCase(link, "https://"))) {
    return std::string(link);
  }
  std::string_view fragment;
  if (size_t hash = link.find('#'); hash != std::string_view::npos) {
    fragment = link.substr(hash);
    link = link.substr(0, hash);
  }
  std::string_view base = link, query;
  if (size_t q = link.find('?'); q != std::string_view::npos) {
    base = link.substr(0, q);
    query = link.substr(q + 1);
  }
  const std::pair<std::string_view, std::string_view> utm[] = {{"utm_source", params.source},
                                                               {"utm_medium", params.medium},
                                                               {"utm_campaign", params.campaign},
                                                               {"utm_content", params.content}};
  std::string out(base);
  char sep = '?';
  // Keep every existing parameter except the UTM ones being set.
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view name = pair.substr(0, pair.find('='));
    bool replaced = false;
    for (const auto& [key, value] : utm) replaced = replaced || (!value.empty() && name == key);
    if (!replaced && !pair.empty()) {
      out.push_back(sep);
      out.append(pair);
      sep = '&';
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  for (const auto& [key, value] : utm) {
    if (value.empty()) continue;
    core::Append(&out, sep, key, "=", PercentEncode(value));
    sep = '&';
  }
  out.append(fragment);
  return out;
}

CampaignService::CampaignService(store::Database& db, core::Clock& clock, AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {}

absl::StatusOr<int64_t> CampaignService::Create(const Caller& caller, const NewCampaign& in) {
  Campaign c{.organization_id = caller.organization_id,
             .brand_id = in.brand_id,
             .name = in.name,
             .type = in.type,
             .goal = in.goal,
             .start_date = in.start_date,
             .end_date = in.end_date,
             .owner_user_id = in.owner_user_id.value_or(caller.user_id()),
             .tags = in.tags,
             .observance_key = in.observance_key,
             .utm_campaign = in.utm_campaign.empty() ? UtmSlug(in.name) : in.utm_campaign};
  RETURN_IF_ERROR(CheckCampaign(c));
  int64_t id = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(internal::CheckBrandOfOrganization(tx, c.brand_id, caller.organization_id));
    if (!caller.Can("campaigns.manage", c.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow planning campaigns for this brand (campaigns.manage)");
    }
    RETURN_IF_ERROR(internal::CheckUserOfOrganization(tx, *c.owner_user_id, c.organization_id));
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow("INSERT INTO campaigns (organization_id, brand_id, name, type, goal, "
                    "start_date, end_date, owner_user_id, tags, observance_key, utm_campaign, "
                    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                    "$11, $12, $12) RETURNING id",
                    {c.organization_id, c.brand_id, c.name, CampaignTypeName(c.type), c.goal,
                     c.start_date, c.end_date, c.owner_user_id, internal::JsonStringList(c.tags),
                     c.observance_key, c.utm_campaign, now}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    AuditEntry entry = EntryFor(caller.actor, "campaign.create");
    entry.organization_id = c.organization_id;
    entry.record_type = "campaign";
    entry.record_id = core::Cat(id);
    entry.details = AuditDetails(c).dump();
    return audit_.AppendInTx(tx, entry).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return id;
}

absl::StatusOr<Campaign> CampaignService::Get(const Caller& caller, int64_t id) {
  return ReadVisible(db_, caller, id);
}

absl::StatusOr<std::vector<Campaign>> CampaignService::List(const Caller& caller,
                                                            const CampaignQuery& query) {
  std::vector<store::Value> params = {caller.organization_id, query.after_id};
  std::string sql =
      core::Cat("SELECT ", kColumns, " FROM campaigns WHERE organization_id = $1 AND id > $2");
  if (query.brand_id) {
    core::Append(&sql, " AND brand_id = ", internal::NextParam(params));
    params.push_back(*query.brand_id);
  }
  if (std::optional<std::vector<int64_t>> brands = internal::BrandsAllowing(caller, "posts.read")) {
    internal::AppendInList(&sql, &params, "brand_id", *brands);
  }
  core::Append(&sql, " ORDER BY id LIMIT ", internal::NextParam(params));
  params.push_back(query.limit);
  ASSIGN_OR_RETURN(store::Rows rows, db_.Query(sql, params));
  std::vector<Campaign> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(Campaign c, CampaignFromRow(row));
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<Campaign> CampaignService::Update(const Caller& caller, int64_t id,
                                                 const CampaignEdit& edit) {
  Campaign c;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(c, ReadVisible(tx, caller, id));
    if (!caller.Can("campaigns.manage", c.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow changing campaigns of this brand (campaigns.manage)");
    }
    if (edit.name) c.name = *edit.name;
    if (edit.type) c.type = *edit.type;
    if (edit.goal) c.goal = *edit.goal;
    if (edit.start_date) c.start_date = *edit.start_date;
    if (edit.end_date) c.end_date = *edit.end_date;
    if (edit.owner_user_id) c.owner_user_id = *edit.owner_user_id;
    if (edit.tags) c.tags = *edit.tags;
    if (edit.observance_key) c.observance_key = *edit.observance_key;
    if (edit.utm_campaign) c.utm_campaign = *edit.utm_campaign;
    RETURN_IF_ERROR(CheckCampaign(c));
    if (edit.owner_user_id) {
      RETURN_IF_ERROR(internal::CheckUserOfOrganization(tx, *c.owner_user_id, c.organization_id));
    }
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    c.updated_at = absl::FromUnixMicros(now);
    RETURN_IF_ERROR(tx.Execute("UPDATE campaigns SET name = $1, type = $2, goal = $3, "
                               "start_date = $4, end_date = $5, owner_user_id = $6, tags = $7, "
                               "observance_key = $8, utm_campaign = $9, updated_at = $10 "
                               "WHERE id = $11",
                               {c.name, CampaignTypeName(c.type), c.goal, c.start_date, c.end_date,
                                c.owner_user_id, internal::JsonStringList(c.tags), c.observance_key,
                                c.utm_campaign, now, id})
                        .status());
    AuditEntry entry = EntryFor(caller.actor, "campaign.update");
    entry.organization_id = c.organization_id;
    entry.record_type = "campaign";
    entry.record_id = core::Cat(id);
    entry.details = AuditDetails(c).dump();
    return audit_.AppendInTx(tx, entry).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return c;
}

absl::Status CampaignService::Delete(const Caller& caller, int64_t id) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, ReadVisible(tx, caller, id));
    if (!caller.Can("campaigns.manage", c.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow deleting campaigns of this brand (campaigns.manage)");
    }
    ASSIGN_OR_RETURN(store::Row n, tx.QueryRow("SELECT COUNT(*) AS n FROM posts WHERE "
                                               "campaign_id = $1",
                                               {id}));
    if (*n.GetInt64("n") > 0) {
      return absl::FailedPreconditionError(
          "the campaign still has posts; move them to another campaign or delete them first");
    }
    RETURN_IF_ERROR(tx.Execute("DELETE FROM campaigns WHERE id = $1", {id}).status());
    AuditEntry entry = EntryFor(caller.actor, "campaign.delete");
    entry.organization_id = c.organization_id;
    entry.record_type = "campaign";
    entry.record_id = core::Cat(id);
    entry.details = AuditDetails(c).dump();
    return audit_.AppendInTx(tx, entry).status();
  }));
  return audit_.FlushCheckpoints();
}

}  // namespace carepost::domain
