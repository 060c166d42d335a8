// The PHI stage: finds the HIPAA Safe Harbor identifiers that can appear in text.
//
// Structured identifiers (e-mail, URL, IP, phone, fax, SSN, card and IBAN numbers, labelled
// record/plan/account/licence/vehicle/device numbers, dates, ages over 89, street addresses,
// rooms and beds) come from patterns in the shared Hyperscan pass plus a validator in C++
// (Luhn, mod-97, calendar ranges). Names and places come from a token pass over the
// Document: gazetteer look-ups (phi_lexicon.h) for the tokens that can be names, cue words
// found by the same Hyperscan pass as literals ("my son", "Dr.", ", RN", "transferred to"),
// the shape of the original text (capitalised in a sentence that uses case), and
// propagation of a name found once to its other mentions.
//
// Whether a span is PHI also depends on the text. The text is "about a patient" when it
// has a patient cue (Pat::kPatient: "patient", "admitted", "my son", clinical note
// shorthand). Dates need that, a cue word before them ("born", "DOB") or a person named by
// a cue; facility names, cities after a preposition and social handles need a patient; a
// clinician's name (after "Dr.", before ", RN") is dropped only in an announcement with no
// patient in sight ("Meet Dr. Grace Kim, our new cardiologist"). Everything in the
// organization profile (its names, places, phones, domains, handles, clinicians) is never a
// finding.
//
// Overlapping candidates are resolved by priority (a labelled MRN beats a phone pattern on
// the same digits), then length.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "guard/embedded_data.h"
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
  kExtension,
  kShortExt,
  kPager,
  kSsn,
  kLongDigits,
  kCardGroups,
  kMbi,
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
  kAgeWords,
  kStreet,
  kStreetEu,
  kStreetPrefix,
  kNumPrefix,
  kPoBox,
  kMilitary,
  kUnitNumber,
  kZipCue,
  kZip,
  kAddressCue,
  kAddressCueWeak,

  kTransferCue,
  kLiveCue,
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
  kNurseTitle,
  kKin,
  kIntro,
  kWeakIntro,
  kRole,
  kNameAfter,
  kStaffAfter,
  kPatient,
  kStaffCtx,
  kStaffIntro,
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
    // Anchored on their rare part; the rest of the address is read in C++ (a leading
    // character class would make the scan try a match at every byte).
    {Pat::kEmail, R"(@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,24}\b)"},
    {Pat::kUrl, R"(\b(https?://|www\.))"},
    {Pat::kDomain,
     R"(\.(com|org|net|edu|gov|io|co|me|ly|info|biz|us|uk|de|se|dk|be|br|cy|fr|it|es|nl|ca|au|ch|at|no|fi|is|pl|cz|hu|ee|health|care|page|site|blog|app)\b)"},
    {Pat::kIpv6, R"(\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b)"},
    {Pat::kPhoneUs,
     R"((\+?\b1[\s.\-]?)?(\(\d{3}\)\s?|\b\d{3}[\s.\-/])\d{3}[\s.\-]\d{4}((\s*(x|ext\.?|extension)\s*\d{1,6})?\b))"},
    {Pat::kExtension, R"(\b(x|ext\.?|extension)\s?\d{4,5}\b)"},
    {Pat::kPhoneIntl,
     R"((\+|\b00)\d{1,3}[\s.\-]?(\(0?\d{1,4}\)[\s.\-]?)?\d{1,5}([\s.\-]?\d{2,5}){1,4}((\s*(x|ext\.?)\s*\d{1,6})?\b))"},
    {Pat::kPhoneGroups, R"(\b\(?\d{2,4}\)?([\s.\-]\d{2,8}){1,4}\b(x\d{1,6}\b)?)"},
    {Pat::kPager, R"(\b(pager|beeper|bpr|pgr|pg|page)\s*(number|no\.?|num)?\s*[:#]?\s*#?\s*\d{4,6}\b)"},
    {Pat::kMbi,
     R"(\b[1-9][ac-hj-kmnp-rt-y][ac-hj-kmnp-rt-y0-9]\d-?[ac-hj-kmnp-rt-y][ac-hj-kmnp-rt-y0-9]\d-?[ac-hj-kmnp-rt-y]{2}\d{2}\b)"},
    {Pat::kDateMonthDay, R"(\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?\s+\d{1,2}(st|nd|rd|th)?\b(,?\s+(19|20)\d\d\b)?)"},
    {Pat::kDateMonthYear, R"(\b(jan(uary)?|feb(ruary)?|march|apr(il)?|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?,?\s+(of\s+)?(19|20)\d\d\b)"},
    {Pat::kOrdinalDay, R"(\bthe\s+\d{1,2}(st|nd|rd|th)\b)"},
    {Pat::kWeekday, R"(\b(last|this past|next|on|this|since|until|till|by)\s+(mon|tues|wednes|thurs|fri|satur|sun)day\b)"},
    {Pat::kHoliday, R"(\b(christmas( eve| day)?|thanksgiving|new year'?s( eve| day)?|easter( sunday)?|halloween|independence day|(fourth|4th) of july|valentine'?s day|mother'?s day|father'?s day|memorial day|labor day)\b)"},
    {Pat::kAge, R"(\b(age|aged|ages|turned|turns|turning|age of)\s*:?\s*\d{2,3}\b)"},
    {Pat::kAgeWords,
     R"(\b(ninety|one hundred( and)?)([\s\-](one|two|three|four|five|six|seven|eight|nine))?[\s\-](years?|yrs?)[\s\-]old\b)"},
    {Pat::kStreetEu,
     R"((strasse|gasse|weg|gata|gatan|gade|vej|veien|vegen|katu|kuja|tie|utca|ulica|straat|laan|plein|allee|platz|vagen|steig|markt)\s+\d{1,5}[a-z]?\b)"},
    {Pat::kStreetPrefix,
     R"(\b(via|rue|calle|avenida|av|avenue|rua|piazza|piazzetta|ul|plac|boulevard|bd|trg|quadra|viale|corso|largo|travessa|praca|carrer|strada|odos|leoforos|plateia|aleja|namesti|ulitsa)\.?\s+([^\s\d,;:!?/()]+\s+){0,4}\d{1,5}[a-z]?\b)"},
    {Pat::kNumPrefix, R"(\b\d{1,5}\s+(rue|avenue|av|via|calle|avenida|rua|ul|piazza|boulevard)\b\.?\s)"},
    {Pat::kPoBox, R"(\b(p\.?\s?o\.?\s?box|postbox|post office box|box|psc)\s+\d{1,6}\b)"},
    {Pat::kMilitary, R"(\b(apo|dpo|fpo)\s+(aa|ae|ap)\s+\d{5}\b)"},
    {Pat::kUnitNumber,
     R"(\b(suite|ste|apt|apartment|unit|room|rm|bed|floor)\.?\s*#?\s*\d{1,5}[a-z]?\b)"},
    {Pat::kZipCue, R"(\b(zip|zip code|zipcode|postal code|postcode)\s*:?\s*\d{3,5}(\s?[a-z]{2}|\s\d{2}|-\d{4})?\b)"},
};


// Word lists registered as literals: Hyperscan's fastest path (thousands cost about as much
// as one). A literal match reports its end; phrases use single spaces, as Document::norm()
// keeps them.
struct LiteralDef {
  Pat pat;
  const char* words;  // '|'-separated
};

