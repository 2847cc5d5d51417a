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
  std::string title;       //!< ImageType joined with '\', or an SR document's concept name meaning
  std::string image_type;  //!< ImageType joined with '\' (the catalog column)
  std::optional<double> slice_thickness, pixel_spacing_row, pixel_spacing_col;  //!< mm
};

//! Acquisition values of a series (its first instance), for the MII Bildgebung extensions.
//! Absent elements stay empty: an extension is written only for what the file holds.
struct SeriesAcquisition {
  std::optional<double> kvp, ctdi_vol_mgy, exposure_time_ms, tube_current_ma, exposure_mas;
  std::optional<double> field_strength_t;
  std::string scanning_sequence, sequence_variant;  //!< CS values joined with '\'
  bool contrast_agent_present = false;  //!< ContrastBolusAgent (0018,0010) is in the dataset
  std::string radiopharmaceutical;      //!< (0018,0031) text
  std::vector<DicomCode> radiopharmaceutical_codes, radionuclide_codes;
  std::optional<double> radionuclide_total_dose, radionuclide_half_life_s;  //!< dose as stored
};

struct SeriesRecord {
  std::string uid, date, time, modality, body_part_examined, description, laterality,
      institution_name, manufacturer, model_name, serial_number, software_versions, device_uid;
  std::optional<std::int64_t> number;
  SeriesAcquisition acquisition;
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
