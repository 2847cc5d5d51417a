#pragma once
// `dicometl vocab load`: the DICOM vocabulary into vocabulary, concept_class, concept,
// concept_relationship and dicom_data_element, idempotently.
#include <cstdint>

#include "dicometl/omop/options.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::omop {

struct VocabCounts {
  std::int64_t concepts = 0;       //!< DICOM concepts present after the load
  std::int64_t relationships = 0;  //!< DICOM Maps to / Maps to value rows present after the load
  std::int64_t data_elements = 0;  //!< dicom_data_element rows present after the load
  std::int64_t removed = 0;        //!< rows deleted by --truncate (DICOM rows only)
  //! Maps to rows not written because their target concept is absent (SNOMED before Athena is
  //! loaded): a dangling concept_id_2 would break OHDSI's foreign keys. A later load adds them.
  std::int64_t waiting = 0;
};

//! Loads what is missing (re-running adds nothing). `truncate` first deletes the DICOM rows only:
//! vocabulary_id 'DICOM' concepts and their relationships, the two DICOM concept classes, the
//! DICOM vocabulary row and dicom_data_element, never any other vocabulary's rows. Also adds,
//! where absent, the standard concepts dicometl writes (0, 32817, 8507, 8532, 9202, 756265) and the
//! vocabulary/domain/concept_class/relationship rows and metadata concepts OHDSI's foreign keys
//! require behind them (vocabulary_metadata.hpp).
VocabCounts load_vocabulary(storage::Database& db, const Options& o, bool truncate);

}  // namespace dicometl::omop