const LiteralDef kLiterals[] = {
    {Pat::kKin,
     "son|son is|son was|son named|son,|son:|son -|sons|sons is|sons was|sons named|sons,|"
     "sons:|sons -|daughter|daughter is|daughter was|daughter named|daughter,|daughter:|"
     "daughter -|daughters|daughters is|daughters was|daughters named|daughters,|daughters:|"
     "daughters -|dtr|dtr is|dtr was|dtr named|dtr,|dtr:|dtr -|husband|husband is|husband was|"
     "husband named|husband,|husband:|husband -|hsb|hsb is|hsb was|hsb named|hsb,|hsb:|hsb -|"
     "hus|hus is|hus was|hus named|hus,|hus:|hus -|wife|wife is|wife was|wife named|wife,|"
     "wife:|wife -|mom|mom is|mom was|mom named|mom,|mom:|mom -|mother|mother is|mother was|"
     "mother named|mother,|mother:|mother -|mum|mum is|mum was|mum named|mum,|mum:|mum -|mama|"
     "mama is|mama was|mama named|mama,|mama:|mama -|dad|dad is|dad was|dad named|dad,|dad:|"
     "dad -|father|father is|father was|father named|father,|father:|father -|papa|papa is|"
     "papa was|papa named|papa,|papa:|papa -|brother|brother is|brother was|brother named|"
     "brother,|brother:|brother -|bro|bro is|bro was|bro named|bro,|bro:|bro -|sister|"
     "sister is|sister was|sister named|sister,|sister:|sister -|sis|sis is|sis was|sis named|"
     "sis,|sis:|sis -|aunt|aunt is|aunt was|aunt named|aunt,|aunt:|aunt -|auntie|auntie is|"
     "auntie was|auntie named|auntie,|auntie:|auntie -|uncle|uncle is|uncle was|uncle named|"
     "uncle,|uncle:|uncle -|niece|niece is|niece was|niece named|niece,|niece:|niece -|neice|"
     "neice is|neice was|neice named|neice,|neice:|neice -|nephew|nephew is|nephew was|"
     "nephew named|nephew,|nephew:|nephew -|cousin|cousin is|cousin was|cousin named|cousin,|"
     "cousin:|cousin -|grandson|grandson is|grandson was|grandson named|grandson,|grandson:|"
     "grandson -|granddaughter|granddaughter is|granddaughter was|granddaughter named|"
     "granddaughter,|granddaughter:|granddaughter -|grand daughter|grand daughter is|"
     "grand daughter was|grand daughter named|grand daughter,|grand daughter:|"
     "grand daughter -|grand son|grand son is|grand son was|grand son named|grand son,|"
     "grand son:|grand son -|grandmother|grandmother is|grandmother was|grandmother named|"
     "grandmother,|grandmother:|grandmother -|grandma|grandma is|grandma was|grandma named|"
     "grandma,|grandma:|grandma -|granny|granny is|granny was|granny named|granny,|granny:|"
     "granny -|grandfather|grandfather is|grandfather was|grandfather named|grandfather,|"
     "grandfather:|grandfather -|grandpa|grandpa is|grandpa was|grandpa named|grandpa,|"
     "grandpa:|grandpa -|fiance|fiance is|fiance was|fiance named|fiance,|fiance:|fiance -|"
     "fiancee|fiancee is|fiancee was|fiancee named|fiancee,|fiancee:|fiancee -|boyfriend|"
     "boyfriend is|boyfriend was|boyfriend named|boyfriend,|boyfriend:|boyfriend -|girlfriend|"
     "girlfriend is|girlfriend was|girlfriend named|girlfriend,|girlfriend:|girlfriend -|"
     "partner|partner is|partner was|partner named|partner,|partner:|partner -|friend|"
     "friend is|friend was|friend named|friend,|friend:|friend -|neighbor|neighbor is|"
     "neighbor was|neighbor named|neighbor,|neighbor:|neighbor -|neighbour|neighbour is|"
     "neighbour was|neighbour named|neighbour,|neighbour:|neighbour -|roommate|roommate is|"
     "roommate was|roommate named|roommate,|roommate:|roommate -|stepson|stepson is|"
     "stepson was|stepson named|stepson,|stepson:|stepson -|stepdaughter|stepdaughter is|"
     "stepdaughter was|stepdaughter named|stepdaughter,|stepdaughter:|stepdaughter -|"
     "son-in-law|son-in-law is|son-in-law was|son-in-law named|son-in-law,|son-in-law:|"
     "son-in-law -|daughter-in-law|daughter-in-law is|daughter-in-law was|"
     "daughter-in-law named|daughter-in-law,|daughter-in-law:|daughter-in-law -|dtr-in-law|"
     "dtr-in-law is|dtr-in-law was|dtr-in-law named|dtr-in-law,|dtr-in-law:|dtr-in-law -|"
     "sister-in-law|sister-in-law is|sister-in-law was|sister-in-law named|sister-in-law,|"
     "sister-in-law:|sister-in-law -|brother-in-law|brother-in-law is|brother-in-law was|"
     "brother-in-law named|brother-in-law,|brother-in-law:|brother-in-law -|father-in-law|"
     "father-in-law is|father-in-law was|father-in-law named|father-in-law,|father-in-law:|"
     "father-in-law -|mother-in-law|mother-in-law is|mother-in-law was|mother-in-law named|"
     "mother-in-law,|mother-in-law:|mother-in-law -|son in law|son in law is|son in law was|"
     "son in law named|son in law,|son in law:|son in law -|daughter in law|"
     "daughter in law is|daughter in law was|daughter in law named|daughter in law,|"
     "daughter in law:|daughter in law -|sister in law|sister in law is|sister in law was|"
     "sister in law named|sister in law,|sister in law:|sister in law -|brother in law|"
     "brother in law is|brother in law was|brother in law named|brother in law,|"
     "brother in law:|brother in law -|father in law|father in law is|father in law was|"
     "father in law named|father in law,|father in law:|father in law -|mother in law|"
     "mother in law is|mother in law was|mother in law named|mother in law,|mother in law:|"
     "mother in law -|proxy|proxy is|proxy was|proxy named|proxy,|proxy:|proxy -|spokesperson|"
     "spokesperson is|spokesperson was|spokesperson named|spokesperson,|spokesperson:|"
     "spokesperson -|caseworker|caseworker is|caseworker was|caseworker named|caseworker,|"
     "caseworker:|caseworker -|case manager|case manager is|case manager was|"
     "case manager named|case manager,|case manager:|case manager -|guardian|guardian is|"
     "guardian was|guardian named|guardian,|guardian:|guardian -|newborn|newborn is|"
     "newborn was|newborn named|newborn,|newborn:|newborn -|baby|baby is|baby was|baby named|"
     "baby,|baby:|baby -|twin|twin is|twin was|twin named|twin,|twin:|twin -|twins|twins is|"
     "twins was|twins named|twins,|twins:|twins -|kiddo|kiddo is|kiddo was|kiddo named|kiddo,|"
     "kiddo:|kiddo -"},
    {Pat::kTransferCue,
     "transferred in|transferred in the|transferred into|transferred into the|transferred to|"
     "transferred to the|transferred at|transferred at the|transferred from|"
     "transferred from the|transferred by|transferred by the|transferred back in|"
     "transferred back in the|transferred back into|transferred back into the|"
     "transferred back to|transferred back to the|transferred back at|transferred back at the|"
     "transferred back from|transferred back from the|transferred back by|"
     "transferred back by the|transferred via amb from|transfered in|transfered in the|"
     "transfered into|transfered into the|transfered to|transfered to the|transfered at|"
     "transfered at the|transfered from|transfered from the|transfered by|transfered by the|"
     "transfered back in|transfered back in the|transfered back into|transfered back into the|"
     "transfered back to|transfered back to the|transfered back at|transfered back at the|"
     "transfered back from|transfered back from the|transfered back by|transfered back by the|"
     "transfered via amb from|transfer in|transfer in the|transfer into|transfer into the|"
     "transfer to|transfer to the|transfer at|transfer at the|transfer from|transfer from the|"
     "transfer by|transfer by the|transfer back in|transfer back in the|transfer back into|"
     "transfer back into the|transfer back to|transfer back to the|transfer back at|"
     "transfer back at the|transfer back from|transfer back from the|transfer back by|"
     "transfer back by the|transfer via amb from|txd in|txd in the|txd into|txd into the|"
     "txd to|txd to the|txd at|txd at the|txd from|txd from the|txd by|txd by the|txd back in|"
     "txd back in the|txd back into|txd back into the|txd back to|txd back to the|txd back at|"
     "txd back at the|txd back from|txd back from the|txd back by|txd back by the|"
     "txd via amb from|tx'd in|tx'd in the|tx'd into|tx'd into the|tx'd to|tx'd to the|"
     "tx'd at|tx'd at the|tx'd from|tx'd from the|tx'd by|tx'd by the|tx'd back in|"
     "tx'd back in the|tx'd back into|tx'd back into the|tx'd back to|tx'd back to the|"
     "tx'd back at|tx'd back at the|tx'd back from|tx'd back from the|tx'd back by|"
     "tx'd back by the|tx'd via amb from|xferd in|xferd in the|xferd into|xferd into the|"
     "xferd to|xferd to the|xferd at|xferd at the|xferd from|xferd from the|xferd by|"
     "xferd by the|xferd back in|xferd back in the|xferd back into|xferd back into the|"
     "xferd back to|xferd back to the|xferd back at|xferd back at the|xferd back from|"
     "xferd back from the|xferd back by|xferd back by the|xferd via amb from|xfer'd in|"
     "xfer'd in the|xfer'd into|xfer'd into the|xfer'd to|xfer'd to the|xfer'd at|"
     "xfer'd at the|xfer'd from|xfer'd from the|xfer'd by|xfer'd by the|xfer'd back in|"
     "xfer'd back in the|xfer'd back into|xfer'd back into the|xfer'd back to|"
     "xfer'd back to the|xfer'd back at|xfer'd back at the|xfer'd back from|"
     "xfer'd back from the|xfer'd back by|xfer'd back by the|xfer'd via amb from|admitted in|"
     "admitted in the|admitted into|admitted into the|admitted to|admitted to the|admitted at|"
     "admitted at the|admitted from|admitted from the|admitted by|admitted by the|"
     "admitted back in|admitted back in the|admitted back into|admitted back into the|"
     "admitted back to|admitted back to the|admitted back at|admitted back at the|"
     "admitted back from|admitted back from the|admitted back by|admitted back by the|"
     "admitted via amb from|readmitted in|readmitted in the|readmitted into|"
     "readmitted into the|readmitted to|readmitted to the|readmitted at|readmitted at the|"
     "readmitted from|readmitted from the|readmitted by|readmitted by the|readmitted back in|"
     "readmitted back in the|readmitted back into|readmitted back into the|readmitted back to|"
     "readmitted back to the|readmitted back at|readmitted back at the|readmitted back from|"
     "readmitted back from the|readmitted back by|readmitted back by the|"
     "readmitted via amb from|sent in|sent in the|sent into|sent into the|sent to|sent to the|"
     "sent at|sent at the|sent from|sent from the|sent by|sent by the|sent back in|"
     "sent back in the|sent back into|sent back into the|sent back to|sent back to the|"
     "sent back at|sent back at the|sent back from|sent back from the|sent back by|"
     "sent back by the|sent via amb from|came in|came in the|came into|came into the|came to|"
     "came to the|came at|came at the|came from|came from the|came by|came by the|"
     "came back in|came back in the|came back into|came back into the|came back to|"
     "came back to the|came back at|came back at the|came back from|came back from the|"
     "came back by|came back by the|came via amb from|arrived in|arrived in the|arrived into|"
     "arrived into the|arrived to|arrived to the|arrived at|arrived at the|arrived from|"
     "arrived from the|arrived by|arrived by the|arrived back in|arrived back in the|"
     "arrived back into|arrived back into the|arrived back to|arrived back to the|"
     "arrived back at|arrived back at the|arrived back from|arrived back from the|"
     "arrived back by|arrived back by the|arrived via amb from|taken in|taken in the|"
     "taken into|taken into the|taken to|taken to the|taken at|taken at the|taken from|"
     "taken from the|taken by|taken by the|taken back in|taken back in the|taken back into|"
     "taken back into the|taken back to|taken back to the|taken back at|taken back at the|"
     "taken back from|taken back from the|taken back by|taken back by the|taken via amb from|"
     "brought in|brought in the|brought into|brought into the|brought to|brought to the|"
     "brought at|brought at the|brought from|brought from the|brought by|brought by the|"
     "brought back in|brought back in the|brought back into|brought back into the|"
     "brought back to|brought back to the|brought back at|brought back at the|"
     "brought back from|brought back from the|brought back by|brought back by the|"
     "brought via amb from|presented in|presented in the|presented into|presented into the|"
     "presented to|presented to the|presented at|presented at the|presented from|"
     "presented from the|presented by|presented by the|presented back in|"
     "presented back in the|presented back into|presented back into the|presented back to|"
     "presented back to the|presented back at|presented back at the|presented back from|"
     "presented back from the|presented back by|presented back by the|presented via amb from|"
     "medflight in|medflight in the|medflight into|medflight into the|medflight to|"
     "medflight to the|medflight at|medflight at the|medflight from|medflight from the|"
     "medflight by|medflight by the|medflight back in|medflight back in the|"
     "medflight back into|medflight back into the|medflight back to|medflight back to the|"
     "medflight back at|medflight back at the|medflight back from|medflight back from the|"
     "medflight back by|medflight back by the|medflight via amb from|medflighted in|"
     "medflighted in the|medflighted into|medflighted into the|medflighted to|"
     "medflighted to the|medflighted at|medflighted at the|medflighted from|"
     "medflighted from the|medflighted by|medflighted by the|medflighted back in|"
     "medflighted back in the|medflighted back into|medflighted back into the|"
     "medflighted back to|medflighted back to the|medflighted back at|medflighted back at the|"
     "medflighted back from|medflighted back from the|medflighted back by|"
     "medflighted back by the|medflighted via amb from|referred in|referred in the|"
     "referred into|referred into the|referred to|referred to the|referred at|referred at the|"
     "referred from|referred from the|referred by|referred by the|referred back in|"
     "referred back in the|referred back into|referred back into the|referred back to|"
     "referred back to the|referred back at|referred back at the|referred back from|"
     "referred back from the|referred back by|referred back by the|referred via amb from|"
     "accepted in|accepted in the|accepted into|accepted into the|accepted to|accepted to the|"
     "accepted at|accepted at the|accepted from|accepted from the|accepted by|accepted by the|"
     "accepted back in|accepted back in the|accepted back into|accepted back into the|"
     "accepted back to|accepted back to the|accepted back at|accepted back at the|"
     "accepted back from|accepted back from the|accepted back by|accepted back by the|"
     "accepted via amb from|screened in|screened in the|screened into|screened into the|"
     "screened to|screened to the|screened at|screened at the|screened from|screened from the|"
     "screened by|screened by the|screened back in|screened back in the|screened back into|"
     "screened back into the|screened back to|screened back to the|screened back at|"
     "screened back at the|screened back from|screened back from the|screened back by|"
     "screened back by the|screened via amb from|followed in|followed in the|followed into|"
     "followed into the|followed to|followed to the|followed at|followed at the|followed from|"
     "followed from the|followed by|followed by the|followed back in|followed back in the|"
     "followed back into|followed back into the|followed back to|followed back to the|"
     "followed back at|followed back at the|followed back from|followed back from the|"
     "followed back by|followed back by the|followed via amb from|seen in|seen in the|"
     "seen into|seen into the|seen to|seen to the|seen at|seen at the|seen from|seen from the|"
     "seen by|seen by the|seen back in|seen back in the|seen back into|seen back into the|"
     "seen back to|seen back to the|seen back at|seen back at the|seen back from|"
     "seen back from the|seen back by|seen back by the|seen via amb from|returned in|"
     "returned in the|returned into|returned into the|returned to|returned to the|returned at|"
     "returned at the|returned from|returned from the|returned by|returned by the|"
     "returned back in|returned back in the|returned back into|returned back into the|"
     "returned back to|returned back to the|returned back at|returned back at the|"
     "returned back from|returned back from the|returned back by|returned back by the|"
     "returned via amb from|went in|went in the|went into|went into the|went to|went to the|"
     "went at|went at the|went from|went from the|went by|went by the|went back in|"
     "went back in the|went back into|went back into the|went back to|went back to the|"
     "went back at|went back at the|went back from|went back from the|went back by|"
     "went back by the|went via amb from"},
    {Pat::kLiveCue,
     "lives in|lives in the|lives at|lives at the|lives near|lives near the|lives to|"
     "lives to the|lives from|lives from the|lives on|lives on the|living in|living in the|"
     "living at|living at the|living near|living near the|living to|living to the|living from|"
     "living from the|living on|living on the|lived in|lived in the|lived at|lived at the|"
     "lived near|lived near the|lived to|lived to the|lived from|lived from the|lived on|"
     "lived on the|resides in|resides in the|resides at|resides at the|resides near|"
     "resides near the|resides to|resides to the|resides from|resides from the|resides on|"
     "resides on the|resident in|resident in the|resident at|resident at the|resident near|"
     "resident near the|resident to|resident to the|resident from|resident from the|"
     "resident on|resident on the|home in|home in the|home at|home at the|home near|"
     "home near the|home to|home to the|home from|home from the|home on|home on the|moved in|"
     "moved in the|moved at|moved at the|moved near|moved near the|moved to|moved to the|"
     "moved from|moved from the|moved on|moved on the|originally in|originally in the|"
     "originally at|originally at the|originally near|originally near the|originally to|"
     "originally to the|originally from|originally from the|originally on|originally on the|"
     "vacation in|vacation in the|vacation at|vacation at the|vacation near|vacation near the|"
     "vacation to|vacation to the|vacation from|vacation from the|vacation on|vacation on the|"
     "vacationing in|vacationing in the|vacationing at|vacationing at the|vacationing near|"
     "vacationing near the|vacationing to|vacationing to the|vacationing from|"
     "vacationing from the|vacationing on|vacationing on the|visiting in|visiting in the|"
     "visiting at|visiting at the|visiting near|visiting near the|visiting to|visiting to the|"
     "visiting from|visiting from the|visiting on|visiting on the|staying in|staying in the|"
     "staying at|staying at the|staying near|staying near the|staying to|staying to the|"
     "staying from|staying from the|staying on|staying on the|stays in|stays in the|stays at|"
     "stays at the|stays near|stays near the|stays to|stays to the|stays from|stays from the|"
     "stays on|stays on the|grew up in|grew up in the|grew up at|grew up at the|grew up near|"
     "grew up near the|grew up to|grew up to the|grew up from|grew up from the|grew up on|"
     "grew up on the"},
    {Pat::kStreet,
     "street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|place|pl|way|"
     "terrace|ter|circle|cir|parkway|pkwy|highway|hwy|route|rte|trail|trl|square|sq|plaza|"
     "close|crescent|row|pike|turnpike|alley|loop|path|walk|crossing|point|landing|heights|"
     "hts|rapids|cliffs|islands|union|forges|parks|bridge|green|hill|creek|dale|park"},
    {Pat::kWeekday, "monday|tuesday|wednesday|thursday|friday|saturday|sunday"},
    {Pat::kNameAfter,
     " lives on| lives in| lives at| lived on| lived in| lived at| is from| was born|"
     " passed away| has been admitted| was admitted| was discharged| was diagnosed"},
    {Pat::kStaffAfter, " aware| notified| made aware| paged| updated| at bedside| in to see"},
    {Pat::kTitle,
     "mr|mrs|ms|miss|mister|mx|rev|reverend|pastor|rabbi|coach|officer|sgt|capt|judge|baby boy|"
     "baby girl"},
    {Pat::kStaffTitle, "dr|drs|doctor|prof|professor|dr's"},
    {Pat::kNurseTitle, "nurse|np"},
    {Pat::kIntro,
     "my name is|name is|name's|name|named|calls me|i'm|i am|this is|meet|thanks to|thank you|"
     "pray for|praying for|prayers for|congrats to|congratulations to|shout out to|shoutout to|"
     "happy birthday|happy birthday to|rip|in memory of|maiden name is|patient|our patient|"
     "patient spotlight|proud of|cheering for|get well soon"},
    {Pat::kWeakIntro,
     "per|spoke with|spoke w/|talked with|talked to|visited by|contact|contacts|page|paged|"
     "signed|said|ask for|asked for|told"},
    {Pat::kRole,
     "rn|r.n|rrt|crt|md|m.d|lpn|cna|msw|lcsw|pa-c|pharmd|dds|crna|aprn|fnp|bsn|msn|rnc|np"},
    {Pat::kPatient,
     "patient|pt|pts|admitted|admission|readmitted|discharged|diagnosed|hospitalized|"
     "hospitalised|intubated|extubated|sedated|npn|nsg|chart|mrn|dob|bedside|passed away|icu|"
     "nicu|micu|ccu|in the er|to the er|at the er|emergency room|afebrile|coags|lytes|hct|abg|"
     "cxr|ngt|foley|gtt|prbc|prbcs|sbp|cvp|peep|fio2|ett|prn|npo|u/o|uop|bipap|cpap|sats|vss|"
     "nsr|afib|copd|chf|cad|htn|pmh|hx|s/p|h/o|c/o|y/o|yr old|year old|cabg|my son|my daughter|"
     "my husband|my wife|my mom|my mother|my dad|my father|my baby|my brother|my sister|"
     "my grandson|my granddaughter|my grandmother|my grandfather|my grandma|my grandpa|my aunt|"
     "my uncle|my niece|my nephew|surgery|hospital stay|inpatient|outpatient|post-op|post op|"
     "mastectomy|chemo|chemotherapy|dialysis"},
    {Pat::kStaffCtx,
     "aware|notified|paged|called|spoke|pronounced|consulted|ordered|orders|in to see|"
     "in to examine|examined|evaluated|updated|informed|at bedside|rounded"},
    {Pat::kStaffIntro,
     "meet|welcome|welcomes|welcoming|join|joins|joined|joining|our new|our own|"
     "congratulations|congrats|proud|award|awarded|honored|honoured|recognized|spotlight|"
     "introducing|introduce|hired|board-certified|board certified|specializes|specialises|"
     "speaker|speaks|will speak|presents|hosted by|led by"},
    {Pat::kPersonDate,
     "born|dob|d.o.b|birthday|birth date|date of birth|admitted|admission|discharged|discharge|"
     "died|passed|death|surgery|seen|visit|appointment|appt|diagnosed|delivered|transferred|"
     "date|dated"},
    {Pat::kFacility,
     "hospital|hosp|medical center|med ctr|med center|medical ctr|regional|memorial|rehab|"
     "rehabilitation|clinic|health center|nursing home|nursing facility|nursing center|"
     "rehab center|care center|surgery center|assisted living|hospice|infirmary|manor|"
     "health system|cancer center|heart center|institute|county|children's"},
    {Pat::kAddressCue,
     "address|address is|addresses|lives on|lives at|live at|living at|located at|mail it to|"
     "send it to|corner of"},
    {Pat::kAddressCueWeak,
     "meet me at|meet you at|return to|deliver to|delivered to|drops you off at|office is at|"
     "it's in|it is in|taxi to"},
    {Pat::kCueSsn, "ssn|ss#|ss no|social security|social security number|social security no|"
                   "social security #|social security card"},
    {Pat::kCueMrn,
     "mrn|mr#|mr no|medical record|medical record number|medical record no|medical record #|"
     "med rec|record number|record no|record #|record#|chart number|chart no|chart #|chart#|"
     "chart|patient id|patient number|patient #|patient#|patient no|pt id|pt #|pt#|"
     "hospital number|unit number|wristband"},
    {Pat::kCueHealthPlan,
     "member|member id|member number|member #|member#|member no|subscriber|subscriber id|"
     "subscriber number|policy|policy number|policy #|policy no|policy id|medicare|"
     "medicare number|medicare id|medicare card|medicaid|medicaid number|medicaid id|"
     "medicaid card|insurance id|insurance number|insurance #|insurance card|beneficiary|"
     "beneficiary id|health plan|health plan id|plan id|plan number|plan #|group number|group #|"
     "group no"},
    {Pat::kCueAccount,
     "account|acct|guarantor account|invoice|inv|statement|billing number|billing #|card|"
     "card number|card no|card #|card ending|card ending in|ending in|cc|credit card|"
     "debit card|iban|routing|routing number|bank account"},
    {Pat::kCueLicense,
     "driver's license|drivers license|driver license|driver's licence|drivers licence|"
     "driving licence|driving license|dl|dl#|license|licence|license number|license no|"
     "license #|certificate|certificate number|certificate #|cert no|cert #|npi|dea|"
     "birth certificate|death certificate"},
    {Pat::kCueVehicle,
     "license plate|licence plate|plate|plates|plate number|plate #|tag number|tag #|tag no|"
     "vin|vin number|vehicle id"},
    {Pat::kCueDevice,
     "serial|serial number|serial no|serial #|s/n|sn|sn#|udi|device id|device number|device #|"
     "imei|model number|model no|model #"},
    {Pat::kCueOther,
     "case number|case no|case #|case#|case id|claim|claim number|claim no|claim #|claim id|"
     "ticket number|ticket #|reference number|reference #|ref #|ref no|confirmation number|"
     "confirmation #|order number|order #|student id|student number|employee id|"
     "employee number|badge number|badge #|tracking number|tracking #|encounter number|"
     "encounter #|visit number|visit #|passport|passport number|portal username|username|"
     "user id|login|id number|id no|id #|id#"},
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
    for (const LiteralDef& l : kLiterals) {
      std::string_view words(l.words);
      while (!words.empty()) {
        const size_t bar = words.find('|');
        RegisterLiteral(b, l.pat, words.substr(0, bar));
        words = bar == std::string_view::npos ? std::string_view() : words.substr(bar + 1);
      }
    }
    // Organization profile: its own names and places are never findings. Those from the
    // options are kPatternOrg (compiled at run time); the shipped public names are built in.
    Document d;
    auto add_org = [&](std::string_view s, unsigned flags = kPatternOrg) {
      if (s.empty()) return;
      d.Analyze(s);
      std::string n(d.norm());
      while (!n.empty() && (n.back() == ' ' || n.back() == '.')) n.pop_back();
      if (n.size() < 2) return;
      Register(b, Pat::kOrg, "", n, flags);
    };
    // Public and historical figures of medicine, and eponyms written like names: naming
    // them identifies no patient.
    std::string_view names = EmbeddedFile("phi_public_names.txt");
    while (!names.empty()) {
      const size_t nl = std::min(names.find('\n'), names.size());
      const std::string_view line = names.substr(0, nl);
      names.remove_prefix(std::min(nl + 1, names.size()));
      if (!line.empty() && line[0] != '#') add_org(line, kPatternDefault);
    }
    for (const auto& s : o.org.names) add_org(s);
    for (const auto& s : o.org.facilities) add_org(s);
    for (const auto& s : o.org.addresses) {
      add_org(s);
      // Posts often give only the street: "1200 River Road".
      const size_t comma = s.find(',');
      if (comma != std::string::npos) add_org(s.substr(0, comma));
    }
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
      if (digits.size() >= 7) owned_.push_back(std::make_unique<std::string>(digits));
      if (digits.size() >= 7) org_phones_.insert(*owned_.back());
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
      if (!n.empty()) {
        owned_.push_back(std::make_unique<std::string>(n));
        org_handles_.insert(*owned_.back());
      }
    }
    return absl::OkStatus();
  }

  std::string_view name() const override { return "phi"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override;

 private:
  void RegisterLiteral(StageBuilder& b, Pat p, std::string_view literal) {
    const uint32_t id = b.AddLiteral(literal);
    if (pat_of_.size() <= id) pat_of_.resize(id + 1, Pat::kCount);
    pat_of_[id] = p;
  }
  void Register(StageBuilder& b, Pat p, std::string_view regex, std::string_view literal = {},
                unsigned flags = kPatternDefault) {
    const uint32_t id = literal.empty() ? b.Add(regex, flags) : b.AddWord(literal, flags);
    if (pat_of_.size() <= id) pat_of_.resize(id + 1, Pat::kCount);
    pat_of_[id] = p;
  }

  friend class PhiScan;
  PhiLexicon lex_;
  std::vector<Pat> pat_of_;
  std::vector<std::unique_ptr<std::string>> owned_;  // storage for the views below
  absl::flat_hash_set<std::string_view> org_phones_;  // last ten digits
  std::vector<std::string> org_domains_;
  absl::flat_hash_set<std::string_view> org_handles_;
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
  std::vector<uint8_t> strong;   // the name came from a cue, not from the gazetteer alone
  std::vector<uint8_t> geo;
  std::vector<uint8_t> sent_informative;
  std::vector<std::string_view> name_keys;
  std::vector<uint8_t> name_kind;
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
  kBDoctor = 1 << 7,  // "dr", "doctor": clinicians' notes write the name after it in lower case
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
      "get", "got", "go", "going", "went", "see", "seen", "lol", "omg", "rt", "via", "i'm", "im",
      "ive", "i've", "i'll", "i'd", "you're", "we're", "it's", "that's", "let's"};
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
      "transplant", "cardiology", "neurology", "neurosurgery", "psych", "psychiatry", "oncology",
      "oh", "ortho", "orthopedics", "vicu", "imv", "liver", "house", "ophthalmology",
      "opthamology", "cool", "neb", "ent", "derm", "renal", "pulm", "pulmonary", "cards",
      "urology", "gyn", "obgyn", "peds", "pediatrics", "trauma", "burn", "medical", "surgical"};
  return kWords.contains(w);
}

