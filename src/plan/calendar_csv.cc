#include "plan/calendar_csv.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <utility>

#include "core/strings.h"
#include "core/utf8.h"

namespace carepost::plan {
namespace {

using core::Cat;

enum Column : int {
  kId,
  kDate,
  kTime,
  kTimeZone,
  kBrand,
  kCampaign,
  kPlatforms,
  kText,
  kLink,
  kFirstComment,
  kHashtags,
  kStatus,
  kColumnCount,
};
static_assert(std::size(kCalendarCsvColumns) == kColumnCount);

constexpr size_t kMaxNameBytes = 200;     // brand, campaign
constexpr size_t kMaxLinkBytes = 2048;    // what browsers and platforms reliably accept
constexpr size_t kMaxZoneBytes = 64;      // longest IANA name is about 30
constexpr size_t kMaxHashtagBytes = 100;  // platforms cut far earlier; the guard counts
constexpr size_t kChunkBytes = 64 * 1024;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsMultiLine(int column) { return column == kText || column == kFirstComment; }

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsFormulaTrigger(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// A cell a spreadsheet could run as a formula gets one leading apostrophe. Values that
// already start with apostrophes before such a character get one more, so that
// removing exactly one on import gives back every value unchanged.
bool NeedsFormulaGuard(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && v[i] == '\'') ++i;
  return i < v.size() && IsFormulaTrigger(v[i]);
}

std::string_view RemoveFormulaGuard(std::string_view v) {
  if (!v.empty() && v.front() == '\'' && NeedsFormulaGuard(v)) v.remove_prefix(1);
  return v;
}

std::string NormalizeLineBreaks(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < v.size() && v[i + 1] == '\n') ++i;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Collects problems for one import; counts the ones past the limit.
class Problems {
 public:
  explicit Problems(size_t limit) : limit_(limit) {}

  void Add(int row, int column_index, std::string_view column, std::string message) {
    if (list_.size() >= limit_) {
      ++left_off_;
      return;
    }
    list_.push_back(CsvProblem{row, column_index, std::string(column), std::move(message)});
  }
  bool empty() const { return list_.empty() && left_off_ == 0; }
  std::vector<CsvProblem> TakeList() { return std::move(list_); }
  size_t left_off() const { return left_off_; }

 private:
  size_t limit_;
  std::vector<CsvProblem> list_;
  size_t left_off_ = 0;
};

// Where each known column sits in the file (0-based cell index), or -1.
using ColumnMap = std::array<int, kColumnCount>;

// Turns one data row's cells into a CalendarRow, reporting each bad cell. Shared by
// import and by export's check that what it writes imports back.
class RowParser {
 public:
  RowParser(const CsvImportOptions& options, const ColumnMap& map, Problems* problems)
      : options_(options), map_(map), problems_(problems) {}

  // `cells` are raw (formula guard still on). Returns false when the row has problems.
  bool Parse(int row_number, const std::vector<std::string>& cells, CalendarRow* out) {
    row_ = row_number;
    ok_ = true;
    unreadable_.fill(false);
    out->row = row_number;
    std::array<std::string, kColumnCount> v;
    for (int c = 0; c < kColumnCount; ++c) {
      if (map_[c] < 0 || static_cast<size_t>(map_[c]) >= cells.size()) continue;
      std::string_view raw = RemoveFormulaGuard(cells[static_cast<size_t>(map_[c])]);
      if (!CheckEncoding(c, raw)) {
        unreadable_[c] = true;
        continue;
      }
      if (IsMultiLine(c)) {
        v[c] = NormalizeLineBreaks(raw);
      } else {
        std::string_view t = TrimAscii(raw);
        if (std::any_of(t.begin(), t.end(), [](char ch) {
              return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F;
            })) {
          Fail(c, "holds a line break or control character; this column takes one line");
          unreadable_[c] = true;
          continue;
        }
        v[c] = std::string(t);
      }
    }
    // A cell already reported as unreadable gets no second problem.
    if (!unreadable_[kId]) ParseId(v[kId], out);
    ParseWhen(v[kDate], v[kTime], out);
    if (!unreadable_[kTimeZone]) ParseZone(v[kTimeZone], out);
    if (!unreadable_[kBrand]) ParseName(kBrand, v[kBrand], /*required=*/true, &out->brand);
    if (!unreadable_[kCampaign]) {
      ParseName(kCampaign, v[kCampaign], /*required=*/false, &out->campaign);
    }
    if (!unreadable_[kPlatforms]) ParsePlatforms(v[kPlatforms], out);
    if (unreadable_[kText]) {
    } else if (TrimAscii(v[kText]).empty()) {
      Fail(kText, "is empty; every post needs its text");
    } else {
      out->text = std::move(v[kText]);
    }
    if (!unreadable_[kLink]) ParseLink(v[kLink], out);
    out->first_comment = std::move(v[kFirstComment]);
    if (!unreadable_[kHashtags]) ParseHashtags(v[kHashtags], out);
    if (!unreadable_[kStatus]) ParseStatus(v[kStatus], out);
    return ok_;
  }

