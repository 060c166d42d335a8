// The PHI stage: finds the HIPAA Safe Harbor identifiers that can appear in text.
//
// Structured identifiers (e-mail, URL, IP, phone, fax, SSN, card and IBAN numbers, labelled
// record/plan/account/licence/vehicle/device numbers, dates, ages over 89, street addresses,
// rooms and beds) come from patterns in the shared Hyperscan pass plus a validator in C++
// (Luhn, mod-97, calendar ranges). Names and places come from a token pass over the
// Document: gazetteer look-ups (phi_lexicon.h) for the tokens that can be names, cue words
// found by the same Hyperscan pass ("my son", "Dr.", ", RN", "transferred to"), the shape
// of the original text (capitalised in a text that uses case), and propagation of a name
// found once to its other mentions.
//
// Whether a span is PHI also depends on the text: dates, facility names and clinicians'
// names count only when the text is about a patient (see PatientContext), and everything in
// the organization profile (its names, places, phones, domains, handles, clinicians) is
// never a finding.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "guard/phi_lexicon.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

enum class PhiType : uint8_t {
  kName, kGeo, kDate, kAge, kPhone, kFax, kEmail, kSsn, kMrn, kHealthPlan, kAccount,
  kLicense, kVehicle, kDevice, kUrl, kIp, kBiometric, kOtherId
};

// A candidate span on Document::norm().
struct Cand {
  uint32_t nb = 0;
  uint32_t ne = 0;
  PhiType type = PhiType::kName;
  uint8_t prio = 0;  // higher wins an overlap
};

// What each registered pattern means. Order is free; ids are assigned as registered.
enum class Pat : uint8_t {
  kEmail,
  kUrl,
  kDomain,
  kIpv4,
  kIpv6,
  kPhoneUs,
  kPhoneIntl,
  kPhoneGroups,
  kPager,
  kSsn,
  kLongDigits,
  kCardGroups,
  kIban,
  kMbi,
  kVin,
  kDateNum,
  kDateIso,
  kDateMonthDay,
  kDateDayMonth,
  kDateMonthYear,
  kOrdinalDay,
  kWeekday,
  kHoliday,
  kAge,
  kAgeBirthday,
  kStreet,
  kStreetEu,
  kStreetPrefix,
  kPoBox,
  kMilitary,
  kUnitNumber,
  kZipCue,
  kZip,
  kStateZip,
  kAddressCue,
  kNumWordNum,
  kAlnumId,
  kTransferCue,
  kFacility,
  kCueSsn,
  kCueMrn,
  kCueHealthPlan,
  kCueAccount,
  kCueLicense,
  kCueVehicle,
  kCueDevice,
  kCueOther,
  kTitle,
  kStaffTitle,
  kKin,
  kIntro,
  kWeakIntro,
  kRole,
  kPatient,
  kPersonDate,
  kOrg,
  kCount
};

struct PatternDef {
  Pat pat;
  const char* regex;
};

constexpr char kMonths[] =
    "(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|"
    "oct(ober)?|nov(ember)?|dec(ember)?)";

