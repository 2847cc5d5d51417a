#pragma once
// The rows OHDSI's v5.4 foreign keys require behind every concept dicometl writes: vocabulary,
// domain, concept_class and relationship rows, and the metadata concepts those rows point to.
// A database holding the full Athena download has them all; a fresh one (or a partial vocabulary
// subset) gets the missing ones, so OHDSI's constraint script applies after a run.
#include <cstdint>

#include "dicometl/omop/schema.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::omop {

//! The concept rows the vocabulary model itself needs (0, EHR 32817, genders, outpatient visit,
//! CDM 5.4, the vocabulary/domain/class/relationship concepts) staged into `stage` (a bulk writer
//! with the concept columns), and vocabulary, domain, concept_class and relationship rows inserted
//! where absent. Call inside a transaction; insert the staged concepts afterwards.
void stage_metadata_concepts(storage::BulkWriter& stage);
void write_vocabulary_model_rows(storage::Database& db, const Names& n);

}  // namespace dicometl::omop