 private:
  void Fail(int column, std::string message) {
    ok_ = false;
    const int index = map_[column] >= 0 ? map_[column] + 1 : 0;
    problems_->Add(row_, index, kCalendarCsvColumns[column], std::move(message));
  }

  bool CheckEncoding(int column, std::string_view raw) {
    if (raw.size() > options_.max_cell_bytes) {
      Fail(column, Cat("is longer than the limit of ", options_.max_cell_bytes, " bytes"));
      return false;
    }
    const core::Utf8Check check = core::ValidateUtf8(raw);
    if (!check.ok) {
      Fail(column, Cat("is not valid UTF-8 (at byte ", check.error_offset + 1,
                       " of the cell); save the file as \"CSV UTF-8\""));
      return false;
    }
    if (raw.find('\0') != std::string_view::npos) {
      Fail(column, "holds a NUL character");
      return false;
    }
    return true;
  }

  void ParseId(std::string_view s, CalendarRow* out) {
    if (s.empty()) return;
    int64_t id = 0;
    const bool digits =
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    auto r = std::from_chars(s.data(), s.data() + s.size(), id);
    if (!digits || r.ec != std::errc() || r.ptr != s.data() + s.size() || id <= 0) {
      Fail(kId, "must be empty (a new post) or the positive number of an existing post");
      return;
    }
    out->id = id;
  }

