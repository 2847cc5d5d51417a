#pragma once
// Reads the elements the FHIR mapping needs beyond the catalog's named columns from one
// instance's DICOM JSON (PS3.18 F): sequences of codes, AdmissionID, SR concept names.
#include <string_view>

#include "dicometl/fhir/study_record.hpp"

namespace dicometl::fhir {

//! Fills the study-level extras (admission, procedure and reason codes) from `dicom_json`.
//! Malformed JSON leaves the record unchanged: the catalog wrote it, so it is not expected.
void read_study_extras(std::string_view dicom_json, StudyRecord& study);

//! Fills the series-level extras (DeviceUID; ImageLaterality when Laterality is empty; the
//! acquisition values of the MII extensions: CT/X-ray technique, MR field and sequence, contrast,
//! radiopharmaceutical).
void read_series_extras(std::string_view dicom_json, SeriesRecord& series);

//! The Code Meaning of ConceptNameCodeSequence (an SR or KO document title), or "".
std::string concept_name_meaning(std::string_view dicom_json);

}  // namespace dicometl::fhir
