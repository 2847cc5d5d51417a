#pragma once
// One study as the exporter sees it: the catalog's named columns plus the few elements read from
// instance.dicom_json. Plain values; one study is held in memory at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dicometl::fhir {

//! A DICOM code sequence item as stored (Code Value, Coding Scheme Designator, Code Meaning).
struct DicomCode {
  std::string value, scheme, meaning;
};

struct InstanceRecord {
  std::string sop_instance_uid, sop_class_uid;
  std::optional<std::int64_t> number;
  std::string title;  //!< ImageType joined with '\', or an SR document's concept name meaning
};

struct SeriesRecord {
  std::string uid, date, time, modality, body_part_examined, description, laterality,
      institution_name, manufacturer, model_name, serial_number, software_versions, device_uid;
  std::optional<std::int64_t> number;
  std::vector<InstanceRecord> instances;
};

struct StudyRecord {
  std::string uid, date, time, accession_number, description, timezone_offset;
  std::string patient_id, issuer_of_patient_id, patient_name, patient_sex, patient_birth_date;
  std::string admission_id;
  std::vector<DicomCode> procedure_codes;
  std::vector<DicomCode> reason_codes;
  std::string reason_text;  //!< ReasonForTheRequestedProcedure, used when no reason codes exist
  std::vector<SeriesRecord> series;

  std::size_t instance_count() const {
    std::size_t n = 0;
    for (const auto& s : series) n += s.instances.size();
    return n;
  }
};

}  // namespace dicometl::fhir
