// dicom_file_metadata: one row per element, every sequence item expanded with its parent ids
// (the d2e plugin expanded only the first item), private elements with their creator.
#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/omop/omop_writer.hpp"
#include "dicometl/omop/vocabulary_data.hpp"
#include "dicometl/omop/writer_state.hpp"

namespace dicometl::omop {

namespace {

bool numeric_vr(std::string_view vr) {
  return vr == "DS" || vr == "IS" || vr == "FL" || vr == "FD" || vr == "SL" || vr == "SS" ||
         vr == "UL" || vr == "US" || vr == "SV" || vr == "UV";
}

bool json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// The element's values as the DICOM JSON model's "Value" array (PS3.18 F.2: numbers unquoted, PN
// as {"Alphabetic":…} objects, empty values null), or "" for none.
std::string value_json(const Element& e) {
  if (e.values.empty()) return {};
  std::string out = "[";
  const bool numeric = numeric_vr(e.vr_view());
  const bool person_name = e.vr_view() == "PN";
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    if (i) out += ',';
    const std::string_view v = e.values[i];
    if (v.empty()) {
      out += "null";
    } else if (person_name) {
      append_person_name(v, out);
    } else if (numeric && json_number(v)) {
      out += v;
    } else {
      append_json_string(v, out);
    }
  }
  out += ']';
  return out;
}

struct Context {
  storage::BulkWriter& w;
  IdAllocator& ids;
  const Vocabulary& vocab;
  const Instance& in;
  std::int64_t image_occurrence, person;
  const std::string& now;
  std::uint64_t rows = 0;
};

void walk(Context& c, const Dataset& ds, std::optional<std::int64_t> parent, std::int64_t item) {
  for (const Element& e : ds.elements) {
    if (e.tag == tags::kPixelData) continue;
    const std::int64_t id = c.ids.next("dicom_file_metadata");
    const bool priv = is_private(e.tag);
    const DataElementRow* de = priv ? nullptr : c.vocab.element(e.tag);
    const std::int64_t attribute = priv ? 0 : c.vocab.attribute_concept(e.tag);
    auto& w = c.w;
    w.integer(id);
    de ? w.integer(de->id) : w.null();
    attribute ? w.integer(attribute) : w.null();
    de ? w.opt_text(de->name) : w.null();
    de ? w.opt_text(de->keyword) : w.null();
    w.text(tag_paren(e.tag));
    w.integer(tag_group(e.tag));
    w.text(e.vr_view());
    e.is_sequence() ? w.null() : w.integer(static_cast<std::int64_t>(e.values.size()));
    w.opt_text(e.is_sequence() ? std::string() : value_json(e));
    std::optional<double> number;
    if (numeric_vr(e.vr_view()) && e.values.size() == 1) number = parse_decimal(e.values[0]);
    w.opt_real(number);
    const std::int64_t value_concept = attribute && e.values.size() == 1 && e.vr_view() == "CS"
                                           ? c.vocab.value_concept(attribute, e.values[0])
                                           : 0;
    value_concept ? w.integer(value_concept) : w.null();
    w.integer(e.is_sequence() ? 1 : 0);
    e.is_sequence() ? w.integer(static_cast<std::int64_t>(e.items.size())) : w.null();
    w.opt_integer(parent);
    parent ? w.integer(item) : w.null();
    w.integer(priv ? 1 : 0);
    w.opt_text(e.private_creator);
    w.text(c.in.sop_instance_uid);
    w.opt_integer(c.in.instance_number);
    w.integer(c.person);
    w.integer(c.image_occurrence);
    w.text(c.now);
    w.text(c.now);
    w.end_row();
    ++c.rows;
    for (std::size_t k = 0; k < e.items.size(); ++k)
      walk(c, e.items[k], id, static_cast<std::int64_t>(k + 1));
  }
}

}  // namespace

void OmopWriter::write_metadata(const Instance& in, std::int64_t image_occurrence,
                                std::int64_t person) {
  Context c{*w_->metadata, ids_, Vocabulary::get(), in, image_occurrence, person, now_};
  walk(c, in.dataset, std::nullopt, 0);
  counts_.metadata_rows += c.rows;
}

}  // namespace dicometl::omop
