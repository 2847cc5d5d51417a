// The DXA pipeline's pure parts: cell text, region names, the table parser on synthetic word
// boxes, QC checks, duplicates and the header filter. OCR itself is covered by the integration
// test (tests/integration/dexa).
#include <gtest/gtest.h>

#include "dicometl/dexa/cell_reread.hpp"
#include "dicometl/dexa/cell_text.hpp"
#include "dicometl/dexa/dedup.hpp"
#include "dicometl/dexa/layouts.hpp"
#include "dicometl/dexa/page_filter.hpp"
#include "dicometl/dexa/preprocess.hpp"
#include "dicometl/dexa/qc.hpp"
#include "dicometl/dexa/scan_date.hpp"
#include "dicometl/dexa/table_parser.hpp"

using namespace dicometl;
using namespace dicometl::dexa;

TEST(DexaCellText, Numbers) {
  auto n = read_number("0.987", 3);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "0.987");
  EXPECT_TRUE(n->repair.empty());
  EXPECT_EQ(read_number("\u22121.2", 1)->text, "-1.2");  // Unicode minus
  EXPECT_EQ(read_number("107%", 0)->text, "107");
  EXPECT_FALSE(read_number("abc", 1));
  EXPECT_FALSE(read_number("1.2.3", 1));
}

TEST(DexaCellText, DecimalRepairOnlyWhenUnambiguous) {
  auto n = read_number("0987", 3);  // one leading digit: the point has one place
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "0.987");
  EXPECT_FALSE(n->repair.empty());
  EXPECT_EQ(read_number("-12", 1)->text, "-1.2");
  auto unknown = read_number("1489", 2);  // 14.89 or 148.9? not from the text alone
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->decimals, -1);
  EXPECT_FALSE(read_number("1,2", 1)->repair.empty());
  auto colon = read_number("1:3", 1);  // a 90-ppi point read as a colon: a repair, never ok
  ASSERT_TRUE(colon);
  EXPECT_EQ(colon->text, "1.3");
  EXPECT_FALSE(colon->repair.empty());
}

// 90-ppi digits read as letters beside a minus or a point ("-L.1", "Lill", "-OS"): digits,
// repaired (never ok), also when the point is then inserted; a name ("Ll") is not a number.
TEST(DexaCellText, LettersReadForOne) {
  auto t = read_number("-L.1", 1);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->text, "-1.1");
  EXPECT_FALSE(t->repair.empty());
  auto bmd = read_number("Lill", 3);
  ASSERT_TRUE(bmd);
  EXPECT_EQ(bmd->text, "1.111");
  EXPECT_NE(bmd->repair, "decimal point inserted");  // both repairs named
  EXPECT_EQ(read_number("-Li1", 1)->decimals, -1);   // "111": where the point was is unknown
  EXPECT_FALSE(read_number("Ll", 1));
  EXPECT_FALSE(read_number("Lx.1", 1));
  EXPECT_EQ(read_number("-OS", 1)->text, "-0.5");   // O for 0, S for 5
  EXPECT_EQ(read_number("-OA", 1)->text, "-0.4");   // A for 4
  EXPECT_EQ(read_number("'-D7", 1)->text, "-0.7");  // a quote mark before the minus, D for 0
  EXPECT_FALSE(read_number("OS", 1));               // two letters alone: not a number
}

TEST(DexaCellText, Regions) {
  EXPECT_EQ(match_region("L1-L4").name, "L1-L4");
  EXPECT_EQ(match_region("Ll-L4").name, "L1-L4");  // l for 1
  EXPECT_EQ(match_region("L1 - L4").name, "L1-L4");
  EXPECT_EQ(match_region("L1\u2013L4").name, "L1-L4");  // en dash
  EXPECT_EQ(match_region("Wards").name, "Ward's");
  EXPECT_EQ(match_region("Neck Diff").name, "Neck Diff.");
  EXPECT_FALSE(match_region("L1-L").known);  // L1-L2? L1-L3? L1-L4? never guessed
  EXPECT_FALSE(match_region("2").known);
  auto fuzzy = match_region("Trochh");
  EXPECT_TRUE(fuzzy.known);
  EXPECT_TRUE(fuzzy.fuzzy);
  EXPECT_EQ(fuzzy.name, "Troch");
  // "Diff." at 90 ppi: one letter lost; "Neck Diff." and "Neck |Diff.|" are one region.
  auto diff = match_region("Neck Dif.");
  EXPECT_TRUE(diff.known && diff.fuzzy);
  EXPECT_EQ(diff.name, "Neck Diff.");
  EXPECT_EQ(match_region("LAm").name, "L Arm");  // 90-ppi whole body: a repair
  EXPECT_TRUE(match_region("LAm").fuzzy);
  EXPECT_EQ(match_region("\u2018Rleg").name, "R Leg");  // a speck before the name
  EXPECT_FALSE(match_region("Am").known);
  // 90-ppi letter confusions (in/m, t/f, a trailing mark), exact after folding: repairs.
  for (auto [read, name] : {std::pair{"LSpme", "L Spine"}, std::pair{"T Spme", "T Spine"},
                            std::pair{"Total Dit,", "Total Diff."}}) {
    const auto m = match_region(read);
    EXPECT_TRUE(m.known && m.fuzzy) << read;
    EXPECT_EQ(m.name, name) << read;
  }
  EXPECT_EQ(match_region("Spme").name, "Spine");  // GE total body
}

