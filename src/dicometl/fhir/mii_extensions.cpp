#include "dicometl/fhir/mii_extensions.hpp"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "dicometl/fhir/resources.hpp"

namespace dicometl::fhir {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUcum = "http://unitsofmeasure.org";

std::string mii_url(const char* kind, const char* id) {
  return std::string(kMiiBase) + kind + "/" + id;
}

//! A FHIR decimal from a DICOM number: integral values stay integers (120, not 120.0).
Json decimal(double v) {
  if (std::fabs(v) < 1e15 && v == std::floor(v)) return static_cast<std::int64_t>(v);
  return v;
}

//! A sub-extension with a UCUM quantity, units as the MII StructureDefinitions fix them.
void add_quantity(Json& subs, const char* url, const std::optional<double>& v, const char* unit,
                  const char* code) {
  if (!v) return;
  subs.push_back(
      Json{{"url", url},
           {"valueQuantity",
            Json{{"value", decimal(*v)}, {"unit", unit}, {"system", kUcum}, {"code", code}}}});
}

//! A CS value as Coding: one value the MII code system lists gets that system; several values
//! (SE\IR) or unlisted ones keep the DICOM text as code without a system (never invented).
void add_cs_coding(Json& subs, const char* url, const std::string& value, const char* code_system,
                   std::initializer_list<const char*> listed) {
  const std::string code = fhir_code(value);
  if (code.empty()) return;
  Json c = Json::object();
  for (const char* k : listed)
    if (code == k) c["system"] = mii_url("CodeSystem", code_system);
  c["code"] = code;
  subs.push_back(Json{{"url", url}, {"valueCoding", c}});
}

//! A coded sequence item (plus the free-text name when there is one) as CodeableConcept.
void add_concept(Json& subs, const char* url, const std::vector<DicomCode>& codes,
                 const std::string& text) {
  Json cc = Json::object();
  if (!codes.empty())
    if (auto c = codeable_concept(codes.front())) cc = std::move(*c);
  if (const std::string t = fhir_trim(text); !t.empty()) cc["text"] = t;
  if (!cc.empty()) subs.push_back(Json{{"url", url}, {"valueCodeableConcept", cc}});
}

void add_complex(Json& out, const char* id, Json subs) {
  if (!subs.empty())
    out.push_back(
        Json{{"url", mii_url("StructureDefinition", id)}, {"extension", std::move(subs)}});
}

}  // namespace

Json mii_series_extensions(const SeriesRecord& s) {
  const SeriesAcquisition& a = s.acquisition;
  const std::string m = fhir_code(s.modality);
  Json out = Json::array();
  Json subs = Json::array();
  if (m == "CT" || m == "MG" || m == "CR" || m == "DX") {
    if (m == "CT") add_quantity(subs, "CTDIvol", a.ctdi_vol_mgy, "milligray", "mGy");
    add_quantity(subs, "KVP", a.kvp, "kilovolt", "kV");
    add_quantity(subs, "exposureTime", a.exposure_time_ms, "milliseconds", "ms");
    add_quantity(subs, "exposure", a.exposure_mas, "milliampere second", "mA.s");
    add_quantity(subs, "xRayTubeCurrent", a.tube_current_ma, "milliampere", "mA");
    add_complex(
        out,
        m == "CT" ? "mii-ex-bildgebung-modalitaet-ct" : "mii-ex-bildgebung-modalitaet-mg-cr-dx",
        std::move(subs));
  } else if (m == "MR") {
    add_quantity(subs, "magneticFieldStrength", a.field_strength_t, "Tesla", "T");
    add_cs_coding(subs, "scanningSequence", a.scanning_sequence,
                  "mii-cs-bildgebung-scanning-sequence", {"SE", "IR", "GR", "EP", "RM"});
    add_cs_coding(subs, "scanningSequenceVariant", a.sequence_variant,
                  "mii-cs-bildgebung-scanning-sequence-variant",
                  {"SK", "MTC", "SS", "TRSS", "SP", "MP", "OSP", "NONE"});
    add_complex(out, "mii-ex-bildgebung-modalitaet-mr", std::move(subs));
  } else if (m == "PT" || m == "NM") {
    add_concept(subs, "radiopharmaceutical", a.radiopharmaceutical_codes, a.radiopharmaceutical);
    add_concept(subs, "radionuclide", a.radionuclide_codes, "");
    // DICOM stores the dose in Bq for PET and in MBq for NM; the two MII extensions use exactly
    // these units, so the value is copied, never rescaled.
    if (m == "PT")
      add_quantity(subs, "radionuclideTotalDose", a.radionuclide_total_dose, "Becquerel", "Bq");
    else
      add_quantity(subs, "radionuclideTotalDose", a.radionuclide_total_dose, "Megabecquerel",
                   "MBq");
    add_quantity(subs, "radionuclideHalfLife", a.radionuclide_half_life_s, "Seconds", "s");
    add_complex(out,
                m == "PT" ? "mii-ex-bildgebung-modalitaet-pt" : "mii-ex-bildgebung-modalitaet-nm",
                std::move(subs));
  }
  if (a.contrast_agent_present)
    add_complex(out, "mii-ex-bildgebung-kontrastmittel",
                Json::array({Json{{"url", "contrastBolus"}, {"valueBoolean", true}}}));
  return out;
}

Json mii_instance_extensions(const InstanceRecord& in) {
  Json subs = Json::array();
  // PixelSpacing is row spacing (vertical, Y) then column spacing (horizontal, X).
  add_quantity(subs, "pixelSpacingX", in.pixel_spacing_col, "millimeter", "mm");
  add_quantity(subs, "pixelSpacingY", in.pixel_spacing_row, "millimeter", "mm");
  add_quantity(subs, "sliceThickness", in.slice_thickness, "millimeter", "mm");
  if (const std::string t = fhir_trim(in.image_type); !t.empty())
    subs.push_back(Json{{"url", "imageType"}, {"valueString", t}});
  Json out = Json::array();
  add_complex(out, "mii-ex-bildgebung-instanz-details", std::move(subs));
  return out;
}

}  // namespace dicometl::fhir