// Patterns run on Document::norm() (lower case, accents stripped, ASCII punctuation).
const PatternDef kPatterns[] = {
    {Pat::kEmail, R"([a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,24}\b)"},
    {Pat::kUrl, R"(\b(https?://|www\.)[^\s<>"'()\[\]{}|]+)"},
    {Pat::kDomain,
     R"(\b[a-z0-9][a-z0-9\-]*(\.[a-z0-9\-]+)*\.(com|org|net|edu|gov|io|co|me|ly|info|biz|us|uk|de|se|dk|be|br|cy|fr|it|es|nl|ca|au|ch|at|no|fi|is|pl|cz|hu|ee|health|care|page|site|blog|app)\b(/[^\s<>"'()\[\]{}|]*)?)"},
    {Pat::kIpv4, R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)"},
    {Pat::kIpv6, R"(\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b)"},
    {Pat::kPhoneUs,
     R"((\+?\b1[\s.\-]?)?(\(\d{3}\)\s?|\b\d{3}[\s.\-/])\d{3}[\s.\-]\d{4}\b(\s*(x|ext\.?|extension)\s*\d{1,6}\b)?)"},
    {Pat::kPhoneUs, R"(\b\d{10}\b)"},
    {Pat::kPhoneIntl,
     R"((\+|\b00)\d{1,3}[\s.\-]?(\(0?\d{1,4}\)[\s.\-]?)?\d{1,5}([\s.\-]?\d{2,5}){1,4}\b(\s*(x|ext\.?)\s*\d{1,6}\b)?)"},
    {Pat::kPhoneGroups, R"(\b\(?\d{2,4}\)?([\s.\-]\d{2,8}){1,4}\b(x\d{1,6}\b)?)"},
    {Pat::kPager, R"(\b(pager|beeper|pgr|pg|page|cell|cell\s?phone|home|work|office)\s*(number|no\.?|num)?\s*[:#]?\s*#?\s*\d{4,6}\b)"},
    {Pat::kSsn, R"(\b\d{3}[\s\-]\d{2}[\s\-]\d{4}\b)"},
    {Pat::kLongDigits, R"(\b\d{11,19}\b)"},
    {Pat::kCardGroups, R"(\b\d{4}[\s\-]\d{4}[\s\-]\d{4}[\s\-]\d{1,7}\b)"},
    {Pat::kCardGroups, R"(\b\d{4}[\s\-]\d{6}[\s\-]\d{4,5}\b)"},
    {Pat::kIban, R"(\b[a-z]{2}\d{2}[a-z0-9]{11,30}\b)"},
    {Pat::kIban, R"(\b[a-z]{2}\d{2}( [a-z0-9]{4}){2,7}( [a-z0-9]{1,4})?\b)"},
    {Pat::kMbi,
     R"(\b[1-9][ac-hj-kmnp-rt-y][ac-hj-kmnp-rt-y0-9]\d-?[ac-hj-kmnp-rt-y][ac-hj-kmnp-rt-y0-9]\d-?[ac-hj-kmnp-rt-y]{2}\d{2}\b)"},
    {Pat::kVin, R"(\b[a-hj-npr-z0-9]{17}\b)"},
    {Pat::kDateNum, R"(\b\d{1,2}[/\-.]\d{1,2}([/\-.]\d{2,4})?\b)"},
    {Pat::kDateIso, R"(\b(19|20)\d\d[\-/.]\d{1,2}[\-/.]\d{1,2}\b(\s+\d{1,2}:\d{2}(:\d{2})?\b)?)"},
    {Pat::kDateMonthDay, R"(\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?\s+\d{1,2}(st|nd|rd|th)?\b(,?\s+(19|20)\d\d\b)?)"},
    {Pat::kDateDayMonth, R"(\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b\.?(,?\s+(19|20)\d\d\b)?)"},
    {Pat::kDateMonthYear, R"(\b(jan(uary)?|feb(ruary)?|march|apr(il)?|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?,?\s+(of\s+)?(19|20)\d\d\b)"},
    {Pat::kOrdinalDay, R"(\bthe\s+\d{1,2}(st|nd|rd|th)\b)"},
    {Pat::kWeekday, R"(\b(last|this past|next|on|this|since|until|till|by)\s+(mon|tues|wednes|thurs|fri|satur|sun)day\b)"},
    {Pat::kWeekday, R"(\b(mon|tues|wednes|thurs|fri|satur|sun)day\b)"},
    {Pat::kHoliday, R"(\b(christmas( eve| day)?|thanksgiving|new year'?s( eve| day)?|easter( sunday)?|halloween|independence day|(fourth|4th) of july|valentine'?s day|mother'?s day|father'?s day|memorial day|labor day)\b)"},
    {Pat::kAge, R"(\b\d{2,3}\s*(-\s*|\s)?(years?|yrs?|y)\.?\s*(-\s*|\s)?old\b)"},
    {Pat::kAge, R"(\b\d{2,3}\s*-?\s*(yo|y/o|y\.o\.?|yrs?|years?|year)\b)"},
    {Pat::kAge, R"(\b(age|aged|ages|turned|turns|turning)\s*:?\s*\d{2,3}\b)"},
    {Pat::kAgeBirthday, R"(\b\d{2,3}(st|nd|rd|th)\s+birthday\b)"},
    {Pat::kStreet,
     R"(\b\d{1,6}[a-z]?(\s+[a-z][a-z'\-]*\.?){1,4}\s+(street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|place|pl|way|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|route|rte|trail|trl|square|sq|plaza|close|crescent|row|pike|turnpike|alley|loop|path|walk|crossing|point|landing|heights|hts|rapids|cliffs|islands|union|forges|parks|bridge|green|hill|creek|dale|park)\b\.?)"},
    {Pat::kStreetEu,
     R"(\b[^\s\d,;:!?/()]{2,}(strasse|gasse|weg|gata|gatan|gade|vej|veien|vegen|katu|kuja|tie|utca|ulica|straat|laan|plein|allee|platz|ring|vagen|steig|markt)\s+\d{1,5}[a-z]?\b)"},
    {Pat::kStreetPrefix,
     R"(\b(via|rue|calle|avenida|av|avenue|rua|piazza|piazzetta|ul|plac|boulevard|bd|trg|quadra|viale|corso|largo|travessa|praca|carrer|strada|str|odos|leoforos|plateia|aleja|namesti|ulitsa|r)\.?\s+([^\s\d,;:!?/()]+\s+){0,4}\d{1,5}[a-z]?\b)"},
    {Pat::kPoBox, R"(\b(p\.?\s?o\.?\s?box|postbox|post office box|box|psc)\s+\d{1,6}\b)"},
    {Pat::kMilitary, R"(\b(apo|dpo|fpo)\s+(aa|ae|ap)\s+\d{5}\b)"},
    {Pat::kUnitNumber,
     R"(\b(suite|ste|apt|apartment|unit|room|rm|bed|bay|floor|fl|flat|lot|space)\.?\s*#?\s*\d{1,5}[a-z]?\b)"},
    {Pat::kZipCue, R"(\b(zip|zip code|zipcode|postal code|postcode)\s*:?\s*\d{3,5}(\s?[a-z]{2}|\s\d{2}|-\d{4})?\b)"},
    {Pat::kZip, R"(\b\d{5}(-\d{4})?\b)"},
    {Pat::kStateZip,
     R"(\b(al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|pr)\.?,?\s+\d{5}(-\d{4})?\b)"},
    {Pat::kAddressCue,
     R"(\b(address( is)?|addresses|lives on|lives at|live at|living at|located at|meet me at|meet you at|mail it to|send it to|sent to|return to|deliver(ed)? to|drops you off at|office is at|restaurant is at|it's in|it is in|it is|corner of)\s*:?\s*)"},
    {Pat::kNumWordNum,
     R"(\b\d{2,6}\s+[^\s\d,;:!?/()]{2,}(\s+[^\s\d,;:!?/()]+){0,3}\s+\d{1,5}[a-z]?\b)"},
    {Pat::kAlnumId, R"(\b[a-z]{1,3}-?\d{6,10}\b)"},
    {Pat::kTransferCue,
     R"(\b(transferr?ed|transfer|tx'?d|xfer'?d|admitted|readmitted|sent|came|arrived|taken|brought|presented|medflight(ed)?|referred|accepted|screened|followed|seen|returned|went)\s+(back\s+)?(in|into|to|at|from|by|via amb from)\s+(the\s+)?)"},
    {Pat::kFacility,
     R"(\b(hospital|hosp|medical center|med ctr|med center|medical ctr|regional|memorial|rehab|rehabilitation|clinic|health center|nursing home|nursing facility|hospice|infirmary|manor|health system|cancer center|heart center|children's)\b)"},
    {Pat::kCueSsn, R"(\b(ssn|ss#|ss no|social security( number| no| #| card)?|social)\s*)"},
    {Pat::kCueMrn,
     R"(\b(mrn|mr#|mr no|medical record( number| no| #| num)?|med rec( number| no| #)?|record( number| no| ?#)|chart( number| no| ?#)?|patient( id| number| ?#| no)|pt( id| ?#)|hospital number|unit number|wristband)\s*)"},
    {Pat::kCueHealthPlan,
     R"(\b(member( id| number| ?#| no)?|subscriber( id| number| ?#)?|policy( number| ?#| no| id)?|medicare( number| id| ?#| card| no| beneficiary identifier)?|medicaid( number| id| ?#| card| no)?|insurance( id| number| ?#| card)|beneficiary( id| number)?|health plan( id| number)?|plan( id| number| ?#)|group( number| ?#| no))\s*)"},
    {Pat::kCueAccount,
     R"(\b(account|acct|a/c|guarantor account|invoice|inv|statement|billing( number| no| ?#)|card( number| no| ?#)?|card ending( in)?|ending in|cc|credit card|debit card|iban|routing( number)?|bank account)\s*)"},
    {Pat::kCueLicense,
     R"(\b(driver'?s'? licen[cs]e|drivers? licen[cs]e|driving licen[cs]e|dl|dl#|licen[cs]e( number| no| ?#)?|certificate( number| no| ?#)?|cert( no| ?#)|npi|dea( number| no| ?#)?|birth certificate|death certificate)\s*)"},
    {Pat::kCueVehicle,
     R"(\b(licen[cs]e plate|plates?( number| no| ?#)?|tag( number| no| ?#)|vin( number| no| ?#)?|vehicle id)\s*)"},
    {Pat::kCueDevice,
     R"(\b(serial( number| no| ?#)?|s/n|sn|sn#|udi|device( id| number| ?#)|imei|model( number| no| ?#))\s*)"},
    {Pat::kCueOther,
     R"(\b((case|claim|ticket|reference|ref|confirmation|order|student|employee|badge|tracking|encounter|visit|passport|portal|username|user id|login)\s*(number|no\.?|#|id|num|name)|id( number| no| ?#)|passport|claim)\s*)"},
    {Pat::kTitle,
     R"(\b(mr|mrs|ms|miss|mister|mx|rev|reverend|pastor|rabbi|coach|officer|sgt|capt|judge|baby (boy|girl))\b\.?)"},
    {Pat::kStaffTitle, R"(\b(dr|drs|doctor|nurse|np|prof|professor|dr's)\b\.?)"},
    {Pat::kKin,
     R"(\b(son|sons|daughter|daughters|dtr|husband|hsb|hus|wife|mom|mother|mum|mama|dad|father|papa|brother|bro|sister|sis|aunt|auntie|uncle|niece|neice|nephew|cousin|grandson|granddaughter|grand daughter|grand son|grandmother|grandma|granny|grandfather|grandpa|fiance|fiancee|boyfriend|girlfriend|partner|friend|neighbor|neighbour|roommate|stepson|stepdaughter|(son|daughter|dtr|sister|brother|father|mother)[\- ]in[\- ]law|proxy|spokesperson|caseworker|case manager|guardian|newborn|baby|twins?|kiddo)s?\b\s*(,|:|-|is|was|named)?\s*)"},
    {Pat::kIntro,
     R"(\b(my name is|name is|name's|name|named|called|calls me|i'm|i am|this is|meet|thanks to|thank you|pray(ing)? for|prayers for|congrats to|congratulations to|shout ?out to|happy birthday( to)?|rip|in memory of|maiden name is)\b\s*(,|:|-)?\s*)"},
    {Pat::kWeakIntro,
     R"(\b(per|spoke with|spoke w/|talked with|talked to|visited by|contact|contacts|page|paged|under|signed|said|ask for|asked for|tell|told|w/|with|by|and|to|from|for|is|was|heard|about|of|guardian|add)\b\s*(,|:|-)?\s*)"},
    {Pat::kRole,
     R"(\b(rn|r\.n|rrt|crt|md|m\.d|lpn|cna|msw|lcsw|pa-c|pharmd|dds|crna|aprn|fnp|bsn|msn|rnc|np)\b)"},
    {Pat::kPatient,
     R"(\b(patient|pt|pts|admitted|admission|readmitted|discharged|diagnosed|hospitali[sz]ed|intubated|extubated|sedated|npn|nsg|chart|mrn|dob|bedside|passed away|icu|nicu|micu|ccu|er|my (son|daughter|husband|wife|mom|mother|dad|father|baby|brother|sister|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle|niece|nephew)|surgery|stay|visit|room|bed)\b)"},
    {Pat::kPersonDate,
     R"(\b(born|dob|d\.o\.b|birthday|birth date|date of birth|admitted|admission|discharged|discharge|died|passed|death|surgery|seen|visit|appointment|appt|diagnosed|delivered|transferred|since|until|on|from|date|dated)\b)"},
};

constexpr std::string_view kTypeNames[] = {
    "NAME",    "GEO",     "DATE",    "AGE_OVER_89", "PHONE",  "FAX",    "EMAIL",
    "SSN",     "MRN",     "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
    "URL",     "IP",      "BIOMETRIC", "OTHER_ID"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAsciiWordByte(static_cast<unsigned char>(c)); }

int CountDigits(std::string_view s) {
  int n = 0;
  for (char c : s) n += IsDigit(c);
  return n;
}

bool Luhn(std::string_view s) {
  int sum = 0, n = 0;
  for (size_t i = s.size(); i-- > 0;) {
    if (!IsDigit(s[i])) continue;
    int d = s[i] - '0';
    if (n++ % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n >= 12 && sum % 10 == 0;
}

bool IbanValid(std::string_view s) {
  std::string c;
  for (char ch : s) {
    if (ch != ' ') c.push_back(ch);
  }
  if (c.size() < 15 || c.size() > 34) return false;
  std::string r = c.substr(4) + c.substr(0, 4);
  int mod = 0;
  for (char ch : r) {
    if (IsDigit(ch)) {
      mod = (mod * 10 + (ch - '0')) % 97;
    } else if (ch >= 'a' && ch <= 'z') {
      const int v = ch - 'a' + 10;
      mod = (mod * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return mod == 1;
}

int ParseInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) break;
    v = v * 10 + (c - '0');
    if (v > 100000) break;
  }
  return v;
}

class PhiStage final : public Stage {
 public:
  absl::Status Init(const ScreenerOptions& o, StageBuilder& b) {
    RETURN_IF_ERROR(lex_.Load());
    for (const PatternDef& p : kPatterns) Register(b, p.pat, p.regex);
    // Organization profile: its own names and places are never findings.
    Document d;
    auto add_org = [&](std::string_view s) {
      if (s.empty()) return;
      d.Analyze(s);
      std::string n(d.norm());
      while (!n.empty() && (n.back() == ' ' || n.back() == '.')) n.pop_back();
      if (n.size() < 2) return;
      Register(b, Pat::kOrg, "", n);
    };
    for (const auto& s : o.org.names) add_org(s);
    for (const auto& s : o.org.facilities) add_org(s);
    for (const auto& s : o.org.addresses) add_org(s);
    for (const auto& s : o.org.clinicians) {
      add_org(s);
      // "Dr. Aisha Patel" is also written "Aisha Patel" and "Dr. Patel".
      d.Analyze(s);
      std::vector<std::string> words;
      for (const Token& t : d.tokens()) words.emplace_back(d.Norm(t));
      const bool titled = !words.empty() && (words[0] == "dr" || words[0] == "nurse");
      std::vector<std::string> core_words;
      for (size_t i = titled ? 1 : 0; i < words.size(); ++i) {
        if (words[i] == "rn" || words[i] == "md" || words[i] == "np" || words[i] == "do") break;
        core_words.push_back(words[i]);
      }
      if (core_words.size() >= 2) {
        std::string full;
        for (const auto& w : core_words) core::Append(&full, full.empty() ? "" : " ", w);
        add_org(full);
        add_org(core::Cat("dr ", core_words.back()));
        add_org(core::Cat("dr. ", core_words.back()));
        add_org(core::Cat("nurse ", core_words.front()));
      }
    }
    for (const auto& s : o.org.phones) {
      std::string digits;
      for (char c : s) {
        if (IsDigit(c)) digits.push_back(c);
      }
      if (digits.size() > 10) digits = digits.substr(digits.size() - 10);
      if (digits.size() >= 7) org_phones_.insert(digits);
    }
    for (const auto& s : o.org.domains) {
      d.Analyze(s);
      std::string n(d.norm());
      if (n.rfind("www.", 0) == 0) n = n.substr(4);
      if (!n.empty()) org_domains_.push_back(n);
    }
    for (const auto& s : o.org.handles) {
      d.Analyze(s);
      std::string n(d.norm());
      if (!n.empty() && n[0] == '@') n = n.substr(1);
      if (!n.empty()) org_handles_.insert(n);
    }
    return absl::OkStatus();
  }

  std::string_view name() const override { return "phi"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override;

 private:
  void Register(StageBuilder& b, Pat p, std::string_view regex, std::string_view literal = {}) {
    const uint32_t id = literal.empty() ? b.Add(regex) : b.AddWord(literal);
    if (pat_of_.size() <= id) pat_of_.resize(id + 1, Pat::kCount);
    pat_of_[id] = p;
  }

  friend class PhiScan;
  PhiLexicon lex_;
  std::vector<Pat> pat_of_;
  absl::flat_hash_set<std::string> org_phones_;
  std::vector<std::string> org_domains_;
  absl::flat_hash_set<std::string> org_handles_;
};

// Per-thread working memory, reused across texts so screening does not allocate once warm.
struct PhiScratch {
  std::array<std::vector<Match>, static_cast<size_t>(Pat::kCount)> by_pat;
  std::vector<Cand> cands;
  std::vector<LexEntry> lex;
  std::vector<uint8_t> looked;
  std::vector<uint16_t> before;  // cue marks on the token after a cue
  std::vector<uint8_t> after;    // a role suffix follows this token
  std::vector<uint8_t> name;     // 0 no, 1 name, 2 staff name
  std::vector<uint8_t> geo;
  std::vector<uint8_t> sent_informative;
  std::vector<std::string_view> name_keys;
  std::vector<std::string_view> geo_keys;
  std::string buf;
};

// Cue marks set on the token that follows a cue.
enum : uint16_t {
  kBTitle = 1 << 0,
  kBStaff = 1 << 1,
  kBKin = 1 << 2,
  kBIntro = 1 << 3,
  kBWeak = 1 << 4,
  kBTransfer = 1 << 5,
  kBAddress = 1 << 6,
};

bool IsStop(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kStop = {
      "the", "a", "an", "to", "at", "from", "in", "on", "of", "and", "or", "for", "with", "by",
      "our", "your", "my", "his", "her", "their", "this", "that", "these", "those", "is", "was",
      "be", "it", "its", "as", "all", "any", "no", "not", "but", "if", "so", "up", "out", "we",
      "you", "he", "she", "they", "i", "me", "him", "them", "us", "who", "what", "when", "where",
      "how", "why", "there", "here", "will", "would", "can", "could", "should", "may", "might",
      "has", "have", "had", "did", "do", "does", "are", "were", "been", "am", "just", "very",
      "also", "then", "than", "too", "via", "per", "w", "s", "into", "onto", "over", "under",
      "after", "before", "about", "some", "more", "most", "other", "new", "old", "same", "own",
      "get", "got", "go", "going", "went", "see", "seen", "lol", "omg", "rt", "via"};
  return kStop.contains(w);
}

// Words that name a place inside a facility ("Sacred Heart Memorial", "General Hospital").
bool IsFacilityWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "general", "memorial", "regional", "community", "university", "medical", "children's",
      "childrens", "st", "saint", "mount", "mt", "sacred", "holy", "county", "city", "state",
      "veterans", "va", "north", "south", "east", "west", "central", "baptist", "methodist",
      "presbyterian", "lutheran", "adventist", "mercy", "hope", "grace", "providence", "good",
      "samaritan", "heart", "cross", "valley", "lake", "river", "harbor", "square", "union"};
  return kWords.contains(w);
}

// Hospital units and generic places a patient is moved to: never a named facility.
bool IsUnitWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "icu", "micu", "sicu", "ccu", "csru", "nicu", "picu", "cvicu", "nsicu", "tsicu", "er",
      "ed", "ew", "or", "pacu", "ir", "ct", "mri", "floor", "floors", "unit", "rehab", "home",
      "cath", "lab", "osh", "hospital", "hosp", "hospice", "tele", "telemetry", "stepdown",
      "step", "ward", "room", "bed", "nursing", "snf", "ltac", "ltach", "clinic", "surgery",
      "dialysis", "hd", "endo", "gi", "ep", "radiology", "xray", "us", "echo", "ekg", "us",
      "medicine", "service", "team", "bedside", "chair", "commode", "shower", "bathroom",
      "family", "pt", "ot", "md", "me", "him", "her", "them", "us", "you", "her", "his",
      "there", "here", "them", "work", "school", "church", "bed", "sleep", "eat", "go", "be",
      "an", "a", "one", "two", "another", "outside", "other", "local", "this", "that",
      "ventilator", "vent", "cpap", "bipap", "rest", "evaluate", "eval", "assess", "see",
      "monitor", "recover", "rule", "further", "continue", "morgue", "ob", "l&d", "nicu",
      "transplant", "cardiology", "neurology", "neurosurgery", "psych", "psychiatry", "oncology"};
  return kWords.contains(w);
}

// Words that follow an eponym when it names a disease, sign or device rather than a person.
bool IsEponymTail(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "disease", "diseases", "syndrome", "palsy", "sign", "signs", "test", "score", "scale",
      "tube", "tubes", "catheter", "cath", "valve", "pouch", "procedure", "maneuver",
      "manoeuvre", "lymphoma", "sarcoma", "esophagus", "esophagitis", "ulcer", "phenomenon",
      "reflex", "criteria", "classification", "fundoplication", "draining", "drainage",
      "catheters", "to", "in", "dc'd", "d/c'd", "removed", "placed", "changed", "patent",
      "intact", "drained", "draining", "bag", "care", "irrigated", "monitor", "monitoring",
      "ganz", "line", "numbers", "protocol", "monitor", "position", "stocking", "stockings",
      "law", "shift", "stain", "smear", "triad", "chorea", "dementia", "gangrene",
      "disorder", "thyroiditis", "anomaly", "tumor", "tumour", "virus", "fever"};
  return kWords.contains(w);
}

