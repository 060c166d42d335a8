#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "guard/phi_lexicon.h"
#include "guard/screener.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

// Runs the PHI stage alone (its own pattern database), so these tests do not depend on the
// other stages' data.
class PhiRunner {
 public:
  explicit PhiRunner(ScreenerOptions options = {}) : options_(std::move(options)) {
    StageBuilder builder(&patterns_, 0);
    auto stage = NewPhiStage(options_, builder);
    EXPECT_TRUE(stage.ok()) << stage.status();
    stage_ = *std::move(stage);
    auto matcher = Matcher::Compile(patterns_, 1);
    EXPECT_TRUE(matcher.ok()) << matcher.status();
    matcher_ = *std::move(matcher);
    scratch_ = matcher_->NewScratch();
  }

  std::vector<Finding> Screen(std::string_view text, Context context = Context::kInbound) {
    doc_.Analyze(text);
    matcher_->Scan(doc_.norm(), *scratch_, &hits_);
    std::vector<Finding> out;
    ScreenRequest request;
    request.context = context;
    stage_->Screen(doc_, hits_[0], request, &out);
    return out;
  }

  // (type, text) of every finding, in order.
  std::vector<std::pair<std::string, std::string>> Spans(std::string_view text,
                                                         Context context = Context::kInbound) {
    std::vector<std::pair<std::string, std::string>> r;
    for (const Finding& f : Screen(text, context)) {
      r.emplace_back(f.type, std::string(text.substr(f.start, f.end - f.start)));
    }
    return r;
  }

 private:
  ScreenerOptions options_;
  PatternSet patterns_;
  std::unique_ptr<Stage> stage_;
  std::unique_ptr<const Matcher> matcher_;
  std::unique_ptr<MatchScratch> scratch_;
  std::vector<std::vector<Match>> hits_;
  Document doc_;
};

PhiRunner& Default() {
  static PhiRunner* runner = new PhiRunner();
  return *runner;
}

using Spans = std::vector<std::pair<std::string, std::string>>;

bool HasType(const Spans& s, std::string_view type) {
  for (const auto& [t, x] : s) {
    if (t == type) return true;
  }
  return false;
}

bool Has(const Spans& s, std::string_view type, std::string_view text) {
  for (const auto& [t, x] : s) {
    if (t == type && x == text) return true;
  }
  return false;
}

TEST(PhiLexiconTest, LoadsNamesWordsAndEponyms) {
  PhiLexicon lex;
  ASSERT_TRUE(lex.Load().ok());
  EXPECT_GT(lex.Lookup("grace").first_name(), 0);
  EXPECT_TRUE(lex.Lookup("grace").word());
  EXPECT_GT(lex.Lookup("vasquez").surname(), 0);
  EXPECT_FALSE(lex.Lookup("vasquez").word());
  EXPECT_TRUE(lex.Lookup("parkinson").eponym());
  EXPECT_TRUE(lex.Lookup("june").never());
  EXPECT_TRUE(lex.IsPlace("san diego"));
  EXPECT_EQ(lex.Lookup("zzqx").bits, 0);
}

TEST(PhiNameTest, NamesThatAreWordsNeedACue) {
  PhiRunner& r = Default();
  EXPECT_EQ(r.Spans("Praying for my daughter Hope in your NICU"),
            (Spans{{"NAME", "Hope"}}));
  EXPECT_TRUE(Has(r.Spans("my husband Will had his gallbladder out"), "NAME", "Will"));
  EXPECT_FALSE(HasType(r.Spans("Hope you are well! Will you be open Saturday?"), "NAME"));
  EXPECT_FALSE(HasType(r.Spans("There is a grace period for your bill, mark the date."), "NAME"));
}

TEST(PhiNameTest, TrickyCasesFromTheHipaaReference) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("I'm Baby Girl Johnson's mom"), "NAME", "Johnson"));
  EXPECT_TRUE(Has(r.Spans("Gerald 'Gerry' Novak was admitted yesterday"), "NAME", "Gerald 'Gerry' Novak"));
  EXPECT_TRUE(Has(r.Spans("praying for my daughter hope in the nicu"), "NAME", "hope"));
  EXPECT_EQ(r.Spans("my son will be fine, thanks for asking"), Spans{});
  // The title is not part of the name.
  EXPECT_TRUE(Has(r.Spans("Thanks to Nurse Kayla for taking care of my dad"), "NAME", "Kayla"));
  // Facility names that are ordinary words, in a post with no patient.
  EXPECT_EQ(r.Spans("Hope Cancer Center and Grace Memorial are hiring. Will you join us?",
                    Context::kPost),
            Spans{});
}

