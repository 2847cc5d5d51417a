#pragma once
// File paths as the catalog stores them. A POSIX path is any bytes but NUL; catalog text is
// UTF-8 (PostgreSQL refuses anything else, replacement would make two names one). So each byte
// that does not belong to a valid UTF-8 sequence is written `\xHH` (two upper-case hex digits),
// and a backslash that already starts such a sequence (`\x` + two hex digits) is written `\x5C`.
// Every other path, including every valid UTF-8 one, is stored unchanged; decode_path() gives
// back the exact bytes: decode_path(encode_path(p)) == p for every p.
#include <string>
#include <string_view>

namespace dicometl {

//! The catalog text of a file system path: valid UTF-8, reversible (see above).
std::string encode_path(std::string_view raw);
//! The file system path of a catalog path (inverse of encode_path).
std::string decode_path(std::string_view text);

}  // namespace dicometl