bool IsRoleWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "rn", "rrt", "crt", "md", "lpn", "cna", "msw", "lcsw", "pharmd", "dds", "crna",
      "aprn", "fnp", "bsn", "msn", "rnc", "np"};
  return kWords.contains(w);
}

bool IsStateAbbrev(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kStates = {
      "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in",
      "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh",
      "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut",
      "vt", "va", "wa", "wv", "wi", "wy", "pr"};
  return kStates.contains(w);
}

// Generic public sites: a link to them does not identify a person.
bool IsPublicHost(std::string_view host) {
  static constexpr std::string_view kSuffixes[] = {
      ".gov", ".mil", "who.int", "cdc.gov", "nih.gov", "fda.gov", "medlineplus.gov",
      "mayoclinic.org", "clevelandclinic.org", "heart.org", "cancer.org", "wikipedia.org",
      "988lifeline.org", "samhsa.gov", "hhs.gov", "t.co", "bit.ly", "ow.ly", "tinyurl.com",
      "twitpic.com", "instagram.com", "youtube.com", "youtu.be", "twitter.com", "x.com"};
  for (std::string_view s : kSuffixes) {
    if (host.size() >= s.size() && host.substr(host.size() - s.size()) == s &&
        (host.size() == s.size() || s[0] == '.' || host[host.size() - s.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

std::string_view StripPossessive(std::string_view w) {
  if (w.size() > 2 && w.substr(w.size() - 2) == "'s") return w.substr(0, w.size() - 2);
  if (w.size() > 1 && w.back() == '\'') return w.substr(0, w.size() - 1);
  return w;
}

class PhiScan {
 public:
  PhiScan(const PhiStage& st, const Document& doc, PhiScratch& s)
      : st_(st), doc_(doc), s_(s), norm_(doc.norm()), toks_(doc.tokens()) {}

  void Run(std::span<const Match> hits, const ScreenRequest& request, std::vector<Finding>* out);

 private:
  const std::vector<Match>& M(Pat p) const { return s_.by_pat[static_cast<size_t>(p)]; }
  void Add(uint32_t nb, uint32_t ne, PhiType t, uint8_t prio) {
    if (ne > nb) s_.cands.push_back({nb, ne, t, prio});
  }
  std::string_view N(uint32_t b, uint32_t e) const { return norm_.substr(b, e - b); }
  std::string_view Base(size_t i) const { return StripPossessive(doc_.Norm(toks_[i])); }
  // Token index of the first token starting at or after normalised offset `off`.
  size_t TokenFrom(uint32_t off) const {
    size_t i = doc_.TokenAtOrAfter(off);
    while (i < toks_.size() && toks_[i].norm_begin < off) ++i;
    return i;
  }
  // Index of the last token ending at or before `off`, or npos.
  size_t TokenBefore(uint32_t off) const {
    size_t i = doc_.TokenAtOrAfter(off);
    while (i > 0 && (i >= toks_.size() || toks_[i].norm_end > off)) --i;
    if (i < toks_.size() && toks_[i].norm_end <= off) return i;
    return SIZE_MAX;
  }
  // True when the text between tokens a and a+1 is only spaces (and at most `extra` chars).
  bool TightGap(size_t a, std::string_view allowed) const {
    if (a + 1 >= toks_.size()) return false;
    for (uint32_t p = toks_[a].norm_end; p < toks_[a + 1].norm_begin; ++p) {
      const char c = norm_[p];
      if (c == ' ') continue;
      if (allowed.find(c) == std::string_view::npos) return false;
    }
    return toks_[a + 1].norm_begin - toks_[a].norm_end <= 3;
  }
  bool Informative(size_t i) const {
    const uint32_t s = toks_[i].sentence;
    return s < s_.sent_informative.size() && s_.sent_informative[s];
  }
  LexEntry Lex(size_t i) {
    if (!s_.looked[i]) {
      s_.looked[i] = 1;
      s_.lex[i] = st_.lex_.Lookup(Base(i));
    }
    return s_.lex[i];
  }
  bool LookbackHas(uint32_t nb, uint32_t window, std::initializer_list<std::string_view> words) const;
  bool SameSentenceCueBefore(Pat p, uint32_t nb, uint32_t window) const;

  void CollectHits(std::span<const Match> hits);
  void ComputeCasing();
  void MarkCues();
  void Structured();
  void Dates();
  void Addresses();
  void LabelledIds();
  void Names();
  void Places();
  void Resolve(const ScreenRequest& request, std::vector<Finding>* out);

  bool NameLike(size_t i, bool after_cue);
  bool ExtendsName(size_t i);
  bool EponymUse(size_t i);
  bool IsOrgSpan(uint32_t nb, uint32_t ne, PhiType t) const;

  const PhiStage& st_;
  const Document& doc_;
  PhiScratch& s_;
  std::string_view norm_;
  const std::vector<Token>& toks_;
  bool patient_ = false;
  bool doc_uses_case_ = false;
  std::vector<std::pair<uint32_t, uint32_t>> org_spans_;
};

void PhiScan::CollectHits(std::span<const Match> hits) {
  for (auto& v : s_.by_pat) v.clear();
  org_spans_.clear();
  for (const Match& m : hits) {
    if (m.id >= st_.pat_of_.size()) continue;
    const Pat p = st_.pat_of_[m.id];
    if (p == Pat::kOrg) {
      org_spans_.emplace_back(m.from, m.to);
      continue;
    }
    s_.by_pat[static_cast<size_t>(p)].push_back(m);
  }
  // Keep the longest match per start for each pattern kind, ordered by start.
  for (auto& v : s_.by_pat) {
    if (v.size() < 2) continue;
    std::sort(v.begin(), v.end(), [](const Match& a, const Match& b) {
      return a.from != b.from ? a.from < b.from : a.to > b.to;
    });
    size_t w = 0;
    for (size_t r = 0; r < v.size(); ++r) {
      if (w > 0 && v[w - 1].from == v[r].from) continue;
      if (w > 0 && v[r].to <= v[w - 1].to) continue;  // contained in the previous one
      v[w++] = v[r];
    }
    v.resize(w);
  }
  patient_ = !M(Pat::kPatient).empty();
}

void PhiScan::ComputeCasing() {
  const auto& sents = doc_.sentences();
  s_.sent_informative.assign(sents.size(), 0);
  int lower = 0, upper = 0, total = 0;
  for (const Token& t : toks_) {
    if (!t.Has(kTokAlpha) || t.end - t.begin < 2) continue;
    ++total;
    if (t.Has(kTokLower)) {
      ++lower;
    } else if (t.Has(kTokCapitalized) || t.Has(kTokAllCaps)) {
      ++upper;
    }
  }
  doc_uses_case_ = total > 0 && lower * 2 >= total && upper > 0;
  if (!doc_uses_case_) return;
  for (size_t si = 0; si < sents.size(); ++si) {
    int n = 0, caps = 0, allcaps = 0;
    for (uint32_t k = sents[si].first_token; k < sents[si].last_token; ++k) {
      const Token& t = toks_[k];
      if (!t.Has(kTokAlpha) || t.end - t.begin < 2) continue;
      ++n;
      caps += t.Has(kTokCapitalized);
      allcaps += t.Has(kTokAllCaps);
    }
    const bool title = n >= 4 && caps * 10 >= n * 7;
    const bool shouting = n >= 3 && allcaps * 10 >= n * 6;
    s_.sent_informative[si] = !title && !shouting;
  }
}

void PhiScan::MarkCues() {
  const size_t n = toks_.size();
  s_.before.assign(n, 0);
  s_.after.assign(n, 0);
  auto mark_next = [&](Pat p, uint16_t bit) {
    for (const Match& m : M(p)) {
      const size_t j = TokenFrom(m.to);
      if (j >= n) continue;
      // The cue and the word must be on one line, a few characters apart.
      if (toks_[j].norm_begin > m.to + 3) continue;
      bool newline = false;
      for (uint32_t q = m.to; q < toks_[j].norm_begin; ++q) newline |= norm_[q] == '\n';
      if (!newline) s_.before[j] |= bit;
    }
  };
  mark_next(Pat::kTitle, kBTitle);
  mark_next(Pat::kStaffTitle, kBStaff);
  mark_next(Pat::kKin, kBKin);
  mark_next(Pat::kIntro, kBIntro);
  mark_next(Pat::kWeakIntro, kBWeak);
  mark_next(Pat::kTransferCue, kBTransfer);
  for (const Match& m : M(Pat::kRole)) {
    const size_t j = TokenBefore(m.from);
    if (j == SIZE_MAX) continue;
    bool ok = true;
    for (uint32_t q = toks_[j].norm_end; q < m.from; ++q) {
      const char c = norm_[q];
      if (c != ' ' && c != ',' && c != '-') ok = false;
    }
    // "Mary Hulse, R.N." / "JON DEVAUX RRT" / "Warren Kavaliunas NP"
    if (ok && m.from - toks_[j].norm_end <= 3) s_.after[j] = 1;
  }
}

bool PhiScan::LookbackHas(uint32_t nb, uint32_t window,
                          std::initializer_list<std::string_view> words) const {
  const uint32_t b = nb > window ? nb - window : 0;
  std::string_view w = norm_.substr(b, nb - b);
  const size_t nl = w.rfind('\n');
  if (nl != std::string_view::npos) w = w.substr(nl + 1);
  for (std::string_view k : words) {
    const size_t f = w.find(k);
    if (f == std::string_view::npos) continue;
    const bool left = f == 0 || !IsAlnum(w[f - 1]);
    if (left) return true;
  }
  return false;
}

bool PhiScan::SameSentenceCueBefore(Pat p, uint32_t nb, uint32_t window) const {
  const uint32_t s = doc_.SentenceAt(nb);
  const auto& sents = doc_.sentences();
  const uint32_t sb = s < sents.size() ? sents[s].norm_begin : 0;
  for (const Match& m : M(p)) {
    if (m.to <= nb && m.from + window >= nb && m.from >= sb) return true;
  }
  return false;
}

void PhiScan::Structured() {
  for (const Match& m : M(Pat::kEmail)) Add(m.from, m.to, PhiType::kEmail, 9);
  auto url = [&](const Match& m, bool bare) {
    uint32_t e = m.to;
    while (e > m.from && std::string_view(".,;:!?)'\"").find(norm_[e - 1]) != std::string_view::npos) --e;
    if (bare && m.from > 0 && (norm_[m.from - 1] == '@' || norm_[m.from - 1] == '.')) return;
    std::string_view u = N(m.from, e);
    // Host part.
    size_t hb = 0;
    if (u.rfind("http://", 0) == 0) hb = 7;
    if (u.rfind("https://", 0) == 0) hb = 8;
    std::string_view host = u.substr(hb);
    host = host.substr(0, std::min(host.find('/'), host.size()));
    if (host.rfind("www.", 0) == 0) host = host.substr(4);
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) host = host.substr(0, colon);
    if (host.empty()) return;
    for (const std::string& d : st_.org_domains_) {
      if (host.size() >= d.size() && host.substr(host.size() - d.size()) == d &&
          (host.size() == d.size() || host[host.size() - d.size() - 1] == '.')) {
        Add(m.from, e, PhiType::kUrl, 0);  // the org's own link: swallowed, never reported
        return;
      }
    }
    if (IsPublicHost(host)) return;
    if (bare) {
      // A bare "word.word" is a URL only when it looks like a domain, not an abbreviation.
      if (CountDigits(host) == static_cast<int>(host.size() - std::count(host.begin(), host.end(), '.'))) return;
    }
    Add(m.from, e, PhiType::kUrl, 8);
  };
  for (const Match& m : M(Pat::kUrl)) url(m, false);
  for (const Match& m : M(Pat::kDomain)) url(m, true);
  for (const Match& m : M(Pat::kIpv4)) {
    std::string_view v = N(m.from, m.to);
    bool ok = true;
    size_t p = 0;
    for (int k = 0; k < 4 && ok; ++k) {
      const size_t d = v.find('.', p);
      const std::string_view part = v.substr(p, d == std::string_view::npos ? v.size() - p : d - p);
      ok = !part.empty() && ParseInt(part) <= 255;
      p = d == std::string_view::npos ? v.size() : d + 1;
    }
    if (ok) Add(m.from, m.to, PhiType::kIp, 9);
  }
  for (const Match& m : M(Pat::kIpv6)) {
    std::string_view v = N(m.from, m.to);
    const auto colons = std::count(v.begin(), v.end(), ':');
    if (colons >= 5 || (v.find("::") != std::string_view::npos && colons >= 2 &&
                        std::any_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'f'; }))) {
      Add(m.from, m.to, PhiType::kIp, 9);
    }
  }
  auto phone_type = [&](uint32_t nb) {
    return LookbackHas(nb, 24, {"fax"}) ? PhiType::kFax : PhiType::kPhone;
  };
  auto org_phone = [&](std::string_view v) {
    std::string digits;
    for (char c : v) {
      if (IsDigit(c)) digits.push_back(c);
    }
    if (digits.size() > 10) digits = digits.substr(digits.size() - 10);
    return st_.org_phones_.contains(digits);
  };
  auto add_phone = [&](uint32_t nb, uint32_t ne, uint8_t prio) {
    if (org_phone(N(nb, ne))) {
      Add(nb, ne, PhiType::kPhone, 0);
      return;
    }
    Add(nb, ne, phone_type(nb), prio);
  };
  for (const Match& m : M(Pat::kPhoneUs)) {
    const int d = CountDigits(N(m.from, m.to));
    if (d >= 10) add_phone(m.from, m.to, 7);
  }
  for (const Match& m : M(Pat::kPhoneIntl)) {
    const int d = CountDigits(N(m.from, m.to));
    if (d >= 8 && d <= 16) add_phone(m.from, m.to, 6);
  }
  for (const Match& m : M(Pat::kPhoneGroups)) {
    const int d = CountDigits(N(m.from, m.to));
    if (d < 7 || d > 13) continue;
    if (LookbackHas(m.from, 28,
                    {"phone", "tel", "mobile", "cell", "desk", "call", "reach", "text", "answering",
                     "number", "registered", "home", "work", "office", "fax", "contact", "whatsapp",
                     "pager", "#", "ph"})) {
      add_phone(m.from, m.to, 5);
    }
  }
  for (const Match& m : M(Pat::kPager)) {
    // The number is the last run of digits.
    uint32_t b = m.to;
    while (b > m.from && IsDigit(norm_[b - 1])) --b;
    add_phone(b, m.to, 6);
  }
  for (const Match& m : M(Pat::kSsn)) Add(m.from, m.to, PhiType::kSsn, 7);
  auto card = [&](const Match& m) {
    const std::string_view v = N(m.from, m.to);
    if (Luhn(v) || LookbackHas(m.from, 30, {"card", "cc", "credit", "visa", "amex", "acct",
                                             "account", "mastercard"})) {
      Add(m.from, m.to, PhiType::kAccount, 6);
    } else if (patient_) {
      Add(m.from, m.to, PhiType::kOtherId, 3);
    }
  };
  for (const Match& m : M(Pat::kLongDigits)) card(m);
  for (const Match& m : M(Pat::kCardGroups)) card(m);
  for (const Match& m : M(Pat::kIban)) {
    if (IbanValid(N(m.from, m.to))) Add(m.from, m.to, PhiType::kAccount, 7);
  }
  for (const Match& m : M(Pat::kMbi)) Add(m.from, m.to, PhiType::kHealthPlan, 7);
  for (const Match& m : M(Pat::kVin)) {
    const std::string_view v = N(m.from, m.to);
    const int d = CountDigits(v);
    if (d >= 3 && d <= 14) Add(m.from, m.to, PhiType::kVehicle, 5);
  }
  for (const Match& m : M(Pat::kAlnumId)) {
    if (patient_) Add(m.from, m.to, PhiType::kMrn, 3);
  }
  // Ages over 89.
  auto age = [&](const Match& m) {
    uint32_t p = m.from;
    while (p < m.to && !IsDigit(norm_[p])) ++p;
    const int v = ParseInt(N(p, m.to));
    if (v >= 90 && v <= 125) Add(m.from, m.to, PhiType::kAge, 6);
  };
  for (const Match& m : M(Pat::kAge)) age(m);
  for (const Match& m : M(Pat::kAgeBirthday)) age(m);
}

void PhiScan::Dates() {
  // A date is PHI when it is about a person: in a text about a patient, or right after a
  // word that ties it to one ("born", "DOB", "admitted", "Date:").
  auto tied = [&](uint32_t nb) { return patient_ || SameSentenceCueBefore(Pat::kPersonDate, nb, 40); };
  for (const Match& m : M(Pat::kDateNum)) {
    const std::string_view v = N(m.from, m.to);
    const char sep = v[std::min(v.find_first_of("/-."), v.size() - 1)];
    int parts[3] = {-1, -1, -1};
    int np = 0;
    size_t p = 0;
    while (p < v.size() && np < 3) {
      size_t q = p;
      while (q < v.size() && IsDigit(v[q])) ++q;
      parts[np++] = ParseInt(v.substr(p, q - p));
      p = q + 1;
    }
    const int a = parts[0], b = parts[1], c = parts[2];
    const bool has_year = np == 3;
    // Not a date when glued to more numbers ("10/700/.50", "2.5.1").
    if (m.from > 0 && (IsDigit(norm_[m.from - 1]) || norm_[m.from - 1] == '/' || norm_[m.from - 1] == '.')) continue;
    if (m.to < norm_.size() && (norm_[m.to] == '/' || (norm_[m.to] == '.' && m.to + 1 < norm_.size() && IsDigit(norm_[m.to + 1])))) continue;
    bool ok = false;
    const bool md = a >= 1 && a <= 12 && b >= 1 && b <= 31;
    const bool dm = a >= 1 && a <= 31 && b >= 1 && b <= 12;
    if (has_year) {
      ok = (md || dm) && (c >= 0);
      if (sep == '-' && v.size() < 6) ok = false;
    } else if (sep == '/') {
      const bool fraction = (a == 1 && b <= 4) || (a == 2 && b == 3) || (a == 3 && b == 4) || a == b;
      const bool month_year = a >= 1 && a <= 12 && b >= 32 && b <= 99 && v.size() >= 4;
      ok = (md && !fraction) || month_year;
      if (fraction && md && SameSentenceCueBefore(Pat::kPersonDate, m.from, 12)) ok = true;
    } else if (sep == '-') {
      ok = md && a < b && SameSentenceCueBefore(Pat::kPersonDate, m.from, 8);
    }
    if (ok && tied(m.from)) Add(m.from, m.to, PhiType::kDate, 5);
  }
  for (const Match& m : M(Pat::kDateIso)) {
    if (tied(m.from)) Add(m.from, m.to, PhiType::kDate, 5);
  }
  auto day_ok = [&](const Match& m) {
    // The day number must be 1..31.
    for (uint32_t p = m.from; p < m.to; ++p) {
      if (IsDigit(norm_[p])) {
        const int d = ParseInt(N(p, m.to));
        return d >= 1 && d <= 31;
      }
    }
    return false;
  };
  for (const Match& m : M(Pat::kDateMonthDay)) {
    if (day_ok(m) && tied(m.from)) Add(m.from, m.to, PhiType::kDate, 5);
  }
  for (const Match& m : M(Pat::kDateDayMonth)) {
    if (day_ok(m) && tied(m.from)) Add(m.from, m.to, PhiType::kDate, 5);
  }
  for (const Match& m : M(Pat::kDateMonthYear)) {
    if (tied(m.from)) Add(m.from, m.to, PhiType::kDate, 4);
  }
  for (const Match& m : M(Pat::kOrdinalDay)) {
    if (!day_ok(m) || !patient_) continue;
    // "the 3rd floor", "the 2nd time" are not dates.
    const size_t j = TokenFrom(m.to);
    if (j < toks_.size() && toks_[j].norm_begin <= m.to + 1) {
      const std::string_view nx = doc_.Norm(toks_[j]);
      if (nx != "of" && nx != "at" && nx != "and") continue;
    }
    Add(m.from, m.to, PhiType::kDate, 3);
  }
  // Weekdays and holidays only when a word ties them to a person's care or life.
  auto person_event = [&](uint32_t nb) {
    return LookbackHas(nb, 40, {"born", "admitted", "discharged", "died", "passed", "surgery",
                                "seen", "diagnosed", "delivered", "birthday", "heart attack",
                                "stroke", "fell", "arrested", "transferred", "visit"});
  };
  for (const Match& m : M(Pat::kWeekday)) {
    if (person_event(m.from)) Add(m.from, m.to, PhiType::kDate, 3);
  }
  for (const Match& m : M(Pat::kHoliday)) {
    if (person_event(m.from)) Add(m.from, m.to, PhiType::kDate, 3);
  }
}

void PhiScan::Addresses() {
  const size_t n = toks_.size();
  for (const Match& m : M(Pat::kStreet)) {
    // The words between number and suffix must look like a street name in the original.
    const size_t j = TokenFrom(m.from);
    bool ok = true;
    if (j < n && Informative(j)) {
      for (size_t k = j + 1; k < n && toks_[k].norm_end <= m.to; ++k) {
        if (toks_[k].Has(kTokAlpha) && !toks_[k].Has(kTokCapitalized) && !toks_[k].Has(kTokAllCaps) &&
            toks_[k].norm_end < m.to - 1) {
          ok = false;
        }
      }
    }
    if (ok) Add(m.from, m.to, PhiType::kGeo, 5);
  }
  for (const Match& m : M(Pat::kStreetEu)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kStreetPrefix)) Add(m.from, m.to, PhiType::kGeo, 4);
  for (const Match& m : M(Pat::kPoBox)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kMilitary)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kUnitNumber)) Add(m.from, m.to, PhiType::kGeo, 4);
  for (const Match& m : M(Pat::kZipCue)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kStateZip)) {
    uint32_t b = m.to;
    while (b > m.from && (IsDigit(norm_[b - 1]) || norm_[b - 1] == '-')) --b;
    Add(b, m.to, PhiType::kGeo, 5);
  }
  for (const Match& m : M(Pat::kNumWordNum)) {
    const size_t j = TokenFrom(m.from);
    if (j >= n || !Informative(j)) continue;
    bool ok = true;
    for (size_t k = j + 1; k < n && toks_[k].norm_end < m.to; ++k) {
      if (toks_[k].Has(kTokAlpha) && !toks_[k].Has(kTokCapitalized) && !toks_[k].Has(kTokAllCaps)) ok = false;
      if (toks_[k].Has(kTokAlpha) && Lex(k).never()) ok = false;
    }
    if (ok) Add(m.from, m.to, PhiType::kGeo, 3);
  }
  for (const Match& m : M(Pat::kAddressCue)) {
    // The rest of the line or sentence, when it holds a number.
    uint32_t e = m.to;
    uint32_t lim = std::min<uint32_t>(static_cast<uint32_t>(norm_.size()), m.to + 160);
    while (e < lim) {
      const char c = norm_[e];
      if (c == '\n' || c == '?' || c == '!') break;
      if (c == '.' && (e + 1 >= norm_.size() || norm_[e + 1] == ' ' || norm_[e + 1] == '\n')) {
        // "u. 15." / "Str." abbreviations inside an address: keep going when a digit follows soon.
        bool digit_soon = false;
        for (uint32_t q = e + 1; q < std::min<uint32_t>(lim, e + 4); ++q) digit_soon |= IsDigit(norm_[q]);
        if (!digit_soon) break;
      }
      ++e;
    }
    while (e > m.to && (norm_[e - 1] == ' ' || norm_[e - 1] == ',')) --e;
    const std::string_view v = N(m.to, e);
    if (CountDigits(v) == 0) continue;
    // Drop a trailing " street" word of "lives on X street".
    Add(m.to, e, PhiType::kGeo, 4);
  }
  // ZIP codes next to an address, a state, or at the end of an address line.
  for (const Match& m : M(Pat::kZip)) {
    bool ok = false;
    for (const Cand& c : s_.cands) {
      if (c.type == PhiType::kGeo && c.ne <= m.from && c.ne + 120 >= m.from) ok = true;
    }
    if (ok) Add(m.from, m.to, PhiType::kGeo, 4);
  }
}