namespace {

// Table rows named as OCR read them (region_raw) and as match_region alone names them.
std::vector<TableRow> rows_of(std::initializer_list<const char*> names) {
  std::vector<TableRow> rows;
  for (const char* n : names) {
    TableRow r;
    r.region_raw = n;
    r.region = match_region(n);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

// A name lost at the end of a dual hip section ("pif." for |Diff.|, between "Neck Mean" and
// "Total Left", or the table's last row after "Total Mean") is the section's Diff. row; a spine
// table's last row after L3 is not guessed (L4 may be left out).
TEST(DexaCellText, SequenceEndsOnlyWhereTheSequenceIsComplete) {
  auto hip = rows_of({"Neck Left", "Neck Right", "Neck Mean", "pif.", "Total Left", "Total Right",
                      "Total Mean", "piff"});
  fill_regions_from_sequences(hip);
  EXPECT_EQ(hip[3].region.name, "Neck Diff.");
  EXPECT_TRUE(hip[3].region.known && hip[3].region.fuzzy);
  EXPECT_EQ(hip[7].region.name, "Total Diff.");
  auto spine = rows_of({"L1", "L2", "L3", "Lxx"});
  fill_regions_from_sequences(spine);
  EXPECT_FALSE(spine[3].region.known);
  auto body =
      rows_of({"L Arm", "R Arm", "LRe\u00e9s", "RRBs", "T Spine", "L Spare", "Penis", "L Leg"});
  fill_regions_from_sequences(body);
  EXPECT_EQ(body[2].region.name, "L Ribs");
  EXPECT_EQ(body[3].region.name, "R Ribs");
  EXPECT_EQ(body[5].region.name, "L Spine");
  EXPECT_EQ(body[6].region.name, "Pelvis");
  EXPECT_TRUE(body[6].region.fuzzy);
  auto gap = rows_of({"L Arm", "Lxx", "Lyy", "T Spine"});  // two lost where three are printed
  fill_regions_from_sequences(gap);
  EXPECT_FALSE(gap[1].region.known);
  auto before_total = rows_of({"L1", "L2", "L3", "Lxx", "L1-L4"});
  fill_regions_from_sequences(before_total);
  EXPECT_EQ(before_total[3].region.name, "L4");
}

// 90 ppi loses a spine name's "L": a lone digit with marks ("(2", "3", "“4") names L<digit> in a
// spine table when the order allows; a weakly read name just above that the digit repeats
// ("L2" at word confidence 24 over "(2") is the row before. Out of order, nothing is named.
TEST(DexaCellText, VertebraeFromLoneDigits) {
  auto spine = rows_of({"L2", "(2", "3", "\u201c4", "L1-L4"});
  spine[0].region_word_conf = 24;
  fill_regions_from_sequences(spine);
  const char* want[] = {"L1", "L2", "L3", "L4", "L1-L4"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(spine[i].region.name, want[i]) << i;
  EXPECT_TRUE(spine[0].region.fuzzy && spine[2].region.fuzzy);
  auto ranges = rows_of({"L1", "L2", "Lit4", "L144", "L2-L4"});  // the dash and "L" merged
  fill_regions_from_sequences(ranges);
  EXPECT_EQ(ranges[2].region.name, "L1-L4");
  EXPECT_TRUE(ranges[2].region.fuzzy);
  EXPECT_FALSE(ranges[3].region.known);     // L1-L4 is taken: not named twice
  auto comma = rows_of({"L1", "L2", "Li,A"});  // Hologic's "L1,L4" (L1 and L4 only)
  fill_regions_from_sequences(comma);
  EXPECT_EQ(comma[2].region.name, "L1,L4");
  auto ge_body = rows_of({"Head", "Arms", "Legs", "Trunk", "Rs", "Pelvis"});  // GE's order
  fill_regions_from_sequences(ge_body);
  EXPECT_EQ(ge_body[4].region.name, "Ribs");
  auto ranges_only = rows_of({"ul", "\\2", "3", "u", "Li+4", "L3-L4"});  // no vertebra read
  fill_regions_from_sequences(ranges_only);
  const char* want_ranges[] = {"L1", "L2", "L3", "L4", "L1-L4", "L3-L4"};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(ranges_only[i].region.name, want_ranges[i]) << i;
  auto lunar = rows_of({"LL", "L2", "L3", "u4", "12-44", "3-44"});  // "-L" read as "4"
  fill_regions_from_sequences(lunar);
  EXPECT_EQ(lunar[3].region.name, "L4");
  EXPECT_EQ(lunar[4].region.name, "L2-L4");
  EXPECT_EQ(lunar[5].region.name, "L3-L4");
  // Dual hip names lost across the sections' boundary: both sections in their printed order.
  auto across = rows_of({"Neck Left", "Neck Right", "Neck Mean", "pe)", "Leh", "Total Right"});
  fill_regions_from_sequences(across);
  EXPECT_EQ(across[3].region.name, "Neck Diff.");
  EXPECT_EQ(across[4].region.name, "Total Left");
  auto ge = rows_of({"Neck Mean", "Neck Diff.", "Total Lek", "Total Right"});  // first of a
  fill_regions_from_sequences(ge);                                             // section
  EXPECT_EQ(ge[2].region.name, "Total Left");
  auto forearm = rows_of({"UD", "MID", "13", "Total"});  // "1/3" read "13": not L3 here
  fill_regions_from_sequences(forearm);
  EXPECT_EQ(forearm[2].region.name, "1/3");
  auto letter = rows_of({"L1", "L2", "L14A"});  // the last 4 read "A"
  fill_regions_from_sequences(letter);
  EXPECT_EQ(letter[2].region.name, "L1-L4");
  auto firm = rows_of({"L2", "(2", "L3"});  // "L2" read firmly: the digit does not overrule it
  fill_regions_from_sequences(firm);
  EXPECT_EQ(firm[0].region.name, "L2");
  EXPECT_FALSE(firm[1].region.known);
  auto out_of_order = rows_of({"L1", "L3", "2"});
  fill_regions_from_sequences(out_of_order);
  EXPECT_FALSE(out_of_order[2].region.known);
  auto not_spine = rows_of({"UD", "MID", "3"});  // "1/3" lost its "1/": no spine here
  fill_regions_from_sequences(not_spine);
  EXPECT_NE(not_spine[2].region.name, "L3");
}

namespace {

// Words laid out like a table: one line per y, each (text, x) a word 20 px high.
struct Sheet {
  std::vector<OcrWord> words;
  void line(int y, std::initializer_list<std::pair<const char*, int>> ws) {
    for (auto [t, x] : ws) {
      const int w = static_cast<int>(std::string(t).size()) * 12;
      words.push_back({t, x, y, x + w, y + 20, 96, 99});
    }
  }
};

Sheet hologic_spine() {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"Horizon", 220}});
  s.line(300, {{"1.40", 520}});  // a chart axis number left of the table
  s.line(400,
         {{"Region", 600}, {"Area", 800}, {"BMC", 950}, {"BMD", 1100}, {"T-", 1250}, {"Z-", 1400}});
  s.line(430, {{"(cm2)", 790}, {"(g)", 955}, {"(g/cm2)", 1080}, {"score", 1240}, {"score", 1390}});
  s.line(480, {{"L1", 600},
               {"13.02", 800},
               {"11.84", 950},
               {"0.909", 1100},
               {"-1.3", 1250},
               {"-0.8", 1400}});
  s.line(520, {{"L2", 600},
               {"14.00", 800},
               {"14.00", 950},
               {"1.000", 1100},
               {"-0.4", 1250},
               {"0.1", 1400}});
  s.line(560, {{"L1-L4", 600},
               {"27.02", 800},
               {"25.84", 950},
               {"0.956", 1100},
               {"-0.8", 1250},
               {"-0.3", 1400}});
  s.line(700, {{"Trend", 600}});
  s.line(740, {{"2019", 600}, {"0.950", 1100}});
  return s;
}

}  // namespace

TEST(DexaTableParser, ReadsRowsAndStopsAtTrend) {
  auto t = parse_results_table(hologic_spine().words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_EQ(t.layout, "hologic");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].region.name, "L1");
  EXPECT_EQ(t.rows[0].cells.at("area").raw, "13.02");
  EXPECT_EQ(t.rows[0].cells.at("t_score").raw, "-1.3");
  EXPECT_EQ(t.rows[2].region.name, "L1-L4");
  EXPECT_EQ(t.rows[2].cells.at("z_score").raw, "-0.3");
  EXPECT_TRUE(t.rows[2].problems.empty());
}