  void ParseWhen(std::string_view date, std::string_view time, CalendarRow* out) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    bool date_ok = false, time_ok = false;
    if (unreadable_[kDate]) {
    } else if (date.empty()) {
      Fail(kDate, "is empty; write the date as YYYY-MM-DD");
    } else if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
               !ParseDigits(date.substr(0, 4), &y) || !ParseDigits(date.substr(5, 2), &mo) ||
               !ParseDigits(date.substr(8, 2), &d)) {
      Fail(kDate,
           "must be YYYY-MM-DD, e.g. 2026-03-05 (if a spreadsheet reformatted the dates, "
           "format the column as text)");
    } else if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) {
      Fail(kDate, "is not a real calendar date between 1970 and 9999");
    } else {
      date_ok = true;
    }
    if (unreadable_[kTime]) {
    } else if (time.empty()) {
      Fail(kTime, "is empty; write the time as HH:MM on a 24-hour clock");
    } else {
      // HH:MM, also H:MM and HH:MM:00 as spreadsheets sometimes rewrite it.
      std::string_view t = time;
      if (t.size() >= 7 && t.substr(t.size() - 3) == ":00") t.remove_suffix(3);
      const size_t colon = t.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() - colon - 1 != 2 ||
          !ParseDigits(t.substr(0, colon), &h) || !ParseDigits(t.substr(colon + 1), &mi)) {
        Fail(kTime, "must be HH:MM on a 24-hour clock, e.g. 09:30 or 17:00");
      } else if (h > 23 || mi > 59) {
        Fail(kTime, "is not a time of day (00:00 to 23:59)");
      } else {
        time_ok = true;
      }
    }
    if (date_ok && time_ok) out->local_time = absl::CivilMinute(y, mo, d, h, mi);
  }

  void ParseZone(std::string_view s, CalendarRow* out) {
    if (s.empty()) {
      if (options_.default_time_zone.empty()) {
        Fail(kTimeZone, "is empty; write an IANA time zone such as America/New_York");
        return;
      }
      out->time_zone = options_.default_time_zone;
      return;
    }
    bool well_formed = s.size() <= kMaxZoneBytes && s.front() != '/' && s.back() != '/' &&
                       s.find("..") == std::string_view::npos &&
                       s.find("//") == std::string_view::npos;
    for (char c : s) {
      const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+' ||
                           c == '.';
      if (!allowed) well_formed = false;
    }
    if (!well_formed) {
      Fail(kTimeZone, "is not an IANA time zone name such as America/New_York");
      return;
    }
    if (options_.check_time_zone) {
      const absl::Status st = options_.check_time_zone(s);
      if (!st.ok()) {
        Fail(kTimeZone, st.message().empty() ? std::string("is not a known time zone")
                                             : std::string(st.message()));
        return;
      }
    }
    out->time_zone = std::string(s);
  }

  void ParseName(int column, std::string_view s, bool required, std::string* out) {
    if (s.empty()) {
      if (required) Fail(column, "is empty");
      return;
    }
    if (s.size() > kMaxNameBytes) {
      Fail(column, Cat("is longer than ", kMaxNameBytes, " bytes"));
      return;
    }
    *out = std::string(s);
  }

  void ParsePlatforms(std::string_view s, CalendarRow* out) {
    if (s.empty()) {
      Fail(kPlatforms, "is empty; list one or more platforms separated by ';'");
      return;
    }
    std::vector<Platform> list;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(';', start);
      if (end == std::string_view::npos) end = s.size();
      std::string_view name = TrimAscii(s.substr(start, end - start));
      start = end + 1;
      if (name.empty()) {
        if (end == s.size()) break;  // a trailing ';' is harmless
        Fail(kPlatforms, "has an empty entry between ';' separators");
        return;
      }
      const std::optional<Platform> p = ParsePlatform(name);
      if (!p.has_value()) {
        std::string known;
        for (Platform q : kAllPlatforms)
          core::Append(&known, known.empty() ? "" : ", ", PlatformName(q));
        Fail(kPlatforms, Cat("has an entry that is not a platform; use ", known));
        return;
      }
      if (std::find(list.begin(), list.end(), *p) != list.end()) {
        Fail(kPlatforms, Cat("names ", PlatformName(*p), " twice"));
        return;
      }
      list.push_back(*p);
    }
    if (list.empty()) {
      Fail(kPlatforms, "is empty; list one or more platforms separated by ';'");
      return;
    }
    out->platforms = std::move(list);
  }

  void ParseLink(std::string_view s, CalendarRow* out) {
    if (s.empty()) return;
    std::string lower;
    for (size_t i = 0; i < s.size() && i < 8; ++i) lower.push_back(LowerAscii(s[i]));
    size_t scheme = 0;
    if (lower.starts_with("https://")) {
      scheme = 8;
    } else if (lower.starts_with("http://")) {
      scheme = 7;
    }
    if (scheme == 0) {
      Fail(kLink, "must be a full web address starting with https:// or http://");
      return;
    }
    if (s.size() > kMaxLinkBytes) {
      Fail(kLink, Cat("is longer than ", kMaxLinkBytes, " bytes"));
      return;
    }
    for (char c : s) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
        Fail(kLink, "holds a space or control character; encode spaces as %20");
        return;
      }
    }
    const std::string_view rest = s.substr(scheme);
    const size_t host_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, host_end);
    if (authority.empty() || authority.front() == ':' || authority.front() == '@') {
      Fail(kLink, "has no host name after the scheme");
      return;
    }
    out->link = std::string(s);
  }

  void ParseHashtags(std::string_view s, CalendarRow* out) {
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (IsAsciiSpace(s[i]) || s[i] == ',' || s[i] == ';')) ++i;
      size_t end = i;
      while (end < s.size() && !IsAsciiSpace(s[end]) && s[end] != ',' && s[end] != ';') ++end;
      if (end == i) break;
      std::string_view tag = s.substr(i, end - i);
      const size_t number = out->hashtags.size() + 1;
      i = end;
      if (tag.front() == '#') tag.remove_prefix(1);
      if (tag.empty()) {
        Fail(kHashtags, Cat("hashtag ", number, " is a lone '#'"));
        return;
      }
      if (tag.size() > kMaxHashtagBytes) {
        Fail(kHashtags, Cat("hashtag ", number, " is longer than ", kMaxHashtagBytes, " bytes"));
        return;
      }
      for (char c : tag) {
        const auto u = static_cast<unsigned char>(c);
        const bool allowed = u >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '_';
        if (!allowed) {
          Fail(kHashtags, Cat("hashtag ", number,
                              " holds punctuation; hashtags take letters, digits and _ "
                              "(separate tags with spaces)"));
          return;
        }
      }
      out->hashtags.emplace_back(tag);
    }
  }

  void ParseStatus(std::string_view s, CalendarRow* out) {
    if (s.empty()) {
      out->status = PostStatus::kDraft;
      return;
    }
    std::string allowed;
    for (PostStatus a : options_.allowed_statuses) {
      core::Append(&allowed, allowed.empty() ? "" : ", ", PostStatusName(a));
    }
    if (allowed.empty()) allowed = "draft";
    const std::optional<PostStatus> st = ParsePostStatus(s);
    if (!st.has_value()) {
      Fail(kStatus, Cat("is not a post status; leave it empty for a draft or use ", allowed));
      return;
    }
    if (*st != PostStatus::kDraft &&
        std::find(options_.allowed_statuses.begin(), options_.allowed_statuses.end(), *st) ==
            options_.allowed_statuses.end()) {
      Fail(kStatus, Cat("status ", PostStatusName(*st),
                        " cannot be imported (imported posts go through review); use ", allowed));
      return;
    }
    out->status = *st;
  }

  const CsvImportOptions& options_;
  const ColumnMap& map_;
  Problems* problems_;
  int row_ = 0;
  bool ok_ = true;
  std::array<bool, kColumnCount> unreadable_{};
};