// Reads the identifier that follows a label such as "MRN", "member ID", "plate".
void PhiScan::LabelledIds() {
  struct CueType {
    Pat pat;
    PhiType type;
    int min_digits;
  };
  static constexpr CueType kCues[] = {
      {Pat::kCueSsn, PhiType::kSsn, 4},           {Pat::kCueMrn, PhiType::kMrn, 4},
      {Pat::kCueHealthPlan, PhiType::kHealthPlan, 4}, {Pat::kCueAccount, PhiType::kAccount, 4},
      {Pat::kCueLicense, PhiType::kLicense, 4},   {Pat::kCueVehicle, PhiType::kVehicle, 3},
      {Pat::kCueDevice, PhiType::kDevice, 4},     {Pat::kCueOther, PhiType::kOtherId, 4},
  };
  static const absl::flat_hash_set<std::string_view> kFillers = {
      "is", "was", "number", "no", "num", "of", "my", "the", "are", "as", "id", "ending", "in",
      "its", "it's", "nbr", "#", "reads", "says", "here", "this", "his", "her", "their", "our",
      "your", "a", "an", "on", "code", "card", "being", "be", "to"};
  for (const CueType& cue : kCues) {
    for (const Match& m : M(cue.pat)) {
      uint32_t p = m.to;
      const uint32_t lim = std::min<uint32_t>(static_cast<uint32_t>(norm_.size()), m.to + 40);
      // Skip separators and filler words.
      for (int fill = 0; p < lim && fill < 4;) {
        const char c = norm_[p];
        if (c == ' ' || c == ':' || c == '#' || c == '=' || c == '-' || c == '.' || c == '(' || c == '\t') {
          ++p;
          continue;
        }
        uint32_t q = p;
        while (q < lim && (IsAlnum(norm_[q]) || norm_[q] == '\'')) ++q;
        if (q > p && kFillers.contains(N(p, q))) {
          p = q;
          ++fill;
          continue;
        }
        break;
      }
      // Read groups of letters and digits joined by - / . or a space before a digit group.
      uint32_t e = p;
      int digits = 0, groups = 0;
      while (e < norm_.size() && groups < 8) {
        uint32_t q = e;
        while (q < norm_.size() && IsAlnum(norm_[q])) ++q;
        if (q == e) break;
        const int gd = CountDigits(N(e, q));
        if (gd == 0 && (q - e) > 3 && groups > 0) break;  // a following word
        if (gd == 0 && groups == 0 && (q - e) > 3) break;  // no identifier: a word
        digits += gd;
        e = q;
        ++groups;
        if (e + 1 < norm_.size() && (norm_[e] == '-' || norm_[e] == '/' || norm_[e] == '.') &&
            IsAlnum(norm_[e + 1])) {
          ++e;
          continue;
        }
        if (e + 1 < norm_.size() && norm_[e] == ' ' && IsDigit(norm_[e + 1]) && digits > 0) {
          ++e;
          continue;
        }
        break;
      }
      while (e > p && !IsAlnum(norm_[e - 1])) --e;
      if (digits < cue.min_digits) continue;
      const std::string_view v = N(p, e);
      if (v.size() == 4 && digits == 4 && cue.type != PhiType::kSsn && cue.type != PhiType::kAccount) {
        const int y = ParseInt(v);
        if (y >= 1900 && y <= 2099) continue;
      }
      // Quantities ("10 mg") and dates are not identifiers.
      if (v.find('/') != std::string_view::npos && digits <= 6) continue;
      Add(p, e, cue.type, 8);
    }
  }
}

