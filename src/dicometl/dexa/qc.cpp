#include "dicometl/dexa/qc.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "dicometl/dexa/layouts.hpp"
#include "dicometl/dexa/qc_scores.hpp"

namespace dicometl::dexa {

namespace {

const Layout& layout_named(const std::string& name) {
  for (const auto& l : layouts())
    if (l.name == name) return l;
  return layouts().front();
}

constexpr const char* kNoPoint = "no decimal point, position unknown";

// Letters OCR reads for digits in a value cell ("-OS" for -0.5): only to compare digit strings.
std::string fold_letters(std::string t) {
  for (char& c : t)
    if (const char d = digit_for_letter(c)) c = d;
  return t;
}

struct Agreed {
  CellNumber number;
  std::string why;
  const char* status;
  float conf;
};

// No read gave a usable number on its own terms, but the reads share their digits: the 90-ppi
// point is the glyph they lose ("21707" three times, "217.07" once). A well-formed read whose
// digits another read confirms gives the value; two reads with the same digits and no point at
// all get the point the layout prints (BMC "12130" with 2 decimals is 121.30: a dropped digit
// would make the number wrong wherever the point went, and BMC/Area then flags it). A single
// well-formed read stands alone, flagged. Never ok.
template <class WellFormed>
std::optional<Agreed> digits_agree(const Cell& cell, int decimals, const WellFormed& well_formed) {
  struct Look {
    const char* name;
    const std::string* text;
    float conf;
  };
  const Look looks[] = {{"page", &cell.raw, cell.min_conf},
                        {"cell", &cell.reread, cell.reread_conf},
                        {"other picture", &cell.third, cell.third_conf},
                        {"column", &cell.column, cell.column_conf}};
  auto key = [](const std::string& t) { return digits_of(fold_letters(t)); };
  for (const auto& w : looks) {
    if (w.text->empty()) continue;
    const auto n = read_number(*w.text, decimals);
    if (!well_formed(n)) continue;
    for (const auto& o : looks)
      if (&o != &w && !o.text->empty() && key(*o.text) == digits_of(n->text))
        return Agreed{*n,
                      std::string("point from the ") + w.name + " read ('" + *w.text +
                          "'), digits confirmed by the " + o.name + " read ('" + *o.text + "')",
                      "repaired", w.conf};
    return Agreed{*n, std::string("read only by the ") + w.name + " read ('" + *w.text + "')",
                  "flagged", w.conf};
  }
  if (decimals <= 0) return std::nullopt;
  for (const auto& a : looks) {
    const std::string d = digits_of(*a.text);
    // Only reads of digits (and a sign): "217Al" is not "217".
    if (d.size() <= static_cast<std::size_t>(decimals) ||
        d.size() + (fold_dashes(*a.text).starts_with('-') ? 1 : 0) != fold_dashes(*a.text).size())
      continue;
    for (const auto& b : looks)
      if (&b != &a && *b.text == *a.text) {
        const bool neg = fold_dashes(*a.text).starts_with('-');
        const std::size_t at = d.size() - static_cast<std::size_t>(decimals);
        CellNumber n;
        n.text = (neg ? "-" : "") + d.substr(0, at) + "." + d.substr(at);
        n.decimals = decimals;
        n.value = std::stod(n.text);
        return Agreed{n,
                      std::string("decimal point placed by the printed decimals: the ") + a.name +
                          " and " + b.name + " reads ('" + *a.text + "') lost it",
                      "repaired", std::min(a.conf, b.conf)};
      }
  }
  return std::nullopt;
}

bool is_diff_row(const std::string& region) { return region.find("Diff") != std::string::npos; }

// Index of values by (region, metric) for the page checks.
struct Index {
  std::vector<Value>& values;
  Value* get(const std::string& region, const std::string& metric) {
    for (auto& v : values)
      if (v.region == region && v.metric == metric && v.number) return &v;
    return nullptr;
  }
};

void flag_all(std::initializer_list<Value*> vs, const std::string& reason) {
  for (Value* v : vs)
    if (v) v->flag(reason);
}

// Values printed with d decimals carry up to half a unit of the last place of rounding error.
double half_ulp(int decimals) { return 0.5 * std::pow(10.0, -decimals); }

// BMD = BMC / Area within the rounding of the three printed numbers: BMD's own rounding and
// the propagated rounding of BMC and Area, with a small margin.
bool ratio_holds(double bmd, double bmc, double area) {
  if (area <= 0 || bmc <= 0) return false;
  const double ratio = bmc / area;
  const double tol = half_ulp(3) + ratio * (half_ulp(2) / bmc + half_ulp(2) / area) + 1e-4;
  return std::abs(ratio - bmd) <= tol;
}

void check_bmd_ratio(Index& ix, const std::string& region) {
  // Hologic dual hip |Diff.| rows hold differences of BMD, BMC and Area: no ratio holds for them.
  if (is_diff_row(region)) return;
  Value* bmd = ix.get(region, "bmd");
  Value* bmc = ix.get(region, "bmc");
  Value* area = ix.get(region, "area");
  if (!bmd || !bmc || !area || *area->number <= 0) return;
  if (!ratio_holds(*bmd->number, *bmc->number, *area->number))
    flag_all({bmd, bmc, area},
             fmt::format("BMD {} != BMC/Area {:.4f}", bmd->text, *bmc->number / *area->number));
}

// The combined regions a layout prints with their parts: Area and BMC are the parts' sums.
const std::vector<std::pair<std::string, std::vector<std::string>>>& total_rules() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> r = {
      {"L1-L4", {"L1", "L2", "L3", "L4"}},
      {"L2-L4", {"L2", "L3", "L4"}},
      {"L1-L3", {"L1", "L2", "L3"}},
      {"L1-L2", {"L1", "L2"}},
      {"L2-L3", {"L2", "L3"}},
      {"L3-L4", {"L3", "L4"}},
      {"Total", {"Neck", "Troch", "Inter"}},
      // Hologic whole body: Subtotal is the body without the head, Total the whole.
      {"Subtotal",
       {"L Arm", "R Arm", "L Ribs", "R Ribs", "T Spine", "L Spine", "Pelvis", "L Leg", "R Leg"}},
      {"Total", {"Subtotal", "Head"}},
  };
  return r;
}

// A total and its parts for `metric` (Area or BMC), with `changed` (if any) taken as `as`:
// whether the total is the parts' sum within their rounding. nullopt when a value is missing.
struct PartsSum {
  std::vector<Value*> values;  // the total, then the parts
  double sum = 0;
  bool holds = false;
  bool involves(const Value* v) const {
    return std::find(values.begin(), values.end(), v) != values.end();
  }
};
std::optional<PartsSum> sum_of_parts(Index& ix, const std::string& total,
                                     const std::vector<std::string>& parts,
                                     const std::string& metric, const Value* changed = nullptr,
                                     double as = 0) {
  PartsSum s;
  Value* t = ix.get(total, metric);
  if (!t) return std::nullopt;
  s.values.push_back(t);
  for (const auto& p : parts) {
    Value* v = ix.get(p, metric);
    if (!v) return std::nullopt;
    s.values.push_back(v);
    s.sum += v == changed ? as : *v->number;
  }
  const double tot = t == changed ? as : *t->number;
  s.holds = std::abs(s.sum - tot) <= half_ulp(2) * static_cast<double>(parts.size() + 1) + 1e-6;
  return s;
}

// One digit misread the same way by every look (90 ppi: 5 read 3, "54.39" as "34.39"), found
// by arithmetic, not by likeness: an Area or BMC whose row fails BMD = BMC/Area and whose sum
// rules all fail, where exactly one change of one digit makes the ratio and every sum hold.
// A BMD whose Area and BMC both sum right takes the one single-digit change that fits
// BMC/Area. Repaired, with the digit named; anything less certain stays flagged.
void repair_digit_by_arithmetic(std::vector<Value>& values) {
  Index ix{values};
  auto changes_of = [](const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
      for (char d = '0'; d <= '9'; ++d) {
        if (d == text[i] || (d == '0' && i == 0 && text.size() > 1 && text[1] != '.')) continue;
        std::string c = text;
        c[i] = d;
        out.push_back(c);
      }
    }
    return out;
  };
  auto sums_of = [&](const Value& v, double as) {
    std::vector<bool> held;
    for (const auto& [total, parts] : total_rules())
      if (auto sum = sum_of_parts(ix, total, parts, v.metric, &v, as); sum && sum->involves(&v))
        held.push_back(sum->holds);
    return held;
  };
  auto all_true = [](const std::vector<bool>& b) {
    return !b.empty() && std::all_of(b.begin(), b.end(), [](bool x) { return x; });
  };
  auto apply = [](Value& v, const std::string& c) {
    v.flag(fmt::format("one digit read '{}' set to '{}': BMD = BMC/Area and the sums hold only so",
                       v.text, c),
           "repaired");
    v.text = c;
    v.number = std::stod(c);
  };
  for (auto& v : values) {
    if (!v.number || is_diff_row(v.region)) continue;
    Value* bmd = ix.get(v.region, "bmd");
    Value* bmc = ix.get(v.region, "bmc");
    Value* area = ix.get(v.region, "area");
    if (!bmd || !bmc || !area || ratio_holds(*bmd->number, *bmc->number, *area->number)) continue;
    if (v.metric == "area" || v.metric == "bmc") {
      const auto before = sums_of(v, *v.number);
      if (before.empty() || std::any_of(before.begin(), before.end(), [](bool x) { return x; }))
        continue;
      std::vector<std::string> fits;
      for (const auto& c : changes_of(v.text)) {
        const double x = std::stod(c);
        const double b = *bmd->number, m = &v == bmc ? x : *bmc->number,
                     a = &v == area ? x : *area->number;
        if (ratio_holds(b, m, a) && all_true(sums_of(v, x))) fits.push_back(c);
      }
      if (fits.size() == 1) apply(v, fits.front());
    } else if (v.metric == "bmd") {
      if (!all_true(sums_of(*bmc, *bmc->number)) || !all_true(sums_of(*area, *area->number)))
        continue;
      std::vector<std::string> fits;
      for (const auto& c : changes_of(v.text))
        if (ratio_holds(std::stod(c), *bmc->number, *area->number)) fits.push_back(c);
      if (fits.size() == 1) apply(v, fits.front());
    }
  }
}

