#!/usr/bin/env python3
"""Builds the PHI stage's gazetteers in src/guard/data/ from public-domain and BSD sources.

usage: python3 tools/build_phi_data.py [SHARED_DATA_DIR]   (default: ../shared/data from the repo root)

Needs Debian's `wamerican` word list (/usr/share/dict/american-english) at the time the data is
regenerated: `apt-get install wamerican`. The product never needs it: the generated files are
committed and compiled into the binary.

Outputs (deterministic; sorted):
  src/guard/data/phi_lexicon.tsv  `word<TAB>flags`, one lower-case, accent-stripped word a line:
      F<d>  a first name (SSA baby names 1880-2023, US Government work, public domain; plus the
            Census 1990 first-name files). <d> = 0..5, log10 of the total births (5 = very common).
      S<d>  a surname (US Census 1990 surnames, public domain). <d> = 3 rank <= 1000,
            2 rank <= 10000, 1 otherwise.
      W     an ordinary English word (a lower-case entry in wamerican), e.g. hope, will, grace.
      C     a single-word US city name (ZIP list of the npm `zipcodes` package, BSD licence,
            Copyright 2007 Dav Glass).
      X     never a name on its own: months, weekdays, clinical abbreviations and note words
            written for this project.
      P     a country, US state or continent (or a very large city): a place, a name only
            after a cue.
      E     a medical eponym ("parkinson", "crohn"): a name only when not followed by a disease
            word or a possessive disease phrase.
  src/guard/data/phi_places.txt   multi-word US city names (same ZIP list), one a line.

The PhysioNet deid lists are GPL and are NOT used here (evaluation insight only).
"""
import math
import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "guard", "data")
WORDS = "/usr/share/dict/american-english"