bool PhiScan::EponymUse(size_t i) {
  if (!Lex(i).eponym()) return false;
  const std::string_view raw = doc_.Norm(toks_[i]);
  if (raw.size() > 2 && raw.substr(raw.size() - 2) == "'s") return true;  // "Parkinson's"
  if (i + 1 < toks_.size() && TightGap(i, "'") && IsEponymTail(Base(i + 1))) return true;
  // A lower-case eponym in a text that uses case is a device or a disease ("foley", "swan").
  return Informative(i) && toks_[i].Has(kTokLower);
}

bool PhiScan::NameLike(size_t i, bool after_cue) {
  const Token& t = toks_[i];
  if (!t.Has(kTokAlpha) || t.Has(kTokHashtag) || t.Has(kTokMention) || t.Has(kTokDigit)) return false;
  const std::string_view base = Base(i);
  if (base.size() < 2) return false;
  const LexEntry e = Lex(i);
  if (e.never() || EponymUse(i)) return false;
  const bool inf = Informative(i);
  const bool cap = t.Has(kTokCapitalized);
  // "my son Will", "daughter May": a capitalised name after a cue, even a function word.
  if (IsStop(base) && !(after_cue && inf && cap && e.name())) return false;
  if (after_cue) {
    if (inf) return cap;
    return e.name() || !e.word();
  }
  if (inf) return cap && e.name() && !e.word();
  // Case tells nothing (ALL CAPS or all lower case): only common first names that are not
  // also ordinary words stand on their own.
  return e.first_name() >= 4 && !e.word() && !e.city() && base.size() >= 3;
}