TEST(PhiNameTest, FullNamesInMixedCase) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("Congrats to Ava Martinez, our 1,000th baby this year!", Context::kPost),
                  "NAME", "Ava Martinez"));
  EXPECT_TRUE(Has(r.Spans("It's Marisol Ortega-Quinn, not Ortega Quinn"), "NAME", "Marisol Ortega-Quinn"));
}

TEST(PhiNameTest, EponymsAreNotNames) {
  PhiRunner& r = Default();
  for (const char* text :
       {"Bell's palsy usually gets better on its own.", "Living well with Parkinson's disease",
        "Crohn's and colitis support group", "World Down Syndrome Day is March 21",
        "Hodgkin lymphoma is treatable", "Graves' disease affects the thyroid",
        "The Apgar score is checked at one and five minutes"}) {
    EXPECT_FALSE(HasType(r.Spans(text, Context::kPost), "NAME")) << text;
  }
}

TEST(PhiNameTest, AllCapsAndLowerCaseNotes) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("PT RESTING. SON DAVID CALLED FOR UPDATE."), "NAME", "DAVID"));
  EXPECT_TRUE(Has(r.Spans("pt comfortable. daughter veronica will be spokesperson."), "NAME",
                  "veronica"));
  EXPECT_TRUE(Has(r.Spans("bp stable overnight. dr healey in to talk w/pt."), "NAME", "healey"));
  // Clinical abbreviations that are also in name lists stay quiet.
  EXPECT_FALSE(HasType(r.Spans("NEURO: MAE, PERRLA. RESP: LS CLEAR. PT ON RA."), "NAME"));
}

TEST(PhiNameTest, RoleAfterNameAndRelativesInParentheses) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("Pt resting comfortably. Mary Hulse, R.N."), "NAME", "Mary Hulse"));
  EXPECT_TRUE(Has(r.Spans("pt stable. call Hank Przybylo (son) with updates"), "NAME", "Hank Przybylo"));
}

TEST(PhiNameTest, ClinicianIntroducedWithoutPatientIsNotPhi) {
  PhiRunner& r = Default();
  EXPECT_FALSE(HasType(
      r.Spans("Meet Dr. Grace Kim, our new pediatric cardiologist!", Context::kPost), "NAME"));
  EXPECT_TRUE(Has(r.Spans("Dr. Grace Kim saw the patient in room 412 today", Context::kPost), "NAME",
                  "Grace Kim"));
}

TEST(PhiNameTest, OrganizationProfileIsNeverAFinding) {
  ScreenerOptions o;
  o.org.names = {"Riverside Health"};
  o.org.facilities = {"Riverside Medical Center"};
  o.org.phones = {"(217) 555-0100"};
  o.org.domains = {"riversidehealth.org"};
  o.org.clinicians = {"Dr. Aisha Patel"};
  PhiRunner r(o);
  const std::string text =
      "Patient questions? Dr. Aisha Patel and the team at Riverside Medical Center are here: "
      "call 217-555-0100 or visit https://riversidehealth.org/visit";
  EXPECT_EQ(r.Spans(text, Context::kReply), Spans{});
  // Another number in the same text is still found.
  EXPECT_TRUE(Has(r.Spans("pt's wife at 614-555-0142, our line is 217-555-0100"), "PHONE",
                  "614-555-0142"));
}