// A part whose Area or BMC was not read (a blurred cell): the total minus the other parts gives
// them, and so the BMD the part must have.
void check_derived_part(Index& ix, const std::string& total,
                        const std::vector<std::string>& parts) {
  Value* ta = ix.get(total, "area");
  Value* tc = ix.get(total, "bmc");
  if (!ta || !tc) return;
  double area = *ta->number, bmc = *tc->number;
  Value* lone = nullptr;
  for (const auto& p : parts) {
    Value* a = ix.get(p, "area");
    Value* c = ix.get(p, "bmc");
    if (a && c) {
      area -= *a->number;
      bmc -= *c->number;
    } else if (lone || !(lone = ix.get(p, "bmd"))) {
      return;  // two parts unknown, or one without any value
    }
  }
  if (!lone || area <= 0 || bmc <= 0) return;
  const double ratio = bmc / area;
  const double err = half_ulp(2) * static_cast<double>(parts.size() + 1);
  const double tol = half_ulp(3) + err / area + ratio * err / area + 1e-4;
  if (std::abs(ratio - *lone->number) > tol)
    flag_all({lone, ta, tc}, fmt::format("{} BMD {} != (BMC / Area of {} less the other parts) "
                                         "{:.4f}",
                                         lone->region, lone->text, total, ratio));
}

