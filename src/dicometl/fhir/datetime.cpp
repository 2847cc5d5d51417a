#include "dicometl/fhir/datetime.hpp"

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include <fmt/core.h>

namespace dicometl::fhir {

namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\0')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  return s;
}

//! "+HH:MM" from a signed number of minutes east of UTC.
std::string format_offset(long minutes) {
  const char sign = minutes < 0 ? '-' : '+';
  const long m = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}{:02}:{:02}", sign, m / 60, m % 60);
}

std::optional<std::string> offset_from_digits(char sign, std::string_view hh, std::string_view mm) {
  if (hh.size() != 2 || mm.size() != 2 || !all_digits(hh) || !all_digits(mm)) return std::nullopt;
  const int h = num(hh), m = num(mm);
  // FHIR allows -13:59..+14:00 (the regex); DICOM's range is -12:00..+14:00.
  if (m > 59 || h > 14 || (h == 14 && m != 0)) return std::nullopt;
  return fmt::format("{}{:02}:{:02}", sign, h, m);
}

}  // namespace

std::optional<ZoneSetting> parse_zone_setting(std::string_view text) {
  text = trim(text);
  if (text.empty()) return ZoneSetting{};
  if (text == "Z" || text == "UTC" || text == "utc") return ZoneSetting{"Z", ""};
  if (text[0] == '+' || text[0] == '-') {
    auto rest = text.substr(1);
    std::optional<std::string> off;
    if (rest.size() == 5 && rest[2] == ':') off = offset_from_digits(text[0], rest.substr(0, 2), rest.substr(3));
    if (rest.size() == 4) off = offset_from_digits(text[0], rest.substr(0, 2), rest.substr(2));
    if (!off) return std::nullopt;
    return ZoneSetting{*off, ""};
  }
  // An IANA name: accept only what the system's zoneinfo holds (no ".." tricks).
  if (text.find("..") != std::string_view::npos || text[0] == '/') return std::nullopt;
  const char* dir = std::getenv("TZDIR");
  const std::filesystem::path file = std::filesystem::path(dir ? dir : "/usr/share/zoneinfo") / std::string(text);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return ZoneSetting{"", std::string(text)};
}

std::optional<std::string> fhir_date(std::string_view da) {
  da = trim(da);
  std::string d;
  if (da.size() == 10 && da[4] == '.' && da[7] == '.')
    d = std::string(da.substr(0, 4)) + std::string(da.substr(5, 2)) + std::string(da.substr(8, 2));
  else
    d = std::string(da);
  if (d.size() != 8 || !all_digits(d)) return std::nullopt;
  const int y = num(d.substr(0, 4)), m = num(d.substr(4, 2)), day = num(d.substr(6, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || day < 1 || day > kDays[m - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && day == 29 && !leap) return std::nullopt;
  return fmt::format("{}-{}-{}", d.substr(0, 4), d.substr(4, 2), d.substr(6, 2));
}

std::optional<std::string> fhir_time(std::string_view tm) {
  tm = trim(tm);
  std::string t;
  for (char c : tm)
    if (c != ':') t.push_back(c);  // old ACR-NEMA style HH:MM:SS
  std::string frac;
  if (const auto dot = t.find('.'); dot != std::string::npos) {
    frac = t.substr(dot + 1);
    t.resize(dot);
    if (!all_digits(frac) || frac.size() > 6 || t.size() != 6) return std::nullopt;
  }
  if ((t.size() != 2 && t.size() != 4 && t.size() != 6) || !all_digits(t)) return std::nullopt;
  t.resize(6, '0');
  const int h = num(t.substr(0, 2)), m = num(t.substr(2, 2)), s = num(t.substr(4, 2));
  if (h > 23 || m > 59 || s > 59) return std::nullopt;  // FHIR forbids the leap second 60 too
  std::string out = fmt::format("{}:{}:{}", t.substr(0, 2), t.substr(2, 2), t.substr(4, 2));
  if (!frac.empty()) out += "." + frac;
  return out;
}

std::optional<std::string> fhir_offset(std::string_view o) {
  o = trim(o);
  if (o.size() != 5 || (o[0] != '+' && o[0] != '-')) return std::nullopt;
  return offset_from_digits(o[0], o.substr(1, 2), o.substr(3, 2));
}

std::optional<std::string> zone_offset_at(const ZoneSetting& setting, const std::string& date,
                                          const std::string& time) {
  if (!setting.fixed.empty()) return setting.fixed == "+00:00" ? std::string("Z") : setting.fixed;
  if (setting.iana.empty()) return std::nullopt;
  // The C library knows the zone's rules (DST); TZ is process-wide, which is fine for the CLI's
  // single export thread.
  static std::string current;
  if (current != setting.iana) {
    ::setenv("TZ", setting.iana.c_str(), 1);
    ::tzset();
    current = setting.iana;
  }
  std::tm t{};
  t.tm_year = num(date.substr(0, 4)) - 1900;
  t.tm_mon = num(date.substr(5, 2)) - 1;
  t.tm_mday = num(date.substr(8, 2));
  t.tm_hour = num(time.substr(0, 2));
  t.tm_min = num(time.substr(3, 2));
  t.tm_sec = num(time.substr(6, 2));
  t.tm_isdst = -1;
  if (std::mktime(&t) == static_cast<std::time_t>(-1)) return std::nullopt;
  return format_offset(t.tm_gmtoff / 60);
}

std::optional<std::string> fhir_datetime(std::string_view da, std::string_view tm,
                                         std::string_view dicom_offset, const ZoneSetting& zone,
                                         bool* time_dropped) {
  auto date = fhir_date(da);
  if (!date) return std::nullopt;
  auto time = fhir_time(tm);
  if (!time) return date;
  std::optional<std::string> off = fhir_offset(dicom_offset);
  if (!off) off = zone_offset_at(zone, *date, *time);
  if (!off) {
    if (time_dropped) *time_dropped = true;
    return date;
  }
  return *date + "T" + *time + *off;
}

}  // namespace dicometl::fhir