TEST(PhiNumberTest, PhoneFaxEmailAndIp) {
  PhiRunner& r = Default();
  EXPECT_EQ(r.Spans("call my daughter at 614-555-0142"), (Spans{{"PHONE", "614-555-0142"}}));
  EXPECT_EQ(r.Spans("fax his records to Dr. Lin's office at 937-555-0188")
                .back(),
            (std::pair<std::string, std::string>{"FAX", "937-555-0188"}));
  EXPECT_TRUE(Has(r.Spans("reach me at (614) 555-0142 ext. 22"), "PHONE", "(614) 555-0142 ext. 22"));
  EXPECT_TRUE(Has(r.Spans("just email the statement to tina.morales88@gmail.com"), "EMAIL",
                  "tina.morales88@gmail.com"));
  EXPECT_TRUE(Has(r.Spans("too many attempts from IP 73.158.22.19"), "IP", "73.158.22.19"));
  EXPECT_FALSE(HasType(r.Spans("version 999.1.1.1 is out"), "IP"));
  EXPECT_TRUE(HasType(r.Spans("blocked from 2001:db8:85a3::8a2e:370:7334"), "IP"));
}

TEST(PhiNumberTest, SsnAndLabelledIdentifiers) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("my SSN 431-00-7812 was in your breach?"), "SSN", "431-00-7812"));
  EXPECT_TRUE(Has(r.Spans("the last 4 of my SSN is 4417"), "SSN", "4417"));
  EXPECT_TRUE(Has(r.Spans("MRN 00-4471-29"), "MRN", "00-4471-29"));
  EXPECT_TRUE(Has(r.Spans("chart #A-559-201-X"), "MRN", "A-559-201-X"));
  EXPECT_TRUE(Has(r.Spans("Patient ID P00982731"), "MRN", "P00982731"));
  EXPECT_TRUE(HasType(r.Spans("Medicare number 1EG4-TE5-MK73"), "HEALTH_PLAN"));
  EXPECT_TRUE(Has(r.Spans("Aetna member ID W228814503"), "HEALTH_PLAN", "W228814503"));
  EXPECT_TRUE(Has(r.Spans("my Medicaid ID is 90341177B"), "HEALTH_PLAN", "90341177B"));
  EXPECT_TRUE(Has(r.Spans("card ending 4471"), "ACCOUNT", "4471"));
  EXPECT_TRUE(Has(r.Spans("Guarantor account 3300-918-227"), "ACCOUNT", "3300-918-227"));
  EXPECT_TRUE(Has(r.Spans("my driver's license D412-5567-8830 got left at registration"),
                  "LICENSE", "D412-5567-8830"));
  EXPECT_TRUE(Has(r.Spans("they towed my car (silver Camry, plate 8KDL392)"), "VEHICLE", "8KDL392"));
  EXPECT_TRUE(Has(r.Spans("my pacemaker (SN RNB612345S) buzzed twice"), "DEVICE", "RNB612345S"));
  EXPECT_TRUE(Has(r.Spans("hearing aid serial 2245A8891"), "DEVICE", "2245A8891"));
  EXPECT_TRUE(Has(r.Spans("my claim number is 88213345"), "OTHER_ID", "88213345"));
  // A label with no identifier after it is nothing.
  EXPECT_EQ(r.Spans("What is a medical record number?"), Spans{});
}

TEST(PhiNumberTest, CardsNeedLuhnOrALabel) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("I paid with 4111 1111 1111 1111 yesterday"), "ACCOUNT", "4111 1111 1111 1111"));
  EXPECT_FALSE(HasType(r.Spans("order 4111 1111 1111 1112 shipped", Context::kPost), "ACCOUNT"));
  EXPECT_TRUE(Has(r.Spans("my IBAN is GB82WEST12345698765432"), "ACCOUNT", "GB82WEST12345698765432"));
  EXPECT_TRUE(HasType(r.Spans("VIN 1HGCM82633A004352 on the tow slip"), "VEHICLE"));
}

TEST(PhiUrlTest, PersonalLinksButNotPublicOrOwnSites) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("please share gofundme.com/f/help-baby-eli-heal"), "URL",
                  "gofundme.com/f/help-baby-eli-heal"));
  EXPECT_FALSE(HasType(r.Spans("Flu facts: https://www.cdc.gov/flu/index.html", Context::kPost), "URL"));
}

