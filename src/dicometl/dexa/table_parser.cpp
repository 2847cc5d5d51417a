#include "dicometl/dexa/table_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "dicometl/dexa/layouts.hpp"

namespace dicometl::dexa {

namespace {

struct Line {
  std::vector<const OcrWord*> words;  // sorted by x
  std::vector<int> tops, bottoms;     // of the words, for the running median band
  int y0 = 0, y1 = 0;                 // the band: median top and bottom of the words
  int height() const { return std::max(1, y1 - y0); }
  void add(const OcrWord* w) {
    words.push_back(w);
    tops.insert(std::upper_bound(tops.begin(), tops.end(), w->y0), w->y0);
    bottoms.insert(std::upper_bound(bottoms.begin(), bottoms.end(), w->y1), w->y1);
    y0 = tops[tops.size() / 2];
    y1 = bottoms[bottoms.size() / 2];
  }
};

bool has_alnum(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

// Phase 1: words → lines. A word joins the recent line whose band (the median top and bottom of
// its words so far) it overlaps most, by at least half of the smaller height; the band follows
// the line's words, so neither its first word nor one tall box decides it. Boxes that are not
// text-sized (a skeleton picture, a frame, a speck read as a letter) join no line: they would
// split or merge rows. Looking back a few lines keeps a stray label between two rows from
// splitting a row.
std::vector<Line> group_lines(const std::vector<OcrWord>& words) {
  std::vector<int> heights;
  for (const auto& w : words)
    if (has_alnum(w.text)) heights.push_back(std::max(1, w.y1 - w.y0));
  int typical = 0;
  if (heights.size() >= 5) {
    std::nth_element(heights.begin(),
                     heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2),
                     heights.end());
    typical = heights[heights.size() / 2];
  }
  std::vector<const OcrWord*> sorted;
  for (const auto& w : words) {
    const int h = std::max(1, w.y1 - w.y0);
    if (typical > 0 && (h > 2.5 * typical || (h < 0.3 * typical && !has_alnum(w.text)))) continue;
    sorted.push_back(&w);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->y0 + a->y1 < b->y0 + b->y1; });
  std::vector<Line> lines;
  for (const auto* w : sorted) {
    Line* best = nullptr;
    int best_overlap = 0;
    for (std::size_t k = lines.size(), n = 0; k > 0 && n < 6; --k, ++n) {
      Line& l = lines[k - 1];
      int overlap = std::min(l.y1, w->y1) - std::max(l.y0, w->y0);
      int need = std::max(1, std::min(l.height(), std::max(1, w->y1 - w->y0)) / 2);
      if (overlap >= need && overlap > best_overlap) {
        best = &l;
        best_overlap = overlap;
      }
    }
    if (!best) {
      lines.emplace_back();
      lines.back().add(w);
    } else {
      best->add(w);
    }
  }
  for (auto& l : lines)
    std::sort(l.words.begin(), l.words.end(), [](auto* a, auto* b) { return a->x0 < b->x0; });
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.y0 < b.y0; });
  return lines;
}

std::string strip_punct(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Column {
  int x0 = 0, x1 = 0;
  std::string label;
  std::string metric;  // "" = a column we do not read
  bool known = false;  // a header rule named it (else an unrecognised column)
  double center() const { return (x0 + x1) / 2.0; }
};

// A header word holding several column labels, split where each known label starts; the box is
// shared out in proportion to characters (close enough to find column centres).
std::vector<OcrWord> split_label_word(const OcrWord& w) {
  std::string key = w.text;
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < key.size();) {
    std::size_t len = 0;
    for (const auto& label : column_label_words())
      if (key.compare(i, label.size(), label) == 0) len = std::max(len, label.size());
    if (len) {
      starts.push_back(i);
      i += len;
    } else {
      ++i;
    }
  }
  if (starts.size() < 2) return {w};
  if (starts.front() != 0) starts.insert(starts.begin(), 0);
  std::vector<OcrWord> out;
  const double per_char = static_cast<double>(w.x1 - w.x0) / static_cast<double>(key.size());
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : key.size();
    OcrWord piece = w;
    piece.text = w.text.substr(starts[k], end - starts[k]);
    piece.x0 = w.x0 + static_cast<int>(per_char * static_cast<double>(starts[k]));
    piece.x1 = w.x0 + static_cast<int>(per_char * static_cast<double>(end));
    out.push_back(piece);
  }
  return out;
}

bool has_number(const Line& l) {
  return std::any_of(l.words.begin(), l.words.end(), [](auto* w) {
    return looks_numeric(w->text) && read_number(w->text, -1).has_value();
  });
}

