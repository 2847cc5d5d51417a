#pragma once
// What a user can set for the OMOP output; the CLI and `dicometl run` (d2e job files) fill it.
#include <string>

namespace dicometl::omop {

//! What to do with a study whose PatientID matches no person.
enum class MissingPerson {
  kSkip,    //!< write no rows for it and record why in dicometl_omop_skip
  kZero,    //!< use person_id 0 (the d2e plugin's use_id_zero)
  kCreate,  //!< add a person from PatientSex and PatientBirthDate (or PatientAge + StudyDate)
};

//! Parses skip | zero | use_id_zero | create (case-insensitive); throws std::invalid_argument.
MissingPerson parse_missing_person(std::string text);

//! Which concept image_occurrence.modality_concept_id holds.
enum class ModalityConcepts {
  kDicom,   //!< the DICOM2OMOP value concept of the Modality code (CT → 2128009190); not standard
  kSnomed,  //!< the site's standard SNOMED procedure concept named as that value concept (d2e's
            //!< choice: "Computed tomography" → the SNOMED Procedure of that name), else 0
};
//! Parses dicom | snomed (case-insensitive); throws std::invalid_argument.
ModalityConcepts parse_modality_concepts(std::string text);

//! A table mapping PatientID to person_id, as the d2e plugin's PersonPatientMapping.
struct PersonMapping {
  std::string schema;  //!< empty: the CDM schema
  std::string table = "person";
  std::string person_id_column = "person_id";
  std::string patient_id_column = "person_source_value";
};

struct Options {
  std::string cdm_schema =
      "public";  //!< person, visit_occurrence, procedure_occurrence, cdm_source
  std::string vocab_schema =
      "public";  //!< concept, vocabulary, concept_class, concept_relationship
  std::string imaging_schema = "public";  //!< image_occurrence, image_feature, R-CDM, d2e metadata
  PersonMapping person;
  MissingPerson missing_person = MissingPerson::kSkip;
  ModalityConcepts modality_concepts = ModalityConcepts::kDicom;
  bool visits = false;        //!< one visit_occurrence per study (outpatient, 9202)
  bool metadata = true;       //!< dicom_file_metadata rows (one per element)
  bool rcdm = true;           //!< R-CDM radiology_occurrence and radiology_image
  std::string dicomweb_base;  //!< e.g. https://pacs/dicom-web: fills image_occurrence.wadors_uri
  std::string source_name = "dicometl imaging";  //!< cdm_source name when dicometl writes that row
};

}  // namespace dicometl::omop