// Excel writes "CSV" with semicolons where the comma is the decimal separator (most of
// Europe). The header row decides: no comma in it but a semicolon means ';'.
char DetectSeparator(std::string_view data) {
  bool quoted = false;
  bool semicolon = false;
  for (char c : data) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ',') return ',';
    if (c == ';') semicolon = true;
  }
  return semicolon ? ';' : ',';
}

// Receives libcsv's callbacks and turns records into rows with spreadsheet numbers.
class Importer {
 public:
  explicit Importer(const CsvImportOptions& options)
      : options_(options),
        problems_(options.max_problems),
        rows_parser_(options, map_, &problems_) {
    map_.fill(-1);
  }

  CsvImport Run(std::string_view data) {
    if (data.size() > options_.max_file_bytes) {
      problems_.Add(0, 0, "",
                    Cat("the file is larger than the limit of ", options_.max_file_bytes,
                        " bytes; split it"));
      return Finish();
    }
    if (data.starts_with(kBom)) data.remove_prefix(kBom.size());
    if (data.starts_with("\xFF\xFE") || data.starts_with("\xFE\xFF")) {
      problems_.Add(0, 0, "", "the file is UTF-16; save it as \"CSV UTF-8\"");
      return Finish();
    }
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
      problems_.Add(0, 0, "", "out of memory");
      return Finish();
    }
    csv_set_delim(&parser, static_cast<unsigned char>(DetectSeparator(data)));
    bool parse_error = false;
    for (size_t pos = 0; pos < data.size() && !stop_;) {
      const size_t n = std::min(kChunkBytes, data.size() - pos);
      const size_t used =
          csv_parse(&parser, data.data() + pos, n, &Importer::OnCell, &Importer::OnRecordEnd, this);
      if (used != n) {
        parse_error = true;
        break;
      }
      pos += n;
    }
    if (parse_error) {
      if (csv_error(&parser) == CSV_EPARSE) {
        problems_.Add(row_, 0, "",
                      "malformed CSV: a cell has a quote inside it without starting with one, "
                      "or text follows a closing quote (double a quote inside a quoted cell)");
      } else {
        problems_.Add(row_, 0, "", "out of memory while reading the file");
      }
    } else if (!stop_) {
      if (csv_fini(&parser, &Importer::OnCell, &Importer::OnRecordEnd, this) != 0) {
        problems_.Add(row_, 0, "", "a quoted cell is never closed (a closing quote is missing)");
      }
    }
    csv_free(&parser);
    if (!parse_error && !stop_ && !header_seen_) {
      problems_.Add(1, 0, "", "the file is empty; the first row must name the columns");
    }
    return Finish();
  }

 private:
  static void OnCell(void* s, size_t len, void* self) {
    auto* me = static_cast<Importer*>(self);
    if (me->stop_) return;
    ++me->cells_in_record_;
    // Oversized cells are reported by column when the row ends; keep an empty stand-in.
    if (len > me->options_.max_cell_bytes) {
      me->oversized_.push_back(me->record_.size());
      me->record_.emplace_back();
      return;
    }
    me->record_.emplace_back(static_cast<const char*>(s), len);
  }

  static void OnRecordEnd(int terminator, void* self) {
    auto* me = static_cast<Importer*>(self);
    if (me->stop_) return;
    const int previous = me->last_terminator_;
    me->last_terminator_ = terminator;
    if (me->cells_in_record_ == 0 && terminator == '\n' && previous == '\r') {
      me->last_terminator_ = 0;  // the LF of a CRLF, not a blank row
      return;
    }
    me->EndRecord();
  }

  void EndRecord() {
    const int row = row_++;
    std::vector<std::string> cells = std::move(record_);
    std::vector<size_t> oversized = std::move(oversized_);
    record_.clear();
    oversized_.clear();
    cells_in_record_ = 0;
    if (!header_seen_) {
      if (cells.empty() || std::all_of(cells.begin(), cells.end(),
                                       [](const std::string& c) { return TrimAscii(c).empty(); })) {
        problems_.Add(row, 0, "",
                      "the first row must name the columns (date, time, brand, platforms, "
                      "text, ...); it is blank");
        stop_ = true;
        return;
      }
      header_seen_ = true;
      ReadHeader(row, cells);
      if (!problems_.empty()) stop_ = true;  // rows cannot be read without their columns
      return;
    }
    if (row - 1 > static_cast<int>(options_.max_rows)) {
      problems_.Add(
          row, 0, "",
          Cat("the file has more than ", options_.max_rows, " rows; split it into smaller files"));
      stop_ = true;
      return;
    }
    if (std::all_of(cells.begin(), cells.end(),
                    [](const std::string& c) { return TrimAscii(c).empty(); }) &&
        oversized.empty()) {
      return;  // blank row
    }
    bool ok = true;
    for (size_t i : oversized) {
      const int column = ColumnAt(i);
      problems_.Add(row, static_cast<int>(i) + 1,
                    column >= 0 ? kCalendarCsvColumns[column] : std::string_view(),
                    Cat("is longer than the limit of ", options_.max_cell_bytes, " bytes"));
      ok = false;
    }
    for (size_t i = header_size_; i < cells.size(); ++i) {
      if (!TrimAscii(cells[i]).empty()) {
        problems_.Add(row, static_cast<int>(i) + 1, "",
                      Cat("the row has a cell past the last column of the header (", header_size_,
                          " columns)"));
        ok = false;
        break;
      }
    }
    if (!ok) return;
    CalendarRow parsed;
    if (rows_parser_.Parse(row, cells, &parsed)) rows_.push_back(std::move(parsed));
  }

  int ColumnAt(size_t cell_index) const {
    for (int c = 0; c < kColumnCount; ++c) {
      if (map_[c] == static_cast<int>(cell_index)) return c;
    }
    return -1;
  }

  void ReadHeader(int row, const std::vector<std::string>& cells) {
    header_size_ = cells.size();
    for (size_t i = 0; i < cells.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      std::string_view name = cells[i];
      if (i == 0 && name.starts_with(kBom)) name.remove_prefix(kBom.size());
      name = TrimAscii(name);
      if (name.empty()) {
        problems_.Add(row, index, "", "the header cell is empty; every column needs a name");
        continue;
      }
      std::string lower;
      for (char c : name) lower.push_back(c == ' ' ? '_' : LowerAscii(c));
      int found = -1;
      for (int c = 0; c < kColumnCount; ++c) {
        if (lower == kCalendarCsvColumns[c]) found = c;
      }
      if (found < 0) {
        std::string known;
        for (std::string_view k : kCalendarCsvColumns) {
          core::Append(&known, known.empty() ? "" : ", ", k);
        }
        problems_.Add(row, index, "", Cat("unknown column name; the columns are ", known));
        continue;
      }
      if (map_[found] >= 0) {
        problems_.Add(row, index, kCalendarCsvColumns[found],
                      Cat("the column appears twice (also column ",
                          SpreadsheetColumnName(map_[found] + 1), ")"));
        continue;
      }
      map_[found] = static_cast<int>(i);
    }
    for (int c : {kDate, kTime, kBrand, kPlatforms, kText}) {
      if (map_[c] < 0) problems_.Add(row, 0, kCalendarCsvColumns[c], "required column is missing");
    }
    if (map_[kTimeZone] < 0 && options_.default_time_zone.empty()) {
      problems_.Add(row, 0, kCalendarCsvColumns[kTimeZone], "required column is missing");
    }
  }

  CsvImport Finish() {
    CsvImport out;
    out.problems_left_off = problems_.left_off();
    out.problems = problems_.TakeList();
    out.columns.assign(header_size_, "");
    for (int c = 0; c < kColumnCount; ++c) {
      if (map_[c] >= 0) out.columns[map_[c]] = kCalendarCsvColumns[c];
    }
    if (out.problems.empty() && out.problems_left_off == 0) out.rows = std::move(rows_);
    return out;
  }

  const CsvImportOptions& options_;
  ColumnMap map_;
  Problems problems_;
  RowParser rows_parser_;
  std::vector<CalendarRow> rows_;
  std::vector<std::string> record_;
  std::vector<size_t> oversized_;
  size_t cells_in_record_ = 0;
  size_t header_size_ = 0;
  int row_ = 1;  // the spreadsheet number of the record being read
  int last_terminator_ = 0;
  bool header_seen_ = false;
  bool stop_ = false;
};