// Phases 2–3 for one candidate header line: its words grouped into columns by gaps, labels
// taken from this line and, when it carries no numbers, the line below (units, "score").
std::vector<Column> read_columns(const std::vector<Line>& lines, std::size_t at, int h,
                                 bool& two_lines) {
  const Line& head = lines[at];
  std::vector<OcrWord> split;
  std::vector<bool> was_split;  // pieces of one OCR word are separate columns by construction
  for (const auto* w : head.words) {
    auto pieces = split_label_word(*w);
    for (auto& p : pieces) {
      split.push_back(p);
      was_split.push_back(pieces.size() > 1);
    }
  }
  std::vector<Column> cols;
  bool last_split = false;
  for (std::size_t i = 0; i < split.size(); ++i) {
    const OcrWord* w = &split[i];
    const bool merge =
        !cols.empty() && !was_split[i] && !last_split && w->x0 - cols.back().x1 < 0.6 * h;
    last_split = was_split[i];
    if (merge) {
      cols.back().x1 = w->x1;
      cols.back().label += " " + w->text;
    } else {
      cols.push_back({w->x0, w->x1, w->text, "", false});
    }
  }
  two_lines = false;
  if (at + 1 < lines.size()) {
    const Line& next = lines[at + 1];
    if (next.y0 - head.y1 < 1.5 * h && !has_number(next)) {
      two_lines = true;
      std::vector<Column> lone;
      Column first{0, 0, "", "", false};
      // Second-line words make columns of their own only under a line that names two measured
      // columns by itself: under a title ("AP Spine Bone Density") they would make a header.
      const bool head_names_columns = std::count_if(cols.begin(), cols.end(), [](const Column& c) {
                                        const auto m = metric_for_label(c.label);
                                        return m && *m != "region";
                                      }) >= 2;
      for (const auto* w : next.words) {
        Column* best = nullptr;
        double best_score = 1e9;
        for (auto& c : cols) {
          int overlap = std::min(c.x1, w->x1) - std::max(c.x0, w->x0);
          double d = overlap > 0 ? -overlap : std::abs((w->x0 + w->x1) / 2.0 - c.center());
          if (d < best_score) {
            best_score = d;
            best = &c;
          }
        }
        if (best && best_score < 2 * h)
          best->label += " " + w->text;
        else if (!head_names_columns)
          continue;
        else if (has_score_word(w->text))
          lone.push_back({w->x0, w->x1, w->text, "", false});
        else if (w->x1 < cols.front().x0 && has_alnum(w->text)) {
          if (!first.label.empty()) {
            first.x1 = w->x1;
            first.label += " " + w->text;
          } else {
            first = {w->x0, w->x1, w->text, "", false};
          }
        }
      }
      // The first column's header printed on the unit line ("Radius + Ulna" beside "(cm²)"),
      // left of every first-line word: the region column's label, a column of its own.
      if (!first.label.empty()) lone.push_back(first);
      // A "Score" under no first-line word: its letter line ("T-") was lost by OCR (300-ppi
      // Hologic dual hip). It is a column of its own; the T-before-Z rule below names it.
      for (auto& c : lone)
        cols.insert(
            std::find_if(cols.begin(), cols.end(), [&](const Column& o) { return o.x0 > c.x0; }),
            std::move(c));
      // Widen columns to their second-line words only after all are assigned.
      for (const auto* w : next.words)
        for (auto& c : cols)
          if (std::min(c.x1, w->x1) - std::max(c.x0, w->x0) > 0) {
            c.x0 = std::min(c.x0, w->x0);
            c.x1 = std::max(c.x1, w->x1);
          }
    }
  }
  for (auto& c : cols) {
    const auto m = metric_for_label(c.label);
    c.known = m.has_value();
    c.metric = m.value_or("");
  }
  // Every vendor prints the T-score before the Z-score. A "score" column whose letter OCR lost
  // ("TF score") is the T-score when it stands left of the only Z-score column and no T-score
  // column was found, and the Z-score in the mirror case.
  auto has = [&](const char* m) {
    return std::any_of(cols.begin(), cols.end(), [&](const Column& c) { return c.metric == m; });
  };
  std::vector<Column*> unnamed_scores;
  for (auto& c : cols)
    if (!c.known && has_score_word(c.label)) unnamed_scores.push_back(&c);
  // Two "score" columns and neither letter read (the line of "T-" and "Z-" lost): T, then Z.
  if (unnamed_scores.size() == 2 && !has("t_score") && !has("z_score")) {
    unnamed_scores[0]->metric = "t_score";
    unnamed_scores[1]->metric = "z_score";
    for (Column* u : unnamed_scores) u->known = true;
  }
  if (unnamed_scores.size() == 1 && has("t_score") != has("z_score")) {
    Column* u = unnamed_scores.front();
    const char* missing = has("t_score") ? "z_score" : "t_score";
    const char* present = has("t_score") ? "t_score" : "z_score";
    const auto other = std::find_if(cols.begin(), cols.end(),
                                    [&](const Column& c) { return c.metric == present; });
    const bool left = u->center() < other->center();
    if (left == (std::string(missing) == "t_score")) {
      u->metric = missing;
      u->known = true;
    }
  }
  return cols;
}

