#include "domain/observances.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <tuple>
#include <utility>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/embedded_data.h"

namespace carepost::domain {

using core::CivilDate;
using core::Weekday;

struct DateRule {
  enum class Kind { kMonth, kDate, kLastDay, kNth, kFullWeek, kWeekOf, kEaster };
  Kind kind = Kind::kDate;
  int month = 1;
  int day = 1;
  int ordinal = 1;  // 1..5, or -1 for "last"
  Weekday weekday = Weekday::kMonday;
  bool sunday_weeks = false;  // weeks run Sunday-Saturday instead of Monday-Sunday
  int offset_days = 0;
};

struct ObservanceCalendar::Entry {
  Observance meta;  // everything but the dates
  std::shared_ptr<const DateRule> start;
  enum class EndKind { kDefault, kPlusDays, kRule } end_kind = EndKind::kDefault;
  int end_days = 0;
  std::shared_ptr<const DateRule> end;
};

namespace {

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr int kMaxOffsetDays = 366;

absl::Status RuleError(std::string_view rule, std::string_view what) {
  return absl::InvalidArgumentError(core::Cat("date rule '", rule, "': ", what));
}

bool ParseInt(std::string_view text, int* out) {
  if (text.empty() || text.size() > 4) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

// "03" or "mar".
bool ParseMonth(std::string_view text, int* month) {
  for (int i = 0; i < 12; ++i) {
    if (text == kMonths[i]) {
      *month = i + 1;
      return true;
    }
  }
  return text.size() == 2 && ParseInt(text, month) && *month >= 1 && *month <= 12;
}

bool ParseWeekday(std::string_view text, Weekday* day) {
  for (int i = 0; i < 7; ++i) {
    if (text == core::WeekdayAbbreviation(static_cast<Weekday>(i))) {
      *day = static_cast<Weekday>(i);
      return true;
    }
  }
  return false;
}

// "1st".."5th" or "last".
bool ParseOrdinal(std::string_view text, int* ordinal) {
  static constexpr std::string_view kOrdinals[] = {"1st", "2nd", "3rd", "4th", "5th"};
  if (text == "last") {
    *ordinal = -1;
    return true;
  }
  for (int i = 0; i < 5; ++i) {
    if (text == kOrdinals[i]) {
      *ordinal = i + 1;
      return true;
    }
  }
  return false;
}

// "+6d" / "-5d" -> 6 / -5.
bool ParseDays(std::string_view text, int* days) {
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-') || text.back() != 'd') return false;
  int n = 0;
  if (!ParseInt(text.substr(1, text.size() - 2), &n) || n > kMaxOffsetDays) return false;
  *days = text[0] == '-' ? -n : n;
  return true;
}

std::vector<std::string_view> SplitDash(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    size_t dash = text.find('-', begin);
    parts.push_back(text.substr(begin, dash - begin));
    if (dash == std::string_view::npos) return parts;
    begin = dash + 1;
  }
}

// Western Easter Sunday (the Gregorian computus of Meeus, Jones and Butcher).
CivilDate EasterSunday(int year) {
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;
  return CivilDate{year, month, day};
}

// The first `weekday` on or after `date`.
CivilDate OnOrAfter(CivilDate date, Weekday weekday) {
  int ahead = (static_cast<int>(weekday) - static_cast<int>(core::WeekdayOf(date)) + 7) % 7;
  return core::AddDays(date, ahead);
}

// The last `weekday` on or before `date`.
CivilDate OnOrBefore(CivilDate date, Weekday weekday) {
  int back = (static_cast<int>(core::WeekdayOf(date)) - static_cast<int>(weekday) + 7) % 7;
  return core::AddDays(date, -back);
}

bool Overlaps(const Observance& o, CivilDate first, CivilDate last) {
  return o.start <= last && o.end >= first;
}

void SortObservances(std::vector<Observance>* list) {
  std::stable_sort(list->begin(), list->end(), [](const Observance& a, const Observance& b) {
    int64_t la = core::DaysSinceEpoch(a.end) - core::DaysSinceEpoch(a.start);
    int64_t lb = core::DaysSinceEpoch(b.end) - core::DaysSinceEpoch(b.start);
    return std::tie(a.start, lb, a.name) < std::tie(b.start, la, b.name);
  });
}

absl::Status CheckYear(int year) {
  // One year of margin each side: offsets and spills may cross into the next year.
  if (year <= core::kMinYear || year >= core::kMaxYear) {
    return absl::InvalidArgumentError(core::Cat("observances: year ", year, " is out of range (",
                                                core::kMinYear + 1, " to ", core::kMaxYear - 1,
                                                ")"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view ObservanceKindName(ObservanceKind kind) {
  switch (kind) {
    case ObservanceKind::kDay:
      return "day";
    case ObservanceKind::kWeek:
      return "week";
    case ObservanceKind::kMonth:
      return "month";
  }
  return "day";
}

absl::StatusOr<std::shared_ptr<const DateRule>> ParseDateRule(std::string_view text) {
  auto rule = std::make_shared<DateRule>();
  std::string_view body = text;
  if (size_t at = text.find('@'); at != std::string_view::npos) {
    if (!ParseDays(text.substr(at + 1), &rule->offset_days)) {
      return RuleError(text, "the offset after '@' must be +Nd or -Nd (N at most 366)");
    }
    body = text.substr(0, at);
  }
  if (body == "easter") {
    rule->kind = DateRule::Kind::kEaster;
    return std::shared_ptr<const DateRule>(std::move(rule));
  }
  size_t colon = body.find(':');
  if (colon == std::string_view::npos) {
    return RuleError(text, "expected month:, date:, nth:, week:, weekof: or easter");
  }
  std::string_view form = body.substr(0, colon);
  std::vector<std::string_view> parts = SplitDash(body.substr(colon + 1));
  if (!ParseMonth(parts[0], &rule->month)) {
    return RuleError(text, core::Cat("'", parts[0], "' is not a month (01-12 or jan-dec)"));
  }
  if (form == "month") {
    if (parts.size() != 1) return RuleError(text, "expected month:MM");
    rule->kind = DateRule::Kind::kMonth;
  } else if (form == "date") {
    if (parts.size() != 2) return RuleError(text, "expected date:MM-DD or date:MM-last");
    if (parts[1] == "last") {
      rule->kind = DateRule::Kind::kLastDay;
    } else {
      rule->kind = DateRule::Kind::kDate;
      // Checked against a leap year: Feb 29 is a valid rule (it resolves to Feb 28 or 29).
      if (!ParseInt(parts[1], &rule->day) || parts[1].size() != 2 || rule->day < 1 ||
          rule->day > core::DaysInMonth(2000, rule->month)) {
        return RuleError(
            text, core::Cat("'", parts[1], "' is not a day of ", core::MonthName(rule->month)));
      }
    }
  } else if (form == "nth") {
    if (parts.size() != 3 || !ParseOrdinal(parts[1], &rule->ordinal) ||
        !ParseWeekday(parts[2], &rule->weekday)) {
      return RuleError(text, "expected nth:MON-ORD-DOW, e.g. nth:feb-1st-fri");
    }
    rule->kind = DateRule::Kind::kNth;
  } else if (form == "week") {
    bool shape = (parts.size() == 3 || (parts.size() == 4 && parts[3] == "sun")) &&
                 ParseOrdinal(parts[1], &rule->ordinal) && parts[2] == "full";
    if (!shape) {
      return RuleError(text, "expected week:MON-ORD-full or week:MON-ORD-full-sun");
    }
    rule->kind = DateRule::Kind::kFullWeek;
    rule->sunday_weeks = parts.size() == 4;
  } else if (form == "weekof") {
    bool shape = (parts.size() == 2 || (parts.size() == 3 && parts[2] == "sun")) &&
                 ParseInt(parts[1], &rule->day) && parts[1].size() == 2 && rule->day >= 1 &&
                 rule->day <= core::DaysInMonth(2000, rule->month);
    if (!shape) return RuleError(text, "expected weekof:MM-DD or weekof:MM-DD-sun");
    rule->kind = DateRule::Kind::kWeekOf;
    rule->sunday_weeks = parts.size() == 3;
  } else {
    return RuleError(
        text, core::Cat("unknown form '", form, "' (month, date, nth, week, weekof or easter)"));
  }
  return std::shared_ptr<const DateRule>(std::move(rule));
}

absl::StatusOr<DateSpan> ResolveDateRule(const DateRule& rule, int year) {
  RETURN_IF_ERROR(CheckYear(year));
  const int last_day = core::DaysInMonth(year, rule.month);
  const Weekday week_start = rule.sunday_weeks ? Weekday::kSunday : Weekday::kMonday;
  const Weekday week_end = rule.sunday_weeks ? Weekday::kSaturday : Weekday::kSunday;
  DateSpan span;
  switch (rule.kind) {
    case DateRule::Kind::kMonth:
      span = {{year, rule.month, 1}, {year, rule.month, last_day}};
      break;
    case DateRule::Kind::kDate: {
      // Feb 29 in a common year falls back to Feb 28.
      CivilDate d{year, rule.month, std::min(rule.day, last_day)};
      span = {d, d};
      break;
    }
    case DateRule::Kind::kLastDay:
      span = {{year, rule.month, last_day}, {year, rule.month, last_day}};
      break;
    case DateRule::Kind::kNth: {
      CivilDate d;
      if (rule.ordinal == -1) {
        d = OnOrBefore({year, rule.month, last_day}, rule.weekday);
      } else {
        d = core::AddDays(OnOrAfter({year, rule.month, 1}, rule.weekday), 7 * (rule.ordinal - 1));
        if (d.month != rule.month) {
          return absl::NotFoundError(
              core::Cat(core::MonthName(rule.month), " ", year, " has no such weekday"));
        }
      }
      span = {d, d};
      break;
    }
    case DateRule::Kind::kFullWeek: {
      // A week is full in the month when its first and last day both are in it.
      CivilDate start;
      if (rule.ordinal == -1) {
        start = core::AddDays(OnOrBefore({year, rule.month, last_day}, week_end), -6);
      } else {
        start = core::AddDays(OnOrAfter({year, rule.month, 1}, week_start), 7 * (rule.ordinal - 1));
        CivilDate end = core::AddDays(start, 6);
        if (end.month != rule.month || end.year != year) {
          return absl::NotFoundError(
              core::Cat(core::MonthName(rule.month), " ", year, " has no such full week"));
        }
      }
      span = {start, core::AddDays(start, 6)};
      break;
    }
    case DateRule::Kind::kWeekOf: {
      CivilDate start = OnOrBefore({year, rule.month, std::min(rule.day, last_day)}, week_start);
      span = {start, core::AddDays(start, 6)};
      break;
    }
    case DateRule::Kind::kEaster: {
      CivilDate d = EasterSunday(year);
      span = {d, d};
      break;
    }
  }
  span.start = core::AddDays(span.start, rule.offset_days);
  span.end = core::AddDays(span.end, rule.offset_days);
  return span;
}

namespace {

absl::StatusOr<DateSpan> ResolveEntry(const ObservanceCalendar::Entry& e, int year) {
  ASSIGN_OR_RETURN(DateSpan span, ResolveDateRule(*e.start, year));
  switch (e.end_kind) {
    case ObservanceCalendar::Entry::EndKind::kDefault:
      break;
    case ObservanceCalendar::Entry::EndKind::kPlusDays:
      span.end = core::AddDays(span.start, e.end_days);
      break;
    case ObservanceCalendar::Entry::EndKind::kRule: {
      ASSIGN_OR_RETURN(DateSpan end, ResolveDateRule(*e.end, year));
      if (end.end < span.start) {
        ASSIGN_OR_RETURN(end, ResolveDateRule(*e.end, year + 1));
      }
      span.end = end.end;
      break;
    }
  }
  return span;
}

// Parses an end rule into `entry`.
absl::Status ParseEnd(std::string_view text, ObservanceCalendar::Entry* entry) {
  if (text.empty()) {
    entry->end_kind = ObservanceCalendar::Entry::EndKind::kDefault;
  } else if (text[0] == '+') {
    if (!ParseDays(text, &entry->end_days)) {
      return RuleError(text, "an end of the form +Nd needs N from 0 to 366");
    }
    entry->end_kind = ObservanceCalendar::Entry::EndKind::kPlusDays;
  } else {
    ASSIGN_OR_RETURN(entry->end, ParseDateRule(text));
    entry->end_kind = ObservanceCalendar::Entry::EndKind::kRule;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DateSpan> ResolveObservance(std::string_view start_rule, std::string_view end_rule,
                                           int year) {
  ObservanceCalendar::Entry e;
  ASSIGN_OR_RETURN(e.start, ParseDateRule(start_rule));
  RETURN_IF_ERROR(ParseEnd(end_rule, &e));
  return ResolveEntry(e, year);
}

absl::StatusOr<ObservanceCalendar> ObservanceCalendar::Parse(std::string_view toml_text,
                                                             std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(
        core::Cat(origin, ":", e.source().begin.line, ": ", std::string(e.description())));
  }
  const toml::array* list = root["observance"].as_array();
  if (list == nullptr || list->empty()) {
    return absl::InvalidArgumentError(core::Cat(origin, ": no [[observance]] entries"));
  }
  ObservanceCalendar calendar;
  for (const toml::node& node : *list) {
    const toml::table* t = node.as_table();
    const auto line = node.source().begin.line;
    auto error = [&](std::string_view what) {
      return absl::InvalidArgumentError(core::Cat(origin, ":", line, ": ", what));
    };
    if (t == nullptr) return error("an observance is not a table");
    for (const auto& [key, value] : *t) {
      static constexpr std::string_view kKeys[] = {
          "name", "kind", "start", "end", "sponsor", "hashtags", "url", "safe_messaging"};
      if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys)) {
        return error(core::Cat("unknown key '", key.str(), "'"));
      }
      (void)value;
    }
    auto entry = std::make_shared<Entry>();
    Observance& m = entry->meta;
    auto text = [&](std::string_view key, std::string* out, bool required) -> absl::Status {
      const toml::node* v = t->get(key);
      if (v == nullptr) {
        return required ? error(core::Cat("missing '", key, "'")) : absl::OkStatus();
      }
      std::optional<std::string> s = v->value<std::string>();
      if (!s) return error(core::Cat("'", key, "' must be a string"));
      if (required && s->empty()) return error(core::Cat("'", key, "' is empty"));
      *out = std::move(*s);
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(text("name", &m.name, true));
    RETURN_IF_ERROR(text("start", &m.start_rule, true));
    RETURN_IF_ERROR(text("end", &m.end_rule, false));
    RETURN_IF_ERROR(text("sponsor", &m.sponsor, false));
    RETURN_IF_ERROR(text("url", &m.url, false));
    std::string kind;
    RETURN_IF_ERROR(text("kind", &kind, true));
    if (kind == "day") {
      m.kind = ObservanceKind::kDay;
    } else if (kind == "week") {
      m.kind = ObservanceKind::kWeek;
    } else if (kind == "month") {
      m.kind = ObservanceKind::kMonth;
    } else {
      return error(core::Cat("'", m.name, "': kind must be day, week or month, not '", kind, "'"));
    }
    if (const toml::node* tags = t->get("hashtags")) {
      const toml::array* a = tags->as_array();
      if (a == nullptr) return error(core::Cat("'", m.name, "': hashtags must be a list"));
      for (const toml::node& tag : *a) {
        std::optional<std::string> s = tag.value<std::string>();
        if (!s || s->size() < 2 || (*s)[0] != '#' || s->find(' ') != std::string::npos) {
          return error(core::Cat("'", m.name, "': every hashtag is one word starting with '#'"));
        }
        m.hashtags.push_back(std::move(*s));
      }
    }
    if (const toml::node* flag = t->get("safe_messaging")) {
      std::optional<bool> b = flag->value<bool>();
      if (!b) return error(core::Cat("'", m.name, "': safe_messaging must be true or false"));
      m.safe_messaging = *b;
    }
    absl::StatusOr<std::shared_ptr<const DateRule>> start = ParseDateRule(m.start_rule);
    if (!start.ok())
      return error(core::Cat("'", m.name, "': ", std::string(start.status().message())));
    entry->start = *std::move(start);
    if (absl::Status s = ParseEnd(m.end_rule, entry.get()); !s.ok()) {
      return error(core::Cat("'", m.name, "': ", std::string(s.message())));
    }
    calendar.entries_.push_back(std::move(entry));
  }
  return calendar;
}

absl::StatusOr<std::vector<Observance>> ObservanceCalendar::ForYear(int year) const {
  RETURN_IF_ERROR(CheckYear(year));
  std::vector<Observance> out;
  for (const auto& e : entries_) {
    absl::StatusOr<DateSpan> span = ResolveEntry(*e, year);
    if (absl::IsNotFound(span.status())) continue;
    if (!span.ok()) return span.status();
    Observance o = e->meta;
    o.start = span->start;
    o.end = span->end;
    out.push_back(std::move(o));
  }
  SortObservances(&out);
  return out;
}

absl::StatusOr<std::vector<Observance>> ObservanceCalendar::Between(CivilDate first,
                                                                    CivilDate last) const {
  RETURN_IF_ERROR(core::ValidateDate(first));
  RETURN_IF_ERROR(core::ValidateDate(last));
  if (last < first) {
    return absl::InvalidArgumentError(core::Cat("observances: the range ends (",
                                                core::FormatDate(last), ") before it starts (",
                                                core::FormatDate(first), ")"));
  }
  if (last.year - first.year > 100) {
    return absl::InvalidArgumentError("observances: ask for at most 100 years at a time");
  }
  std::vector<Observance> out;
  // The year before may spill into the range.
  for (int year = first.year - 1; year <= last.year; ++year) {
    if (!CheckYear(year).ok()) continue;
    ASSIGN_OR_RETURN(std::vector<Observance> list, ForYear(year));
    for (Observance& o : list) {
      if (Overlaps(o, first, last)) out.push_back(std::move(o));
    }
  }
  SortObservances(&out);
  return out;
}

absl::StatusOr<const ObservanceCalendar*> BuiltinObservances() {
  static const absl::StatusOr<ObservanceCalendar>* const kCalendar =
      new absl::StatusOr<ObservanceCalendar>(
          ObservanceCalendar::Parse(EmbeddedFile("observances.toml"), "observances.toml"));
  if (!kCalendar->ok()) return kCalendar->status();
  return &**kCalendar;
}

absl::StatusOr<std::vector<Observance>> ObservancesFor(int year) {
  ASSIGN_OR_RETURN(const ObservanceCalendar* calendar, BuiltinObservances());
  return calendar->ForYear(year);
}

absl::StatusOr<std::vector<Observance>> ObservancesBetween(CivilDate first, CivilDate last) {
  ASSIGN_OR_RETURN(const ObservanceCalendar* calendar, BuiltinObservances());
  return calendar->Between(first, last);
}

}  // namespace carepost::domain
