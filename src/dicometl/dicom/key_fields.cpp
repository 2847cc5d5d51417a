#include "dicometl/dicom/key_fields.hpp"

namespace dicometl::dicom {

namespace {
// "Wang^XiaoDong=王^小東=" and "Wang^XiaoDong" name the same person: trailing empty component
// groups and components are padding (PS3.5 6.2.1), so the catalog column drops them.
std::string person_name(const Dataset& d, Tag tag) {
  std::string s = d.joined(tag);
  while (!s.empty() && (s.back() == '=' || s.back() == '^' || s.back() == ' ')) s.pop_back();
  return s;
}
}  // namespace

void fill_key_fields(Instance& inst) {
  const Dataset& d = inst.dataset;
  inst.sop_class_uid = d.text(tags::kSopClassUid);
  inst.sop_instance_uid = d.text(tags::kSopInstanceUid);
  inst.specific_character_set = d.joined(tags::kSpecificCharacterSet);

  inst.patient_id = d.text(tags::kPatientId);
  inst.issuer_of_patient_id = d.text(tags::kIssuerOfPatientId);
  inst.patient_name = person_name(d, tags::kPatientName);
  inst.patient_sex = d.text(tags::kPatientSex);
  inst.patient_birth_date = d.text(tags::kPatientBirthDate);
  inst.patient_age = d.text(tags::kPatientAge);

  inst.study_instance_uid = d.text(tags::kStudyInstanceUid);
  inst.study_date = d.text(tags::kStudyDate);
  inst.study_time = d.text(tags::kStudyTime);
  inst.study_id = d.text(tags::kStudyId);
  inst.accession_number = d.text(tags::kAccessionNumber);
  inst.study_description = d.text(tags::kStudyDescription);
  inst.referring_physician_name = person_name(d, tags::kReferringPhysicianName);
  inst.timezone_offset = d.text(tags::kTimezoneOffsetFromUtc);

  inst.series_instance_uid = d.text(tags::kSeriesInstanceUid);
  inst.series_date = d.text(tags::kSeriesDate);
  inst.series_time = d.text(tags::kSeriesTime);
  inst.modality = d.text(tags::kModality);
  inst.body_part_examined = d.text(tags::kBodyPartExamined);
  inst.series_description = d.text(tags::kSeriesDescription);
  inst.protocol_name = d.text(tags::kProtocolName);
  inst.laterality = d.text(tags::kLaterality);
  if (inst.laterality.empty()) inst.laterality = d.text(tags::kImageLaterality);
  inst.institution_name = d.text(tags::kInstitutionName);
  inst.station_name = d.text(tags::kStationName);
  inst.manufacturer = d.text(tags::kManufacturer);
  inst.manufacturer_model_name = d.text(tags::kManufacturerModelName);
  inst.device_serial_number = d.text(tags::kDeviceSerialNumber);
  inst.software_versions = d.joined(tags::kSoftwareVersions);
  inst.series_number = d.integer(tags::kSeriesNumber);

  inst.instance_number = d.integer(tags::kInstanceNumber);
  inst.rows = d.integer(tags::kRows);
  inst.columns = d.integer(tags::kColumns);
  inst.number_of_frames = d.integer(tags::kNumberOfFrames);
  inst.bits_allocated = d.integer(tags::kBitsAllocated);
  inst.slice_thickness = d.number(tags::kSliceThickness);
  inst.kvp = d.number(tags::kKvp);
  if (const Element* ps = d.find(tags::kPixelSpacing); ps && ps->values.size() >= 2) {
    inst.pixel_spacing_row = parse_decimal(ps->values[0]);
    inst.pixel_spacing_col = parse_decimal(ps->values[1]);
  }
  inst.image_type = d.joined(tags::kImageType);
  inst.acquisition_date = d.text(tags::kAcquisitionDate);
  inst.acquisition_time = d.text(tags::kAcquisitionTime);
  inst.content_date = d.text(tags::kContentDate);
  inst.content_time = d.text(tags::kContentTime);
  inst.photometric_interpretation = d.text(tags::kPhotometricInterpretation);
}

}  // namespace dicometl::dicom