// Percentage columns whose names OCR lost ("(%)" alone: the line of names skipped) are named
// by where the vendor prints them: Hologic T-score, PR (%), Z-score, AM (%) — the % right of a
// score; GE enCORE YA %, T-score, AM %, Z-score — the % left of a score. Other vendors: none.
void name_percent_columns(std::vector<Column>& cols, const std::string& vendor) {
  const bool right_of = vendor == "hologic";
  if (!right_of && vendor != "lunar") return;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    Column& c = cols[i];
    if (c.known || label_key(c.label).find('%') == std::string::npos) continue;
    const std::size_t k = right_of ? i - 1 : i + 1;
    if ((right_of && i == 0) || k >= cols.size()) continue;
    const std::string& score = cols[k].metric;
    const char* name = score == "t_score" ? "ya_pct" : score == "z_score" ? "am_pct" : nullptr;
    if (!name ||
        std::any_of(cols.begin(), cols.end(), [&](const Column& o) { return o.metric == name; }))
      continue;
    c.metric = name;
    c.known = true;
  }
}

// A header line names the results when it has a BMD column and at least one other measured
// column, and none of the words of trend, body-composition or other tables.
bool is_results_header(const Line& line, const std::vector<Column>& cols) {
  int bmd = 0, other = 0;
  for (const auto& c : cols) {
    if (c.metric == "bmd")
      ++bmd;
    else if (c.known && !c.metric.empty() && c.metric != "region")
      ++other;
  }
  if (bmd == 0 || other == 0) return false;
  for (const auto* w : line.words) {
    const std::string k = strip_punct(w->text);
    for (const auto& bad : non_results_header_words())
      if (k == strip_punct(bad)) return false;
  }
  return true;
}

bool is_stop_word(const OcrWord& w) {
  const std::string k = strip_punct(w.text);
  const auto& stops = table_stop_words();
  return std::find(stops.begin(), stops.end(), k) != stops.end();
}

bool has_digit(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

double median_of(std::vector<int> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

std::string detect_layout(const std::vector<OcrWord>& words) {
  std::string best;
  int best_hits = 0;
  for (const auto& layout : layouts()) {
    int hits = 0;
    for (const auto& w : words) {
      const std::string k = strip_punct(w.text);
      for (const auto& m : layout.markers)
        if (k == m) ++hits;
    }
    if (hits > best_hits) {
      best_hits = hits;
      best = layout.name;
    }
  }
  return best;
}

namespace {

Box box_of(const std::vector<const OcrWord*>& ws) {
  Box b{ws.front()->x0, ws.front()->y0, ws.front()->x1, ws.front()->y1};
  for (const auto* w : ws) {
    b.x0 = std::min(b.x0, w->x0);
    b.y0 = std::min(b.y0, w->y0);
    b.x1 = std::max(b.x1, w->x1);
    b.y1 = std::max(b.y1, w->y1);
  }
  return b;
}

struct RawRow {
  std::vector<const OcrWord*> region, values;
};

// A value column found from the data: the union of overlapping value boxes of all rows.
struct Cluster {
  int x0 = 0, x1 = 0;
  std::string metric;  // from the header label above; "" = unknown
  bool ambiguous = false;
  bool skipped = false;  // under a column we do not read (Width, an unrecognised label)
};

// Only words with a digit make columns: a stray mark ("+=", a speck read as a quote) between two
// columns must not become a column of its own and make a real one ambiguous.
std::vector<Cluster> value_clusters(const std::vector<RawRow>& rows, int h) {
  std::vector<std::pair<int, int>> spans;
  for (const auto& r : rows)
    for (const auto* w : r.values)
      if (has_digit(w->text)) spans.emplace_back(w->x0, w->x1);
  std::sort(spans.begin(), spans.end());
  std::vector<Cluster> out;
  const int slack = std::max(1, h / 5);
  for (const auto& [a, b] : spans) {
    if (!out.empty() && a <= out.back().x1 + slack)
      out.back().x1 = std::max(out.back().x1, b);
    else
      out.push_back({a, b, "", false, false});
  }
  return out;
}

// Names each cluster after the header column overlapping it most (else the nearest within two
// line heights). Two clusters under one label are both ambiguous: a cell is never guessed.
void name_clusters(std::vector<Cluster>& clusters, const std::vector<Column>& cols, int h) {
  std::vector<int> owner(clusters.size(), -1);
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    double best = -1e18;
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (cols[j].metric == "region") continue;
      const int overlap =
          std::min(clusters[i].x1, cols[j].x1) - std::max(clusters[i].x0, cols[j].x0);
      const double centre_gap =
          std::abs((clusters[i].x0 + clusters[i].x1) / 2.0 - cols[j].center());
      const double score = overlap > 0 ? overlap : -centre_gap;
      if (score > best && (overlap > 0 || centre_gap < 2.0 * h)) {
        best = score;
        owner[i] = static_cast<int>(j);
      }
    }
  }
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (owner[i] < 0) continue;
    clusters[i].metric = cols[static_cast<std::size_t>(owner[i])].metric;
    clusters[i].skipped = clusters[i].metric.empty();
    for (std::size_t k = 0; k < clusters.size(); ++k)
      if (k != i && owner[k] == owner[i]) clusters[i].ambiguous = true;
  }
}

