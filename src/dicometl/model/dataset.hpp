#pragma once
// A DICOM dataset as plain values: what the DCMTK bridge produces and every writer consumes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dicometl/model/tag.hpp"

namespace dicometl {

struct Dataset;

//! One data element. Text values are already decoded to UTF-8 and split on '\'.
struct Element {
  Tag tag = 0;
  char vr[2] = {'U', 'N'};          //!< two-letter value representation
  std::uint32_t length = 0;         //!< value length in bytes as stored (0xFFFFFFFF = undefined)
  std::vector<std::string> values;  //!< text/number values (numbers in their canonical decimal form)
  std::string binary;               //!< raw bytes of a small binary value (OB, OW, UN, …), else empty
  bool bulk = false;                //!< value not loaded: bulk data (pixel data, large binary)
  std::uint64_t offset = 0;  //!< bulk: where the value starts in the file (0 = unknown: deflated)
  std::vector<Dataset> items;       //!< sequence items (VR SQ)
  std::string private_creator;      //!< for private elements: the reserving creator's name

  std::string_view vr_view() const { return {vr, 2}; }
  bool is_sequence() const { return vr[0] == 'S' && vr[1] == 'Q'; }
  //! First value or empty.
  const std::string& first() const;
};

//! An ordered list of elements (ascending tag order, as in the file).
struct Dataset {
  std::vector<Element> elements;

  //! The element with `tag` at this level, or nullptr.
  const Element* find(Tag tag) const;
  //! First value of `tag` at this level, or "" when absent or empty.
  const std::string& text(Tag tag) const;
  //! All values of `tag` joined with '\' (as DICOM stores them), or "".
  std::string joined(Tag tag) const;
  std::optional<double> number(Tag tag) const;
  std::optional<std::int64_t> integer(Tag tag) const;
};

//! Parses a decimal string (DS/IS) leniently: surrounding spaces allowed; nullopt when not a number.
std::optional<double> parse_decimal(std::string_view s);
std::optional<std::int64_t> parse_integer(std::string_view s);

}  // namespace dicometl
