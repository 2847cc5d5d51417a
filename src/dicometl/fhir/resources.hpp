#pragma once
// StudyRecord → FHIR R4 resources (ImagingStudy, Device, Patient) as nlohmann::ordered_json values.
// Internal to the fhir module and its tests: the CLI sees export.hpp only.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dicometl/fhir/options.hpp"
#include "dicometl/fhir/study_record.hpp"

namespace dicometl::fhir {

//! What building one study's resources noticed, for the summary.
struct BuildNotes {
  bool time_dropped = false;         //!< a study/series time had no zone: date only
  std::size_t devices_without_serial = 0;  //!< series whose scanner has no DeviceSerialNumber
};

//! The resources of one study. `study` is empty when the study cannot be converted (`reason`).
struct StudyResources {
  std::optional<nlohmann::ordered_json> study;
  std::string reason;
  std::vector<nlohmann::ordered_json> devices;  //!< distinct, in series order (when options.devices)
  std::optional<nlohmann::ordered_json> patient;  //!< when options.patients and a PatientID exists
  BuildNotes notes;
};

StudyResources build_resources(const StudyRecord& record, const MappingOptions& options);

//! The Device id for a scanner: sha256(serial + "|" + manufacturer); empty without a serial.
std::string device_id(const SeriesRecord& series);

//! DICOM PN ("Family^Given^Middle^Prefix^Suffix", groups split by '=') → FHIR HumanName.
std::optional<nlohmann::ordered_json> human_name(const std::string& pn);

}  // namespace dicometl::fhir
