#include "dicometl/dexa/sr_reader.hpp"

#include "dicometl/dexa/cell_text.hpp"
#include "dicometl/dexa/layouts.hpp"
#include "dicometl/dexa/qc.hpp"
#include "dicometl/dexa/result_labels.hpp"

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
  return item ? std::string(item->text(kCodeMeaning)) : std::string();
}

void walk(const Dataset& item, std::string region, std::vector<Value>& out) {
  const std::string type(item.text(kValueType));
  const std::string name = meaning(item, kConceptName);
  if (type == "CONTAINER") {
    if (auto r = region_of_label(name); !r.empty()) region = r;
  }
  const Element* content = item.find(kContent);
  if (type == "NUM") {
    const std::string metric = metric_of_label(name);
    const Dataset* mv = first_item(item, kMeasuredValue);
    std::string value_region = region;
    // A finding-site modifier names the region of this value only.
    if (content)
      for (const auto& child : content->items) {
        const std::string child_name = label_key(meaning(child, kConceptName));
        if (child.text(kRelationshipType) == "HAS CONCEPT MOD" &&
            (child_name == "findingsite" || child_name == "targetregion"))
          if (auto r = region_of_label(meaning(child, kConceptCode)); !r.empty()) value_region = r;
      }
    if (!metric.empty() && mv && !mv->text(kNumericValue).empty()) {
      Value v = value_from_text(value_region.empty() ? "?" : value_region, metric,
                                std::string(mv->text(kNumericValue)));
      const MetricInfo* info = find_metric(metric);
      if (value_region.empty()) v.flag("no region in the report");
      const Dataset* unit = first_item(*mv, kUnitsCode);
      const std::string ucum(unit ? unit->text(kCodeValue) : "");
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
    const std::string t(child.text(kValueType));
    if (t == "TEXT")
      if (auto r = region_of_label(std::string(child.text(kTextValue))); !r.empty()) running = r;
    if (t == "CODE" && label_key(meaning(child, kConceptName)).find("region") != std::string::npos)
      if (auto r = region_of_label(meaning(child, kConceptCode)); !r.empty()) running = r;
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