// The sub-row / section helpers of phase 4.
bool region_is(const std::string& raw, const std::vector<std::string>& names) {
  const std::string k = strip_punct(raw);
  if (k.empty()) return false;
  for (const auto& n : names)
    if (k == strip_punct(n)) return true;
  return false;
}

// A word is numeric data (not a region name) when it is a number with a point or 2+ digits.
bool numeric_data(const OcrWord& w) {
  if (!looks_numeric(w.text)) return false;
  int digits = 0;
  for (char c : w.text) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return digits >= 2 || w.text.find('.') != std::string::npos;
}

// Whether the words below header column `c` (the next few lines) are mostly numbers: then it
// is a value column whose label OCR did not recognise ("Area" read as "ar"), not the region
// column.
bool column_holds_numbers(const std::vector<Line>& lines, std::size_t from, const Column& c,
                          int h) {
  int num = 0, text = 0;
  for (std::size_t k = from; k < lines.size() && k < from + 8; ++k)
    for (const auto* w : lines[k].words)
      if (std::min(w->x1, c.x1 + h) - std::max(w->x0, c.x0 - h) > 0 && has_alnum(w->text))
        (numeric_data(*w) ? num : text) += 1;
  return num > text;
}

// How many words of a line are numbers standing under a value column of the header.
int numbers_under_columns(const std::vector<const OcrWord*>& words, const std::vector<Column>& cols,
                          int h) {
  int n = 0;
  for (const auto* w : words)
    if (numeric_data(*w) && std::any_of(cols.begin(), cols.end(), [&](const Column& c) {
          return !c.metric.empty() && std::min(w->x1, c.x1 + h) - std::max(w->x0, c.x0 - h) > 0;
        }))
      ++n;
  return n;
}

std::string table_kind(const std::vector<TableRow>& rows) {
  int spine = 0, hip = 0, dual = 0, forearm = 0, body = 0;
  for (const auto& r : rows) {
    const std::string& n = r.region.name;
    if (!r.region.known) continue;
    if (n.size() >= 2 && (n[0] == 'L' || n[0] == 'T') &&
        std::isdigit(static_cast<unsigned char>(n[1])))
      ++spine;
    else if (n.find("Left") != std::string::npos || n.find("Right") != std::string::npos ||
             n.find("Mean") != std::string::npos || n.find("Diff") != std::string::npos)
      ++dual;
    else if (n == "Neck" || n == "Troch" || n == "Inter" || n == "Ward's" || n == "Shaft")
      ++hip;
    else if (n == "UD" || n == "MID" || n == "1/3" || n.find("Radius") != std::string::npos ||
             n.find("Ulna") != std::string::npos)
      ++forearm;
    else if (n != "Total")
      ++body;
  }
  const std::pair<int, const char*> kinds[] = {{spine, "spine"},
                                               {dual, "dual_hip"},
                                               {hip, "hip"},
                                               {forearm, "forearm"},
                                               {body, "total_body"}};
  int best = 0;
  const char* name = "";
  for (const auto& [n, k] : kinds)
    if (n > best) {
      best = n;
      name = k;
    }
  return name;
}

}  // namespace