# Words that are never a person's name on their own in the texts we screen. Written for this
# project: calendar words, clinical shorthand that collides with name lists, and words that the
# name lists contain but that mean something else in posts and notes.
NEVER_NAMES = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
today tonight tomorrow yesterday morning evening night noon midnight
pt pts patient patients dr drs doctor nurse rn md np pa rrt crt do ms mr mrs miss sir madam
mae moves neuro resp cv gi gu id heme skin social dispo plan assess abd cath hct hgb wbc plt
inr ptt bun cr na k mg ca po iv im sc sl pr prn qd bid tid qid qhs qod hs ac pc npo tf tpn ivf
bp hr rr sat sats spo2 o2 nc fm nrb cpap bipap peep ps ac simv vt fio2 abg vbg cxr ct mri ekg ecg
echo tee tte eeg emg us ua uo u/o i&o ns lr d5w prbc ffp plts cryo dopa dobutamine levo neo vaso
lasix heparin coumadin ativan haldol morphine fentanyl propofol versed insulin vanco zosyn flagyl
cipro tylenol percocet dilaudid milrinone amio amiodarone nitro ntg nipride esmolol lopressor
afib aflutter nsr st sb svt vt vf pvc pvcs pac pacs avb chb lbbb rbbb stemi nstemi mi cad chf copd
htn dm niddm iddm cri crf arf esrd ckd hd cvvh cvvhd uti pna ards sirs sepsis dvt pe cva tia sah
ich sdh gib ugib lgib ngt ogt ett trach peg picc tlc cvl aline art swan iabp lvad rvad ppm aicd
icd ccu micu sicu csru nicu picu icu er ed ew or pacu ir cath lab floor unit rehab osh ho
ms mental alert oriented confused lethargic sedated intubated extubated vented vent
foley bs bm ob lbm ng og gtt gtts mcg mcq meq kg cc ml hr hrs min mins sec
hob oob amb ambulate ambulating dangle chair commode bedpan assist
full code dnr dni cmo hcp proxy family dtr hsb
lytes coags cultures cx bcx ucx sputum stool urine
cont conts cont'd continue continues remains remain
son daughter husband wife mother father mom dad brother sister aunt uncle niece nephew cousin
grandson granddaughter grandmother grandfather grandma grandpa baby child children kid kids
friend friends wife's husband's
god jesus lord christ allah
happy merry thanks thank congrats congratulations welcome hello hi hey dear love
street avenue road drive lane court place boulevard way suite apt unit box
north south east west northern southern eastern western central upper lower new old
hospital hosp medical center clinic health memorial regional general university
english spanish french german italian chinese russian polish greek irish american african
haitian creole portuguese korean vietnamese japanese arabic hindi latino latina hispanic
czech dutch danish swedish norwegian finnish icelandic turkish persian swiss belgian austrian
hungarian romanian ukrainian scottish welsh british canadian mexican cuban brazilian indian
vea ra co asa los bb le perla perrla kub bg mag riss rom va om ab crit ve nard fent lue rue
lle rle ica cvvhf cvvhdf picc ivc svc ij sq sub subq lol lmao omg smh tbh idk btw brb
christmas easter thanksgiving halloween hanukkah ramadan diwali kwanzaa passover
brady tachy bradycardia tachycardia pacer lido tyl overnoc occ inf sternal mediastinal melena
carevue metavision flowsheet careview per md mds stable
bolus endo lumen sao ok mic fick ros cordis colace rad perl sero pao chol jp kling blocker lente
loc pearla nare nares paco sig gerd shiley lima zoll dia gluc hoh marg irr perma lipoma osa cardia
candida ast alt alk bili trop ckmb bnp tsh cbc bmp chem lfts mrsa vre cdiff esbl abx vanco zosyn
lopressor amio hep ntg kcl mso4 lr ns prn motrin precedex levophed dobut hydral bumex diamox
protonix pepcid reglan zofran senna dulcolax lactulose levaquin ceftaz cefazolin ancef keflex
bactrim augmentin unasyn meropenem linezolid dapto fluconazole acyclovir lantus nph humalog novolog
solumedrol prednisone decadron albuterol atrovent combivent mdi neb nebs hemovac blake pleurevac
vac duoderm xeroform ace ted teds scds chux ostomy stoma flexiseal fms vbg ucx bcx tb ivp ivpb
dsg hob cvp svr pcwp ci pap pad pas rvsp ef lvef tr mr ar as ms ps ai mvr avr cabg ptca pci stent
cath nstemi stemi acs cp sob doe pnd orthopnea le ue rle lle rue lue bilat ble bue perrl perrla
eomi nad aox aaox wnl soc usoh nt nd bs bm lbm n/v npo ivf tf tpn ppn dnr dni cmo fc
aries taurus gemini virgo libra scorpio sagittarius capricorn aquarius pisces md's rns docs re ent derm mech peri reg bi inlaw
""".split()

# Countries, US states and continents: places, never a name without a cue.
PLACES = """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana
brazil brunei bulgaria burundi cambodia cameroon canada chile china colombia congo croatia
cuba cyprus czechia denmark djibouti dominica ecuador egypt england eritrea estonia eswatini
ethiopia fiji finland france gabon gambia germany ghana greece greenland grenada guatemala
guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy
jamaica japan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon
lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives
mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco
mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman
pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia
rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan
suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga trinidad
tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam
yemen zambia zimbabwe scotland wales britain america europe asia africa antarctica oceania
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania
tennessee texas utah vermont wisconsin wyoming chicago london paris york boston houston
liverpool manchester birmingham bristol leeds sheffield glasgow edinburgh cardiff belfast dublin
nottingham leicester newcastle sunderland southampton portsmouth brighton oxford cambridge
bradford burnley bolton everton arsenal tottenham barcelona madrid milan rome berlin munich
amsterdam brussels vienna prague warsaw moscow tokyo beijing shanghai sydney melbourne toronto
vancouver montreal mumbai delhi dubai cairo lagos nairobi istanbul athens lisbon valencia
sevilla seville cornwall dorset devon essex surrey yorkshire lancashire norfolk suffolk
derby coventry hull wigan preston blackburn stoke swansea aberdeen dundee huddersfield
middlesbrough wolverhampton ipswich reading luton watford fulham chelsea wembley anfield
seattle denver atlanta miami dallas phoenix detroit philadelphia baltimore pittsburgh orlando
nashville memphis portland vegas hollywood brooklyn manhattan bronx queens harlem compton
"""

# Medical eponyms: a person's name inside a disease, sign, test or device name.
EPONYMS = """
addison alzheimer apgar asperger barrett bell bells bence billroth blalock brugada buerger
burkitt chagas charcot crohn cushing dandy dressler dupuytren ehlers epstein ewing fallot foley
fournier friedreich gilbert glasgow graves guillain hashimoto heimlich hirschsprung hodgkin
holter huntington kaposi kawasaki korsakoff lambert lou gehrig lyme marfan meniere munchausen
nissen osgood paget parkinson parkinsons peyronie pott raynaud reiter reye riker sjogren stokes
swan ganz tay sachs tourette turner whipple wilms wilson wolff zollinger down downs rett babinski
murphy kussmaul cheyne trendelenburg valsalva doppler coombs gram papanicolaou pap
quinton hickman groshong pleurx mediport bair hugger pratt ambu yankauer salem dobhoff passy
muir hoyer posey mallory kerlix tegaderm allevyn jackson miami philadelphia aspen boyle cooley
""".split()


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.lower()


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(ROOT), "shared", "data")
    phi = os.path.join(data, "phi")
    flags = {}

    def add(word, flag):
        w = fold(word.strip())
        if not w or " " in w or "\t" in w:
            return
        flags.setdefault(w, {})
        f = flags[w]
        # keep the strongest bucket for numbered flags
        if len(flag) == 2 and flag[1].isdigit():
            old = f.get(flag[0])
            if old is None or int(flag[1]) > int(old):
                f[flag[0]] = flag[1]
        else:
            f[flag] = ""

    births = {}
    with open(os.path.join(phi, "ssa_first_names", "first_names_1880_2023.tsv"), encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            name, _sex, total = line.rstrip("\n").split("\t")[:3]
            births[fold(name)] = births.get(fold(name), 0) + int(total)
    for name, total in births.items():
        if total >= 10:
            add(name, "F%d" % min(5, int(math.log10(total))))
    for fn in ("first_names_female.tsv", "first_names_male.tsv"):
        with open(os.path.join(phi, "census_1990_names", fn), encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                name = line.split("\t")[0]
                if fold(name) not in births:
                    add(name, "F2")
    with open(os.path.join(phi, "census_1990_names", "surnames.tsv"), encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            name, _f, _c, rank = line.rstrip("\n").split("\t")
            rank = int(rank)
            add(name, "S%d" % (3 if rank <= 1000 else 2 if rank <= 10000 else 1))
    with open(WORDS, encoding="utf-8") as fh:
        for line in fh:
            w = line.strip()
            if w and "'" not in w and w[0].islower():
                add(w, "W")
    places = set()
    with open(os.path.join(phi, "us_zipcodes", "us_zipcodes.tsv"), encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            city = fold(line.split("\t")[1]).strip()
            if not city:
                continue
            if " " in city:
                places.add(city)
            else:
                add(city, "C")
    for w in NEVER_NAMES:
        add(w, "X")
    for w in EPONYMS:
        add(w, "E")
    for w in PLACES.split():
        add(w, "P")
    add("dc", "C")  # Washington, DC is not in the ZIP list under that name

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "phi_lexicon.tsv"), "w", encoding="utf-8", newline="\n") as out:
        for w in sorted(flags):
            f = flags[w]
            out.write(w + "\t" + "".join(k + f[k] for k in sorted(f)) + "\n")
    with open(os.path.join(OUT, "phi_places.txt"), "w", encoding="utf-8", newline="\n") as out:
        for p in sorted(places):
            out.write(p + "\n")
    print("phi_lexicon.tsv: %d words; phi_places.txt: %d places" % (len(flags), len(places)))


if __name__ == "__main__":
    main()