TEST(PhiUrlTest, OutboundLinksBlockOnlyWhenTheyPointToAPerson) {
  PhiRunner& r = Default();
  const auto severity_of_url = [&](std::string_view text) {
    for (const Finding& f : r.Screen(text, Context::kPost)) {
      if (f.type == "URL") return std::string(SeverityName(f.severity));
    }
    return std::string("none");
  };
  // An event page on another site identifies nobody: a person checks it.
  EXPECT_EQ(severity_of_url("Register: https://www.eventbrite.com/e/heart-health-fair-tickets"),
            "review");
  EXPECT_EQ(severity_of_url("Details at https://events.example.net/2027/walk-for-hearts"),
            "review");
  // Fundraisers, profiles and portal records point to a person.
  EXPECT_EQ(severity_of_url("Donate: gofundme.com/f/help-baby-eli-heal"), "block");
  EXPECT_EQ(severity_of_url("See https://www.facebook.com/maria.lopez.recovery"), "block");
  EXPECT_EQ(severity_of_url("Results: https://portal.example.net/Patient?id=55213"), "block");
  EXPECT_EQ(severity_of_url("https://www.linkedin.com/in/jane-doe-rn"), "block");
  // Inbound text is triaged, never blocked, whatever the link.
  for (const Finding& f : r.Screen("gofundme.com/f/help-baby-eli-heal", Context::kInbound)) {
    EXPECT_EQ(f.severity, Severity::kReview);
  }
}

TEST(PhiDateTest, DatesTiedToAPersonOnly) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("my son was admitted 3/14 with pneumonia"), "DATE", "3/14"));
  EXPECT_TRUE(Has(r.Spans("DOB 04/22/2016"), "DATE", "04/22/2016"));
  EXPECT_TRUE(Has(r.Spans("she was born on July 4th, 1990"), "DATE", "July 4th, 1990"));
  EXPECT_TRUE(Has(r.Spans("my dad was discharged last Tuesday"), "DATE", "last Tuesday"));
  // A public event in an outbound post is not PHI; nor is a year alone.
  EXPECT_EQ(r.Spans("Join us Saturday, May 10 for our health fair!", Context::kPost), Spans{});
  EXPECT_FALSE(HasType(r.Spans("my mom had her surgery in 2019"), "DATE"));
  // Clinical numbers that look like dates.
  EXPECT_FALSE(HasType(r.Spans("pt on PSV 10/5, BP 120/80, given 1/2 NS, pain 8/10"), "DATE"));
}

TEST(PhiAgeTest, OnlyAgesOver89) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("my 97 yr old father fell"), "AGE_OVER_89", "97 yr old"));
  EXPECT_TRUE(Has(r.Spans("a 92-year-old woman"), "AGE_OVER_89", "92-year-old"));
  EXPECT_TRUE(Has(r.Spans("she is aged 101"), "AGE_OVER_89", "aged 101"));
  EXPECT_TRUE(Has(r.Spans("Happy 100th birthday to Mr. Odom", Context::kPost), "AGE_OVER_89",
                  "100th birthday"));
  EXPECT_FALSE(HasType(r.Spans("a 45-year-old man, age 89"), "AGE_OVER_89"));
}

TEST(PhiGeoTest, AddressesRoomsAndFacilities) {
  PhiRunner& r = Default();
  const Spans s = r.Spans("mail it to 1187 Oak Hollow Dr, Dublin OH 43017");
  EXPECT_TRUE(Has(s, "GEO", "1187 Oak Hollow Dr, Dublin OH 43017") ||
              Has(s, "GEO", "1187 Oak Hollow Dr"))
      << s.size();
  EXPECT_TRUE(Has(r.Spans("my mom is in room 412"), "GEO", "room 412"));
  EXPECT_TRUE(Has(r.Spans("pt moved to bed 3B"), "GEO", "bed 3B"));
  EXPECT_TRUE(Has(r.Spans("pt transferred from Calvert Hospital for chest pain"), "GEO", "Calvert Hospital"));
  EXPECT_TRUE(Has(r.Spans("pt lives in Catonsville with her husband"), "GEO", "Catonsville"));
  // States and countries are not PHI.
  EXPECT_EQ(r.Spans("Serving patients across Ohio and the United States", Context::kPost), Spans{});
}

