#include "dicometl/dexa/page_filter.hpp"

#include <algorithm>
#include <cctype>

namespace dicometl::dexa {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

}  // namespace

Candidate classify(const Instance& inst, const FilterOptions& options) {
  // The header reader stops before Pixel Data, so an image is known by its Rows and Columns.
  if (!inst.rows || !inst.columns || *inst.rows <= 0 || *inst.columns <= 0)
    return {false, "not an image"};
  if (options.any_image) return {true, ""};
  const bool secondary_capture = inst.sop_class_uid.rfind("1.2.840.10008.5.1.4.1.1.7", 0) == 0;
  const bool modality = std::find(options.modalities.begin(), options.modalities.end(),
                                  inst.modality) != options.modalities.end();
  if (!secondary_capture && !modality)
    return {false, "modality " + inst.modality + " is not a report modality"};
  const std::string text =
      lower(inst.protocol_name + " | " + inst.series_description + " | " + inst.study_description);
  for (const auto& k : options.keywords)
    if (has(text, k.c_str())) return {true, ""};
  return {false, "no DXA site in protocol or series description"};
}

std::string site_from_text(const std::string& raw) {
  const std::string t = lower(raw);
  const bool femur = has(t, "femur") || has(t, "hip");
  if (femur && has(t, "dual")) return "dual_femur";
  if (femur && (has(t, "left") || has(t, "lt "))) return "left_femur";
  if (femur && (has(t, "right") || has(t, "rt "))) return "right_femur";
  if (femur) return "femur";
  if (has(t, "spine") || has(t, "lumbar")) return "spine";
  if (has(t, "forearm") || has(t, "radius")) return "forearm";
  if (has(t, "total body") || has(t, "whole body")) return "total_body";
  return "";
}

std::string site_from_regions(const std::vector<std::string>& regions) {
  auto any = [&](auto pred) { return std::any_of(regions.begin(), regions.end(), pred); };
  if (any([](const std::string& r) {
        return r.size() >= 2 && r[0] == 'L' && std::isdigit(static_cast<unsigned char>(r[1]));
      }))
    return "spine";
  if (any([](const std::string& r) { return has(r, "Left") || has(r, "Right") || has(r, "Mean"); }))
    return "dual_femur";
  if (any([](const std::string& r) { return r == "Neck" || r == "Troch" || r == "Inter"; }))
    return "femur";
  if (any([](const std::string& r) { return has(r, "Radius") || r == "UD" || r == "1/3"; }))
    return "forearm";
  return "unknown";
}

}  // namespace dicometl::dexa