ParsedTable parse_results_table(const std::vector<OcrWord>& words) {
  ParsedTable t;
  const auto lines = group_lines(words);
  const std::string vendor = detect_layout(words);
  bool saw_header_without_bmd = false;
  for (std::size_t at = 0; at < lines.size(); ++at) {
    std::vector<int> hs;
    for (const auto* w : lines[at].words) hs.push_back(w->y1 - w->y0);
    const int h = std::max(1, static_cast<int>(median_of(hs)));
    bool two_lines = false;
    auto cols = read_columns(lines, at, h, two_lines);
    name_percent_columns(cols, vendor);
    if (!is_results_header(lines[at], cols)) {
      saw_header_without_bmd |= std::count_if(cols.begin(), cols.end(), [](auto& c) {
                                  return c.known && !c.metric.empty() && c.metric != "region";
                                }) >= 2;
      continue;  // an ancillary, trend or body-composition table, or no table at all
    }
    const std::size_t body = at + (two_lines ? 2 : 1);
    // The region column: left of the first measured column, whatever its label says ("Region",
    // "Regien", "Radius + Ulna", nothing at all), unless the words below it are numbers (an
    // unrecognised value column). Columns further left are outside the table.
    std::size_t first = 0;
    while (first < cols.size() && (cols[first].metric.empty() || cols[first].metric == "region"))
      ++first;
    std::size_t lead = first;  // the first column right of the region column
    while (lead > 0 && cols[lead - 1].metric != "region" &&
           column_holds_numbers(lines, body, cols[lead - 1], h))
      --lead;
    std::optional<Column> region_col =
        lead > 0 ? std::optional<Column>(cols[lead - 1]) : std::nullopt;
    // A region label of several words split by a wide gap ("Radius +" and "UlIna" at 90 ppi):
    // unnamed label words just left of it, over no numbers, belong to it.
    for (std::size_t k = lead - 1; region_col && k > 0; --k) {
      const Column& c = cols[k - 1];
      if ((!c.metric.empty() && c.metric != "region") || region_col->x0 - c.x1 > 1.5 * h ||
          column_holds_numbers(lines, body, c, h))
        break;
      region_col->x0 = c.x0;
      region_col->label = c.label + " " + region_col->label;
    }
    cols.erase(cols.begin(), cols.begin() + static_cast<std::ptrdiff_t>(lead));
    for (auto& c : cols)
      if (c.metric == "region") c.metric.clear();  // a second "Region" label: not a value column
    const int x_left = region_col ? region_col->x0 - 2 * h : cols.front().x0 - 12 * h;
    const int x_right = cols.back().x1 + 3 * h;
    const double lead_half = std::max<double>(cols.front().x1 - cols.front().x0, 3.0 * h) / 2.0;
    const double region_boundary = cols.front().center() - lead_half;

    // Phase 4: the rows; a section title (Hologic dual hip "Neck", "Total") has no values and
    // names the sub-rows that follow it.
    std::vector<RawRow> raw;
    std::vector<std::string> sections;       // per raw row: the section it belongs to ("" = none)
    std::vector<std::string> open_sections;  // per raw row: the section title above it, if any
    std::string section;
    std::vector<int> pitches;                    // distance between the tops of consecutive rows
    std::vector<std::pair<int, int>> row_bands;  // top and bottom of each raw row
    int last_y0 = lines[body - 1].y0;
    for (std::size_t k = body; k < lines.size() && raw.size() < 40; ++k) {
      std::vector<const OcrWord*> in;
      for (const auto* w : lines[k].words)
        if (w->x1 >= x_left && w->x0 <= x_right) in.push_back(w);
      // A line of marks only (the rest of a frame, a speck read as "|") is not a line of text:
      // it neither ends the table nor joins a row.
      if (std::none_of(in.begin(), in.end(), [](auto* w) { return has_alnum(w->text); })) continue;
      if (std::any_of(in.begin(), in.end(), [](auto* w) { return is_stop_word(*w); })) break;
      // A gap of more than two and a half rows ends the table; one row OCR missed does not, nor
      // a few when the line after them has numbers under two of the header's value columns
      // (the page pass skips rows now and then; the gap is read again below).
      const double pitch = pitches.empty() ? 2.0 * h : median_of(pitches);
      const double gap = lines[k].y0 - last_y0, row_pitch = std::max<double>(pitch, h);
      if (!raw.empty() && gap > 2.6 * row_pitch &&
          (gap > 8 * row_pitch || numbers_under_columns(in, cols, h) < 2))
        break;
      RawRow row;
      for (const auto* w : in)
        ((w->x0 + w->x1) / 2.0 < region_boundary ? row.region : row.values).push_back(w);
      std::string name;
      for (const auto* w : row.region) name += (name.empty() ? "" : " ") + w->text;
      const bool any_digit = std::any_of(row.values.begin(), row.values.end(),
                                         [](auto* w) { return has_digit(w->text); });
      if (!any_digit) {
        if (region_is(name, section_names())) {
          section = match_region(name).name;
          pitches.push_back(lines[k].y0 - last_y0);
          last_y0 = lines[k].y0;
          continue;
        }
        if (!raw.empty()) break;  // text after the table (a title, a note)
        continue;
      }
      if (region_is(name, section_names())) section.clear();  // a row of its own ("Total")
      if (!raw.empty()) pitches.push_back(lines[k].y0 - last_y0);
      last_y0 = lines[k].y0;
      row_bands.push_back({lines[k].y0, lines[k].y1});
      sections.push_back(!section.empty() && region_is(name, section_sub_rows()) ? section : "");
      open_sections.push_back(section);
      raw.push_back(std::move(row));
    }

    // Rows OCR skipped: where the distance to the next row is well over the row pitch.
    if (row_bands.size() >= 2) {
      const double pitch = median_of(pitches);
      int prev_bottom = lines[body - 1].y1;
      int prev_top = lines[body - 1].y0;
      for (const auto& [top, bottom] : row_bands) {
        if (top - prev_top > 1.6 * pitch && top - prev_bottom > h)
          t.gaps.push_back({x_left, prev_bottom + 1, x_right, top - 1});
        prev_top = top;
        prev_bottom = bottom;
      }
    }

    // Phase 5: columns from the values themselves, named by the header.
    auto clusters = value_clusters(raw, h);
    name_clusters(clusters, cols, h);
    t.found = true;
    for (const auto& c : cols)
      if (!c.metric.empty() &&
          std::find(t.columns.begin(), t.columns.end(), c.metric) == t.columns.end())
        t.columns.push_back(c.metric);
    for (std::size_t ri = 0; ri < raw.size(); ++ri) {
      const auto& r = raw[ri];
      TableRow row;
      float rconf = 100;
      for (const auto* w : r.region) {
        row.region_raw += (row.region_raw.empty() ? "" : " ") + w->text;
        rconf = std::min(rconf, w->min_conf);
        row.region_word_conf = std::min(row.region_word_conf, w->conf);
      }
      if (!r.region.empty()) {
        row.region_box = box_of(r.region);
      } else {
        // No word found left of the values: the re-read looks where the name should be.
        const Box values = box_of(r.values);
        row.region_box = {std::max(0, x_left + h), values.y0, static_cast<int>(region_boundary),
                          values.y1};
      }
      row.region =
          match_region(sections[ri].empty() ? row.region_raw : sections[ri] + " " + row.region_raw);
      // A sub-row name OCR garbled ("Dif." under "Total") is matched as the section's sub-row.
      // It must name a sub-row: "p#.|" under "Total" matches "Total" alone, the section itself.
      if (!row.region.known && !open_sections[ri].empty() && !row.region_raw.empty())
        if (RegionMatch m = match_region(open_sections[ri] + " " + row.region_raw);
            m.known && m.name != open_sections[ri])
          row.region = {m.name, true, true};
      row.region_conf = row.region_raw.empty() ? 0 : rconf;
      std::map<std::string, std::vector<const OcrWord*>> by_col;
      for (const auto* w : r.values)
        for (const auto& c : clusters)
          // Digitless words join the column they overlap (their cell then reads as doubtful);
          // outside every column they are ignored as marks.
          if ((w->x0 >= c.x0 && w->x1 <= c.x1) ||
              (!has_digit(w->text) && std::min(w->x1, c.x1) > std::max(w->x0, c.x0))) {
            if (c.skipped) {
              // under a column we do not read: not a value, not a doubt about the others
            } else if (c.metric.empty()) {
              row.problems.push_back("a value under no known column");
            } else {
              if (c.ambiguous) row.problems.push_back("column of " + c.metric + " not identified");
              by_col[c.metric].push_back(w);
            }
            break;
          }
      for (auto& [metric, ws] : by_col) {
        Cell cell;
        cell.conf = 100;
        cell.min_conf = 100;
        for (std::size_t i = 0; i < ws.size(); ++i) {
          // A lone sign split off by OCR joins its number; two numbers in one cell are a doubt.
          if (i > 0 && ws[i]->x0 - ws[i - 1]->x1 > 0.6 * h)
            row.problems.push_back("two values in the " + metric + " column");
          cell.raw += ws[i]->text;
          cell.conf = std::min(cell.conf, ws[i]->conf);
          cell.min_conf = std::min(cell.min_conf, ws[i]->min_conf);
        }
        cell.box = box_of(ws);
        row.cells[metric] = cell;
      }
      t.rows.push_back(std::move(row));
    }
    break;
  }
  if (!t.found) {
    t.why_not = saw_header_without_bmd
                    ? "no results table: a table header without a BMD column"
                    : "no results table: no header with BMD and score columns found";
    return t;
  }
  fill_regions_from_sequences(t.rows);
  t.layout = vendor;
  if (t.layout.empty()) {
    const bool physical = std::count(t.columns.begin(), t.columns.end(), "area") > 0;
    t.layout = physical ? "hologic" : "lunar";
    t.layout_guessed = true;
  }
  t.kind = table_kind(t.rows);
  if (t.rows.empty()) {
    t.found = false;
    t.why_not = "results table header found but no rows could be read";
  }
  return t;
}

