#pragma once
// OMOP options shared by `omop`, `vocab load`, `ingest --omop` (and the schemas by `dexa`).
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "dicometl/omop/options.hpp"

namespace dicometl::cli {

struct OmopArgs {
  omop::Options options;
  std::string missing_person = "skip";
  std::string modality_concepts = "dicom";
};

//! Adds --cdm-schema, --vocab-schema and --imaging-schema to `cmd` (also used by `dexa`).
inline void add_omop_schema_options(CLI::App* cmd, omop::Options& o) {
  const char* g = "OMOP";
  cmd->add_option("--cdm-schema", o.cdm_schema, "Schema of person, procedure_occurrence, measurement… (PostgreSQL; default public)")->group(g);
  cmd->add_option("--vocab-schema", o.vocab_schema, "Schema of concept, concept_relationship… (default public)")->group(g);
  cmd->add_option("--imaging-schema", o.imaging_schema, "Schema of image_occurrence, dicom_file_metadata… (default public)")->group(g);
}

//! Adds the schema options, --person-*, --missing-person, --visits, --no-metadata, --no-rcdm and
//! --dicomweb-base to `cmd`.
inline void add_omop_options(CLI::App* cmd, OmopArgs& a) {
  auto& o = a.options;
  const char* g = "OMOP";
  add_omop_schema_options(cmd, o);
  cmd->add_option("--person-schema", o.person.schema, "Schema of the PatientID→person table (default: CDM schema)")->group(g);
  cmd->add_option("--person-table", o.person.table, "PatientID→person table (default person)")->group(g);
  cmd->add_option("--person-id-column", o.person.person_id_column, "Its person_id column (default person_id)")->group(g);
  cmd->add_option("--patient-id-column", o.person.patient_id_column, "Its PatientID column (default person_source_value)")->group(g);
  cmd->add_option("--missing-person", a.missing_person, "No person for a PatientID: skip | zero | create (default skip)")
      ->check(CLI::IsMember({"skip", "zero", "use_id_zero", "create"}, CLI::ignore_case))->group(g);
  cmd->add_option(
         "--modality-concepts", a.modality_concepts,
         "image_occurrence.modality_concept_id: dicom (DICOM2OMOP value concept, default) or "
         "snomed (the site's standard SNOMED procedure, as d2e writes)")
      ->check(CLI::IsMember({"dicom", "snomed"}, CLI::ignore_case))
      ->group(g);
  cmd->add_flag("--visits", o.visits, "Write one visit_occurrence per study")->group(g);
  cmd->add_flag("!--no-metadata", o.metadata, "Do not write dicom_file_metadata rows")->group(g);
  cmd->add_flag("!--no-rcdm", o.rcdm, "Do not write R-CDM radiology_occurrence / radiology_image")->group(g);
  cmd->add_option("--dicomweb-base", o.dicomweb_base, "DICOMweb base URL for image_occurrence.wadors_uri")->group(g);
}

//! The options with the policy parsed.
inline omop::Options omop_options(const OmopArgs& a) {
  omop::Options o = a.options;
  o.missing_person = omop::parse_missing_person(a.missing_person);
  o.modality_concepts = omop::parse_modality_concepts(a.modality_concepts);
  return o;
}

}  // namespace dicometl::cli