// A combined region equals the sum of its parts for Area and BMC, and its BMD lies between
// theirs (it is their area-weighted mean).
void check_total(Index& ix, const std::string& total, const std::vector<std::string>& parts) {
  for (const char* metric : {"area", "bmc"})
    if (auto sum = sum_of_parts(ix, total, parts, metric); sum && !sum->holds)
      for (Value* v : sum->values)
        v->flag(fmt::format("{} {} is not the sum of its parts ({:.2f})", total, metric, sum->sum));
  check_derived_part(ix, total, parts);
  Value* t = ix.get(total, "bmd");
  if (!t) return;
  double lo = 1e9, hi = -1e9;
  std::vector<Value*> vs{t};
  for (const auto& p : parts) {
    Value* v = ix.get(p, "bmd");
    if (!v) return;
    lo = std::min(lo, *v->number);
    hi = std::max(hi, *v->number);
    vs.push_back(v);
  }
  if (*t->number < lo - 0.0015 || *t->number > hi + 0.0015)
    for (Value* v : vs) v->flag(fmt::format("{} BMD outside the range of its parts", total));
}

// GE dual femur: Mean = (Left + Right) / 2 and Diff. = |Left − Right| for BMD and T-score.
// Scores carry one decimal, so the check allows a step of 0.1 — where a digit misread by one
// (a 90-ppi "0.1" read "0.2") hides. On small glyphs a score that needs that step is not ok.
void check_left_right(Index& ix, const std::string& site, bool small_glyphs) {
  for (const char* metric : {"bmd", "t_score", "z_score"}) {
    Value* l = ix.get(site + " Left", metric);
    Value* r = ix.get(site + " Right", metric);
    if (!l || !r) continue;
    const bool bmd = std::string(metric) == "bmd";
    const int d = bmd ? 3 : 1;
    // Mean and Diff. come from unrounded values (a Mean score from the mean BMD): one step more.
    const double tol = bmd ? 2 * half_ulp(d) + 1e-6 : 0.1 + 1e-6;
    if (Value* m = ix.get(site + " Mean", metric)) {
      const double off = std::abs((*l->number + *r->number) / 2 - *m->number);
      if (off > tol)
        flag_all({l, r, m},
                 fmt::format("{} Mean {} is not the mean of Left and Right", site, metric));
      else if (!bmd && small_glyphs && off > half_ulp(d) + 1e-6)
        m->flag(
            fmt::format("{} Mean {} is a rounding step from the mean of Left and Right: "
                        "a misread digit cannot be told on small glyphs",
                        site, metric));
    }
    if (Value* df = ix.get(site + " Diff.", metric)) {
      const double off = std::abs(std::abs(*l->number - *r->number) - *df->number);
      if (off > tol)
        flag_all({l, r, df}, fmt::format("{} Diff. {} is not |Left - Right|", site, metric));
      else if (!bmd && small_glyphs && off > 1e-6)
        df->flag(
            fmt::format("{} Diff. {} is a rounding step from |Left - Right|: a misread "
                        "digit cannot be told on small glyphs",
                        site, metric));
    }
  }
}

