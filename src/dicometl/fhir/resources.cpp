#include "dicometl/fhir/resources.hpp"

#include <cctype>
#include <set>

#include "dicometl/fhir/hash_id.hpp"
#include "dicometl/fhir/mii_extensions.hpp"
#include "dicometl/fhir/terminology.hpp"

namespace dicometl::fhir {

using Json = nlohmann::ordered_json;

std::string fhir_trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\0' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string fhir_code(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : fhir_trim(s)) {
    const bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<Json> codeable_concept(const DicomCode& d) {
  const std::string code = fhir_code(d.value), meaning = fhir_trim(d.meaning);
  if (code.empty() && meaning.empty()) return std::nullopt;
  Json cc = Json::object();
  if (!code.empty()) {
    Json c = Json::object();
    if (auto sys = coding_system(fhir_trim(d.scheme)); !sys.empty()) c["system"] = sys;
    c["code"] = code;
    if (!meaning.empty()) c["display"] = meaning;
    cc["coding"] = Json::array({c});
  }
  if (!meaning.empty()) cc["text"] = meaning;
  return cc;
}

namespace {

constexpr const char* kV2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
constexpr const char* kDataAbsentReason =
    "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

//! R4 `id` (and the uid elements typed id): [A-Za-z0-9\-\.]{1,64}.
bool valid_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return true;
}

Json coding(const Code& c) {
  Json j = Json::object();
  if (!c.system.empty()) j["system"] = c.system;
  j["code"] = fhir_code(c.code);
  if (!fhir_trim(c.display).empty()) j["display"] = fhir_trim(c.display);
  return j;
}

Json type_coding(const char* code) {
  return Json{{"coding", Json::array({Json{{"system", kV2_0203}, {"code", code}}})}};
}

Json patient_identifier(const StudyRecord& r, const MappingOptions& o) {
  return Json{{"type", type_coding("MR")},
              {"system", o.patient_id_system},
              {"value", fhir_trim(r.patient_id)}};
}

Json patient_resource(const StudyRecord& r, const MappingOptions& o, const std::string& id) {
  Json p = Json::object();
  p["resourceType"] = "Patient";
  if (!id.empty()) p["id"] = id;
  if (!fhir_trim(r.patient_id).empty()) p["identifier"] = Json::array({patient_identifier(r, o)});
  if (auto name = human_name(r.patient_name)) p["name"] = Json::array({*name});
  const std::string sex = fhir_trim(r.patient_sex);
  if (sex == "M")
    p["gender"] = "male";
  else if (sex == "F")
    p["gender"] = "female";
  else if (sex == "O")
    p["gender"] = "other";
  else if (!sex.empty())
    p["gender"] = "unknown";
  if (auto d = fhir_date(r.patient_birth_date)) p["birthDate"] = *d;
  return p;
}

Json device_resource(const SeriesRecord& s, const std::string& id, const MappingOptions& o) {
  Json d = Json::object();
  d["resourceType"] = "Device";
  d["id"] = id;
  if (o.mii) d["meta"] = Json{{"profile", Json::array({kMiiDeviceProfile})}};
  Json ids =
      Json::array({Json{{"type", type_coding("SNO")}, {"value", fhir_trim(s.serial_number)}}});
  if (valid_id(fhir_trim(s.device_uid)))
    ids.push_back(
        Json{{"system", "urn:dicom:uid"}, {"value", "urn:oid:" + fhir_trim(s.device_uid)}});
  d["identifier"] = ids;
  if (!fhir_trim(s.manufacturer).empty()) d["manufacturer"] = fhir_trim(s.manufacturer);
  d["serialNumber"] = fhir_trim(s.serial_number);
  if (!fhir_trim(s.model_name).empty())
    d["deviceName"] =
        Json::array({Json{{"name", fhir_trim(s.model_name)}, {"type", "model-name"}}});
  if (!fhir_trim(s.software_versions).empty())
    d["version"] = Json::array({Json{{"value", fhir_trim(s.software_versions)}}});
  if (!fhir_trim(s.institution_name).empty())
    d["owner"] = Json{{"display", fhir_trim(s.institution_name)}};
  return d;
}

//! A minimal Encounter for an AdmissionID: DICOM says nothing of its class or state, so status is
//! `unknown` and the required class carries a data-absent-reason instead of a guessed code.
Json encounter_resource(const std::string& id, const Json& identifier, const Json& subject) {
  Json e = Json::object();
  e["resourceType"] = "Encounter";
  e["id"] = id;
  e["identifier"] = Json::array({identifier});
  e["status"] = "unknown";
  e["class"] = Json{
      {"extension", Json::array({Json{{"url", kDataAbsentReason}, {"valueCode", "unknown"}}})}};
  e["subject"] = subject;
  return e;
}

}  // namespace