TEST(DexaTableParser, SplitsRunTogetherLabels) {
  Sheet s;
  s.line(400, {{"Region", 600}, {"BMD", 800}, {"Young-AdultT-scoreAge-MatchedZ-score", 900}});
  // 36 characters × 12 px from x=900: Young-Adult ≈ 900–1032, T-score ≈ 1032–1116, …
  s.line(480,
         {{"L1", 600}, {"1.212", 800}, {"116", 950}, {"1.5", 1060}, {"128", 1170}, {"2.8", 1270}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 1u);
  const auto& c = t.rows[0].cells;
  EXPECT_EQ(c.at("bmd").raw, "1.212");
  EXPECT_EQ(c.at("ya_pct").raw, "116");
  EXPECT_EQ(c.at("t_score").raw, "1.5");
  EXPECT_EQ(c.at("am_pct").raw, "128");
  EXPECT_EQ(c.at("z_score").raw, "2.8");
}

TEST(DexaTableParser, NoTableWithoutBmdColumn) {
  Sheet s;
  s.line(400, {{"Region", 600}, {"BMC", 800}, {"Area", 950}});  // an ancillary table
  s.line(480, {{"L1", 600}, {"11.84", 800}, {"13.02", 950}});
  auto t = parse_results_table(s.words);
  EXPECT_FALSE(t.found);
  EXPECT_NE(t.why_not.find("BMD"), std::string::npos);
  EXPECT_FALSE(parse_results_table({}).found);
}

// Real pages (issue 12): the header word "Region" read as "Regien", units "(g/cm²)" read as
// "(amr)", a skeleton picture read as a tall word beside the table.
TEST(DexaTableParser, TolerantHeaderUnitsAndTallBoxes) {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"Horizon", 220}});
  s.words.push_back({"Ill", 300, 300, 340, 560, 40, 10});  // the skeleton picture
  s.line(400,
         {{"Regien", 600}, {"Area", 800}, {"BMC", 950}, {"BMD", 1100}, {"T-", 1250}, {"AM", 1400}});
  s.line(430, {{"(an)", 790}, {"(g)", 955}, {"(amr)", 1080}, {"score", 1240}, {"(%)", 1390}});
  s.line(
      480,
      {{"L1", 600}, {"13.02", 800}, {"11.84", 950}, {"0.909", 1100}, {"-1.3", 1250}, {"88", 1400}});
  s.line(
      520,
      {{"12", 600}, {"14.00", 800}, {"14.00", 950}, {"1.000", 1100}, {"-0.4", 1250}, {"97", 1400}});
  s.line(560, {{"L1-L4", 600},
               {"27.02", 800},
               {"25.84", 950},
               {"0.956", 1100},
               {"-0.8", 1250},
               {"93", 1400}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_EQ(t.layout, "hologic");
  EXPECT_EQ(t.columns, (std::vector<std::string>{"area", "bmc", "bmd", "t_score", "am_pct"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells.at("bmd").raw, "0.909");
  EXPECT_EQ(t.rows[0].cells.at("am_pct").raw, "88");
  EXPECT_EQ(t.rows[1].region.name, "L2");  // "12" in the region column
  EXPECT_TRUE(t.rows[1].region.fuzzy);     // … a repair, never ok on its own
  EXPECT_EQ(t.rows[2].cells.at("area").raw, "27.02");
  for (const auto& r : t.rows) EXPECT_TRUE(r.problems.empty()) << r.region_raw;
  EXPECT_EQ(t.kind, "spine");
}

TEST(DexaTableParser, UnrecognisedColumnIsNotGluedToTheRegion) {
  Sheet s;
  s.line(400, {{"Region", 600}, {"ar", 800}, {"BMC", 950}, {"BMD", 1100}, {"T-score", 1250}});
  s.line(480, {{"L1", 600}, {"13.26", 800}, {"11.84", 950}, {"0.893", 1100}, {"-1.3", 1250}});
  s.line(520, {{"L2", 600}, {"14.00", 800}, {"14.00", 950}, {"1.000", 1100}, {"-0.4", 1250}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].region_raw, "L1");
  EXPECT_EQ(t.rows[0].region.name, "L1");
  EXPECT_EQ(t.rows[0].cells.count("area"), 0u);
  EXPECT_EQ(t.rows[0].cells.at("bmc").raw, "11.84");
  EXPECT_TRUE(t.rows[0].problems.empty());
}

namespace {

// Hologic dual hip rows under a header at y 400-430: sections Neck and Total (titles without
// values), each with Left, Right, Mean and `diff`, BMD 0.812 and the scores `t`, `z`.
// The Hologic dual hip header at y 400-430: Region, BMD, T- and Z- over their units.
void dual_hip_header(Sheet& s) {
  s.line(400, {{"Region", 600}, {"BMD", 800}, {"T-", 950}, {"Z-", 1100}});
  s.line(430, {{"(g/cm2)", 780}, {"score", 940}, {"score", 1090}});
}

// `neck` replaces the first title ("" = no line at all); `subs` the first section's sub-rows.
void dual_hip_rows(Sheet& s, const char* diff, const char* t, const char* z,
                   const char* neck = "Neck",
                   std::vector<const char*> subs = {"Left", "Right", "Mean"}) {
  int y = 480;
  for (const char* section : {neck, "Total"}) {
    if (*section != '\0') s.line(y, {{section, 600}});  // a title: no values, no table end
    y += 40;
    std::vector<const char*> names = subs;
    if (std::string(section) == "Total") names = {"Left", "Right", "Mean"};
    names.push_back(diff);
    for (const char* sub : names) {
      s.line(y, {{sub, 620}, {"0.812", 800}, {t, 950}, {z, 1100}});
      y += 40;
    }
  }
}

}  // namespace

TEST(DexaTableParser, HologicDualHipSections) {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"APEX", 220}});
  dual_hip_header(s);
  dual_hip_rows(s, "|Diff.|", "-1.4", "-0.2");
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 8u);
  EXPECT_EQ(t.rows[0].region.name, "Neck Left");
  EXPECT_EQ(t.rows[3].region.name, "Neck Diff.");
  EXPECT_EQ(t.rows[4].region.name, "Total Left");
  EXPECT_EQ(t.rows[6].region.name, "Total Mean");
  for (const auto& r : t.rows) EXPECT_TRUE(r.region.known && !r.region.fuzzy) << r.region_raw;
  EXPECT_EQ(t.kind, "dual_hip");
}

// The first section's title lost by OCR (read "aaa", or no word at all): its four rows before
// "Total" are Neck's when at least two read as their sub-rows, marked repaired; with one that
// reads so, they stay unnamed.
TEST(DexaTableParser, HologicDualHipSectionTitleLost) {
  for (const char* neck : {"aaa", ""}) {
    Sheet s;
    s.line(100, {{"Hologic", 100}, {"APEX", 220}});
    dual_hip_header(s);
    dual_hip_rows(s, "|Diff.|", "-1.4", "-0.2", neck, {"'Lew", "Right", "Maan"});
    auto t = parse_results_table(s.words);
    ASSERT_TRUE(t.found) << t.why_not;
    ASSERT_EQ(t.rows.size(), 8u) << neck;
    EXPECT_EQ(t.rows[0].region.name, "Neck Left") << neck;
    EXPECT_EQ(t.rows[2].region.name, "Neck Mean") << neck;
    EXPECT_EQ(t.rows[3].region.name, "Neck Diff.") << neck;
    EXPECT_TRUE(t.rows[0].region.fuzzy);
    EXPECT_EQ(t.rows[4].region.name, "Total Left");
  }
  Sheet s;
  dual_hip_header(s);
  dual_hip_rows(s, "xx", "-1.4", "-0.2", "", {"'Lew", "Right", "zzz"});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_FALSE(t.rows[0].region.known);
  EXPECT_FALSE(t.rows[1].region.known);
}

