#pragma once
// Declarations shared by the report's own files (not part of the module's interface).
#include <cstdint>
#include <optional>
#include <string>

#include "dicometl/report/figures.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::report {

//! Index of the decade bucket for an age in years (0 for 0–9 … 9 for 90 and over).
std::size_t age_decade(std::int64_t age);
//! Label of decade bucket `i`: "0-9" … "80-89", "90+".
std::string decade_label(std::size_t i);

//! OMOP figures when procedure_occurrence, image_occurrence or measurement exists.
std::optional<OmopFigures> collect_omop(storage::Database& db);
//! DXA figures when a table named dexa_value exists.
std::optional<DexaFigures> collect_dexa(storage::Database& db);

}  // namespace dicometl::report
