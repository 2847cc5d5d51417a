#include "dicometl/dexa/dedup.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace dicometl::dexa {

namespace {

using Content = std::vector<std::tuple<std::string, std::string, std::string>>;

Content content(const Page& p) {
  Content c;
  for (const auto& v : p.values) c.emplace_back(v.region, v.metric, v.text);
  std::sort(c.begin(), c.end());
  return c;
}

std::size_t numbers(const Page& p) {
  return static_cast<std::size_t>(std::count_if(p.values.begin(), p.values.end(),
                                                [](auto& v) { return v.number.has_value(); }));
}

std::size_t flagged(const Page& p) {
  return static_cast<std::size_t>(
      std::count_if(p.values.begin(), p.values.end(), [](auto& v) { return !v.ok(); }));
}

}  // namespace

DedupSummary dedup(std::vector<Page>& pages) {
  DedupSummary s;
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const Page& p = pages[i];
    if (p.patient_id.empty() || p.exam_date.empty()) continue;
    groups[p.patient_id + '\x1f' + p.exam_date + '\x1f' + p.site].push_back(i);
  }
  std::vector<bool> drop(pages.size(), false);
  for (auto& [key, idx] : groups) {
    if (idx.size() < 2) continue;
    const Content first = content(pages[idx[0]]);
    const bool identical = std::all_of(idx.begin() + 1, idx.end(),
                                       [&](std::size_t i) { return content(pages[i]) == first; });
    std::size_t keep = idx[0];
    if (!identical) {
      for (std::size_t i : idx) {
        const auto better =
            std::make_tuple(numbers(pages[i]), -static_cast<long>(flagged(pages[i])));
        const auto best =
            std::make_tuple(numbers(pages[keep]), -static_cast<long>(flagged(pages[keep])));
        if (better > best) keep = i;
      }
    }
    const std::string label = (identical ? "collapsed:" : "conflict:") + std::to_string(idx.size());
    pages[keep].duplicate = label;
    (identical ? s.collapsed_groups : s.conflict_groups)++;
    for (std::size_t i : idx) {
      if (i == keep) continue;
      drop[i] = true;
      ++s.pages_dropped;
      s.notes.push_back(pages[keep].source_path + " kept over " + pages[i].source_path +
                        (identical ? " (identical)" : " (differs; kept the more complete)"));
    }
  }
  std::vector<Page> kept;
  for (std::size_t i = 0; i < pages.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(pages[i]));
  pages = std::move(kept);
  return s;
}

}  // namespace dicometl::dexa