bool PhiScan::ExtendsName(size_t j) {
  const Token& t = toks_[j];
  if (!t.Has(kTokAlpha) || t.Has(kTokHashtag) || t.Has(kTokMention) || t.Has(kTokDigit)) return false;
  const std::string_view base = Base(j);
  const bool inf = Informative(j);
  const bool cap = t.Has(kTokCapitalized);
  if (base.size() == 1) return inf ? cap : true;  // an initial
  static const absl::flat_hash_set<std::string_view> kParticles = {
      "van", "de", "von", "der", "den", "da", "di", "del", "della", "la", "le", "bin", "ibn",
      "al", "el", "mac", "mc", "ter", "ten", "dos", "das", "du"};
  if (kParticles.contains(base)) return j + 1 < toks_.size() && (toks_[j + 1].Has(kTokCapitalized) || !inf);
  if (IsStop(base)) return false;
  const LexEntry e = Lex(j);
  if (e.never() || EponymUse(j) || IsRoleWord(base)) return false;
  if (inf) return cap && (e.name() || !e.word());
  return e.name() && !e.word();
}

void PhiScan::Names() {
  const size_t n = toks_.size();
  s_.name.assign(n, 0);
  static const absl::flat_hash_set<std::string_view> kModals = {"will", "may", "can", "did", "must"};
  for (size_t i = 0; i < n; ++i) {
    const uint16_t b = s_.before[i];
    const Token& t = toks_[i];
    if (!t.Has(kTokAlpha)) continue;
    // Look-ups only for tokens that can be names: capitalised ones in texts that use case,
    // tokens after a cue, and every word where case tells nothing.
    const bool inf = Informative(i);
    if (inf && !t.Has(kTokCapitalized) && b == 0 && !s_.after[i]) continue;
    uint8_t nm = 0;
    if ((b & kBStaff) && NameLike(i, true)) {
      nm = 2;
    } else if ((b & (kBTitle | kBKin | kBIntro)) && NameLike(i, true)) {
      nm = 1;
      if ((b & kBKin) && !t.Has(kTokCapitalized) && kModals.contains(Base(i))) nm = 0;
    } else if (s_.after[i] && NameLike(i, true)) {
      nm = 2;
    } else if ((b & kBWeak) && NameLike(i, !inf)) {
      nm = 1;
    } else if (NameLike(i, false)) {
      const bool start = t.Has(kTokSentenceStart) ||
                         (t.norm_begin > 0 && (norm_[t.norm_begin - 1] == '\n'));
      if (inf && start) {
        const LexEntry e = Lex(i);
        if (e.first_name() >= 5 && !e.city()) {
          nm = 1;
        } else if (i + 1 < n && TightGap(i, "") && toks_[i + 1].Has(kTokCapitalized) && ExtendsName(i + 1)) {
          nm = 1;
        }
      } else {
        nm = 1;
      }
    }
    s_.name[i] = nm;
  }
  // Extend names over adjacent name-like tokens: "Marie Langrova", "Janka M. Szasz".
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i + 1 < n; ++i) {
      if (s_.name[i] && !s_.name[i + 1] && TightGap(i, ".-'") && ExtendsName(i + 1)) {
        s_.name[i + 1] = s_.name[i];
      }
    }
    for (size_t i = n; i-- > 1;) {
      if (s_.name[i] && !s_.name[i - 1] && TightGap(i - 1, ".-'") && ExtendsName(i - 1)) {
        s_.name[i - 1] = s_.name[i];
      }
    }
  }
  // Trailing initials and particles need a name after them ("Ken N." is fine, "de" alone is not).
  for (size_t i = 0; i < n; ++i) {
    if (!s_.name[i]) continue;
    const std::string_view base = Base(i);
    if (base.size() == 1) {
      const bool prev = i > 0 && s_.name[i - 1] && TightGap(i - 1, ".-'");
      const bool next = i + 1 < n && s_.name[i + 1] && TightGap(i, ".-'");
      if (!prev && !next) s_.name[i] = 0;
    }
  }
  // Propagate: a name found once is a name wherever it appears again.
  s_.name_keys.clear();
  for (size_t i = 0; i < n; ++i) {
    if (s_.name[i] && Base(i).size() >= 3) s_.name_keys.push_back(Base(i));
  }
  if (!s_.name_keys.empty()) {
    for (size_t i = 0; i < n; ++i) {
      if (s_.name[i] || !toks_[i].Has(kTokAlpha)) continue;
      const std::string_view base = Base(i);
      if (base.size() < 3) continue;
      if (Informative(i) && !toks_[i].Has(kTokCapitalized)) continue;
      for (size_t k = 0; k < n; ++k) {
        if (s_.name[k] && Base(k) == base) {
          if (!Lex(i).never() && !EponymUse(i)) s_.name[i] = s_.name[k];
          break;
        }
      }
    }
  }
  // Emit runs of name tokens. Clinicians named without a patient in sight are not PHI.
  for (size_t i = 0; i < n;) {
    if (!s_.name[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    bool staff = s_.name[i] == 2;
    while (j + 1 < n && s_.name[j + 1] && TightGap(j, ".-'")) {
      ++j;
      staff |= s_.name[j] == 2;
    }
    if (!staff || patient_) {
      const uint32_t e = toks_[j].norm_begin + static_cast<uint32_t>(Base(j).size());
      Add(toks_[i].norm_begin, e, PhiType::kName, 4);
    }
    i = j + 1;
  }
}

void PhiScan::Places() {
  const size_t n = toks_.size();
  static const absl::flat_hash_set<std::string_view> kPreps = {
      "in", "from", "at", "near", "of", "to", "outside", "around", "visiting", "lives", "live",
      "living", "moved", "towards", "toward"};
  s_.geo.assign(n, 0);
  for (size_t i = 1; i < n; ++i) {
    const Token& t = toks_[i];
    if (!t.Has(kTokAlpha) || t.Has(kTokHashtag) || t.Has(kTokMention) || s_.name[i]) continue;
    const bool inf = Informative(i);
    if (inf && !t.Has(kTokCapitalized)) continue;
    if (!kPreps.contains(doc_.Norm(toks_[i - 1])) || !TightGap(i - 1, "")) continue;
    // Multi-word city names first ("san diego", "grove city").
    size_t end = i;
    for (size_t len = 3; len >= 2; --len) {
      if (i + len - 1 >= n) continue;
      s_.buf.clear();
      bool ok = true;
      for (size_t k = i; k < i + len; ++k) {
        if (k > i && !TightGap(k - 1, "")) ok = false;
        if (k > i) s_.buf.push_back(' ');
        s_.buf.append(doc_.Norm(toks_[k]));
      }
      if (ok && st_.lex_.IsPlace(s_.buf)) {
        end = i + len - 1;
        break;
      }
    }
    if (end == i) {
      const LexEntry e = Lex(i);
      const std::string_view base = Base(i);
      if (!e.city() || e.never() || IsStop(base) || IsUnitWord(base)) continue;
      if (!inf && e.word()) continue;
      if (inf && e.word() && !patient_) continue;
    }
    for (size_t k = i; k <= end; ++k) s_.geo[k] = 1;
    Add(toks_[i].norm_begin, toks_[end].norm_end, PhiType::kGeo, 3);
  }
  if (!patient_) return;
  // Facilities in a text about a patient: "Calvert Hospital", "transferred to GH".
  s_.geo_keys.clear();
  for (const Match& m : M(Pat::kFacility)) {
    size_t k = TokenFrom(m.from);
    size_t first = k;
    for (int back = 0; back < 3 && first > 0; ++back) {
      const size_t j = first - 1;
      if (!TightGap(j, "-.")) break;
      const Token& t = toks_[j];
      if (!t.Has(kTokAlpha)) break;
      const std::string_view base = Base(j);
      if (IsStop(base) || IsUnitWord(base)) break;
      if (Informative(j) && !t.Has(kTokCapitalized)) break;
      if (Lex(j).never() && !IsFacilityWord(base)) break;
      first = j;
    }
    if (first == k) continue;
    Add(toks_[first].norm_begin, m.to, PhiType::kGeo, 4);
    for (size_t j = first; j < k; ++j) {
      if (!IsFacilityWord(Base(j))) s_.geo_keys.push_back(Base(j));
    }
  }
  for (const Match& m : M(Pat::kTransferCue)) {
    const size_t j = TokenFrom(m.to);
    if (j >= n || toks_[j].norm_begin > m.to + 1) continue;
    const Token& t = toks_[j];
    if (!t.Has(kTokAlpha) || t.Has(kTokDigit)) continue;
    const std::string_view base = Base(j);
    if (base.size() < 2 || IsStop(base) || IsUnitWord(base)) continue;
    const LexEntry e = Lex(j);
    if (e.never() && !IsFacilityWord(base)) continue;
    const bool inf = Informative(j);
    if (inf ? !(t.Has(kTokCapitalized) || t.Has(kTokAllCaps)) : (e.word() && !e.city())) continue;
    if (s_.name[j]) continue;
    size_t end = j;
    // "Quartermain 2", "Holy Cross", "Kessler-Adventist"
    while (end + 1 < n && end < j + 2 && TightGap(end, "-")) {
      const Token& u = toks_[end + 1];
      const bool num = u.Has(kTokDigit) && !u.Has(kTokAlpha) && u.norm_end - u.norm_begin <= 2;
      const bool word = u.Has(kTokAlpha) && (inf ? u.Has(kTokCapitalized) : !Lex(end + 1).word()) &&
                        !IsUnitWord(Base(end + 1)) && !Lex(end + 1).never();
      if (!num && !word) break;
      ++end;
    }
    Add(t.norm_begin, toks_[end].norm_end, PhiType::kGeo, 4);
    s_.geo_keys.push_back(base);
  }
  // Other mentions of a facility found once ("GH", "Quartermain").
  if (!s_.geo_keys.empty()) {
    for (size_t i = 0; i < n; ++i) {
      const Token& t = toks_[i];
      if (!t.Has(kTokAlpha) || s_.name[i]) continue;
      if (Informative(i) && !(t.Has(kTokCapitalized) || t.Has(kTokAllCaps))) continue;
      const std::string_view base = Base(i);
      for (std::string_view k : s_.geo_keys) {
        if (k == base) {
          size_t end = i;
          if (i + 1 < n && TightGap(i, "") && toks_[i + 1].Has(kTokDigit) && !toks_[i + 1].Has(kTokAlpha) &&
              toks_[i + 1].norm_end - toks_[i + 1].norm_begin <= 2) {
            end = i + 1;
          }
          Add(t.norm_begin, toks_[end].norm_end, PhiType::kGeo, 3);
          break;
        }
      }
    }
  }
  // Social handles of people in a text about a patient (not the organization's own).
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks_[i];
    if (!t.Has(kTokMention)) continue;
    if (st_.org_handles_.contains(std::string(doc_.Norm(t)))) continue;
    Add(t.norm_begin - 1, t.norm_end, PhiType::kOtherId, 2);
  }
}

