#include "dicometl/dexa/sr_reader.hpp"

#include "dicometl/dexa/cell_text.hpp"
#include "dicometl/dexa/layouts.hpp"
#include "dicometl/dexa/qc.hpp"

namespace dicometl::dexa {

namespace {

constexpr Tag kCodeValue = make_tag(0x0008, 0x0100);
constexpr Tag kCodeMeaning = make_tag(0x0008, 0x0104);
constexpr Tag kUnitsCode = make_tag(0x0040, 0x08EA);
constexpr Tag kRelationshipType = make_tag(0x0040, 0xA010);
constexpr Tag kValueType = make_tag(0x0040, 0xA040);
constexpr Tag kConceptName = make_tag(0x0040, 0xA043);
constexpr Tag kConceptCode = make_tag(0x0040, 0xA168);
constexpr Tag kTextValue = make_tag(0x0040, 0xA160);
constexpr Tag kMeasuredValue = make_tag(0x0040, 0xA300);
constexpr Tag kNumericValue = make_tag(0x0040, 0xA30A);
constexpr Tag kContent = make_tag(0x0040, 0xA730);

const Dataset* first_item(const Dataset& ds, Tag tag) {
  const Element* e = ds.find(tag);
  return e && !e->items.empty() ? &e->items.front() : nullptr;
}

std::string meaning(const Dataset& ds, Tag code_sequence) {
  const Dataset* item = first_item(ds, code_sequence);
  return item ? item->text(kCodeMeaning) : "";
}

std::string metric_of(const std::string& name) {
  const std::string key = label_key(name);
  if (key.find("bonemineraldensity") != std::string::npos) return "bmd";
  if (key.find("bonemineralcontent") != std::string::npos) return "bmc";
  for (const auto& rule : column_rules())
    if (key.find(rule.needle) != std::string::npos)
      return rule.metric == "region" ? "" : rule.metric;
  return "";
}

std::string region_of(const std::string& text) {
  const RegionMatch m = match_region(text);
  return m.known && !m.fuzzy ? m.name : "";
}

void walk(const Dataset& item, std::string region, std::vector<Value>& out) {
  const std::string type = item.text(kValueType);
  const std::string name = meaning(item, kConceptName);
  if (type == "CONTAINER") {
    if (auto r = region_of(name); !r.empty()) region = r;
  }
  const Element* content = item.find(kContent);
  if (type == "NUM") {
    const std::string metric = metric_of(name);
    const Dataset* mv = first_item(item, kMeasuredValue);
    std::string value_region = region;
    // A finding-site modifier names the region of this value only.
    if (content)
      for (const auto& child : content->items) {
        const std::string child_name = label_key(meaning(child, kConceptName));
        if (child.text(kRelationshipType) == "HAS CONCEPT MOD" &&
            (child_name == "findingsite" || child_name == "targetregion"))
          if (auto r = region_of(meaning(child, kConceptCode)); !r.empty()) value_region = r;
      }
    if (!metric.empty() && mv && !mv->text(kNumericValue).empty()) {
      Value v;
      v.region = value_region.empty() ? "?" : value_region;
      v.metric = metric;
      const MetricInfo* info = find_metric(metric);
      v.unit = info ? info->unit : "";
      auto n = read_number(mv->text(kNumericValue), -1);
      v.conf = 100;
      if (n && n->repair.empty()) {
        v.text = n->text;
        v.number = n->value;
        if (info &&
            (n->value < (v.region.find("Diff") != std::string::npos ? 0 : info->min) ||
             n->value > (v.region.find("Diff") != std::string::npos ? info->diff_max : info->max)))
          v.flag("outside plausible range");
      } else {
        v.text = mv->text(kNumericValue);
        v.flag("not a number");
      }
      if (value_region.empty()) v.flag("no region in the report");
      const Dataset* unit = first_item(*mv, kUnitsCode);
      const std::string ucum = unit ? unit->text(kCodeValue) : "";
      if (!ucum.empty() && info && ucum != info->unit &&
          !(ucum == "1" && metric.find("score") != std::string::npos))
        v.flag("unit " + ucum + " where " + info->unit + " is expected");
      out.push_back(std::move(v));
    }
    return;
  }
  if (!content) return;
  std::string running = region;
  for (const auto& child : content->items) {
    // A TEXT or CODE item naming a region sets it for the items after it at this level.
    const std::string t = child.text(kValueType);
    if (t == "TEXT")
      if (auto r = region_of(child.text(kTextValue)); !r.empty()) running = r;
    if (t == "CODE" && label_key(meaning(child, kConceptName)).find("region") != std::string::npos)
      if (auto r = region_of(meaning(child, kConceptCode)); !r.empty()) running = r;
    walk(child, running, out);
  }
}

}  // namespace

bool is_structured_report(const Instance& inst) {
  return inst.sop_class_uid.rfind("1.2.840.10008.5.1.4.1.1.88.", 0) == 0;
}

std::optional<Page> page_from_sr(const Instance& inst) {
  std::vector<Value> values;
  walk(inst.dataset, "", values);
  if (values.empty()) return std::nullopt;
  Page p;
  p.layout = "sr";
  p.values = std::move(values);
  check_page(p.values);
  return p;
}

}  // namespace dicometl::dexa
