#include "dicometl/fhir/dicom_json_fields.hpp"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

namespace dicometl::fhir {

namespace {

using nlohmann::json;

json parse(std::string_view text) {
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

//! The first value of element `tag` in a DICOM JSON object as text ("" when absent).
std::string first_text(const json& obj, const char* tag) {
  if (!obj.is_object()) return {};
  const auto it = obj.find(tag);
  if (it == obj.end() || !it->is_object()) return {};
  const auto v = it->find("Value");
  if (v == it->end() || !v->is_array() || v->empty()) return {};
  const json& first = (*v)[0];
  if (first.is_string()) return first.get<std::string>();
  if (first.is_number_integer()) return std::to_string(first.get<std::int64_t>());
  if (first.is_object() && first.contains("Alphabetic") && first["Alphabetic"].is_string())
    return first["Alphabetic"].get<std::string>();
  return {};
}

//! The items of sequence `tag` (empty when absent).
const json& items(const json& obj, const char* tag) {
  static const json kEmpty = json::array();
  if (!obj.is_object()) return kEmpty;
  const auto it = obj.find(tag);
  if (it == obj.end() || !it->is_object()) return kEmpty;
  const auto v = it->find("Value");
  if (v == it->end() || !v->is_array()) return kEmpty;
  return *v;
}

//! The first value of a numeric element (DS/IS as JSON number or text, FD/FL), if finite.
std::optional<double> first_number(const json& obj, const char* tag) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(tag);
  if (it == obj.end() || !it->is_object()) return std::nullopt;
  const auto v = it->find("Value");
  if (v == it->end() || !v->is_array() || v->empty()) return std::nullopt;
  const json& first = (*v)[0];
  double d = 0;
  if (first.is_number()) {
    d = first.get<double>();
  } else if (first.is_string()) {
    const std::string t = first.get<std::string>();
    char* end = nullptr;
    d = std::strtod(t.c_str(), &end);
    if (end == t.c_str()) return std::nullopt;
    while (*end == ' ') ++end;
    if (*end != '\0') return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

//! All values of a multi-valued text element joined with '\\' (DICOM's own separator).
std::string all_text(const json& obj, const char* tag) {
  std::string out;
  if (!obj.is_object()) return out;
  const auto it = obj.find(tag);
  if (it == obj.end() || !it->is_object()) return out;
  const auto v = it->find("Value");
  if (v == it->end() || !v->is_array()) return out;
  for (const json& x : *v) {
    if (!x.is_string() || x.get<std::string>().empty()) continue;
    if (!out.empty()) out.push_back('\\');
    out += x.get<std::string>();
  }
  return out;
}

std::vector<DicomCode> codes(const json& obj, const char* tag) {
  std::vector<DicomCode> out;
  for (const json& item : items(obj, tag)) {
    DicomCode c;
    c.value = first_text(item, "00080100");                       // CodeValue
    if (c.value.empty()) c.value = first_text(item, "00080119");  // LongCodeValue
    if (c.value.empty()) c.value = first_text(item, "00080120");  // URNCodeValue
    c.scheme = first_text(item, "00080102");
    c.meaning = first_text(item, "00080104");
    if (!c.value.empty() || !c.meaning.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

void read_study_extras(std::string_view dicom_json, StudyRecord& study) {
  const json ds = parse(dicom_json);
  if (!ds.is_object()) return;
  study.admission_id = first_text(ds, "00380010");
  study.procedure_codes = codes(ds, "00081032");
  study.reason_codes = codes(ds, "0040100A");
  study.reason_text = first_text(ds, "00401002");
  // Modalities often carry the request in RequestAttributesSequence instead of the top level.
  for (const json& req : items(ds, "00400275")) {
    if (study.reason_codes.empty()) study.reason_codes = codes(req, "0040100A");
    if (study.reason_text.empty()) study.reason_text = first_text(req, "00401002");
  }
}

void read_series_extras(std::string_view dicom_json, SeriesRecord& series) {
  const json ds = parse(dicom_json);
  if (!ds.is_object()) return;
  series.device_uid = first_text(ds, "00181002");
  if (series.laterality.empty()) series.laterality = first_text(ds, "00200062");

  SeriesAcquisition& a = series.acquisition;
  a.kvp = first_number(ds, "00180060");
  a.ctdi_vol_mgy = first_number(ds, "00189345");
  a.exposure_time_ms = first_number(ds, "00181150");
  a.tube_current_ma = first_number(ds, "00181151");
  a.exposure_mas = first_number(ds, "00181152");
  a.field_strength_t = first_number(ds, "00180087");
  a.scanning_sequence = all_text(ds, "00180020");
  a.sequence_variant = all_text(ds, "00180021");
  // The Contrast/Bolus module is present only when contrast was given; its agent is Type 2, so
  // the element's presence (even empty) is the signal.
  a.contrast_agent_present = ds.contains("00180010");
  for (const json& item : items(ds, "00540016")) {  // RadiopharmaceuticalInformationSequence
    a.radiopharmaceutical = first_text(item, "00180031");
    a.radiopharmaceutical_codes = codes(item, "00540304");
    a.radionuclide_codes = codes(item, "00540300");
    a.radionuclide_total_dose = first_number(item, "00181074");
    a.radionuclide_half_life_s = first_number(item, "00181075");
    break;  // the first item: the administered tracer the seed converter reported too
  }
}

std::string concept_name_meaning(std::string_view dicom_json) {
  const json ds = parse(dicom_json);
  for (const json& item : items(ds, "0040A043")) return first_text(item, "00080104");
  return {};
}

}  // namespace dicometl::fhir