bool PhiScan::IsOrgSpan(uint32_t nb, uint32_t ne, PhiType) const {
  for (const auto& [b, e] : org_spans_) {
    if (nb < e && b < ne) return true;
  }
  return false;
}

std::string_view MessageFor(PhiType t) {
  switch (t) {
    case PhiType::kName:
      return "A person's name in a text about health or care. Names of patients and their "
             "relatives are HIPAA identifiers (Safe Harbor A).";
    case PhiType::kGeo:
      return "A place smaller than a state (street address, city, ZIP code, facility, room or "
             "bed) tied to a person: a HIPAA identifier (Safe Harbor B).";
    case PhiType::kDate:
      return "A date tied to a person (birth, admission, discharge, visit or death). Every date "
             "element except the year is a HIPAA identifier (Safe Harbor C).";
    case PhiType::kAge:
      return "An age over 89: HIPAA treats it as an identifier; say \"90 or older\" instead.";
    case PhiType::kPhone:
      return "A telephone number that is not one of the organization's own: a HIPAA identifier "
             "(Safe Harbor D).";
    case PhiType::kFax:
      return "A fax number that is not one of the organization's own: a HIPAA identifier "
             "(Safe Harbor E).";
    case PhiType::kEmail:
      return "An e-mail address: a HIPAA identifier (Safe Harbor F).";
    case PhiType::kSsn:
      return "A Social Security number or part of one: a HIPAA identifier (Safe Harbor G) and "
             "a fraud risk.";
    case PhiType::kMrn:
      return "A medical record number or patient ID: a HIPAA identifier (Safe Harbor H).";
    case PhiType::kHealthPlan:
      return "A health plan member or beneficiary number: a HIPAA identifier (Safe Harbor I).";
    case PhiType::kAccount:
      return "An account, card or billing number: a HIPAA identifier (Safe Harbor J).";
    case PhiType::kLicense:
      return "A licence or certificate number: a HIPAA identifier (Safe Harbor K).";
    case PhiType::kVehicle:
      return "A vehicle identifier or licence plate: a HIPAA identifier (Safe Harbor L).";
    case PhiType::kDevice:
      return "A device serial number or identifier: a HIPAA identifier (Safe Harbor M).";
    case PhiType::kUrl:
      return "A web address that can point to a person: a HIPAA identifier (Safe Harbor N).";
    case PhiType::kIp:
      return "An IP address: a HIPAA identifier (Safe Harbor O).";
    case PhiType::kBiometric:
      return "A biometric identifier: a HIPAA identifier (Safe Harbor P).";
    case PhiType::kOtherId:
      return "A unique identifying number, code or handle tied to a person: a HIPAA identifier "
             "(Safe Harbor R).";
  }
  return "";
}