std::string FormatTwo(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

void AppendCell(std::string* out, std::string_view value) {
  std::string guarded;
  if (NeedsFormulaGuard(value)) {
    guarded = Cat('\'', value);
    value = guarded;
  }
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                         value.back() == ' ' || value.back() == '\t'));
  if (!quote) {
    out->append(value);
    return;
  }
  // libcsv writes the quoted form, doubling every quote inside.
  const size_t need = csv_write(nullptr, 0, value.data(), value.size());
  const size_t at = out->size();
  out->resize(at + need);
  csv_write(out->data() + at, need, value.data(), value.size());
}

}  // namespace

std::string SpreadsheetColumnName(int index) {
  std::string s;
  while (index > 0) {
    const int r = (index - 1) % 26;
    s.insert(s.begin(), static_cast<char>('A' + r));
    index = (index - 1) / 26;
  }
  return s;
}

std::string CsvProblem::ToString() const {
  if (row == 0) return Cat("file: ", message);
  std::string s = Cat("row ", row);
  if (!column.empty() && column_index > 0) {
    core::Append(&s, ", column ", column, " (", SpreadsheetColumnName(column_index), ")");
  } else if (!column.empty()) {
    core::Append(&s, ", column ", column);
  } else if (column_index > 0) {
    core::Append(&s, ", column ", SpreadsheetColumnName(column_index));
  }
  core::Append(&s, ": ", message);
  return s;
}