namespace {

// The rows of a section whose title OCR lost ("Neck" read as "aaa", or not at all): as many
// unnamed rows as a section holds, right before the first row of the next section read or
// right after the last row of the one before, are that section's when at least two of them
// read as their own sub-row by position ("Left", "Right", "Maan") and none as another.
void fill_lost_section_titles(std::vector<TableRow>& rows) {
  auto index_of = [&](const std::string& name) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].region.known && rows[i].region.name == name)
        return static_cast<std::ptrdiff_t>(i);
    return -1;
  };
  for (const auto& seq : section_sequences()) {
    const auto n = static_cast<std::ptrdiff_t>(seq.sub_rows.size());
    auto try_name = [&](std::ptrdiff_t from, const std::string& section) {
      if (from < 0 || from + n > static_cast<std::ptrdiff_t>(rows.size())) return;
      if (index_of(section + " " + seq.sub_rows.front()) >= 0) return;  // read elsewhere
      int matched = 0;
      for (std::ptrdiff_t k = 0; k < n; ++k) {
        const TableRow& r = rows[static_cast<std::size_t>(from + k)];
        if (r.region.known) return;
        if (r.region_raw.empty()) continue;
        const RegionMatch m = match_region(section + " " + r.region_raw);
        if (!m.known) continue;
        if (m.name != section + " " + seq.sub_rows[static_cast<std::size_t>(k)]) return;
        ++matched;
      }
      if (matched < 2) return;
      for (std::ptrdiff_t k = 0; k < n; ++k) {
        TableRow& r = rows[static_cast<std::size_t>(from + k)];
        r.region = {section + " " + seq.sub_rows[static_cast<std::size_t>(k)], true, true};
        r.region_raw = (r.region_raw.empty() ? "(none)" : r.region_raw) + " under an unread title";
      }
    };
    for (std::size_t p = 0; p < seq.sections.size(); ++p) {
      const auto first = index_of(seq.sections[p] + " " + seq.sub_rows.front());
      const auto last = index_of(seq.sections[p] + " " + seq.sub_rows.back());
      if (p > 0 && first >= 0) try_name(first - n, seq.sections[p - 1]);
      if (p + 1 < seq.sections.size() && last >= 0) try_name(last + 1, seq.sections[p + 1]);
    }
  }
}