std::optional<Json> human_name(const std::string& pn) {
  // Only the alphabetic group: ideographic/phonetic groups need extensions FHIR R4 core lacks.
  const std::string alpha = pn.substr(0, pn.find('='));
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto caret = alpha.find('^', start);
    parts.push_back(fhir_trim(
        alpha.substr(start, caret == std::string::npos ? std::string::npos : caret - start)));
    if (caret == std::string::npos) break;
    start = caret + 1;
  }
  parts.resize(5);
  Json n = Json::object();
  if (!parts[0].empty()) n["family"] = parts[0];
  Json given = Json::array();
  for (int i : {1, 2})
    if (!parts[i].empty()) given.push_back(parts[i]);
  if (!given.empty()) n["given"] = given;
  if (!parts[3].empty()) n["prefix"] = Json::array({parts[3]});
  if (!parts[4].empty()) n["suffix"] = Json::array({parts[4]});
  if (n.empty()) return std::nullopt;
  return n;
}

std::string device_id(const SeriesRecord& s) {
  const std::string serial = fhir_trim(s.serial_number);
  if (serial.empty()) return {};
  return sha256_hex(serial + "|" + fhir_trim(s.manufacturer));
}

StudyResources build_resources(const StudyRecord& r, const MappingOptions& o) {
  StudyResources out;
  const std::string uid = fhir_trim(r.uid), accession = fhir_trim(r.accession_number);
  if (uid.empty() && accession.empty()) {
    out.reason = "no AccessionNumber and no StudyInstanceUID";
    return out;
  }
  Json st = Json::object();
  st["resourceType"] = "ImagingStudy";
  st["id"] = uid.empty() ? identifier_id(o.accession_system.empty() ? "ACSN" : o.accession_system,
                                         accession)
                         : identifier_id(o.study_id_system, uid);
  if (const std::string profile = !o.profile.empty() ? o.profile
                                  : o.mii            ? kMiiStudyProfile
                                                     : "";
      !profile.empty())
    st["meta"] = Json{{"profile", Json::array({profile})}};

  const std::string patient_id = fhir_trim(r.patient_id);
  const std::string patient_ref_id =
      patient_id.empty() ? std::string{} : identifier_id(o.patient_id_system, patient_id);
  if (o.contained_patient) st["contained"] = Json::array({patient_resource(r, o, "patient")});

  Json ids = Json::array();
  if (!accession.empty()) {
    Json a = Json{{"use", "usual"}, {"type", type_coding("ACSN")}};
    if (!o.accession_system.empty()) a["system"] = o.accession_system;
    a["value"] = accession;
    ids.push_back(a);
  }
  if (!uid.empty()) ids.push_back(Json{{"system", "urn:dicom:uid"}, {"value", "urn:oid:" + uid}});
  st["identifier"] = ids;
  st["status"] = "available";

  Json modalities = Json::array();
  std::set<std::string> seen_modalities;
  for (const auto& s : r.series) {
    std::string m = fhir_code(s.modality);
    if (m.empty()) m = "OT";
    if (seen_modalities.insert(m).second) modalities.push_back(Json{{"system", kDcm}, {"code", m}});
  }
  if (!modalities.empty()) st["modality"] = modalities;

  // The patient as other resources of this study reference it (a contained one is the study's own).
  Json subject = Json{{"display", "patient without PatientID"}};
  if (!patient_id.empty()) {
    subject = o.patients ? Json{{"reference", "Patient/" + patient_ref_id},
                                {"identifier", patient_identifier(r, o)}}
                         : Json{{"identifier", patient_identifier(r, o)}};
  }
  st["subject"] = o.contained_patient ? Json{{"reference", "#patient"}} : subject;
  if (const std::string adm = fhir_trim(r.admission_id); !adm.empty()) {
    const Json identifier = Json{{"system", o.admission_id_system}, {"value", adm}};
    if (o.encounters) {
      const std::string id = identifier_id(o.admission_id_system, adm);
      st["encounter"] = Json{{"reference", "Encounter/" + id}, {"identifier", identifier}};
      out.encounter = encounter_resource(id, identifier, subject);
    } else {
      st["encounter"] = Json{{"identifier", identifier}};
    }
  }
  if (auto started =
          fhir_datetime(r.date, r.time, r.timezone_offset, o.zone, &out.notes.time_dropped))
    st["started"] = *started;
  st["numberOfSeries"] = r.series.size();
  st["numberOfInstances"] = r.instance_count();

  Json procedures = Json::array();
  for (const auto& c : r.procedure_codes)
    if (auto cc = codeable_concept(c)) procedures.push_back(*cc);
  if (!procedures.empty()) st["procedureCode"] = procedures;
  Json reasons = Json::array();
  for (const auto& c : r.reason_codes)
    if (auto cc = codeable_concept(c)) reasons.push_back(*cc);
  if (reasons.empty() && !fhir_trim(r.reason_text).empty())
    reasons.push_back(Json{{"text", fhir_trim(r.reason_text)}});
  if (!reasons.empty()) st["reasonCode"] = reasons;
  if (!fhir_trim(r.description).empty()) st["description"] = fhir_trim(r.description);

  Json series = Json::array();
  std::set<std::string> device_ids;
  for (const auto& s : r.series) {
    Json js = Json::object();
    if (o.mii)
      if (Json ext = mii_series_extensions(s); !ext.empty()) js["extension"] = std::move(ext);
    js["uid"] = fhir_trim(s.uid);
    if (s.number && *s.number >= 0) js["number"] = *s.number;
    std::string m = fhir_code(s.modality);
    js["modality"] = Json{{"system", kDcm}, {"code", m.empty() ? std::string("OT") : m}};
    if (!fhir_trim(s.description).empty()) js["description"] = fhir_trim(s.description);
    js["numberOfInstances"] = s.instances.size();
    if (auto site = body_site(s.body_part_examined)) js["bodySite"] = coding(*site);
    if (auto lat = laterality(s.laterality)) js["laterality"] = coding(*lat);
    const std::string date = fhir_trim(s.date).empty() ? r.date : s.date;
    if (auto started =
            fhir_datetime(date, s.time, r.timezone_offset, o.zone, &out.notes.time_dropped))
      js["started"] = *started;

    const std::string dev = device_id(s);
    const std::string display =
        fhir_trim(fhir_trim(s.manufacturer) + " " + fhir_trim(s.model_name));
    if (!dev.empty()) {
      Json actor = o.devices ? Json{{"reference", "Device/" + dev}}
                             : Json{{"identifier", Json{{"type", type_coding("SNO")},
                                                        {"value", fhir_trim(s.serial_number)}}}};
      if (!display.empty()) actor["display"] = display;
      js["performer"] = Json::array({Json{{"actor", actor}}});
      if (o.devices && device_ids.insert(dev).second)
        out.devices.push_back(device_resource(s, dev, o));
    } else if (!display.empty()) {
      ++out.notes.devices_without_serial;  // no stable id: name the scanner, reference nothing
      js["performer"] = Json::array({Json{{"actor", Json{{"display", display}}}}});
    } else {
      ++out.notes.devices_without_serial;
    }

    Json instances = Json::array();
    for (const auto& in : s.instances) {
      Json ji = Json::object();
      if (o.mii)
        if (Json ext = mii_instance_extensions(in); !ext.empty()) ji["extension"] = std::move(ext);
      ji["uid"] = fhir_trim(in.sop_instance_uid);
      ji["sopClass"] =
          Json{{"system", "urn:ietf:rfc:3986"}, {"code", "urn:oid:" + fhir_trim(in.sop_class_uid)}};
      if (in.number && *in.number >= 0) ji["number"] = *in.number;
      if (!fhir_trim(in.title).empty()) ji["title"] = fhir_trim(in.title);
      instances.push_back(ji);
    }
    js["instance"] = instances;
    series.push_back(js);
  }
  st["series"] = series;
  out.study = std::move(st);
  out.patient_key = patient_id;
  if (o.patients && !patient_id.empty()) out.patient = patient_resource(r, o, patient_ref_id);
  return out;
}

}  // namespace dicometl::fhir