// The line of names ("Region BMD T- Z-") lost by OCR: the unit line alone makes the header,
// its two "Score" columns are T then Z.
TEST(DexaTableParser, HeaderOfUnitsAndTwoScoresOnly) {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"APEX", 220}});
  s.line(430, {{"(g/cm2)", 780}, {"Score", 940}, {"Score", 1090}});
  for (int i = 0; i < 3; ++i)
    s.line(480 + 40 * i, {{i == 0   ? "Neck"
                           : i == 1 ? "Troch"
                                    : "Inter",
                           600},
                          {"0.748", 800},
                          {"-0.9", 950},
                          {"0.5", 1100}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_EQ(t.columns, (std::vector<std::string>{"bmd", "t_score", "z_score"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells.at("t_score").raw, "-0.9");
}

// The line of names lost, the percentages are named by where each vendor prints them: Hologic
// T, PR (%), Z, AM (%); GE enCORE 12 YA (%), T, AM (%), Z. Without a vendor, not at all.
TEST(DexaTableParser, PercentColumnsByTheVendorsOrder) {
  auto columns = [](const char* vendor, std::initializer_list<std::pair<const char*, int>> units) {
    Sheet s;
    if (*vendor) s.line(100, {{vendor, 100}});
    s.line(430, units);
    s.line(
        480,
        {{"L1", 600}, {"0.909", 800}, {"-1.3", 950}, {"88", 1100}, {"-0.8", 1250}, {"93", 1400}});
    s.line(
        520,
        {{"L2", 600}, {"1.000", 800}, {"-0.4", 950}, {"96", 1100}, {"0.1", 1250}, {"101", 1400}});
    return parse_results_table(s.words).columns;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(
      columns("Hologic",
              {{"(g/cm2)", 780}, {"Score", 940}, {"(%)", 1100}, {"Score", 1240}, {"(%)", 1400}}),
      (V{"bmd", "t_score", "ya_pct", "z_score", "am_pct"}));
  EXPECT_EQ(
      columns("Lunar",
              {{"(g/cm2)", 780}, {"(%)", 950}, {"Score", 1090}, {"(%)", 1250}, {"Score", 1390}}),
      (V{"bmd", "ya_pct", "t_score", "am_pct", "z_score"}));
  EXPECT_EQ(
      columns("",
              {{"(g/cm2)", 780}, {"Score", 940}, {"(%)", 1100}, {"Score", 1240}, {"(%)", 1400}}),
      (V{"bmd", "t_score", "z_score"}));
}

// GE enCORE 17 at 90 ppi: "YA T-Score" read "YA" / "FScore" is the T-score column (a label
// with "score" is never YA %), named by T-before-Z; a garbled last dual hip row that matches
// only its section's title ("p#.|" under Total) is the section's Diff. row.
TEST(DexaTableParser, ScoreLabelWithItsLetterMisread) {
  Sheet s;
  s.line(100, {{"GE", 100}, {"Lunar", 160}});
  s.line(400, {{"BMD", 800}, {"YA", 950}, {"AM", 1100}});
  s.line(430, {{"Region", 600}, {"(g/cm2)", 780}, {"FScore", 940}, {"Z-Score", 1090}});
  s.line(480, {{"Head", 600}, {"1.924", 800}});
  s.line(520, {{"Total", 600}, {"1.049", 800}, {"-1.7", 950}, {"-1.4", 1100}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_EQ(t.columns, (std::vector<std::string>{"bmd", "t_score", "z_score"}));
  EXPECT_EQ(t.rows[1].cells.count("t_score"), 1u);

  Sheet hip;
  hip.line(100, {{"Hologic", 100}, {"APEX", 220}});
  dual_hip_header(hip);
  dual_hip_rows(hip, "p#.|", "1.0", "1.9");
  auto d = parse_results_table(hip.words);
  ASSERT_EQ(d.rows.size(), 8u);
  EXPECT_EQ(d.rows[7].region.name, "Total Diff.");
}

// 300 ppi: OCR lost the "T-" above the first "score" (the second header line keeps it), and a
// dual hip sub-row name was read "Dif." under its section title.
TEST(DexaTableParser, ScoreWithoutItsLetterLineAndGarbledSubRow) {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"APEX", 220}});
  s.line(400, {{"Region", 600}, {"BMD", 800}, {"Z-", 1100}});
  s.line(430, {{"(g/cm2)", 780}, {"Score", 940}, {"Score", 1090}});
  dual_hip_rows(s, "Dif.", "1.4", "2.2");
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 8u);
  EXPECT_EQ(t.columns, (std::vector<std::string>{"bmd", "t_score", "z_score"}));
  EXPECT_EQ(t.rows[0].cells.count("t_score"), 1u);
  EXPECT_EQ(t.rows[7].region.name, "Total Diff.");
  EXPECT_TRUE(t.rows[7].region.fuzzy);
}

// The first column's header on the unit line, left of every first-line label and far from
// them: it is the region column, so the names beside the values are read.
TEST(DexaTableParser, FirstColumnHeaderOnlyOnTheUnitLine) {
  Sheet s;
  s.line(100, {{"Hologic", 100}, {"APEX", 220}});
  s.line(400, {{"Area", 1000}, {"BMC", 1150}, {"BMD", 1300}, {"T-", 1450}, {"Z-", 1600}});
  s.line(430, {{"Radius", 600},
               {"+", 690},
               {"Ulna", 720},
               {"(cm2)", 990},
               {"(g)", 1150},
               {"(g/cm2)", 1280},
               {"score", 1440},
               {"score", 1590}});
  int y = 480;
  for (const char* region : {"UD", "MID", "1/3", "Total"}) {
    s.line(y, {{region, 600},
               {"4.13", 1000},
               {"1.88", 1150},
               {"0.455", 1300},
               {"-0.2", 1450},
               {"0.5", 1600}});
    y += 40;
  }
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0].region.name, "UD");
  EXPECT_EQ(t.rows[2].region.name, "1/3");
  EXPECT_EQ(t.kind, "forearm");
}

// A title line above the header is not a header: the header's own "Z-Score" below it does not
// make it one (GE enCORE 12 at 90 ppi, "Region" on the unit line).
TEST(DexaTableParser, TitleAboveTheHeaderIsNotAHeader) {
  Sheet s;
  s.line(100, {{"GE", 100}, {"Lunar", 160}});
  s.line(360, {{"AP", 600}, {"Spine", 650}, {"Bone", 740}, {"Density", 820}});  // over "BMD"
  s.line(390, {{"BMD", 900}, {"Young-Adult", 1050}, {"Age-Matched", 1250}, {"Z-Score", 1450}});
  s.line(420, {{"Region", 600}, {"(g/cm2)", 880}, {"(%)", 1090}, {"(%)", 1290}});
  int y = 470;
  for (const char* region : {"L1", "L2", "L3"}) {
    s.line(y, {{region, 600}, {"1.176", 900}, {"106", 1090}, {"124", 1290}, {"1.9", 1450}});
    y += 40;
  }
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].region.name, "L1");
  EXPECT_EQ(t.rows[0].cells.count("ya_pct"), 1u);
}

// Hologic's forearm table has no "Region" word: its first column is headed "Radius + Ulna",
// also when 90-ppi OCR splits that label in two header columns by a wide gap ("Radius +",
// "UlIna"): both are the region column, so the names under "Radius" are read.
TEST(DexaTableParser, ForearmHeaderWithoutRegionWord) {
  for (auto [ulna, x] : {std::pair{"Ulna", 660}, std::pair{"UlIna", 680}}) {
    Sheet s;
    s.line(100, {{"Hologic", 100}});
    s.line(400, {{"Radius", 560},
                 {"+", 640},
                 {ulna, x},
                 {"Area", 800},
                 {"BMC", 950},
                 {"BMD", 1100},
                 {"T-score", 1250}});
    int y = 480;
    for (const char* r : {"UD", "MID", "1/3", "Total"}) {
      s.line(y, {{r, 560}, {"3.12", 800}, {"1.40", 950}, {"0.449", 1100}, {"-0.9", 1250}});
      y += 40;
    }
    auto t = parse_results_table(s.words);
    ASSERT_TRUE(t.found) << t.why_not;
    ASSERT_EQ(t.rows.size(), 4u) << ulna;
    EXPECT_EQ(t.rows[0].region.name, "UD") << ulna;
    EXPECT_EQ(t.rows[2].region.name, "1/3") << ulna;
    EXPECT_EQ(t.rows[3].region.name, "Total") << ulna;
    EXPECT_EQ(t.rows[3].cells.at("bmd").raw, "0.449") << ulna;
    EXPECT_EQ(t.kind, "forearm") << ulna;
  }
}

TEST(DexaTableParser, TrendAndBodyCompositionAreNotResults) {
  Sheet trend;
  trend.line(400, {{"Measured", 600},
                   {"Date", 700},
                   {"Age", 850},
                   {"(years)", 900},
                   {"BMD", 1050},
                   {"(g/cm2)", 1100},
                   {"Change", 1250},
                   {"(%)", 1340}});
  trend.line(440, {{"04/05/2018", 600}, {"61.2", 850}, {"0.912", 1050}, {"-1.2", 1250}});
  EXPECT_FALSE(parse_results_table(trend.words).found);
  Sheet body;
  body.line(400, {{"Region", 600},
                  {"Fat", 800},
                  {"Mass", 850},
                  {"Lean+BMC", 950},
                  {"Total", 1100},
                  {"Mass", 1160},
                  {"%", 1250},
                  {"Fat", 1270}});
  body.line(440, {{"Trunk", 600}, {"12345", 800}, {"23456", 950}, {"35801", 1100}, {"34.5", 1250}});
  EXPECT_FALSE(parse_results_table(body.words).found);
}

TEST(DexaTableParser, RegionFromItsNeighbours) {
  Sheet s;
  s.line(400, {{"Region", 600}, {"BMD", 800}, {"T-score", 950}});
  s.line(480, {{"u", 600}, {"0.909", 800}, {"-1.3", 950}});  // "L1" at 90 ppi
  s.line(520, {{"L2", 600}, {"1.000", 800}, {"-0.4", 950}});
  s.line(560, {{"L3", 600}, {"1.020", 800}, {"-0.2", 950}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].region.name, "L1");
  EXPECT_TRUE(t.rows[0].region.fuzzy);
}

