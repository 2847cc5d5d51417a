#include "dicometl/dexa/result_labels.hpp"

#include "dicometl/dexa/cell_text.hpp"
#include "dicometl/dexa/layouts.hpp"

namespace dicometl::dexa {

std::string metric_of_label(const std::string& label) {
  const std::string key = label_key(label);
  if (key.find("bonemineraldensity") != std::string::npos) return "bmd";
  if (key.find("bonemineralcontent") != std::string::npos) return "bmc";
  // The page's own whole-token rules (a substring rule read "Diameter" as AM %), on the label
  // without its units: Hologic's script glues them on ("BMD[g/cm<sup>2</sup>]", "BMC[(g)]").
  std::string words;
  int depth = 0;
  for (char c : label) {
    if (c == '[' || c == '(') ++depth;
    if (depth == 0) words += c;
    if ((c == ']' || c == ')') && depth > 0) --depth;
  }
  const auto metric = metric_for_label(words);
  return metric && *metric != "region" ? *metric : "";
}

std::string region_of_label(const std::string& text) {
  const RegionMatch m = match_region(text);
  return m.known && !m.fuzzy ? m.name : "";
}

Value value_from_text(const std::string& region, const std::string& metric,
                      const std::string& text) {
  Value v;
  v.region = region;
  v.metric = metric;
  const MetricInfo* info = find_metric(metric);
  v.unit = info ? info->unit : "";
  v.conf = 100;
  auto n = read_number(text, -1);
  if (!n || !n->repair.empty()) {
    v.text = text;
    v.flag("not a number");
    return v;
  }
  v.text = n->text;
  v.number = n->value;
  const bool diff = region.find("Diff") != std::string::npos;
  if (info && (n->value < (diff ? 0 : info->min) || n->value > (diff ? info->diff_max : info->max)))
    v.flag("outside plausible range");
  return v;
}

}  // namespace dicometl::dexa
