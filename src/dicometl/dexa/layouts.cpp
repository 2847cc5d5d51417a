// The data behind layouts.hpp. Sources: ../../../docs/dexa.md and the shared DXA spec.
#include "dicometl/dexa/layouts.hpp"

#include <algorithm>
#include <cctype>

#include "dicometl/dexa/cell_text.hpp"

namespace dicometl::dexa {

const std::vector<MetricInfo>& metrics() {
  // Ranges from the spec. Percentages have no range there: 20–250 % keeps OCR garbage out
  // without judging patients. Difference rows are small by nature, hence diff_max. The spec's
  // Area 1–300 cm² is a spine/hip range ("total body larger"): a whole skeleton is ~2,000–2,800
  // cm² and ~2,000–4,000 g in adults, so total-body tables allow 4,000 cm² and 6,000 g.
  static const std::vector<MetricInfo> m = {
      {"bmd", "g/cm2", 0.2, 2.5, 0.5},    {"bmc", "g", 0.5, 3000, 100, 6000},
      {"area", "cm2", 1, 300, 50, 4000},  {"t_score", "{T-score}", -7, 5, 4},
      {"z_score", "{Z-score}", -7, 5, 4}, {"ya_pct", "%", 20, 250, 50},
      {"am_pct", "%", 20, 250, 50},
  };
  return m;
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : metrics())
    if (m.name == name) return &m;
  return nullptr;
}

const std::vector<HeaderRule>& header_rules() {
  // Order matters: score columns first (GE prints "YA T-score" and "AM Z-score"), then
  // percentages, then the physical quantities. Tokens are whole words; "t-" "score" is the
  // Hologic two-line label. OCR reads Z as 2.
  static const std::vector<HeaderRule> r = {
      {{"region"}, "region"},
      {{"t-score"}, "t_score"},
      {{"tscore"}, "t_score"},
      {{"t-", "score"}, "t_score"},
      {{"t", "score"}, "t_score"},
      {{"z-score"}, "z_score"},
      {{"zscore"}, "z_score"},
      {{"z-", "score"}, "z_score"},
      {{"z", "score"}, "z_score"},
      {{"2-score"}, "z_score"},
      {{"2-", "score"}, "z_score"},
      // The first label line alone (OCR lost the "score" line below): a lone "T-" / "Z-" is
      // still only ever a score label.
      {{"t-"}, "t_score"},
      {{"z-"}, "z_score"},
      {{"2-"}, "z_score"},
      {{"young-adult"}, "ya_pct"},
      {{"young"}, "ya_pct"},
      {{"ya"}, "ya_pct"},
      {{"ya%"}, "ya_pct"},
      {{"pr"}, "ya_pct"},
      {{"age-matched"}, "am_pct"},
      {{"age-", "matched"}, "am_pct"},
      {{"age", "matched"}, "am_pct"},
      {{"am"}, "am_pct"},
      {{"am%"}, "am_pct"},
      {{"bmd"}, "bmd"},
      {{"bmc"}, "bmc"},
      {{"area"}, "area"},
      {{"width"}, ""},
      {{"height"}, ""},
  };
  return r;
}

namespace {

// The OCR confusions of printed labels, folded to one letter: rn/m, o/e/c/0, l/1/I/|/!, S/5/$,
// B/8, Z/2, D/O. Short words (BMD, BMC, PR, AM) keep o/e/c apart: "BMC" must not become "BMD"'s
// twin.
std::string fold_confusions(std::string_view s, bool long_word) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    if (c == 'r' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += 'm';
      ++i;
      continue;
    }
    switch (c) {
      case 'e':
      case 'c':
        if (long_word) c = 'o';
        break;
      case '0': c = 'o'; break;
      case '1':
      case 'i':
      case '|':
      case '!': c = 'l'; break;
      case '5':
      case '$': c = 's'; break;
      case '8': c = 'b'; break;
      case 'd': c = 'o'; break;  // "BMO" for BMD
      case '2': c = 'z'; break;
      default: break;
    }
    out += c;
  }
  return out;
}

// A label token as rules see it: dashes folded, lower case, trailing punctuation dropped
// (keeps '-' and '%'); empty for a unit in parentheses ("(g/cm²)" read as "(am)", "(%)").
std::string label_token(std::string_view raw) {
  std::string t = label_key(raw);
  if (t.empty() || t.front() == '(' || (t.back() == ')' && t.find('(') == std::string::npos))
    return "";
  // Leading marks ("/Young-", "'BMD") are specks or rules next to the label.
  while (!t.empty() && !std::isalnum(static_cast<unsigned char>(t.front()))) t.erase(0, 1);
  // Trailing marks ("BMD_~", "T-score:") likewise; a final '-' or '%' is part of the label.
  while (!t.empty() && !std::isalnum(static_cast<unsigned char>(t.back())) && t.back() != '-' &&
         t.back() != '%')
    t.pop_back();
  if (t == "%" || t == "-") return "";
  return t;
}

}  // namespace