absl::Status CsvImport::ToStatus() const {
  if (ok()) return absl::OkStatus();
  std::string m = "the calendar file was not imported:";
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < problems.size() && i < kShown; ++i) {
    core::Append(&m, "\n", problems[i].ToString());
  }
  const size_t more = problems_left_off + (problems.size() > kShown ? problems.size() - kShown : 0);
  if (more > 0) core::Append(&m, "\n... and ", more, " more problems");
  return absl::InvalidArgumentError(m);
}

int CsvColumnIndex(const CsvImport& import, std::string_view column) {
  for (size_t i = 0; i < import.columns.size(); ++i) {
    if (import.columns[i] == column) return static_cast<int>(i) + 1;
  }
  return 0;
}

CsvImport ImportCalendarCsv(std::string_view data, const CsvImportOptions& options) {
  Importer importer(options);
  return importer.Run(data);
}

absl::StatusOr<std::string> ExportCalendarCsv(std::span<const CalendarRow> rows,
                                              const CsvExportOptions& options) {
  // Every row is checked by the import's own parser, so what is written imports back.
  CsvImportOptions check;
  check.allowed_statuses.assign(kAllPostStatuses.begin(), kAllPostStatuses.end());
  check.max_problems = 1;
  check.max_cell_bytes = std::numeric_limits<size_t>::max();
  ColumnMap map;
  for (int c = 0; c < kColumnCount; ++c) map[c] = c;
  Problems problems(1);
  RowParser parser(check, map, &problems);

  std::string out;
  if (options.write_bom) out.append(kBom);
  const int first = options.include_id ? 0 : 1;
  for (int c = first; c < kColumnCount; ++c) {
    if (c > first) out.push_back(',');
    out.append(kCalendarCsvColumns[c]);
  }
  out.append("\r\n");

  std::vector<std::string> cells(kColumnCount);
  for (size_t i = 0; i < rows.size(); ++i) {
    const CalendarRow& r = rows[i];
    const absl::CivilMinute t = r.local_time;
    cells[kId] = r.id.has_value() ? std::to_string(*r.id) : std::string();
    cells[kDate] = t.year() >= 1970 && t.year() <= 9999
                       ? Cat(t.year(), '-', FormatTwo(t.month()), '-', FormatTwo(t.day()))
                       : std::string();
    cells[kTime] = Cat(FormatTwo(t.hour()), ':', FormatTwo(t.minute()));
    cells[kTimeZone] = r.time_zone;
    cells[kBrand] = r.brand;
    cells[kCampaign] = r.campaign;
    cells[kPlatforms].clear();
    for (Platform p : r.platforms) {
      core::Append(&cells[kPlatforms], cells[kPlatforms].empty() ? "" : ";", PlatformName(p));
    }
    cells[kText] = NormalizeLineBreaks(r.text);
    cells[kLink] = r.link;
    cells[kFirstComment] = NormalizeLineBreaks(r.first_comment);
    cells[kHashtags].clear();
    for (const std::string& h : r.hashtags) {
      core::Append(&cells[kHashtags], cells[kHashtags].empty() ? "#" : " #", h);
    }
    cells[kStatus] = std::string(PostStatusName(r.status));

    std::vector<std::string> guarded(kColumnCount);
    for (int c = 0; c < kColumnCount; ++c) {
      guarded[c] = NeedsFormulaGuard(cells[c]) ? Cat('\'', cells[c]) : cells[c];
    }
    CalendarRow back;
    if (!parser.Parse(static_cast<int>(i), guarded, &back)) {
      std::vector<CsvProblem> list = problems.TakeList();
      const CsvProblem& p = list.front();
      return absl::InvalidArgumentError(
          Cat("calendar row ", i, " cannot be exported: ", p.column, " ", p.message));
    }
    const std::pair<int, bool> same[] = {
        {kBrand, back.brand == r.brand},
        {kCampaign, back.campaign == r.campaign},
        {kTimeZone, back.time_zone == r.time_zone},
        {kLink, back.link == r.link},
        {kText, back.text == cells[kText]},
        {kFirstComment, back.first_comment == cells[kFirstComment]},
    };
    for (const auto& [column, equal] : same) {
      if (!equal) {
        return absl::InvalidArgumentError(Cat("calendar row ", i,
                                              " cannot be exported: ", kCalendarCsvColumns[column],
                                              " has leading or trailing spaces"));
      }
    }
    if (back.hashtags != r.hashtags) {
      return absl::InvalidArgumentError(
          Cat("calendar row ", i,
              " cannot be exported: a hashtag is empty, starts with '#' or holds a separator "
              "(space, ',' or ';')"));
    }
    for (int c = first; c < kColumnCount; ++c) {
      if (c > first) out.push_back(',');
      AppendCell(&out, cells[c]);
    }
    out.append("\r\n");
  }
  return out;
}

}  // namespace carepost::plan
