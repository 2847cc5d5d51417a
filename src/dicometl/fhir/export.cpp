#include "dicometl/fhir/export.hpp"

#include "dicometl/fhir/catalog_reader.hpp"
#include "dicometl/fhir/outputs.hpp"
#include "dicometl/fhir/resources.hpp"

namespace dicometl::fhir {

ExportSummary export_catalog(storage::Database& db, const MappingOptions& mapping,
                             const std::vector<Output*>& outputs,
                             const std::function<bool(const std::string&)>& include) {
  ExportSummary sum;
  CatalogReader reader(db, include);
  StudyRecord record;
  FirstSeen seen;  // distinct counts, as NDJSON writes them
  while (reader.next(record)) {
    ++sum.studies;
    StudyResources res = build_resources(record, mapping);
    if (!res.study) {
      ++sum.not_converted[res.reason];
      continue;
    }
    ++sum.converted;
    if (res.notes.time_dropped) ++sum.studies_time_dropped;
    sum.series_without_serial += res.notes.devices_without_serial;
    for (const auto* r : seen.next(res)) ++sum.resources[(*r)["resourceType"].get<std::string>()];
    for (Output* out : outputs) out->write(res);
  }
  for (Output* out : outputs) out->finish();
  return sum;
}

}  // namespace dicometl::fhir
