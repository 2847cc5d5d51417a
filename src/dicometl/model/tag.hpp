#pragma once
// DICOM tags as plain integers: (group << 16) | element. No third-party includes in model/.
#include <cstdint>
#include <string>

namespace dicometl {

using Tag = std::uint32_t;

constexpr Tag make_tag(std::uint16_t group, std::uint16_t element) {
  return (static_cast<Tag>(group) << 16) | element;
}
constexpr std::uint16_t tag_group(Tag t) { return static_cast<std::uint16_t>(t >> 16); }
constexpr std::uint16_t tag_element(Tag t) { return static_cast<std::uint16_t>(t & 0xFFFF); }
constexpr bool is_private(Tag t) { return (tag_group(t) & 1) != 0; }

//! Writes "GGGGEEEE" (upper-case hex) to out[0..7]: for writers that build a key in place
//! (inline: the DICOM JSON writer calls it for every element).
inline void write_tag_hex(Tag t, char* out) {
  constexpr char kDigits[] = "0123456789ABCDEF";
  for (int i = 0; i < 8; ++i) out[i] = kDigits[(t >> (28 - 4 * i)) & 0xF];
}
//! "GGGGEEEE", upper-case hex, as the DICOM JSON model keys elements.
std::string tag_hex(Tag t);
//! "(GGGG,EEEE)", as the d2e metadata tables and dcmdump print tags.
std::string tag_paren(Tag t);

//! The attributes dicometl reads by name. Kept to what the code uses; the full dictionary is DCMTK's.
namespace tags {
constexpr Tag kSpecificCharacterSet = make_tag(0x0008, 0x0005);
constexpr Tag kImageType = make_tag(0x0008, 0x0008);
constexpr Tag kSopClassUid = make_tag(0x0008, 0x0016);
constexpr Tag kSopInstanceUid = make_tag(0x0008, 0x0018);
constexpr Tag kStudyDate = make_tag(0x0008, 0x0020);
constexpr Tag kSeriesDate = make_tag(0x0008, 0x0021);
constexpr Tag kAcquisitionDate = make_tag(0x0008, 0x0022);
constexpr Tag kContentDate = make_tag(0x0008, 0x0023);
constexpr Tag kStudyTime = make_tag(0x0008, 0x0030);
constexpr Tag kSeriesTime = make_tag(0x0008, 0x0031);
constexpr Tag kAcquisitionTime = make_tag(0x0008, 0x0032);
constexpr Tag kContentTime = make_tag(0x0008, 0x0033);
constexpr Tag kAccessionNumber = make_tag(0x0008, 0x0050);
constexpr Tag kModality = make_tag(0x0008, 0x0060);
constexpr Tag kManufacturer = make_tag(0x0008, 0x0070);
constexpr Tag kInstitutionName = make_tag(0x0008, 0x0080);
constexpr Tag kReferringPhysicianName = make_tag(0x0008, 0x0090);
constexpr Tag kTimezoneOffsetFromUtc = make_tag(0x0008, 0x0201);
constexpr Tag kStationName = make_tag(0x0008, 0x1010);
constexpr Tag kStudyDescription = make_tag(0x0008, 0x1030);
constexpr Tag kSeriesDescription = make_tag(0x0008, 0x103E);
constexpr Tag kManufacturerModelName = make_tag(0x0008, 0x1090);
constexpr Tag kPatientName = make_tag(0x0010, 0x0010);
constexpr Tag kPatientId = make_tag(0x0010, 0x0020);
constexpr Tag kIssuerOfPatientId = make_tag(0x0010, 0x0021);
constexpr Tag kPatientBirthDate = make_tag(0x0010, 0x0030);
constexpr Tag kPatientSex = make_tag(0x0010, 0x0040);
constexpr Tag kPatientAge = make_tag(0x0010, 0x1010);
constexpr Tag kBodyPartExamined = make_tag(0x0018, 0x0015);
constexpr Tag kSliceThickness = make_tag(0x0018, 0x0050);
constexpr Tag kKvp = make_tag(0x0018, 0x0060);
constexpr Tag kDeviceSerialNumber = make_tag(0x0018, 0x1000);
constexpr Tag kSoftwareVersions = make_tag(0x0018, 0x1020);
constexpr Tag kProtocolName = make_tag(0x0018, 0x1030);
constexpr Tag kStudyInstanceUid = make_tag(0x0020, 0x000D);
constexpr Tag kSeriesInstanceUid = make_tag(0x0020, 0x000E);
constexpr Tag kStudyId = make_tag(0x0020, 0x0010);
constexpr Tag kSeriesNumber = make_tag(0x0020, 0x0011);
constexpr Tag kInstanceNumber = make_tag(0x0020, 0x0013);
constexpr Tag kLaterality = make_tag(0x0020, 0x0060);
constexpr Tag kImageLaterality = make_tag(0x0020, 0x0062);
constexpr Tag kNumberOfFrames = make_tag(0x0028, 0x0008);
constexpr Tag kRows = make_tag(0x0028, 0x0010);
constexpr Tag kColumns = make_tag(0x0028, 0x0011);
constexpr Tag kPixelSpacing = make_tag(0x0028, 0x0030);
constexpr Tag kBitsAllocated = make_tag(0x0028, 0x0100);
constexpr Tag kPhotometricInterpretation = make_tag(0x0028, 0x0004);
constexpr Tag kPixelData = make_tag(0x7FE0, 0x0010);
constexpr Tag kMediaStorageSopClassUid = make_tag(0x0002, 0x0002);
constexpr Tag kTransferSyntaxUid = make_tag(0x0002, 0x0010);
}  // namespace tags

}  // namespace dicometl
