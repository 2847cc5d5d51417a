#pragma once
// What one report page yields: plain records shared by the parser, QC, dedup and the writers.
#include <optional>
#include <string>
#include <vector>

namespace dicometl::dexa {

//! One recognised word with its box (pixels of the OCR input) and confidence (0–100).
struct OcrWord {
  std::string text;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float conf = 0;      //!< Tesseract's word confidence
  float min_conf = 0;  //!< lowest symbol confidence in the word (one bad digit is enough to doubt)
};

//! One measured value read from a results table.
struct Value {
  std::string region;  //!< canonical region name ("L1-L4", "Neck", "Total Mean"…)
  std::string metric;  //!< bmd, bmc, area, t_score, z_score, ya_pct, am_pct
  std::string text;    //!< as read (after repair), e.g. "0.987"
  std::optional<double> number;
  std::string unit;              //!< g/cm2, g, cm2, {T-score}, {Z-score}, %
  float conf = 0;                //!< lowest symbol confidence of the cell
  std::string qc_status = "ok";  //!< ok, flagged, repaired
  std::string qc_reason;         //!< ';'-separated reasons when not ok

  void flag(const std::string& reason, const char* status = "flagged") {
    if (qc_status == "ok" || std::string(status) == "flagged") qc_status = status;
    if (!qc_reason.empty()) qc_reason += ';';
    qc_reason += reason;
  }
  bool ok() const { return qc_status == "ok"; }
};

//! One report page and its values.
struct Page {
  std::string source_path;
  std::string sop_instance_uid;
  std::string series_instance_uid;
  std::string patient_id;
  std::string exam_date;  //!< YYYYMMDD from StudyDate (else ContentDate / SeriesDate)
  std::string site;    //!< spine, left_femur, right_femur, dual_femur, forearm, total_body, unknown
  std::string layout;  //!< hologic, lunar (the parser that read the table)
  std::string device;  //!< manufacturer and model from the header
  std::string protocol;        //!< ProtocolName or SeriesDescription (PNG folders)
  std::string page_scan_date;  //!< the scan date printed on the page, as read ("" if none)
  std::vector<Value> values;
  std::string duplicate;  //!< "", "collapsed:N" or "conflict:N" (see dedup.hpp)
};

//! A file looked at and not used, with a reason a person understands (never patient data).
struct Rejected {
  std::string path;
  std::string reason;
};

}  // namespace dicometl::dexa