TEST(PhiGeoTest, PlacesTiedToAPerson) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("my mom lives in Lansdowne and was admitted Sunday"), "GEO", "Lansdowne"));
  EXPECT_TRUE(Has(r.Spans("pt accepted at St. Agnes for rehab"), "GEO", "St. Agnes"));
  EXPECT_TRUE(Has(r.Spans("pt transferred to GH for cath. GH team aware."), "GEO", "GH"));
  // A city in a post that is not about anyone is not PHI; a public figure's age
  // in the past is not either.
  EXPECT_EQ(r.Spans("Great concert in Boston tonight!", Context::kPost), Spans{});
  EXPECT_FALSE(HasType(r.Spans("Scott reached the South Pole 100 yrs ago today"), "AGE_OVER_89"));
}

TEST(PhiGeoTest, StructuredAddressesFromAnyCountry) {
  PhiRunner& r = Default();
  const Spans card = r.Spans("Satu Elomo\n\n45818 P.O. Box 242\n Suite 787\n Kangerlussuaq\n\n Greenland 54005");
  EXPECT_TRUE(Has(card, "NAME", "Satu Elomo"));
  EXPECT_TRUE(Has(card, "GEO", "45818 P.O. Box 242"));
  EXPECT_TRUE(Has(card, "GEO", "Suite 787"));
  EXPECT_TRUE(Has(card, "GEO", "54005"));
  EXPECT_TRUE(Has(r.Spans("Dexter lives on Ziegelgasse 19 street."), "GEO", "Ziegelgasse 19"));
  EXPECT_TRUE(Has(r.Spans("Please return to Unit 4719 Box 7394\nDPO AP 70942"), "GEO", "DPO AP 70942"));
}

TEST(PhiNameTest, NamesOutsideTheGazetteer) {
  PhiRunner& r = Default();
  // Spelled with accents, or two unknown capitalised words mid-sentence.
  EXPECT_TRUE(Has(r.Spans("the tennis player Hülya Bouwmeester was detained"), "NAME", "Hülya Bouwmeester"));
  EXPECT_TRUE(Has(r.Spans("What's your name? Sigurlaug Karlsdóttir"), "NAME", "Sigurlaug Karlsdóttir"));
  EXPECT_TRUE(Has(r.Spans("Halldór: What a wife.\nMatthew: Remember me?"), "NAME", "Halldór"));
  // Places, teams and months are not names.
  EXPECT_FALSE(HasType(r.Spans("Come on Liverpool! Next match in May against Chelsea."), "NAME"));
}

TEST(PhiNameTest, ClinicianNamesInNotesAndHandles) {
  PhiRunner& r = Default();
  EXPECT_TRUE(Has(r.Spans("Pt seen by Dr. L. Ruuska, family at bedside."), "NAME", "L. Ruuska"));
  EXPECT_TRUE(Has(r.Spans("DRS JOSEPH AND ROBBINSON AWARE. PT STABLE."), "NAME", "ROBBINSON"));
  EXPECT_TRUE(Has(r.Spans("pt stable. mr nicholson had a quiet night"), "NAME", "nicholson"));
  EXPECT_TRUE(Has(r.Spans("@jmarie_runs is 2 weeks post-op and was discharged from the ICU"), "OTHER_ID",
                  "@jmarie_runs"));
}

TEST(PhiFindingTest, SeverityMessageAndSuggestion) {
  PhiRunner& r = Default();
  const std::string text = "Praying for my daughter Hope";
  for (Context c : {Context::kPost, Context::kReply, Context::kInbound}) {
    const std::vector<Finding> f = r.Screen(text, c);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, Kind::kPhi);
    EXPECT_EQ(f[0].severity, c == Context::kInbound ? Severity::kReview : Severity::kBlock);
    EXPECT_EQ(f[0].message.find("Hope"), std::string::npos) << "messages never quote the input";
    EXPECT_FALSE(f[0].suggestion.empty());
  }
  EXPECT_EQ(Redact(text, r.Screen(text)), "Praying for my daughter [NAME]");
}

TEST(PhiFindingTest, OffsetsAreOriginalBytes) {
  PhiRunner& r = Default();
  // Accents change the normalised length; spans must still index the original text.
  const std::string text = "Café visit: my son Zoë-Anne Müller was admitted 3/14";
  const Spans s = r.Spans(text);
  EXPECT_TRUE(Has(s, "DATE", "3/14"));
}

}  // namespace
}  // namespace carepost::guard