// Ladder pages (issue 12): the page pass skips whole lines now and then — the line of column
// names above the units, or rows in the middle of the table — and the rest of a frame beside
// the table comes out as a line of "|" between two rows.
TEST(DexaTableParser, LostHeaderLineSkippedRowsAndMarks) {
  Sheet s;
  s.line(100, {{"GE", 100}, {"Lunar", 160}});
  // "BMD  YA  AM" lost: only the units and score names are left.
  s.line(400, {{"Region", 540}, {"(gicm')", 780}, {"T-Score", 950}, {"Z-Score", 1100}});
  s.line(440, {{"Neck", 540}, {"Left", 600}, {"0.941", 800}, {"0.8", 950}, {"1.6", 1100}});
  s.words.push_back({"|", 520, 470, 524, 476, 40, 60});  // a speck between two rows
  // Neck Right, Neck Mean and Neck Diff. skipped by OCR: three rows missing.
  s.line(600, {{"Total", 540}, {"Left", 610}, {"0.701", 800}, {"-2.0", 950}, {"-1.2", 1100}});
  s.line(640, {{"Total", 540}, {"Right", 610}, {"0.734", 800}, {"-1.7", 950}, {"-0.9", 1100}});
  s.line(680, {{"Total", 540}, {"Mean", 610}, {"0.718", 800}, {"-1.8", 950}, {"-1.0", 1100}});
  auto t = parse_results_table(s.words);
  ASSERT_TRUE(t.found) << t.why_not;
  EXPECT_EQ(t.columns, (std::vector<std::string>{"bmd", "t_score", "z_score"}));
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[1].region.name, "Total Left");
  EXPECT_EQ(t.rows[2].cells.at("bmd").raw, "0.734");
  ASSERT_EQ(t.gaps.size(), 1u);  // read again by extract.cpp
  EXPECT_LT(t.gaps[0].y0, 480);
  EXPECT_GT(t.gaps[0].y1, 560);
  // Text further down than a few rows, or without numbers under the columns, ends the table.
  s.line(1100, {{"L1", 540}, {"0.950", 800}, {"-1.0", 950}, {"0.1", 1100}});
  EXPECT_EQ(parse_results_table(s.words).rows.size(), 4u);
}

TEST(DexaLayouts, HeaderLabelsAreWholeTokens) {
  EXPECT_EQ(metric_for_label("BMD (amr)"), "bmd");  // "(g/cm²)" as OCR reads it: a unit
  EXPECT_EQ(metric_for_label("BMD (am)"), "bmd");
  EXPECT_EQ(metric_for_label("AM (%)"), "am_pct");
  EXPECT_EQ(metric_for_label("YA T-score"), "t_score");
  EXPECT_EQ(metric_for_label("AM Z-score"), "z_score");
  EXPECT_EQ(metric_for_label("Young- Adult (%)"), "ya_pct");
  EXPECT_EQ(metric_for_label("Age- Matched (%)"), "am_pct");
  EXPECT_EQ(metric_for_label("Young-Ad"), "ya_pct");  // "ult" apart at 90 ppi
  EXPECT_EQ(metric_for_label("Age-Mat"), "am_pct");
  EXPECT_EQ(metric_for_label("Age-"), std::nullopt);  // nothing after the dash: any "Age"
  EXPECT_EQ(metric_for_label("YA FScore"), std::nullopt);  // a score, not YA %: T lost
  EXPECT_EQ(metric_for_label("Buc (9)"), "bmc");           // a garbled name: its unit names it
  EXPECT_EQ(metric_for_label("(gicn*)"), "bmd");           // n for m
  EXPECT_EQ(metric_for_label("(gm)"), "bmd");              // "/c" lost: g and m are BMD's alone
  EXPECT_EQ(metric_for_label("(9g)"), "bmc");              // the parenthesis read as 9
  EXPECT_EQ(metric_for_label("YA FSore"), std::nullopt);   // "score" within one edit
  EXPECT_TRUE(has_score_word("T-Scere"));
  EXPECT_FALSE(has_score_word("Young-Adult"));
  EXPECT_EQ(metric_for_label("lem\u2019)"), "bmd");        // "g/cm" with the g lost, c read e
  EXPECT_EQ(metric_for_label("(cm?)"), "area");            // no slash: the Area's unit
  EXPECT_EQ(metric_for_label("Width (cm)"), "");      // a name read is not overruled by the unit
  EXPECT_EQ(metric_for_label("T-scere"), "t_score");  // o/e confusion
  EXPECT_EQ(metric_for_label("8MD"), "bmd");          // B/8
  EXPECT_EQ(metric_for_label("Regien"), "region");
  EXPECT_EQ(metric_for_label("BMO"), "bmd");  // D read as O
  EXPECT_EQ(metric_for_label("BMC"), "bmc");
  // A label that is only a unit (the line of names above it lost) names its one metric.
  EXPECT_EQ(metric_for_label("(g/cm?)"), "bmd");
  EXPECT_EQ(metric_for_label("(gicm')"), "bmd");
  EXPECT_EQ(metric_for_label("(9)"), "bmc");
  EXPECT_EQ(metric_for_label("(cm*)"), "area");
  EXPECT_EQ(metric_for_label("(%)"), std::nullopt);       // YA % or AM %: not known from the unit
  EXPECT_EQ(metric_for_label("Diameter"), std::nullopt);  // contains "am", is not AM %
  EXPECT_EQ(metric_for_label("Age (years)"), std::nullopt);
  EXPECT_EQ(metric_for_label("BMC"), "bmc");
  EXPECT_EQ(match_region("11-14").name, "L1-L4");
  EXPECT_TRUE(match_region("11-14").fuzzy);
  EXPECT_FALSE(match_region("1/3").fuzzy);
}

namespace {

Value val(const char* region, const char* metric, const char* text) {
  Value v;
  v.region = region;
  v.metric = metric;
  v.text = text;
  v.number = std::stod(text);
  return v;
}

const Value& find(const std::vector<Value>& vs, const char* region, const char* metric) {
  for (const auto& v : vs)
    if (v.region == region && v.metric == metric) return v;
  throw std::runtime_error("no value");
}

}  // namespace

TEST(DexaQc, BmdEqualsBmcOverArea) {
  std::vector<Value> ok = {val("L1", "bmd", "0.909"), val("L1", "bmc", "11.84"),
                           val("L1", "area", "13.02")};
  check_page(ok);
  for (const auto& v : ok) EXPECT_TRUE(v.ok()) << v.qc_reason;
  std::vector<Value> bad = {val("L1", "bmd", "0.969"), val("L1", "bmc", "11.84"),
                            val("L1", "area", "13.02")};
  check_page(bad);
  for (const auto& v : bad) EXPECT_EQ(v.qc_status, "flagged");
}

TEST(DexaQc, TotalsAndSigns) {
  std::vector<Value> vs = {val("L1", "bmd", "0.900"),    val("L2", "bmd", "1.000"),
                           val("L3", "bmd", "0.950"),    val("L4", "bmd", "0.980"),
                           val("L1-L4", "bmd", "1.200"),  // outside its parts
                           val("L1", "t_score", "1.3"),  val("L1", "ya_pct", "87")};  // lost minus
  check_page(vs);
  EXPECT_FALSE(find(vs, "L1-L4", "bmd").ok());
  EXPECT_FALSE(find(vs, "L1", "t_score").ok());
  // Either may be the misread one: both are flagged (qc_scores.cpp, "T-score vs YA%").
  EXPECT_FALSE(find(vs, "L1", "ya_pct").ok());
}

