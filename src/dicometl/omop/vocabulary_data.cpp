#include "dicometl/omop/vocabulary_data.hpp"

#include <charconv>
#include <stdexcept>

namespace dicometl::omop {

namespace {

std::int64_t to_int(const std::string& s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool parse_hex_tag(std::string_view code, Tag& out) {
  if (code.size() != 8) return false;
  std::uint32_t v = 0;
  auto r = std::from_chars(code.data(), code.data() + 8, v, 16);
  if (r.ptr != code.data() + 8) return false;  // 'x' placeholders (repeating groups)
  out = v;
  return true;
}

std::vector<std::vector<std::string>> rows_of(const char* file) {
  auto text = embedded_vocab_file(file);
  if (text.empty()) throw std::runtime_error(std::string("vocabulary file not embedded: ") + file);
  auto rows = parse_csv(text);
  if (!rows.empty()) rows.erase(rows.begin());  // header
  return rows;
}

}  // namespace

std::vector<std::vector<std::string>> parse_csv(std::string_view t) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') { field += '"'; ++i; } else { quoted = false; }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') { quoted = true; any = true; continue; }
    if (c == ',') { row.push_back(std::move(field)); field.clear(); any = true; continue; }
    if (c == '\r') continue;
    if (c == '\n') {
      if (any || !field.empty()) { row.push_back(std::move(field)); rows.push_back(std::move(row)); }
      row.clear(); field.clear(); any = false;
      continue;
    }
    field += c;
    any = true;
  }
  if (any || !field.empty()) { row.push_back(std::move(field)); rows.push_back(std::move(row)); }
  return rows;
}

std::vector<ConceptRow> vocab_concepts() {
  std::vector<ConceptRow> out;
  for (auto& r : rows_of("omop_table_staging_v5.csv")) {
    if (r.size() < 10) continue;
    out.push_back({to_int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]});
  }
  return out;
}

std::vector<RelationshipRow> vocab_relationships() {
  std::vector<RelationshipRow> out;
  for (const char* f : {"cs_values_maps_to.csv", "cs_values_maps_to_value.csv"})
    for (auto& r : rows_of(f))
      if (r.size() >= 3) out.push_back({to_int(r[0]), to_int(r[1]), r[2]});
  return out;
}

std::vector<DataElementRow> vocab_data_elements() {
  std::vector<DataElementRow> out;
  std::int64_t id = 0;
  for (auto& r : rows_of("part6_attributes.csv")) {
    if (r.size() < 7) continue;
    out.push_back({++id, r[0], r[1], r[2], r[3], r[4], r[5], r[6]});
  }
  return out;
}

const Vocabulary& Vocabulary::get() {
  static const Vocabulary v;
  return v;
}

Vocabulary::Vocabulary() {
  std::unordered_map<std::int64_t, std::string> code_of;
  for (const auto& c : vocab_concepts()) {
    Tag tag = 0;
    if (c.concept_class == "DICOM Attributes" && parse_hex_tag(c.code, tag)) attribute_[tag] = c.concept_id;
    else code_of[c.concept_id] = c.code;
  }
  for (const auto& r : vocab_relationships()) {
    if (r.relationship == "Maps to") maps_to_[r.concept_id_1] = r.concept_id_2;
    else if (r.relationship == "Maps to value" && code_of.count(r.concept_id_2))
      value_[std::to_string(r.concept_id_1) + '|' + code_of[r.concept_id_2]] = r.concept_id_2;
  }
  elements_ = vocab_data_elements();
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    Tag tag = 0;
    if (parse_hex_tag(elements_[i].code, tag)) element_index_.emplace(tag, i);
  }
}

std::int64_t Vocabulary::attribute_concept(Tag tag) const {
  auto it = attribute_.find(tag);
  return it == attribute_.end() ? 0 : it->second;
}

std::int64_t Vocabulary::value_concept(std::int64_t attribute, std::string_view value) const {
  auto it = value_.find(std::to_string(attribute) + '|' + std::string(value));
  return it == value_.end() ? 0 : it->second;
}

std::int64_t Vocabulary::maps_to(std::int64_t value_concept) const {
  auto it = maps_to_.find(value_concept);
  return it == maps_to_.end() ? 0 : it->second;
}

const DataElementRow* Vocabulary::element(Tag tag) const {
  auto it = element_index_.find(tag);
  return it == element_index_.end() ? nullptr : &elements_[it->second];
}

}  // namespace dicometl::omop
