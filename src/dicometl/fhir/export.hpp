#pragma once
// The FHIR export: studies streamed from a catalog → resources → outputs. See docs/fhir.md.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dicometl/fhir/options.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::fhir {

class Output;

struct ExportSummary {
  std::size_t studies = 0;    //!< studies read from the catalog
  std::size_t converted = 0;  //!< studies that became an ImagingStudy
  std::map<std::string, std::size_t> not_converted;  //!< reason → studies
  std::map<std::string, std::size_t> resources;      //!< resource type → written
  std::size_t studies_time_dropped = 0;  //!< studies with a time but no zone: dates only
  std::size_t series_without_serial = 0; //!< series whose scanner cannot become a Device
};

//! Exports every study of `db` (or those `include` accepts) to each of `outputs`, in the
//! catalog reader's stable order. Throws storage::Error or std::runtime_error when the database
//! or an output fails; studies that cannot be converted are counted, not thrown.
ExportSummary export_catalog(storage::Database& db, const MappingOptions& mapping,
                             const std::vector<Output*>& outputs,
                             const std::function<bool(const std::string&)>& include = {});

}  // namespace dicometl::fhir