std::string_view SuggestionFor(Context c) {
  switch (c) {
    case Context::kPost:
      return "Remove it before publishing, unless a signed HIPAA authorization from the person "
             "is on file.";
    case Context::kReply:
      return "Do not repeat or confirm personal details in a public reply: remove it and move "
             "the conversation to a private, secure channel.";
    case Context::kInbound:
      return "Treat this message as PHI: do not echo or confirm it in a reply, consider hiding "
             "a public comment, and continue in a private, secure channel.";
  }
  return "";
}

void PhiScan::Resolve(const ScreenRequest& request, std::vector<Finding>* out) {
  auto& c = s_.cands;
  std::sort(c.begin(), c.end(), [](const Cand& a, const Cand& b) {
    if (a.prio != b.prio) return a.prio > b.prio;
    if (a.ne - a.nb != b.ne - b.nb) return a.ne - a.nb > b.ne - b.nb;
    return a.nb < b.nb;
  });
  size_t kept = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    bool overlap = false;
    for (size_t k = 0; k < kept && !overlap; ++k) overlap = c[i].nb < c[k].ne && c[k].nb < c[i].ne;
    if (!overlap) c[kept++] = c[i];
  }
  c.resize(kept);
  std::sort(c.begin(), c.end(), [](const Cand& a, const Cand& b) { return a.nb < b.nb; });
  const Severity sev = PhiSeverity(request.context);
  for (const Cand& x : c) {
    if (x.prio == 0 || IsOrgSpan(x.nb, x.ne, x.type)) continue;
    const Span o = doc_.ToOriginal(x.nb, x.ne);
    Finding f;
    f.kind = Kind::kPhi;
    f.type = std::string(kTypeNames[static_cast<size_t>(x.type)]);
    f.start = o.begin;
    f.end = o.end;
    f.severity = sev;
    f.message = std::string(MessageFor(x.type));
    f.suggestion = std::string(SuggestionFor(request.context));
    out->push_back(std::move(f));
  }
}

void PhiScan::Run(std::span<const Match> hits, const ScreenRequest& request,
                  std::vector<Finding>* out) {
  s_.cands.clear();
  const size_t n = toks_.size();
  s_.lex.assign(n, LexEntry{});
  s_.looked.assign(n, 0);
  CollectHits(hits);
  ComputeCasing();
  MarkCues();
  Structured();
  Dates();
  LabelledIds();
  Addresses();
  Names();
  Places();
  Resolve(request, out);
}

void PhiStage::Screen(const Document& doc, std::span<const Match> hits,
                      const ScreenRequest& request, std::vector<Finding>* out) const {
  thread_local PhiScratch scratch;
  PhiScan scan(*this, doc, scratch);
  scan.Run(hits, request, out);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPhiStage(const ScreenerOptions& o, StageBuilder& b) {
  auto stage = std::make_unique<PhiStage>();
  RETURN_IF_ERROR(stage->Init(o, b));
  return stage;
}

}  // namespace carepost::guard
