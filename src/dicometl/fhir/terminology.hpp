#pragma once
// Body part and laterality codes: DICOM PS3.16 Annex L and CID 244 → SNOMED CT.
#include <optional>
#include <string>
#include <string_view>

namespace dicometl::fhir {

struct Code {
  std::string system;   //!< empty when the code comes from no known code system
  std::string code;
  std::string display;  //!< may be empty
};

inline constexpr const char* kSnomed = "http://snomed.info/sct";
inline constexpr const char* kDcm = "http://dicom.nema.org/resources/ontology/DCM";

//! Body Part Examined → SNOMED CT via Annex L (case- and blank-insensitive). A term Annex L does not
//! map keeps its raw value as code without a system: a system is never invented.
std::optional<Code> body_site(std::string_view body_part_examined);

//! Laterality R/L/B/U → SNOMED CT (CID 244); nullopt for anything else.
std::optional<Code> laterality(std::string_view value);

//! DICOM Coding Scheme Designator → FHIR system URI; empty when there is no well-known URI.
std::string coding_system(std::string_view scheme_designator);

}  // namespace dicometl::fhir