// A vertebra or a range of them ("L3", "L1-L4").
bool is_spine_name(const TableRow& r) {
  return r.region.known && r.region.name.size() >= 2 && r.region.name[0] == 'L' &&
         std::isdigit(static_cast<unsigned char>(r.region.name[1]));
}

// The vertebra number of a single-vertebra name ("L3" → 3), else 0.
int vertebra_of(const TableRow& r) {
  const std::string& n = r.region.name;
  return r.region.known && n.size() == 2 && n[0] == 'L' && n[1] >= '1' && n[1] <= '5' ? n[1] - '0'
                                                                                      : 0;
}

// A range whose dash and second "L" 90-ppi OCR merged or misread ("Lit4", "L144", "12-44",
// "3-44" for L1-L4, L1-L4, L2-L4, L3-L4): an L-like letter (or none), the first vertebra (1–5,
// or i/l/| for 1), one or two marks, the second vertebra last and higher. "" when the text is
// not of that shape.
std::string vertebra_range_of(const std::string& raw) {
  std::string s;
  for (char c : raw)
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  std::size_t at = 0;
  const auto digit = [](char c) { return c >= '1' && c <= '5'; };
  if (s.size() > 1 && (std::string_view("Ll|Iu").find(s[0]) != std::string_view::npos ||
                       (s[0] == '1' && digit(s[1]))))
    at = 1;  // the first "L" (read "1" before a vertebra: "12-44")
  if (s.size() < at + 3 || s.size() > at + 4) return "";
  const char a = std::string_view("li|I").find(s[at]) != std::string_view::npos ? '1' : s[at];
  const char b = digit(s.back()) ? s.back() : digit_for_letter(s.back());  // "L14A"
  if (!digit(a) || !digit(b) || b <= a) return "";
  // Hologic also prints comma ranges ("L1,L4": L1 and L4 only); a comma read between them keeps
  // that name.
  const bool comma = s.find(',', at + 1) != std::string::npos;
  const std::string name = std::string("L") + a + (comma ? ",L" : "-L") + b;
  const auto& names = region_names();
  return std::find(names.begin(), names.end(), name) != names.end() ? name : "";
}