bool header_token_matches(std::string_view token, std::string_view word) {
  const bool long_word = word.size() >= 4;
  // A dash OCR adds after a short label ("PR-" beside "T-" and "Z-") is not part of it.
  if (token.size() > 1 && token.back() == '-' && !word.ends_with('-')) token.remove_suffix(1);
  const std::string a = fold_confusions(token, long_word);
  const std::string b = fold_confusions(word, long_word);
  if (a == b) return true;
  // "T-" / "Z-" (Hologic's first label line) with one speck or doubled letter before it: "zZ-".
  if (b.size() == 2 && b.back() == '-' && a.size() == 3 && a.ends_with(b)) return true;
  // A compound label cut short after its dash ("Young-Ad" where "ult" stands apart at 90 ppi).
  if (const auto dash = b.find('-'); long_word && dash != std::string::npos && dash >= 3 &&
                                     dash + 1 < b.size() && a.size() > dash + 1 &&
                                     a.size() < b.size() && b.starts_with(a))
    return true;
  // One edit, never in the first letter: "Z-score" is one letter from "T-score".
  return long_word && a.size() >= 3 && a.front() == b.front() && edit_distance(a, b) <= 1;
}

std::optional<std::string> metric_for_label(std::string_view label) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (auto t = label_token(cur); !t.empty()) tokens.push_back(t);
    cur.clear();
  };
  for (char c : label) {
    if (c == ' ')
      flush();
    else
      cur += c;
  }
  flush();
  // A label with "score" in it names a score ("YA FScore": GE's "YA T-Score" with its T lost),
  // never the YA % or AM % its first word would.
  const bool scoreish = has_score_word(label);
  for (const auto& rule : header_rules()) {
    if (scoreish && (rule.metric == "ya_pct" || rule.metric == "am_pct")) continue;
    const std::size_t n = rule.tokens.size();
    for (std::size_t i = 0; i + n <= tokens.size(); ++i) {
      bool all = true;
      for (std::size_t k = 0; k < n && all; ++k)
        all = header_token_matches(tokens[i + k], rule.tokens[k]);
      if (all) return rule.metric;
    }
  }
  // The unit names the column when the words do not: OCR lost the line of names above the line
  // of units (a whole header line skipped), or garbled the name ("Buc (g)" at 90 ppi). Area,
  // BMC and BMD each have a unit no other column has.
  const std::string key = label_key(label);
  const auto open = key.find('(');
  if (tokens.empty() || open != std::string::npos) {
    // Letters only, with the OCR confusions of units: '/' read as i, l or 1 ("(gicm')"), c as
    // e, g as 9; a trailing '2' or '?' is the superscript.
    std::string unit;
    for (char c : key.substr(open == std::string::npos ? 0 : open))
      if (std::isalnum(static_cast<unsigned char>(c))) unit += c == '9' ? 'g' : c == 'e' ? 'c' : c;
    while (!unit.empty() && unit.back() == '2') unit.pop_back();
    if (unit.ends_with("cn")) unit.back() = 'm';  // "(gicn*)"
    // "g/cm" with the slash read as i, l or 1, or with the g lost ("lem')" at 90 ppi): only
    // BMD's unit has a slash before "cm".
    const bool slash_cm =
        unit.size() >= 3 && unit.ends_with("cm") &&
        std::string_view("il1").find(unit[unit.size() - 3]) != std::string_view::npos;
    // "(gm)": g/cm² with "/c" lost; only BMD's unit has both a g and an m.
    if (unit == "gcm" || unit == "gm" || slash_cm) return "bmd";
    if (unit == "g" || unit == "gg") return "bmc";  // "(9g)": the parenthesis read as 9
    if (unit == "cm") return "area";
  }
  return std::nullopt;
}

const std::vector<std::string>& column_label_words() {
  static const std::vector<std::string> w = {"young-adult", "age-matched", "t-score", "z-score",
                                             "bmd",         "bmc",         "area",    "region"};
  return w;
}

const std::vector<std::string>& non_results_header_words() {
  static const std::vector<std::string> w = {"date",     "change",     "measured", "trend",
                                             "baseline", "previous",   "fat",      "lean",
                                             "mass",     "age(years)", "years",    "exam"};
  return w;
}

const std::vector<Layout>& layouts() {
  // Both vendors print the same decimals today; each layout keeps its own table so that a vendor
  // that prints otherwise is one entry, not a special case.
  const std::vector<std::pair<std::string, int>> common = {
      {"bmd", 3},     {"bmc", 2},    {"area", 2},  {"t_score", 1},
      {"z_score", 1}, {"ya_pct", 0}, {"am_pct", 0}};
  static const std::vector<Layout> l = {
      {"hologic", {"hologic", "horizon", "discovery", "apex", "qdr"}, common, true},
      {"lunar", {"lunar", "encore", "idxa", "prodigy", "dpx"}, common, true},
      // Recognised so that its pages are not read with another vendor's rules; not validated.
      {"norland", {"norland", "illuminatus", "stratos", "swissray"}, common, false},
  };
  return l;
}

