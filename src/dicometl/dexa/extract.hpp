#pragma once
// The DXA extraction run, in phases:
//   1. walk    — the roots through source::make_source (local folders, files, s3:// prefixes);
//   2. filter  — each file's header (dicom::read_header) against FilterOptions;
//   3. read    — per candidate, on N threads each with its own Tesseract: render (DCMTK) →
//                preprocess → OCR → results table → values → per-page QC;
//   4. collect — pages in walk order, so re-runs give the same output.
// Duplicates and writers come after (dedup.hpp, csv_output.hpp, db_output.hpp).
#include <atomic>
#include <string>
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/dexa/page_filter.hpp"
#include "dicometl/dexa/preprocess.hpp"
#include "dicometl/dexa/qc.hpp"
#include "dicometl/source/s3/aws_config.hpp"
#include "dicometl/source/shard.hpp"

namespace dicometl::dexa {

struct ExtractOptions {
  std::vector<std::string> roots;
  source::s3::Options s3;  //!< for s3:// roots (endpoint, region, profile, download mirror)
  source::ShardFilter shard;  //!< one shard of the roots' files (--shard K/N)
  FilterOptions filter;
  PreprocessOptions preprocess;
  QcOptions qc;
  unsigned jobs = 0;     //!< OCR threads; 0 = all cores
  std::string png_dir;   //!< when set: rendered pages as PNG, one folder per protocol
  std::string tessdata;  //!< Tesseract model folder; empty = default
  //! When set: the OCR words of each page as TSV (text, box, confidences), for tuning and bug
  //! reports. Holds everything printed on the page, patient data included.
  std::string words_dir;
  const std::atomic<bool>* stop = nullptr;
};

//! Seconds spent per phase, summed over threads (for the benchmark's OCR share).
struct PhaseTimes {
  double header = 0, render = 0, preprocess = 0, ocr = 0, parse = 0;
  double reread = 0;  //!< the cell pass (OCR too), inside `parse`
};

struct ExtractResult {
  std::vector<Page> pages;         //!< report pages with values, in walk order
  std::vector<Rejected> rejected;  //!< files looked at and not used, with reasons
  std::size_t files = 0;           //!< files the walk found
  std::size_t skipped = 0;         //!< DICOM files the header filter passed over
  std::size_t candidates = 0;      //!< files rendered and read
  PhaseTimes times;
  double wall_seconds = 0;
  std::string fatal;  //!< set when the run could not start (no OCR model)
};

ExtractResult extract(const ExtractOptions& options);

}  // namespace dicometl::dexa
