#pragma once
// The record of one SOP Instance: the fields people query most, plus every element.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "dicometl/model/dataset.hpp"

namespace dicometl {

//! Where a file came from and what it looked like when read (the incremental-run key).
struct FileStat {
  std::string path;          //!< as the catalog stores it (model/path_text.hpp; decode_path() opens it)
  std::uint64_t size = 0;    //!< bytes
  std::int64_t mtime_ns = 0; //!< modification time, ns since the epoch
};

//! Which parser read a header: the fast parser, or DCMTK when the fast parser declined the file.
enum class HeaderParser { kFast, kDcmtk };

struct Instance {
  FileStat file;
  HeaderParser parser = HeaderParser::kFast;  //!< tests assert it; not stored in the catalog
  std::string transfer_syntax_uid;
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string specific_character_set;

  // Patient
  std::string patient_id, issuer_of_patient_id, patient_name, patient_sex, patient_birth_date,
      patient_age;
  // Study
  std::string study_instance_uid, study_date, study_time, study_id, accession_number,
      study_description, referring_physician_name, timezone_offset;
  // Series
  std::string series_instance_uid, series_date, series_time, modality, body_part_examined,
      series_description, protocol_name, laterality, institution_name, station_name, manufacturer,
      manufacturer_model_name, device_serial_number, software_versions;
  std::optional<std::int64_t> series_number;
  // Instance
  std::optional<std::int64_t> instance_number, rows, columns, number_of_frames, bits_allocated;
  std::optional<double> slice_thickness, pixel_spacing_row, pixel_spacing_col, kvp;
  std::string image_type, acquisition_date, acquisition_time, content_date, content_time,
      photometric_interpretation;
  bool has_pixel_data = false;
  std::string warning;  //!< how a file that was read departs from the standard (ingest_warning)

  Dataset dataset;  //!< all elements except bulk values, meta header included
};

//! Why a file did not become an instance. The catalog stores the kind and the reason.
enum class RejectKind {
  kNotDicom,     //!< no DICOM structure at all (text, random bytes, empty)
  kUnreadable,   //!< the operating system refused (permissions, I/O error, vanished)
  kCorrupt,      //!< looks like DICOM but cannot be parsed (truncated, bad lengths, nesting)
  kIncomplete,   //!< parsed, but lacks what a catalog needs (e.g. SOP Instance UID)
  kMediaDirectory,  //!< a DICOMDIR: an index of other files, not an image
};
const char* to_string(RejectKind kind);

struct Reject {
  FileStat file;
  RejectKind kind = RejectKind::kNotDicom;
  std::string reason;  //!< a sentence a person understands; never patient data
};

//! What reading one file yields.
using ReadOutcome = std::variant<Instance, Reject>;

}  // namespace dicometl
