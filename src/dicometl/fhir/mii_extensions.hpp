#pragma once
// The extensions and profiles of the Medizininformatik-Initiative's imaging module ("Modul
// Bildgebung", https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung), as its
// StructureDefinitions define them: what the miracum DICOM→FHIR converter writes. See docs/fhir.md.
#include <nlohmann/json.hpp>

#include "dicometl/fhir/study_record.hpp"

namespace dicometl::fhir {

inline constexpr const char* kMiiBase =
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung/";
inline constexpr const char* kMiiStudyProfile =
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung/StructureDefinition/"
    "mii-pr-bildgebung-bildgebungsstudie";
inline constexpr const char* kMiiDeviceProfile =
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung/StructureDefinition/"
    "mii-pr-bildgebung-geraet";

//! ImagingStudy.series.extension: the modality's technique extension (CT; MG/CR/DX; MR; PT; NM)
//! and contrast, each only with the values the series' first instance holds. Empty array when
//! there is nothing to say.
nlohmann::ordered_json mii_series_extensions(const SeriesRecord& series);

//! ImagingStudy.series.instance.extension: instance details (pixel spacing, slice thickness,
//! image type); empty array when the instance has none of them.
nlohmann::ordered_json mii_instance_extensions(const InstanceRecord& instance);

}  // namespace dicometl::fhir