// Words that follow an eponym when it names a disease, sign or device rather than a person.
bool IsEponymTail(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "disease", "diseases", "syndrome", "palsy", "sign", "signs", "test", "score", "scale",
      "tube", "tubes", "catheter", "cath", "valve", "pouch", "procedure", "maneuver",
      "manoeuvre", "lymphoma", "sarcoma", "esophagus", "esophagitis", "ulcer", "phenomenon",
      "reflex", "criteria", "classification", "fundoplication", "hugger", "muir", "sump",
      "drain", "collar", "lift", "port", "dressing", "boots", "clamp", "sheath", "draining", "drainage",
      "catheters", "to", "in", "dc'd", "d/c'd", "removed", "placed", "changed", "patent",
      "intact", "drained", "draining", "bag", "care", "irrigated", "monitor", "monitoring",
      "ganz", "line", "numbers", "protocol", "monitor", "position", "stocking", "stockings",
      "law", "shift", "stain", "smear", "tear", "tears", "triad", "chorea", "dementia", "gangrene",
      "disorder", "thyroiditis", "anomaly", "tumor", "tumour", "virus", "fever"};
  return kWords.contains(w);
}

bool IsTitleWord(std::string_view w) {
  static const absl::flat_hash_set<std::string_view> kWords = {
      "mr", "mrs", "ms", "miss", "mister", "dr", "drs", "doctor", "nurse", "np", "prof",
      "professor", "rev", "reverend", "pastor", "rabbi", "coach", "officer", "sgt", "capt",
      "judge", "baby", "girl", "boy", "sister", "brother", "father", "mother"};
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

// Whether a web address (normalised: lower case) points to a person: a page on a
// site whose pages are people (profiles, fundraisers, memorials), or a path or query
// that names a person's record. Other links identify nobody by themselves.
bool UrlPointsToPerson(std::string_view url) {
  const std::string_view u = url;
  std::string_view rest = u;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (rest.substr(0, scheme.size()) == scheme) rest.remove_prefix(scheme.size());
  }
  const size_t slash = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
  static constexpr std::string_view kPeopleSites[] = {
      "gofundme.com", "caringbridge.org", "facebook.com", "fb.com",   "linkedin.com",
      "tiktok.com",   "threads.net",      "bsky.app",     "legacy.com", "findagrave.com",
      "mealtrain.com", "spotfund.com",    "givesendgo.com", "lotsahelpinghands.com"};
  for (std::string_view site : kPeopleSites) {
    const bool on_site = host == site || (host.size() > site.size() &&
                                          host.substr(host.size() - site.size()) == site &&
                                          host[host.size() - site.size() - 1] == '.');
    if (on_site && path.size() > 1) return true;
  }
  static constexpr std::string_view kPersonalParts[] = {
      "patient", "mrn", "profile", "/user", "/u/", "/people/", "/member", "/@", "account",
      "uid=", "name=", "mychart"};
  for (std::string_view part : kPersonalParts) {
    if (u.find(part) != std::string_view::npos) return true;
  }
  return false;
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
  bool LookbackHas(uint32_t nb, uint32_t window, std::initializer_list<std::string_view> words,
                   bool cross_lines = false) const;
  bool SameSentenceCueBefore(Pat p, uint32_t nb, uint32_t window) const;

  void CollectHits(std::span<const Match> hits);
  void DigitShapes();
  void ComputeCasing();
  void MarkCues();
  void Structured();
  void Dates();
  void Addresses();
  void LabelledIds();
  void Names();
  void Places();
  void Resolve(const ScreenRequest& request, std::vector<Finding>* out);

  enum class Cue : uint8_t { kNone, kWeak, kIntro, kKin, kRole, kStrong, kStaff };
  bool NameLike(size_t i, Cue cue);
  bool NameGap(size_t a) const;
  bool InHandleOrLink(size_t i) const;
  bool NextToName(size_t i);
  bool ExtendsName(size_t i, bool strong);
  bool EponymUse(size_t i);
  bool IsOrgSpan(uint32_t nb, uint32_t ne, PhiType t) const;

  const PhiStage& st_;
  const Document& doc_;
  PhiScratch& s_;
  std::string_view norm_;
  const std::vector<Token>& toks_;
  bool patient_ = false;
  bool person_named_ = false;  // a name that is not a clinician's
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
  DigitShapes();
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

// Number shapes (dates, phones, SSNs, ZIPs, cards, IPs) read in one pass over the digit
// runs of norm(): number-led regular expressions would keep an always-on engine busy at
// every byte of the scan. Each shape reproduces the expression noted beside it exactly
// (Hyperscan's \b and \s on ASCII), and the matches join the pattern hits before the
// per-pattern clean-up below.
void PhiScan::DigitShapes() {
  const uint32_t n = static_cast<uint32_t>(norm_.size());
  auto word = [&](uint32_t q) { return q < n && (IsAlnum(norm_[q]) || norm_[q] == '_'); };
  auto space = [&](uint32_t q) {
    return q < n && (norm_[q] == ' ' || (norm_[q] >= '\t' && norm_[q] <= '\r'));
  };
  auto at = [&](uint32_t q, char c) { return q < n && norm_[q] == c; };
  auto run = [&](uint32_t q) {
    uint32_t e = q;
    while (e < n && IsDigit(norm_[e])) ++e;
    return e - q;
  };
  auto sep_sd = [&](uint32_t q) { return space(q) || at(q, '-'); };                  // [\s\-]
  auto sep_date = [&](uint32_t q) { return at(q, '/') || at(q, '-') || at(q, '.'); };  // [/\-.]
  for (uint32_t i = 0; i < n; ++i) {
    if (!IsDigit(norm_[i]) || (i > 0 && word(i - 1))) continue;
    auto push = [&](Pat p, uint32_t to) {
      s_.by_pat[static_cast<size_t>(p)].push_back(Match{0, i, to});
    };
    const uint32_t r0 = run(i);
    const uint32_t e0 = i + r0;
    const bool b0 = !word(e0);
    if (r0 >= 11 && r0 <= 19 && b0) push(Pat::kLongDigits, e0);  // \b\d{11,19}\b
    if (r0 == 10 && b0) push(Pat::kPhoneUs, e0);                   // \b\d{10}\b
    if (r0 == 5) {                                                  // \b\d{5}(-\d{4})?\b
      if (b0) push(Pat::kZip, e0);
      if (at(e0, '-') && run(e0 + 1) == 4 && !word(e0 + 5)) push(Pat::kZip, e0 + 5);
    }
    // \b\d{3}-\d{7}\b
    if (r0 == 3 && at(e0, '-') && run(e0 + 1) == 7 && !word(e0 + 8)) push(Pat::kPhoneUs, e0 + 8);
    // \b\d{1,2}-\d{4}\b
    if (r0 <= 2 && at(e0, '-') && run(e0 + 1) == 4 && !word(e0 + 5)) push(Pat::kShortExt, e0 + 5);
    // \b\d{3}[\s\-]\d{2}[\s\-]\d{4}\b
    if (r0 == 3 && sep_sd(e0) && run(e0 + 1) == 2 && sep_sd(e0 + 3) && run(e0 + 4) == 4 &&
        !word(e0 + 8)) {
      push(Pat::kSsn, e0 + 8);
    }
    if (r0 == 4 && sep_sd(e0)) {
      const uint32_t r1 = run(e0 + 1);
      const uint32_t e1 = e0 + 1 + r1;
      // \b\d{4}[\s\-]\d{4}[\s\-]\d{4}[\s\-]\d{1,7}\b
      if (r1 == 4 && sep_sd(e1) && run(e1 + 1) == 4 && sep_sd(e1 + 5)) {
        const uint32_t r3 = run(e1 + 6);
        if (r3 >= 1 && r3 <= 7 && !word(e1 + 6 + r3)) push(Pat::kCardGroups, e1 + 6 + r3);
      }
      // \b\d{4}[\s\-]\d{6}[\s\-]\d{4,5}\b
      if (r1 == 6 && sep_sd(e1)) {
        const uint32_t r2 = run(e1 + 1);
        if (r2 >= 4 && r2 <= 5 && !word(e1 + 1 + r2)) push(Pat::kCardGroups, e1 + 1 + r2);
      }
    }
    // \b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b
    if (r0 <= 3) {
      uint32_t e = e0;
      int parts = 1;
      while (parts < 4 && at(e, '.')) {
        const uint32_t r = run(e + 1);
        if (r < 1 || r > 3) break;
        e += 1 + r;
        ++parts;
      }
      if (parts == 4 && !word(e)) push(Pat::kIpv4, e);
    }
    // \b\d{1,2}[/\-.]\d{1,2}([/\-.]\d{2,4})?\b
    if (r0 <= 2 && sep_date(e0)) {
      const uint32_t r1 = run(e0 + 1);
      const uint32_t e1 = e0 + 1 + r1;
      if (r1 >= 1 && r1 <= 2) {
        if (!word(e1)) push(Pat::kDateNum, e1);
        if (sep_date(e1)) {
          const uint32_t r2 = run(e1 + 1);
          if (r2 >= 2 && r2 <= 4 && !word(e1 + 1 + r2)) push(Pat::kDateNum, e1 + 1 + r2);
        }
      }
    }
    // \b(19|20)\d\d[\-/.]\d{1,2}[\-/.]\d{1,2}\b(\s+\d{1,2}:\d{2}(:\d{2})?\b)?
    if (r0 == 4 && (norm_.substr(i, 2) == "19" || norm_.substr(i, 2) == "20") && sep_date(e0)) {
      const uint32_t r1 = run(e0 + 1);
      const uint32_t e1 = e0 + 1 + r1;
      const uint32_t r2 = r1 >= 1 && r1 <= 2 && sep_date(e1) ? run(e1 + 1) : 0;
      const uint32_t e2 = e1 + 1 + r2;
      if (r2 >= 1 && r2 <= 2 && !word(e2)) {
        push(Pat::kDateIso, e2);
        uint32_t q = e2;
        while (space(q)) ++q;
        const uint32_t rh = q > e2 ? run(q) : 0;
        if (rh >= 1 && rh <= 2 && at(q + rh, ':') && run(q + rh + 1) == 2) {
          const uint32_t em = q + rh + 3;
          if (!word(em)) push(Pat::kDateIso, em);
          if (at(em, ':') && run(em + 1) == 2 && !word(em + 3)) push(Pat::kDateIso, em + 3);
        }
      }
    }
    // \b\d{2,3}(st|nd|rd|th)\s+birthday\b
    if (r0 >= 2 && r0 <= 3 && e0 + 2 < n) {
      const std::string_view suf = norm_.substr(e0, 2);
      if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") {
        uint32_t q = e0 + 2;
        while (space(q)) ++q;
        if (q > e0 + 2 && norm_.substr(q, 8) == "birthday" && !word(q + 8)) {
          push(Pat::kAgeBirthday, q + 8);
        }
      }
    }
    // Only the longest match per start survives the clean-up, so each shape below pushes
    // its longest end.
    auto skip_space = [&](uint32_t q) {
      while (space(q)) ++q;
      return q;
    };
    auto has = [&](uint32_t q, std::string_view w) { return norm_.substr(std::min(q, n), w.size()) == w; };
    auto boundary = [&](uint32_t q) { return q > 0 && word(q - 1) != word(q); };
    // \b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?MONTH\b\.?(,?\s+(19|20)\d\d\b)?
    if (r0 <= 2) {
      uint32_t q = e0;
      const std::string_view suf = norm_.substr(std::min(q, n), 2);
      if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") q += 2;
      for (int attempt = 0; attempt < 2; ++attempt) {
        // With and without a suffix: "1st" needs it, "1 st" cannot use it.
        const uint32_t start = attempt == 0 ? q : e0;
        if (attempt == 1 && start == q) break;
        uint32_t m = skip_space(start);
        if (m == start) continue;
        static constexpr std::string_view kMonthWords[] = {
            "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june",
            "jun", "july", "jul", "august", "aug", "september", "sepember", "sept", "sep",
            "october", "oct", "november", "nov", "december", "dec"};
        uint32_t best = 0;
        for (int with_of = 0; with_of < 2; ++with_of) {
          uint32_t mq = m;
          if (with_of == 1) {
            if (!has(m, "of")) continue;
            mq = skip_space(m + 2);
            if (mq == m + 2) continue;
          }
          for (std::string_view w : kMonthWords) {
            if (!has(mq, w) || word(mq + static_cast<uint32_t>(w.size()))) continue;
            uint32_t e = mq + static_cast<uint32_t>(w.size());
            best = std::max(best, e);
            // Optional "." and then an optional year.
            for (uint32_t f : {e, at(e, '.') ? e + 1 : e}) {
              best = std::max(best, f);
              uint32_t y = at(f, ',') ? f + 1 : f;
              for (uint32_t yy : {f, y}) {
                const uint32_t ys = skip_space(yy);
                if (ys > yy && run(ys) == 4 && !word(ys + 4) && (has(ys, "19") || has(ys, "20"))) {
                  best = std::max(best, ys + 4);
                }
              }
            }
          }
        }
        if (best > 0) {
          push(Pat::kDateDayMonth, best);
          break;
        }
      }
    }
    if (r0 >= 2 && r0 <= 3) {
      uint32_t best = 0;
      // \b\d{2,3}\s*(-\s*|\s)?(years?|yrs?|y)\.?\s*(-\s*|\s)?old\b
      {
        uint32_t q = skip_space(e0);
        if (at(q, '-')) q = skip_space(q + 1);
        for (std::string_view u : {"years", "year", "yrs", "yr", "y"}) {
          if (!has(q, u)) continue;
          uint32_t p = q + static_cast<uint32_t>(u.size());
          if (at(p, '.')) ++p;
          p = skip_space(p);
          if (at(p, '-')) p = skip_space(p + 1);
          if (has(p, "old") && !word(p + 3)) best = std::max(best, p + 3);
        }
      }
      // \b\d{2,3}\s*-?\s*(yo|y/o|y\.o\.?|yrs?)\b
      {
        uint32_t q = skip_space(e0);
        if (at(q, '-')) q = skip_space(q + 1);
        for (std::string_view u : {"y.o.", "y.o", "y/o", "yo", "yrs", "yr"}) {
          const uint32_t p = q + static_cast<uint32_t>(u.size());
          if (has(q, u) && boundary(p)) best = std::max(best, p);
        }
      }
      if (best > 0) push(Pat::kAge, best);
    }
    i = e0 - 1;  // the next start is after this run
  }
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
  doc_uses_case_ = total > 0 && lower * 3 >= total && upper > 0;
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
    // A headline in Title Case, a shouted sentence, or a sentence written all in lower
    // case tells nothing by its case.
    const bool title = n >= 5 && caps * 100 >= n * 85;
    const bool shouting = n >= 3 && allcaps * 10 >= n * 6;
    const bool lower = n >= 3 && caps == 0;
    s_.sent_informative[si] = !title && !shouting && !lower;
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
      if (bit & (kBTitle | kBStaff)) {
        // "MS: opens eyes", "MS. Aspiration": mental status, not Ms.
        const size_t c = TokenFrom(m.from);
        if (c < n && Informative(c) && toks_[c].Has(kTokAllCaps) && doc_.Norm(toks_[c]) == "ms") continue;
        bool colon = false;
        for (uint32_t q = m.from; q < toks_[j].norm_begin; ++q) colon |= norm_[q] == ':';
        if (colon) continue;
      }
      // The cue and the word must be on one line, a few characters apart.
      if (toks_[j].norm_begin > m.to + 3) continue;
      bool ok = true;
      for (uint32_t q = m.to; q < toks_[j].norm_begin; ++q) {
        const char c = norm_[q];
        ok &= c == ' ' || c == ',' || c == ':' || c == '-' || c == '"' || c == '(' ||
              (bit == kBIntro && c == '?');
      }
      if (!ok && (bit & (kBTitle | kBDoctor))) {
        // "Mr. Smith", "Dr. Lin": the title's period.
        ok = true;
        for (uint32_t q = m.to; q < toks_[j].norm_begin; ++q) ok &= norm_[q] == ' ' || norm_[q] == '.';
        ok &= norm_[m.to] == '.';
      }
      if (ok) {
        s_.before[j] |= bit;
        // "Dr. L. Ruuska": the cue reaches over an initial.
        if (j + 1 < n && toks_[j].norm_end - toks_[j].norm_begin == 1 && toks_[j].Has(kTokAlpha) &&
            TightGap(j, ".")) {
          s_.before[j + 1] |= bit;
        }
      }
    }
  };
  mark_next(Pat::kTitle, kBTitle);
  mark_next(Pat::kStaffTitle, kBStaff | kBDoctor);
  mark_next(Pat::kNurseTitle, kBStaff);
  mark_next(Pat::kKin, kBKin);
  mark_next(Pat::kIntro, kBIntro);
  mark_next(Pat::kWeakIntro, kBWeak);
  // "Hank Przybylo (son)", "Mary Smith, daughter"
  for (const Match& m : M(Pat::kKin)) {
    uint32_t b = m.from;
    while (b > 0 && (norm_[b - 1] == ' ' || norm_[b - 1] == '(' || norm_[b - 1] == ',')) --b;
    bool sep = false;
    for (uint32_t q = b; q < m.from; ++q) sep |= norm_[q] == '(' || norm_[q] == ',';
    if (b == m.from || !sep) continue;
    const size_t j = TokenBefore(b);
    if (j != SIZE_MAX && toks_[j].norm_end == b && s_.after[j] == 0) s_.after[j] = 2;
  }
  // "Sofie lives on ...", "Tomomi is from ...": the word before is a person.
  for (const Match& m : M(Pat::kNameAfter)) {
    const size_t j = TokenBefore(m.from + 1);
    if (j != SIZE_MAX && toks_[j].norm_end == m.from && s_.after[j] == 0) s_.after[j] = 3;
  }
  // "SULLIVAN AWARE", "Dr Lee notified": someone told about a patient is a clinician.
  for (const Match& m : M(Pat::kStaffAfter)) {
    const size_t j = TokenBefore(m.from + 1);
    if (j != SIZE_MAX && toks_[j].norm_end == m.from && s_.after[j] == 0 &&
        !IsUnitWord(Base(j)) && !IsRoleWord(Base(j))) {
      s_.after[j] = 4;
    }
  }
  for (const Match& m : M(Pat::kRole)) {
    if (m.to < norm_.size() && (norm_[m.to] == '\'' || norm_[m.to] == 's')) continue;  // "MD's"
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
                          std::initializer_list<std::string_view> words, bool cross_lines) const {
  const uint32_t b = nb > window ? nb - window : 0;
  std::string_view w = norm_.substr(b, nb - b);
  const size_t nl = w.rfind('\n');
  if (nl != std::string_view::npos && !cross_lines) w = w.substr(nl + 1);
  const uint32_t base = static_cast<uint32_t>(w.data() - norm_.data());
  for (std::string_view k : words) {
    for (size_t f = w.find(k); f != std::string_view::npos; f = w.find(k, f + 1)) {
      const uint32_t at = base + static_cast<uint32_t>(f);
      if (at == 0 || !IsAlnum(norm_[at - 1])) return true;
    }
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
  auto local_part = [](char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  for (const Match& m : M(Pat::kEmail)) {
    uint32_t b = m.from;
    while (b > 0 && local_part(norm_[b - 1])) --b;
    if (b >= m.from) continue;
    // An address at the organization's own domain (jobs@, press@, a clinician's work
    // address) is the organization's, not a patient's.
    const std::string_view host = N(m.from + 1, m.to);
    bool own = false;
    for (const std::string& d : st_.org_domains_) {
      own |= host.size() >= d.size() && host.substr(host.size() - d.size()) == d &&
             (host.size() == d.size() || host[host.size() - d.size() - 1] == '.');
    }
    Add(b, m.to, PhiType::kEmail, own ? 0 : 9);
  }
  auto url_char = [](char c) {
    return static_cast<unsigned char>(c) > ' ' && std::string_view("<>\"'()[]{}|").find(c) == std::string_view::npos;
  };
  auto host_char = [](char c) { return IsAlnum(c) || c == '.' || c == '-'; };
  auto url = [&](const Match& m, bool bare) {
    uint32_t b = m.from;
    uint32_t e = m.to;
    if (bare) {
      // ".com" found: the host runs left, an optional path runs right.
      while (b > 0 && host_char(norm_[b - 1])) --b;
      if (b == m.from || !IsAlnum(norm_[b])) return;
      if (b > 0 && (norm_[b - 1] == '@' || norm_[b - 1] == '/' || norm_[b - 1] == ':')) return;
      if (e < norm_.size() && norm_[e] == '/') {
        while (e < norm_.size() && url_char(norm_[e])) ++e;
      }
    } else {
      while (e < norm_.size() && url_char(norm_[e])) ++e;
    }
    while (e > b && std::string_view(".,;:!?)'\"").find(norm_[e - 1]) != std::string_view::npos) --e;
    if (e <= m.to && !bare) return;
    std::string_view u = N(b, e);
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
        Add(b, e, PhiType::kUrl, 0);  // the org's own link: swallowed, never reported
        return;
      }
    }
    if (IsPublicHost(host)) return;
    if (bare) {
      // A bare "word.word" is a URL only when it looks like a domain, not an abbreviation or
      // a missing space ("limits.No"): a country domain needs a path.
      const size_t dot = host.rfind('.');
      const bool country = dot != std::string_view::npos && host.size() - dot - 1 == 2;
      if (country && u.find('/') == std::string_view::npos) return;
      if (CountDigits(host) == static_cast<int>(host.size() - std::count(host.begin(), host.end(), '.'))) return;
    }
    Add(b, e, PhiType::kUrl, 8);
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
    if (m.from > 0 && (norm_[m.from - 1] == '/' || norm_[m.from - 1] == '.')) ok = false;
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
    const bool fax = LookbackHas(nb, 50, {"fax"}) || LookbackHas(nb, 12, {"fax"}, /*cross_lines=*/true);
    return fax ? PhiType::kFax : PhiType::kPhone;
  };
  auto org_phone = [&](std::string_view v) {
    char digits[32];
    size_t nd = 0;
    for (char c : v) {
      if (IsDigit(c) && nd < sizeof digits) digits[nd++] = c;
    }
    const size_t from = nd > 10 ? nd - 10 : 0;
    const std::string_view last10(digits + from, nd - from);
    // US toll-free numbers (800, 833, 844, 855, 866, 877, 888) belong to organizations
    // and hotlines (Poison Help, 988's predecessor, the DV hotline), never to a patient.
    if (last10.size() == 10 && last10[0] == '8' &&
        (last10.substr(0, 3) == "800" ||
         (last10[1] == last10[2] && last10[1] >= '3' && last10[1] <= '8'))) {
      return true;
    }
    return st_.org_phones_.contains(last10);
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
                     "pager", "#", "ph"},
                    /*cross_lines=*/true)) {
      add_phone(m.from, m.to, 5);
    }
  }
  // A local seven-digit number ("944-5032") or an internal extension ("x4455") in a text
  // about a patient.
  if (patient_) {
    for (const Match& m : M(Pat::kExtension)) add_phone(m.from, m.to, 4);
    // An internal extension after a word to call it by: "page 5-1234", "beeper 4-5678".
    for (const Match& m : M(Pat::kShortExt)) {
      if (LookbackHas(m.from, 16, {"page", "pager", "beeper", "bpr", "pgr", "pg", "call", "phone",
                                   "ext", "cell", "#"})) {
        add_phone(m.from, m.to, 4);
      }
    }
    for (const Match& m : M(Pat::kPhoneGroups)) {
      const std::string_view v = N(m.from, m.to);
      const int lo = ParseInt(v.substr(0, 3));
      const int hi = v.size() == 8 ? ParseInt(v.substr(4)) : 0;
      const bool range = lo < hi && hi % 10 == 0;  // "TV 900-1000", "575-1000 cc"
      if (v.size() == 8 && v[3] == '-' && CountDigits(v) == 7 && !range &&
          (m.from == 0 || (norm_[m.from - 1] != '-' && norm_[m.from - 1] != '/'))) {
        add_phone(m.from, m.to, 5);
      }
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
  // Token-shaped identifiers: IBAN, VIN, unlabelled record numbers ("E4410982"); never
  // inside a link.
  for (size_t i = 0; i < toks_.size(); ++i) {
    const Token& t = toks_[i];
    if (!t.Has(kTokDigit) || !t.Has(kTokAlpha)) continue;
    if (t.norm_begin > 0 && std::string_view("/=.?&:-_").find(norm_[t.norm_begin - 1]) != std::string_view::npos) continue;
    if (t.norm_end < norm_.size() && std::string_view("/=.?&_").find(norm_[t.norm_end]) != std::string_view::npos &&
        t.norm_end + 1 < norm_.size() && IsAlnum(norm_[t.norm_end + 1])) {
      continue;
    }
    const std::string_view v = doc_.Norm(t);
    const int d = CountDigits(v);
    if (v.size() >= 4 && v[0] >= 'a' && v[0] <= 'z' && v[1] >= 'a' && v[1] <= 'z' && IsDigit(v[2]) &&
        IsDigit(v[3])) {
      // IBAN, written solid or in groups of four.
      uint32_t e = t.norm_end;
      size_t k = i;
      while (k + 1 < toks_.size() && toks_[k + 1].norm_begin == toks_[k].norm_end + 1 &&
             norm_[toks_[k].norm_end] == ' ' && toks_[k + 1].norm_end - toks_[k + 1].norm_begin <= 4 &&
             toks_[k].norm_end - toks_[k].norm_begin == 4) {
        ++k;
        e = toks_[k].norm_end;
      }
      if (IbanValid(N(t.norm_begin, e))) {
        Add(t.norm_begin, e, PhiType::kAccount, 7);
        continue;
      }
    }
    if (v.size() == 17 && d >= 5 && d <= 14 && v.find_first_of("ioq'") == std::string_view::npos &&
        !t.Has(kTokHashtag) && !t.Has(kTokMention)) {
      Add(t.norm_begin, t.norm_end, PhiType::kVehicle, 5);
      continue;
    }
    if (patient_ && d >= 6 && d <= 10 && v.size() - d <= 3 && !IsDigit(v[0]) && IsDigit(v.back())) {
      bool letters_first = true;
      for (size_t k = 0; k < v.size() - d; ++k) letters_first &= !IsDigit(v[k]);
      if (letters_first) Add(t.norm_begin, t.norm_end, PhiType::kMrn, 3);
    }
  }
  for (const Match& m : M(Pat::kMbi)) Add(m.from, m.to, PhiType::kHealthPlan, 7);

  // Ages over 89.
  auto age = [&](const Match& m) {
    uint32_t p = m.from;
    while (p < m.to && !IsDigit(norm_[p])) ++p;
    const int v = ParseInt(N(p, m.to));
    const size_t nj = TokenFrom(m.to);
    if (nj < toks_.size() && toks_[nj].norm_begin <= m.to + 1) {
      const std::string_view next = doc_.Norm(toks_[nj]);
      if (next == "ago" || next == "later" || next == "since" || next == "before") return;  // "100 yrs ago"
    }
    if (v >= 90 && v <= 125) Add(m.from, m.to, PhiType::kAge, 6);
  };
  for (const Match& m : M(Pat::kAge)) age(m);
  for (const Match& m : M(Pat::kAgeBirthday)) age(m);
  for (const Match& m : M(Pat::kAgeWords)) Add(m.from, m.to, PhiType::kAge, 6);
}

void PhiScan::Dates() {
  // A date is PHI when it is about a person: in a text about a patient, or right after a
  // word that ties it to one ("born", "DOB", "admitted", "Date:").
  auto tied = [&](uint32_t nb) {
    return patient_ || person_named_ || SameSentenceCueBefore(Pat::kPersonDate, nb, 40);
  };
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
    if (has_year && v.find_first_of("/-.") != v.find_last_of("/-.") &&
        v[v.find_first_of("/-.")] != v[v.find_last_of("/-.")]) {
      continue;  // mixed separators: "5.6/67"
    }
    if (m.from > 1 && norm_[m.from - 1] == '-' && IsDigit(norm_[m.from - 2])) continue;
    {
      // Ventilator and exam notation: "PSV 10/5", "5/5 strength", "pain 8/10".
      static const absl::flat_hash_set<std::string_view> kNotDate = {
          "psv", "ps", "cpap", "bipap", "peep", "ipap", "epap", "simv", "imv", "ac", "vent",
          "strength", "motor", "pain", "ratio", "settings", "setting", "mode", "of", "pressure",
          "support", "x", "bp", "grade", "score", "scale", "rated", "rates", "out", "pap",
          "flowby", "nc", "fio2", "sats", "sem", "murmur", "cp"};
      const size_t pj = TokenBefore(m.from);
      const size_t nj = TokenFrom(m.to);
      if ((pj != SIZE_MAX && m.from - toks_[pj].norm_end <= 2 && kNotDate.contains(doc_.Norm(toks_[pj]))) ||
          (nj < toks_.size() && toks_[nj].norm_begin <= m.to + 1 && kNotDate.contains(doc_.Norm(toks_[nj])))) {
        continue;
      }
    }
    // Not a date when glued to more numbers ("10/700/.50", "2.5.1").
    if (m.from > 0 && (IsDigit(norm_[m.from - 1]) || norm_[m.from - 1] == '/' || norm_[m.from - 1] == '.')) continue;
    if (m.to < norm_.size() && (norm_[m.to] == '/' || norm_[m.to] == '%' ||
                                (norm_[m.to] == '.' && m.to + 1 < norm_.size() && IsDigit(norm_[m.to + 1])))) {
      continue;
    }
    if (m.to + 1 < norm_.size() && norm_[m.to] == ' ' && norm_[m.to + 1] == '%') continue;
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
      if (b == 10 && a <= 10) {
        // A pain score ("4/10 CP", "c/o 5/10 pain"), not a day in a month.
        const size_t nj = TokenFrom(m.to);
        static const absl::flat_hash_set<std::string_view> kPain = {
            "cp", "pain", "incisional", "mediastinal", "chest", "abd", "back", "discomfort",
            "ha", "headache", "sharp", "dull", "burning", "aching", "sternal", "pressure"};
        if (LookbackHas(m.from, 24, {"pain", "c/o", "rated", "scale", "discomfort", "cp"}) ||
            (nj < toks_.size() && kPain.contains(doc_.Norm(toks_[nj])))) {
          ok = false;
        }
      }
      if (LookbackHas(m.from, 25, {"psv", "ps ", "cpap", "peep", "bipap", "vent", "mode", "simv", "ac "})) ok = false;
    } else if (sep == '-') {
      const size_t pj = TokenBefore(m.from);
      const std::string_view prev = pj == SIZE_MAX ? std::string_view() : doc_.Norm(toks_[pj]);
      ok = md && a < b && (prev == "on" || prev == "since" || prev == "until" || prev == "from" ||
                           SameSentenceCueBefore(Pat::kPersonDate, m.from, 8));
      static const absl::flat_hash_set<std::string_view> kUnits = {
          "l", "lpm", "liters", "mg", "mcg", "g", "units", "u", "ml", "cc", "times", "days", "hrs",
          "hours", "mins", "minutes", "weeks", "x", "beats", "breaths", "lnc", "nc", "cm", "mm"};
      const size_t nj = TokenFrom(m.to);
      if (nj < toks_.size() && kUnits.contains(doc_.Norm(toks_[nj]))) ok = false;
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
    // "... Oak Hollow Dr": walk back over up to four street-name words to a house number.
    size_t k = TokenBefore(m.from + 1);
    if (k == SIZE_MAX) continue;
    int words = 0;
    bool ok = false;
    size_t first_word = SIZE_MAX;
    for (; words < 5; --k) {
      const Token& t = toks_[k];
      const uint32_t len = t.norm_end - t.norm_begin;
      const bool number = t.Has(kTokDigit) && IsDigit(norm_[t.norm_begin]) &&
                          (!t.Has(kTokAlpha) || (len <= 6 && CountDigits(doc_.Norm(t)) + 1 == static_cast<int>(len)));
      if (number && words > 0) {
        ok = t.norm_end - t.norm_begin <= 7;
        break;
      }
      if (!t.Has(kTokAlpha) || t.Has(kTokDigit) || t.norm_end - t.norm_begin < 3) break;
      if (Informative(k) ? !t.Has(kTokCapitalized) || t.Has(kTokAllCaps) : !doc_uses_case_) {
        // In a text that does not use case, only a spelled-out suffix ("Clover Street").
        if (!Informative(k) && N(m.from, m.to).size() > 3) {
        } else {
          break;
        }
      }
      if (IsStop(Base(k)) || Lex(k).never()) break;
      // After an abbreviated suffix ("Crown St", "Oak Hollow Dr") the name must not be an
      // ordinary word ("Right CT", "LOOSE GREEN").
      if (m.to - m.from <= 4 && Lex(k).word() && !Lex(k).name()) break;
      first_word = k;
      if (k == 0 || !TightGap(k - 1, ".'")) break;
      ++words;
    }
    if (!ok && first_word != SIZE_MAX && m.to - m.from >= 4 && Informative(first_word) &&
        (patient_ || person_named_)) {
      // "Marina Fort Street": no number, but a capitalised name and a spelled-out suffix.
      const size_t sfx = TokenFrom(m.from);
      if (sfx < n && toks_[sfx].Has(kTokCapitalized) && !toks_[sfx].Has(kTokAllCaps)) {
        Add(toks_[first_word].norm_begin, m.to, PhiType::kGeo, 4);
      }
      continue;
    }
    if (ok) {
      uint32_t e = m.to;
      if (e < norm_.size() && norm_[e] == '.') ++e;
      Add(toks_[k].norm_begin, e, PhiType::kGeo, 5);
    }
  }
  // Foreign street names must be written as names: "Wingertweg 126", "Via Tasso 129".
  auto capitalised_at = [&](uint32_t nb) {
    const size_t j = TokenFrom(nb);
    if (j >= n || toks_[j].norm_begin != nb) return false;
    const Token& t = toks_[j];
    return (t.Has(kTokCapitalized) && !t.Has(kTokAllCaps)) || !t.Has(kTokAscii);
  };
  for (const Match& m : M(Pat::kStreetEu)) {
    // "Wingertweg 126": the suffix ends a longer word.
    const size_t j = doc_.TokenAtOrAfter(m.from);
    if (j >= n || toks_[j].norm_begin + 2 > m.from) continue;
    if (capitalised_at(toks_[j].norm_begin)) Add(toks_[j].norm_begin, m.to, PhiType::kGeo, 5);
  }
  for (const Match& m : M(Pat::kStreetPrefix)) {
    // "Via delle Coste 41", "ul. Polnocna 73": the prefix and the first word of the name are
    // written as names.
    static const absl::flat_hash_set<std::string_view> kParticles = {
        "de", "del", "della", "delle", "di", "da", "du", "des", "la", "le", "los", "las", "do", "dos"};
    const size_t j = TokenFrom(m.from);
    if (j >= n) continue;
    if (!capitalised_at(m.from) && doc_.Norm(toks_[j]) != "ul") continue;
    size_t k = j + 1;
    while (k < n && kParticles.contains(doc_.Norm(toks_[k]))) ++k;
    if (k < n && toks_[k].norm_end <= m.to && toks_[k].Has(kTokAlpha) && capitalised_at(toks_[k].norm_begin)) {
      Add(m.from, m.to, PhiType::kGeo, 4);
    }
  }
  for (const Match& m : M(Pat::kPoBox)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kNumPrefix)) {
    // "137 Avenue Teboulbi", "20 Rue Hsine Eloued"
    size_t k = TokenFrom(m.to);
    size_t last = SIZE_MAX;
    while (k < n && (last == SIZE_MAX || k <= last + 1) && k < TokenFrom(m.to) + 4 &&
           toks_[k].Has(kTokAlpha) && capitalised_at(toks_[k].norm_begin)) {
      last = k++;
      if (k < n && !TightGap(k - 1, "")) break;
    }
    if (last != SIZE_MAX) Add(m.from, toks_[last].norm_end, PhiType::kGeo, 5);
  }
  for (const Match& m : M(Pat::kMilitary)) Add(m.from, m.to, PhiType::kGeo, 5);
  for (const Match& m : M(Pat::kUnitNumber)) Add(m.from, m.to, PhiType::kGeo, 4);
  for (const Match& m : M(Pat::kZipCue)) Add(m.from, m.to, PhiType::kGeo, 5);
  // "Dublin OH 43017": a ZIP after a state abbreviation.
  for (const Match& m : M(Pat::kZip)) {
    const size_t j = TokenBefore(m.from);
    if (j == SIZE_MAX || m.from - toks_[j].norm_end > 3) continue;
    const Token& st = toks_[j];
    if (st.norm_end - st.norm_begin == 2 && IsStateAbbrev(doc_.Norm(st)) &&
        (st.Has(kTokAllCaps) || !doc_uses_case_)) {
      Add(m.from, m.to, PhiType::kGeo, 5);
    }
  }
  // "20789 Allika 46", "5850 Jana Nerudy 894": number, one to four names, number.
  for (size_t j = 0; j + 2 < n; ++j) {
    const Token& t = toks_[j];
    if (t.Has(kTokAlpha) || !t.Has(kTokDigit) || t.norm_end - t.norm_begin < 2 || t.norm_end - t.norm_begin > 6) continue;
    // In a clinical text only a line that starts with the number.
    if (patient_ && t.norm_begin > 0 && norm_[t.norm_begin - 1] != '\n') continue;
    size_t k = j + 1;
    bool ok = true;
    while (k < n && k <= j + 4 && toks_[k].Has(kTokAlpha) && !toks_[k].Has(kTokDigit) && TightGap(k - 1, "")) {
      const Token& w = toks_[k];
      if (w.Has(kTokAscii) && (!w.Has(kTokCapitalized) || w.Has(kTokAllCaps))) ok = false;
      if (Lex(k).never() || IsStop(Base(k))) ok = false;
      ++k;
    }
    if (!ok || k == j + 1 || k >= n || !TightGap(k - 1, "")) continue;
    const Token& num = toks_[k];
    if (num.Has(kTokAlpha) && num.norm_end - num.norm_begin > 6) continue;
    if (!num.Has(kTokDigit) || !IsDigit(norm_[num.norm_begin]) || num.norm_end - num.norm_begin > 6) continue;
    Add(t.norm_begin, num.norm_end, PhiType::kGeo, 3);
  }
  auto address_cue = [&](const Match& cue) {
    // The rest of the line or sentence, when it holds a number.
    Match m = cue;
    while (m.to < norm_.size() && (norm_[m.to] == ' ' || norm_[m.to] == ':')) ++m.to;
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
    if (CountDigits(v) == 0) return;
    Add(m.to, e, PhiType::kGeo, 4);
  };
  for (const Match& m : M(Pat::kAddressCue)) address_cue(m);
  // Weaker cues ("return to", "meet me at") only outside clinical text.
  if (!patient_) {
    for (const Match& m : M(Pat::kAddressCueWeak)) address_cue(m);
  }
  // "17151 2450 Crown St", "20789 Allika 46": a house or building number before a street.
  for (Cand& c : s_.cands) {
    if (c.type != PhiType::kGeo) continue;
    const size_t j = TokenFrom(c.nb);
    if (j == 0 || j >= n || toks_[j].norm_begin != c.nb) continue;
    const Token& p = toks_[j - 1];
    const uint32_t len = p.norm_end - p.norm_begin;
    if (p.Has(kTokAlpha) || !p.Has(kTokDigit) || len < 2 || len > 6) continue;
    if (c.nb - p.norm_end != 1 || norm_[p.norm_end] != ' ') continue;
    c.nb = p.norm_begin;
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
      "your", "on", "code", "card", "being", "be", "to"};
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
  if (i + 1 < toks_.size() && TightGap(i, "'-") && IsEponymTail(Base(i + 1))) return true;
  // Where case tells nothing, or in lower case in a text that uses case, an eponym is a
  // device or a disease ("foley", "swan", "HICKMAN").
  return !Informative(i) || toks_[i].Has(kTokLower);
}