// Hologic whole body (values of a drawn page): Head's Area unreadable, its BMD 2.094 read as
// 2.004; Total and Subtotal give the head's Area and BMC, hence its BMD.
TEST(DexaQc, WholeBodyPartFromTotalLessSubtotal) {
  std::vector<Value> vs = {val("Subtotal", "area", "1851.85"), val("Subtotal", "bmc", "1751.83"),
                           val("Subtotal", "bmd", "0.946"),    val("Head", "bmc", "455.23"),
                           val("Head", "bmd", "2.094"),        val("Total", "area", "2069.26"),
                           val("Total", "bmc", "2207.06"),     val("Total", "bmd", "1.067")};
  auto right = vs;
  check_page(right);
  for (const auto& v : right) EXPECT_TRUE(v.ok()) << v.region << " " << v.metric << v.qc_reason;
  vs[4] = val("Head", "bmd", "2.004");
  check_page(vs);
  EXPECT_FALSE(find(vs, "Head", "bmd").ok());
  EXPECT_NE(find(vs, "Head", "bmd").qc_reason.find("less the other parts"), std::string::npos);
}

TEST(DexaQc, LeftRightMeanAndDiff) {
  std::vector<Value> vs = {val("Neck Left", "bmd", "0.816"), val("Neck Right", "bmd", "0.845"),
                           val("Neck Mean", "bmd", "0.831"), val("Neck Diff.", "bmd", "0.029")};
  check_page(vs);
  for (const auto& v : vs) EXPECT_TRUE(v.ok()) << v.region << " " << v.qc_reason;
  vs[2] = val("Neck Mean", "bmd", "0.881");
  check_page(vs);
  EXPECT_FALSE(find(vs, "Neck Mean", "bmd").ok());
}

TEST(DexaQc, DecimalPlacedByRatioOnlyWhenUnique) {
  std::vector<Value> vs = {val("L1", "bmd", "0.909"), val("L1", "area", "13.02")};
  Value lost;
  lost.region = "L1";
  lost.metric = "bmc";
  lost.text = "1184";
  lost.flag("no decimal point, position unknown");
  vs.push_back(lost);
  check_page(vs);
  const auto& v = find(vs, "L1", "bmc");
  ASSERT_TRUE(v.number);
  EXPECT_EQ(v.text, "11.84");
  EXPECT_EQ(v.qc_status, "repaired");
}

namespace {

// A found table of `layout` with `columns`, and a row named `name` as read with `conf`.
ParsedTable table_of(const char* layout, std::vector<std::string> columns) {
  ParsedTable t;
  t.found = true;
  t.layout = layout;
  t.columns = std::move(columns);
  return t;
}

TableRow named_row(const char* name, float conf = 99) {
  TableRow r;
  r.region_raw = name;
  r.region = match_region(name);
  r.region_conf = conf;
  return r;
}

Cell cell(const char* raw, float conf, float min_conf, const char* reread, float reread_conf) {
  Cell c;
  c.raw = raw;
  c.conf = conf;
  c.min_conf = min_conf;
  c.reread = reread;
  c.reread_conf = reread_conf;
  return c;
}

}  // namespace

// The spec's Area/BMC ranges are for a vertebra or a hip; a whole skeleton is ten times larger, so
// a total-body table's Total is not "outside plausible range" while the same numbers in a spine
// table still are.
TEST(DexaQc, TotalBodyRangesAreTheSkeletons) {
  for (const char* kind : {"total_body", "spine"}) {
    ParsedTable t;
    t.found = true;
    t.layout = "hologic";
    t.kind = kind;
    t.columns = {"area", "bmc", "bmd"};
    TableRow r;
    r.region_raw = "Total";
    r.region = match_region("Total");
    r.region_conf = 99;
    r.cells["area"] = cell("2103.45", 96, 99, "2103.45", 99);
    r.cells["bmc"] = cell("2450.12", 96, 99, "2450.12", 99);
    r.cells["bmd"] = cell("1.165", 96, 99, "1.165", 99);  // = BMC/Area
    t.rows.push_back(r);
    const auto vs = values_from_table(t);
    ASSERT_EQ(vs.size(), 3u);
    const bool body = std::string(kind) == "total_body";
    EXPECT_EQ(find(vs, "Total", "area").ok(), body)
        << kind << ": " << find(vs, "Total", "area").qc_reason;
    EXPECT_TRUE(find(vs, "Total", "bmd").ok()) << kind;
    if (!body) {
      EXPECT_NE(find(vs, "Total", "area").qc_reason.find("outside plausible range"),
                std::string::npos);
    }
  }
}

TEST(DexaQc, CellChecks) {
  ParsedTable t = table_of("lunar", {"bmd", "t_score"});
  TableRow r = named_row("L1");
  r.cells["bmd"] = cell("0.909", 96, 99, "0.909", 99);    // two reads agree
  r.cells["t_score"] = cell("-1.3", 96, 99, "-1.8", 99);  // they disagree
  t.rows.push_back(r);
  TableRow far = named_row("L2");
  far.cells["bmd"] = cell("9.909", 96, 99, "9.909", 99);    // outside 0.2–2.5
  far.cells["t_score"] = cell("-1.3", 50, 60, "-1.3", 60);  // low confidence
  t.rows.push_back(far);
  TableRow slips = named_row("L3");
  slips.cells["bmd"] = cell("0987", 96, 99, "0.987", 99);   // point lost, cell read has it
  slips.cells["t_score"] = cell("-04", 96, 99, "0.4", 99);  // minus seen by the page read only
  t.rows.push_back(slips);
  auto vs = values_from_table(t);
  ASSERT_EQ(vs.size(), 6u);
  EXPECT_TRUE(find(vs, "L3", "bmd").ok()) << find(vs, "L3", "bmd").qc_reason;
  EXPECT_EQ(find(vs, "L3", "bmd").text, "0.987");
  EXPECT_EQ(find(vs, "L3", "t_score").text, "-0.4");
  EXPECT_EQ(find(vs, "L3", "t_score").qc_status, "repaired");
  EXPECT_TRUE(find(vs, "L1", "bmd").ok());
  EXPECT_FALSE(find(vs, "L1", "t_score").ok());
  EXPECT_FALSE(find(vs, "L2", "bmd").ok());
  EXPECT_FALSE(find(vs, "L2", "t_score").ok());
  EXPECT_EQ(find(vs, "L1", "bmd").unit, "g/cm2");
}

// A digit every look misread alike (5 read 3 in a BMC, 0 read 9 in a BMD) is set right only
// where arithmetic leaves one choice: BMD = BMC/Area and the sum of the parts. A row under no
// sum keeps its read, flagged.
TEST(DexaQc, OneDigitRepairedByArithmeticOnly) {
  ParsedTable t = table_of("hologic", {"area", "bmc", "bmd"});
  struct R {
    const char *name, *area, *bmc, *bmd;
  };
  for (const R& r :
       {R{"L1", "15.00", "13.50", "0.900"}, R{"L2", "60.00", "34.60", "0.910"},
        R{"L3", "16.00", "16.00", "1.090"}, R{"L4", "20.00", "22.00", "1.100"},
        R{"L1-L4", "111.00", "106.10", "0.956"}, R{"Ward's", "1.00", "0.71", "0.910"}}) {
    TableRow row = named_row(r.name);
    row.cells["area"] = cell(r.area, 96, 99, r.area, 99);
    row.cells["bmc"] = cell(r.bmc, 96, 99, r.bmc, 99);
    row.cells["bmd"] = cell(r.bmd, 96, 99, r.bmd, 99);
    t.rows.push_back(row);
  }
  auto vs = values_from_table(t);
  repair_misread_digits(vs);
  check_page(vs);
  const auto& bmc = find(vs, "L2", "bmc");
  EXPECT_EQ(bmc.text, "54.60");
  EXPECT_EQ(bmc.qc_status, "repaired") << bmc.qc_reason;
  EXPECT_EQ(find(vs, "L3", "bmd").text, "1.000");
  EXPECT_EQ(find(vs, "L3", "bmd").qc_status, "repaired");
  EXPECT_TRUE(find(vs, "L4", "bmd").ok()) << find(vs, "L4", "bmd").qc_reason;
  EXPECT_EQ(find(vs, "Ward's", "bmc").text, "0.71");  // no sum to confirm a change
  EXPECT_FALSE(find(vs, "Ward's", "bmc").ok());
}

