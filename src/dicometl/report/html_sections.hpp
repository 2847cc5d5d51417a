#pragma once
// The sections of the HTML page, one function each, in page order. Each returns a <section>
// card: heading, a sentence, an inline SVG chart and the same numbers as a table.
#include <string>

#include "dicometl/report/figures.hpp"

namespace dicometl::report {

//! A card: title, lead text (HTML, already escaped), chart SVG, table HTML.
std::string card(const std::string& id, const std::string& title, const std::string& lead_html,
                 const std::string& svg, const std::string& table, bool wide = false);

std::string section_instances_per_study(const Figures& f);
std::string section_slice_thickness(const Figures& f);
std::string section_sex(const Figures& f);
std::string section_age(const Figures& f);
std::string section_modalities(const Figures& f);
std::string section_modality_body_part(const Figures& f);
std::string section_studies_per_month(const Figures& f);
std::string section_equipment(const Figures& f);
std::string section_transfer_syntaxes(const Figures& f);
std::string section_errors(const Figures& f);
std::string section_conflicts(const Conflicts& c);
std::string section_omop(const OmopFigures& o, const Totals& t);
std::string section_dexa(const DexaFigures& d);

}  // namespace dicometl::report