const Layout* find_layout(std::string_view name) {
  for (const auto& l : layouts())
    if (l.name == name) return &l;
  return nullptr;
}

int expected_decimals(const Layout& layout, std::string_view metric) {
  for (const auto& [m, d] : layout.decimals)
    if (m == metric) return d;
  return -1;
}

const std::vector<std::string>& region_names() {
  static const std::vector<std::string> r = {
      // spine: single vertebrae and the ranges both vendors print
      "T12", "L1", "L2", "L3", "L4", "L5", "L1-L2", "L1,L3", "L1,L4", "L2-L3", "L2,L4", "L3-L4",
      "L1-L3", "L1-L2,L4", "L1,L3-L4", "L2-L4", "L1-L4", "L1-L5",
      // femur (Hologic single hip; GE dual femur)
      "Neck", "Upper Neck", "Lower Neck", "Ward's", "Troch", "Shaft", "Inter", "Total", "Neck Left",
      "Neck Right", "Neck Mean", "Neck Diff.", "Total Left", "Total Right", "Total Mean",
      "Total Diff.", "Neck |Diff.|", "Total |Diff.|",
      // forearm
      "1/3", "Radius 33%", "UD", "MID", "Radius UD", "Radius Total", "Ulna Total",
      // total body
      "Head", "Arms", "Legs", "Trunk", "Ribs", "Pelvis", "Spine", "L Arm", "R Arm", "L Leg",
      "R Leg", "L Ribs", "R Ribs", "T Spine", "L Spine", "Subtotal"};
  return r;
}

const std::vector<std::string>& section_names() {
  static const std::vector<std::string> s = {"Neck",   "Total", "Troch",  "Inter",
                                             "Ward's", "Shaft", "Radius", "Ulna"};
  return s;
}

const std::vector<std::string>& section_sub_rows() {
  static const std::vector<std::string> s = {"Left", "Right", "Mean", "Diff.", "|Diff.|",
                                             "UD",   "MID",   "1/3",  "Total"};
  return s;
}

bool has_score_word(std::string_view label) {
  std::string word;
  auto ends_in_score = [](const std::string& w) {
    if (w.find("score") != std::string::npos) return true;
    for (std::size_t k = 4; k <= 6 && k <= w.size(); ++k)
      if (edit_distance(w.substr(w.size() - k), "score") <= 1) return true;
    return false;
  };
  for (char c : label_key(label) + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += c;
    } else {
      if (word.size() >= 4 && ends_in_score(word)) return true;
      word.clear();
    }
  }
  return false;
}

const std::vector<SectionSequence>& section_sequences() {
  static const std::vector<SectionSequence> s = {
      {{"Neck", "Total"}, {"Left", "Right", "Mean", "Diff."}}};
  return s;
}

const std::vector<std::vector<std::string>>& region_sequences() {
  static const std::vector<std::vector<std::string>> s = [] {
    std::vector<std::vector<std::string>> seqs = {
        {"L1", "L2", "L3", "L4"},
        {"Neck", "Troch", "Inter", "Total"},
        {"UD", "MID", "1/3", "Total"},
        // Hologic whole body, in its printed order.
        {"L Arm", "R Arm", "L Ribs", "R Ribs", "T Spine", "L Spine", "Pelvis", "L Leg", "R Leg",
         "Subtotal", "Head", "Total"},
        // GE total body, in its printed order.
        {"Head", "Arms", "Legs", "Trunk", "Ribs", "Pelvis", "Spine", "Total"},
    };
    // Dual hip, from its sections (Hologic sub-rows, GE "Neck Left" …): each section's rows,
    // always all of them, and all sections in their printed order, for names lost across a
    // section's boundary.
    for (const auto& sec : section_sequences()) {
      std::vector<std::string> all;
      for (const auto& section : sec.sections) {
        std::vector<std::string> one;
        for (const auto& sub : sec.sub_rows) one.push_back(section + " " + sub);
        all.insert(all.end(), one.begin(), one.end());
        seqs.push_back(std::move(one));
      }
      seqs.push_back(std::move(all));
    }
    return seqs;
  }();
  return s;
}

const std::vector<std::string>& table_stop_words() {
  static const std::vector<std::string> w = {"trend",     "measured",  "comment",  "comments",
                                             "reference", "ancillary", "who",      "printed",
                                             "fracture",  "frax",      "physician"};
  return w;
}

}  // namespace dicometl::dexa
