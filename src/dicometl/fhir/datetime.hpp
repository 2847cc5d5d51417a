#pragma once
// DICOM DA/TM/TimezoneOffsetFromUTC → FHIR R4 date and dateTime. An R4 dateTime with a time must
// carry a zone, so a time is only written when a zone is known.
#include <optional>
#include <string>
#include <string_view>

namespace dicometl::fhir {

//! Where the zone of a study comes from when the files carry no TimezoneOffsetFromUTC.
struct ZoneSetting {
  std::string fixed;  //!< "+01:00", "-05:00" or "Z"; empty when not a fixed offset
  std::string iana;   //!< "Europe/Berlin": offset computed per date with the C library
  bool empty() const { return fixed.empty() && iana.empty(); }
};

//! Parses --timezone: "+01:00", "+0100", "Z", "UTC" or an IANA name present in the system's
//! zoneinfo. nullopt when it is none of these.
std::optional<ZoneSetting> parse_zone_setting(std::string_view text);

//! DICOM DA (YYYYMMDD, or the old YYYY.MM.DD) → "YYYY-MM-DD"; nullopt when not a valid date.
std::optional<std::string> fhir_date(std::string_view da);

//! DICOM TM (HH[MM[SS[.F{1,6}]]], or the old HH:MM:SS) → "HH:MM:SS[.F]"; nullopt when invalid.
std::optional<std::string> fhir_time(std::string_view tm);

//! TimezoneOffsetFromUTC ("+0100", "-0500") → "+01:00"; nullopt when invalid.
std::optional<std::string> fhir_offset(std::string_view dicom_offset);

//! The FHIR offset of `setting` on local date+time `date` ("YYYY-MM-DD") `time` ("HH:MM:SS…").
std::optional<std::string> zone_offset_at(const ZoneSetting& setting, const std::string& date,
                                          const std::string& time);

//! FHIR dateTime from DICOM date, time and zone: date+time+zone when all are valid, else the
//! date alone (valid R4, less precise); nullopt without a valid date. `time_dropped` is set when
//! a valid time was dropped for want of a zone.
std::optional<std::string> fhir_datetime(std::string_view da, std::string_view tm,
                                         std::string_view dicom_offset, const ZoneSetting& zone,
                                         bool* time_dropped = nullptr);

}  // namespace dicometl::fhir