bool PhiScan::NameLike(size_t i, Cue cue) {
  const Token& t = toks_[i];
  if (!t.Has(kTokAlpha) || t.Has(kTokHashtag) || t.Has(kTokMention) || t.Has(kTokDigit)) return false;
  // "# Jobs", "@ Portland": a hashtag or mention split by a space.
  if (t.norm_begin >= 2 && norm_[t.norm_begin - 1] == ' ' &&
      (norm_[t.norm_begin - 2] == '#' || norm_[t.norm_begin - 2] == '@')) {
    return false;
  }
  if (InHandleOrLink(i)) return false;
  // "St. Mary's", "St Luke's": a church, school or hospital, not a person.
  if (i > 0) {
    const std::string_view prev = doc_.Norm(toks_[i - 1]);
    if ((prev == "st" || prev == "saint") && TightGap(i - 1, ".")) return false;
  }
  const std::string_view base = Base(i);
  if (base.size() < 2) return false;
  const LexEntry e = Lex(i);
  const bool inf = Informative(i);
  const bool cap = t.Has(kTokCapitalized);
  // "Dr. Art White": after a title a capitalised name wins over the abbreviation list.
  if (e.never() && !(cue >= Cue::kIntro && inf && cap && e.name())) return false;
  if (EponymUse(i) && !(cue >= Cue::kKin && (cap || !inf))) return false;
  // Titles and role words are never the name itself ("Thanks to Nurse Kayla").
  if (cue != Cue::kNone && IsTitleWord(base)) return false;
  // "my son Will", "daughter May": a capitalised name after a cue, even a function word.
  if (IsStop(base) && !(cue >= Cue::kIntro && inf && cap && e.name())) return false;
  // In a text that uses case, a short ALL-CAPS word is an abbreviation ("RA", "CO", "ASA").
  if (inf && t.Has(kTokAllCaps) && (cue == Cue::kNone || (base.size() <= 3 && e.first_name() < 4))) {
    return false;
  }
  switch (cue) {
    case Cue::kStrong:
      // "mr nicholson": a lower-case surname after a title.
      return inf ? (cap && (e.name() || !e.word())) || (!cap && e.surname() && !e.word())
                 : (e.name() || !e.word());
    case Cue::kStaff:
      // Clinicians' notes write "dr. griffin" in lower case.
      return inf ? (cap && (e.name() || !e.word())) ||
                       (!cap && !IsStop(base) && (!e.word() || e.surname() >= 2))
                 : (e.name() || !e.word());
    case Cue::kKin:
      return inf ? cap && (e.name() || !e.word())
                 : (e.first_name() >= 4 || (e.name() && !e.word()));
    case Cue::kRole:
      return inf ? cap && (e.name() || !e.word())
                 : (!e.word() && (e.name() || base.size() >= 4)) || e.first_name() >= 4;
    case Cue::kIntro:
      return inf ? cap : (e.name() && (!e.word() || e.first_name() >= 4)) ||
                             (!patient_ && !e.word());
    case Cue::kWeak:
      return inf ? cap && (e.name() || !e.word())
                 : (e.first_name() >= 3 || e.surname() >= 2) && !e.word();
    case Cue::kNone:
      break;
  }
  if (e.place()) return false;
  if (e.city() && i > 0) {
    const std::string_view prev = doc_.Norm(toks_[i - 1]);
    if (prev == "in" || prev == "from" || prev == "to" || prev == "at" || prev == "near" ||
        prev == "of" || prev == "visiting") {
      return false;  // "in Chicago": a place
    }
  }
  // A lone surname that is not also a first name is as often a place or a team
  // ("Liverpool", "Burnley"): it needs a first name beside it or a cue.
  if (inf) return cap && !e.word() && (e.first_name() > 0 || NextToName(i));
  // Case tells nothing (ALL CAPS or all lower case): only common first names that are not
  // also ordinary words stand on their own.
  return e.first_name() >= 5 && !e.word() && base.size() >= 4;
}