// Removes `reason` from v's reasons; when none is left the value becomes "repaired".
void replace_reason(Value& v, const std::string& reason, const std::string& repair) {
  std::string rest;
  std::size_t start = 0;
  while (start <= v.qc_reason.size()) {
    std::size_t end = v.qc_reason.find(';', start);
    if (end == std::string::npos) end = v.qc_reason.size();
    const std::string part = v.qc_reason.substr(start, end - start);
    if (part != reason && !part.empty()) rest += (rest.empty() ? "" : ";") + part;
    start = end + 1;
  }
  v.qc_reason = rest;
  v.qc_status = rest.empty() ? "repaired" : "flagged";
  v.qc_reason += (v.qc_reason.empty() ? "" : ";") + repair;
}

// A lost decimal point in one of BMD, BMC and Area, placed where the other two say it must be:
// only when exactly one placement fits BMD = BMC / Area.
void repair_decimal_by_ratio(std::vector<Value>& values, const std::string& region) {
  if (is_diff_row(region)) return;
  Value* bmd = nullptr;
  Value* bmc = nullptr;
  Value* area = nullptr;
  for (auto& v : values) {
    if (v.region != region) continue;
    if (v.metric == "bmd") bmd = &v;
    if (v.metric == "bmc") bmc = &v;
    if (v.metric == "area") area = &v;
  }
  if (!bmd || !bmc || !area) return;
  Value* lost = nullptr;
  int missing = 0;
  for (Value* v : {bmd, bmc, area})
    if (!v->number) {
      lost = v;
      ++missing;
    }
  if (missing != 1 || lost->qc_reason.find(kNoPoint) == std::string::npos) return;
  std::string digits = lost->text;
  const bool neg = !digits.empty() && digits[0] == '-';
  if (neg || digits.size() < 2 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return;
  std::vector<std::string> fits;
  for (std::size_t p = 1; p < digits.size(); ++p) {
    const std::string cand = digits.substr(0, p) + "." + digits.substr(p);
    const double x = std::stod(cand);
    const double b = lost == bmd ? x : *bmd->number;
    const double c = lost == bmc ? x : *bmc->number;
    const double a = lost == area ? x : *area->number;
    if (ratio_holds(b, c, a)) fits.push_back(cand);
  }
  if (fits.size() != 1) return;
  lost->text = fits[0];
  lost->number = std::stod(fits[0]);
  replace_reason(*lost, kNoPoint, "decimal point placed where BMD = BMC/Area puts it");
}

}  // namespace

