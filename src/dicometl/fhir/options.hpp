#pragma once
// What the FHIR export writes and how it names things. Defaults follow the HL7 ImagingStudy
// examples; identifier systems should be set to the hospital's own.
#include <string>

#include "dicometl/fhir/datetime.hpp"

namespace dicometl::fhir {

enum class OutputMode {
  kFiles,        //!< one JSON file per resource
  kCollection,   //!< one collection Bundle per study
  kTransaction,  //!< one transaction Bundle per study, PUT entries (idempotent loads)
  kNdjson,       //!< Bulk Data: one NDJSON file per resource type, one resource a line
};

struct MappingOptions {
  std::string study_id_system = "urn:dicom:uid";  //!< ImagingStudy.id = sha256(this|StudyUID)
  std::string patient_id_system = "urn:dicometl:patient-id";      //!< MR identifier system
  std::string admission_id_system = "urn:dicometl:admission-id";  //!< encounter identifier
  std::string accession_system;    //!< optional system of the ACSN identifier
  std::string profile;             //!< ImagingStudy.meta.profile when not empty
  ZoneSetting zone;                //!< used when TimezoneOffsetFromUTC is absent
  bool contained_patient = false;  //!< a contained Patient instead of a reference
  bool devices = false;            //!< emit Device resources and reference them
  bool patients = false;           //!< emit Patient resources (identifier, name, sex, birth date)
  bool encounters = false;         //!< emit a minimal Encounter per AdmissionID and reference it
  //! MII Bildgebung: its extensions on series and instances, and its ImagingStudy/Device
  //! profiles in meta.profile (`profile`, when set, still wins for the ImagingStudy).
  bool mii = false;
};

}  // namespace dicometl::fhir