// Two reads lost a 90-ppi leading 1 ("12" for YA% 112, out of range): the one read in range
// is the value, flagged; reads in range that differ give no choice.
TEST(DexaQc, OutOfRangeValueTakesTheOnlyReadInRange) {
  ParsedTable t = table_of("hologic", {"ya_pct"});
  TableRow r = named_row("L3");
  r.cells["ya_pct"] = cell("112", 96, 99, "12", 99);
  r.cells["ya_pct"].third = "12";
  t.rows.push_back(r);
  TableRow two = named_row("L4");
  two.cells["ya_pct"] = cell("14", 96, 99, "114", 99);
  two.cells["ya_pct"].third = "14";
  two.cells["ya_pct"].column = "104";
  t.rows.push_back(two);
  const auto vs = values_from_table(t);
  const auto& v = find(vs, "L3", "ya_pct");
  EXPECT_EQ(v.text, "112");
  EXPECT_EQ(v.qc_status, "flagged");
  EXPECT_NE(v.qc_reason.find("outside plausible range as '12'"), std::string::npos) << v.qc_reason;
  EXPECT_EQ(find(vs, "L4", "ya_pct").text, "14");
  EXPECT_FALSE(find(vs, "L4", "ya_pct").ok());
  ParsedTable diff = table_of("lunar", {"ya_pct"});  // a Diff. row allows small numbers
  TableRow d = named_row("Total Diff.");
  d.cells["ya_pct"] = cell("06", 96, 99, "06", 99);
  diff.rows.push_back(d);
  const auto dv = values_from_table(diff);
  EXPECT_NE(find(dv, "Total Diff.", "ya_pct").qc_reason.find("leading zero"), std::string::npos);
}

// Page and cell reads that agree are not enough when another look disagrees or the glyphs were
// faint: the 90-ppi ladder's wrong values with status ok were of these kinds (YA% 101 read 102
// by page and cell, 101 by the column; T-score 0.9 read 0.3 by every read with word confidence
// 83; -0.6 read 0.6, word confidence 68).
TEST(DexaQc, AgreeingReadsAreNotOkAgainstAnotherLookOrFaintGlyphs) {
  ParsedTable t = table_of("lunar", {"ya_pct", "t_score"});
  TableRow r = named_row("L3-L4");
  r.cells["ya_pct"] = cell("102", 96, 99, "102", 99);
  r.cells["ya_pct"].column = "101";
  r.cells["t_score"] = cell("0.3", 83, 97, "0.3", 97);
  r.cells["t_score"].column = "0.3";
  t.rows.push_back(r);
  TableRow misread = named_row("L2", 89);  // "L1" read "L2", word confidence 24: L1's values
  misread.region_word_conf = 24;
  misread.cells["ya_pct"] = cell("106", 96, 99, "106", 99);
  t.rows.push_back(misread);
  TableRow same = named_row("L1");  // every look agrees, glyphs sharp: ok
  same.cells["ya_pct"] = cell("98", 96, 99, "98", 99);
  same.cells["ya_pct"].column = "98";
  same.cells["t_score"] = cell("-0.2", 92, 99, "-0.2", 99);
  same.cells["t_score"].column = "-02";  // the column lost the point only: the same number
  t.rows.push_back(same);
  QcOptions small;
  small.small_glyphs = true;
  const auto vs = values_from_table(t, small);
  // On a page of readable glyphs two agreeing reads outweigh the word confidence.
  EXPECT_TRUE(find(values_from_table(t), "L3-L4", "t_score").ok());
  const auto& pct = find(vs, "L3-L4", "ya_pct");
  EXPECT_FALSE(pct.ok());
  EXPECT_NE(pct.qc_reason.find("column read says '101'"), std::string::npos) << pct.qc_reason;
  const auto& score = find(vs, "L3-L4", "t_score");
  EXPECT_FALSE(score.ok());
  EXPECT_NE(score.qc_reason.find("word confidence"), std::string::npos) << score.qc_reason;
  EXPECT_TRUE(find(vs, "L1", "ya_pct").ok()) << find(vs, "L1", "ya_pct").qc_reason;
  EXPECT_FALSE(find(vs, "L2", "ya_pct").ok());
  EXPECT_TRUE(find(vs, "L1", "t_score").ok()) << find(vs, "L1", "t_score").qc_reason;
}

// The reads share their digits but none kept the point where the layout prints one: the point
// comes from a read that has it, or from the printed decimals when two reads agree; repaired,
// never ok. A minus read as "-O" with the letter S for 5 still gives the sign.
TEST(DexaQc, DigitsSharedByReadsThatLostThePoint) {
  ParsedTable t = table_of("hologic", {"area", "t_score"});
  auto row_of = [&](const char* name, Cell area, Cell score) {
    TableRow r = named_row(name);
    r.cells["area"] = area;
    r.cells["t_score"] = score;
    t.rows.push_back(r);
  };
  Cell head = cell("21707", 95, 99, "21707", 99);
  head.third = "217.07";
  head.third_conf = 99;
  head.column = "21707";
  Cell neg = cell("-OS", 95, 99, "05", 99);
  neg.column = "05";
  row_of("Head", head, neg);
  row_of("T Spine", cell("12130", 95, 99, "12130", 99), cell("0.3", 95, 99, "0.3", 99));
  row_of("Pelvis", cell("217Al", 95, 99, "2174", 99), cell("0.3", 95, 99, "0.3", 99));
  const auto vs = values_from_table(t);
  EXPECT_EQ(find(vs, "Head", "area").text, "217.07");
  EXPECT_EQ(find(vs, "Head", "area").qc_status, "repaired") << find(vs, "Head", "area").qc_reason;
  EXPECT_EQ(find(vs, "T Spine", "area").text, "121.30");
  EXPECT_EQ(find(vs, "T Spine", "area").qc_status, "repaired");
  EXPECT_FALSE(find(vs, "Pelvis", "area").number);  // "217Al" / "2174": no two reads agree
  EXPECT_EQ(find(vs, "Head", "t_score").text, "-0.5");
  EXPECT_FALSE(find(vs, "Head", "t_score").ok());
}

namespace {

Page page(const char* path, const char* pid, std::vector<Value> values) {
  Page p;
  p.source_path = path;
  p.patient_id = pid;
  p.exam_date = "20240101";
  p.site = "spine";
  p.values = std::move(values);
  return p;
}

}  // namespace

TEST(DexaDedup, IdenticalCollapseConflictKeepsMostComplete) {
  std::vector<Page> pages = {
      page("a", "P1", {val("L1", "bmd", "0.9")}),
      page("b", "P1", {val("L1", "bmd", "0.9")}),
      page("c", "P2", {val("L1", "bmd", "0.9")}),
      page("d", "P2", {val("L1", "bmd", "0.9"), val("L1", "t_score", "-1.0")}),
      page("e", "", {val("L1", "bmd", "0.9")}),
      page("f", "", {val("L1", "bmd", "0.9")})};
  auto s = dedup(pages);
  EXPECT_EQ(s.collapsed_groups, 1u);
  EXPECT_EQ(s.conflict_groups, 1u);
  EXPECT_EQ(s.pages_dropped, 2u);
  ASSERT_EQ(pages.size(), 4u);  // a, d, e, f: no patient ID is never merged
  EXPECT_EQ(pages[0].source_path, "a");
  EXPECT_EQ(pages[0].duplicate, "collapsed:2");
  EXPECT_EQ(pages[1].source_path, "d");
  EXPECT_EQ(pages[1].duplicate, "conflict:2");
}

