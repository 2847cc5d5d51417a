#pragma once
// The fast path of the header reader: a direct parse of Part 10 files in the transfer syntaxes
// nearly every archive holds (explicit and implicit VR little endian, and the encapsulated
// syntaxes, whose datasets are explicit VR little endian). It builds the plain Dataset straight
// from the bytes, with none of DCMTK's per-element objects: that is most of the cost of a header.
// Deflated datasets are inflated by the caller (bounded) and parsed the same way.
// Anything unusual (big endian, UN of undefined length, inconsistent lengths, a file
// without meta header) returns kFallback and the caller uses DCMTK, which stays the authority on
// what is wrong with a file. tests/unit/fast_parser_test.cpp holds both paths equal.
#include <string>
#include <string_view>

#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/model/dataset.hpp"

namespace dicometl::dicom {

enum class FastParse {
  kDone,      //!< `out` holds the whole header (meta + dataset up to Pixel Data); `needed`
              //!< the bytes it took (through Pixel Data's tag)
  kFallback,  //!< not handled here: parse with DCMTK
  kNeedMore,  //!< the header continues past `bytes`: call again with at least `needed` bytes
  kTooDeep,   //!< sequences nest deeper than options.max_sequence_depth: reject the file
  kDeflated,  //!< deflated dataset: `out` holds the meta header, `needed` the offset where the
              //!< deflate stream starts; call again with the inflated bytes and `inflated` set
};

//! Parses a Part 10 file whose first bytes are `bytes` (the whole file when `complete`).
//! `inflated`: the bytes after the meta header are a deflated dataset already inflated.
// The warning of a dataset encoded implicit VR under an explicit VR transfer syntax.
inline constexpr const char* kImplicitUnderExplicitWarning =
    "dataset encoded implicit VR under an explicit VR transfer syntax: read as implicit VR";

FastParse fast_parse(std::string_view bytes, bool complete, const ReadOptions& options,
                     Dataset& out, std::string& transfer_syntax, std::size_t& needed,
                     bool inflated = false, std::string* warning = nullptr);

//! The dictionary VR of a tag (two letters), for implicit VR files; "UN" when unknown.
//! `private_creator` is empty for public tags. Thread-safe.
const char* dictionary_vr(Tag tag, std::string_view private_creator);

}  // namespace dicometl::dicom
