#pragma once
// How DICOM stores values, by VR: shared by the fast parser and the DCMTK element walk so that
// both produce the same plain values. No DCMTK here.
#include <charconv>
#include <string>
#include <string_view>

#include "dicometl/model/dataset.hpp"

namespace dicometl::dicom {

class CharsetDecoder;

//! Text VRs whose bytes follow Specific Character Set (the others are ASCII by definition).
bool vr_uses_charset(std::string_view vr);
//! Single-valued text VRs: a backslash there is a character, not a separator.
bool vr_single_valued(std::string_view vr);
bool vr_is_string(std::string_view vr);
//! Binary numbers: US SS UL SL UV SV FL FD AT.
bool vr_is_number(std::string_view vr);
//! Bytes per value of a binary-number VR (0 for others).
int vr_number_size(std::string_view vr);
//! VRs with a 32-bit length in explicit VR encoding.
bool vr_has_long_length(std::string_view vr);
bool vr_is_valid(std::string_view vr);

//! Splits decoded text into values and strips padding as the VR says.
void split_text_values(std::string_view text, std::string_view vr, Values& out);

//! A text value's bytes → UTF-8 values: the VRs that follow Specific Character Set through
//! `decoder`; the default-repertoire ones (and all with no decoder) as they are when valid UTF-8,
//! else with each invalid sequence replaced by U+FFFD, counted in decoder->report().
void decode_text_values(std::string_view bytes, std::string_view vr, const CharsetDecoder* decoder,
                        Values& out);

//! A binary number as its shortest decimal text (std::to_chars), the form both readers (the fast
//! parser and the DCMTK fallback) and DICOM JSON use.
template <typename T>
void append_number(Values& out, T v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.emplace_back(buf, ec == std::errc() ? ptr : buf);
}

//! Little-endian binary numbers → decimal strings (AT → "GGGGEEEE"), as DICOM JSON writes them.
void append_le_numbers(std::string_view bytes, std::string_view vr, Values& out);

}  // namespace dicometl::dicom