bool PhiScan::NextToName(size_t i) {
  auto named = [&](size_t j) {
    const Token& t = toks_[j];
    return t.Has(kTokCapitalized) && !t.Has(kTokAllCaps) && Lex(j).first_name() > 0 && !Lex(j).word();
  };
  return (i > 0 && NameGap(i - 1) && named(i - 1)) || (i + 1 < toks_.size() && NameGap(i) && named(i + 1));
}

// True when token i is glued to a handle, a hashtag or a link: "@Loserface_Laura",
// "watch?v=A_Zi-YSW3aQ".
bool PhiScan::InHandleOrLink(size_t i) const {
  uint32_t p = toks_[i].norm_begin;
  bool glued = false;
  while (p > 0) {
    const char c = norm_[p - 1];
    if (c == ' ' || c == '\n' || c == '\t') break;
    if (c == '@' || c == '#') return glued || p < toks_[i].norm_begin;
    if (c == '_' || c == '/' || c == '=' || c == '?' || c == '&') glued = true;
    --p;
  }
  return glued;
}

bool PhiScan::NameGap(size_t a) const {
  if (a + 1 >= toks_.size()) return false;
  const bool initial = toks_[a].norm_end - toks_[a].norm_begin == 1;
  return TightGap(a, initial ? ".-'" : "-'");
}

