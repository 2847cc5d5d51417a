#include "dicometl/omop/options.hpp"

#include <algorithm>
#include <stdexcept>

namespace dicometl::omop {

MissingPerson parse_missing_person(std::string t) {
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "skip") return MissingPerson::kSkip;
  if (t == "zero" || t == "use_id_zero") return MissingPerson::kZero;
  if (t == "create") return MissingPerson::kCreate;
  throw std::invalid_argument("missing-person policy must be skip, zero (use_id_zero) or create");
}

ModalityConcepts parse_modality_concepts(std::string t) {
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "dicom") return ModalityConcepts::kDicom;
  if (t == "snomed") return ModalityConcepts::kSnomed;
  throw std::invalid_argument("modality concepts must be dicom or snomed");
}

}  // namespace dicometl::omop