std::vector<Value> values_from_table(const ParsedTable& table, const QcOptions& options) {
  std::vector<Value> out;
  const Layout& layout = layout_named(table.layout);
  for (const auto& row : table.rows) {
    for (const auto& metric : table.columns) {
      auto it = row.cells.find(metric);
      if (it == row.cells.end()) continue;  // a blank cell is not an error
      const Cell& cell = it->second;
      const MetricInfo* info = find_metric(metric);
      Value v;
      v.region = row.region.name;
      v.metric = metric;
      v.unit = info ? info->unit : "";
      const int decimals = expected_decimals(layout, metric);
      auto n = read_number(cell.raw, decimals);
      // Two reads of the cell: the page pass and the cell pass (cell_reread.hpp). A value is
      // only ok when both give the same well-formed number.
      auto well_formed = [&](const std::optional<CellNumber>& x) {
        return x && x->decimals >= 0 && x->repair.empty() &&
               (decimals < 0 || x->decimals == decimals);
      };
      const auto second = cell.reread.empty() ? std::nullopt : read_number(cell.reread, decimals);
      float conf = cell.min_conf, word_conf = cell.conf;
      std::string doubt;
      const char* doubt_status = "flagged";
      const auto third = cell.third.empty() ? std::nullopt : read_number(cell.third, decimals);
      // The page pass often drops a small decimal point ("461"); the layout's decimals put it
      // back in the one possible place. When that equals the cell read ("4.61"), both reads saw
      // the same digits and the point is where the cell read saw it: confirmed, not a repair.
      if (n && n->repair == "decimal point inserted" && well_formed(second) &&
          n->text == second->text)
        n->repair.clear();
      const bool two_agree = well_formed(n) && well_formed(second) && n->text == second->text;
      const bool third_agrees = !two_agree && well_formed(third) &&
                                ((well_formed(n) && n->text == third->text) ||
                                 (well_formed(second) && second->text == third->text));
      // The page read kept a minus sign but lost the point ("-04"), the cell reads kept the point
      // but lost the thin minus ("0.4"): the same digits, so the value is "-0.4" — repaired.
      std::optional<CellNumber> merged;
      if (!two_agree) {
        const std::string raw = fold_dashes(cell.raw);
        const bool page_minus = !raw.empty() && raw[0] == '-';
        for (const auto* other : {&second, &third})
          if (page_minus && well_formed(*other) && (*other)->value > 0 &&
              digits_of(raw) == digits_of((*other)->text)) {
            merged = *other;
            merged->text = "-" + merged->text;
            merged->value = -merged->value;
            break;
          }
      }
      if (merged) {
        doubt = "sign from the page read ('" + cell.raw + "'), digits from the cell read";
        doubt_status = "repaired";
        n = merged;
        conf = word_conf = std::min(cell.min_conf, std::max(cell.reread_conf, cell.third_conf));
      } else if (third_agrees) {
        // Two of three reads agree: the value is likely right but was doubted once.
        doubt = "two of three reads agree (page '" + cell.raw + "', cell '" + cell.reread +
                "', gray '" + cell.third + "')";
        doubt_status = "repaired";
        n = third;
        conf = word_conf = cell.third_conf;
      } else if (well_formed(n) && well_formed(second)) {
        if (n->text != second->text) {
          doubt = "page and cell reads disagree (" + n->text + " / " + second->text + ")";
          if (cell.reread_conf > cell.min_conf) {
            n = second;
            conf = word_conf = cell.reread_conf;
          }
        }
      } else if (well_formed(n)) {
        doubt = "not confirmed by the cell read ('" + cell.reread + "')";
      } else if (well_formed(second)) {
        doubt = "read only by the cell pass (page read '" + cell.raw + "')";
        doubt_status = "repaired";
        n = second;
        conf = word_conf = cell.reread_conf;
      }
      if (!n || n->decimals < 0)
        if (auto agreed = digits_agree(cell, decimals, well_formed)) {
          n = agreed->number;
          doubt = agreed->why;
          doubt_status = agreed->status;
          conf = word_conf = agreed->conf;
        }
      v.conf = conf;
      if (!n || n->decimals < 0) {
        v.text = cell.raw;
        v.flag(n ? kNoPoint : "unreadable cell");
      } else {
        v.text = n->text;
        v.number = n->value;
        if (!n->repair.empty()) v.flag(n->repair, "repaired");
        if (decimals >= 0 && n->decimals != decimals)
          v.flag(fmt::format("{} decimals where {} are printed", n->decimals, decimals));
        // "06" for a percentage: no vendor prints a leading zero before a digit.
        const std::string_view body = std::string_view(n->text).substr(n->text[0] == '-' ? 1 : 0);
        if (body.size() > 1 && body[0] == '0' && std::isdigit(static_cast<unsigned char>(body[1])))
          v.flag("a leading zero, never printed");
        if (info) {
          const double lo = is_diff_row(v.region) ? 0 : info->min;
          const double hi = is_diff_row(v.region) ? info->diff_max
                            : table.kind == "total_body" && info->total_body_max > 0
                                ? info->total_body_max
                                : info->max;
          if (n->value < lo || n->value > hi) {
            // A digit the read kept lost ("12" for YA% 112: a 90-ppi leading 1): when the other
            // reads that are in range all say one number, that is the value, still flagged.
            std::optional<CellNumber> in_range;
            bool one = true;
            for (const std::string* r : {&cell.raw, &cell.reread, &cell.third, &cell.column}) {
              const auto look = r->empty() ? std::nullopt : read_number(*r, decimals);
              if (!look || !well_formed(look) || look->value < lo || look->value > hi) continue;
              if (in_range && in_range->text != look->text) one = false;
              in_range = look;
            }
            if (in_range && one) {
              v.flag("outside plausible range as '" + v.text + "'; the only in-range read kept");
              v.text = in_range->text;
              v.number = in_range->value;
            } else {
              v.flag("outside plausible range");
            }
          }
        }
      }
      // A score's minus is the glyph low-resolution reads lose, far more often than one they
      // make up: when a read has it and the value lacks it, with the same digits, the value
      // takes it — as a repair, never ok.
      if (v.number && *v.number > 0 && (metric == "t_score" || metric == "z_score"))
        for (const std::string* r : {&cell.raw, &cell.reread, &cell.third, &cell.column}) {
          const std::string f = fold_dashes(*r);
          if (!f.empty() && f[0] == '-' && digits_of(fold_letters(f)) == digits_of(v.text)) {
            v.text = "-" + v.text;
            v.number = -*v.number;
            v.flag("minus seen by one read only ('" + *r + "')", "repaired");
            break;
          }
        }
      if (!doubt.empty()) v.flag(doubt, doubt_status);
      // Every digits-only look must agree with the value kept: page and cell reads that agree
      // against the column or other-picture read are a digit or a sign one of them got wrong
      // (YA% 101 read 102 by the page and cell passes, 101 by the column). Which one cannot be
      // told, so the value is not ok.
      if (v.number)
        for (const auto& [name, text] :
             {std::pair{"column", &cell.column}, std::pair{"other picture", &cell.third}}) {
          const auto look = text->empty() ? std::nullopt : read_number(*text, decimals);
          if (look && look->decimals >= 0 && std::abs(look->value - *v.number) > 1e-9) {
            v.flag(fmt::format("the {} read says '{}'", name, *text));
            break;
          }
        }
      // Word confidence is a weaker signal than the lowest symbol's: on a page of readable
      // glyphs it only counts when the reads did not confirm each other. On a page of tiny ones
      // a low word confidence with every symbol confident is how Tesseract reads a glyph it is
      // not sure of as the wrong digit (90 ppi: 0.9 read 0.3 by every read, word confidence
      // 83; -0.6 read 0.6, 68; 2.1 read 2.3, 86): the reads that agree saw the same blurred
      // pixels, so they do not make it ok.
      const bool confirmed = doubt.empty() && well_formed(n) && well_formed(second);
      if (conf < options.min_symbol_conf)
        v.flag(fmt::format("low OCR confidence ({:.0f})", conf));
      else if (options.small_glyphs && word_conf < options.min_word_conf_small)
        v.flag(fmt::format("low OCR word confidence on small glyphs ({:.0f})", word_conf));
      else if (!confirmed && word_conf < options.min_word_conf)
        v.flag(fmt::format("low OCR confidence ({:.0f})", conf));
      if (row.region_raw.empty())
        v.flag("no region name");
      else if (!row.region.known)
        v.flag("unknown region");
      else if (row.region.fuzzy)
        v.flag("region name repaired from '" + row.region_raw + "'", "repaired");
      if (row.region_conf < options.min_symbol_conf && !row.region_raw.empty())
        v.flag(fmt::format("low OCR confidence of the region name ({:.0f})", row.region_conf));
      // Small glyphs: "L1" read "L2" with word confidence 24 (symbols 89) filed L1's values
      // under L2; a name read with a low word confidence may be another name of the vocabulary.
      else if (options.small_glyphs && row.region.known && !row.region.fuzzy &&
               row.region_word_conf < options.min_region_word_conf_small)
        v.flag(fmt::format("low OCR word confidence of the region name on small glyphs ({:.0f})",
                           row.region_word_conf));
      for (const auto& p : row.problems) v.flag(p);
      out.push_back(std::move(v));
    }
  }
  return out;
}

void repair_misread_digits(std::vector<Value>& values) { repair_digit_by_arithmetic(values); }

void check_page(std::vector<Value>& values, bool small_glyphs) {
  // The same region read twice on one page: both doubtful.
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = i + 1; j < values.size(); ++j)
      if (values[i].region == values[j].region && values[i].metric == values[j].metric) {
        values[i].flag("region appears twice");
        values[j].flag("region appears twice");
      }
  std::vector<std::string> regions;
  for (const auto& v : values)
    if (std::find(regions.begin(), regions.end(), v.region) == regions.end())
      regions.push_back(v.region);
  for (const auto& r : regions) repair_decimal_by_ratio(values, r);
  Index ix{values};
  for (const auto& r : regions) check_bmd_ratio(ix, r);
  for (const auto& [total, parts] : total_rules()) check_total(ix, total, parts);
  check_left_right(ix, "Neck", small_glyphs);
  check_left_right(ix, "Total", small_glyphs);
  check_scores(values);
}

}  // namespace dicometl::dexa