bool PhiScan::ExtendsName(size_t j, bool strong) {
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
  if (e.never() || EponymUse(j) || IsRoleWord(base) || IsTitleWord(base)) return false;
  if (inf && t.Has(kTokAllCaps) && base.size() <= 3) return false;
  if (e.place() && !strong) return false;
  // Next to a name that a cue introduced, any capitalised word ("Dr Ferdinand Halfpenny") or
  // any word unknown to the dictionary ("CASEWORKER LEONA LABOWICH") continues it.
  if (inf) return cap && (strong || e.name() || !e.word());
  return !e.word() ? (strong || e.name()) : (strong && e.first_name() >= 4);
}

void PhiScan::Names() {
  const size_t n = toks_.size();
  s_.name.assign(n, 0);
  s_.strong.assign(n, 0);
  static const absl::flat_hash_set<std::string_view> kModals = {"will", "may", "can", "did", "must"};
  static const absl::flat_hash_set<std::string_view> kVocativeNext = {
      "can", "could", "would", "will", "please", "thanks", "thank", "i", "you", "we", "do", "did",
      "are", "is", "have", "how", "where", "when", "what", "why"};
  for (size_t i = 0; i < n; ++i) {
    const uint16_t b = s_.before[i];
    const Token& t = toks_[i];
    if (!t.Has(kTokAlpha)) continue;
    // Look-ups only for tokens that can be names: capitalised ones in texts that use case,
    // tokens after a cue, and every word where case tells nothing.
    const bool inf = Informative(i);
    if (inf && !t.Has(kTokCapitalized) && b == 0 && !s_.after[i]) continue;
    uint8_t nm = 0;
    if ((b & kBStaff) && NameLike(i, (b & kBDoctor) ? Cue::kStaff : Cue::kKin)) {
      nm = 2;
    } else if ((b & kBTitle) && NameLike(i, Cue::kStrong)) {
      nm = 1;
    } else if ((b & kBKin) && NameLike(i, Cue::kKin)) {
      nm = 1;
      if (!t.Has(kTokCapitalized) && kModals.contains(Base(i))) nm = 0;
    } else if ((b & kBIntro) && NameLike(i, Cue::kIntro)) {
      nm = 1;
    } else if (s_.after[i] == 1 && NameLike(i, Cue::kRole)) {
      nm = 2;
    } else if (s_.after[i] == 4 && NameLike(i, Cue::kWeak) && Lex(i).name()) {
      nm = 2;
    } else if (s_.after[i] == 2 && NameLike(i, Cue::kKin)) {
      nm = 1;
    } else if (s_.after[i] == 3 && NameLike(i, Cue::kWeak) && !Lex(i).place() && !Lex(i).city()) {
      nm = 1;
    } else if (inf && t.Has(kTokSentenceStart) && t.Has(kTokCapitalized) && !t.Has(kTokAllCaps) &&
               i + 2 < n && N(t.norm_end, toks_[i + 1].norm_begin) == ", " &&
               kVocativeNext.contains(doc_.Norm(toks_[i + 1])) && NameLike(i, Cue::kWeak) &&
               !Lex(i).place()) {
      nm = 1;  // "Sarah, can you call me back?"
    } else if (i >= 2 && s_.name[i - 2] && s_.strong[i - 2] && TightGap(i - 1, "&") &&
               (doc_.Norm(toks_[i - 1]) == "and" || doc_.Norm(toks_[i - 1]) == "or") &&
               NameLike(i, Cue::kIntro)) {
      nm = s_.name[i - 2];  // "Drs Joseph and Robbinson", "Dr Camarda and Clifford"
    } else if ((b & kBWeak) && NameLike(i, Cue::kWeak)) {
      nm = 1;
    } else if ((inf || (t.norm_end - t.norm_begin >= 4 && st_.lex_.MaybeCommonFirstName(Base(i)))) &&
               NameLike(i, Cue::kNone)) {
      const bool start = t.Has(kTokSentenceStart) ||
                         (t.norm_begin > 0 && (norm_[t.norm_begin - 1] == '\n'));
      if (inf && start) {
        const LexEntry e = Lex(i);
        if (e.first_name() >= 5) {
          nm = 1;
        } else if (i + 1 < n && TightGap(i, "") && toks_[i + 1].Has(kTokCapitalized) && ExtendsName(i + 1, false)) {
          nm = 1;
        }
      } else {
        nm = 1;
      }
    }
    s_.name[i] = nm;
    s_.strong[i] = nm && (b != 0 || s_.after[i]);
  }
  // Extend names over adjacent name-like tokens: "Marie Langrova", "Janka M. Szasz".
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i + 1 < n; ++i) {
      if (s_.name[i] && !s_.name[i + 1] && NameGap(i) && ExtendsName(i + 1, s_.strong[i])) {
        s_.name[i + 1] = s_.name[i];
        s_.strong[i + 1] = s_.strong[i];
      }
    }
    for (size_t i = n; i-- > 1;) {
      if (s_.name[i] && !s_.name[i - 1] && NameGap(i - 1) && ExtendsName(i - 1, s_.strong[i])) {
        s_.name[i - 1] = s_.name[i];
        s_.strong[i - 1] = s_.strong[i];
      }
    }
  }
  // Trailing initials and particles need a name after them ("Ken N." is fine, "de" alone is not).
  for (size_t i = 0; i < n; ++i) {
    if (!s_.name[i]) continue;
    const std::string_view base = Base(i);
    if (base.size() == 1) {
      const bool prev = i > 0 && s_.name[i - 1] && NameGap(i - 1);
      const bool next = i + 1 < n && s_.name[i + 1] && NameGap(i);
      if (!prev && !next) s_.name[i] = 0;
    }
  }
  // Lists of names: "Monjeau, Graves and Reed", "Suzette and Hank".
  auto list_member = [&](size_t j) {
    const Token& t = toks_[j];
    if (!t.Has(kTokAlpha) || t.Has(kTokDigit) || t.Has(kTokHashtag) || t.Has(kTokMention)) return false;
    const LexEntry e = Lex(j);
    if (e.never() || IsStop(Base(j)) || Base(j).size() < 2) return false;
    if (Informative(j)) return t.Has(kTokCapitalized) && !t.Has(kTokAllCaps) && (e.name() || !e.word());
    return e.name() && !e.word();
  };
  auto list_sep = [&](size_t a, size_t b) {  // tokens a < b
    if (b == a + 1) {
      std::string_view gap = N(toks_[a].norm_end, toks_[b].norm_begin);
      return gap == ", " || gap == " & " || gap == ",";
    }
    if (b == a + 2) {
      const std::string_view w = doc_.Norm(toks_[a + 1]);
      return (w == "and" || w == "or") && TightGap(a, ",") && TightGap(a + 1, "");
    }
    return false;
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < n; ++i) {
      if (!s_.name[i]) continue;
      for (size_t d = 1; d <= 2; ++d) {
        if (i + d < n && !s_.name[i + d] && list_sep(i, i + d) && list_member(i + d)) s_.name[i + d] = s_.name[i];
        if (i >= d && !s_.name[i - d] && list_sep(i - d, i) && list_member(i - d)) s_.name[i - d] = s_.name[i];
      }
    }
  }
  // A contact card starts with the person's name on its own line ("Satu Elomo\n\n45818
  // P.O. Box 242 ..."): the first line, two to four name-like words, when the text also holds
  // a phone, e-mail or address.
  if (n >= 2 && !s_.cands.empty()) {
    size_t j = 0;
    bool ok = true;
    while (j < n && j < 5) {
      const Token& t = toks_[j];
      if (j > 0 && N(toks_[j - 1].norm_end, t.norm_begin).find('\n') != std::string_view::npos) break;
      if (!t.Has(kTokAlpha) || t.Has(kTokDigit)) ok = false;
      const LexEntry e = Lex(j);
      if (Base(j).size() > 1 && (e.never() || e.place() || (e.word() && !e.name()) || IsStop(Base(j)))) ok = false;
      ++j;
    }
    const bool line_ends = j < n && j >= 2 && j <= 4 &&
                           N(toks_[j - 1].norm_end, toks_[j].norm_begin).find('\n') != std::string_view::npos;
    if (ok && line_ends) {
      for (size_t k = 0; k < j; ++k) s_.name[k] = s_.name[k] ? s_.name[k] : 1;
    }
  }
  // Two capitalised words unknown to the dictionary, one a known name or spelled with
  // accents, mid-sentence: "Hulya Bouwmeester", "Jindrich Holinka".
  for (size_t i = 0; i + 1 < n; ++i) {
    if (s_.name[i] || s_.name[i + 1] || !TightGap(i, "")) continue;
    const Token& a = toks_[i];
    const Token& b = toks_[i + 1];
    if (!Informative(i)) continue;
    auto unknown_cap = [&](size_t k) {
      const Token& t = toks_[k];
      if (!t.Has(kTokCapitalized) || t.Has(kTokAllCaps) || t.Has(kTokDigit) || t.Has(kTokHashtag) ||
          t.Has(kTokMention)) {
        return false;
      }
      const LexEntry e = Lex(k);
      return !e.word() && !e.never() && !e.place() && !e.city() && Base(k).size() >= 3;
    };
    if (!unknown_cap(i) || !unknown_cap(i + 1)) continue;
    // Both unknown and plain ASCII: a name when no third capitalised word follows (a longer
    // Title Case run is a title or an organization).
    const bool third = i + 2 < n && TightGap(i + 1, "") && toks_[i + 2].Has(kTokCapitalized);
    const bool before = i > 0 && TightGap(i - 1, "") && toks_[i - 1].Has(kTokCapitalized) &&
                        !toks_[i - 1].Has(kTokSentenceStart);
    // At the start of a sentence only when the pair stands alone ("Ubul Csonka listed ...").
    if (a.Has(kTokSentenceStart) && (third || !(a.Has(kTokAscii) && b.Has(kTokAscii) ? Lex(i).name() || Lex(i + 1).name() : true))) {
      continue;
    }
    if (Lex(i).name() || Lex(i + 1).name() || !a.Has(kTokAscii) || !b.Has(kTokAscii) ||
        (!third && !before)) {
      s_.name[i] = s_.name[i + 1] = 1;
    }
  }
  // "Valida M. Ibragimov": a capitalised word, a middle initial and another capitalised word.
  for (size_t i = 0; i + 2 < n; ++i) {
    const Token& m = toks_[i + 1];
    if (m.norm_end - m.norm_begin != 1 || !m.Has(kTokCapitalized) || !TightGap(i, "") ||
        !TightGap(i + 1, ".")) {
      continue;
    }
    if (m.norm_end >= norm_.size() || norm_[m.norm_end] != '.') continue;
    auto cap_word = [&](size_t k) {
      const Token& t = toks_[k];
      const LexEntry e = Lex(k);
      return t.Has(kTokAlpha) && !t.Has(kTokDigit) && t.Has(kTokCapitalized) && !t.Has(kTokAllCaps) &&
             !e.never() && !e.place() && !IsStop(Base(k)) && Base(k).size() >= 2;
    };
    if (!cap_word(i) || !cap_word(i + 2)) continue;
    if (Lex(i).word() && Lex(i + 2).word() && !Lex(i).name() && !Lex(i + 2).name()) continue;
    s_.name[i] = s_.name[i] ? s_.name[i] : 1;
    s_.name[i + 1] = s_.name[i + 1] ? s_.name[i + 1] : s_.name[i];
    s_.name[i + 2] = s_.name[i + 2] ? s_.name[i + 2] : s_.name[i];
  }
  // A speaker's name at the start of a line: "Halldor: What a wife."
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks_[i];
    if (s_.name[i] || !t.Has(kTokCapitalized) || t.Has(kTokAllCaps) || t.Has(kTokDigit)) continue;
    if (t.norm_begin > 0 && norm_[t.norm_begin - 1] != '\n') continue;
    if (t.norm_end >= norm_.size() || norm_[t.norm_end] != ':') continue;
    const LexEntry e = Lex(i);
    if (e.word() || e.never() || e.city()) continue;
    if (patient_ ? e.first_name() >= 3 : (e.name() || Base(i).size() >= 3)) s_.name[i] = 1;
  }
  // Propagate: a name found once is a name wherever it appears again.
  s_.name_keys.clear();
  s_.name_kind.clear();
  for (size_t i = 0; i < n; ++i) {
    if (s_.name[i] && Base(i).size() >= 3) {
      s_.name_keys.push_back(Base(i));
      s_.name_kind.push_back(s_.name[i]);
    }
  }
  if (!s_.name_keys.empty()) {
    for (size_t i = 0; i < n; ++i) {
      if (s_.name[i] || !toks_[i].Has(kTokAlpha)) continue;
      const std::string_view base = Base(i);
      if (base.size() < 3) continue;
      if (Informative(i) && !toks_[i].Has(kTokCapitalized)) continue;
      for (size_t k = 0; k < s_.name_keys.size(); ++k) {
        if (s_.name_keys[k] == base) {
          const LexEntry e = Lex(i);
          const bool sure = Informative(i) ? toks_[i].Has(kTokCapitalized) : !e.word();
          if (sure && !e.never() && !EponymUse(i)) s_.name[i] = s_.name_kind[k];
          break;
        }
      }
    }
  }
  // "Jones, Smith and Davis Orchestra", "Conway Inc.": names that are part of an
  // organization's name are not a person's.
  static const absl::flat_hash_set<std::string_view> kOrgSuffix = {
      "inc", "llc", "ltd", "corp", "corporation", "company", "co", "group", "partners",
      "associates", "investments", "orchestra", "foundation", "bank", "insurance", "law",
      "media", "agency", "studio", "studios", "labs", "technologies", "systems", "solutions",
      "services", "consulting", "capital", "holdings", "industries", "enterprises", "plc",
      "gmbh", "llp", "pllc", "pc", "band", "records", "brothers", "bros", "sons", "motors",
      "pharmaceuticals", "pharma", "university", "college", "institute", "school", "academy",
      "lounge", "bar", "cafe", "grill", "pub", "club", "team", "soccer", "football",
      "basketball", "baseball", "hockey", "world", "park", "hall", "theater", "theatre",
      "center", "centre", "arena", "stadium", "festival", "fest", "show", "tour", "magazine",
      "news", "times", "post", "tv", "radio", "church", "hotel", "mall", "market", "store"};
  for (size_t i = 0; i + 1 < n; ++i) {
    if (!s_.name[i] || s_.name[i + 1] || !TightGap(i, "")) continue;
    const Token& u = toks_[i + 1];
    if (!u.Has(kTokCapitalized) || !kOrgSuffix.contains(doc_.Norm(u))) continue;
    // Clear this run and the runs listed before it.
    size_t k = i;
    while (true) {
      while (k > 0 && s_.name[k - 1] && NameGap(k - 1)) s_.name[k--] = 0;
      s_.name[k] = 0;
      if (k >= 2 && s_.name[k - 1] && N(toks_[k - 1].norm_end, toks_[k].norm_begin) == ", ") {
        k -= 1;
      } else if (k >= 3 && s_.name[k - 2] && TightGap(k - 1, "") &&
                 (doc_.Norm(toks_[k - 1]) == "and" || doc_.Norm(toks_[k - 1]) == "&")) {
        k -= 2;
      } else {
        break;
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
    while (j + 1 < n && s_.name[j + 1] && NameGap(j)) {
      ++j;
      staff |= s_.name[j] == 2;
    }
    // A clinician introduced in an announcement ("Meet Dr. Grace Kim, our new
    // cardiologist") with no patient in sight is not PHI.
    const bool announcement = !patient_ && M(Pat::kStaffCtx).empty() && !M(Pat::kStaffIntro).empty();
    bool place = false;
    if (j > i && j - i <= 2) {
      s_.buf.clear();
      for (size_t k = i; k <= j; ++k) {
        if (k > i) s_.buf.push_back(' ');
        s_.buf.append(doc_.Norm(toks_[k]));
      }
      place = st_.lex_.IsPlace(s_.buf);  // "Lake Charles", "San Mateo"
    }
    if (!place && (!staff || !announcement)) {
      const uint32_t e = toks_[j].norm_begin + static_cast<uint32_t>(Base(j).size());
      Add(toks_[i].norm_begin, e, PhiType::kName, 4);
      for (size_t k = i; k <= j; ++k) person_named_ |= !staff && s_.strong[k];
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
    if (!t.Has(kTokAlpha) || t.Has(kTokHashtag) || t.Has(kTokMention)) continue;
    const bool inf = Informative(i);
    if (inf && !t.Has(kTokCapitalized)) continue;
    if (!patient_ && !person_named_) break;  // "a concert in Boston" is not about a patient
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
      if (s_.name[i]) continue;
      const LexEntry e = Lex(i);
      const std::string_view base = Base(i);
      if (!e.city() || e.never() || IsStop(base) || IsUnitWord(base)) continue;
      if (!inf && e.word()) continue;
      if (inf && e.word() && !patient_) continue;
    }
    for (size_t k = i; k <= end; ++k) {
      s_.geo[k] = 1;
      s_.name[k] = 0;
    }
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
      if (Informative(j) && !t.Has(kTokCapitalized) && !IsFacilityWord(base) &&
          !(Lex(j).city() && !Lex(j).word())) {
        break;
      }
      if (Lex(j).never() && !IsFacilityWord(base)) break;
      // Where case tells nothing, the name must be a known name or place, or a single word
      // unknown to the dictionary right before "Hospital" ("HRBOR HOSP").
      const bool strong_suffix = N(m.from, m.to).rfind("hosp", 0) == 0 || N(m.from, m.to) == "memorial";
      const bool unknown = !Lex(j).word() && !Lex(j).never() && base.size() >= 3 &&
                           base.find('\'') == std::string_view::npos && !t.Has(kTokDigit);
      if (!Informative(j) && !IsFacilityWord(base) && !Lex(j).name() && !Lex(j).city() &&
          !(unknown && strong_suffix && first == k)) {
        break;
      }
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
    if (!t.Has(kTokAlpha)) continue;
    std::string_view base = Base(j);
    while (!base.empty() && IsDigit(base.back())) base.remove_suffix(1);
    if (t.Has(kTokDigit) && (base.empty() || IsDigit(base.front()))) continue;
    if (base.size() < 2 || IsStop(base) || IsUnitWord(base)) continue;
    const LexEntry e = Lex(j);
    if (e.never() && !IsFacilityWord(base)) continue;
    const bool inf = Informative(j);
    if (inf ? !(t.Has(kTokCapitalized) || t.Has(kTokAllCaps)) || (e.word() && !e.name() && !e.city())
            : e.word()) {
      continue;
    }
    if (s_.name[j]) continue;
    size_t end = j;
    // "Quartermain 2", "Holy Cross", "Kessler-Adventist"
    while (end + 1 < n && end < j + 2 && TightGap(end, "-")) {
      const Token& u = toks_[end + 1];
      const bool num = u.Has(kTokDigit) && !u.Has(kTokAlpha) && u.norm_end - u.norm_begin <= 2 &&
                       (u.norm_end >= norm_.size() || (norm_[u.norm_end] != '/' && norm_[u.norm_end] != '-'));
      const bool word = u.Has(kTokAlpha) && (inf ? u.Has(kTokCapitalized) : !Lex(end + 1).word()) &&
                        !IsUnitWord(Base(end + 1)) && !Lex(end + 1).never();
      if (!num && !word) break;
      ++end;
    }
    Add(t.norm_begin, toks_[end].norm_end, PhiType::kGeo, 4);
    s_.geo_keys.push_back(base);
  }
  // "lives in Lansdowne", "home in Hagerstown", "vacationing on the Eastern Shore".
  for (const Match& m : M(Pat::kLiveCue)) {
    const size_t j = TokenFrom(m.to);
    if (j >= n || toks_[j].norm_begin > m.to + 1 || s_.name[j]) continue;
    const Token& t = toks_[j];
    if (!t.Has(kTokAlpha) || t.Has(kTokDigit)) continue;
    const std::string_view base = Base(j);
    const LexEntry e = Lex(j);
    if (base.size() < 2 || IsStop(base) || IsUnitWord(base) || e.never() || e.place()) continue;
    const bool inf = Informative(j);
    if (inf ? !t.Has(kTokCapitalized) : (e.word() && !e.city())) continue;
    size_t end = j;
    while (end + 1 < n && end < j + 2 && TightGap(end, "") && toks_[end + 1].Has(kTokAlpha) &&
           (inf ? toks_[end + 1].Has(kTokCapitalized) : Lex(end + 1).city() || !Lex(end + 1).word()) &&
           !Lex(end + 1).never() && !IsStop(Base(end + 1))) {
      ++end;
    }
    Add(t.norm_begin, toks_[end].norm_end, PhiType::kGeo, 4);
  }
  // Hospital acronyms after a place preposition: "at GH", "to MGH", "from GBMC".
  for (size_t i = 1; i < n; ++i) {
    const Token& t = toks_[i];
    const std::string_view w = doc_.Norm(t);
    if (w.size() < 2 || w.size() > 5 || !t.Has(kTokAlpha) || t.Has(kTokDigit)) continue;
    if (Informative(i) && !t.Has(kTokAllCaps)) continue;
    const bool hosp = w.back() == 'h' || (w.size() >= 3 && w.substr(w.size() - 2) == "mc");
    if (!hosp || w == "osh" || IsUnitWord(w) || Lex(i).word() || Lex(i).never()) continue;
    const std::string_view prev = doc_.Norm(toks_[i - 1]);
    if (prev != "at" && prev != "to" && prev != "from" && prev != "into" && prev != "by") continue;
    Add(t.norm_begin, t.norm_end, PhiType::kGeo, 3);
    s_.geo_keys.push_back(w);
  }
  // "St. Agnes", "Saint Joseph's": a saint's name is a facility in a text about a patient.
  for (size_t i = 0; i + 1 < n; ++i) {
    const std::string_view w = doc_.Norm(toks_[i]);
    if ((w != "st" && w != "saint") || !TightGap(i, ".")) continue;
    const Token& u = toks_[i + 1];
    if (!u.Has(kTokAlpha) || u.Has(kTokDigit)) continue;
    const LexEntry e = Lex(i + 1);
    if (IsStop(Base(i + 1)) || e.never()) continue;
    const bool ok = Informative(i + 1) ? u.Has(kTokCapitalized) && !u.Has(kTokAllCaps) && e.first_name() > 0 && !e.word()
                                       : e.first_name() >= 3 && !e.word();
    if (ok) Add(toks_[i].norm_begin, u.norm_end, PhiType::kGeo, 4);
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
              toks_[i + 1].norm_end - toks_[i + 1].norm_begin <= 2 &&
              (toks_[i + 1].norm_end >= norm_.size() || norm_[toks_[i + 1].norm_end] != '/')) {
            end = i + 1;
          }
          Add(t.norm_begin, toks_[end].norm_end, PhiType::kGeo, 3);
          break;
        }
      }
    }
  }
  // Social handles of people in a text about a patient (not the organization's own).
  for (size_t i = 0; i < n && patient_; ++i) {
    const Token& t = toks_[i];
    if (!t.Has(kTokMention) || !(norm_[t.norm_begin] >= 'a' && norm_[t.norm_begin] <= 'z')) continue;
    if (st_.org_handles_.contains(doc_.Norm(t))) continue;
    if (Lex(i).word()) continue;
    uint32_t e = t.norm_end;  // handles run over '_' and '.': "@jmarie_runs"
    while (e < norm_.size() && (IsAlnum(norm_[e]) || norm_[e] == '_' ||
                                (norm_[e] == '.' && e + 1 < norm_.size() && IsAlnum(norm_[e + 1])))) {
      ++e;
    }
    Add(t.norm_begin - 1, e, PhiType::kOtherId, 2);
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
    if (x.type == PhiType::kUrl && sev == Severity::kBlock && !UrlPointsToPerson(N(x.nb, x.ne))) {
      f.severity = OtherLinkSeverity(request.context);
    }
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
  person_named_ = false;
  CollectHits(hits);
  ComputeCasing();
  MarkCues();
  Structured();
  LabelledIds();
  Addresses();
  Names();
  Dates();
  Places();
  Resolve(request, out);
}

void PhiStage::Screen(const Document& doc, std::span<const Match> hits,
                      const ScreenRequest& request, std::vector<Finding>* out) const {
  // The stage is shared by all threads; its working memory is per thread and reused, so a
  // warmed-up thread screens without allocating (findings aside).
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
