#pragma once
// Instance records → OMOP rows: procedure_occurrence and (optionally) visit_occurrence per study,
// image_occurrence per series (MI-CDM), R-CDM radiology_occurrence per study and radiology_image
// per image, dicom_file_metadata per element (d2e-compatible). Used as an ingest sink (same pass
// as the catalog) and by `dicometl omop` (from the catalog, without re-reading files).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "dicometl/omop/id_allocator.hpp"
#include "dicometl/omop/options.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/pipeline/ingest.hpp"

namespace dicometl::omop {

struct OmopCounts {
  std::uint64_t persons_created = 0, visits = 0, procedures = 0, image_occurrences = 0,
                radiology_occurrences = 0, radiology_images = 0, metadata_rows = 0,
                skipped_instances = 0;
};

class OmopWriter final : public pipeline::InstanceSink {
 public:
  //! `db` must outlive the writer and hold the OMOP schema (ensure_omop_schema). Calls must come
  //! inside a transaction opened with Database::begin() (it holds the writer lock).
  OmopWriter(storage::Database& db, Options options);
  ~OmopWriter() override;
  void on_instance(const Instance& inst, bool is_new) override;
  //! Studies and series in order, then every image's id in one claim, then the image rows.
  void on_instances(const std::vector<const Instance*>& group,
                    const std::vector<bool>& is_new) override;
  //! Sends buffered rows and completes per-study counts; call before each commit.
  void on_batch_end() override;
  const OmopCounts& counts() const { return counts_; }

 private:
  struct Study {
    bool skipped = false;
    std::int64_t person = 0, procedure = 0, visit = 0, radiology = 0;
    std::string date, datetime;
  };
  const Study& study_for(const Instance& in);
  //! StudyDate, else the first valid of SeriesDate, AcquisitionDate, ContentDate.
  static std::optional<std::string> study_date(const Instance& in);
  //! Claims in a few statements the study and series ids study_for and series_for will ask for.
  void prefetch_ids(const std::vector<const Instance*>& group);
  std::optional<std::int64_t> person_for(const Instance& in, const std::string& date,
                                         std::string& why);
  std::int64_t series_for(const Instance& in, const Study& st);
  std::int64_t anatomic_site(const Instance& in);
  void load_maps_to();
  void open_metadata_writer();
  //! Records why rows were left out or a value cut: kind study | radiology_occurrence (study UID)
  //! or radiology_image (SOP Instance UID), in dicometl_omop_skip.
  void skip(const char* kind, const std::string& key, const std::string& reason);
  //! `value`, or its first `width` characters with the cut recorded.
  std::string fit_text(const char* kind, const std::string& key, const char* column,
                       std::string_view value, std::optional<std::size_t> width);
  //! Why the study's R-CDM rows cannot be written (its folder does not fit), or "".
  std::string rcdm_problem(const Instance& in) const;
  std::int64_t modality_concept(const Instance& in);
  void write_radiology_image(const Instance& in, const Study& st, std::int64_t id);
  void clear_written_skips();
  void write_image(const Instance& in, const Study& st, std::int64_t image_occurrence,
                   std::int64_t id);
  void write_metadata(const Instance& in, std::int64_t image_occurrence, std::int64_t person);

  struct Writers;
  storage::Database& db_;
  Options o_;
  Names n_;
  IdAllocator ids_;
  std::unique_ptr<Writers> w_;
  OmopCounts counts_;
  // PatientID → person, or none and why (the reason is recorded for each study skipped).
  std::unordered_map<std::string, std::pair<std::optional<std::int64_t>, std::string>> persons_;
  std::unordered_map<std::string, Study> studies_;
  std::unordered_map<std::string, std::int64_t> series_;
  std::unordered_map<std::int64_t, std::int64_t>
      maps_to_;  // DICOM value → standard (site or shipped)
  std::unordered_set<std::int64_t> touched_radiology_;
  std::vector<std::string> written_studies_;  //!< this batch's written studies (skip rows cleared)
  std::unordered_map<std::int64_t, std::int64_t> snomed_modality_;  //!< DICOM value → site SNOMED
  std::unordered_map<std::int64_t, std::string> dicom_names_;
  struct Widths {  //!< varchar widths of the site's R-CDM columns (none: unlimited)
    std::optional<std::size_t> dirpath, comment, image_type, filepath, window_center, window_width;
  } width_;
  std::uint64_t analyze_at_ =
      1000;  //!< radiology_images written when statistics are next refreshed
  std::string now_;
};

//! Adds a cdm_source row describing dicometl's output when the table is empty (a site's own row
//! is never changed). Call inside a transaction.
void write_cdm_source(storage::Database& db, const Options& o);

}  // namespace dicometl::omop
