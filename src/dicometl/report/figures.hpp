#pragma once
// The figures of a report: plain values computed by SQL aggregates (figures_*.cpp), rendered as
// JSON (figures_json.cpp), HTML with inline SVG (html_*.cpp) or a terminal summary. Nothing here
// holds a patient identifier: only counts and category labels (modality, manufacturer, …).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dicometl::report {

//! One category and how many things fall in it.
struct Bucket {
  std::string label;
  std::int64_t count = 0;
};

//! The largest categories of one column; the rest folded into `other`, empty/NULL into `missing`.
struct Breakdown {
  std::vector<Bucket> rows;
  std::int64_t other = 0;
  std::int64_t missing = 0;
};

struct Totals {
  std::int64_t patients = 0;
  std::int64_t studies = 0;
  std::int64_t series = 0;
  std::int64_t instances = 0;
  std::int64_t bytes = 0;            //!< sum(instance.file_size)
  std::int64_t rejected_files = 0;   //!< rows in ingest_error
  std::int64_t duplicate_files = 0;  //!< file rows with status 'duplicate'
  std::int64_t ingest_runs = 0;
  std::string last_run_finished;     //!< finished_at of the newest run, '' if none
  std::string last_run_tool;         //!< tool_version of the newest run
};

//! How many studies hold exactly `instances` instances.
struct StudySize {
  std::int64_t instances = 0;
  std::int64_t studies = 0;
};
struct InstancesPerStudy {
  std::vector<StudySize> sizes;  //!< ascending by instances
  double mean = 0;
  std::int64_t median = 0, min = 0, max = 0;
};

//! Instances per SliceThickness value (rounded to 0.001 mm in SQL).
struct ThicknessValue {
  double mm = 0;
  std::int64_t instances = 0;
};
struct SliceThickness {
  std::vector<ThicknessValue> values;  //!< ascending by mm
  std::int64_t missing = 0;            //!< instances without a thickness
};

//! Age of the patient on the study date, in decades (last bucket '90+').
struct AgeAtStudy {
  std::vector<Bucket> decades;
  std::int64_t from_patient_age = 0;  //!< studies whose PatientAge (e.g. 045Y) was usable
  std::int64_t from_dates = 0;        //!< studies aged from StudyDate − PatientBirthDate
  std::int64_t unknown = 0;
};

struct ModalityBodyPart {
  std::string modality;   //!< '' when absent
  std::string body_part;  //!< '' when absent
  std::int64_t series = 0;
};

//! What one modality (0008,0060 of the series) accounts for. A study with CT and SR series
//! counts under both, so studies do not add up to the total.
struct ModalityCounts {
  std::string modality;  //!< '' when absent
  std::int64_t studies = 0, series = 0, instances = 0;
};

struct Equipment {
  std::string manufacturer, model;  //!< '' when absent
  std::int64_t series = 0, instances = 0;
};

struct TransferSyntax {
  std::string uid, name;  //!< name '' when the UID is not a known one
  std::int64_t instances = 0;
};

struct ErrorReason {
  std::string kind, reason;
  std::int64_t count = 0;
  std::vector<std::string> examples;  //!< a few paths, only with ReportOptions::show_paths
};
struct IngestErrors {
  bool paths_shown = false;  //!< examples were asked for (--show-paths)
  std::int64_t total = 0;
  std::vector<Bucket> by_kind;
  std::vector<ErrorReason> by_reason;  //!< the most frequent reasons
  std::int64_t other_reasons = 0;      //!< errors whose reason is not listed
};

//! Files that contradict the catalog (table conflict), per kind and differing attribute. Examples
//! are UIDs only: the key for study and instance conflicts, the differing file's SOP Instance
//! UID for patient conflicts (whose key, the PatientID, the report never shows).
struct ConflictAttribute {
  std::string kind, attribute;
  std::int64_t files = 0;  //!< conflict rows: files whose value differs from the first-seen one
  std::int64_t keys = 0;   //!< distinct patients / studies / instances concerned
  std::vector<std::string> examples;
};
struct Conflicts {
  std::int64_t total = 0;  //!< conflict rows
  std::vector<ConflictAttribute> by_attribute;
};

//! A concept column: rows with a real concept versus 0 or NULL ("no matching concept").
struct ConceptCoverage {
  std::string table, column;
  std::int64_t mapped = 0, unmapped = 0;
};
struct OmopFigures {
  std::vector<Bucket> table_rows;           //!< rows per existing CDM/imaging table
  std::optional<std::int64_t> person_rows;  //!< rows in person, when the table exists
  std::int64_t persons_referenced = 0;      //!< distinct person_id <> 0 in the event tables
  std::int64_t events_person_zero = 0;      //!< event rows with person_id 0 (unmatched patient)
  std::vector<ConceptCoverage> coverage;
};

//! Values read from DXA report images (table dexa_value; see docs/report.md).
struct DexaFigures {
  std::int64_t values = 0;
  std::int64_t flagged = 0;
  std::optional<std::int64_t> reports;  //!< distinct source images, when a column says so
  Breakdown by_region, by_measure, by_flag;
};

struct Figures {
  std::string database;      //!< display name, credentials removed
  std::string generated_at;  //!< UTC, ISO 8601
  Totals totals;
  InstancesPerStudy instances_per_study;
  SliceThickness slice_thickness;
  Breakdown sex;  //!< patients by PatientSex
  AgeAtStudy age;
  std::vector<ModalityCounts> modalities;            //!< by instances descending
  std::vector<ModalityBodyPart> modality_body_part;  //!< series, by count descending
  std::vector<Bucket> studies_per_month;             //!< label YYYY-MM, ascending
  std::int64_t studies_without_date = 0;
  std::vector<Equipment> equipment;  //!< by series descending
  Equipment other_equipment;         //!< what did not fit in `equipment`
  std::vector<TransferSyntax> transfer_syntaxes;
  IngestErrors errors;
  std::optional<Conflicts> conflicts;  //!< when the catalog has a conflict table
  std::optional<OmopFigures> omop;   //!< when procedure_occurrence/image_occurrence/measurement exist
  std::optional<DexaFigures> dexa;   //!< when dexa_value exists
};

}  // namespace dicometl::report
