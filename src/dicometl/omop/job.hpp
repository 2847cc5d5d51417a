#pragma once
// The d2e DICOM ETL plugin's job options (`dicometl run JOB.json`), read as its users write them.
#include <string>
#include <vector>

#include "dicometl/omop/options.hpp"

namespace dicometl::omop {

struct Job {
  std::string action;          //!< ingest_metadata | load_vocab
  std::string database_code;   //!< d2e's name for the database (informative; --db gives the URL)
  std::string database_url;    //!< dicometl extension: "database_url" in the options
  std::vector<std::string> paths;  //!< dicom_files_abs_path
  bool truncate = false;       //!< to_truncate (load_vocab: DICOM rows only)
  bool upload_files = false;   //!< not done by this command; reported
  Options options;
};

//! Parses a job: `{"options": {...}}` or the options object itself. Accepts the plugin's
//! Python-flavoured examples too (True/False/None, unquoted keys, trailing commas). Throws
//! std::invalid_argument with a readable reason.
Job parse_job(const std::string& text);

}  // namespace dicometl::omop