// A lone digit 1–5 in a spine table's region column, with only marks or an L-like letter beside
// it ("3", "(2", "“4": 90-ppi OCR loses the "L", and the name's re-read gives the digit alone),
// names L<digit> when that keeps the table's vertebrae strictly in order and unrepeated.
// A name read with a low word confidence just above it that the digit contradicts ("L2" at 24
// over "(2") is dropped: the first row before L2, or the row between, is then named by order.
void name_vertebrae_from_digits(std::vector<TableRow>& rows) {
  // A spine table: a vertebra or a range of them read somewhere ("L3-L4").
  if (std::none_of(rows.begin(), rows.end(), is_spine_name)) return;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    TableRow& r = rows[i];
    if (r.region.known) continue;
    int digit = 0, digits = 0, letters = 0;
    for (char c : r.region_raw) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        digit = c - '0';
        ++digits;
      } else if (std::isalpha(static_cast<unsigned char>(c))) {
        ++letters;
      }
    }
    // "u" is how 90-ppi OCR often reads an "L" ("u4", "ul").
    const bool l_like = letters == 1 && std::string_view("Ll|Iiu").find(r.region_raw.front()) !=
                                            std::string_view::npos;
    if (const std::string range = vertebra_range_of(r.region_raw); !range.empty()) {
      if (std::none_of(rows.begin(), rows.end(),
                       [&](const TableRow& o) { return o.region.known && o.region.name == range; }))
        r.region = {range, true, true};
      continue;
    }
    if (digits != 1 || digit < 1 || digit > 5 || (letters > 0 && !l_like)) continue;
    bool fits = true;
    for (std::size_t k = 0; k < rows.size() && fits; ++k) {
      const int v = vertebra_of(rows[k]);
      if (v == 0 || k == i) continue;
      const bool weak_above = k + 1 == i && v == digit && rows[k].region_word_conf < 50;
      if (weak_above) continue;
      fits = k < i ? v < digit : v > digit;
    }
    if (!fits) continue;
    if (i > 0 && vertebra_of(rows[i - 1]) == digit) {
      rows[i - 1].region = {rows[i - 1].region_raw, false, false};  // the weak name above
    }
    r.region = {"L" + std::to_string(digit), true, true};
  }
}

}  // namespace

// Unknown region names between two known neighbours of one printed sequence (L1…L4, Neck…
// Total, UD…Total) can only be the one between: named so, and marked repaired (fuzzy).
void fill_regions_from_sequences(std::vector<TableRow>& rows) {
  // A spine name made from digits ("13" → L3) in a table with no other spine name is not one:
  // the forearm's "1/3" read "13". Unnamed, the order rules below name it.
  for (auto& r : rows)
    if (is_spine_name(r) && r.region.fuzzy &&
        std::none_of(rows.begin(), rows.end(),
                     [&](const TableRow& o) { return &o != &r && is_spine_name(o); }))
      r.region = {r.region_raw, false, false};
  fill_lost_section_titles(rows);
  name_vertebrae_from_digits(rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].region.known) continue;
    for (const auto& seq : region_sequences()) {
      auto pos = [&](std::size_t r) -> int {
        if (r >= rows.size() || !rows[r].region.known) return -1;
        auto it = std::find(seq.begin(), seq.end(), rows[r].region.name);
        return it == seq.end() ? -1 : static_cast<int>(it - seq.begin());
      };
      const int before = i > 0 ? pos(i - 1) : -2;
      const int after = pos(i + 1);
      const int last = static_cast<int>(seq.size()) - 1;
      int guess = -1;
      if (before >= 0 && after == before + 2) guess = before + 1;
      // A run of names lost between two known neighbours that leave exactly that many places
      // (whole body "L Arm", "R Arm", "LReés", "RRBs", "T Spine"): the names between, in order.
      std::size_t j = i + 1;
      while (j < rows.size() && !rows[j].region.known) ++j;
      if (before >= 0 && j > i + 1 && pos(j) == before + static_cast<int>(j - i) + 1) {
        for (std::size_t r = i; r < j; ++r) {
          rows[r].region = {seq[static_cast<std::size_t>(before) + (r - i) + 1], true, true};
          if (rows[r].region_raw.empty()) rows[r].region_raw = "(none)";
        }
        break;
      }
      // The sequence's first name, before its second, at the table's start or after a name of
      // no position here ("Total Lek" after "Neck Diff.", before "Total Right").
      if (after == 1 && (before == -2 || (before == -1 && rows[i - 1].region.known))) guess = 0;
      // The sequence's last name, after the one before it, when the next row is a known name
      // of no position here (dual hip: "Neck Mean", "pif.", "Total Left": the Neck section ends
      // with its Diff. row), or the table ends after a dual hip section (always four rows).
      if (before == last - 1 && after < 0 &&
          (i + 1 == rows.size() ? seq.back().find("Diff") != std::string::npos
                                : rows[i + 1].region.known))
        guess = last;
      if (guess < 0) continue;
      rows[i].region = {seq[static_cast<std::size_t>(guess)], true, true};
      if (rows[i].region_raw.empty()) rows[i].region_raw = "(none)";
      break;
    }
  }
}

}  // namespace dicometl::dexa
