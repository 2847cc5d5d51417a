#pragma once
// DXA values as OMOP CDM measurement rows (LOINC concepts from the spec), each linked to the
// report's series through an MI-CDM image_feature row. Only values with qc_status ok are loaded:
// flagged and repaired values stay in dexa_value for review. Needs the report's series in
// image_occurrence (dicometl ingest --omop); pages without it are counted, not guessed.
#include <cstddef>
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/omop/options.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::dexa {

struct OmopCounts {
  std::size_t measurements = 0;  //!< rows written now (each with its image_feature)
  std::size_t already = 0;       //!< written by an earlier run (ids found in dicometl_omop_id)
  std::size_t not_ok = 0;        //!< values left out because QC did not pass them
  std::size_t no_concept = 0;  //!< metrics or regions without a LOINC concept (BMC, Area, %, Diff.)
  std::size_t no_series = 0;   //!< values whose report series has no image_occurrence row
  bool no_imaging_tables = false;  //!< image_occurrence missing: nothing could be linked
};

//! The OMOP concept of a value (0 when none): site and region choose the LOINC code, metric the
//! kind (BMD, T-score, Z-score). See docs/dexa.md for the choices made where LOINC has no code.
long long measurement_concept(const std::string& site, const std::string& region,
                              const std::string& metric);

//! Writes measurement and image_feature rows in one transaction; a re-run writes nothing new.
//! Throws storage::Error when the database fails.
OmopCounts write_omop_measurements(storage::Database& db, const std::vector<Page>& pages,
                                   const omop::Options& options = {});

}  // namespace dicometl::dexa
