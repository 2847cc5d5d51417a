#pragma once
// StudyRecord → FHIR R4 resources (ImagingStudy, Device, Patient, Encounter) as
// nlohmann::ordered_json values. Internal to the fhir module and its tests: the CLI sees
// export.hpp only.
//
// References: a literal reference (`Type/id`) is written only to a resource this export also
// writes (Patient with --patients, Encounter with --encounters, Device with --devices); anything
// else is a logical reference by identifier, so no output holds a reference that cannot resolve.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dicometl/fhir/options.hpp"
#include "dicometl/fhir/study_record.hpp"

namespace dicometl::fhir {

//! What building one study's resources noticed, for the summary.
struct BuildNotes {
  bool time_dropped = false;               //!< a study/series time had no zone: date only
  std::size_t devices_without_serial = 0;  //!< series whose scanner has no DeviceSerialNumber
};

//! The resources of one study. `study` is empty when the study cannot be converted (`reason`).
struct StudyResources {
  std::optional<nlohmann::ordered_json> study;
  std::string reason;
  std::vector<nlohmann::ordered_json>
      devices;  //!< distinct, in series order (when options.devices)
  std::optional<nlohmann::ordered_json> patient;  //!< when options.patients and a PatientID exists
  std::optional<nlohmann::ordered_json>
      encounter;  //!< when options.encounters and an AdmissionID exists
  std::string
      patient_key;  //!< the PatientID (trimmed): outputs dedupe Patient/Encounter per patient
  BuildNotes notes;
};

StudyResources build_resources(const StudyRecord& record, const MappingOptions& options);

//! The Device id for a scanner: sha256(serial + "|" + manufacturer); empty without a serial.
std::string device_id(const SeriesRecord& series);

//! A FHIR string: no leading/trailing white space (empty when nothing is left).
std::string fhir_trim(std::string_view s);
//! A FHIR `code`: no leading/trailing white space and single spaces inside.
std::string fhir_code(std::string_view s);
//! A DICOM code item → CodeableConcept; the scheme becomes a system only when it has a known URI.
std::optional<nlohmann::ordered_json> codeable_concept(const DicomCode& code);

//! DICOM PN ("Family^Given^Middle^Prefix^Suffix", groups split by '=') → FHIR HumanName.
std::optional<nlohmann::ordered_json> human_name(const std::string& pn);

}  // namespace dicometl::fhir