TEST(DexaFilter, HeaderAndSite) {
  Instance inst;
  inst.rows = 100;
  inst.columns = 100;
  inst.sop_class_uid = "1.2.840.10008.5.1.4.1.1.7";
  inst.protocol_name = "AP Spine";
  EXPECT_TRUE(classify(inst, {}).ok);
  inst.protocol_name = "Chest PA";
  EXPECT_FALSE(classify(inst, {}).ok);
  inst.protocol_name = "Whole Body";  // Hologic's name for a total body scan
  EXPECT_TRUE(classify(inst, {}).ok);
  inst.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
  inst.modality = "CT";
  inst.protocol_name = "Lumbar spine";
  EXPECT_FALSE(classify(inst, {}).ok);  // a CT of the spine is not a report page
  EXPECT_EQ(site_from_text("DualFemur"), "dual_femur");
  EXPECT_EQ(site_from_text("Left Femur"), "left_femur");
  EXPECT_EQ(site_from_text("AP Spine"), "spine");
  EXPECT_EQ(site_from_text("Total Body"), "total_body");
}

TEST(DexaPreprocess, ScalesToTextHeightAndKeepsBothPictures) {
  // A page of 7-px "glyphs" (as a 90-ppi export prints them): scaled so they are ~28 px.
  dicom::GrayImage g;
  g.width = 300;
  g.height = 200;
  g.pixels.assign(300 * 200, 255);
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 20; ++c)
      for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 4; ++x)
          if (x == 0 || y == 0 || y == 6)  // a "C"-like glyph: not a filled box
            g.pixels[static_cast<std::size_t>((20 + r * 25 + y) * 300 + 10 + c * 12 + x)] = 20;
  EXPECT_NEAR(measure_text_height(g), 7, 0.5);
  auto p = preprocess(g);
  EXPECT_NEAR(p.scale, 4.0, 0.01);
  EXPECT_EQ(p.image.width, 1200);
  EXPECT_EQ(p.alt.width, 1200);
  bool gray_levels = false;
  for (auto v : p.image.pixels) gray_levels |= v != 0 && v != 255;
  EXPECT_TRUE(gray_levels);  // the page pass reads gray by default
  for (auto v : p.alt.pixels) EXPECT_TRUE(v == 0 || v == 255);
  PreprocessOptions bin;
  bin.binarize = true;
  for (auto v : preprocess(g, bin).image.pixels) EXPECT_TRUE(v == 0 || v == 255);
}

TEST(DexaPreprocess, LanczosKeepsFlatAreasAndEdges) {
  dicom::GrayImage g;
  g.width = 10;
  g.height = 4;
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 10; ++x) g.pixels.push_back(x < 5 ? 0 : 255);
  auto up = resize_lanczos(g, 3.0);
  ASSERT_EQ(up.width, 30);
  ASSERT_EQ(up.height, 12);
  EXPECT_EQ(up.pixels[6 * 30 + 2], 0);
  EXPECT_EQ(up.pixels[6 * 30 + 27], 255);
  auto down = resize_lanczos(up, 0.5);
  EXPECT_EQ(down.width, 15);
}

TEST(DexaScanDate, FoundAndCompared) {
  std::vector<OcrWord> words = {{"Scan", 10, 100, 60, 120, 95, 99},
                                {"Date:", 70, 100, 120, 120, 95, 99},
                                {"04.05.2020", 130, 100, 250, 120, 95, 99},
                                {"14/01/2019", 130, 400, 250, 420, 95, 99}};
  EXPECT_EQ(find_scan_date(words), "04.05.2020");
  EXPECT_TRUE(same_date("04.05.2020", "20200504"));
  EXPECT_TRUE(same_date("05/04/2020", "20200504"));  // month first
  EXPECT_TRUE(same_date("2020-05-04", "20200504"));
  EXPECT_FALSE(same_date("04.06.2020", "20200504"));
  EXPECT_EQ(find_scan_date({}), "");
}

// At 90 ppi Tesseract's page pass reads a score's minus as a double quote mark ("“1.2") and the
// digits-only cell reads drop it ("1.2"): the value must come out -1.2, repaired (the reads
// disagree), never 1.2 and ok.
TEST(DexaCellReread, QuoteForMinusInScoreColumns) {
  ParsedTable t;
  t.found = true;
  t.layout = "hologic";
  t.columns = {"bmd", "t_score", "z_score"};
  TableRow row;
  row.region = match_region("L1");
  row.region_raw = "L1";
  row.region_conf = 96;
  auto cell = [](const char* raw, const char* again) {
    Cell c;
    c.raw = raw;
    c.reread = again;
    c.conf = c.min_conf = c.reread_conf = 96;
    c.box = {40, 40, 80, 60};
    return c;
  };
  row.cells["bmd"] = cell("\u201c0.804", "0.804");  // not a score column: left alone
  row.cells["t_score"] = cell("\u201c1.2", "1.2");
  row.cells["z_score"] = cell("-\u201c14", "14");
  t.rows.push_back(row);
  dicom::GrayImage white;
  white.width = white.height = 100;
  white.pixels.assign(100 * 100, 255);
  mark_lost_minus(t, white);
  EXPECT_EQ(t.rows[0].cells["t_score"].raw, "-1.2");
  EXPECT_EQ(t.rows[0].cells["z_score"].raw, "-14");
  EXPECT_EQ(t.rows[0].cells["bmd"].raw, "\u201c0.804");
  auto vs = values_from_table(t);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[1].text, "-1.2");
  EXPECT_EQ(vs[1].qc_status, "repaired");
  EXPECT_EQ(vs[2].text, "-1.4");
  EXPECT_FALSE(vs[2].ok());
  // Two reads without the minus, the column read with it: the minus is kept, as a repair.
  t.rows[0].cells["t_score"] = cell("0.6", "0.6");
  t.rows[0].cells["t_score"].column = "-0.6";
  vs = values_from_table(t);
  EXPECT_EQ(vs[1].text, "-0.6");
  EXPECT_EQ(vs[1].qc_status, "repaired");
}

// A 90-ppi minus after the upscale is a faint gray bar (~170 where digits are black): it is ink
// for the dash look, which Otsu's split alone missed. A minus read as "4" ("40.3", "-40.7") is
// taken back out when another read has the digits without it.
TEST(DexaCellReread, FaintDashAndMinusReadAsFour) {
  dicom::GrayImage page;
  page.width = 400;
  page.height = 100;
  page.pixels.assign(400 * 100, 255);
  auto fill = [&](int x0, int y0, int x1, int y1, std::uint8_t v) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) page.pixels[static_cast<std::size_t>(y) * 400 + x] = v;
  };
  for (int x = 170; x < 260; x += 12) fill(x, 40, x + 5, 70, 0);  // other digits: black ink
  const Box box{60, 40, 100, 70};                                 // the cell, h = 30
  fill(62, 40, 67, 70, 0);                                        // its "1"
  fill(40, 53, 52, 57, 170);                                      // the faint dash
  fill(302, 53, 314, 57, 170);                                    // another, for "40.3"
  ParsedTable t;
  t.found = true;
  t.layout = "lunar";
  t.columns = {"t_score", "z_score"};
  TableRow row;
  row.region = match_region("L1");
  row.region_raw = "L1";
  row.region_conf = 96;
  Cell faint;
  faint.raw = faint.reread = "1.3";
  faint.box = box;
  Cell four;
  four.raw = "40.3";
  four.reread = "43";
  four.third = "0.3";
  four.box = {320, 40, 390, 70};
  row.cells["t_score"] = faint;
  row.cells["z_score"] = four;
  t.rows.push_back(row);
  TableRow other = row;
  other.region = match_region("L2");
  other.region_raw = "L2";
  other.cells.erase("z_score");
  other.cells["t_score"].raw = "-40.7";
  other.cells["t_score"].reread = "0.7";
  other.cells["t_score"].box = {120, 40, 160, 70};  // white: no dash, the page read has the minus
  t.rows.push_back(other);
  mark_lost_minus(t, page);
  EXPECT_EQ(t.rows[0].cells["t_score"].raw, "-1.3");
  EXPECT_EQ(t.rows[0].cells["z_score"].raw, "-0.3");
  EXPECT_EQ(t.rows[1].cells["t_score"].raw, "-0.7");
}
