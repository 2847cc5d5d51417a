#pragma once
// Statements and bulk writers an OmopWriter holds (shared by its .cpp files).
#include <memory>

#include "dicometl/omop/omop_writer.hpp"

namespace dicometl::omop {

struct OmopWriter::Writers {
  std::unique_ptr<storage::BulkWriter> person, visit, procedure, image, radiology, radiology_image,
      metadata;
  std::unique_ptr<storage::Statement> find_person, record_skip, site_snomed, site_modality;
};

}  // namespace dicometl::omop
