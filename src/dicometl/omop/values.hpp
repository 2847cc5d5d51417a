#pragma once
// Small conversions from DICOM values to what the OMOP DDL accepts.
#include <optional>
#include <string>
#include <string_view>

namespace dicometl::omop {

//! DICOM DA "YYYYMMDD" (or "YYYY.MM.DD") → "YYYY-MM-DD" when it is a real calendar date.
std::optional<std::string> iso_date(std::string_view da);
//! Date + DICOM TM "HHMMSS.frac" → "YYYY-MM-DD HH:MM:SS"; nullopt when the time is unusable.
std::optional<std::string> iso_datetime(const std::string& iso_day, std::string_view tm);
//! The first `max_chars` Unicode characters of UTF-8 `s` (varchar(n) counts characters).
std::string truncate_chars(std::string_view s, std::size_t max_chars);
//! Unicode characters in UTF-8 `s` (what varchar(n) limits).
std::size_t count_chars(std::string_view s);
//! Year of birth from PatientAge ("045Y", "006M", "010W", "003D") and an ISO study date.
std::optional<int> birth_year_from_age(std::string_view age, const std::string& iso_study_date);

}  // namespace dicometl::omop
