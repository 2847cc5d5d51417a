#pragma once
// Terminology CSV files from data/terminology, embedded at build time.

namespace dicometl::fhir {

//! The text of data/terminology/<name> (e.g. "bodypart_snomed_annex_l.csv"), or nullptr.
const char* embedded_terminology(const char* name);

}  // namespace dicometl::fhir
